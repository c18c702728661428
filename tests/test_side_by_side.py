"""Writing half the output files in a forked process: the same bytes, errors raised here, a fair split."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from listparse import pipeline
from listparse.outdir import _write_file
from listparse.side_by_side import _other_half, write_files
from listparse.store import Store

from .conftest import RAW


def _output(in_tmp: Path, out: str, jobs: int) -> dict[str, bytes]:
    settings = pipeline.IngestOptions(out=in_tmp / out, jobs=jobs, formats=("json", "csv", "jsonl"))
    with pipeline.run([in_tmp / "raw"], settings):
        pass
    return {path.name: path.read_bytes() for path in sorted((in_tmp / out).iterdir())}


def test_files_written_side_by_side_are_those_one_process_writes(in_tmp, monkeypatch):
    """The seeds, written by one process and by two (the second reading the store through its own
    connection): every file byte-identical, and the second process did write some of them."""
    shutil.copytree(RAW, in_tmp / "raw")
    alone = _output(in_tmp, "alone", jobs=1)
    reopened = in_tmp / "reopened"
    reopen = Store.reopen

    def noted_reopen(store):
        reopened.touch()  # in the forked process: the only way it can tell this one
        reopen(store)

    monkeypatch.setattr(pipeline, "MIN_ENTRIES_TO_WRITE_SIDE_BY_SIDE", 0)
    monkeypatch.setattr(Store, "reopen", noted_reopen)
    assert _output(in_tmp, "together", jobs=2) == alone
    assert reopened.exists()


def test_one_job_or_a_small_batch_writes_in_one_process(in_tmp):
    shutil.copytree(RAW, in_tmp / "raw")
    for jobs in (1, 2):
        with pipeline.run([in_tmp / "raw"], pipeline.IngestOptions(jobs=jobs)) as result:
            assert result.forked_reader is None  # 1 job asked for; the seeds are far below the threshold


def test_an_error_in_the_other_process_is_raised_here(in_tmp):
    def failing():
        yield "a,b\n"
        raise OSError(28, "No space left on device")

    files = {"run.json": "{}", "entries.csv": failing(), "documents.json": iter(["{}\n"]), "works.json": iter(["[]\n"])}
    targets = {name: in_tmp / name for name in files}
    assert "entries.csv" in _other_half(files)
    with pytest.raises(OSError, match="No space left"):
        write_files(targets, files, _write_file, in_child=lambda: None)


def test_the_split_keeps_functions_here_and_balances_the_rest():
    """Costliest first to the half with less to do; a file a function writes (the database) never leaves."""
    def chunks():
        return iter([""])

    files = {"run.json": "{}", "entries.csv": chunks(), "fields.csv": chunks(), "documents.csv": chunks(),
             "works.csv": chunks(), "documents.json": chunks(), "works.json": chunks(),
             "listparse.db": lambda path: None}
    assert _other_half(files) == ["entries.csv", "works.json", "documents.csv"]
    assert _other_half({"entries.csv": chunks()}) == []  # one file: nothing to write beside it
