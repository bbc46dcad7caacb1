"""``python -m blog.finish SITE``: the finishing steps over a site another builder wrote."""

from blog.finish import main

main()
