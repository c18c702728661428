"""Plain text and cells of entry heads: the fast spellings match what they stand for."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from listparse.cells import CELL_SEP_RE

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
