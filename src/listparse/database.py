"""Documents and works → listparse.db: seven linked SQLite tables, so where a value came from is one join.

    entries    → documents (source), works (work_id)
    fields     → entries (entry_id), documents (source)
    conflicts  → works (work_id)
    evidence   → works (work_id), conflicts (conflict_id), documents (source), entries (entry_id)
    changes    → entries (entry_id) or evidence (evidence_id)

The tables are defined once (`table_definitions.py`), and both this database
and the Parquet files (`parquet.py`) are made from that definition, with the
same columns and types. The rows reuse the CSV writers' (`export.document_row`,
`field_row`, `work_row`), so the formats cannot drift apart. The file is
deterministic: rows are inserted in a fixed order (documents by source, works
by id) with ids numbered in that order, indexes are built after the rows, and
nothing depends on time; the same SQLite library writes the same bytes.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from .export import document_row, field_row, work_row
from .models import Change, Document, Evidence, FieldValue, Work, WorkField
from .table_definitions import BY_NAME, TABLE_NAMES, TABLES, Table

USER_VERSION = 1  # PRAGMA user_version: the layout of these tables
ROWS_PER_INSERT = 5_000


def create_sql(table: Table) -> str:
    """CREATE TABLE with its primary key and declared foreign keys (Datasette links them)."""
    lines = []
    for number, column in enumerate(table.columns):
        parts = [f'"{column.name}"', column.type]
        if number == 0:
            parts.append("PRIMARY KEY")
        if column.not_null:
            parts.append("NOT NULL")
        if column.references:
            key = BY_NAME[column.references].columns[0].name
            parts.append(f'REFERENCES "{column.references}" ("{key}")')
        lines.append(" ".join(parts))
    if table.unique:
        lines.append(f"UNIQUE ({', '.join(table.unique)})")
    return f'CREATE TABLE "{table.name}" (\n  ' + ",\n  ".join(lines) + "\n)"


def index_sql(table: Table) -> list[str]:
    """CREATE INDEX for each of the table's indexes (`entries_by_work_id`)."""
    statements = []
    for columns in table.indexes:
        quoted = ", ".join(f'"{column}"' for column in columns)
        statements.append(f'CREATE INDEX "{table.name}_by_{"_".join(columns)}" ON "{table.name}" ({quoted})')
    return statements


def value_text(value: FieldValue) -> str | None:
    """A value as one text cell: a list as a JSON array, None as NULL."""
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else str(value)


def write_database(documents: Iterable[Document], works: Iterable[Work], path: Path) -> None:
    """Write listparse.db at `path` from documents sorted by source and works sorted by id."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in ("PRAGMA page_size = 4096", "PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF",
                       f"PRAGMA user_version = {USER_VERSION}"):
            db.execute(pragma)
        db.execute("BEGIN")
        for table in TABLES:
            db.execute(create_sql(table))
        writer = _Rows(db)
        for row in _document_rows(documents):
            writer.add(*row)
        writer.flush()
        for statement in index_sql(BY_NAME["entries"]) + index_sql(BY_NAME["fields"]):
            db.execute(statement)  # the works' pass looks entries up by work
        for work in works:
            for row in _work_rows(work, writer.ids, _entries_of(db, work.id)):
                writer.add(*row)
        writer.flush()
        for table in TABLES:
            if table.name not in ("entries", "fields"):
                for statement in index_sql(table):
                    db.execute(statement)
        db.execute("COMMIT")
    finally:
        db.close()


class _Rows:
    """Rows gathered per table and inserted a batch at a time; the next id of each numbered table."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.pending: dict[str, list[tuple]] = {table.name: [] for table in TABLES}
        self.ids = dict.fromkeys(TABLE_NAMES, 0)
        self._names = {table.name: table.names for table in TABLES}
        self._insert = {table.name: f'INSERT INTO "{table.name}" VALUES ({", ".join("?" * len(table.columns))})'
                        for table in TABLES}

    def add(self, table: str, row: dict[str, Any]) -> None:
        """Queue a row (its id numbered here unless given)."""
        names = self._names[table]
        if "id" not in row and names[0] == "id":
            self.ids[table] += 1
            row["id"] = self.ids[table]
        self.pending[table].append(tuple(map(row.get, names)))
        if len(self.pending[table]) >= ROWS_PER_INSERT:
            self.flush()

    def flush(self) -> None:
        for table in TABLE_NAMES:  # always in one order: the file's pages depend on it
            if self.pending[table]:
                self.db.executemany(self._insert[table], self.pending[table])
                self.pending[table].clear()


def _document_rows(documents: Iterable[Document]) -> Iterator[tuple[str, dict]]:
    entry_id = field_id = 0
    for document in documents:
        yield "documents", document_row(document, len(document.entries))
        for position, entry in enumerate(document.entries, 1):
            entry_id += 1
            span = entry.span
            yield "entries", {"id": entry_id, "source": document.source, "position": position, "rank": entry.rank,
                              "rank_text": entry.rank_text, "title_raw": entry.title_raw, "title": entry.title,
                              "work_id": entry.work_id, "line": span.line, "start": span.start, "end": span.end,
                              "description": entry.text}
            for field in entry.fields:
                field_id += 1
                yield "fields", {**field_row(document.source, entry, field), "id": field_id, "entry_id": entry_id,
                                 "value": value_text(field.value), "note": field.note}
            yield from _change_rows(entry.changes, "entry_id", entry_id)


def _change_rows(changes: list[Change], owner: str, owner_id: int) -> Iterator[tuple[str, dict]]:
    for step, change in enumerate(changes, 1):
        yield "changes", {owner: owner_id, "step": step, "field": change.field, "rule": change.rule,
                          "before": change.before, "after": change.after}


SpanKey = tuple[str, int, int, int]


def _entries_of(db: sqlite3.Connection, work_id: str) -> dict[SpanKey, int]:
    """The entries of a work by the spans they and their fields were printed at: what its evidence names."""
    found: dict[SpanKey, int] = {}
    rows = db.execute('SELECT source, line, start, "end", id, 0, id FROM entries WHERE work_id = ? UNION ALL '
                      'SELECT f.source, f.line, f.start, f."end", f.entry_id, 1, f.id FROM fields f JOIN entries e '
                      'ON e.id = f.entry_id WHERE e.work_id = ?1 ORDER BY 6, 7', (work_id,))
    for source, line, start, end, entry, _, _ in rows:
        found.setdefault((source, line, start, end), entry)
    return found


def _work_rows(work: Work, ids: dict[str, int], entries: dict[SpanKey, int]) -> Iterator[tuple[str, dict]]:
    """The work's row, then the evidence of its title, aliases and fields (each field's chosen value, then
    its conflicts), then each piece of evidence's changes."""
    catalogue = work.catalogue
    yield "works", {**work_row(work), "previous_ids": json.dumps(work.previous_ids, ensure_ascii=False),
                    "chosen_by": work.title.chosen_by,
                    "catalogue_entry": catalogue.entry if catalogue else None,
                    "matched_by": json.dumps(work.matched_by, ensure_ascii=False),
                    "field_values": json.dumps({name: field.value for name, field in work.fields.items()},
                                               ensure_ascii=False, sort_keys=True)}
    for name, field in [("title", work.title), *work.fields.items()]:
        yield from _evidence_rows(work.id, name, "value", field.value, field.evidence, ids, entries,
                                  chosen_by=field.chosen_by)
        if name == "title":
            for alias in work.aliases:
                yield from _evidence_rows(work.id, name, "alias", alias.value, alias.evidence, ids, entries)
        for conflict in field.conflicts:
            ids["conflicts"] += 1
            yield "conflicts", _conflict_row(ids["conflicts"], work.id, name, field, conflict.value,
                                             conflict.evidence)
            yield from _evidence_rows(work.id, name, "conflict", conflict.value, conflict.evidence, ids, entries,
                                      conflict_id=ids["conflicts"])


def _conflict_row(number: int, work_id: str, name: str, field: WorkField, value: FieldValue,
                  evidence: list[Evidence]) -> dict:
    return {"id": number, "work_id": work_id, "field": name, "value": value_text(value),
            "chosen": value_text(field.value), "chosen_by": field.chosen_by,
            "documents": len({e.source for e in evidence if e.catalogue_entry is None}), "evidence": len(evidence)}


def _evidence_rows(work_id: str, name: str, role: str, value: FieldValue, evidence: list[Evidence],
                   ids: dict[str, int], entries: dict[SpanKey, int], chosen_by: str | None = None,
                   conflict_id: int | None = None) -> Iterator[tuple[str, dict]]:
    text = value_text(value)
    for piece in evidence:
        ids["evidence"] += 1
        span, from_catalogue = piece.span, piece.catalogue_entry is not None
        row = {"id": ids["evidence"], "work_id": work_id, "field": name, "role": role, "value": text,
               "chosen_by": chosen_by, "conflict_id": conflict_id, "rank": piece.rank, "raw": piece.raw,
               "source": None if from_catalogue else piece.source,
               "catalogue": piece.source if from_catalogue else None, "catalogue_entry": piece.catalogue_entry}
        if span is not None:
            row |= {"line": span.line, "start": span.start, "end": span.end,
                    "entry_id": None if from_catalogue else entries.get((piece.source, span.line, span.start,
                                                                         span.end))}
        yield "evidence", row
        yield from _change_rows(piece.rules, "evidence_id", ids["evidence"])


class TableFiles:
    """listparse.db and the Parquet files of one run as output files, from one build of the database.

    With Parquet alone the database is built in a temporary directory (under TMPDIR) and removed once the
    last table is written; with both, the Parquet files are read from the listparse.db just written.
    """

    def __init__(self, documents: Callable[[], Iterable[Document]], works: Callable[[], Iterable[Work]]) -> None:
        self.documents, self.works = documents, works
        self._built: Path | None = None
        self._scratch: Path | None = None

    def files(self, sqlite: bool, parquet: bool) -> dict[str, Callable[[Path], None]]:
        files: dict[str, Callable[[Path], None]] = {}
        if sqlite:
            files["listparse.db"] = self._write_database
        if parquet:
            files |= {f"{name}.parquet": partial(self._write_parquet, name) for name in TABLE_NAMES}
        return files

    def _write_database(self, path: Path) -> None:
        write_database(self.documents(), self.works(), path)
        self._built = path

    def _write_parquet(self, name: str, path: Path) -> None:
        from .parquet import write_parquet

        if self._built is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="listparse-tables-"))
            weakref.finalize(self, shutil.rmtree, self._scratch, True)  # also when a write fails half-way
            self._write_database(self._scratch / "listparse.db")
        assert self._built is not None
        write_parquet(self._built, BY_NAME[name], path)
        if name == TABLE_NAMES[-1] and self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
