"""Documents and works → files: entries.csv, fields.csv, documents.csv, documents.json, works.json,
works.csv, and their JSON Lines forms.

Output is deterministic (documents sorted by source, no timestamps, no
absolute paths) and written atomically as a set: the whole directory is
written beside the old one and swapped in as one step (`outdir.py`), so an
interrupted or concurrent run never leaves a mix of two runs.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .dates import is_iso
from .labels import FIELDS
from .merge import SCHEMA_VERSION
from .models import Document, DocumentRef, Entry, MetaField, Work
from .rendered import (
    cell,
    decode_json,
    document_fields,
    document_json,
    entry_row,
    field_values,
    work_values,
)
from .rendered import (
    work_row as rendered_work_row,
)

if TYPE_CHECKING:
    from .outdir import Content

ENTRY_COLUMNS = ["source", "rank", "title_raw", "title", "work_id", "line"]
DOCUMENT_COLUMNS = ["source", "sha256", "format", "encoding", "headline", "author", "url", "date",
                    "date_raw", "order", "entries", "status", "message", "confidence", "confidence_reasons", "warnings"]


FIELD_COLUMNS = ["source", "rank", "field", "label", "value", "extra", "raw", "known", "line", "start", "end"]
WORK_COLUMNS = ["id", "title", "aliases", "appearances", "documents", "conflicts", "people", "catalogue"]


def write_outputs(files: dict[str, Content], out: Path, ids_from: dict[str, str] | None = None,
                  in_child: Callable[[], None] | None = None) -> list[Path]:
    """Write all `files` (name → text, chunks of it, bytes, or a function writing the file) as the whole
    of directory `out`: staged beside it, then swapped in as one step, under a lock (see `outdir`);
    `ids_from` goes in the manifest; with `in_child`, half the files are written in a forked process
    (see `side_by_side`)."""
    from .outdir import OutputDirectory

    with OutputDirectory(out) as directory:
        return directory.write(files, ids_from, in_child=in_child)


class Records(Protocol):
    """What the writers take: each record rendered once (see `rendered`), in output order. `Merged`
    reads them from its store; `FromModels` renders them from models held in memory."""

    def documents_rendered(self) -> Iterable[tuple[str, bytes, list[bytes]]]:
        """Each document's source, head JSON and its entries' JSON (with their work ids), by source."""

    def entry_records(self) -> Iterable[tuple[str, str, str | None, bytes]]:
        """(source, title, work id, `rendered.entry_row`) of every entry, in document order."""

    def field_records(self) -> Iterable[tuple[str, bytes]]:
        """(source, `rendered.document_fields`) of each document, by source."""

    def works_rendered(self) -> Iterable[bytes]:
        """Each work's JSON, by id."""

    def work_records(self) -> Iterable[tuple[str, list[str], bytes]]:
        """(id, previous ids, `rendered.work_row`) of each work, by id."""


class FromModels:
    """The writers' records rendered from models: documents and works held in memory, or read back from
    a Spark run's tables (functions, so each pass reads them afresh)."""

    def __init__(self, documents: Callable[[], Iterable[Document]], works: Callable[[], Iterable[Work]]) -> None:
        self.documents, self.works = documents, works

    def documents_rendered(self) -> Iterator[tuple[str, bytes, list[bytes]]]:
        for document in self.documents():
            head = document.model_copy(update={"entries": []}).model_dump_json().encode()
            yield document.source, head, [entry.model_dump_json().encode() for entry in document.entries]

    def entry_records(self) -> Iterator[tuple[str, str, str | None, bytes]]:
        for document in self.documents():
            for entry in document.entries:
                yield document.source, entry.title, entry.work_id, entry_row(entry)

    def field_records(self) -> Iterator[tuple[str, bytes]]:
        for document in self.documents():
            yield document.source, document_fields(document.entries)

    def works_rendered(self) -> Iterator[bytes]:
        for work in self.works():
            yield work.model_dump_json().encode()

    def work_records(self) -> Iterator[tuple[str, list[str], bytes]]:
        for work in self.works():
            yield work.id, work.previous_ids, rendered_work_row(work)


def entries_csv(records: Iterable[tuple[str, str, str | None, bytes]], columns: Iterable[str]) -> Iterator[str]:
    """One row per entry, from (source, title, work id, `rendered.entry_row`); one column per metadata
    field (`columns`: every field name seen in the batch, with `<name>_extra` where a field kept an
    extra)."""
    names = field_columns(columns)

    def rows() -> Iterator[list]:
        for source, title, work_id, row in records:
            rank, title_raw, line, cells = decode_json(row)
            yield [source, rank, title_raw, title, work_id, line, *map(cells.get, names)]

    return _csv(ENTRY_COLUMNS + names, rows())


def documents_csv(documents: Iterable[tuple[Document, int]]) -> Iterator[str]:
    """One row per input, failed ones included, with its status and message, from (document, number of
    entries) pairs: the entries themselves are not needed."""
    return _csv(DOCUMENT_COLUMNS, (list(document_row(document, entries).values()) for document, entries in documents))


def document_row(document: Document, entries: int) -> dict:
    """A document's row of documents.csv (and of the `documents` table): its facts, status and counts."""
    return {
        "source": document.source, "sha256": document.sha256, "format": document.format,
        "encoding": document.encoding,
        "headline": document.headline.value if document.headline else None,
        "author": document.author.value if document.author else None,
        "url": document.url.value if document.url else None,
        "date": document.date.value if document.date and is_iso(document.date.value) else None,
        "date_raw": document.date.raw if document.date else None,
        "order": document.order, "entries": entries, "status": document.status,
        "message": document.message, "confidence": document.confidence,
        "confidence_reasons": cell(document.confidence_reasons), "warnings": len(document.warnings),
    }


def documents_json(documents: Iterable[tuple[str, bytes, list[bytes]]], indent: int | None = None) -> Iterator[str]:
    """The full parse, spans included, in chunks: {"schema_version": …, "documents": [...]}, compact with one
    document a line, or indented by `indent` spaces."""
    yield _opening("documents", indent)
    yield from _json_array((document_json(head, entries) for _, head, entries in documents), indent)
    yield _closing(indent)


def entries_jsonl(documents: Iterable[tuple[str, bytes, list[bytes]]]) -> Iterator[str]:
    """One JSON object per line per entry: its document, rank, titles, work id, fields and changes."""
    for source, _, entries in documents:
        head = '{"type":"entry","source":' + json.dumps(source, ensure_ascii=False) + ","
        for entry in entries:
            yield head + entry.decode()[1:] + "\n"


def documents_jsonl(documents: Iterable[tuple[str, bytes, list[bytes]]]) -> Iterator[str]:
    """One JSON object per line per document, as in documents.json (entries, spans, warnings)."""
    for _, head, entries in documents:
        yield '{"type":"document",' + document_json(head, entries).decode()[1:] + "\n"


def works_jsonl(works: Iterable[bytes]) -> Iterator[str]:
    """One JSON object per line per work, provenance included."""
    for work in works:
        yield '{"type":"work",' + work.decode()[1:] + "\n"


def works_json(references: Iterable[DocumentRef], works: Iterable[bytes], indent: int | None = None) -> Iterator[str]:
    """The canonical dataset, in chunks: schema version, input documents, then works one by one; compact
    with one document or work a line, or indented by `indent` spaces."""
    yield _opening("documents", indent)
    yield from _json_array((reference.model_dump_json().encode() for reference in references), indent)
    yield ',\n' + " " * indent + '"works": ' if indent else ',"works":'
    yield from _json_array(works, indent)
    yield _closing(indent)


def _opening(key: str, indent: int | None) -> str:
    if indent:
        return f'{{\n{" " * indent}"schema_version": {SCHEMA_VERSION},\n{" " * indent}"{key}": '
    return f'{{"schema_version":{SCHEMA_VERSION},"{key}":'


def _closing(indent: int | None) -> str:
    return "\n}\n" if indent else "}\n"


def _json_array(items: Iterable[bytes], indent: int | None) -> Iterator[str]:
    """A JSON array of compact JSON items: one item a line, or indented as json.dumps(indent=`indent`) would
    at depth 1 (which decodes each item again: indenting is for people, not for speed)."""
    inner = "\n" + " " * (2 * indent if indent else 0)
    first = True
    for item in items:
        text = item.decode()
        if indent:
            text = json.dumps(json.loads(text), ensure_ascii=False, indent=indent).replace("\n", inner)
        yield ("[" if first else ",") + inner + text
        first = False
    yield "[]" if first else "\n" + " " * (indent or 0) + "]"


def works_csv(works: Iterable[tuple[str, list[str], bytes]], field_names: Iterable[str],
              previous_ids: bool = False) -> Iterator[str]:
    """One flat row per work from (id, previous ids, `rendered.work_row`): chosen values only (works.json
    has the provenance); one column per field (`field_names`: every field any work has); a `previous_ids`
    column after the id when some work has previous ids."""
    names = sorted(field_names)
    columns = [WORK_COLUMNS[0], "previous_ids", *WORK_COLUMNS[1:]] if previous_ids else WORK_COLUMNS

    def rows() -> Iterator[list]:
        for work_id, previous, row in works:
            *values, fields = decode_json(row)
            head = [work_id, cell(previous)] if previous_ids else [work_id]
            yield [*head, *values, *map(fields.get, names)]

    return _csv(columns + names, rows())


def work_row(work: Work) -> dict:
    """A work's row of works.csv without its field columns (and of the `works` table)."""
    return {"id": work.id, **dict(zip(WORK_COLUMNS[1:], work_values(work), strict=True))}


def field_columns(names: Iterable[str]) -> list[str]:
    """Metadata columns: known fields in table order (each with its `_raw` and `_extra`, then its `_2`, …), then
    unknown labels alphabetically."""
    names = set(names)
    known = [column for name in FIELDS for column in (name, f"{name}_raw", f"{name}_extra") if column in names]
    for name in FIELDS:
        known += sorted((column for column in names if column.startswith(f"{name}_")
                         and column[len(name) + 1:].split("_")[0].isdigit()), key=_column_order)
    return known + sorted(names - set(known), key=_column_order)


def _column_order(column: str) -> tuple:
    """`year_2` before `year_10`: numbered columns in number order."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in column.split("_"))


def fields_csv(records: Iterable[tuple[str, bytes]]) -> Iterator[str]:
    """One row per field of every entry, from (source, `rendered.document_fields`): the long table of every
    value read, with where it was printed."""
    return _csv(FIELD_COLUMNS, ([source, *values] for source, fields in records for values in decode_json(fields)))


def field_row(source: str, entry: Entry, field: MetaField) -> dict:
    """A field's row of fields.csv (and of the `fields` table)."""
    return {"source": source, **dict(zip(FIELD_COLUMNS[1:], field_values(entry, field), strict=True))}


# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection"), and a plain number, which
# it never runs as one: "-5" stays a number.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\Z")
# Where `csv` wrote a cell that starts like a formula, quoted or not: after a comma or a line's end, or
# (`FORMULA_FIRST_CELL_RE`) as a chunk's first cell. They also find a few that are not cells (a line inside
# a quoted cell, a negative number): those chunks are just rewritten cell by cell.
FORMULA_CELL_RE = re.compile(r'[,\n]"?[=+\-@\t\r]')
FORMULA_FIRST_CELL_RE = re.compile(r'"?[=+\-@\t\r]')


def neutralised(text: str) -> str:
    """A cell a spreadsheet would run as a formula, with a single quote in front, as OWASP advises.

    >>> [neutralised(cell) for cell in ("=1+2", "@SUM(A1)", "-2+3", "-5", "+1.5", "Plain")]
    ["'=1+2", "'@SUM(A1)", "'-2+3", '-5', '+1.5', 'Plain']
    """
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER_RE.match(text):
        return "'" + text
    return text


def plain_cell(text: str) -> str:
    """A cell as it was before `neutralised` (for reading back a CSV file listparse wrote).

    >>> [plain_cell(cell) for cell in ("'=1+2", "'@SUM(A1)", "-5", "'Plain")]
    ['=1+2', '@SUM(A1)', '-5', "'Plain"]
    """
    if text.startswith("'") and text[1:].startswith(FORMULA_START) and not PLAIN_NUMBER_RE.match(text[1:]):
        return text[1:]
    return text


def _csv(columns: list[str], rows: Iterable[list], rows_per_chunk: int = 1000) -> Iterator[str]:
    """CSV text in chunks of rows, so a large table is never one string; every text cell (the header too:
    unknown labels name columns) neutralised against formula injection, None written as an empty cell
    (as `csv` writes it).

    A chunk is written as it is, then rewritten cell by cell only when its text shows a cell that starts
    like a formula (`FORMULA_CELL_RE`): few do, and the C writer does the rest at a fraction of the cost."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralised(column) for column in columns])
    rows = iter(rows)
    while chunk := list(islice(rows, rows_per_chunk)):
        if set(map(len, chunk)) != {len(columns)}:
            raise ValueError(f"a row of {_wrong_width(chunk, len(columns))} cells for {len(columns)} columns")
        start = buffer.tell()
        writer.writerows(chunk)
        text = buffer.getvalue()
        if FORMULA_FIRST_CELL_RE.match(text, start) or FORMULA_CELL_RE.search(text, start):
            buffer.seek(start)
            buffer.truncate()
            writer.writerows([neutralised(value) if isinstance(value, str) else value for value in row]
                             for row in chunk)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def _wrong_width(rows: list[list], width: int) -> int:
    return next(len(row) for row in rows if len(row) != width)
