"""A cache of parsed documents: one SQLite file per parser version, shared safely by concurrent runs.

Re-running on a batch where a few files changed re-parses only those. The
cache lives in `<cache dir>/documents-<fingerprint>.sqlite`, where the
fingerprint hashes listparse's own source files, so any change to the parser
(or its label tables) starts a new file. Within it a document is found by
`cache_key`: the sha256 of its bytes, the format its name implies (the same
bytes parse differently as `.txt` and as `.html`) and the parse settings.
The key never depends on a file's name otherwise, nor on time; an entry is
used only when it holds the parse of those very bytes (its sha256 is checked).

What is stored are the pieces of a `store.Parsed` record (the document's head
as JSON, each entry's JSON, title facts and CSV cells), one row a document, so
a hit becomes the record the store takes without building or serialising a
single model: cached and fresh runs write byte-identical output.

Several runs use the same file at once: WAL mode (readers never wait), a
busy timeout, `INSERT OR IGNORE` (a key always holds the same parse), and one
connection per process, opened in that process: a run's worker processes
read through their own, and the run's parent writes the fresh parses in
batches.

The layout before this one (a directory per fingerprint holding one JSON file
per document) is removed when a cache directory is first used; so are the
files of other parser versions that no run has touched for `STALE_DAYS`.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sqlite3
import time
from functools import lru_cache
from pathlib import Path

from pydantic_core import to_json

from .errors import ListparseError
from .read import TEXT_SUFFIXES
from .store import Parsed

log = logging.getLogger(__name__)

CACHE_DIR_ENV = "LISTPARSE_CACHE_DIR"
STALE_DAYS = 7

SCHEMA = """
CREATE TABLE IF NOT EXISTS parses (key TEXT PRIMARY KEY, sha256 TEXT NOT NULL, status TEXT NOT NULL,
                                   warnings INTEGER NOT NULL, columns TEXT NOT NULL, head BLOB NOT NULL,
                                   fields BLOB NOT NULL, entries BLOB NOT NULL);
"""
# One row per document, its entries packed into one blob (`packed_entries`): a row an entry, or a table
# WITHOUT ROWID holding the blobs in its B-tree, made a cold run's writes cost 2-4x as much CPU.
OLD_LAYOUT_RE = re.compile(r"[0-9a-f]{16}")  # a fingerprint directory of the one-file-per-document layout
ANONYMOUS = ""  # the source name a head is stored under; a hit gets the name of the file it is for


def default_cache_dir() -> Path:
    """$LISTPARSE_CACHE_DIR, else $XDG_CACHE_HOME/listparse, else ~/.cache/listparse."""
    if os.environ.get(CACHE_DIR_ENV):
        return Path(os.environ[CACHE_DIR_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "listparse"


@lru_cache(maxsize=1)
def parser_fingerprint() -> str:
    """A hash of every module of the package: the parser's version, exactly."""
    import hashlib

    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_key(sha256: str, source: str, settings: str = "") -> str:
    """What a parse depends on besides the parser: the bytes, the format the name implies, and `settings`
    (any option that changes the parse, as text).

    >>> cache_key("ab12", "raw/a.txt") == cache_key("ab12", "other/b.TXT")
    True
    >>> cache_key("ab12", "a.txt") == cache_key("ab12", "a.html")
    False
    """
    implied = TEXT_SUFFIXES.get(Path(source).suffix.lower(), "sniffed")
    return f"{sha256}:{implied}:{settings}"


def prepare_cache(directory: Path) -> Path | None:
    """Check the cache directory before a run: create it and its database, and clear stale layouts.

    A path that is a file (or under one) is a configuration mistake and raises
    ListparseError; a cache that cannot be used for another reason (no
    permission, a broken database) logs a warning and gives None: the run
    parses everything afresh.
    """
    if directory.exists() and not directory.is_dir():
        raise ListparseError(f"cache directory {directory} is a file: point --cache-dir or {CACHE_DIR_ENV} "
                             "at a directory, or use --no-cache")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise ListparseError(f"cache directory {directory} is under a file: point --cache-dir or "
                             f"{CACHE_DIR_ENV} at a directory, or use --no-cache") from None
    except OSError as error:
        log.warning("cannot use the cache in %s: %s; parsing every document afresh", directory,
                    error.strerror or error)
        return None
    cache = Cache.open(directory)
    if cache is None:
        return None
    cache.close()
    _remove_stale(directory)
    return directory


def _use_wal(db: sqlite3.Connection, attempts: int = 300) -> None:
    """Switch the database to WAL (it stays so in the file). Switching needs the database to itself and
    SQLite does not wait for that, so a run that starts beside another retries for up to 30 s."""
    for _ in range(attempts):
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0] == "wal" or \
                    db.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal":
                return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                raise
        time.sleep(0.1)
    raise sqlite3.OperationalError("database is locked (could not switch it to WAL)")


class Cache:
    """Parsed records in one SQLite file; open one per process with `Cache.open`."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    @classmethod
    def open(cls, directory: Path) -> Cache | None:
        """The cache in `directory` (created if needed); None, with a warning, when it cannot be used."""
        path = Path(directory) / f"documents-{parser_fingerprint()}.sqlite"
        try:
            Path(directory).mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            # Only a new file takes it (before WAL): 16 KB pages write a batch's blobs with a quarter less CPU.
            db.execute("PRAGMA page_size = 16384")
            _use_wal(db)
            db.execute("PRAGMA synchronous = NORMAL")  # in WAL mode: safe from corruption, no fsync per write
            db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as error:
            log.warning("cannot use the cache %s: %s; parsing every document afresh", path,
                        getattr(error, "strerror", None) or error)
            return None
        return cls(db)

    def get(self, key: str, sha256: str, source: str) -> Parsed | None:
        """The cached parse under `key`, named `source`; None on a miss, or when the entry is not the parse
        of content `sha256` (it is then removed)."""
        try:
            row = self._db.execute("SELECT sha256, status, warnings, columns, head, fields, entries FROM parses "
                                   "WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as error:
            log.debug("cache read failed for %s: %s", source, error)
            return None
        if row is None:
            return None
        stored_sha256, status, warnings, columns, head, fields, packed = row
        entries = unpacked_entries(packed) if stored_sha256 == sha256 and _holds(head, sha256) else None
        if entries is None:
            log.warning("%s: the cache held another document under its key; parsing it afresh", source)
            self._forget(key)
            return None
        return Parsed(source, sha256, status, warnings, _renamed(head, ANONYMOUS, source), entries,
                      frozenset(json.loads(columns)), fields)

    def put(self, key: str, parsed: Parsed) -> None:
        """Store a parsed record under `key`."""
        self.put_many([(key, parsed)])

    def put_many(self, records: list[tuple[str, Parsed]]) -> None:
        """Store parsed records under their keys, in one transaction (a failure to write is not an error:
        it is only a cache). A key already stored keeps its record: it is the same parse."""
        rows = [(key, parsed.sha256, parsed.status, parsed.warnings, json.dumps(sorted(parsed.columns)),
                 _renamed(parsed.head, parsed.source, ANONYMOUS), parsed.fields, packed_entries(parsed.entries))
                for key, parsed in records if parsed.sha256 is not None]
        if not rows:
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany("INSERT OR IGNORE INTO parses VALUES (?,?,?,?,?,?,?,?)", rows)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        except sqlite3.Error as error:
            log.debug("cache write of %d document(s) failed: %s", len(rows), error)

    def close(self) -> None:
        self._db.close()

    def _forget(self, key: str) -> None:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM parses WHERE key = ?", (key,))
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            log.debug("cache cleanup failed: %s", error)
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")


Entries = tuple[tuple[str, int | None, str | None, bytes, bytes], ...]  # as `Parsed.entries` holds them


def packed_entries(entries: Entries) -> bytes:
    """A document's entries as one blob: the length of a JSON index, the index (each entry's title, year,
    kind and the lengths of its two byte strings), then those byte strings one after another.

    >>> unpacked_entries(packed_entries((("Akira", 1988, "film", b'{"rank":1}', b'[]'),)))
    (('Akira', 1988, 'film', b'{"rank":1}', b'[]'),)
    """
    index = json.dumps([[title, year, kind, len(body), len(row)] for title, year, kind, body, row in entries],
                       ensure_ascii=False, separators=(",", ":")).encode()
    return b"".join([len(index).to_bytes(4, "big"), index,
                     *(part for *_, body, row in entries for part in (body, row))])


def unpacked_entries(blob: bytes) -> Entries | None:
    """The entries `packed_entries` made into `blob`; None when the blob is not one it made."""
    try:
        end = 4 + int.from_bytes(blob[:4], "big")
        index = json.loads(blob[4:end])
        entries = []
        for title, year, kind, body_length, row_length in index:
            body_end = end + body_length
            entries.append((title, year, kind, blob[end:body_end], blob[body_end:body_end + row_length]))
            end = body_end + row_length
    except (ValueError, TypeError):
        return None
    return tuple(entries) if end == len(blob) else None


def _holds(head: bytes, sha256: str) -> bool:
    """Whether a stored head is the parse of content `sha256` (pydantic writes the field exactly so)."""
    return f'"sha256":"{sha256}"'.encode() in head


def _renamed(head: bytes, old: str, new: str) -> bytes:
    """The head JSON with its `source` (always its first field) changed from `old` to `new`."""
    prefix = b'{"source":' + to_json(old)
    if not head.startswith(prefix):
        raise ValueError("a document head does not start with its source")
    return b'{"source":' + to_json(new) + head[len(prefix):]


def _remove_stale(directory: Path) -> None:
    """Remove the old one-file-per-document layout, and other parser versions' files unused for a while."""
    cutoff = time.time() - STALE_DAYS * 86400
    for path in directory.iterdir():
        try:
            if path.is_dir() and OLD_LAYOUT_RE.fullmatch(path.name) and _is_old_layout(path):
                shutil.rmtree(path, ignore_errors=True)
            elif path.name.startswith("documents-") and path.suffix == ".sqlite" and \
                    path.name != f"documents-{parser_fingerprint()}.sqlite":
                files = [path, *(path.with_name(path.name + end) for end in ("-wal", "-shm"))]
                if max(file.stat().st_mtime for file in files if file.exists()) < cutoff:
                    for file in files:
                        file.unlink(missing_ok=True)
        except OSError:
            continue


def _is_old_layout(path: Path) -> bool:
    """A directory of two-hex-digit folders, as the one-file-per-document cache wrote (nothing else)."""
    return all(child.is_dir() and re.fullmatch(r"[0-9a-f]{2}", child.name) for child in path.iterdir())
