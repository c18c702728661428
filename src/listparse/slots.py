"""Short lines every entry prints in the same place beside its title: the list's data in lines of their own.

`<h6>Artist</h6><h4>Album</h4>`, `## 3. Title` then `*HBO*`, `<h2>Film (1957)</h2><h3>DIRECTOR</h3>`:
a short line (a name, a network, a year, a price, a rating) that most entries print at the same
place relative to their title, in the same dress, with values that differ from entry to entry, is a
column of the list, not part of any description. Like the template of the head lines, slots are found
from all the entries together, never from one.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Final

from .cells import is_name, shape_of
from .labels import CREATOR_ROLE, NETWORKS, STREAMING_SERVICES
from .metadata import read_line
from .ranks import match_rank_line
from .read import Line
from .titles import clean_markup

HEADING_RE: Final = re.compile(r"^\s{0,3}(#{1,6})\s+")
BULLET_RE: Final = re.compile(r"^\s*[-*•+]\s+")
PART_SEPARATOR_RE: Final = re.compile(r"\s+[·•|]\s+")  # "Chantal Akerman · 1975 · 201 min"
TRAILING_YEARS_RE: Final = re.compile(  # "HBO 2019–"
    r"\s(?P<years>(?:1[89]|20)\d\d(?:\s?[–-]\s?(?:(?:1[89]|20)\d\d)?)?)$")
NAME_AND_YEAR_RE: Final = re.compile(  # "Ursula K. Le Guin, 1969"
    r"^(?P<name>[^,]{3,60}),\s*(?P<year>1[89]\d\d|20\d\d)$")
BULLETS: Final = ("-", "*", "•", "+")  # what BULLET_RE finds first on a stripped line
SENTENCE_END: Final = (".", "!", "?", ":", "…")
MAX_SLOT_LINE: Final = 60
MAX_SLOT_WORDS: Final = 8
REACH: Final = 4  # lines before and after the title a slot may be
CHANNELS: Final = frozenset(name.lower() for name in (*STREAMING_SERVICES, *NETWORKS))


@dataclass(frozen=True, slots=True)
class SlotLine:
    """One short line beside an entry's title, in a slot of the list: its label, text and line."""

    label: str
    text: str
    index: int  # in Text.lines
    shape: str
    role: str = "creator"  # who a name in it is, by what the list ranks
    part_labels: tuple[str, ...] = ()  # for "A · B · C" lines: the label of each part, agreed by the slot


def find_slots(lines: list[Line], titles: list[int], regions: list[tuple[int, int]],
               kind: str | None) -> tuple[list[list[SlotLine]], list[str]]:
    """The slot lines of each entry (titles: each entry's title line; regions: the lines it spans), and
    the reasons for each slot found."""
    per_entry = _entries_short_lines(lines, titles, regions)
    if per_entry is None:  # most lists
        return [[] for _ in titles], []
    return _slots_of(per_entry, kind)


def _needed(total: int) -> int:
    """How many of `total` entries must print a short line in the same place for it to be a slot."""
    return max(2, math.ceil(0.6 * total))


def _entries_short_lines(lines: list[Line], titles: list[int],
                         regions: list[tuple[int, int]]) -> list[dict[tuple, tuple[int, str]]] | None:
    """The short lines near each title (see `_short_lines`); None as soon as too few entries are left
    with any for a slot to be found."""
    spare = len(titles) - _needed(len(titles))  # entries that may lack short lines
    if spare < 0:
        return None
    per_entry = []
    for title, region in zip(titles, regions, strict=True):
        found = _short_lines(lines, title, region)
        if not found:
            spare -= 1
            if spare < 0:
                return None
        per_entry.append(found)
    return per_entry


def _slots_of(per_entry: list[dict[tuple, tuple[int, str]]], kind: str | None) -> tuple[list[list[SlotLine]],
                                                                                       list[str]]:
    """The slot lines of each entry, from the short lines near their titles, and the reasons."""
    total = len(per_entry)
    counts = Counter(key for found in per_entry for key in found)
    reasons: list[str] = []
    slots: list[list[SlotLine]] = [[] for _ in per_entry]
    for key, support in sorted(counts.items()):
        if total < 2 or support < _needed(total):
            continue
        values = [found[key][1] for found in per_entry if key in found]
        if len(set(values)) < max(2, len(values) // 2):
            continue  # the same words under every entry: "Read more", a credit line
        label, why = _label(values, kind)
        where = f"{abs(key[0])} line(s) {'before' if key[0] < 0 else 'after'} the title"
        reasons.append(f"slot {label!r}: a short line {where} in {support} of {total} entries ({why})")
        role = CREATOR_ROLE.get(kind or "", "creator")
        agreed = _agreed_part_labels(values, role) if label == "credits" else ()
        for entry, found in enumerate(per_entry):
            if key in found:
                index, text = found[key]
                slots[entry].append(SlotLine(label, text, index, shape_of(text), role, agreed))
    return slots, reasons


def _short_lines(lines: list[Line], title: int, region: tuple[int, int]) -> dict[tuple, tuple[int, str]]:
    """The short lines near a title, keyed by (position relative to the title, dress)."""
    found: dict[tuple, tuple[int, str]] = {}
    start, end = region
    if start < title:  # most entries begin at their title: no line before it to look at
        _add_short_lines(found, lines, range(title - 1, max(start, title - 12) - 1, -1), lines[title].group, -1)
    _add_short_lines(found, lines, range(title + 1, min(end, title + 16)), None, 1)
    return found


def _add_short_lines(found: dict[tuple, tuple[int, str]], lines: list[Line], indices: range, group: int | None,
                     step: int) -> None:
    """Add to `found` the short ones of the first `REACH` of `indices` whose lines are not blank (and in
    `group`, when there is one), each the `step`th, 2×`step`th… line from the title."""
    position = 0
    for index in indices:
        line = lines[index]
        raw = line.text
        if raw and not raw.isspace() and (group is None or line.group == group):
            position += step
            text = _short(line)
            if text:
                heading = HEADING_RE.match(raw)
                dress = (len(heading.group(1)) if heading else 0, bool(BULLET_RE.match(raw)))
                found[(position, dress)] = (index, text)
            if position == REACH * step:
                break


def _short(line: Line) -> str:
    """The text of a line short enough to be a datum, or "" (prose, a field line, a rank, a link)."""
    raw = line.text
    stripped = raw.strip()
    # A field line is asked about first: its fields are read (and remembered) for the entry's block anyway.
    if not stripped or len(stripped) > MAX_SLOT_LINE + 20 or read_line(line.number, line.start, raw):
        return ""
    text = HEADING_RE.sub("", stripped) if stripped.startswith("#") else stripped
    text = clean_markup(BULLET_RE.sub("", text) if text.startswith(BULLETS) else text)
    if not text or len(text) > MAX_SLOT_LINE or len(text.split()) > MAX_SLOT_WORDS:
        return ""
    if text.endswith(SENTENCE_END) and shape_of(text) not in ("name", "year"):
        return ""
    if not any(ch.isalnum() for ch in text) or match_rank_line(raw):
        return ""
    return text


def parts_of(slot: SlotLine) -> list[tuple[str, str]]:
    """The (label, text) data of one slot line: "Chantal Akerman · 1975 · 201 min" is a director, a year
    and a runtime; "Ursula K. Le Guin, 1969" a creator and a year."""
    pieces = PART_SEPARATOR_RE.split(slot.text)
    if len(pieces) > 1:
        labels = [slot.part_labels[position] if position < len(slot.part_labels) else
                  _part_label(piece, slot.role) for position, piece in enumerate(pieces)]
        return [(label, piece) for label, piece in zip(labels, pieces, strict=True) if piece]
    if slot.label == "credit":
        name, _, year = slot.text.rpartition(",")
        return [(slot.role, name.strip()), ("year", year.strip())]
    years = TRAILING_YEARS_RE.search(slot.text)
    if years and slot.label in ("network", "details") and years.start() > 0:
        rest = slot.text[:years.start()]  # two spans run together: "NBC 2013–2015"
        return [("network" if rest.lower() in CHANNELS else slot.label, rest), ("years", years.group("years"))]
    return [(slot.label, slot.text)]


def _channel(value: str) -> bool:
    """A network or service, alone or with its years ("NBC 2013–2015")."""
    years = TRAILING_YEARS_RE.search(value)
    return (value[:years.start()] if years else value).lower() in CHANNELS


def _agreed_part_labels(values: list[str], role: str) -> tuple[str, ...]:
    """The label of each part position, as most of the slot's lines have it ("Beyoncé" is an artist too,
    when the other lines print an artist's full name there)."""
    columns: dict[int, Counter] = {}
    for value in values:
        for position, piece in enumerate(PART_SEPARATOR_RE.split(value)):
            columns.setdefault(position, Counter())[_part_label(piece, role)] += 1
    agreed = []
    for position in range(len(columns)):
        named = [(count, label) for label, count in columns[position].items() if label != "details"]
        agreed.append(max(named)[1] if named else "details")
    return tuple(agreed)


def _part_label(piece: str, role: str) -> str:
    shape = shape_of(piece)
    if shape.startswith("count:") and shape[6:] in ("min", "minute", "h", "hr", "hour"):
        return "runtime"
    simple = {"year": "year", "score": "rating", "stars": "rating", "price": "price", "name": role,
              "code": "location", "percent": "share"}
    if piece.lower() in CHANNELS:
        return "network"
    return simple.get(shape, "details")


def _label(values: list[str], kind: str | None) -> tuple[str, str]:
    """What a slot holds, judged by its values together."""
    if sum(bool(NAME_AND_YEAR_RE.match(value)) for value in values) * 10 >= 7 * len(values):
        return "credit", "a name and a year"
    if sum(bool(PART_SEPARATOR_RE.search(value)) for value in values) * 10 >= 7 * len(values):
        return "credits", "data separated by '·' or '|'"
    if sum(_channel(value) for value in values) * 10 >= 6 * len(values):
        return "network", "names of channels and services"
    shapes = Counter(shape_of(value) for value in values)
    shape, count = shapes.most_common(1)[0]
    if count * 10 >= 7 * len(values):
        simple = {"year": "year", "score": "rating", "stars": "rating", "price": "price", "code": "location",
                  "percent": "share"}
        if shape in simple:
            return simple[shape], f"{shape} values"
    if sum(is_name(value) for value in values) * 2 >= len(values) and (kind in CREATOR_ROLE or sum(
            is_name(value) for value in values) * 10 >= 7 * len(values)):
        role = CREATOR_ROLE.get(kind or "", "name")
        return role, f"names of people beside {kind or 'the'} titles"
    if all(value.startswith(("©", "(c)", "Foto", "Photo", "Bild", "Image")) for value in values):
        return "photo credit", "credits of pictures"
    return "details", "short lines that differ from entry to entry"
