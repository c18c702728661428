"""Parsed documents on disk, so a batch of any size passes through in bounded memory.

Each parsed document arrives as a `Parsed` record (JSON made where it was
parsed, often a worker process) and goes straight into an SQLite file: its
head (the document without entries) in `documents`, each entry in `entries`
with the id of its title variant. What stays in memory is what merging needs
of every entry, folded into variants (`match.Variants`), and a few counts.
Merging reads back one work's entries at a time (`mentions`), and the output
writers read back one document or work at a time.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .match import Variant, Variants
from .models import Document, Entry, Status
from .rendered import entry_cells, entry_facts, entry_row, parsed_entry_json, row_json

SCHEMA = """
CREATE TABLE documents (id INTEGER PRIMARY KEY, source TEXT NOT NULL, sha256 TEXT, status TEXT NOT NULL,
                        entries INTEGER NOT NULL, head BLOB NOT NULL, fields BLOB NOT NULL);
CREATE TABLE entries (document INTEGER NOT NULL, position INTEGER NOT NULL, variant INTEGER NOT NULL,
                      title TEXT NOT NULL, body BLOB NOT NULL, row BLOB NOT NULL,
                      PRIMARY KEY (document, position));
"""
# Built works go to a file of their own: the merge's workers read the entries while this process writes
# works, and SQLite never has one file written and read by two processes at once.
WORKS_SCHEMA = "CREATE TABLE works (number INTEGER PRIMARY KEY, body BLOB NOT NULL, row BLOB NOT NULL);"
# `entries` is a rowid table, not WITHOUT ROWID: its 1-2 KB blobs in the primary key's B-tree made reading
# a work's entries by variant twice as slow.
# Read only by this process and the processes it forks (merge workers, the second writer), and thrown away
# after the run: no journal, no fsync.
# 16 KB pages (set before the tables exist) hold a document's blobs in fewer pages: storing 4,000 documents
# took 0.32 CPU-s instead of 0.47 with SQLite's 4 KB, and reading them back no longer.
PRAGMAS = ("PRAGMA page_size = 16384", "PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF",
           "PRAGMA cache_size = -65536", "PRAGMA temp_store = FILE")


# `model_dump_json` as bytes, without its wrapper's keyword handling and the str round trip (a tenth of its cost).
document_json_bytes = Document.__pydantic_serializer__.to_json


@dataclass(frozen=True, slots=True)
class Parsed:
    """One parsed document, ready to store and write: its head and entries as JSON, each entry's title
    facts and entries.csv cells, its fields.csv rows, and the few facts the parent needs (so it never
    rebuilds the models; see `rendered`)."""

    source: str
    sha256: str | None
    status: Status
    warnings: int
    head: bytes  # the Document's JSON with no entries
    entries: tuple[tuple[str, int | None, str | None, bytes, bytes], ...]  # (title, year, kind, JSON, row)
    columns: frozenset[str]  # the entries.csv columns its metadata fields need
    fields: bytes  # its fields.csv rows without their source, as JSON

    @classmethod
    def of(cls, document: Document) -> Parsed:
        entries = []
        columns: set[str] = set()
        fields: list[list] = []
        for entry in document.entries:  # each entry's fields walked once for both CSV files
            cells, rows = entry_cells(entry)
            columns.update(cells)
            fields += rows
            entries.append((entry.title, *entry_facts(entry), parsed_entry_json(entry),
                            entry_row(entry, cells)))
        head = document_json_bytes(document, exclude={"entries"}, exclude_defaults=True)
        return cls(document.source, document.sha256, document.status, len(document.warnings), head, tuple(entries),
                   frozenset(columns), row_json(fields))


def field_columns_of(entries: Iterable[Entry]) -> set[str]:
    """The entries.csv columns the entries' metadata fields need (see `entry_cells`)."""
    return {column for entry in entries for column in entry_cells(entry)[0]}


STORE_PREFIX = "listparse-store-"
STORE_RE = re.compile(rf"{STORE_PREFIX}(\d+)-\w+\Z")  # listparse-store-<pid of its owner>-<random>


class Store:
    """Parsed documents in SQLite: in a temporary directory (under TMPDIR) when `on_disk`, else in memory.

    Close it when done; closing removes the directory. The directory's name holds the owner's pid and the
    owner keeps a `flock` on its `lock` file, so the next store can remove one whose owner was killed.
    """

    def __init__(self, on_disk: bool = False) -> None:
        self._directory = self._lock = None
        if on_disk:
            remove_stale_stores()
            self._directory = tempfile.mkdtemp(prefix=f"{STORE_PREFIX}{os.getpid()}-")
            with contextlib.suppress(OSError, ImportError):  # no flock (Windows, some network file systems)
                self._lock = _locked(Path(self._directory) / "lock")
        self._db = self._connected()
        self._db.executescript(SCHEMA)
        self._works = self._connected("works.sqlite")
        self._works.executescript(WORKS_SCHEMA)
        self.variants = Variants()
        self.columns: set[str] = set()
        self.failed: list[Document] = []
        self.documents = self.entries = self.warnings = 0

    def _connected(self, name: str = "batch.sqlite") -> sqlite3.Connection:
        db = sqlite3.connect(Path(self._directory) / name if self._directory else ":memory:")
        for pragma in PRAGMAS:
            db.execute(pragma)
        return db

    @property
    def reopenable(self) -> bool:
        """Whether a forked process can read the store itself (one on disk; one in memory is this process's)."""
        return self._directory is not None

    def reopen(self, cache_mb: int | None = None) -> None:
        """In a forked process: read through a connection of its own, as SQLite's cannot cross a fork. The
        inherited one is kept, never used or closed here: it is the parent's. `cache_mb`: a smaller page
        cache than the writer's, for a reader that reads each row once."""
        if not self.reopenable:
            raise ValueError("a store in memory cannot be read from another process")
        self._inherited = self._db, self._works
        self._db, self._works = self._connected(), self._connected("works.sqlite")
        if cache_mb is not None:
            self._db.execute(f"PRAGMA cache_size = -{int(cache_mb) * 1024}")

    def add(self, parsed: Parsed) -> None:
        """Store one document."""
        cursor = self._db.execute(
            "INSERT INTO documents (source, sha256, status, entries, head, fields) VALUES (?,?,?,?,?,?)",
            (parsed.source, parsed.sha256, parsed.status, len(parsed.entries), parsed.head, parsed.fields))
        number = cursor.lastrowid
        add_variant = self.variants.add
        self._db.executemany("INSERT INTO entries VALUES (?,?,?,?,?,?)", [
            (number, position, add_variant(parsed.source, position, title, year, kind), title, body, row)
            for position, (title, year, kind, body, row) in enumerate(parsed.entries)])
        self.columns |= parsed.columns
        self.documents += 1
        self.entries += len(parsed.entries)
        self.warnings += parsed.warnings
        if parsed.status != "ok":
            self.failed.append(Document.model_validate_json(parsed.head))

    def add_document(self, document: Document) -> None:
        self.add(Parsed.of(document))

    def take_variants(self) -> list[Variant]:
        """Every title variant, by id; the store lets go of them (merging frees each with its work)."""
        variants, self.variants = self.variants.all, Variants()
        return variants

    def index(self) -> None:
        """Call once every document is in, before reading entries by variant."""
        self._db.execute("CREATE INDEX IF NOT EXISTS entries_by_variant ON entries (variant)")
        self._db.execute("CREATE INDEX IF NOT EXISTS documents_by_source ON documents (source, id)")

    def mention_rows(self, variants: list[int]) -> list[tuple[str, int, bytes]]:
        """Every entry printing one of `variants`, as (source, position, its JSON), in source order."""
        found = []
        for start in range(0, len(variants), 500):  # SQLite limits the parameters of one statement
            chunk = variants[start:start + 500]
            found += self._db.execute(
                "SELECT d.source, e.position, e.body FROM entries e JOIN documents d ON d.id = e.document "
                f"WHERE e.variant IN ({','.join('?' * len(chunk))})", chunk).fetchall()
        found.sort(key=lambda row: (row[0], row[1]))
        return found

    def in_source_order(self) -> Iterator[tuple[Document, list[tuple[int, Entry]]]]:
        """Each document's head with its (variant, entry) pairs, documents sorted by source."""
        for _, head, entries in self.rendered_documents():
            yield Document.model_validate_json(head), [(variant, Entry.model_validate_json(body))
                                                        for variant, _, body in entries]

    def rendered_documents(self) -> Iterator[tuple[str, bytes, list[tuple[int, str, bytes]]]]:
        """Each document's source, head JSON and (variant, title, JSON) of its entries, sorted by source."""
        entries = self._db.cursor()
        for number, source, head in self._db.execute("SELECT id, source, head FROM documents ORDER BY source, id"):
            rows = entries.execute("SELECT variant, title, body FROM entries WHERE document = ? ORDER BY position",
                                   (number,))
            yield source, head, rows.fetchall()

    def entry_rows(self) -> Iterator[tuple[str, int, str, bytes]]:
        """(source, variant, title, entries.csv row JSON) of every entry, documents sorted by source."""
        yield from self._db.execute("SELECT d.source, e.variant, e.title, e.row FROM documents d "
                                    "JOIN entries e ON e.document = d.id ORDER BY d.source, d.id, e.position")

    def field_rows(self) -> Iterator[tuple[str, bytes]]:
        """(source, fields.csv rows JSON) of each document, sorted by source."""
        yield from self._db.execute("SELECT source, fields FROM documents ORDER BY source, id")

    def heads(self) -> Iterator[tuple[Document, int]]:
        """Each document without its entries, and how many it has, sorted by source."""
        for head, entries in self._db.execute("SELECT head, entries FROM documents ORDER BY source, id"):
            yield Document.model_validate_json(head), entries

    def references(self) -> Iterator[tuple[str, str | None, Status, int]]:
        """(source, sha256, status, entries) of each document, sorted by source."""
        yield from self._db.execute("SELECT source, sha256, status, entries FROM documents ORDER BY source, id")

    def put_work(self, number: int, body: bytes, row: bytes) -> None:
        """Store a built work: its JSON (id still empty) and its works.csv row JSON (see `rendered`)."""
        self._works.execute("INSERT INTO works VALUES (?, ?, ?)", (number, body, row))

    def commit(self) -> None:
        """Make what was stored readable through other connections (a forked process's, see `reopen`)."""
        self._db.commit()
        self._works.commit()

    def work(self, number: int) -> bytes:
        return self._works.execute("SELECT body FROM works WHERE number = ?", (number,)).fetchone()[0]

    def work_row(self, number: int) -> bytes:
        return self._works.execute("SELECT row FROM works WHERE number = ?", (number,)).fetchone()[0]

    def close(self) -> None:
        self._db.close()
        self._works.close()
        if self._directory:
            shutil.rmtree(self._directory, ignore_errors=True)
        if self._lock is not None:
            self._lock.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def remove_stale_stores() -> None:
    """Remove the stores of killed runs from TMPDIR: those whose owner's process is gone and whose lock
    nobody holds (the pid alone could be another container's, the lock alone is not there yet at birth)."""
    root = Path(tempfile.gettempdir())
    try:
        names = os.listdir(root)
    except OSError:
        return
    for name in names:
        found = STORE_RE.match(name)
        if found is None or _running(int(found[1])):
            continue
        try:
            lock = _locked(root / name / "lock")
        except (OSError, ImportError):  # locked by a live owner, or not a store directory after all
            continue
        shutil.rmtree(root / name, ignore_errors=True)
        lock.close()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, owned by someone else
        return True
    return True


def _locked(path: Path):
    """The file at `path`, opened and exclusively flock'ed; BlockingIOError when another process holds it."""
    import fcntl

    lock = open(path, "a")  # noqa: SIM115 - held open while the store lives
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock.close()
        raise
    return lock
