"""Hostile and odd input: each case finishes with a result or a per-file message, never a crash."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from listparse.pipeline import IngestOptions, Source, ingest, parse_source, run

PROSE = "The quick brown fox jumps over the lazy dog while 3 cats watch in 2019. " * 12


def _parse(path: Path):
    return parse_source(Source(path, path.name))


def _statuses(out: Path) -> dict[str, str]:
    with open(out / "documents.csv", encoding="utf-8", newline="") as stream:
        return {row["source"]: row["status"] for row in csv.DictReader(stream)}


def test_fifty_megabyte_file(tmp_path):
    """A 50 MB listicle of 1,000 entries parses completely."""
    path = tmp_path / "big.txt"
    with path.open("w") as stream:
        stream.write("Top 1000 Things\n\n")
        for rank in range(1, 1001):
            stream.write(f"{rank}. Thing number {rank}\n\n" + (PROSE + "\n") * 65)
    assert path.stat().st_size > 50_000_000
    document = _parse(path)
    assert [entry.rank for entry in document.entries] == list(range(1, 1001))


def test_one_million_lines(tmp_path):
    """A file of a million lines parses, its list found at the top."""
    path = tmp_path / "million.txt"
    path.write_text("Ten items\n" + "".join(f"{i}. Item {i}\n" for i in range(1, 11)) + "filler line\n" * 1_000_000)
    document = _parse(path)
    assert [entry.title for entry in document.entries] == [f"Item {i}" for i in range(1, 11)]


def test_ten_thousand_levels_of_nesting(tmp_path):
    """HTML nested 10,000 deep is flattened (with a warning) and its list still found."""
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 10_000 + "<h2>1. One</h2><p>a</p><h2>2. Two</h2><p>b</p>"
                    + "</div>" * 10_000 + "</body></html>")
    document = _parse(path)
    assert [entry.title for entry in document.entries] == ["One", "Two"]
    assert any("2048 levels" in warning for warning in document.warnings)


def test_a_few_nul_bytes_are_removed_with_a_warning(tmp_path):
    """Stray NUL bytes in a text file are dropped and reported; the list survives."""
    path = tmp_path / "nul.txt"
    path.write_bytes(b"Best\n\n1. One\x00\n\n2. Two\n\n3. Three\n")
    document = _parse(path)
    assert [entry.title for entry in document.entries] == ["One", "Two", "Three"]
    assert document.warnings[0] == "1 NUL byte(s) removed"


def test_a_very_long_line(tmp_path):
    """A line of a million characters (mostly spaces, the worst case for backtracking) still parses."""
    path = tmp_path / "long.txt"
    path.write_text("Title\n\n1. " + " " * 1_000_000 + "x\n2. Two\n3. Three\n")
    document = _parse(path)
    assert [entry.rank for entry in document.entries] == [1, 2, 3]


def test_symlink_loop_in_a_directory(tmp_path):
    """A directory with a symlink loop is walked once; the looping link is reported, the rest parsed."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_text("L\n\n1. A\n\n2. B\n")
    os.symlink(folder, folder / "loop")
    os.symlink(folder / "self.txt", folder / "self.txt")
    result = run([folder], IngestOptions())
    statuses = {d.source.rsplit("/", 1)[-1]: d.status for d in result.documents()}
    assert statuses == {"good.txt": "ok", "self.txt": "unreadable"}


def test_unreadable_file(tmp_path, monkeypatch):
    """A file that cannot be read gets status unreadable and its reason."""
    path = tmp_path / "locked.txt"
    path.write_text("x")
    original = Path.read_bytes

    def refuse(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    document = _parse(path)
    assert (document.status, document.message) == ("unreadable", "permission denied")


def test_ten_thousand_small_files(tmp_path):
    """A directory of 10,000 files: every one appears exactly once in documents.csv."""
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(10_000):
        (folder / f"doc{number:05d}.txt").write_text(f"List {number}\n\n1. Alpha {number % 50}\n\n2. Beta\n")
    ingest([folder], out=tmp_path / "out")
    statuses = _statuses(tmp_path / "out")
    assert len(statuses) == 10_000 and set(statuses.values()) == {"ok"}


def test_two_independent_lists_pick_the_main_one(tmp_path):
    """The longer list wins; the other is named in the document's warnings."""
    path = tmp_path / "two.md"
    main_list = "".join(f"## {n}. Novel {n}\n\nA fine novel.\n\n" for n in range(1, 11))
    side_list = "".join(f"### {n}. Audiobook {n}\n\nNarrated well.\n\n" for n in range(1, 4))
    path.write_text("# Top 10 Novels\n\n" + main_list + "# Bonus\n\n" + side_list)
    document = _parse(path)
    assert [entry.title for entry in document.entries] == [f"Novel {n}" for n in range(1, 11)]
    assert any("another numbered list (3 items, 1 to 3)" in warning for warning in document.warnings)


def test_a_crash_in_one_document_does_not_sink_the_batch(tmp_path, monkeypatch):
    """An unexpected error inside one document becomes that document's status; others are written."""
    import listparse.pipeline as pipeline

    (tmp_path / "good.txt").write_text("L\n\n1. A\n\n2. B\n")
    (tmp_path / "bad.txt").write_text("L\n\n1. C\n\n2. D\n")
    real = pipeline.parse_bytes

    def explode(data, source, *rest):
        if source.endswith("bad.txt"):
            raise RuntimeError("boom")
        return real(data, source, *rest)

    monkeypatch.setattr(pipeline, "parse_bytes", explode)
    result = run([tmp_path / "good.txt", tmp_path / "bad.txt"], IngestOptions(out=tmp_path / "out"))
    statuses = {d.source.rsplit("/", 1)[-1]: (d.status, d.message) for d in result.documents()}
    assert statuses["good.txt"] == ("ok", None)
    assert statuses["bad.txt"] == ("error", "internal error (RuntimeError: boom); please report it")


def test_interrupted_write_keeps_the_previous_output(tmp_path, monkeypatch):
    """If writing fails half-way, the old files are intact and no temporary file is left."""
    from listparse import outdir

    (tmp_path / "a.txt").write_text("L\n\n1. A\n\n2. B\n")
    out = tmp_path / "out"
    ingest([tmp_path / "a.txt"], out=out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (tmp_path / "a.txt").write_text("L\n\n1. Changed\n\n2. B\n")
    calls = []

    def interrupted_fsync(descriptor):
        calls.append(descriptor)
        if len(calls) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(outdir.os, "fsync", interrupted_fsync)
    with pytest.raises(KeyboardInterrupt):
        ingest([tmp_path / "a.txt"], out=out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_sigterm_leaves_the_previous_output_intact(tmp_path):
    """SIGTERM during a long run: exit 143 (128 + SIGTERM), a message, the old output untouched, no temporaries."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("L\n\n1. A\n\n2. B\n")
    out = tmp_path / "out"
    ingest([folder], out=out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    # 8,000 entries with fields and names: several seconds of parsing, so the signal lands mid-run.
    entry = "Year: 2019\nJane Smith and Tom Baker meet here.\n" + "A line of prose with Some Names and 3 digits.\n" * 8
    (folder / "huge.txt").write_text("Big list\n\n" + "".join(f"{rank}. Thing {rank}\n\n{entry}\n"
                                                              for rank in range(1, 8001)))
    command = [sys.executable, "-m", "listparse", "ingest", str(folder), "--out", str(out), "-q", "--no-cache"]
    store_root = tmp_path / "tmp"
    store_root.mkdir()
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "TMPDIR": str(store_root)})
    deadline = time.monotonic() + 30
    while not any(store_root.iterdir()):  # its store exists: the signal handlers are in place, parsing begins
        assert process.poll() is None and time.monotonic() < deadline, "the run ended before it could be interrupted"
        time.sleep(0.02)
    time.sleep(0.3)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143
    assert "interrupted; the previous output was left as it was" in stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
