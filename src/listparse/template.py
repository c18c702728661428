"""The template a list's entries share: which cells beside the name are columns, and which side is the name.

Entries of one list are printed alike. `CIVILIZATION (Microprose/Sid Mier) - 873 points`,
`LEMMINGS (Pysgnosis/DMA Design) - 562 points`: every entry ends in a count of points
after a dash, and before it a parenthesis; what varies like a name is the title. So the
template is inferred from all the entries together, never line by line: a cell is a column
when entries print a cell of the same separator and shape in the same position (counted
from the end), data (years, counts with their unit, scores, prices, codes) on fewer entries
than text needs. A text column is kept only with a reason: the entries are records (they
have data columns too), the cells are names of people beside works, or values that repeat.

Then the head: `Artist – Album` or `Album – Artist`? A separator printed in most heads
splits them when a signal says which side is the work: one side emphasised or quoted, one
side repeating within the list, the headline's noun (albums are printed after their
artist), or only one side shaped like a person's name. Every decision is recorded.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Final

from .cells import NAME_WORD_RE, Cell, Plain, cell_before, content_end, is_name, reads_as_prose, shape_of, start_of
from .labels import CREATOR_ROLE, HEADLINE_NOUNS, PLATFORM_CODES, STREAMING_SERVICES

DATA_SHAPES: Final = ("year", "percent", "score", "stars", "price", "number")
LEAD_SEPARATORS: Final = (" – ", " — ", " - ", " by ")
SERVICES: Final = frozenset(service.lower() for service in STREAMING_SERVICES)
WORD_RE: Final = re.compile(r"[^\W\d_]+")
MAX_COLUMNS: Final = 6
NAME_JOINERS: Final = frozenset({"and", "&", "und", "y", "e", "et"})
INITIAL_RE: Final = re.compile(r"^(?:[A-Z]\.){1,3}$")  # "R.", "J.K."
# Separators a text column may look past other separators for, and those it may not swallow.
SEARCHED: Final = {"colon": (": ",), "dash": (": ", " - ", " – ", " — "), "pipe": (": ", " | ")}


@dataclass(frozen=True, slots=True)
class Column:
    """A cell most entries print in the same place: its separator, shape, label and how many print it."""

    sep: str
    shape: str
    label: str
    support: int


@dataclass(frozen=True, slots=True)
class LeadSplit:
    """A separator most heads print, which side of it is the title, and what the other side is."""

    sep: str
    title_side: str  # "left" or "right"
    label: str
    support: int


@dataclass(slots=True)
class Template:
    """What a list's entry heads have in common, and why it was read that way."""

    columns: list[Column] = field(default_factory=list)  # from the end inwards
    lead: LeadSplit | None = None
    reasons: list[str] = field(default_factory=list)


@dataclass(slots=True)
class EntrySplit:
    """One head split by the template: the title's plain range, and the extras as
    (label, text, plain start, plain end, shape). Its `__init__` is written out, as `read.Line`'s is."""

    start: int
    end: int
    extras: list[tuple[str, str, int, int, str]] = field(default_factory=list)
    rest: tuple[int, int] | None = None  # what the head prints after its creator's name: the entry's own

    def __init__(self, start: int, end: int, extras: list[tuple[str, str, int, int, str]] | None = None,
                 rest: tuple[int, int] | None = None) -> None:
        self.start = start
        self.end = end
        self.extras = [] if extras is None else extras
        self.rest = rest


def headline_kind(headline: str | None) -> str | None:
    """What the headline says the list ranks: "music", "book", "film", "game", "series", or None."""
    if not headline:
        return None
    kinds = [HEADLINE_NOUNS[word] for word in WORD_RE.findall(headline.lower()) if word in HEADLINE_NOUNS]
    return kinds[0] if kinds else None


def infer_template(heads: list[Plain], kind: str | None = None) -> Template:
    """The columns and lead split that the entry heads of one list share."""
    template = Template()
    if len(heads) < 2:
        return template
    if all(head.text == heads[0].text for head in heads):
        # Columns and splits are what varies least beside what varies like a name: alike heads show neither.
        template.reasons.append("every entry prints the same head: no cell of it is told apart from the name")
        return template
    template.columns = _columns(heads, kind, template.reasons)
    remaining = ([head.text[:_head_end(head, _consume(head, template.columns))] for head in heads]
                 if template.columns else [head.text for head in heads])
    template.lead = _lead_split(heads, remaining, kind, template.reasons)
    return template


def split_entry(head: Plain, template: Template) -> EntrySplit:
    """Split one head by its list's template."""
    if not template.columns and template.lead is None:  # most lists: the whole head is the title
        return EntrySplit(0, len(head.text))
    return _split_by(head, template)


def _split_by(head: Plain, template: Template) -> EntrySplit:
    """Split one head by the columns and lead split of its template."""
    consumed = _consume(head, template.columns)
    end = _head_end(head, consumed)
    split = EntrySplit(0, end, [(column.label, cell.text, cell.text_start, _cell_end(cell), column.shape)
                                for column, cell in reversed(consumed)])
    lead = template.lead
    if lead is not None:
        position = head.text.find(lead.sep, 0, end)
        if position < 0 and lead.sep == " by ":
            return _comma_credit(head, split, end, lead.label)  # "Title, Author" in a "Title by Author" list
        if position > 0:
            left, right = (0, position), (position + len(lead.sep), end)
            if lead.sep == " by ":
                name = name_prefix(head.text[right[0]:end])
                right = (right[0], right[0] + len(name))
                split.rest = (right[1], end)
            title, other = (left, right) if lead.title_side == "left" else (right, left)
            split.start, split.end = title
            split.extras.insert(0, (lead.label, head.text[other[0]:other[1]].strip(), *other, "name"))
    return split


def _columns(heads: list[Plain], kind: str | None, reasons: list[str]) -> list[Column]:
    """Columns read from the end inwards, while the entries agree on the next cell."""
    total = len(heads)
    ends = [content_end(head) for head in heads]
    columns: list[Column] = []
    pending: list[int] = []  # text columns that only a data column can justify
    for _ in range(MAX_COLUMNS):
        waiting = [cell for head, end in zip(heads, ends, strict=True) if (cell := cell_before(head, end))]
        best: tuple[int, Column, list[tuple[int, Cell]]] | None = None
        for (sep, shape), count in Counter(_signature(cell) for cell in waiting).most_common():
            # A column must beat the best so far and be printed by enough entries.
            least = max(_needed(shape, total), best[0] + 1 if best else 0)
            if _most_filling(sep, shape, count, total) < least:
                continue
            if shape == "*":  # text-like cells: the column is of the shape most of them have
                shape = Counter(cell.shape for cell in waiting if _fits(cell, sep, shape)).most_common(1)[0][0]
            column = Column(sep, shape, "", 0)
            taken = _taken(heads, ends, column, least)
            if taken is not None:
                best = (len(taken), column, taken)
        if best is None:
            break
        _, column, taken = best
        sep, shape = column.sep, column.shape
        if shape == "prose":
            reasons.append(f"not a column: {_describe(sep, shape)} (a description)")
            break
        label, reason = _label(sep, shape, [cell.text for _, cell in taken], kind)
        described = f"{_describe(sep, shape)} in {len(taken)} of {total} entries"
        if label is None:
            pending.append(len(columns))
            label = "summary" if sep == "colon" else "details"
            reasons.append(f"column {label!r}? {described}: kept only if data columns stand beside it")
        else:
            reasons.append(f"column {label!r}: {described} ({reason})")
        columns.append(Column(sep, shape, label, len(taken)))
        for position, cell in taken:
            ends[position] = start_of(heads[position], cell)
    return _justified(columns, pending, reasons)


def _most_filling(sep: str, shape: str, count: int, total: int) -> int:
    """How many heads could fill the column of a signature that `count` of the `total` next cells have: only
    those, unless a text column may look past weaker separators for its own."""
    return total if shape == "*" and sep in SEARCHED else count


def _taken(heads: list[Plain], ends: list[int], column: Column, least: int) -> list[tuple[int, Cell]] | None:
    """The (position, cell) of each head, ending at its end, that fills the column and leaves a name before
    it; None as soon as fewer than `least` heads could."""
    taken: list[tuple[int, Cell]] = []
    spare = len(heads) - least  # heads that may fail before `least` is out of reach
    if spare < 0:
        return None
    for position, head in enumerate(heads):
        cell = _cell_for(head, ends[position], column)
        if cell and _leaves_a_name(head, cell):
            taken.append((position, cell))
        else:
            spare -= 1
            if spare < 0:
                return None
    return taken


def _justified(columns: list[Column], pending: list[int], reasons: list[str]) -> list[Column]:
    """Keep the text columns that data columns justify: a tail after a colon when data comes before it
    (`(N Follower): tip`), other text when the entries hold data anywhere; cut at the first that is not."""
    anchors = [position for position, column in enumerate(columns) if _is_data(column.shape)
               or column.shape == "code"]
    for position in pending:
        column = columns[position]
        inward = any(anchor > position for anchor in anchors)
        if inward or (anchors and column.sep != "colon"):
            reasons.append(f"column {column.label!r} kept: the entries are records, with data beside it "
                           f"({', '.join(repr(columns[anchor].label) for anchor in anchors)})")
            continue
        reasons.append(f"columns from {column.label!r} inwards dropped: "
                       + ("a colon before data is a subtitle, part of the name" if anchors else
                          "text cells with no data column beside them are part of the name"))
        return columns[:position]
    return columns


def _leaves_a_name(head: Plain, cell: Cell) -> bool:
    """Whether a name is left before the cell: "2001: A Space Odyssey 2001" cut after its colon would leave
    the title a bare number, and the words a year ("1899 (1 Season)" is a name and a count)."""
    if cell.sep != "colon" or not any(ch.isalpha() for ch in cell.text):
        return True
    return not head.text[:cell.start].strip(" :").replace(" ", "").isdigit()


def _cell_for(head: Plain, end: int, column: Column) -> Cell | None:
    """The cell of one head, ending at `end`, that fills a column; a colon or dash column looks past
    weaker separators (`: a tip, with a comma`) for its own."""
    cell = cell_before(head, end)
    if cell is not None and _fits(cell, column.sep, column.shape):
        return cell
    if _is_data(column.shape) or column.sep not in SEARCHED:
        return None
    cell = cell_before(head, end, column.sep)
    if cell is None or _is_data(cell.shape) or any(ch in cell.text for ch in "()[]"):
        return None
    if any(sep in cell.text for sep in SEARCHED[column.sep]):
        return None  # it would swallow a separator as strong as its own
    return cell


def _signature(cell: Cell) -> tuple[str, str]:
    """What entries must share for their cells to make one column: the separator, and the shape of data."""
    return cell.signature if _is_data(cell.shape) else (cell.sep, "*")


def _is_data(shape: str) -> bool:
    return shape in DATA_SHAPES or shape.startswith("count:")


def _needed(shape: str, total: int) -> int:
    """How many entries must print a cell of this shape for it to be a column."""
    if _is_data(shape):
        return max(2, math.ceil(0.3 * total))
    return max(2, math.ceil(0.7 * total))


def _label(sep: str, shape: str, values: list[str], kind: str | None) -> tuple[str | None, str]:
    """The label of a column, and why it is one; None when a text column has no reason to be one."""
    if shape.startswith("count:"):
        unit = values[0].split()[-1] if values[0].split() else shape[6:]
        return unit.strip("."), f"a count of {unit}"
    simple = {"year": "year", "percent": "share", "score": "rating", "stars": "rating", "price": "price",
              "number": "number"}
    if shape in simple:
        return simple[shape], f"{shape} values"
    lowered = {value.lower() for value in values}
    if lowered <= SERVICES:
        return "streaming", "streaming services"
    if shape == "code":
        return ("platform" if {value.upper() for value in values} <= PLATFORM_CODES else "location"), "short codes"
    if sep == "by":
        return CREATOR_ROLE.get(kind or "", "creator"), "printed after 'by'"
    repeated = len(lowered) <= 0.6 * len(values)
    if repeated and sep in ("dash", "pipe", "at", "bracket"):
        return "location" if all(len(value.split()) <= 3 for value in values) else "details", "values that repeat"
    if sep in ("paren", "bracket"):
        if sum(is_name(value) for value in values) >= 0.7 * len(values) and kind in CREATOR_ROLE:
            return CREATOR_ROLE[kind], f"names of people in parentheses beside {kind} titles"
        if sum("/" in value or "&" in value for value in values) >= 0.5 * len(values):
            return "credits", "names joined by '/' or '&' in parentheses beside most names"
        return "alternative title", "another name in parentheses beside most names"
    return None, ""


def _fits(cell: Cell, sep: str, shape: str) -> bool:
    """A cell fills a column: same separator, and the same shape when the column holds data."""
    if cell.sep != sep:
        return False
    if _is_data(shape):
        return cell.shape == shape
    return not _is_data(cell.shape)


def name_prefix(text: str) -> str:
    """The person's name a text starts with ("R. F. Kuang - 5/5. Dark academia" → "R. F. Kuang")."""
    words: list[str] = []
    for word in text.split():
        bare = word.rstrip(",;:.")
        if words and word in NAME_JOINERS and words[-1] not in NAME_JOINERS:
            words.append(word)  # "Amal El-Mohtar and Max Gladstone"
            continue
        if not (NAME_WORD_RE.match(bare) or INITIAL_RE.match(word)) or len(words) == 8:
            break
        words.append(word if INITIAL_RE.match(word) else bare)
        if bare != word and not INITIAL_RE.match(word):
            break
    while words and (not words[-1][:1].isupper() or words[-1] in NAME_JOINERS):
        words.pop()
    return " ".join(words)


def _comma_credit(head: Plain, split: EntrySplit, end: int, label: str) -> EntrySplit:
    """`Spinning Silver, Naomi Novik (2018)`: a head that names its creator after a comma, not "by"."""
    text = head.text[:end]
    stop = end
    year = None
    if text.endswith(")") and (opener := text.rfind(" (")) > 0 and shape_of(text[opener + 2:-1]) == "year":
        year, stop = (opener + 2, end - 1), opener
    position = text.rfind(", ", 0, stop)
    if position <= 0 or not is_name(text[position + 2:stop].strip()):
        return split
    split.start, split.end = 0, position
    split.extras.insert(0, (label, text[position + 2:stop].strip(), position + 2, stop, "name"))
    if year:
        split.extras.append(("year", text[year[0]:year[1]], *year, "year"))
    return split


def _consume(head: Plain, columns: list[Column]) -> list[tuple[Column, Cell]]:
    """The cells of one head that fill the template's columns, from the end inwards; the innermost text
    cell reaches back to the first of its separators."""
    consumed = []
    end = content_end(head)
    for column in columns:
        cell = _cell_for(head, end, column)
        if cell is not None:
            consumed.append((column, cell))
            end = start_of(head, cell)
    if consumed:
        consumed[-1] = (consumed[-1][0], _widened(head, consumed[-1][1]))
    return consumed


def _head_end(head: Plain, consumed: list[tuple[Column, Cell]]) -> int:
    if not consumed:
        return len(head.text)
    end = consumed[-1][1].start
    while end > 0 and head.text[end - 1] in " -–—|,:;":
        end -= 1
    return end if end > 0 else len(head.text)


def _widened(head: Plain, cell: Cell) -> Cell:
    """The innermost text cell reaches back to the first of its separators: in
    `Name, role, agency (data)` the name ends at the first comma."""
    if _is_data(cell.shape):
        return cell
    printed = {"comma": ", ", "pipe": " | "}.get(cell.sep)
    first = head.text.find(printed, 1, cell.start) if printed else -1
    if printed is None or first <= 0:
        return cell
    text_start = first + len(printed)
    return Cell(cell.sep, head.text[text_start:cell.text_start + len(cell.text)], cell.shape, first, text_start)


def _cell_end(cell: Cell) -> int:
    end = cell.text_start + len(cell.text)
    return end + 1 if cell.sep in ("paren", "bracket") else end


def _lead_split(heads: list[Plain], remaining: list[str], kind: str | None, reasons: list[str]) -> LeadSplit | None:
    total = len(heads)
    needed = max(2, math.ceil(0.7 * total))
    every_head = "\n".join(remaining)  # a separator printed fewer times in all of them is in fewer heads
    for sep in LEAD_SEPARATORS:
        if every_head.count(sep) < needed:
            continue
        holding = [position for position, text in enumerate(remaining) if text.find(sep) > 0]
        if len(holding) < needed:
            continue
        sides = [(remaining[position][:remaining[position].find(sep)].strip(),
                  remaining[position][remaining[position].find(sep) + len(sep):].strip(), position)
                 for position in holding]
        if sep == " by ":  # the creator is the name right after "by"; what follows it is the entry's own
            sides = [(left, name_prefix(right), position) for left, right, position in sides]
        if sum(1 for left, right, _ in sides if _short(left) and _short(right)) < 0.7 * len(sides):
            reasons.append(f"'{sep.strip()}' in {len(holding)} of {total} heads, before a description: "
                           "not a column")
            continue
        decision = _work_side(sides, heads, sep, kind)
        if decision is None:
            reasons.append(f"'{sep.strip()}' in {len(holding)} of {total} heads, but nothing says which side "
                           "is the title: kept whole")
            continue
        side, label, why = decision
        reasons.append(f"'{sep.strip()}' in {len(holding)} of {total} heads: the {side} side is the title, "
                       f"the other {label!r} ({why})")
        return LeadSplit(sep, side, label, len(holding))
    return None


def _short(text: str) -> bool:
    """Short enough to be a name or a credit, not a description."""
    return 0 < len(text.split()) <= 8 and not reads_as_prose(text)


def _work_side(sides: list[tuple[str, str, int]], heads: list[Plain], sep: str,
               kind: str | None) -> tuple[str, str, str] | None:
    """Which side of `A – B` is the work, the label of the other side, and why; None when unsure."""
    role = CREATOR_ROLE.get(kind or "", "creator")
    if sep == " by ":
        return "left", role, "printed 'Title by Creator'"
    marked_left = marked_right = 0
    for _left, _right, position in sides:
        head = heads[position]
        cut = head.text.find(sep)
        marked_left += head.marked(0, cut) is not None
        marked_right += head.marked(cut + len(sep), len(head.text)) is not None
    count = len(sides)
    if marked_right >= 0.6 * count and marked_left <= 0.2 * count:
        return "right", role, "the right side is emphasised, quoted or linked"
    if marked_left >= 0.6 * count and marked_right <= 0.2 * count:
        return "left", role, "the left side is emphasised, quoted or linked"
    lefts = Counter(left.lower() for left, _, _ in sides)
    rights = Counter(right.lower() for _, right, _ in sides)
    if max(lefts.values()) > 1 and max(rights.values()) == 1:
        return "right", role, "the left side repeats within the list"
    if max(rights.values()) > 1 and max(lefts.values()) == 1:
        return "left", role, "the right side repeats within the list"
    named_left = sum(is_name(left) for left, _, _ in sides) / count
    named_right = sum(is_name(right) for _, right, _ in sides) / count
    if kind == "music" and named_right < 0.7:
        return "right", "artist", "the headline ranks music, printed 'Artist – Title'"
    if kind in CREATOR_ROLE and named_left >= 0.7 and named_right <= 0.3:
        return "right", role, "only the left side is shaped like people's names"
    if kind in CREATOR_ROLE and named_right >= 0.7 and named_left <= 0.3:
        return "left", role, "only the right side is shaped like people's names"
    return None


def _describe(sep: str, shape: str) -> str:
    where = {"paren": "in parentheses", "bracket": "in brackets", "dash": "after a dash", "comma": "after a comma",
             "colon": "after a colon", "pipe": "after a bar", "slash": "after a slash", "by": "after 'by'",
             "at": "after '@'"}[sep]
    what = f"a count of {shape[6:]}" if shape.startswith("count:") else shape
    return f"{what} {where}"
