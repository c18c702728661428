"""The parse cache: keyed on all a parse depends on, checked before use, shared by concurrent runs."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from listparse.cache import Cache, cache_key, parser_fingerprint
from listparse.pipeline import IngestOptions, Source, parse_record, run
from listparse.store import Parsed

PLAIN_LIST = b"Best pies\n\n1. Apple\n\n2. Cherry\n\n3. Pecan\n"


def _entries(paths, cache_dir) -> dict[str, list[tuple[int, str]]]:
    with run(paths, IngestOptions(cache_dir=cache_dir)) as result:
        return {document.source: [(entry.rank, entry.title) for entry in document.entries]
                for document in result.documents()}


def test_the_same_bytes_as_text_and_html_parse_as_their_formats(in_tmp):
    """Identical bytes in a.txt and b.html give the same entries with no cache, a cold and a warm one:
    as text they are a list, as HTML one paragraph."""
    for name in ("a.txt", "b.html"):
        (in_tmp / name).write_bytes(PLAIN_LIST)
    paths = ["a.txt", "b.html"]
    fresh = _entries(paths, None)
    assert fresh == {"a.txt": [(1, "Apple"), (2, "Cherry"), (3, "Pecan")], "b.html": []}
    assert _entries(paths, in_tmp / "cache") == fresh  # cold
    assert _entries(paths, in_tmp / "cache") == fresh  # warm
    assert _entries(list(reversed(paths)), in_tmp / "cache2") == fresh


def test_a_foreign_entry_under_a_documents_key_is_ignored(in_tmp):
    """A cache entry holding another document's valid parse is refused, removed, and the file parsed."""
    (in_tmp / "a.txt").write_bytes(PLAIN_LIST)
    (in_tmp / "b.txt").write_bytes(b"Best cakes\n\n1. Sponge\n\n2. Carrot\n")
    sha_a = hashlib.sha256(PLAIN_LIST).hexdigest()
    cache = Cache.open(in_tmp / "cache")
    parsed_b, _ = parse_record(Source(in_tmp / "b.txt", "b.txt"))
    cache.put(cache_key(sha_a, "a.txt"), parsed_b)
    cache.close()
    assert _entries(["a.txt"], in_tmp / "cache") == {"a.txt": [(1, "Apple"), (2, "Cherry"), (3, "Pecan")]}
    cache = Cache.open(in_tmp / "cache")
    assert cache.get(cache_key(sha_a, "a.txt"), sha_a, "a.txt").entries[0][0] == "Apple"


def test_a_damaged_entry_blob_is_refused_and_the_file_parsed_again(in_tmp):
    """Entries packed into one blob: a blob cut short (or otherwise not one the cache made) is a miss, not
    a crash or a document with fewer entries, and its row is removed."""
    (in_tmp / "a.txt").write_bytes(PLAIN_LIST)
    cold = _entries(["a.txt"], in_tmp / "cache")
    database = in_tmp / "cache" / f"documents-{parser_fingerprint()}.sqlite"
    with sqlite3.connect(database) as db:
        db.execute("UPDATE parses SET entries = substr(entries, 1, length(entries) - 3)")
    sha = hashlib.sha256(PLAIN_LIST).hexdigest()
    cache = Cache.open(in_tmp / "cache")
    assert cache.get(cache_key(sha, "a.txt"), sha, "a.txt") is None
    cache.close()
    assert _cached_documents(in_tmp / "cache") == 0
    assert _entries(["a.txt"], in_tmp / "cache") == cold


def test_a_warm_run_builds_no_models(in_tmp, monkeypatch):
    """A cache hit is the stored record: nothing is parsed, serialised or validated again."""
    import listparse.pipeline as pipeline
    from listparse.models import Document

    (in_tmp / "a.txt").write_bytes(PLAIN_LIST)
    cold = _entries(["a.txt"], in_tmp / "cache")

    def refuse(*args, **kwargs):
        raise AssertionError("a model was built on a warm run")

    cache = Cache.open(in_tmp / "cache")
    with monkeypatch.context() as patched:
        patched.setattr(pipeline, "parse_bytes", refuse)
        patched.setattr(Parsed, "of", classmethod(refuse))
        parsed, fresh = parse_record(Source(in_tmp / "a.txt", "a.txt"), cache)
        assert fresh is None  # nothing to write back
        patched.setattr(Document, "model_validate_json", refuse)
        with pipeline.Store() as store:
            store.add(parsed)
    assert _entries(["a.txt"], in_tmp / "cache") == cold


def test_a_hit_is_named_after_the_file_it_is_for(in_tmp):
    """The same bytes under two names: each document keeps its own name, byte for byte as a fresh parse."""
    names = ["a.txt", "caf\u00e9 \"1\" \\xff.txt"]
    for name in names:
        (in_tmp / name).write_bytes(PLAIN_LIST)
    cache = Cache.open(in_tmp / "cache")
    fresh, key = parse_record(Source(in_tmp / names[0], names[0]), cache)
    cache.put(key, fresh)
    for name in names:
        source = Source(in_tmp / name, name)
        cached, key = parse_record(source, cache)
        assert key is None and cached == parse_record(source)[0]


def test_a_parse_that_timed_out_is_not_cached(in_tmp, monkeypatch):
    """A timeout depends on the machine's load: the next run must try again, not read the timeout back."""
    import listparse.limits
    import listparse.pipeline

    (in_tmp / "a.txt").write_bytes(PLAIN_LIST)
    source = Source(in_tmp / "a.txt", "a.txt")
    cache = Cache.open(in_tmp / "cache")

    def too_slow(data, name, *_):
        raise listparse.limits.LimitError(name, "timeout", "took longer than 60 s")

    monkeypatch.setattr(listparse.pipeline, "_parse_within_limits", too_slow)
    parsed, key = parse_record(source, cache)
    assert parsed.status == "timeout" and key is None
    monkeypatch.undo()
    parsed, key = parse_record(source, cache)
    assert parsed.status == "ok" and key is not None


def _cached_documents(cache_dir) -> int:
    with sqlite3.connect(cache_dir / f"documents-{parser_fingerprint()}.sqlite") as db:
        return db.execute("SELECT count(*) FROM parses").fetchone()[0]


def test_two_runs_write_one_cache_at_once(in_tmp):
    """Two concurrent runs, each with two worker processes, share a cache: both succeed, outputs agree."""
    (in_tmp / "docs").mkdir()
    for number in range(120):  # enough for two workers in each run
        (in_tmp / "docs" / f"d{number:03d}.txt").write_text(
            f"List {number}\n\n1. Alpha {number}\n\nYear: 2011\n\n2. Beta {number % 9}\n\n3. Gamma\n")
    command = [sys.executable, "-m", "listparse", "ingest", "docs", "-q", "--jobs", "2", "--cache-dir", "cache"]
    runs = [subprocess.Popen([*command, "--out", out], cwd=in_tmp, stderr=subprocess.PIPE, text=True)
            for out in ("one", "two")]
    results = [(process.wait(timeout=120), process.stderr.read()) for process in runs]
    fresh = subprocess.run([*command[:-2], "--no-cache", "--out", "fresh"], cwd=in_tmp, timeout=120)
    assert results == [(0, ""), (0, "")] and fresh.returncode == 0
    assert _cached_documents(in_tmp / "cache") == 120
    for name in ("entries.csv", "documents.json", "works.json"):
        assert (in_tmp / "one" / name).read_bytes() == (in_tmp / "two" / name).read_bytes() \
            == (in_tmp / "fresh" / name).read_bytes(), name


def test_the_old_layout_is_removed(in_tmp):
    """The one-file-per-document layout is cleared from a cache directory; other files are left alone."""
    old = in_tmp / "cache" / "0123456789abcdef" / "ab"
    old.mkdir(parents=True)
    (old / "ab12.json").write_text("{}")
    (in_tmp / "cache" / "mine").mkdir()
    (in_tmp / "a.txt").write_bytes(PLAIN_LIST)
    _entries(["a.txt"], in_tmp / "cache")
    assert sorted(path.name for path in (in_tmp / "cache").iterdir()) == [
        f"documents-{parser_fingerprint()}.sqlite", "mine"]


def test_a_cache_directory_that_is_a_file_is_exit_2(in_tmp, monkeypatch):
    """LISTPARSE_CACHE_DIR (or --cache-dir) naming a file: one clear line and exit 2, nothing written."""
    from click.testing import CliRunner

    from listparse.cli import main

    (in_tmp / "a.txt").write_bytes(PLAIN_LIST)
    (in_tmp / "taken").write_text("a file")
    monkeypatch.setenv("LISTPARSE_CACHE_DIR", "taken")
    result = CliRunner().invoke(main, ["ingest", "a.txt", "--out", "out"])
    assert (result.exit_code, result.output) == (
        2, "listparse: cache directory taken is a file: point --cache-dir or LISTPARSE_CACHE_DIR at a "
           "directory, or use --no-cache\n")
    result = CliRunner().invoke(main, ["ingest", "a.txt", "--out", "out", "--cache-dir", "taken"])
    assert result.exit_code == 2 and "'taken' is a file" in result.output  # click's own check
    assert not (in_tmp / "out").exists()


def test_a_cache_directory_under_a_file_is_exit_2(in_tmp):
    """A cache path through a file (taken/cache) is the same mistake, said the same way."""
    from listparse.errors import ListparseError

    (in_tmp / "a.txt").write_bytes(PLAIN_LIST)
    (in_tmp / "taken").write_text("a file")
    with pytest.raises(ListparseError, match="cache directory taken/cache is under a file"):
        run(["a.txt"], IngestOptions(cache_dir=Path("taken/cache")))
