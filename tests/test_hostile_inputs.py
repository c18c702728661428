"""Hostile inputs to the batch itself: file names, symbolic links, the paths argument (issue 11)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from listparse.pipeline import ingest

LIST = "Best things\n\n1. Alpha\n\n2. Beta\n"


@pytest.mark.parametrize("given", [pytest.param(str, id="str"), pytest.param(Path, id="path")])
def test_ingest_takes_one_path_as_a_path_not_its_characters(in_tmp, given):
    """`ingest("raw")` reads the directory raw/, not the files "r", "a" and "w"."""
    (in_tmp / "raw").mkdir()
    (in_tmp / "raw" / "a.txt").write_text(LIST)
    dataset = ingest(given("raw"))
    assert [document.source for document in dataset.parsed_documents] == ["a.txt"]


def test_a_file_name_that_is_not_utf8_is_written_escaped(in_tmp):
    """`bad\\xff\\xfe.txt` does not sink the batch: its name is written with `\\xff` escapes, reversibly."""
    import csv
    import json
    import os

    (in_tmp / "docs").mkdir()
    (in_tmp / "docs" / "good.txt").write_text(LIST)
    with open(os.fsencode(in_tmp / "docs") + b"/bad\xff\xfe.txt", "w") as stream:
        stream.write("Other things\n\n1. Gamma\n\n2. Delta\n")
    finished = subprocess.run([sys.executable, "-m", "listparse", "ingest", "docs", "--out", "out"],
                              cwd=in_tmp, capture_output=True, text=True, timeout=60)
    assert finished.returncode == 0, finished.stderr
    with open(in_tmp / "out" / "documents.csv", encoding="utf-8", newline="") as stream:
        sources = [row["source"] for row in csv.DictReader(stream)]
    assert sources == ["bad\\xff\\xfe.txt", "good.txt"]
    works = json.loads((in_tmp / "out" / "works.json").read_text(encoding="utf-8"))
    assert [document["source"] for document in works["documents"]] == sources
    from listparse.source_names import unescape_name

    assert os.fsencode(unescape_name(sources[0])) == b"bad\xff\xfe.txt"


@pytest.mark.parametrize("raw", [
    pytest.param(b"plain.txt", id="plain"),
    pytest.param(b"bad\xff\xfe.txt", id="not-utf8"),
    pytest.param(b"back\\slash\\xff.txt", id="backslash"),
    pytest.param("caf\u00e9 \u2013 \u00fcber.md".encode(), id="utf8"),
])
def test_escaped_names_round_trip(raw):
    """Escaping a name and unescaping it gives back the very bytes; a UTF-8 name without `\\` is unchanged."""
    import os

    from listparse.source_names import escape_name, unescape_name

    name = os.fsdecode(raw)
    escaped = escape_name(name)
    escaped.encode("utf-8")  # writable as UTF-8
    assert os.fsencode(unescape_name(escaped)) == raw
    assert (escaped == name) == (b"\\" not in raw and raw.decode("utf-8", "replace") == name)


def _cli(*args):
    from click.testing import CliRunner

    from listparse.cli import main

    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("name, content, message", [
    pytest.param("--catalogue", "name,year\nSteins;Gate,2011\n",
                 "listparse: catalogue config.csv has no title column (columns found: name, year)\n", id="csv"),
    pytest.param("--catalogue", '[{"title": "Steins;Gate"}, 3]',
                 "listparse: catalogue config.json: entry 2 is not an object with a title\n", id="json-array"),
    pytest.param("--aliases", '[[work]]\ntitle = "Anohana"\nalias = ["Ano Hi"]\n',
                 'listparse: aliases file config.toml: [[work]] number 1 has an unknown key "alias" '
                 '(valid keys: aliases, title)\n', id="aliases"),
])
def test_a_bad_configuration_file_is_one_line_and_exit_2(in_tmp, name, content, message):
    """A catalogue or aliases file listparse cannot use: one line naming the file and the fix, exit 2."""
    suffix = {"--catalogue": ".json" if content.startswith("[") else ".csv", "--aliases": ".toml"}[name]
    (in_tmp / f"config{suffix}").write_text(content)
    (in_tmp / "a.txt").write_text(LIST)
    result = _cli("ingest", "a.txt", "--out", "out", name, f"config{suffix}")
    assert (result.exit_code, result.output) == (2, message)
    assert not (in_tmp / "out").exists()


def _statuses(out: Path) -> dict[str, tuple[str, str]]:
    import csv

    with open(out / "documents.csv", encoding="utf-8", newline="") as stream:
        return {row["source"]: (row["status"], row["message"]) for row in csv.DictReader(stream)}


@pytest.fixture
def linked_tree(in_tmp) -> Path:
    """docs/ with a file, a link to a file inside docs/ and a link to a file outside it."""
    (in_tmp / "docs").mkdir()
    (in_tmp / "docs" / "good.txt").write_text(LIST)
    (in_tmp / "secret.txt").write_text("Secrets\n\n1. Password\n\n2. Pin\n")
    (in_tmp / "docs" / "inside.txt").symlink_to(in_tmp / "docs" / "good.txt")
    (in_tmp / "docs" / "outside.txt").symlink_to(in_tmp / "secret.txt")
    return in_tmp


def test_a_link_out_of_the_directory_is_skipped_and_said(linked_tree):
    """A directory's link to a file outside it is not read: one stderr line, a `skipped` row, exit 1."""
    result = _cli("ingest", "docs", "--out", "out")
    assert result.exit_code == 1
    statuses = _statuses(linked_tree / "out")
    assert statuses["good.txt"][0] == statuses["inside.txt"][0] == "ok"
    message = (f"symbolic link to a file outside the directory it is in ({linked_tree / 'secret.txt'}); "
               "not read (use --follow-symlinks to read it)")
    assert statuses["outside.txt"] == ("skipped", message)
    assert f"listparse: outside.txt: skipped: {message}\n" in result.output
    assert "Password" not in (linked_tree / "out" / "entries.csv").read_text()


def test_follow_symlinks_reads_links_out_of_the_directory(linked_tree):
    """--follow-symlinks reads what the link points to, under the link's name."""
    result = _cli("ingest", "docs", "--out", "out", "--follow-symlinks")
    assert result.exit_code == 0
    assert _statuses(linked_tree / "out")["outside.txt"] == ("ok", "")


def test_a_link_named_on_the_command_line_is_followed(linked_tree):
    """A link the user names is read wherever it points: they chose it."""
    result = _cli("ingest", "docs/outside.txt", "--out", "out")
    assert result.exit_code == 0
    assert _statuses(linked_tree / "out") == {"outside.txt": ("ok", "")}
