"""lab/figures.py: the posts' pictures are drawn from the code the posts show, and current."""

from pathlib import Path

from engine.config import ROOT
from lab import figures


def test_the_committed_pictures_are_current(tmp_path):
    for picture in figures.draw(tmp_path):
        committed = ROOT / "docs" / "figures" / Path(picture).name
        assert committed.read_bytes() == Path(picture).read_bytes(), (
            f"{committed}: stale, run make build"
        )
