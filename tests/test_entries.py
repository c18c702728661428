"""Entries: shortcuts in how an entry's lines are measured agree with the general path they stand in for."""

from __future__ import annotations

import bisect

from hypothesis import given
from hypothesis import strategies as st

from listparse.entries import display_width, wrap_width
from listparse.read import Line


def general_wrap_width(lines: list[Line]) -> int:
    """wrap_width as it read before its shortcut: every printed line's display width measured."""
    printed = [text for line in lines if len(text := line.text.rstrip()) > 10 and len(text.lstrip()) > 10]
    lengths = sorted(map(display_width, printed))
    if len(lengths) < 5:
        return 0
    width = lengths[int(len(lengths) * 0.9)]
    near = bisect.bisect_right(lengths, width) - bisect.bisect_left(lengths, width - 12)
    return width if width <= 100 and near * 3 >= len(lengths) else 0


# Latin text, wide CJK and fullwidth characters, and white space, in lines around the 100-column limit.
LINE_TEXT = st.text(alphabet=st.sampled_from("ab .,\t\u00e9\u2014\u4e00\u3042\uff21\u00a0"), max_size=130)


@given(st.lists(LINE_TEXT, max_size=30))
def test_wrap_width_agrees_with_measuring_every_line(texts):
    """Ruling a text out by its lines' lengths gives the width measuring every line would."""
    lines = [Line(number, 0, text) for number, text in enumerate(texts, start=1)]
    assert wrap_width(lines) == general_wrap_width(lines)


@given(st.lists(st.integers(min_value=40, max_value=120), min_size=5, max_size=40), st.booleans())
def test_wrap_width_agrees_on_lines_of_chosen_lengths(lengths, wide):
    """Lines of lengths near the limit, some with wide characters, which can push a width past 100."""
    lines = [Line(number, 0, ("\u4e00" if wide and number % 3 == 0 else "a") * length)
             for number, length in enumerate(lengths, start=1)]
    assert wrap_width(lines) == general_wrap_width(lines)


def test_a_wrapped_text_is_still_found():
    """Paragraphs broken near column 72 give that width; unwrapped paragraphs give 0."""
    wrapped = [Line(number, 0, "word " * 14 + "end") for number in range(1, 11)]
    assert wrap_width(wrapped) == len("word " * 14 + "end")
    unwrapped = [Line(number, 0, "word " * 60) for number in range(1, 11)]
    assert wrap_width(unwrapped) == 0
