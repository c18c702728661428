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
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .dates import is_iso
from .labels import FIELDS
from .merge import SCHEMA_VERSION
from .models import Document, DocumentRef, Entry, MetaField, Work
from .store import field_cells, field_columns_of

if TYPE_CHECKING:
    from .outdir import Content

ENTRY_COLUMNS = ["source", "rank", "title_raw", "title", "work_id", "line"]
DOCUMENT_COLUMNS = ["source", "sha256", "format", "encoding", "headline", "author", "url", "date",
                    "date_raw", "order", "entries", "status", "message", "confidence", "confidence_reasons", "warnings"]


FIELD_COLUMNS = ["source", "rank", "field", "label", "value", "extra", "raw", "known", "line", "start", "end"]
WORK_COLUMNS = ["id", "title", "aliases", "appearances", "sources", "conflicts", "people", "catalogue"]


def write_outputs(files: dict[str, Content], out: Path, ids_from: dict[str, str] | None = None) -> list[Path]:
    """Write all `files` (name → text, chunks of it, bytes, or a function writing the file) as the whole
    of directory `out`: staged beside it, then swapped in as one step, under a lock (see `outdir`);
    `ids_from` goes in the manifest."""
    from .outdir import OutputDirectory

    with OutputDirectory(out) as directory:
        return directory.write(files, ids_from)


def entries_csv(documents: Iterable[Document], columns: Iterable[str] | None = None) -> Iterator[str]:
    """One row per entry; one column per metadata field (`columns`: every field name seen in the batch,
    with `<name>_extra` where a field kept an extra; found from `documents` when not given)."""
    if columns is None:
        documents = list(documents)
        columns = field_columns_of(entry for document in documents for entry in document.entries)
    return _csv(ENTRY_COLUMNS + field_columns(columns), _entry_rows(documents))


def _entry_rows(documents: Iterable[Document]) -> Iterator[dict]:
    for document in documents:
        for entry in document.entries:
            row = {"source": document.source, "rank": entry.rank, "title_raw": entry.title_raw,
                   "title": entry.title, "work_id": entry.work_id, "line": entry.span.line}
            for column, field, part in field_cells(entry):
                row[column] = cell(field.value) if part == "value" else field.raw if part == "raw" else field.extra
            yield row


def documents_csv(documents: Iterable[tuple[Document, int]]) -> Iterator[str]:
    """One row per input, failed ones included, with its status and message, from (document, number of
    entries) pairs: the entries themselves are not needed."""
    return _csv(DOCUMENT_COLUMNS, (document_row(document, entries) for document, entries in documents))


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


def documents_json(documents: Iterable[Document]) -> Iterator[str]:
    """The full parse, spans included, in chunks: {"schema_version": …, "documents": [...]}."""
    yield f'{{\n  "schema_version": {SCHEMA_VERSION},\n  "documents": '
    yield from _json_array((document.model_dump_json(indent=2) for document in documents), depth=1)
    yield "\n}\n"


def entries_jsonl(documents: Iterable[Document]) -> Iterator[str]:
    """One JSON object per line per entry: its document, rank, titles, work id, fields and changes."""
    for document in documents:
        head = '{"type":"entry","source":' + json.dumps(document.source, ensure_ascii=False) + ","
        for entry in document.entries:
            yield head + entry.model_dump_json()[1:] + "\n"


def documents_jsonl(documents: Iterable[Document]) -> Iterator[str]:
    """One JSON object per line per document, as in documents.json (entries, spans, warnings)."""
    for document in documents:
        yield '{"type":"document",' + document.model_dump_json()[1:] + "\n"


def works_jsonl(works: Iterable[Work]) -> Iterator[str]:
    """One JSON object per line per work, provenance included."""
    for work in works:
        yield '{"type":"work",' + work.model_dump_json()[1:] + "\n"


def works_json(references: Iterable[DocumentRef], works: Iterable[Work]) -> Iterator[str]:
    """The canonical dataset, in chunks: schema version, input documents, then works one by one."""
    yield f'{{\n  "schema_version": {SCHEMA_VERSION},\n  "documents": '
    yield from _json_array((json.dumps(ref.model_dump(mode="json"), ensure_ascii=False, indent=2)
                            for ref in references), depth=1)
    yield ',\n  "works": '
    yield from _json_array((work.model_dump_json(indent=2) for work in works), depth=1)
    yield "\n}\n"


def _json_array(items: Iterable[str], depth: int) -> Iterator[str]:
    """A JSON array of already serialized items, indented as json.dumps(indent=2) would at `depth`."""
    inner = "\n" + "  " * (depth + 1)
    first = True
    for item in items:
        yield ("[" if first else ",") + inner + item.replace("\n", inner)
        first = False
    yield "[]" if first else "\n" + "  " * depth + "]"


def works_csv(works: Iterable[Work], field_names: Iterable[str] | None = None,
              previous_ids: bool = False) -> Iterator[str]:
    """One flat row per work: chosen values only (works.json has the provenance); one column per field
    (`field_names`: every field any work has; found from `works` when not given); a `previous_ids`
    column after the id when some work has previous ids."""
    if field_names is None:
        works = list(works)
        field_names = {name for work in works for name in work.fields}
    names = sorted(field_names)
    columns = [WORK_COLUMNS[0], "previous_ids", *WORK_COLUMNS[1:]] if previous_ids else WORK_COLUMNS
    return _csv(columns + names, (_work_row(work, names, previous_ids) for work in works))


def _work_row(work: Work, names: list[str], previous_ids: bool = False) -> dict:
    row = work_row(work)
    if previous_ids:
        row = {"id": row["id"], "previous_ids": cell(work.previous_ids), **row}
    for name in names:
        if name in work.fields:
            row[name] = cell(work.fields[name].value)
    return row


def work_row(work: Work) -> dict:
    """A work's row of works.csv without its field columns (and of the `works` table)."""
    return {
        "id": work.id, "title": work.title.value,
        "aliases": cell([str(alias.value) for alias in work.aliases]),
        "appearances": len(work.appearances),
        "sources": cell(sorted({appearance.source for appearance in work.appearances})),
        "conflicts": sum(len(field.conflicts) for field in [work.title, *work.fields.values()]),
        "people": cell([person.name for person in work.people]),
        "catalogue": work.catalogue.title if work.catalogue else None,
    }


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


def cell(value) -> str:
    """A value as one CSV cell: a list as a JSON array (`["Crunchyroll", "Funimation"]`), which no item's
    own text can split."""
    if value is None:
        return ""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def fields_csv(documents: Iterable[Document]) -> Iterator[str]:
    """One row per field of every entry: the long table of every value read, with where it was printed."""
    return _csv(FIELD_COLUMNS, (field_row(document.source, entry, field)
                                for document in documents for entry in document.entries for field in entry.fields))


def field_row(source: str, entry: Entry, field: MetaField) -> dict:
    """A field's row of fields.csv (and of the `fields` table)."""
    return {
        "source": source, "rank": entry.rank, "field": field.name, "label": field.label,
        "value": cell(field.value), "extra": field.extra, "raw": field.raw, "known": int(field.known),
        "line": field.span.line, "start": field.span.start, "end": field.span.end,
    }


# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection"), and a plain number, which
# it never runs as one: "-5" stays a number.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\Z")


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


def _csv(columns: list[str], rows: Iterable[dict], rows_per_chunk: int = 1000) -> Iterator[str]:
    """CSV text in chunks of rows, so a large table is never one string; every text cell (the header too:
    unknown labels name columns) neutralised against formula injection."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writerow({column: neutralised(column) for column in columns})
    for count, row in enumerate(rows, 1):
        writer.writerow({key: "" if value is None else neutralised(value) if isinstance(value, str) else value
                         for key, value in row.items()})
        if count % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
