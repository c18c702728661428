"""The chosen list's lines → entries: each entry's head, title, fields and description.

An entry's head is the text after its rank, joined across hard line wraps as a
reader would. The heads of all the entries together give the list's template
(`template`): the cells every entry prints beside the name become fields, and
what remains is read entry by entry (`titles.split_title`) for what only that
entry prints: a year in parentheses, a "by Author", prose after a colon.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from typing import Final

from .cells import Plain, plain_text, reads_as_prose, shape_of
from .metadata import make_field, read_fields
from .models import Entry, MetaField, Span
from .people import DocumentWords, TitlePhrases, find_names
from .ranks import Candidate, match_rank_line
from .read import Line, Text
from .slots import SlotLine, find_slots, parts_of
from .template import Template, headline_kind, infer_template, split_entry
from .titles import HEADING_RE, clean_markup, heading_text, split_title, without_heading_marker

RULE_RE: Final = re.compile(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
# A line that starts a block of its own, never the continuation of a wrapped title.
BLOCK_START_RE: Final = re.compile(r"^\s*(?:[-*+•>|#]|\d{1,6}[.)]\s|!\[|<|```|~~~|\[\^?\d+\])")
LABEL_START_RE: Final = re.compile(r"^\s*[*_]{0,2}[A-Z][\w ]{0,30}[*_]{0,2}:\s")
MAYBE_WIDE_RE: Final = re.compile("[\u0378-\U0010ffff]")  # every character east_asian_width calls W or F lies here
# Text none of whose characters is wide: Latin script and the punctuation beside it (curly quotes, dashes).
NARROW_TEXT_RE: Final = re.compile("[\x00-\u0377\u2000-\u2064]*+")
SENTENCE_END: Final = (".", "!", "?", ":", ";", ")", "]", "”", '"', "…", "»", "。", "！", "？", "）", "」", "』", "】")
MAX_WRAPPED: Final = 8  # lines one title may run over
# `Entry(...)` without its keyword wrapper, as metadata makes its fields: the same validation, a fifth cheaper.
validate_entry = Entry.__pydantic_validator__.validate_python


@dataclass(slots=True)
class Head:
    """Where an entry's head was printed: its text (line breaks kept), offset in the content, line (its
    `__init__` written out, as `read.Line`'s is)."""

    raw: str
    offset: int
    index: int  # the title's line, in Text.lines
    body_start: int  # the first line of the entry's body

    def __init__(self, raw: str, offset: int, index: int, body_start: int) -> None:
        self.raw = raw
        self.offset = offset
        self.index = index
        self.body_start = body_start

    def line(self, lines: list[Line]) -> Line:
        return lines[self.index]


def build_entries(text: Text, chain: list[Candidate], headline: str | None) -> tuple[list[Entry], Template]:
    """The entries of the chosen list, and the template their heads share."""
    lines = text.lines
    width = wrap_width(lines) if text.format != "html" else -1  # rendered HTML is never hard-wrapped
    ends = [chain[position + 1].index if position + 1 < len(chain) else last_entry_end(lines, chain)
            for position in range(len(chain))]
    heads = [_head(lines, candidate, end, width) for candidate, end in zip(chain, ends, strict=True)]
    ends = [_group_end(lines, head, heads[position + 1] if position + 1 < len(heads) else None, end)
            for position, (head, end) in enumerate(zip(heads, ends, strict=True))]
    plains = [plain_text(head.raw) for head in heads]
    kind = headline_kind(headline)
    template = infer_template(plains, kind)
    regions = [(_region_start(lines, candidate, head, heads[position - 1] if position else None), end)
               for position, (candidate, head, end) in enumerate(zip(chain, heads, ends, strict=True))]
    slots, slot_reasons = find_slots(lines, [head.index for head in heads], regions, kind)
    template.reasons.extend(slot_reasons)
    sentences = _a_list_of_sentences(plains)
    if sentences:
        template.reasons.append("the entries are sentences: a colon inside one is part of it")
    words = DocumentWords(text.content)
    entries = [_entry(lines, candidate, head, plain, template, end, slot, words, not sentences)
               for candidate, head, plain, end, slot in zip(chain, heads, plains, ends, slots, strict=True)]
    titles = TitlePhrases([entry.title for entry in entries] + [headline or ""])
    for position, entry in enumerate(entries):
        names = titles.without_pieces(entry.names)
        if len(names) < len(entry.names):
            entries[position] = entry.model_copy(update={"names": names})
    return entries, template


def _a_list_of_sentences(plains: list[Plain]) -> bool:
    """Most entries are whole sentences without a colon (tips, jokes, rules): then a colon in one of them
    is part of that sentence, not the end of a title."""
    sentences = sum(1 for plain in plains if ": " not in plain.text and len(plain.text.split()) >= 8
                    and reads_as_prose(plain.text) and not any(mark.start == 0 for mark in plain.marks))
    colons = sum(1 for plain in plains if ": " in plain.text)
    return sentences * 2 >= len(plains) and colons * 2 < len(plains)


def _region_start(lines: list[Line], candidate: Candidate, head: Head, previous: Head | None) -> int:
    """Where an entry's lines begin: at its rank, or in HTML at the start of its own container when the
    title comes first in it (an artist line, then the album, then the rank)."""
    group = lines[head.index].group
    if group is None or previous is None or lines[previous.index].group == group:
        return min(candidate.index, head.index)
    return previous.index + 1


def _group_end(lines: list[Line], head: Head, following: Head | None, end: int) -> int:
    """In HTML, an entry's lines end where the next entry's container begins (its artist line before
    its title, say), even when the next rank is printed later."""
    if following is None:
        return end
    group, next_group = lines[head.index].group, lines[following.index].group
    if next_group is None or next_group == group:
        return end
    for index in range(head.index + 1, end):
        if lines[index].group == next_group:
            return index
    return end


def wrap_width(lines: list[Line]) -> int:
    """The column a hard-wrapped text breaks its lines at (0 when its lines are not wrapped)."""
    # A line of ten characters or fewer is never printed text here, whatever its white space: skip it unstripped.
    printed = [text for line in lines
               if len(line.text) > 10 and len(text := line.text.rstrip()) > 10 and len(text.lstrip()) > 10]
    if len(printed) < 5:
        return 0
    # A line is never narrower than its length: when the lengths already put the width past 100, so would
    # the display widths (most texts, paragraphs unwrapped), and no line's width need be measured.
    if sorted(map(len, printed))[int(len(printed) * 0.9)] > 100:
        return 0
    lengths = sorted(map(display_width, printed))
    width = lengths[int(len(lengths) * 0.9)]
    near = bisect.bisect_right(lengths, width) - bisect.bisect_left(lengths, width - 12)  # lengths in [width-12, width]
    return width if width <= 100 and near * 3 >= len(lengths) else 0


def _head(lines: list[Line], candidate: Candidate, end: int, width: int) -> Head:
    """The entry's head: the text after the rank (or the line a lone rank names), joined across wraps."""
    title_index, start = candidate.index, candidate.title_start
    body_start = candidate.index + 1
    if candidate.rank_only:
        found = _title_line_for_rank(lines, candidate, end)
        if found is not None:
            title_index = found
            line_text = lines[found].text
            heading = HEADING_RE.match(line_text)
            start = line_text.find(heading_text(heading)) if heading else len(line_text) - len(line_text.lstrip())
            body_start = found + 1  # a rank printed after its title: the body follows the title
    title_line = lines[title_index]
    raw = title_line.text[start:].rstrip() if candidate.style[0] != "table" else candidate.title_part
    for following in _continuation(lines, title_index, end, width):
        raw += "\n" + lines[following].text.rstrip()
        body_start = max(body_start, following + 1)
    return Head(raw, title_line.start + start, title_index, body_start)


def display_width(text: str) -> int:
    """Columns a line takes in a fixed-width font: East Asian wide characters take two."""
    if text.isascii() or NARROW_TEXT_RE.fullmatch(text):
        return len(text)
    # Only characters from U+0378 on can be wide.
    return len(text) + sum(1 for ch in MAYBE_WIDE_RE.findall(text) if unicodedata.east_asian_width(ch) in "WF")


def _continuation(lines: list[Line], index: int, end: int, width: int) -> list[int]:
    """The lines after `index` that carry on its text: a paragraph its writer hard-wrapped at `width`.

    A line carries on the one before it when that one was broken at the width (the next word would not
    have fitted), or ran close to it and the next line starts in lower case. Text whose lines are not
    wrapped (`width` 0) and rendered HTML (-1) never run on.
    """
    found: list[int] = []
    current = lines[index].text.rstrip()
    if width <= 0 or HEADING_RE.match(current) or current.lstrip().startswith("|"):
        return found
    for following in range(index + 1, min(end, index + 1 + MAX_WRAPPED)):
        line = lines[following].text
        stripped = line.strip()
        if not stripped or BLOCK_START_RE.match(line) or LABEL_START_RE.match(line) or match_rank_line(line):
            break
        used = display_width(current)
        if current.endswith(SENTENCE_END) and used < width - 4:
            break
        broke_at_width = used + 1 + display_width(stripped.split()[0]) > width
        if not (broke_at_width or (stripped[0].islower() and used >= 0.75 * width)):
            break
        found.append(following)
        current = line.rstrip()
    return found


def _entry(lines: list[Line], candidate: Candidate, head: Head, plain: Plain, template: Template,
           end: int, slots: list[SlotLine], words: DocumentWords, colon_may_end: bool = True) -> Entry:
    split = split_entry(plain, template)
    positions, raw_title = plain.raw_slice(head.raw, split.start, split.end)
    parts = split_title(raw_title, "\n" in raw_title, colon_may_end)  # a title running over lines is prose
    title_line = head.line(lines)
    span = Span(line=title_line.number, start=head.offset + positions[parts.start],
                end=head.offset + positions[parts.end - 1] + 1 if parts.end > 0 else head.offset + positions[0])
    fields = [make_field(label, value, span) for label, _raw, value in parts.extras]
    if split.rest:
        parts.description = " ".join(part for part in (_rest_of_head(plain, split.rest, fields, title_line, head),
                                                       parts.description) if part)
    for label, value, start, stop, shape in split.extras:
        cell_span = Span(line=title_line.number, start=head.offset + plain.raw_start(start),
                         end=head.offset + plain.raw_end(stop))
        fields.append(column_field(label, value, shape, cell_span))
    if candidate.style[0] == "table":
        fields.extend(_table_fields(lines, candidate))
    named = {field.name for field in fields}
    for slot in slots:
        if slot.label not in named:
            fields.extend(slot_fields(lines[slot.index], slot))
    not_body = {head.index, candidate.index, *(slot.index for slot in slots)}
    body = [(line.number, line.start, line.text) for index, line in enumerate(lines[head.body_start:end],
                                                                                head.body_start)
            if index not in not_body]
    block_fields = read_fields(body)
    fields.extend(block_fields)
    # Most blocks hold no field, and half their lines are blank (which the description's join drops anyway).
    prose_lines = _holding_none(body, [field.span.start for field in block_fields]) if block_fields else body
    prose = [clean_markup(without_heading_marker(line_text) if "#" in line_text else line_text)
             for _, _, line_text in prose_lines if line_text]
    description = "\n".join(part for part in [parts.description, *prose] if part)
    return validate_entry({
        "rank": candidate.rank,
        "rank_text": candidate.rank_text.strip(),
        "title_raw": parts.title,
        "title": parts.title,
        "span": span,
        "text": description,
        "fields": fields,
        "names": find_names(sorted(prose_lines + [(lines[slot.index].number, lines[slot.index].start,
                                                   lines[slot.index].text) for slot in slots]), parts.title, words),
    })


def _rest_of_head(plain: Plain, rest: tuple[int, int], fields: list[MetaField], line: Line, head: Head) -> str:
    """What a head prints after its creator's name: a rating first ("- 4/5."), then words of its own."""
    text = plain.text[rest[0]:rest[1]]
    stripped = text.lstrip(" -–—|,:")
    first = re.split(r"[.,;]\s|\s[-–—|]\s", stripped, maxsplit=1)[0].rstrip(".")
    if first and shape_of(first) in ("score", "stars"):
        start = rest[0] + text.find(first)
        fields.append(make_field("rating", first, Span(line=line.number, start=head.offset + plain.raw_start(start),
                                                       end=head.offset + plain.raw_end(start + len(first)))))
        stripped = stripped[len(first):].lstrip(" .,;")
    return stripped.strip()


def slot_fields(line: Line, slot: SlotLine) -> list[MetaField]:
    """The field(s) a slot line gives, each with the span of its own text."""
    start = line.text.find(slot.text)
    start = start if start >= 0 else len(line.text) - len(line.text.lstrip())
    fields = []
    for label, text in parts_of(slot):
        offset = line.text.find(text, start)
        offset = offset if offset >= 0 else start
        fields.append(make_field(label, text, Span(line=line.number, start=line.start + offset,
                                                   end=line.start + offset + len(text))))
    return fields


def column_field(label: str, value: str, shape: str, span: Span) -> MetaField:
    """A field from a template column: typed through the label table, a count keeping its number as printed."""
    if shape.startswith("count:"):
        field = make_field(label, value, span)
        if field.known:
            return field
        number = value.rsplit(None, 1)[0] if len(value.split()) > 1 else value
        return field.model_copy(update={"value": number, "extra": None})
    if shape == "year":
        return make_field("year", value, span)
    return make_field(label, value, span)


def last_entry_end(lines: list[Line], chain: list[Candidate]) -> int:
    """Where the last entry's block ends: a rule, a heading at least as prominent as it, or
    once it is as long as the longest other entry (what follows is the article's close)."""
    candidate = chain[-1]
    longest = max((b.index - a.index for a, b in zip(chain, chain[1:], strict=False)), default=8)
    for index in range(candidate.index + 1, min(len(lines), candidate.index + longest)):
        line_text = lines[index].text
        if RULE_RE.match(line_text) and index > candidate.index + 1:  # not the title's setext underline
            return index
        heading = HEADING_RE.match(line_text)
        if heading and (not candidate.heading_level or len(heading.group(1)) <= candidate.heading_level):
            return index
    return min(len(lines), candidate.index + longest)


def _table_fields(lines: list[Line], candidate: Candidate) -> list[MetaField]:
    """The other cells of a ranked table row, labelled by the table's header row."""
    line = lines[candidate.index]
    cells = [cell.strip() for cell in line.text.strip().strip("|").split("|")]
    header: list[str] = []
    for index in range(candidate.index - 1, max(-1, candidate.index - 500), -1):
        text = lines[index].text.strip()
        if not text.startswith("|"):
            break
        row = [cell.strip() for cell in text.strip("|").split("|")]
        if row and not row[0].strip("#.) ").isdigit() and not set(row[0]) <= set("-: "):
            header = row
    fields = []
    cursor = line.text.find(cells[1]) + len(cells[1]) if len(cells) > 1 else 0
    for position, cell in enumerate(cells[2:], start=2):
        if not cell:
            continue
        label = header[position] if position < len(header) and header[position] else f"column {position + 1}"
        start = line.text.find(cell, cursor)
        cursor = start + len(cell)
        fields.append(make_field(label, clean_markup(cell), Span(line=line.number, start=line.start + start,
                                                                 end=line.start + cursor)))
    return fields


def _holding_none(body: list[tuple[int, int, str]], offsets: list[int]) -> list[tuple[int, int, str]]:
    """The (line, start, text) body lines, in order, that hold none of the offsets (a line holds its end, where
    its newline is). Each offset is looked up once: only the last line starting at or before it can hold it."""
    starts = [start for _, start, _ in body]
    holding = set()
    for offset in offsets:
        position = bisect.bisect_right(starts, offset) - 1
        if position >= 0 and offset <= starts[position] + len(body[position][2]):
            holding.add(position)
    return [item for position, item in enumerate(body) if position not in holding]


def _title_line_for_rank(lines: list[Line], candidate: Candidate, end: int) -> int | None:
    """For a line that holds only a rank: the line that holds its title.

    In HTML the rank badge and the title share a container (`<li>`, `<article>`):
    the most prominent heading of that container wins. Elsewhere the title is
    the next non-empty line.
    """
    rank_line = lines[candidate.index]
    if rank_line.group is not None:
        members = [index for index in range(max(0, candidate.index - 30), min(len(lines), candidate.index + 30))
                   if lines[index].group == rank_line.group and index != candidate.index]
        headings = [(len(heading.group(1)), abs(i - candidate.index), i)
                    for i in members if (heading := HEADING_RE.match(lines[i].text))]
        headings = [h for h in headings if not match_rank_line(lines[h[2]].text)]
        if headings:
            return min(headings)[2]
        after = [i for i in members if i > candidate.index]
        if after:
            return after[0]
    for index in range(candidate.index + 1, min(end, candidate.index + 4)):
        if lines[index].text.strip():
            return index
    return None
