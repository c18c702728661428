"""The command line: messages, exit codes, outputs."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys

from click.testing import CliRunner

from listparse import __version__, compiled
from listparse.cli import main

from .conftest import FIXTURES, RAW

GOOD = "1. Apple\n\nCrisp.\n\n2. Cherry\n\nSweet.\n"


def _run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def _documents(out):
    with open(out / "documents.csv", encoding="utf-8", newline="") as stream:
        return {row["source"]: row for row in csv.DictReader(stream)}


def test_version():
    """--version prints the version, and which build runs (hatch_build.py)."""
    result = _run("--version")
    assert result.exit_code == 0
    build = "parser compiled with mypyc" if compiled() else "pure Python"
    assert result.output == f"listparse, version {__version__}, {build}\n"


def test_help_has_examples():
    """Every command's help shows examples."""
    for args in (["--help"], ["ingest", "--help"]):
        result = _run(*args)
        assert result.exit_code == 0
        assert "Examples:" in result.output


def test_ingest_raw_writes_every_file_and_exits_0(in_tmp):
    """The seeds parse cleanly: exit 0 and all outputs written."""
    shutil.copytree(RAW, in_tmp / "raw")
    result = _run("ingest", "raw", "--out", "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (in_tmp / "out").iterdir()) == [
        ".listparse-manifest.json", "documents.csv", "documents.json", "entries.csv", "fields.csv",
        "run.json", "works.csv", "works.json"]
    assert "2 document(s), 0 failed, 30 entries, 22 works" in result.output


def test_outputs_get_the_permissions_open_would_give(in_tmp):
    """Written through temporary files, the outputs still follow the umask (not mkstemp's owner-only 0600)."""
    shutil.copytree(RAW, in_tmp / "raw")
    old = os.umask(0o022)
    try:
        assert _run("ingest", "raw", "--out", "out", "-q").exit_code == 0
    finally:
        os.umask(old)
    assert {oct(path.stat().st_mode & 0o777) for path in (in_tmp / "out").iterdir()} == {"0o644"}


def test_bad_inputs_are_reported_and_the_rest_goes_through(in_tmp):
    """Each bad file gets one line naming it and its reason; good files are still written; exit 1."""
    (in_tmp / "good.txt").write_text(GOOD)
    (in_tmp / "empty.txt").write_bytes(b"")
    (in_tmp / "binary.txt").write_bytes(b"\x00\x01\x02PNG" * 100)
    (in_tmp / "undecodable.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 50)
    shutil.copy(FIXTURES / "bad" / "no-list.md", in_tmp / "no-list.md")
    result = _run("ingest", "good.txt", "empty.txt", "binary.txt", "undecodable.txt", "no-list.md",
                  "missing.txt", "--out", "out")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "listparse: empty.txt: empty: file is empty" in lines
    assert "listparse: binary.txt: binary: binary file (holds NUL bytes), not a text document" in lines
    assert "listparse: undecodable.txt: undecodable: bytes are neither UTF-8, UTF-16 nor cp1252 text" in lines
    assert "listparse: no-list.md: no-list: no ranked list found" in lines
    assert "listparse: missing.txt: missing: no such file" in lines
    documents = _documents(in_tmp / "out")
    assert {name: row["status"] for name, row in documents.items()} == {
        "good.txt": "ok", "empty.txt": "empty", "binary.txt": "binary", "undecodable.txt": "undecodable",
        "no-list.md": "no-list", "missing.txt": "missing"}
    assert documents["good.txt"]["entries"] == "2"


def test_stdin(in_tmp):
    """`-` reads one document from standard input."""
    result = _run("ingest", "-", "--out", "out", input=GOOD)
    assert result.exit_code == 0
    assert list(_documents(in_tmp / "out")) == ["stdin"]


def test_directory_is_searched_for_known_suffixes(in_tmp):
    """A directory argument yields its .txt/.md/.html files, sorted, and nothing else."""
    (in_tmp / "docs" / "sub").mkdir(parents=True)
    (in_tmp / "docs" / "b.md").write_text(GOOD)
    (in_tmp / "docs" / "sub" / "a.html").write_text("<ol><li>One</li><li>Two</li></ol>")
    (in_tmp / "docs" / "notes.json").write_text("{}")
    result = _run("ingest", "docs", "--out", "out")
    assert result.exit_code == 0
    assert list(_documents(in_tmp / "out")) == ["b.md", "sub/a.html"]


def test_output_is_deterministic(in_tmp):
    """Two runs give byte-identical files, whatever order the paths are given in."""
    shutil.copytree(RAW, in_tmp / "raw")
    names = sorted(str(p.relative_to(in_tmp)) for p in (in_tmp / "raw").iterdir())
    _run("ingest", *names, "--out", "one")
    _run("ingest", *reversed(names), "--out", "two")
    for name in ("entries.csv", "documents.csv", "documents.json", "works.json", "works.csv"):
        assert (in_tmp / "one" / name).read_bytes() == (in_tmp / "two" / name).read_bytes()


def test_no_paths_is_a_usage_error():
    """Missing PATHS exits 2."""
    assert _run("ingest").exit_code == 2


def test_unwritable_output_exits_3(in_tmp):
    """An output path that is a file cannot be written: exit 3 with a message."""
    (in_tmp / "good.txt").write_text(GOOD)
    (in_tmp / "taken").write_text("a file")
    result = _run("ingest", "good.txt", "--out", "taken/out")
    assert result.exit_code == 3
    assert "cannot write to taken/out" in result.output


def test_jobs_and_cache_give_byte_identical_output(in_tmp, private_cache):
    """--jobs 1, --jobs 2, a cold cache and a warm cache all write the same bytes."""
    (in_tmp / "docs").mkdir()
    for number in range(200):  # enough documents for two workers to be used
        (in_tmp / "docs" / f"d{number:03d}.md").write_text(
            f"# List {number}\n\n## 1. Alpha {number % 7}\n\nYear: 201{number % 10}\n\n## 2. Beta\n\nFine.\n")
    shutil.copytree(RAW, in_tmp / "docs" / "raw")
    runs = {
        "serial": ["--jobs", "1", "--no-cache"],
        "parallel": ["--jobs", "2", "--no-cache"],
        "cold": ["--jobs", "2", "--cache-dir", "cache"],
        "warm": ["--jobs", "1", "--cache-dir", "cache"],
    }
    for name, options in runs.items():
        # A separate process: worker processes are forked from a plain CLI, never from pytest.
        command = [sys.executable, "-m", "listparse", "ingest", "docs", "--out", name, "-q", *options]
        finished = subprocess.run(command, cwd=in_tmp, capture_output=True, text=True)
        assert (finished.returncode, finished.stderr) == (0, "")  # quiet means quiet, workers included
    assert _cached_documents(in_tmp / "cache") == 202
    for name in ("entries.csv", "documents.csv", "documents.json", "works.json", "works.csv", "run.json"):
        contents = {run: (in_tmp / run / name).read_bytes() for run in runs}
        assert len(set(contents.values())) == 1, name


def test_cache_reparses_only_changed_files(in_tmp, monkeypatch):
    """After one file changes, only that file is parsed again."""
    import listparse.pipeline as pipeline

    for number in range(5):
        (in_tmp / f"d{number}.txt").write_text(f"L\n\n1. A{number}\n\n2. B\n")
    assert _run("ingest", ".", "--out", "o", "-q", "--cache-dir", "c").exit_code == 0
    (in_tmp / "d3.txt").write_text("L\n\n1. Changed\n\n2. B\n")
    parsed = []
    real = pipeline.parse_bytes
    monkeypatch.setattr(pipeline, "parse_bytes",
                        lambda data, source, *rest: parsed.append(source) or real(data, source, *rest))
    assert _run("ingest", ".", "--out", "o", "-q", "--cache-dir", "c").exit_code == 0
    assert parsed == ["d3.txt"]


def _cached_documents(cache_dir) -> int:
    import sqlite3

    (database,) = cache_dir.glob("documents-*.sqlite")
    with sqlite3.connect(database) as db:
        return db.execute("SELECT count(*) FROM parses").fetchone()[0]
