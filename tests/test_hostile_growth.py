"""Small hostile inputs that used to hang or exhaust memory (issue 11): each finishes, within a generous wall clock.

Every pattern is ingested in a child process with a 30 s wall clock (before the fixes each took minutes,
tens of gigabytes, or raised MemoryError); the child runs without the per-document time limit, so what
is tested is the parser's own cost, not the limit. The per-document limits are tested after them.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
from worst_case import PATTERNS  # noqa: E402  (the benchmark's own generators, at their largest size)

from listparse import limits  # noqa: E402
from listparse.pipeline import IngestOptions, Source, parse_source, run  # noqa: E402

WALL_CLOCK = 30  # seconds; the bad versions take minutes

CHILD = """
import json, sys
import listparse.limits as limits
limits.TIME_LIMIT = None
from listparse.pipeline import IngestOptions, run
with run([sys.argv[1]], IngestOptions()) as result:
    print(json.dumps([[d.status, d.message, len(d.entries)] for d in result.documents()]))
"""


@pytest.mark.parametrize("pattern", [pytest.param(p, id=p.name) for p in PATTERNS])
def test_hostile_pattern_finishes(tmp_path, pattern):
    """The pattern at its largest benchmark size is ingested, without a crash, well within the wall clock."""
    path = tmp_path / f"hostile{pattern.suffix}"
    path.write_text(pattern.make(pattern.sizes[-1]), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True,
                          timeout=WALL_CLOCK)
    assert done.returncode == 0, done.stderr[-2000:]
    [(status, message, _)] = __import__("json").loads(done.stdout)
    assert status in ("ok", "no-list", "too-large"), message


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_title_over_the_limit_makes_the_document_too_large(tmp_path):
    """A 100 KB word as a title gives status too-large and a message naming the limit."""
    path = _write(tmp_path / "word.txt", "Top two\n\n1. " + "x" * 100_000 + "\n\nText.\n\n2. Beta\n\nText.\n")
    document = parse_source(Source(path, path.name))
    assert document.status == "too-large"
    assert "MAX_TITLE_CHARS" in document.message and "entry 1" in document.message


def test_a_line_over_the_limit_makes_the_document_too_large(tmp_path, monkeypatch):
    """A line longer than MAX_LINE_CHARS gives status too-large, naming the line."""
    monkeypatch.setattr(limits, "MAX_LINE_CHARS", 1000)
    path = _write(tmp_path / "line.txt", "Top\n\n1. A\n\n" + "y" * 1001 + "\n\n2. B\n")
    document = parse_source(Source(path, path.name))
    assert (document.status, document.message.split(" has")[0]) == ("too-large", "line 5")


def test_a_document_over_the_time_limit_times_out(tmp_path, monkeypatch):
    """Parsing that outlasts TIME_LIMIT gives status timeout; the alarm is switched off afterwards."""
    import listparse.pipeline as pipeline

    monkeypatch.setattr(limits, "TIME_LIMIT", 0.2)
    real = pipeline.parse_bytes

    def slow(data, source, *rest):
        while True:  # stands for a parser stuck on a document
            pass
        return real(data, source, *rest)

    monkeypatch.setattr(pipeline, "parse_bytes", slow)
    path = _write(tmp_path / "slow.txt", "Top\n\n1. A\n\n2. B\n")
    document = parse_source(Source(path, path.name))
    assert document.status == "timeout" and "TIME_LIMIT" in document.message
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_oversized_attributes_are_removed_before_parsing(tmp_path):
    """A 1 MB alt and a tag of 100,000 attributes are removed with warnings; the list is still read."""
    path = _write(tmp_path / "attrs.html", "<html><body><div " + " ".join(f'a{i}=""' for i in range(100_000))
                  + "><ol><li><img alt=\"" + "x" * 1_000_000 + "\">Alpha</li><li>Beta</li></ol></div></body></html>")
    document = parse_source(Source(path, path.name))
    assert [entry.title for entry in document.entries] == ["Alpha", "Beta"]
    assert any("attribute value(s)" in warning for warning in document.warnings)
    assert any("the attributes of 1 tag(s)" in warning for warning in document.warnings)


def test_a_document_over_a_limit_keeps_its_row_and_the_batch_goes_on(tmp_path, monkeypatch):
    """The too-large document is in documents.csv with its status; the other is parsed and written."""
    monkeypatch.setattr(limits, "MAX_TITLE_CHARS", 50)
    _write(tmp_path / "good.txt", "L\n\n1. A\n\n2. B\n")
    _write(tmp_path / "long.txt", "L\n\n1. " + "word " * 20 + "\n\n2. B\n")
    with run([tmp_path / "good.txt", tmp_path / "long.txt"], IngestOptions(out=tmp_path / "out")):
        pass
    with open(tmp_path / "out" / "documents.csv", encoding="utf-8", newline="") as stream:
        statuses = {Path(row["source"]).name: row["status"] for row in csv.DictReader(stream)}
    assert statuses == {"good.txt": "ok", "long.txt": "too-large"}


def test_cli_names_the_file_and_the_limit(tmp_path):
    """`listparse ingest` prints one line for the document over a limit and exits 1, the rest written."""
    _write(tmp_path / "good.txt", "L\n\n1. A\n\n2. B\n")
    _write(tmp_path / "word.txt", "L\n\n1. " + "x" * 5000 + "\n\n2. B\n")
    done = subprocess.run([sys.executable, "-m", "listparse", "ingest", str(tmp_path / "good.txt"),
                           str(tmp_path / "word.txt"), "--out", str(tmp_path / "out"), "--no-cache", "-q"],
                          capture_output=True, text=True, timeout=WALL_CLOCK)
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert "word.txt: too-large: the title of entry 1" in line and "MAX_TITLE_CHARS" in line
    assert (tmp_path / "out" / "works.csv").exists()


# The child takes Ctrl-C as a terminal gives it: a test run started in the background by a non-interactive
# shell (a CI runner's `cmd &`) inherits SIGINT ignored, and Python then leaves it ignored, rightly.
SLOW_CHILD = """
import signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)
import listparse.pipeline as pipeline
real = pipeline.parse_bytes
def stuck(data, source, sha256=None, known_format=None):
    print("parsing", flush=True)
    if sys.argv[1] == "regex":
        import re
        re.match(r"(a|a)*b", "a" * 60)  # a regex that backtracks for hours
    if sys.argv[1] == "libxml2":  # a <div> of 300,000 attributes kept libxml2 busy for minutes
        attributes = " ".join(f'a{i}=""' for i in range(300_000))
        real(f"<html><body><div {attributes}>x</div></body></html>".encode(), "page.html")
    while True:
        pass
pipeline.parse_bytes = stuck
from listparse.cli import main
main(["ingest", sys.argv[2], "--out", sys.argv[3], "--no-cache", "-q", "--jobs", sys.argv[4]])
"""


@pytest.mark.parametrize("how, signum, jobs", [
    pytest.param("regex", signal.SIGTERM, "1", id="SIGTERM-in-a-regex"),
    pytest.param("regex", signal.SIGINT, "1", id="SIGINT-in-a-regex"),
    pytest.param("libxml2", signal.SIGTERM, "1", id="SIGTERM-after-libxml2"),
    pytest.param("loop", signal.SIGTERM, "2", id="SIGTERM-with-workers"),
    pytest.param("loop", signal.SIGINT, "2", id="SIGINT-with-workers"),
])
def test_a_signal_ends_a_stuck_ingest_at_once(tmp_path, how, signum, jobs):
    """SIGTERM or SIGINT while a document is stuck (in a regex, a worker, after a page that kept libxml2 busy
    for minutes): exit 128 + the signal's number within a few seconds."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for number in range(80):  # enough documents for the worker pool
        _write(folder / f"d{number:02d}.txt", "L\n\n1. A\n\n2. B\n")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    child = subprocess.Popen([sys.executable, "-c", SLOW_CHILD, how, str(folder), str(tmp_path / "out"), jobs],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                             start_new_session=True)
    try:
        assert child.stdout.readline().startswith("parsing")
        time.sleep(0.5)  # deep in the stuck parse
        child.send_signal(signum)
        returncode = child.wait(timeout=WALL_CLOCK)  # the bad version never ends
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    assert returncode == 128 + signum  # 130 for Ctrl-C, 143 for SIGTERM, as a shell reports them
    assert "interrupted" in child.stderr.read()
