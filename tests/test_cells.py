"""Plain text and cells of entry heads: the fast spellings match what they stand for."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from listparse.cells import CELL_SEP_RE, YEAR_INSIDE_RE, Cell

# What CELL_SEP_RE stands for, spelled the plain way: one alternative for each kind of separator.
CELL_SEP_SPELLED_OUT = re.compile(r"\s+(?:--|[-–—|·•/])\s+|\s*[,;:]\s+|\s+by\s+|\s+@\s+")
# Pieces that meet the separators' edge cases: kinds and runs of white space, marks side by side, "by" in words.
SEPARATOR_PIECES = [" ", "  ", "\t", "\u00a0", "\n", "-", "--", "–", "—", "|", "·", "•", "/", ",", ";", ":", "@",
                    "by", "b", "y", "x", "é", "1"]


@given(st.lists(st.sampled_from(SEPARATOR_PIECES), max_size=14).map("".join), st.data())
def test_cell_separators_match_as_spelled_out(text, data):
    """Within any window of any text, the separators found are the spelled-out pattern's, at the same places."""
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    found = [(match.span(), match.group()) for match in CELL_SEP_RE.finditer(text, start, end)]
    assert found == [(match.span(), match.group()) for match in CELL_SEP_SPELLED_OUT.finditer(text, start, end)]


@given(st.text(alphabet=st.sampled_from(["1", "2", "0", "8", "9", "-", " ", "x", "٢", "A"]), max_size=12))
def test_a_year_inside_needs_a_one_or_twenty(text):
    """shape_of looks for a year inside a text only when it prints "1" or "20": no year is found without."""
    if "1" not in text and "20" not in text:
        assert YEAR_INSIDE_RE.search(text) is None


@given(st.sampled_from(["colon", "dash"]), st.text(max_size=6), st.sampled_from(["text", "year"]),
       st.integers(0, 9), st.integers(0, 9))
def test_cells_compare_and_hash_by_their_fields(sep, text, shape, start, text_start):
    """A Cell is equal to, and hashes as, any cell of the same fields (as the frozen dataclass did)."""
    cell, twin = Cell(sep, text, shape, start, text_start), Cell(sep, text, shape, start, text_start)
    assert cell == twin and hash(cell) == hash(twin)
    assert cell != Cell(sep, text + "x", shape, start, text_start)
