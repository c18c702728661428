"""Short lines every entry prints in the same place beside its title are the list's slots."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from listparse.read import Line, read_bytes
from listparse.slots import _entries_short_lines, _short_lines, _slots_of, find_slots

RANK_LINE_RE = re.compile(r"^\d+\. ")
NAMES = ["Greta Gerwig", "Bong Joon-ho", "Chantal Akerman", "Ursula K. Le Guin", "Agnès Varda", "Wong Kar-wai"]
PROSE = ["A slow, patient film about a woman alone in her flat, peeling potatoes and waiting for the evening.",
         "It was fine.", "Worth it.", "Read more", "Year: 2019", "Based on the novel by Naoko Takeuchi"]
# Lines a list may print beside every title, each filled in per entry.
SLOT_LINES = ["{name}", "*{channel}*", "{channel} {year}–", "{name} · {year} · 201 min", "{name}, {year}", "{year}",
              "## {name}", "- {price}", "© {name}", "{score}/10"]


@st.composite
def listicles(draw):
    """A text list's lines, with its title lines and the region of each entry."""
    slot_lines = draw(st.lists(st.sampled_from(SLOT_LINES), max_size=3))
    printed = ["The best films", ""]
    for rank in range(1, draw(st.integers(min_value=1, max_value=10)) + 1):
        before = draw(st.lists(st.sampled_from([*PROSE, ""]), max_size=2))
        printed += [*before, f"{rank}. {draw(st.sampled_from(['Jeanne Dielman', 'Lady Bird', 'Mother']))}"]
        for slot_line in slot_lines:
            if draw(st.integers(0, 4)):  # each in about 4 of 5 entries
                printed.append(slot_line.format(name=draw(st.sampled_from(NAMES)), year=draw(st.integers(1950, 2024)),
                                                channel=draw(st.sampled_from(["HBO", "Netflix", "BBC One"])),
                                                price=f"${draw(st.integers(1, 99))}", score=draw(st.integers(1, 10))))
            printed += draw(st.lists(st.sampled_from(["", "  ", "\t"]), max_size=1))
        printed += draw(st.lists(st.sampled_from([*PROSE, ""]), max_size=3))
    lines = read_bytes("\n".join(printed).encode(), "films.txt").lines
    titles = [index for index, line in enumerate(lines) if RANK_LINE_RE.match(line.text)]
    ends = [*titles[1:], len(lines)]
    starts = [max(title - draw(st.integers(0, 2)), previous_end if position else 0)
              for position, (title, previous_end) in enumerate(zip(titles, [0, *ends], strict=False))]
    return lines, titles, list(zip(starts, ends, strict=True))


def _every_entry(lines: list[Line], titles: list[int], regions: list[tuple[int, int]]) -> list[dict]:
    return [_short_lines(lines, title, region) for title, region in zip(titles, regions, strict=True)]


@settings(max_examples=150, deadline=None)
@given(listicles(), st.sampled_from([None, "film", "music"]))
def test_slots_are_those_of_every_entry_read(listicle, kind):
    """Giving up when too few entries print a short line finds the slots that reading them all does."""
    lines, titles, regions = listicle
    every = _every_entry(lines, titles, regions)
    assert find_slots(lines, titles, regions, kind) == _slots_of(every, kind)
    found = _entries_short_lines(lines, titles, regions)
    assert found is None or found == every
    if found is None:
        assert _slots_of(every, kind) == ([[] for _ in titles], [])


def test_a_line_under_every_title_is_a_slot():
    """`*HBO*` under each title is the list's network slot; prose beside it is not."""
    text = "Best series\n\n" + "".join(f"{rank}. Show {rank}\n*{network}*\n\nA long description of the show.\n\n"
                                      for rank, network in enumerate(["HBO", "Netflix", "BBC One"], 1))
    lines = read_bytes(text.encode(), "series.txt").lines
    titles = [index for index, line in enumerate(lines) if RANK_LINE_RE.match(line.text)]
    regions = list(zip(titles, [*titles[1:], len(lines)], strict=True))
    slots, reasons = find_slots(lines, titles, regions, "series")
    assert [[slot.text for slot in entry] for entry in slots] == [["HBO"], ["Netflix"], ["BBC One"]]
    assert reasons == ["slot 'network': a short line 1 line(s) after the title in 3 of 3 entries "
                       "(names of channels and services)"]
