"""The browser that every check in a real browser drives, and how it is started.

Debian's Chromium by default; CHROMIUM_PATH names another build of Chromium or Chrome. The
browser tests (Playwright) and Lighthouse use the same binary with the same flags.
"""

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update"]  # fmt: skip
