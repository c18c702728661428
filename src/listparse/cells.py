"""One entry's head line → plain text and the cells printed after the name.

`[Ramen Ishida - NY](u){:target="_blank"}, 10/10, `$$`` reads as the plain
text `Ramen Ishida - NY, 10/10, $$` (each plain character remembering where
it was printed) whose trailing cells are ` - NY`, `, 10/10` and `, $$`; the
link is noted as a mark, as are emphasis and quotes. Each cell gets a
*shape* (a year, a count with its unit, a score, a price, a short code, a
name, text) so that `template` can compare the cells of all the entries of a
list and decide which of them are columns.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Final

from .titles import EMPHASIS_RE, ESCAPE_RE, HTML_TAG_RE, IAL_RE, LINK_RE, WIKI_LINK_RE

DROPPED: Final = "\x00"
MARKUP_RE: Final = re.compile(r"[{<\[\\`*_\x00]")  # what plain_text drops, or may (and DROPPED, which it drops too)
KEPT_RUN_RE: Final = re.compile(r"[^\x00]+")
WIDE_BRACKETS: Final = str.maketrans({"（": "(", "）": ")", "［": "[", "］": "]"})  # read as ASCII ones; offsets stay
CODE_TICK_RE: Final = re.compile(r"`+")
QUOTE_PAIRS: Final = {'"': '"', "“": "”", "„": "“", "«": "»", "»": "«", "‘": "’", "「": "」", "『": "』", "《": "》"}
QUOTE_RE: Final = re.compile(f"[{''.join(QUOTE_PAIRS)}]")  # an opening quote
# The separators that open a cell after the name: `\s+(?:--|[-–—|·•/])\s+|\s*[,;:]\s+|\s+by\s+|\s+@\s+`, spelled
# to open with the characters a separator can start with (white space, or a comma or colon with none before it),
# which lets the engine skip straight to the next of them instead of trying every branch at every character.
CELL_SEP_RE: Final = re.compile(r"[\s,;:](?:(?<=\s)\s*(?:--|[-–—|·•/,;:@]|by)|(?<=[,;:]))\s+")
# What each separator prints beside its spaces, and its kind.
SEPARATOR_KINDS: Final = {"-": "dash", "–": "dash", "—": "dash", "--": "dash", "|": "pipe", "·": "pipe", "•": "pipe",
                          "/": "slash", ",": "comma", ";": "comma", ":": "colon", "by": "by", "@": "at"}
# A head that prints none of these holds no such cell, and looking costs a fraction of a CELL_SEP_RE scan.
SEPARATOR_MARK_RE: Final = re.compile(f"[{re.escape(''.join(m for m in SEPARATOR_KINDS if len(m) == 1))}]|by")
SEPARATOR_MARK_OF: Final = {
    kind: re.compile("|".join(re.escape(mark) for mark, of in SEPARATOR_KINDS.items() if of == kind))
    for kind in set(SEPARATOR_KINDS.values())}
MAX_CELL: Final = 80
YEAR_SHAPE_RE: Final = re.compile(r"^(?:1[89]\d\d|20\d\d)$")
YEAR_INSIDE_RE: Final = re.compile(r"(?<![\d-])(?:1[89]\d\d|20\d\d)(?![\d-])")  # never without a "1" or "20"
COUNT_SHAPE_RE: Final = re.compile(r"^(?P<number>\d[\d.,  ]*\d|\d)\s*(?P<unit>[^\W\d_][\w.-]{0,20})$")
NUMBER_SHAPE_RE: Final = re.compile(r"^[-+]?\d[\d.,  ]*$")
PERCENT_SHAPE_RE: Final = re.compile(r"^\d+(?:[.,]\d+)?\s*%$")
SCORE_SHAPE_RE: Final = re.compile(r"^\d+(?:[.,]\d+)?\s*(?:/|out of|von|de|sur|su)\s*\d+(?:[.,]\d+)?$", re.IGNORECASE)
STARS_SHAPE_RE: Final = re.compile(r"^[★☆✩✭✮⭐½\s]+$|^\d(?:[.,]\d)?\s*(?:stars?|sterne|estrelas|estrellas|étoiles)$",
                                   re.IGNORECASE)
PRICE_SHAPE_RE: Final = re.compile(r"^[$€£¥₹]{1,5}(?:\s*[-–]\s*[$€£¥₹]{1,5})?$|^[$€£¥₹]\s?\d[\d.,]*$"
                                   r"|^\d[\d.,]*\s?(?:€|EUR|USD|Euro|dollars?|£)$", re.IGNORECASE)
CODE_SHAPE_RE: Final = re.compile(r"^[A-Z]{2,4}$")
NUMERIC_OPENERS: Final = "+-$€£¥₹★☆✩✭✮⭐½"  # a digit or one of these opens each shape above: a sign, a currency, a star
NAME_PARTICLES: Final = "de|van|von|der|den|da|del|di|la|le|du|dos|das|y|e|bin|al"
NAME_WORD_RE: Final = re.compile(rf"^(?:[A-ZÀ-ÖØ-Þ][\w'’.-]*|[A-Z]\.|{NAME_PARTICLES})$")


@dataclass(frozen=True, slots=True)
class Mark:
    """Emphasis, a link or quotes over plain[start:end), and the raw ranges of its delimiters."""

    start: int
    end: int
    kind: str  # "emphasis", "link" or "quote"
    delimiters: tuple[tuple[int, int], ...] = ()


@dataclass(slots=True)
class Plain:
    """An entry's head line without its markup: the text, where each character was printed, the marks (its
    `__init__` written out, as `read.Line`'s is)."""

    text: str
    offsets: list[int]  # offsets[i]: where plain character i was printed in the raw line
    marks: list[Mark] = field(default_factory=list)
    # The cells `cell_before` read, by (end, separator): the template asks for each several times.
    cells_read: dict[tuple[int, str | None], Cell | None] = field(default_factory=dict, repr=False, compare=False)

    def __init__(self, text: str, offsets: list[int], marks: list[Mark] | None = None,
                 cells_read: dict[tuple[int, str | None], Cell | None] | None = None) -> None:
        self.text = text
        self.offsets = offsets
        self.marks = [] if marks is None else marks
        self.cells_read = {} if cells_read is None else cells_read

    def raw_slice(self, raw: str, start: int, end: int) -> tuple[list[int], str]:
        """The raw text printing plain[start:end], with the markup of marks wholly inside it kept:
        (where each of its characters is in `raw`, the text)."""
        if start == 0 and end == len(self.text):
            return list(range(len(raw) + 1)), raw
        positions = self.offsets[start:end]  # rising: kept characters stay in order
        delimiters = [delimiter for mark in self.marks if start <= mark.start and mark.end <= end
                      for delimiter in mark.delimiters]
        if delimiters:
            keep = set(positions)
            for first, last in delimiters:
                keep.update(range(first, last))
            positions = sorted(keep)
        if positions and positions[-1] - positions[0] == len(positions) - 1:  # one stretch of the raw line
            text = raw[positions[0]:positions[-1] + 1]
        else:
            text = "".join(map(raw.__getitem__, positions))
        positions.append(positions[-1] + 1 if positions else 0)  # where the text ends
        return positions, text

    def raw_start(self, position: int) -> int:
        """Where plain character `position` was printed (the end of the raw text past the last one)."""
        return self.offsets[position] if position < len(self.offsets) else (self.offsets[-1] + 1 if self.offsets
                                                                              else 0)

    def raw_end(self, position: int) -> int:
        """Where the raw text of plain[:position] ends (after its last printed character)."""
        return self.offsets[position - 1] + 1 if position > 0 else 0

    def marked(self, start: int, end: int) -> str | None:
        """The kind of mark that covers [start, end) on its own, if any."""
        for mark in self.marks:
            if mark.start <= start and end <= mark.end and (mark.end - mark.start) <= (end - start) + 2:
                return mark.kind
        return None


@dataclass(slots=True, unsafe_hash=True)
class Cell:
    """One cell printed after the name: its separator, its text, its shape, and where it sits in `Plain`.

    Never changed once made, but not frozen (as `read.Line`): a frozen dataclass sets each field through
    `object.__setattr__`. It compares and hashes as a frozen one would. Its `__init__` is written out, as
    `read.Line`'s is."""

    sep: str  # "paren", "bracket", "dash", "comma", "colon", "pipe", "slash", "by", "at"
    text: str
    shape: str  # "year", "count:<unit>", "number", "percent", "score", "stars", "price", "code", "name", "text",
    # "prose"
    start: int  # the cell's separator starts here in Plain.text
    text_start: int  # and its text here

    def __init__(self, sep: str, text: str, shape: str, start: int, text_start: int) -> None:
        self.sep = sep
        self.text = text
        self.shape = shape
        self.start = start
        self.text_start = text_start

    @property
    def signature(self) -> tuple[str, str]:
        return self.sep, self.shape


def plain_text(raw: str) -> Plain:
    """Drop the markup of one line, remembering where every kept character was printed."""
    marks: list[tuple[int, int, str, tuple[tuple[int, int], ...]]] = []
    if MARKUP_RE.search(raw):
        kept, kept_text = _drop_markup(raw, marks)
    else:  # most heads print no markup
        kept, kept_text = list(range(len(raw))), raw
    if not kept_text.isascii():  # (a flag of the string: no scan)
        kept_text = kept_text.translate(WIDE_BRACKETS)
    text, offsets = _collapse_space(kept_text, kept)
    plain = Plain(text, offsets)
    if marks:
        plain.marks = [mark for mark in (Mark(_plain_position(offsets, a), _plain_position(offsets, b), kind,
                                              delimiters) for a, b, kind, delimiters in marks)
                       if mark.end > mark.start]
    plain.marks.extend(Mark(start, end, "quote") for start, end in _quoted(text))
    return plain


def _drop_markup(raw: str, marks: list[tuple[int, int, str, tuple[tuple[int, int], ...]]]) -> tuple[list[int], str]:
    """The characters of `raw` that are not markup, and where each was printed; the links and emphasis
    go to `marks` (raw ranges)."""
    work = list(raw)

    def drop(start: int, end: int) -> None:
        if end > start:  # a slice of the same length: the list keeps its positions
            work[start:end] = [DROPPED] * (end - start)

    if "{" in raw:
        for match in IAL_RE.finditer(raw):
            drop(match.start(), match.end())
    if "<" in raw:
        for match in HTML_TAG_RE.finditer(raw):
            drop(match.start(), match.end())
    if "[[" in raw:
        for match in WIKI_LINK_RE.finditer(raw):
            shown = 2 if match.group(2) else 1
            drop(match.start(), match.start(shown))
            drop(match.end(shown), match.end())
            marks.append((match.start(shown), match.end(shown), "link",
                          ((match.start(), match.start(shown)), (match.end(shown), match.end()))))
    if "[" in raw:
        for match in LINK_RE.finditer(raw):
            inner_start, inner_end = match.start(1), match.end(1)
            drop(match.start(), inner_start)
            drop(inner_end, match.end())
            marks.append((inner_start, inner_end, "link", ((match.start(), inner_start), (inner_end, match.end()))))
    if "\\" in raw:
        for match in ESCAPE_RE.finditer(raw):
            drop(match.start(), match.start() + 1)
    if "`" in raw:
        for match in CODE_TICK_RE.finditer(raw):
            drop(match.start(), match.end())
    printed = "".join(work)  # every item is one character: positions stay
    if "*" in raw or "_" in raw:
        for _ in range(2):  # emphasis inside emphasis ("**_Title_**")
            found = len(marks)
            for match in EMPHASIS_RE.finditer(printed):
                drop(match.start(1), match.end(1))
                drop(match.end(2), match.end())
                marks.append((match.start(2), match.end(2), "emphasis",
                              ((match.start(1), match.end(1)), (match.end(2), match.end()))))
            if len(marks) == found:  # nothing dropped: a second look would find nothing either
                break
            printed = "".join(work)
            if "*" not in printed and "_" not in printed:  # nor when no delimiter is left
                break
    if "*" in raw:
        printed = printed.replace("*", DROPPED)  # stray stars too
    if DROPPED not in printed:
        return list(range(len(raw))), raw
    kept: list[int] = []
    for run in KEPT_RUN_RE.finditer(printed):
        kept.extend(range(run.start(), run.end()))
    return kept, printed.replace(DROPPED, "")


def trailing_cells(plain: Plain, limit: int = 6) -> list[Cell]:
    """The cells printed after the name, last first; never inside an emphasised or quoted name."""
    cells: list[Cell] = []
    end = content_end(plain)
    while len(cells) < limit:
        cell = cell_before(plain, end)
        if cell is None:
            break
        cells.append(cell)
        end = start_of(plain, cell)
    return cells


def content_end(plain: Plain) -> int:
    """Where the head's cells end: before a closing full stop or exclamation mark."""
    return len(plain.text.rstrip(".!"))


def start_of(plain: Plain, cell: Cell) -> int:
    """Where the text before a cell ends, its spaces not counted."""
    end = cell.start
    while end > 0 and plain.text[end - 1].isspace():
        end -= 1
    return end


def cell_before(plain: Plain, end: int, sep: str | None = None) -> Cell | None:
    """The cell that ends at `end`: a parenthesis, or the text after the last separator (of kind `sep`, if
    given); never inside a name that opens the head emphasised or quoted."""
    key = (end, sep)
    if key not in plain.cells_read:
        plain.cells_read[key] = _read_cell_before(plain, end, sep)
    return plain.cells_read[key]


def _read_cell_before(plain: Plain, end: int, sep: str | None) -> Cell | None:
    text = plain.text
    protected = max((mark.end for mark in plain.marks if mark.start == 0 and mark.kind != "link"),
                    default=0) if plain.marks else 0  # most heads have no marks: no generator to run
    if end <= protected:
        return None
    closer = text[end - 1] if end else ""
    if sep is None and closer in ")]":
        opener = text.rfind("(" if closer == ")" else "[", 0, end - 1)
        inner = text[opener + 1:end - 1] if opener >= 0 else ""
        if opener <= protected or not inner.strip() or len(inner) > MAX_CELL or ")" in inner or "(" in inner:
            return None
        start = opener
        while start > 0 and text[start - 1] == " ":
            start -= 1
        return Cell("paren" if closer == ")" else "bracket", inner.strip(), shape_of(inner), start, opener + 1)
    window = max(protected, end - MAX_CELL - 8) if sep is None else protected
    if not (SEPARATOR_MARK_RE if sep is None else SEPARATOR_MARK_OF[sep]).search(text, window, end):
        return None  # most heads
    last = None
    for match in CELL_SEP_RE.finditer(text, window, end):
        if sep is None or _sep_kind(match.group()) == sep:
            last = match
    if last is None or last.start() <= protected or last.start() == 0:
        return None
    value = text[last.end():end].strip()
    if not value or len(value) > (MAX_CELL if sep is None else 3 * MAX_CELL) or value.count("(") != value.count(")"):
        return None
    if sep is None and any(ch in value for ch in "()[]"):
        return None
    return Cell(_sep_kind(last.group()), value, shape_of(value), last.start(), last.end())


def shape_of(value: str) -> str:
    """What kind of datum a cell holds, judged by its form alone."""
    value = value.strip()
    first = value[:1]
    if first.isdecimal() or first in NUMERIC_OPENERS:  # (isdecimal: what \d matches)
        if YEAR_SHAPE_RE.match(value):
            return "year"
        if PERCENT_SHAPE_RE.match(value):
            return "percent"
        if SCORE_SHAPE_RE.match(value):
            return "score"
        if STARS_SHAPE_RE.match(value):
            return "stars"
        if PRICE_SHAPE_RE.match(value):
            return "price"
        count = COUNT_SHAPE_RE.match(value)
        if count:
            return "count:" + unit_key(count.group("unit"))
        if NUMBER_SHAPE_RE.match(value):
            return "number"
    if CODE_SHAPE_RE.match(value):
        return "code"
    if ("1" in value or "20" in value) and YEAR_INSIDE_RE.search(value) and len(value.split()) <= 4:
        return "year"
    if is_name(value):
        return "name"
    if reads_as_prose(value):
        return "prose"
    return "text"


def reads_as_prose(value: str) -> bool:
    """A sentence or more ("Climb a mountain to get phone reception."): a description, never a column."""
    words = value.split()
    if len(words) < 6:
        return False
    lower = sum(1 for word in words[1:] if word[:1].islower())
    return value.rstrip().endswith((".", "!", "?", "…")) or ". " in value or lower * 2 > len(words)


def unit_key(unit: str) -> str:
    """One key for a unit's spellings: "Seasons" and "season" → "season"."""
    unit = unit.lower().rstrip(".")
    if len(unit) > 3 and unit.endswith("s") and not unit.endswith("ss"):
        unit = unit[:-1]
    return unit


def is_name(value: str) -> bool:
    """Shaped like a name of a person or a group: two to five capitalised words ("Portugal. The Man")."""
    words = value.split()
    if not 2 <= len(words) <= 5 or any(map(str.isdigit, value)):
        return False
    return all(NAME_WORD_RE.match(word.strip(",")) for word in words) and words[0][:1].isupper()


def _sep_kind(sep: str) -> str:
    return SEPARATOR_KINDS.get(sep.strip(), "dash")


def _collapse_space(chars: str, offsets: list[int]) -> tuple[str, list[int]]:
    """Runs of white space become one space; leading and trailing space go."""
    if chars.isprintable() and "  " not in chars and chars == chars.strip():
        return chars, offsets  # nothing to collapse: most heads
    text: list[str] = []
    kept: list[int] = []
    for ch, offset in zip(chars, offsets, strict=True):
        if ch.isspace():
            if not text or text[-1] == " ":
                continue
            ch = " "
        text.append(ch)
        kept.append(offset)
    while text and text[-1] == " ":
        text.pop()
        kept.pop()
    return "".join(text), kept


def _plain_position(offsets: list[int], raw_position: int) -> int:
    return bisect.bisect_left(offsets, raw_position)


def _quoted(text: str) -> list[tuple[int, int]]:
    """Quoted stretches of the plain text ("Bohemian Rhapsody", «Amélie»)."""
    found: list[tuple[int, int]] = []
    opener = QUOTE_RE.search(text)
    while opener:
        position = opener.start()
        next_from = position + 1
        if position == 0 or not text[position - 1].isalnum():
            end = text.find(QUOTE_PAIRS[text[position]], position + 1)
            if end > position + 1 and (end + 1 == len(text) or not text[end + 1].isalnum()):
                found.append((position + 1, end))
                next_from = end + 1
        opener = QUOTE_RE.search(text, next_from)
    return found
