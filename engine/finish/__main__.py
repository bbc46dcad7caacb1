"""``python -m engine.finish SITE``: the finishing steps over a site another builder wrote."""

from engine.finish import main

main()
