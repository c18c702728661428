"""Outputs are never wiped or mixed: a run that read nothing writes nothing, a directory holds exactly one
run, concurrent and interrupted runs leave one whole output, and what is written is safe to open."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

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
    assert result.output == ("listparse: no document was read (*.markdown: no such file; the shell passes "
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


def test_an_output_directory_holds_exactly_one_run(written):
    """After a default ingest, --format jsonl leaves only its own files: no stale works.json to explain from."""
    assert _run("ingest", "raw", "--out", "out", "--format", "jsonl", "-q").exit_code == 0
    assert sorted(_snapshot(written / "out")) == [".listparse-manifest.json", "documents.jsonl", "entries.jsonl",
                                                  "run.json", "works.jsonl"]
    explained = _run("explain", "your lie in april", "--out", "out")
    assert explained.exit_code == 2
    assert "out/works.json does not exist" in explained.output


def test_a_directory_with_other_files_is_never_replaced(written):
    """--out at a directory holding files listparse did not write: exit 2, every file left as it was."""
    mine = written / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("my notes")
    (mine / "works.csv").write_text("my own spreadsheet")
    result = _run("ingest", "raw", "--out", "mine")
    assert result.exit_code == 2
    assert result.output == ("listparse: mine holds files listparse did not write (notes.txt); listparse replaces "
                             "the whole output directory, so choose another --out, or move them away\n")
    assert _snapshot(mine) == {"notes.txt": b"my notes", "works.csv": b"my own spreadsheet"}


def test_a_directory_shared_with_other_files_gets_listparse_files_in_place(written):
    """--out at a directory holding only other names (a log the caller writes there): listparse's files are
    written beside them, the next run removes its own stale files, and the other files are never touched."""
    shared = written / "shared"
    shared.mkdir()
    (shared / "stderr").write_text("a log")
    assert _run("ingest", "raw", "--out", "shared", "-q").exit_code == 0
    assert {"stderr", "entries.csv", "works.json", ".listparse-manifest.json"} <= set(_snapshot(shared))
    assert _run("ingest", "raw", "--out", "shared", "-q", "--format", "jsonl").exit_code == 0
    assert sorted(_snapshot(shared)) == [".listparse-manifest.json", "documents.jsonl", "entries.jsonl", "run.json",
                                         "stderr", "works.jsonl"]
    assert (shared / "stderr").read_text() == "a log"


def test_an_older_listparse_output_is_replaced_with_its_temporaries(written):
    """A directory of known output names without a manifest (an older listparse, killed mid-write: its
    `.works.json.*.tmp` left behind) is listparse's: it is replaced, the temporary gone."""
    out = written / "out"
    (out / ".listparse-manifest.json").unlink()
    (out / ".works.json.k2j4x9.tmp").write_text("half a file")
    assert _run("ingest", "raw", "--out", "out", "-q").exit_code == 0
    assert ".works.json.k2j4x9.tmp" not in _snapshot(out)


def test_the_working_directory_is_never_the_output(written, monkeypatch):
    """--out . would replace the directory the shell is in: exit 2, nothing written."""
    (written / "here").mkdir()
    monkeypatch.chdir(written / "here")
    result = _run("ingest", "../raw", "--out", ".")
    assert result.exit_code == 2
    assert "is the working directory or holds it" in result.output
    assert list((written / "here").iterdir()) == []


def test_a_symbolic_link_to_the_output_is_kept(written):
    """--out a link to a directory: the directory it points to is replaced, the link stays a link."""
    os.symlink("out", written / "link")
    (written / "raw" / "000_72c65715ee277755.txt").unlink()
    assert _run("ingest", "raw", "--out", "link", "-q").exit_code == 0
    assert (written / "link").is_symlink()
    assert "000_72c65715ee277755" not in (written / "out" / "documents.csv").read_text()


def test_leftovers_of_a_killed_run_are_cleaned_at_the_next_start(written):
    """A staged directory beside the output (a run killed before its swap) is removed by the next run."""
    staged = written / ".out.listparse-new-999999-abc123"
    staged.mkdir()
    (staged / "works.json").write_text("{}")
    assert _run("ingest", "raw", "--out", "out", "-q").exit_code == 0
    assert sorted(path.name for path in written.iterdir()) == [".out.listparse-lock", "out", "raw"]


def test_an_output_set_aside_by_a_killed_run_is_put_back(written):
    """A run killed between the two renames of a swap left no output, the previous one set aside: the
    next claim puts it back before anything else."""
    from listparse.outdir import OutputDirectory

    before = _snapshot(written / "out")
    os.rename(written / "out", written / ".out.listparse-old-999999-abc123")
    directory = OutputDirectory(written / "out").claim()
    directory.release()
    assert _snapshot(written / "out") == before
    assert not (written / ".out.listparse-old-999999-abc123").exists()


def test_a_concurrent_run_fails_clearly_and_the_first_one_wins(tmp_path):
    """Two real processes into one --out: the second exits 2 at once, naming the directory; the output is
    exactly the first run's."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "huge.txt").write_text(_huge_list(2500))
    small = tmp_path / "small.txt"
    small.write_text("L\n\n1. Apple\n\n2. Cherry\n")
    out, go = tmp_path / "out", tmp_path / "go"
    # The first run holds its claim until the second has been turned away, however fast it parses.
    first = subprocess.Popen([sys.executable, "-c", HELD_INGEST, str(go), *_ingest_command(folder, out)[3:]],
                             stderr=subprocess.PIPE, text=True)
    _wait_for(tmp_path / ".out.listparse-lock", first)
    second = subprocess.run(_ingest_command(small, out), capture_output=True, text=True, timeout=60)
    go.touch()
    assert second.returncode == 2
    assert second.stderr == (f"listparse: another listparse run is writing {out}; wait for it to finish, "
                             "or choose another --out\n")
    _, stderr = first.communicate(timeout=120)
    assert first.returncode == 0, stderr
    assert _sources(out) == ["huge.txt"]


# `listparse ARGS` whose parsing waits until the file argv[1] exists: a run caught while it holds its claim.
HELD_INGEST = """
import os, sys, time
import listparse.pipeline as pipeline
real = pipeline.parse_bytes
def held(*args, **kwargs):
    while not os.path.exists(sys.argv[1]):
        time.sleep(0.02)
    return real(*args, **kwargs)
pipeline.parse_bytes = held
from listparse.cli import main
main(sys.argv[2:])
"""


def _interrupting(monkeypatch, call: int):
    """Send this process SIGTERM right after its `call`-th rename, replace or fsync."""
    calls = []
    for name in ("rename", "replace", "fsync"):
        real = getattr(os, name)

        def hooked(*args, real=real, **kwargs):
            result = real(*args, **kwargs)
            calls.append(1)
            if len(calls) == call:
                os.kill(os.getpid(), signal.SIGTERM)
            return result

        monkeypatch.setattr(os, name, hooked)
    return calls


@pytest.mark.parametrize("exchange", ["renameat2", "two renames"])
def test_a_signal_at_any_step_of_writing_leaves_one_whole_output(written, monkeypatch, exchange):
    """SIGTERM after each step of writing: the directory is the old output or the new one, never a mix,
    and the message names the one a reader now sees."""
    if exchange == "two renames":
        from listparse import outdir

        def unsupported(first, second):
            raise OSError(errno.ENOSYS, "no exchange")

        monkeypatch.setattr(outdir, "_exchange", unsupported)
    shutil.copytree(written / "out", written / "pristine")
    old = _snapshot(written / "out")
    (written / "raw" / "000_72c65715ee277755.txt").unlink()
    # What a run into out writes: its ids carried from the run out holds.
    assert _run("ingest", "raw", "--out", "elsewhere/fresh", "--previous", "out", "-q").exit_code == 0
    new = _snapshot(written / "elsewhere" / "fresh")
    shutil.rmtree(written / "elsewhere")
    previous_handler = signal.getsignal(signal.SIGTERM)
    seen = set()
    try:
        for call in range(1, 100):
            shutil.rmtree(written / "out")
            shutil.copytree(written / "pristine", written / "out")
            with monkeypatch.context() as patch:
                calls = _interrupting(patch, call)
                result = _run("ingest", "raw", "--out", "out", "-q")
            if len(calls) < call:  # the run finished before the signal: every step was covered
                assert result.exit_code == 0
                break
            now = _snapshot(written / "out")
            assert result.exit_code == 143, result.output
            assert now in (old, new), "a mix of two runs"
            kept = "the previous output was left as it was" if now == old else "the new output in out is complete"
            assert result.output == f"\nlistparse: interrupted; {kept}\n"
            seen.add("old" if now == old else "new")
            assert sorted(path.name for path in written.iterdir()) == [".out.listparse-lock", "out", "pristine",
                                                                      "raw"]
    finally:
        signal.signal(signal.SIGTERM, previous_handler)
    assert seen == {"old", "new"}


def test_sighup_is_handled_like_sigterm(tmp_path):
    """SIGHUP (a closed terminal) during a run: exit 129 with the same clean message, no store left."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "huge.txt").write_text(_huge_list())
    store_root = tmp_path / "tmp"
    store_root.mkdir()
    process = subprocess.Popen(_ingest_command(folder, tmp_path / "out"), stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "TMPDIR": str(store_root)})
    _wait_for_store(store_root, process)
    process.send_signal(signal.SIGHUP)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 129
    assert stderr == "\nlistparse: interrupted; the previous output was left as it was\n"
    assert list(store_root.iterdir()) == []
    assert not (tmp_path / "out").exists()


def test_the_store_of_a_killed_run_is_removed_by_the_next_run(tmp_path):
    """SIGKILL leaves the temporary store under TMPDIR; the next run removes it (its owner is gone)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "huge.txt").write_text(_huge_list())
    store_root = tmp_path / "tmp"
    store_root.mkdir()
    environment = {**os.environ, "TMPDIR": str(store_root)}
    killed = subprocess.Popen(_ingest_command(folder, tmp_path / "out"), stderr=subprocess.PIPE, env=environment)
    _wait_for_store(store_root, killed)
    killed.kill()
    killed.wait(timeout=60)
    assert [path.name for path in store_root.iterdir()][0].startswith("listparse-")
    small = tmp_path / "small.txt"
    small.write_text("L\n\n1. Apple\n\n2. Cherry\n")
    subprocess.run(_ingest_command(small, tmp_path / "out"), check=True, timeout=60, env=environment)
    assert list(store_root.iterdir()) == []


def _huge_list(entries: int = 8000) -> str:
    """Entries with fields and names: seconds of parsing (8,000: about 20 s), so a signal lands mid-run."""
    entry = "Year: 2019\nJane Smith and Tom Baker meet here.\n" + "A line of prose with Some Names and 3 digits.\n" * 8
    return "Big list\n\n" + "".join(f"{rank}. Thing {rank}\n\n{entry}\n" for rank in range(1, entries + 1))


def _ingest_command(path, out) -> list[str]:
    return [sys.executable, "-m", "listparse", "ingest", str(path), "--out", str(out), "-q", "--no-cache",
            "--jobs", "1"]


def _wait_for(path, process, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not os.path.exists(path):
        assert process.poll() is None and time.monotonic() < deadline, "the run ended before it got there"
        time.sleep(0.02)
    time.sleep(0.3)  # from the lock file (or store directory) to its flock and beyond: microseconds


def _wait_for_store(root, process) -> None:
    deadline = time.monotonic() + 30
    while not any(root.iterdir()):
        assert process.poll() is None and time.monotonic() < deadline, "the run ended before it got there"
        time.sleep(0.02)
    time.sleep(0.3)


def _sources(out) -> list[str]:
    with open(out / "documents.csv", encoding="utf-8", newline="") as stream:
        return [row["source"] for row in csv.DictReader(stream)]


def test_csv_cells_that_start_a_formula_are_neutralised(in_tmp):
    """Titles, headlines, field values and source names starting with = + - @ get a leading quote in every
    CSV (OWASP); plain numbers like -5 stay numbers; JSON keeps the exact values."""
    (in_tmp / "=evil.txt").write_text('@everyone Best games\n\n1. =HYPERLINK("http://evil","click")\n\nYear: 2019\n\n'
                                      "2. +SUM\n\n3. -2+3\n\n4. @Midnight\n\nScore: -5\n\n5. Plain\n\nScore: -5+A1\n")
    assert _run("ingest", "=evil.txt", "--out", "out", "-q").exit_code == 0
    with open(in_tmp / "out" / "entries.csv", encoding="utf-8", newline="") as stream:
        entries = list(csv.DictReader(stream))
    assert [row["title"] for row in entries] == [
        """'=HYPERLINK("http://evil","click")""", "'+SUM", "'-2+3", "'@Midnight", "Plain"]
    assert {row["source"] for row in entries} == {"'=evil.txt"}
    assert [row["score"] for row in entries] == ["", "", "", "-5", "'-5+A1"]
    assert [row["year"] for row in entries][0] == "2019"
    documents = (in_tmp / "out" / "documents.csv").read_text(encoding="utf-8")
    assert "'=evil.txt," in documents and ",'@everyone Best games," in documents
    works = (in_tmp / "out" / "works.csv").read_text(encoding="utf-8")
    assert "midnight,'@Midnight,[],1,1,0,[],,-5,\n" in works
    fields = (in_tmp / "out" / "fields.csv").read_text(encoding="utf-8")
    assert "'=evil.txt,5,score,Score,'-5+A1," in fields
    exact = (in_tmp / "out" / "works.json").read_text(encoding="utf-8")
    assert '"value":"@Midnight"' in exact and '"source":"=evil.txt"' in exact


def test_csv_header_names_are_neutralised_too():
    """An unknown label names a column: a header cell is neutralised like any other."""
    from listparse.export import _csv

    assert "".join(_csv(["=cmd", "rank"], [["@x", -5]])) == "'=cmd,rank\n'@x,-5\n"


CELLS = st.one_of(st.none(), st.integers(-10, 10), st.floats(allow_nan=False),
                  st.text(alphabet='ab =+-@\t\r\n",\'1.', max_size=6))


@given(st.integers(1, 4).flatmap(lambda width: st.lists(st.lists(CELLS, min_size=width, max_size=width),
                                                         max_size=12)),
       st.integers(1, 5))
def test_csv_writes_what_neutralising_every_cell_writes(rows, rows_per_chunk):
    """The chunk-at-a-time writer (`FORMULA_CELL_RE`) gives the bytes of neutralising each cell in turn."""
    from listparse.export import _csv, neutralised

    width = len(rows[0]) if rows else 2
    columns = [f"c{number}" for number in range(width)]
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([["" if value is None else neutralised(value) if isinstance(value, str) else value
                       for value in row] for row in rows])
    assert "".join(_csv(columns, rows, rows_per_chunk)) == expected.getvalue()


def test_csv_refuses_a_row_of_the_wrong_width():
    from listparse.export import _csv

    with pytest.raises(ValueError, match="a row of 1 cells for 2 columns"):
        "".join(_csv(["a", "b"], [["x", "y"], ["z"]]))


EVIL_NAME = "evil\nlistparse: all good\x1b[2J.txt"
EVIL_LIST = "Best\n\n1. Evil\x1b[31m red\u202e title\n\nYear: 2019\n\n2. Second\x1b]0;pwned\x07 one\n\n3. Third\n"


def _assert_printable(text: str) -> None:
    assert not [character for character in text if character in "\x1b\x07\r\u202e" or "\x80" <= character <= "\x9f"]


def test_control_characters_in_file_names_cannot_forge_lines(in_tmp):
    """A file name with a newline and ESC is one escaped line on stderr, not a forged one."""
    (in_tmp / "docs").mkdir()
    (in_tmp / "docs" / EVIL_NAME).write_bytes(b"")
    result = _run("ingest", "docs", "--out", "out", "-q")
    assert result.exit_code == 1
    assert result.output == "listparse: evil\\nlistparse: all good\\x1b[2J.txt: empty: file is empty\n"


def test_control_characters_in_titles_are_escaped_in_every_view(in_tmp):
    """Titles with ESC sequences and bidi overrides are shown escaped by inspect, explain, -vv logs and check."""
    (in_tmp / "titles.txt").write_text(EVIL_LIST)
    views = [_run("inspect", "titles.txt"), _run("-vv", "ingest", "titles.txt", "--out", "out"),
             _run("explain", "evil", "--out", "out")]
    (in_tmp / "titles.txt").write_text(EVIL_LIST.replace("Third", "Third\x1b[5m"))
    views.append(_run("check", "titles.txt", "--against", "out"))
    for view in views:
        _assert_printable(view.output)
    assert "Evil\\x1b[31m red\\u202e title" in views[0].output
    assert "'Evil\\x1b[31m red\\u202e title'" in views[2].output
    assert "Third\\x1b[5m" in views[3].output


@pytest.mark.parametrize("command", [["ingest", "long.txt", "--out", "-", "--no-cache"], ["inspect", "long.txt"],
                                     ["inspect", "long.txt", "--json"]], ids=["ingest-out-dash", "inspect", "json"])
def test_a_closed_pipe_ends_quietly_with_exit_0(in_tmp, command):
    """`listparse … | head -1`: the reader leaves after one line; listparse stops with exit 0, nothing on stderr."""
    (in_tmp / "long.txt").write_text("Long list\n\n" + "".join(f"{rank}. Thing number {rank}\n\nYear: 2001\n\n"
                                                               for rank in range(1, 3001)))
    process = subprocess.Popen([sys.executable, "-m", "listparse", *command], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert process.stdout.readline()
    process.stdout.close()  # what `head -1` does after its line
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 0
    assert stderr == b""


def test_json_is_compact_by_default_and_indented_on_request(in_tmp):
    """documents.json and works.json hold one record a line by default; --indent N indents them for people,
    with the same content and every other file unchanged."""
    shutil.copytree(RAW, in_tmp / "raw")
    assert _run("ingest", "raw", "--out", "compact", "-q").exit_code == 0
    assert _run("ingest", "raw", "--out", "indented", "--indent", "2", "-q", "--fresh-ids").exit_code == 0
    for name in ("documents.json", "works.json"):
        compact = (in_tmp / "compact" / name).read_text(encoding="utf-8")
        indented = (in_tmp / "indented" / name).read_text(encoding="utf-8")
        records = [line for line in compact.splitlines()[1:-1] if line != '],"works":[']
        assert all(line.startswith("{") and line.rstrip(",").endswith("}") for line in records), name
        assert indented.startswith('{\n  "schema_version": 2,\n  "documents": [\n    {\n      "source": ')
        assert json.loads(compact) == json.loads(indented)
        assert len(compact) < 0.7 * len(indented)
    for name in ("entries.csv", "fields.csv", "works.csv", "documents.csv"):
        assert (in_tmp / "compact" / name).read_bytes() == (in_tmp / "indented" / name).read_bytes()
    assert json.loads((in_tmp / "indented" / "run.json").read_text())["options"]["indent"] == 2
