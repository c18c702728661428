"""A document's text for the view: its lines as parsed, with every recorded span marked.

Spans are offsets into the text that was parsed, which is not always the file
as it lies on disk (HTML is rendered, hidden parts are blanked), so the text
is laid out again with listparse's own reader, exactly as `ingest` read it.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections.abc import Container
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from .errors import ReadError
from .models import Document
from .parse import WHOLE_PAGE_NOTE
from .read import Line, read_bytes

EXCERPT_CONTEXT = 80  # characters kept on each side of a span in a work page's excerpt
# "line 97", "lines 47-278" in warnings and decisions; not the count in "a short line 1 line(s) before the title"
LINE_REFERENCE_RE = re.compile(r"\blines? (\d+)(?:-(\d+))?(?!\d|\s+lines?\b)")


@dataclass(frozen=True, slots=True)
class Mark:
    """A span to highlight: [start, end) in the parsed text, what it holds, and its anchor."""

    start: int
    end: int
    labels: tuple[str, ...]  # what was read there: "title #3", "year (Year Released)", …

    @property
    def anchor(self) -> str:
        return span_anchor(self.start, self.end)


@dataclass(frozen=True, slots=True)
class Excerpt:
    """The line around one span, cut into the text before it, the span itself, and the text after it."""

    line: int
    before: str
    inside: str
    after: str


@dataclass(slots=True)
class SourceText:
    """A document's lines as parsed, or why they cannot be shown."""

    lines: list[Line] = field(default_factory=list)
    note: str | None = None  # shown on the page: missing file, changed file, …
    trusted: bool = False  # the file is the one that was parsed (same sha256): spans can be marked


def span_anchor(start: int, end: int) -> str:
    """The id of a span's mark on its document page.

    >>> span_anchor(1784, 1801)
    's1784-1801'
    """
    return f"s{start}-{end}"


def read_source_text(document: Document, path: Path) -> SourceText:
    """Lay out the document's file, at `path`, as `ingest` read it."""
    if document.source == "stdin":
        return SourceText(note="read from standard input: its text was not kept")
    try:
        data = path.read_bytes()
    except OSError as error:
        return SourceText(note=f"the source file {path} cannot be read ({error.strerror or error}): "
                               "its text is not shown")
    sha256 = hashlib.sha256(data).hexdigest()
    whole_page = any(warning.startswith(WHOLE_PAGE_NOTE) for warning in document.warnings)
    try:
        text = read_bytes(data, document.source, sha256, whole_page=whole_page)
    except ReadError as error:
        return SourceText(note=f"the source file {path} cannot be laid out as text ({error.reason})")
    if document.sha256 is not None and sha256 != document.sha256:
        return SourceText(text.lines, f"the source file {path} has changed since it was ingested "
                                      "(its sha256 differs): its current text is shown, without the spans")
    return SourceText(text.lines, None, trusted=True)


def document_marks(document: Document) -> list[Mark]:
    """Every span the document's parse recorded (facts, titles, fields, names), one mark per distinct span."""
    labels: dict[tuple[int, int], list[str]] = {}

    def add(span, label: str) -> None:
        if span is not None and span.end > span.start:
            labels.setdefault((span.start, span.end), []).append(label)

    for fact in ("headline", "author", "url", "date"):
        located = getattr(document, fact)
        if located is not None:
            add(located.span, fact)
    for entry in document.entries:
        add(entry.span, f"#{entry.rank} title")
        for meta in entry.fields:
            add(meta.span, f"#{entry.rank} {meta.name} ({meta.label})")
        for name in entry.names:
            add(name.span, f"#{entry.rank} name")
    return [Mark(start, end, tuple(dict.fromkeys(found))) for (start, end), found in sorted(labels.items())]


def marked_lines(lines: list[Line], marks: list[Mark]) -> list[Markup]:
    """Each line's text as HTML, every mark that touches it wrapped in <mark> (nested when spans nest).

    One pass over lines and marks, both in order of offset. A mark's anchor (its id) goes on the first
    line it shows on; a span that crosses another is cut at the end of the one it starts in.
    """
    rendered = []
    upcoming = iter(marks)
    following = next(upcoming, None)
    open_marks: list[Mark] = []  # started on this line or before, not yet ended
    anchored: set[str] = set()
    for line in lines:
        line_end = line.start + len(line.text)
        open_marks = [mark for mark in open_marks if mark.end > line.start]
        while following is not None and following.start <= line_end:
            open_marks.append(following)
            following = next(upcoming, None)
        here = [mark for mark in open_marks if mark.start < line_end]
        rendered.append(_marked(line, here, anchored))
    return rendered


def _marked(line: Line, marks: list[Mark], anchored: set[str]) -> Markup:
    line_end = line.start + len(line.text)
    marks = sorted(marks, key=lambda mark: (max(mark.start, line.start), -mark.end))
    parts: list[str] = []
    position = line.start
    open_ends: list[int] = []

    def text_to(offset: int) -> None:
        nonlocal position
        parts.append(escape(line.text[position - line.start:offset - line.start]))
        position = offset

    for mark in marks:
        start, end = max(mark.start, line.start), min(mark.end, line_end)
        while open_ends and open_ends[-1] <= start:
            text_to(open_ends.pop())
            parts.append(Markup("</mark>"))
        if open_ends:
            end = min(end, open_ends[-1])
        text_to(start)
        anchor = Markup("")
        if mark.anchor not in anchored:
            anchored.add(mark.anchor)
            anchor = Markup(' id="{}"').format(mark.anchor)
        parts.append(Markup('<mark{} title="{}">').format(anchor, "; ".join(mark.labels)))
        open_ends.append(end)
    while open_ends:
        text_to(open_ends.pop())
        parts.append(Markup("</mark>"))
    text_to(line_end)
    return Markup("").join(parts)


def excerpts(lines: list[Line], marks: list[Mark]) -> dict[tuple[int, int], Excerpt]:
    """For each mark, the line it starts on, cut around it (a work page shows it beside the evidence)."""
    line_starts = [line.start for line in lines]
    found = {}
    for mark in marks:
        index = bisect_right(line_starts, mark.start) - 1
        if index < 0:
            continue
        line = lines[index]
        offset, end = mark.start - line.start, min(mark.end - line.start, len(line.text))
        if offset > len(line.text):
            continue
        before = line.text[max(0, offset - EXCERPT_CONTEXT):offset]
        after = line.text[end:end + EXCERPT_CONTEXT]
        found[(mark.start, mark.end)] = Excerpt(
            line.number, ("…" if offset > EXCERPT_CONTEXT else "") + before, line.text[offset:end],
            after + ("…" if end + EXCERPT_CONTEXT < len(line.text) else ""))
    return found


@dataclass(frozen=True, slots=True)
class LineNote:
    """A warning shown beside the line it names; `left_out` when it says why a numbered line is not an entry."""

    text: str
    left_out: bool


def line_notes(document: Document) -> dict[int, list[LineNote]]:
    """Warnings that name a line, by line: "line 97: numbered line … does not continue the list's sequence",
    "lines 47-278: another numbered list … was not used" (on its first line), "line 58: label …"."""
    notes: dict[int, list[LineNote]] = {}
    for warning in document.warnings:
        found = LINE_REFERENCE_RE.match(warning)
        if found:
            text = warning[found.end():].lstrip(": ")
            if found.group(2) is not None:
                text = f"{text} ({found.group(0)})"
            left_out = text.startswith(("numbered line", "another numbered list"))
            notes.setdefault(int(found.group(1)), []).append(LineNote(text, left_out))
    return notes


def linked_lines(text: str, shown: Container[int]) -> Markup:
    """A reason as HTML, each "line N" / "lines A-B" it names a link to that line of the page, when `shown`.

    >>> str(linked_lines("line 3: <b> left out; lines 5-9: another list", shown={3, 4}))
    '<a href="#L3">line 3</a>: &lt;b&gt; left out; lines 5-9: another list'
    """
    parts: list[str] = []
    position = 0
    for found in LINE_REFERENCE_RE.finditer(text):
        if int(found.group(1)) not in shown:
            continue
        parts.append(escape(text[position:found.start()]))
        parts.append(Markup('<a href="#L{}">{}</a>').format(found.group(1), found.group(0)))
        position = found.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts)
