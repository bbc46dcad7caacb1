"""The lab: what measures, charts and draws the posts' figures. Readers copy snippets/, not this.

Benchmarks are the modules with a ``record(results: Path)`` function; ``python -m lab --list``
names every one (a new post's benchmark included), and ``make bench ONLY=<module>`` runs one.
The equipment they share:

schema.py    the results format, written down once: checked when written and when read
timer.py     time a call as results files record it: every repeat, then its spread
machine.py   what measured a result: processor, cores, backend, device, every library's version
results.py   a results file as a post cites it (mkdocs-macros): figures, comparisons, tables
charts.py    SVG charts, light and dark, of any results file, from what it declares
migrate.py   results files from before the format, upgraded without inventing a number
figures.py   the first post's pictures of the data, the fits and the loss
scale.py     how test and build time grow with the number of posts (`make scale`)
"""
