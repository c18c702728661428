"""run.json: what made an output directory, deterministic like every other output file."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys

from click.testing import CliRunner

import listparse
from listparse.cli import main

from .conftest import FIXTURES, RAW

MERGE = FIXTURES / "merge"


def _record(out) -> dict:
    return json.loads((out / "run.json").read_text(encoding="utf-8"))


def test_run_record_matches_golden(in_tmp, data_regression):
    """Version, schema, inputs as given, options, the knowledge files with their sha256, counts."""
    shutil.copytree(RAW, in_tmp / "raw")
    shutil.copy(MERGE / "catalogue.jsonl", in_tmp / "catalogue.jsonl")
    shutil.copy(MERGE / "aliases.toml", in_tmp / "listparse-aliases.toml")  # the default aliases file
    result = CliRunner().invoke(main, ["ingest", "raw/", "raw/000_72c65715ee277755.txt", "--out", "out", "-q",
                                       "--catalogue", "catalogue.jsonl", "--format", "csv", "--format", "json"])
    assert result.exit_code == 0, result.output
    record = _record(in_tmp / "out")
    assert record.pop("listparse") == listparse.__version__
    data_regression.check(record)


def test_run_record_names_each_knowledge_file_with_its_sha256(in_tmp):
    """The catalogue and aliases files as given, with the sha256 of their bytes; none without them."""
    shutil.copytree(RAW, in_tmp / "raw")
    shutil.copy(MERGE / "catalogue-aod.json", in_tmp / "aod.json")
    shutil.copy(MERGE / "aliases.toml", in_tmp / "fixes.toml")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", "raw", "--out", "out", "-q", "--catalogue", "aod.json",
                                "--aliases", "fixes.toml"]).exit_code == 0
    record = _record(in_tmp / "out")
    assert record["catalogue"] == {"path": "aod.json",
                                   "sha256": hashlib.sha256((MERGE / "catalogue-aod.json").read_bytes()).hexdigest()}
    assert record["aliases"] == {"path": "fixes.toml",
                                 "sha256": hashlib.sha256((MERGE / "aliases.toml").read_bytes()).hexdigest()}
    assert runner.invoke(main, ["ingest", "raw", "--out", "plain", "-q"]).exit_code == 0
    assert (_record(in_tmp / "plain")["catalogue"], _record(in_tmp / "plain")["aliases"]) == (None, None)


def test_run_record_is_written_with_every_format_and_holds_no_machine_path(in_tmp):
    """--format jsonl writes run.json too; the working directory and temporary paths appear nowhere."""
    shutil.copytree(RAW, in_tmp / "raw")
    assert CliRunner().invoke(main, ["ingest", "raw", "--out", "out", "-q", "--format", "jsonl",
                                     "--limit", "1"]).exit_code == 0
    text = (in_tmp / "out" / "run.json").read_text(encoding="utf-8")
    assert str(in_tmp) not in text and "cache" not in text and "jobs" not in text
    assert _record(in_tmp / "out")["options"] == {"formats": ["jsonl"], "follow_symlinks": False, "indent": None,
                                                    "limit": 1}


def test_run_record_is_byte_identical_across_runs_jobs_and_cache(in_tmp):
    """--jobs 1 and 2, cold and warm cache, and a second run all write the same run.json."""
    (in_tmp / "docs").mkdir()
    for number in range(70):  # enough documents for two workers
        (in_tmp / "docs" / f"d{number:02d}.txt").write_text(f"List {number}\n\n1. Alpha {number}\n\n2. Beta\n")
    runs = {"serial": ["--jobs", "1", "--no-cache"], "parallel": ["--jobs", "2", "--no-cache"],
            "cold": ["--jobs", "2", "--cache-dir", "cache"], "warm": ["--jobs", "1", "--cache-dir", "cache"]}
    for name, options in runs.items():
        command = [sys.executable, "-m", "listparse", "ingest", "docs", "--out", name, "-q", *options]
        finished = subprocess.run(command, cwd=in_tmp, capture_output=True, text=True, timeout=120)
        assert finished.returncode == 0, finished.stderr
    assert len({(in_tmp / name / "run.json").read_bytes() for name in runs}) == 1
    assert _record(in_tmp / "serial")["counts"]["documents"] == 70


def test_run_record_is_the_same_from_any_working_directory_but_its_inputs(in_tmp, monkeypatch):
    """`ingest raw/` from the parent and `ingest .` from inside raw/: only the inputs as given differ."""
    shutil.copytree(RAW, in_tmp / "raw")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", "raw/", "--out", "one", "-q"]).exit_code == 0
    monkeypatch.chdir(in_tmp / "raw")
    assert runner.invoke(main, ["ingest", ".", "--out", "../two", "-q"]).exit_code == 0
    one, two = _record(in_tmp / "one"), _record(in_tmp / "two")
    assert (one.pop("inputs"), two.pop("inputs")) == ([{"path": "raw/", "kind": "directory", "prefix": ""}],
                                                      [{"path": ".", "kind": "directory", "prefix": ""}])
    assert one == two
    for name in ("documents.csv", "documents.json", "entries.csv", "fields.csv", "works.csv", "works.json"):
        assert (in_tmp / "one" / name).read_bytes() == (in_tmp / "two" / name).read_bytes(), name


def test_limit_with_the_spark_engine_is_refused(in_tmp):
    """Spark reads every input, so --limit with it is a usage error (exit 2) rather than a wrong run.json."""
    shutil.copytree(RAW, in_tmp / "raw")
    result = CliRunner().invoke(main, ["ingest", "raw", "--out", "out", "--limit", "1", "--engine", "spark"])
    assert result.exit_code == 2
    assert "--limit is not supported with --engine spark" in result.output
    assert not (in_tmp / "out").exists()
