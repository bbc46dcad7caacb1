"""lab/figures.py: the committed pictures are the ones the code draws."""

from blog.project import ROOT
from lab import figures


def test_the_committed_pictures_are_the_ones_the_code_draws(tmp_path):
    for picture in figures.draw(tmp_path):
        committed = ROOT / "docs" / "figures" / picture.name
        assert committed.read_bytes() == picture.read_bytes(), f"{committed} is stale: make build"
