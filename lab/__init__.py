"""The lab: what measures, charts and draws the posts' figures. Readers copy snippets/, not this.

machine.py   what measured a result: processor, cores, JAX, backend, device
bench.py     every way to fit the first post's line, timed alike (`make bench`)
timing.py    the first post's jit timing, recorded for the post to show
sharding.py  the sharded fit on 1 to 8 devices, and the facts the tests check
charts.py    SVG charts, light and dark, of any results file
figures.py   the first post's pictures of the data, the fits and the loss
results.py   a results file as a post cites it (mkdocs-macros)
scale.py     how test and build time grow with the number of posts (`make scale`)
"""
