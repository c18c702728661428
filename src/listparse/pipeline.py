"""The whole flow in one page: paths → documents → works → output files.

    sources = find_sources(paths)                 # files, directories, "-"
    for parsed in parse_sources(sources):         # read → parse → normalize; never raises
        store.add(parsed)                         # onto disk: memory stays flat as the batch grows
    merged = merge_store(store)                   # one canonical record per work, built one at a time
    write_outputs(output_files(merged), out)      # read back and written one by one; atomic, deterministic
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import signal
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from .errors import ListparseError, NothingReadError, ReadError, WorkspaceError
from .inputs import Inputs, Root, Source, find_inputs, find_sources
from .limits import check_titles, deadline
from .merge import Merged, merge_store
from .models import Dataset, Document, Work
from .normalize import normalize_document
from .parse import parse_bytes
from .read import TEXT_SUFFIXES, read_file
from .store import Parsed, Store
from .warc import read_record, with_record_facts

if TYPE_CHECKING:
    from .aliases import Aliases
    from .cache import Cache
    from .catalogue import Catalogue
    from .outdir import Content
    from .previous import PreviousRun

__all__ = ["IngestOptions", "Inputs", "Knowledge", "Result", "Root", "Source", "find_inputs", "find_sources",
           "ingest", "load_knowledge", "output_files", "parse_record", "parse_source", "parse_sources",
           "previous_run", "run"]

log = logging.getLogger(__name__)

UNREAD = ("missing", "unreadable")  # statuses of a source whose bytes never arrived
MIN_ENTRIES_TO_WRITE_SIDE_BY_SIDE = 5000  # about 0.1 s of writing: below, a second process costs more than it saves


Formats = tuple[Literal["json", "jsonl", "csv", "sqlite", "parquet"], ...]


class IngestOptions(BaseModel):
    """How to ingest: where to write, and what outside knowledge to use."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    out: Path | None = None
    catalogue: Path | None = None
    aliases: Path | None = None
    formats: Formats = ("json", "csv")
    jobs: int = 1  # worker processes for parsing; 0 means one per core
    cache_dir: Path | None = None  # where parsed documents are cached; None: no cache
    limit: int | None = None  # read only the first `limit` sources found
    follow_symlinks: bool = False  # read links in a directory that point out of it
    previous: Path | None = None  # the output of a run to carry ids from; None: the run `out` holds, if any
    fresh_ids: bool = False  # give every work a fresh id, carrying none from a previous run
    indent: int | None = None  # indent the JSON files by this many spaces; None: compact, a record a line


class Result:
    """What one ingest produced, kept on disk until closed: documents and works are read back one at a time.

    Use it as a context manager (`with run(...) as result:`), or call `close()`.
    """

    def __init__(self, merged: Merged, skipped: dict[str, Counter[str]] | None = None,
                 roots: list[Root] | None = None, settings: IngestOptions | None = None,
                 files: dict[str, dict[str, str] | None] | None = None, previous: PreviousRun | None = None) -> None:
        self.merged = merged
        self.skipped = skipped or {}  # web archive → records that were not documents, by reason
        self.roots = roots or []  # the inputs as given, and how their documents are named
        self.settings = settings or IngestOptions()
        self.files = files or {}  # the catalogue's and aliases file's path and sha256, for run.json
        self.previous = previous  # the run ids were carried from

    @property
    def ids_from(self) -> dict[str, str] | None:
        """The previous run's file the ids were carried from, and its sha256 (for the manifest)."""
        return None if self.previous is None else {"file": self.previous.file, "sha256": self.previous.sha256}

    def record(self) -> dict:
        """The run record written as run.json (see `run_record`)."""
        from .run_record import run_record

        return run_record(self.roots, self.settings, self.files, self.counts)

    def documents(self) -> Iterator[Document]:
        """Every document (failed ones too), sorted by source, entries with their work ids."""
        return self.merged.documents()

    def works(self) -> Iterator[Work]:
        """The merged works, sorted by id."""
        return self.merged.works()

    @property
    def failed(self) -> list[Document]:
        """The documents that could not be parsed (without entries: they have none)."""
        return sorted(self.merged.store.failed, key=lambda document: document.source)

    @property
    def counts(self) -> dict[str, int]:
        store = self.merged.store
        return {"documents": store.documents, "failed": len(store.failed), "entries": store.entries,
                "works": len(self.merged.work_ids), "conflicts": self.merged.conflicts,
                "warnings": store.warnings,
                "skipped_records": sum(sum(counts.values()) for counts in self.skipped.values())}

    @property
    def forked_reader(self) -> Callable[[], None] | None:
        """What a forked process calls to read this result itself, to write half the files beside this one
        (see `side_by_side`); None when that cannot be (a store in memory) or would not pay (one job asked
        for, or a batch so small that starting the process costs more than it saves)."""
        store = self.merged.store
        if self.settings.jobs == 1 or not store.reopenable or store.entries < MIN_ENTRIES_TO_WRITE_SIDE_BY_SIDE:
            return None
        return store.reopen

    def require_something_read(self) -> None:
        """Raise `NothingReadError` unless at least one document was read: a batch whose sources were all
        missing or unreadable (or that had none) has nothing to replace an output with.

        A document that was read but holds no list (empty, binary, no-list) counts as read: its row in
        documents.csv is a real result.
        """
        store = self.merged.store
        unread = [document for document in self.failed if document.status in UNREAD]
        if len(unread) < store.documents:
            return
        if not unread:
            raise NothingReadError("no document was read: no file with a known suffix "
                                   f"({', '.join(sorted(TEXT_SUFFIXES))}) under the given paths")
        named = "; ".join(f"{document.source}: {document.message}" for document in unread[:3])
        more = f"; and {len(unread) - 3} more" if len(unread) > 3 else ""
        glob = any(character in document.source for document in unread for character in "*?[")
        hint = "; the shell passes a pattern that matches no file through unexpanded" if glob else ""
        raise NothingReadError(f"no document was read ({named}{more}{hint})")

    def close(self) -> None:
        self.merged.store.close()

    def __enter__(self) -> Result:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def ingest(paths: Iterable[str | Path] | str | Path, **options) -> Dataset:
    """Parse, normalize and merge every source under `paths` (one path, or several); write outputs when
    `out` is given.

    Options are the fields of `IngestOptions` (`out`, `catalogue`, `aliases`,
    `formats`, `jobs`, `cache_dir`, `follow_symlinks`, `previous`, `fresh_ids`). The whole result is
    returned in memory; the parsed documents are on `Dataset.parsed_documents`. Works that persist
    from the run in `previous` (default: the one `out` holds) keep its ids (see `ids`).
    """
    with run(paths, IngestOptions(**options)) as result:
        dataset = result.merged.dataset()
        dataset._parsed_documents = list(result.documents())
    return dataset


def run(paths: Iterable[str | Path] | str | Path, settings: IngestOptions,
        progress: Callable[[int, int, str], None] | None = None,
        phase: Callable[[str], None] | None = None) -> Result:
    """The whole flow; `progress(done, total, "parsing")` is called after each document is parsed,
    `progress(built, works, "merging")` as works are built, and `phase(what)` as merging and writing
    begin (each phase is also logged at INFO with its time).

    Parsed documents go to a temporary file (under TMPDIR) that the returned
    `Result` removes when it is closed.
    """
    knowledge = load_knowledge(settings)
    previous = previous_run(settings)
    skipped: dict[str, Counter[str]] = {}
    inputs = find_inputs(paths, settings.follow_symlinks, skipped)
    sources = inputs.sources
    if settings.limit is not None:
        sources = sources[:settings.limit]
    cache_dir = None
    if settings.cache_dir is not None:
        from .cache import prepare_cache

        cache_dir = prepare_cache(settings.cache_dir)
    with _workspace(OSError):
        store = Store(on_disk=True)
    announce = phase or (lambda what: None)
    try:
        with _collector_paused(), _workspace():
            started = time.perf_counter()
            for done, parsed in enumerate(parse_sources(sources, settings.jobs, cache_dir), 1):
                store.add(parsed)
                if progress is not None:
                    progress(done, len(sources), "parsing")
            log.info("parsed %d document(s), %d failed, %d entries in %.2fs", store.documents,
                     len(store.failed), store.entries, time.perf_counter() - started)
            announce(f"merging {store.entries} entries")
            started = time.perf_counter()
            merging = None if progress is None else lambda built, works: progress(built, works, "merging")
            merged = merge_store(store, knowledge.catalogue, knowledge.aliases, merging, previous, settings.jobs)
            result = Result(merged, skipped, inputs.roots, settings, knowledge.files, previous)
            log.info("merged into %d works in %.2fs", len(result.merged.work_ids), time.perf_counter() - started)
        if settings.out is not None:
            from .export import write_outputs

            result.require_something_read()
            announce(f"writing {settings.out}")
            started = time.perf_counter()
            write_outputs(output_files(result, settings.formats), settings.out, result.ids_from, result.forked_reader)
            log.info("wrote %s in %.2fs", settings.out, time.perf_counter() - started)
    except BaseException:
        store.close()
        raise
    return result


def previous_run(settings: IngestOptions) -> PreviousRun | None:
    """The run to carry ids from: `previous`, else the one `out` holds; None (fresh ids) with `fresh_ids`,
    without one, or when it cannot be read (a one-line warning says why)."""
    from .previous import PreviousRunError, holds_run, read_previous

    directory = settings.previous or settings.out
    if settings.fresh_ids or directory is None:
        return None
    if settings.previous is None and not holds_run(directory):
        return None
    try:
        previous = read_previous(directory)
    except PreviousRunError as error:
        log.warning("%s; every work gets a fresh id", error)
        return None
    log.info("carrying ids from %s", directory / previous.file)
    return previous


@dataclass(frozen=True, slots=True)
class Knowledge:
    """The catalogue and aliases a run merges with, and their files' records (path, sha256) for run.json."""

    catalogue: Catalogue | None
    aliases: Aliases | None
    files: dict[str, dict[str, str] | None]


def load_knowledge(settings: IngestOptions) -> Knowledge:
    """Load the catalogue and aliases files the settings name; a bad one raises a ListparseError."""
    from .run_record import file_record

    catalogue = aliases = None
    if settings.catalogue is not None:
        from .catalogue import load_catalogue

        catalogue = load_catalogue(settings.catalogue)
    if settings.aliases is not None:
        from .aliases import load_aliases

        aliases = load_aliases(settings.aliases)
    return Knowledge(catalogue, aliases, {"catalogue": file_record(settings.catalogue),
                                          "aliases": file_record(settings.aliases)})


@contextmanager
def _workspace(*also: type[Exception]):
    """A temporary store that cannot be written (SQLite's errors, and `also`) is one clear error, with
    what to do about it."""
    import sqlite3
    import tempfile

    caught: tuple[type[Exception], ...] = (sqlite3.Error, *also)
    try:
        yield
    except caught as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise WorkspaceError(f"cannot write the temporary store under {tempfile.gettempdir()}: {reason} "
                             "(set TMPDIR to a directory with room for about the size of documents.json)") from None


@contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector while documents pile up.

    Parsing and merging create millions of small objects and no reference
    cycles; the collector's passes over them cost 40% of parse time and half
    of merge time (benchmarks/run.py). Memory is freed by reference counting.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def output_files(result: Result, formats: Iterable[str]) -> dict[str, Content]:
    """Every output file for the chosen formats (json, jsonl, csv, sqlite, parquet): chunks of text made as
    written, or (the database and Parquet tables) a function that writes the file; and the run record
    (run.json) with every format."""
    from . import export
    from .run_record import RUN_RECORD, run_json

    formats = set(formats)
    merged, indent = result.merged, result.settings.indent
    files: dict[str, Content] = {RUN_RECORD: run_json(result.record())}
    if "csv" in formats:
        files |= {"entries.csv": export.entries_csv(merged.entry_records(), merged.store.columns),
                  "fields.csv": export.fields_csv(merged.field_records()),
                  "documents.csv": export.documents_csv(merged.store.heads()),
                  "works.csv": export.works_csv(merged.work_records(), merged.field_names, bool(merged.previous_ids))}
    if "json" in formats:
        files |= {"documents.json": export.documents_json(merged.documents_rendered(), indent),
                  "works.json": export.works_json(merged.references(), merged.works_rendered(), indent)}
    if "jsonl" in formats:
        files |= {"documents.jsonl": export.documents_jsonl(merged.documents_rendered()),
                  "entries.jsonl": export.entries_jsonl(merged.documents_rendered()),
                  "works.jsonl": export.works_jsonl(merged.works_rendered())}
    if formats & {"sqlite", "parquet"}:
        from .database import TableFiles

        if "parquet" in formats:
            from .parquet import require_pyarrow

            require_pyarrow()
        files |= TableFiles(merged.documents, merged.works).files("sqlite" in formats, "parquet" in formats)
    return files


UNCACHED_STATUSES = frozenset({"timeout", "too-large", "error"})
MIN_PER_WORKER = 32  # below this many documents per worker, processes cost more than they save


CACHE_BATCH = 64  # fresh parses written to the cache in one transaction
PARSE_BATCH = 256  # sources handed to the workers at once; two batches in flight keep them busy


def parse_sources(sources: list[Source], jobs: int = 1, cache_dir: Path | None = None) -> Iterator[Parsed]:
    """Parse sources in order, in `jobs` worker processes (0: one per core) when the batch is big enough.

    Each document comes back as a `Parsed` record: JSON made in the worker (or
    read from the cache), which the parent stores without rebuilding the models.
    Workers only read the cache; the parent writes the fresh parses to it, a
    batch at a time, so the workers never wait for each other's writes.
    """
    workers = min(jobs or os.cpu_count() or 1, max(1, len(sources) // MIN_PER_WORKER))
    stdin = [source for source in sources if source.path is None]
    if workers <= 1 or stdin:
        cache = _open_cache(cache_dir)
        yield from _cache_fresh(cache, (parse_record(source, cache) for source in sources))
        return
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(workers, initializer=_start_worker,
                                                  initargs=(cache_dir,)) as pool:
        # The cache is opened after the fork: its own connection.
        yield from _cache_fresh(_open_cache(cache_dir), _in_batches(pool, sources))


def _in_batches(pool, sources: list[Source]) -> Iterator[tuple[Parsed, str | None]]:
    """The pool's records in order, at most two batches of sources in flight. Without a bound, workers
    reading a warm cache send records faster than this process stores them, and they pile up here."""
    pending: deque = deque()
    for start in range(0, len(sources), PARSE_BATCH):
        pending.append(pool.imap(_parse_in_worker, sources[start:start + PARSE_BATCH], chunksize=16))
        if len(pending) > 1:
            yield from pending.popleft()
    while pending:
        yield from pending.popleft()


def _cache_fresh(cache: Cache | None, results: Iterable[tuple[Parsed, str | None]]) -> Iterator[Parsed]:
    """Pass the records on, writing those parsed afresh to `cache` under their keys."""
    fresh: list[tuple[str, Parsed]] = []
    try:
        for parsed, key in results:
            if cache is not None and key is not None:
                fresh.append((key, parsed))
                if len(fresh) >= CACHE_BATCH:
                    cache.put_many(fresh)
                    fresh.clear()
            yield parsed
    finally:
        if cache is not None:
            cache.put_many(fresh)
            cache.close()


_worker_cache: Cache | None = None  # a worker process's own connection to the cache, opened after the fork


def _start_worker(cache_dir: Path | None) -> None:
    """Workers leave interruption to the parent: Ctrl-C is ignored, SIGTERM (the pool's own way to stop
    them) just ends them, without the parent's handlers and their tracebacks."""
    global _worker_cache
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _worker_cache = _open_cache(cache_dir)


def _parse_in_worker(source: Source) -> tuple[Parsed, str | None]:
    return parse_record(source, _worker_cache)


def _open_cache(cache_dir: Path | None) -> Cache | None:
    if cache_dir is None:
        return None
    from .cache import Cache

    return Cache.open(cache_dir)


def parse_record(source: Source, cache: Cache | None = None) -> tuple[Parsed, str | None]:
    """Read, parse and normalize one source into the record the store takes, from `cache` when it holds
    it; with the cache key to store the record under when it was parsed afresh (else None)."""
    if cache is None or source.record is not None:  # a record's facts come from its archive, not its bytes
        return Parsed.of(parse_source(source)), None
    from .cache import cache_key

    try:
        data = _read(source)
    except ReadError as error:
        return Parsed.of(Document(source=source.name, status=error.status, message=error.reason)), None
    sha256 = hashlib.sha256(data).hexdigest()
    key = cache_key(sha256, source.name)
    cached = cache.get(key, sha256, source.name)
    if cached is not None:
        log.debug("%s: parsed before (cache)", source.name)
        return cached, None
    document = parse_source(source, (data, sha256))
    # A timeout depends on the machine's load, a limit or an internal error on settings and code: only a
    # parse that finished on its own is kept.
    return Parsed.of(document), key if document.status not in UNCACHED_STATUSES else None


def parse_source(source: Source, content: tuple[bytes, str | None] | None = None) -> Document:
    """Read, parse and normalize one source; any failure becomes the document's status and message.

    `content`: the source's bytes and their sha256, when they were read already. A pure function of the
    source's bytes and name (and, for a web archive's record, the record's own facts)."""
    try:
        data, sha256 = (_read(source), None) if content is None else content
        known_format = "html" if source.record is not None else None
        document = _parse_within_limits(data, source.name, sha256, known_format)
        return document if source.record is None else with_record_facts(document, source.record)
    except ReadError as error:
        return Document(source=source.name, status=error.status, message=error.reason)
    except ListparseError as error:  # pragma: no cover - every subclass is handled above
        return Document(source=source.name, status="error", message=str(error))
    except RecursionError:
        return Document(source=source.name, status="error", message="document is nested too deeply to parse")
    except Exception as error:  # one broken document must never sink the batch
        log.exception("unexpected error while parsing %s", source.name)
        return Document(source=source.name, status="error",
                        message=f"internal error ({type(error).__name__}: {error}); please report it")


def _read(source: Source) -> bytes:
    if source.skipped:
        raise ReadError(source.name, "skipped", source.skipped)
    if source.path is None:
        return sys.stdin.buffer.read()
    if source.record is not None:
        return read_record(source.path, source.record.offset, source.name)
    return read_file(source.path, source.name)


def _parse_within_limits(data: bytes, name: str, sha256: str | None = None,
                         known_format: str | None = None) -> Document:
    """Parse and normalize, within the per-document limits (`limits`): over one raises LimitError."""
    with deadline(name):
        document = normalize_document(parse_bytes(data, name, sha256, known_format))
    check_titles(document)
    return document
