"""An entry's block → labelled, typed fields.

Three shapes are read: rows of label/value pairs separated by runs of spaces
(`Year Released   2018    Number of Episodes   13 + 2 OVAs`), one `Label: value`
per line (with or without bullets and bold), and credit lines
(`Based on the Light Novel By Kana Akatsuki & Akiko Takase`). Labels go
through the table in `labels.py`; an unknown label keeps its own name.
"""

from __future__ import annotations

import functools
import re
from typing import Final, NamedTuple

from .labels import FIELDS, KIND_WORDS, LABELS, NOT_LABELS, NOT_STREAMING, SOURCE_MEDIA, field_name
from .models import FieldValue, MetaField, Span
from .runtimes import read_minutes
from .titles import clean_markup

# A run of two or more spaces, or a tab: `\s{2,}|\t+` spelled to start with `\s`, which lets the engine skip
# straight to the next whitespace instead of trying both branches at every character.
COLUMN_SPLIT_RE: Final = re.compile(r"\s(?:\s+|(?<=\t))")
LABEL_LINE_RE: Final = re.compile(
    r"""^\s*(?:[-*+•]\s+)?                  # optional bullet
        [*_]{0,2}\s*
        (?P<label>[^\W\d_][\w .'’/&()-]{0,40}?)  # the label, at most a few words
        \s*[*_]{0,2}\s*[:：](?!//)\s*[*_]{0,4}\s*  # colon (not of a URL; full-width too), bold either side
        (?P<value>\S.{0,200}?)\s*$""",
    re.VERBOSE,
)
SENTENCE_BREAK_RE: Final = re.compile(r"[.!?]\s")
MAX_FIELD_LINE: Final = 160  # a longer line is prose, though it may end in a datum
MAX_PROSE_LINE: Final = 5000
PAIR_SEPARATOR_RE: Final = re.compile(r"\s+[·|•]\s+")
# The last sentence of a paragraph as one labelled datum: a capitalised label of one to three words.
TRAILING_DATUM_RE: Final = re.compile(
    r"""(?:^|[.!?…)]\s+|\s{2,})
        (?P<label>[A-ZÀ-Þ][\w'’-]*(?:[ ][\w'’-]+){0,2})[^\S\n]?:[^\S\n]+  # "Twitter:", "Note :" (no-break spaces too)
        (?P<value>[^\s:][^:.!?]{0,40}?(?:[.,]\d+[^:.!?]{0,20})?)[.!]?\s*$  # "@handle", "18,5/20" """,
    re.VERBOSE)
CREDIT_RE: Final = re.compile(
    r"""^\s*(?:An?\s+)?
        (?P<kind>Based\s+on|Original|Adapted\s+from|Inspired\s+by)\b
        (?P<what>.*?)\s+
        (?:(?:Co-)?(?:Created|Produced|Written|Directed|Animated|Developed|Illustrated)\s+)?
        by\s+(?P<who>.+?)\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
CREDIT_HINT_RE: Final = re.compile(r"^\W*(?:an?\s+)?(?:based\s+on|original|adapted\s+from|inspired\s+by)\b")
URL_LINE_RE: Final = re.compile(r"^\s*<?(https?://\S+?)>?\s*$")
YEAR_IN_TEXT_RE: Final = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
COUNT_RE: Final = re.compile(
    r"^\s*(\d[\d,]*)\s*(?:episodes?|eps\.?|pages?|seasons?)?\s*(?:[+,(;]\s*|and\s+)?(.*?)\s*\)?\s*$",
    re.IGNORECASE)


def item_separators(marks: str) -> re.Pattern[str]:
    """What splits a list of items: one of `marks` or the word "and", with the white space around it."""
    return re.compile(rf"\s*(?:[{re.escape(marks)}]|\band\b)\s*")


LIST_MARKS: Final = ",;&"  # not "/" or "|": "ZA/UM", "Xbox Series X|S"
LIST_SPLIT_RE: Final = item_separators(LIST_MARKS)
CREATOR_MARKS: Final = ",&"
CREATOR_SPLIT_RE: Final = item_separators(CREATOR_MARKS)
MAX_LABEL_WORDS: Final = 4
# A label never has a finite verb of its own ("Where to Stream", "Best for"; not "Nothing is lost").
CLAUSE_VERBS: Final = frozenset("is are was were has have had does did can will would".split())
LEADING_ARTICLE_RE: Final = re.compile(r"^(?:the|a|an)\s+")
# The first medium named, longest spellings first ("light novel" before "novel").
SOURCE_MEDIUM_RE: Final = re.compile(r"\b(" + "|".join(re.escape(m) for m in SOURCE_MEDIA) + r")\b")
# A field from its values, as `MetaField(**values)` makes it, without the Python frame of `BaseModel.__init__`.
validate_field = MetaField.__pydantic_validator__.validate_python


def read_fields(lines: list[tuple[int, int, str]]) -> list[MetaField]:
    """Fields found in an entry's lines, given as (source line, offset, text)."""
    fields: list[MetaField] = []
    for number, offset, text in lines:
        if text and not text.isspace() and may_state_fields(text):  # half of a block's lines are blank
            fields.extend(read_line(number, offset, text))
    return fields


def may_state_fields(text: str) -> bool:
    """False for a line that `_read_line` certainly reads as no field, told by a look at its text: prose with
    no colon, no column gap and (if short enough to be a field line) no " by " of a credit. Most of a block's
    lines that are not blank are such, and not worth the cache's look-up and `_read_line`'s tests."""
    if ":" in text or "：" in text or "  " in text or "\t" in text:
        return True
    stripped = text.strip()
    # A long line holds only a trailing datum, which has a colon.
    return len(stripped) <= MAX_FIELD_LINE and " by " in stripped.lower()


@functools.lru_cache(maxsize=2048)
def read_line(number: int, offset: int, text: str) -> tuple[MetaField, ...]:
    """The fields one line states, or none when it is prose (remembered: the entry's block and the
    slots beside its title ask about the same lines)."""
    return tuple(_read_line(number, offset, text))


def _read_line(number: int, offset: int, text: str) -> list[MetaField]:
    stripped = text.strip()
    if not stripped:
        return []
    if len(stripped) > MAX_FIELD_LINE:
        return _trailing_datum(number, offset, text) if len(stripped) <= MAX_PROSE_LINE else []
    # Cheap tests first: most lines are prose and fail all of them.
    lower = stripped[:160].lower()
    if " by " in lower and CREDIT_HINT_RE.search(lower):
        credit = CREDIT_RE.match(clean_markup(stripped))
        if credit:
            return _credit_fields(credit, _span(number, offset, text, stripped), stripped)
    if "http" in lower[:8]:
        url = URL_LINE_RE.match(stripped.strip("*_"))  # "**http://amzn.to/x" with its bold never closed
        if url:
            return [make_field("link", url.group(1), _span(number, offset, text, stripped))]
    if "  " in stripped or "\t" in stripped:
        row = _label_row(number, offset, text)
        if row:
            return row
    if ":" not in stripped[:64] and "：" not in stripped[:64]:
        return _trailing_datum(number, offset, text) if ":" in stripped and _reads_as_prose(stripped) else []
    if PAIR_SEPARATOR_RE.search(stripped):
        pairs = _labelled_pairs(number, offset, text)
        if pairs:
            return pairs
    labelled = LABEL_LINE_RE.match(stripped)
    if labelled and _looks_like_label(labelled.group("label")):
        label, value = labelled.group("label").strip(), clean_markup(labelled.group("value"))
        if any(ch.isalnum() for ch in value) and (_is_known(label) or not (_reads_as_prose(value)
                                                                         or _is_a_clause(label, value))):
            return [make_field(label, value, _span(number, offset, text, stripped))]
    return _trailing_datum(number, offset, text) if _reads_as_prose(stripped) else []


def _labelled_pairs(number: int, offset: int, text: str) -> list[MetaField]:
    """`Players: 3-4 · Playing time: 60-120 minutes`: several label/value pairs on one line."""
    fields = []
    position = 0
    for piece in PAIR_SEPARATOR_RE.split(text):
        start = text.find(piece, position)
        position = start + len(piece)
        labelled = LABEL_LINE_RE.match(piece)
        if not labelled or not _looks_like_label(labelled.group("label")):
            return []
        value = clean_markup(labelled.group("value"))
        value_start = start + labelled.start("value")
        fields.append(make_field(labelled.group("label").strip(), value,
                                 Span(number, offset + value_start,
                                      offset + value_start + len(labelled.group("value")))))
    return fields if len(fields) >= 2 else []


def _trailing_datum(number: int, offset: int, text: str) -> list[MetaField]:
    """A prose paragraph ending in a labelled datum ("… she is a rockstar. Twitter: @handle")."""
    if ":" not in text[-80:]:
        return []
    datum = TRAILING_DATUM_RE.search(text, max(0, len(text) - 120))
    if not datum:
        return []
    value = datum.group("value").rstrip(" .")
    label = datum.group("label")
    if len(value.split()) > 4 or len(label.split()) > 2:
        return []  # "Ihre eigene Regel: auf 1 eigenen Tweet kommen 5" is a clause, not a datum
    data = any(ch.isdigit() or ch == "@" for ch in value)  # "Note : 18,5/20" is a grade, not a note
    if not (_looks_like_label(label) or data and len(label.split()) == 1):
        return []
    return [make_field(datum.group("label"), clean_markup(value),
                       Span(number, offset + datum.start("value"), offset + datum.start("value")
                            + len(value)))]


def _is_known(label: str) -> bool:
    return label.lower().rstrip(":") in LABELS


def _reads_as_prose(value: str) -> bool:
    """"Puffy tacos done right: crisp, airy and … The filling is classic." is prose, not a field."""
    words = value.split()
    return len(words) > 8 and (value.endswith((".", "!", "?")) or SENTENCE_BREAK_RE.search(value) is not None)


def _is_a_clause(label: str, value: str) -> bool:
    """"Nothing is lost: the reflog remembers …": a label with a verb, before a sentence, is prose."""
    return value.endswith((".", "!", "?")) and any(word in CLAUSE_VERBS for word in label.lower().split())


def make_field(label: str, raw: str, span: Span) -> MetaField:
    """Type one labelled value through the label table."""
    label, name, known = read_label(label)
    if not known:
        return validate_field({"name": name, "label": label, "raw": raw, "value": raw, "known": False, "span": span})
    value, extra, note = type_value(name, raw)
    field = {"name": name, "label": label, "raw": raw, "value": value, "span": span}
    if extra is not None:  # most values have neither: their defaults need no validating
        field["extra"] = extra
    if note is not None:
        field["note"] = note
    return validate_field(field)


class Label(NamedTuple):
    """A printed label as the label table reads it."""

    text: str  # the label as kept: its white space and colon stripped
    name: str  # the field's name; for a label the table does not know, the label folded
    known: bool


@functools.lru_cache(maxsize=4096)
def read_label(printed: str) -> Label:
    """What the label table makes of a printed label (remembered: every entry of a list prints the same few)."""
    label = printed.strip().rstrip(":").strip()
    key = label.lower()
    name = LABELS.get(key) or (key if key in FIELDS else None)
    return Label(label, field_name(label), False) if name is None else Label(label, name, True)


def type_value(name: str, raw: str) -> tuple[FieldValue, str | None, str | None]:
    """(value, extra, note) for a raw value of the named field."""
    kind = FIELDS.get(name, "text")
    text = raw.strip()
    if name == "streaming" and text.lower().rstrip(".") in NOT_STREAMING:
        return [], None, NOT_STREAMING[text.lower().rstrip(".")]
    if name == "kind":
        return KIND_WORDS.get(text.lower(), text), None, None
    if kind == "year":
        match = YEAR_IN_TEXT_RE.search(text)
        if not match:
            return text, None, "no year found"
        rest = (text[:match.start()] + text[match.end():]).strip(" ,()")
        return int(match.group(1)), rest or None, None
    if kind == "count":
        match = COUNT_RE.match(text)
        if not match:
            return text, None, "no number found"
        return int(match.group(1).replace(",", "")), match.group(2) or None, None
    if kind == "minutes":
        return read_minutes(text)
    if kind == "list":
        items = [item.strip(" .") for item in _split_items(text, LIST_SPLIT_RE, LIST_MARKS)]
        return [item for item in items if item], None, None
    return text, None, None


def _split_items(text: str, separators: re.Pattern[str], marks: str) -> list[str]:
    """`separators.split(text)`, where `separators` is white space around one of `marks` or the word "and".

    Without an "and" and with no white space at the ends, splitting on the marks and stripping each item is the
    same, and far cheaper than trying the pattern at every character.
    """
    if "and" in text or text[:1].isspace() or text[-1:].isspace():
        return separators.split(text)
    for mark in marks[1:]:
        text = text.replace(mark, marks[0])
    return [item.strip() for item in text.split(marks[0])]


def _credit_fields(match: re.Match, span: Span, raw: str) -> list[MetaField]:
    """`Based on the Manga By X` → source material "manga" and creators [X]."""
    kind = match.group("kind").lower()
    what = match.group("what").strip().lower()
    if kind == "original":
        medium = "original"
    else:
        what = LEADING_ARTICLE_RE.sub("", what)
        found = SOURCE_MEDIUM_RE.search(what)
        medium = found.group(1) if found else (what or "unknown")
    creators = [name.strip(" .") for name in _split_items(match.group("who"), CREATOR_SPLIT_RE, CREATOR_MARKS)
                if name.strip(" .")]
    label = match.group("kind")
    return [
        validate_field({"name": "source_material", "label": label, "raw": raw, "value": medium, "span": span}),
        validate_field({"name": "creators", "label": label, "raw": raw, "value": creators, "span": span}),
    ]


def _label_row(number: int, offset: int, text: str) -> list[MetaField]:
    """`Label   value    Label   value` rows: cells split on runs of spaces."""
    stripped = text.strip()
    if stripped.isprintable():  # its only white space is " ": the columns are split by runs of two or more
        cells = [cell.lstrip(" ") for cell in stripped.split("  ") if cell]
    else:
        cells = [cell for cell in COLUMN_SPLIT_RE.split(stripped) if cell]
    if len(cells) < 2 or len(cells) % 2:
        return []
    labels = cells[0::2]
    if not any(map(_is_known, labels)) or not all(map(_looks_like_label, labels)):
        return []
    fields = []
    cursor = 0
    for label, value in zip(labels, cells[1::2], strict=True):
        start = text.index(value, text.index(label, cursor) + len(label))
        cursor = start + len(value)
        span = Span(number, offset + start, offset + cursor)
        fields.append(make_field(label, clean_markup(value), span))
    return fields


@functools.lru_cache(maxsize=4096)
def _looks_like_label(label: str) -> bool:
    """Shaped like a label: a few words, capitalised or known (remembered, as `read_label` is)."""
    words = label.split()
    if not words or len(words) > MAX_LABEL_WORDS:
        return False
    if label.strip().lower() in NOT_LABELS:
        return False
    if _is_known(label.strip()):
        return True
    first = words[0][:1]
    caseless = first.isalpha() and not first.isupper() and not first.islower()  # 拝観料, not "the"
    return (first.isupper() or caseless) and not any(map(str.isdigit, label))


def _span(number: int, offset: int, text: str, stripped: str) -> Span:
    start = text.find(stripped)
    return Span(number, offset + start, offset + start + len(stripped))
