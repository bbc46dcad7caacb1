"""The lab: what measures, charts and draws the posts' figures. Readers copy snippets/, not this.

Benchmarks are the modules with a ``record(results: Path)`` function; ``python -m lab --list``
names every one (a new post's benchmark included), and ``make bench ONLY=<module>`` runs one.
The equipment they share:

schema.py     the results format (schema.json): checked when written and when read
machine.py    what measured a result: processor, cores, load, backend, every library's version
bench.py      the first posts' benchmark: each variant timed in fresh processes, shuffled
results.py    a results file as a post cites it (mkdocs-macros): figures, comparisons, tables
charts.py     SVG charts, light and dark, of any results file, from what it declares
figures.py    the first post's pictures of the data, the fits and the loss
"""
