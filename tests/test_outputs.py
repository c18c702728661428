"""Outputs are never wiped or mixed: a run that read nothing writes nothing, a directory holds exactly one
run, concurrent and interrupted runs leave one whole output, and what is written is safe to open."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from listparse import pipeline
from listparse.cli import main

from .conftest import RAW


def _run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def _snapshot(directory):
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


@pytest.fixture
def written(in_tmp):
    """A working directory with raw/ and an output of it in out/."""
    shutil.copytree(RAW, in_tmp / "raw")
    assert _run("ingest", "raw", "--out", "out", "-q").exit_code == 0
    return in_tmp


def test_a_glob_that_matched_nothing_keeps_the_output(written):
    """A pattern the shell passed through unexpanded reads no document: exit 2, the output untouched."""
    before = _snapshot(written / "out")
    result = _run("ingest", "raw/*.markdown", "--out", "out")
    assert result.exit_code == 2
    assert result.output == ("listparse: no document was read (raw/*.markdown: no such file; the shell passes "
                             "a pattern that matches no file through unexpanded); out was left as it was\n")
    assert _snapshot(written / "out") == before


def test_an_empty_directory_keeps_the_output(written):
    """A directory with no document in it: exit 2, the output untouched."""
    (written / "empty").mkdir()
    before = _snapshot(written / "out")
    result = _run("ingest", "empty", "--out", "out")
    assert result.exit_code == 2
    assert "no document was read: no file with a known suffix" in result.output
    assert _snapshot(written / "out") == before


def test_nothing_read_writes_no_new_output(in_tmp):
    """Only missing files: no output directory is created, and --out - prints nothing."""
    result = _run("ingest", "missing.txt", "also-missing.md", "--out", "out")
    assert result.exit_code == 2
    assert not (in_tmp / "out").exists()
    streamed = _run("ingest", "missing.txt", "--out", "-")
    assert streamed.exit_code == 2
    assert streamed.output == "listparse: no document was read (missing.txt: no such file); nothing was written\n"


def test_a_document_read_but_without_a_list_counts_as_read(in_tmp):
    """An empty file was read: its row is a real result, written with exit 1."""
    (in_tmp / "empty.txt").write_bytes(b"")
    result = _run("ingest", "empty.txt", "missing.txt", "--out", "out")
    assert result.exit_code == 1
    assert (in_tmp / "out" / "documents.csv").exists()


def test_library_ingest_that_read_nothing_raises(tmp_path):
    """`ingest(paths, out=…)` raises NothingReadError and writes nothing."""
    from listparse.errors import NothingReadError

    with pytest.raises(NothingReadError, match="no document was read"):
        pipeline.ingest([tmp_path / "missing.txt"], out=tmp_path / "out")
    assert not (tmp_path / "out").exists()
