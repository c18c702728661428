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
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .errors import ListparseError, ReadError, WorkspaceError
from .merge import Merged, merge_store
from .models import Dataset, Document, Work
from .normalize import normalize_document
from .parse import parse_bytes
from .read import TEXT_SUFFIXES, read_file
from .store import Parsed, Store
from .warc import WarcRecord, is_warc, read_record, record_name, scan_warc, with_record_facts

log = logging.getLogger(__name__)

STDIN = "-"


@dataclass(frozen=True, slots=True)
class Source:
    """One input: where to read it and the name it gets in the output."""

    path: Path | None  # None for standard input
    name: str
    record: WarcRecord | None = None  # one record of a web archive at `path`


Formats = tuple[Literal["json", "jsonl", "csv"], ...]


class IngestOptions(BaseModel):
    """How to ingest: where to write, and what outside knowledge to use."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    out: Path | None = None
    catalogue: Path | None = None
    aliases: Path | None = None
    formats: Formats = ("json", "csv")
    jobs: int = 1  # worker processes for parsing; 0 means one per core
    cache_dir: Path | None = None  # where parsed documents are cached; None: no cache


class Result:
    """What one ingest produced, kept on disk until closed: documents and works are read back one at a time.

    Use it as a context manager (`with run(...) as result:`), or call `close()`.
    """

    def __init__(self, merged: Merged, skipped: dict[str, Counter[str]] | None = None) -> None:
        self.merged = merged
        self.skipped = skipped or {}  # web archive → records that were not documents, by reason

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
                "warnings": store.warnings, "skipped_records": sum(sum(c.values()) for c in self.skipped.values())}

    def close(self) -> None:
        self.merged.store.close()

    def __enter__(self) -> Result:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def ingest(paths: Iterable[str | Path], **options) -> Dataset:
    """Parse, normalize and merge every source under `paths`; write outputs when `out` is given.

    Options are the fields of `IngestOptions` (`out`, `catalogue`, `aliases`,
    `formats`, `jobs`, `cache_dir`). The whole result is returned in memory;
    the parsed documents are on `Dataset.parsed_documents`.
    """
    with run(paths, IngestOptions(**options)) as result:
        dataset = result.merged.dataset()
        dataset._parsed_documents = list(result.documents())
    return dataset


def run(paths: Iterable[str | Path], settings: IngestOptions,
        progress: Callable[[int, int], None] | None = None) -> Result:
    """The whole flow; `progress(done, total)` is called after each document is parsed.

    Parsed documents go to a temporary file (under TMPDIR) that the returned
    `Result` removes when it is closed.
    """
    catalogue = aliases = None
    if settings.catalogue is not None:
        from .catalogue import load_catalogue

        catalogue = load_catalogue(settings.catalogue)
    if settings.aliases is not None:
        from .aliases import load_aliases

        aliases = load_aliases(settings.aliases)
    skipped: dict[str, Counter[str]] = {}
    sources = find_sources(paths, skipped)
    with _workspace(OSError):
        store = Store(on_disk=True)
    try:
        with _collector_paused(), _workspace():
            for done, parsed in enumerate(parse_sources(sources, settings.jobs, settings.cache_dir), 1):
                store.add(parsed)
                if progress is not None:
                    progress(done, len(sources))
            result = Result(merge_store(store, catalogue, aliases), skipped)
        if settings.out is not None:
            from .export import write_outputs

            write_outputs(output_files(result, settings.formats), settings.out)
    except BaseException:
        store.close()
        raise
    return result


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


def output_files(result: Result, formats: Iterable[str]) -> dict[str, Iterable[str]]:
    """Every output file for the chosen formats (json, jsonl, csv), each as chunks of text made as written."""
    from . import export

    merged = result.merged
    files: dict[str, Iterable[str]] = {}
    if "csv" in formats:
        files |= {"entries.csv": export.entries_csv(merged.documents(), merged.store.columns),
                  "documents.csv": export.documents_csv(merged.store.heads()),
                  "works.csv": export.works_csv(merged.works(), merged.field_names)}
    if "json" in formats:
        files |= {"documents.json": export.documents_json(merged.documents()),
                  "works.json": export.works_json(merged.references(), merged.works())}
    if "jsonl" in formats:
        files |= {"entries.jsonl": export.entries_jsonl(merged.documents()),
                  "works.jsonl": export.works_jsonl(merged.works())}
    return files


def find_sources(paths: Iterable[str | Path], skipped: dict[str, Counter[str]] | None = None,
                 expand_archives: bool = True) -> list[Source]:
    """Expand files, directories (searched for known suffixes) and "-" into sources, once each.

    A web archive becomes one source per HTML response record; the records
    skipped are counted in `skipped` (by file name). With `expand_archives`
    false, an archive stays one source (a distributed engine expands it where
    it is read).
    """
    seen: set[str] = set()
    sources = []
    for given in paths:
        for source in _expand(str(given), skipped if skipped is not None else {}, expand_archives):
            if source.name not in seen:
                seen.add(source.name)
                sources.append(source)
    return sources


MIN_PER_WORKER = 32  # below this many documents per worker, processes cost more than they save


def parse_sources(sources: list[Source], jobs: int = 1, cache_dir: Path | None = None) -> Iterator[Parsed]:
    """Parse sources in order, in `jobs` worker processes (0: one per core) when the batch is big enough.

    Each document comes back as a `Parsed` record: JSON made in the worker,
    which the parent stores without rebuilding the models.
    """
    workers = min(jobs or os.cpu_count() or 1, max(1, len(sources) // MIN_PER_WORKER))
    stdin = [source for source in sources if source.path is None]
    if workers <= 1 or stdin:
        yield from (Parsed.of(parse_source(source, cache_dir)) for source in sources)
        return
    import multiprocessing
    from functools import partial

    with multiprocessing.get_context("fork").Pool(workers, initializer=_quiet_worker) as pool:
        yield from pool.imap(partial(_parse_record, cache_dir=cache_dir), sources, chunksize=16)


def _quiet_worker() -> None:
    """Workers leave interruption to the parent: Ctrl-C is ignored, SIGTERM (the pool's own way to stop
    them) just ends them, without the parent's handlers and their tracebacks."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _parse_record(source: Source, cache_dir: Path | None) -> Parsed:
    return Parsed.of(parse_source(source, cache_dir))


def parse_source(source: Source, cache_dir: Path | None = None, data: bytes | None = None) -> Document:
    """Read, parse and normalize one source (its bytes `data`, when the caller has read them already); any
    failure becomes the document's status and message. A pure function of the source's bytes and name."""
    try:
        data = _read_source(source) if data is None else data
        known_format = "html" if source.record is not None else None
        if cache_dir is None:
            return _with_archive_facts(normalize_document(parse_bytes(data, source.name, None, known_format)),
                                       source)
        from .cache import Cache

        cache = Cache(cache_dir)
        sha256 = hashlib.sha256(data).hexdigest()
        cached = cache.get(sha256, source.name)
        if cached is not None:
            log.debug("%s: parsed before (cache)", source.name)
            return _with_archive_facts(cached, source)
        document = normalize_document(parse_bytes(data, source.name, sha256, known_format))
        cache.put(document)
        return _with_archive_facts(document, source)
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


def _read_source(source: Source) -> bytes:
    if source.path is None:
        return sys.stdin.buffer.read()
    if source.record is not None:
        return read_record(source.path, source.record.offset, source.name)
    return read_file(source.path, source.name)


def _with_archive_facts(document: Document, source: Source) -> Document:
    return document if source.record is None else with_record_facts(document, source.record)


def display_name(path: Path) -> str:
    """The name a path gets in the output: relative to the working directory, with forward slashes."""
    try:
        name = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        name = str(path)
    return name.replace(os.sep, "/")


def _expand(given: str, skipped: dict[str, Counter[str]], expand_archives: bool) -> Iterator[Source]:
    if given == STDIN:
        yield Source(None, "stdin")
        return
    path = Path(given)
    for found in _walk(path) if path.is_dir() else [path]:
        name = display_name(found)
        if is_warc(found) and expand_archives:
            counts = skipped.setdefault(name, Counter())
            for record, _ in scan_warc(found, counts):
                yield Source(found, record_name(name, record.offset), record)
        else:
            yield Source(found, name)


def _walk(directory: Path) -> list[Path]:
    """Files with a known suffix under `directory`, sorted; symbolic links to directories are not followed."""
    found = []
    for root, dirs, files in os.walk(directory, followlinks=False):
        dirs.sort()
        for name in files:
            if Path(name).suffix.lower() in TEXT_SUFFIXES or is_warc(Path(name)):
                found.append(Path(root) / name)
    return sorted(found)

