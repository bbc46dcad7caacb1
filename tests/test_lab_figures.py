"""lab/figures.py: the committed pictures are the ones the code draws."""

import re

from blog.project import ROOT
from lab import figures

NUMBER = re.compile(rb"-?\d+(?:\.\d+)?")
# A thousandth of a point: far below what a screen shows. The fitted lines come from float32
# sums, which another CPU or JAX series rounds differently in the last digit matplotlib writes.
CLOSE = 1e-3


def same_drawing(drawn: bytes, committed: bytes) -> bool:
    """The same SVG text, with every number in it within CLOSE of the committed one."""
    if NUMBER.sub(b"#", drawn) != NUMBER.sub(b"#", committed):
        return False
    pairs = zip(NUMBER.findall(drawn), NUMBER.findall(committed), strict=True)
    return all(abs(float(a) - float(b)) <= CLOSE for a, b in pairs)


def test_the_committed_pictures_are_the_ones_the_code_draws(tmp_path):
    for picture in figures.draw(tmp_path):
        committed = ROOT / "docs" / "figures" / picture.name
        assert same_drawing(picture.read_bytes(), committed.read_bytes()), (
            f"{committed} is stale: make build"
        )


def test_a_visible_change_is_not_the_same_drawing():
    line = b'<path d="M 51.373438 214.32 L 420.12 11.88"/><text>y = 1.70x + 2.47</text>'
    assert same_drawing(line.replace(b"214.32", b"214.3205"), line)  # the last digit
    assert not same_drawing(line.replace(b"214.32", b"214.42"), line)  # a tenth of a point
    assert not same_drawing(line.replace(b"1.70x", b"1.71x"), line)  # a label
    assert not same_drawing(line.replace(b"<path", b"<line"), line)
