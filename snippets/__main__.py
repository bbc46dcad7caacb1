"""``python -m snippets``: list the examples, one line each, running none.

Modules are read, not imported: some configure JAX when imported (sharding asks
for simulated devices), and a listing should never do that.
"""

import ast
import pkgutil
from pathlib import Path

PACKAGE = Path(__file__).parent


def examples() -> list[tuple[str, str]]:
    """Return (module, its docstring's first line) for each runnable example."""
    found = []
    for module in pkgutil.iter_modules([str(PACKAGE)]):
        if module.name.startswith("_"):
            continue
        source = (PACKAGE / f"{module.name}.py").read_text(encoding="utf-8")
        if 'if __name__ == "__main__":' not in source:
            continue  # a helper of another example, not one to run
        doc = ast.get_docstring(ast.parse(source)) or ""
        found.append(
            (module.name, doc.splitlines()[0] if doc else "(no docstring)")
        )
    return sorted(found)


def main() -> None:
    """Print each example and how to run it."""
    print("The examples; run one with: python -m snippets.NAME")
    found = examples()
    width = max(len(name) for name, _ in found)
    for name, summary in found:
        print(f"  {name:<{width}}  {summary}")


if __name__ == "__main__":
    main()
