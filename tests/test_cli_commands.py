"""inspect, explain, check, schema, formats and batch feedback, through click's CliRunner."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner

from listparse.cli import main

from .conftest import RAW, ROOT

SAD = "raw/000_72c65715ee277755.txt"
SAD_SOURCE = "000_72c65715ee277755.txt"  # its name in the output: relative to raw/, the input it was found under


def _run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


@pytest.fixture
def raw_copy(in_tmp):
    """A working directory holding a copy of raw/ and its ingested output/."""
    shutil.copytree(RAW, in_tmp / "raw")
    assert _run("ingest", "raw", "--out", "output", "-q").exit_code == 0
    return in_tmp


def test_inspect_shows_entries_fields_and_lines(raw_copy):
    """The table shows each entry, its title change, its fields with their lines."""
    result = _run("inspect", SAD)
    assert result.exit_code == 0
    assert "10 Sad Anime Series Guaranteed To Make You Cry" in result.output
    assert "Violet Evergarden" in result.output and "episodes: 13" in result.output
    assert "year: 2018  (l.52)" in result.output


def test_inspect_json(raw_copy):
    """--json prints the Document model."""
    result = _run("inspect", "raw/003_69beb07b3dbe9906.txt", "--json")
    document = json.loads(result.output)
    assert [e["title"] for e in document["entries"]][:1] == ["Your Liie in April"]
    assert document["entries"][0]["changes"][0]["rule"] == "fix_stray_capitals"


def test_inspect_reports_failure_with_exit_1(in_tmp):
    """An empty file is shown with its status, exit 1."""
    (in_tmp / "empty.txt").write_text("")
    result = _run("inspect", "empty.txt")
    assert result.exit_code == 1
    assert "status: empty" in result.output


def test_explain_by_fuzzy_title(raw_copy):
    """A loose title finds the work and shows documents, lines, rules and corrections."""
    result = _run("explain", "your lie in april")
    assert result.exit_code == 0
    assert "003_69beb07b3dbe9906.txt:7 #1  'Your LIie In April'" in result.output
    assert "spelling_from_other_documents" in result.output
    assert "name_spelling_in_work: 'Kosei Armia' → 'Kousei Arima'" in result.output


def test_explain_by_id_json(raw_copy):
    """An exact id and --json print that work."""
    work = json.loads(_run("explain", "steins-gate", "--json").output)
    assert work["title"]["value"] == "Steins;Gate"


def test_explain_unknown_work_exits_2(raw_copy):
    """No match: a message and exit 2."""
    result = _run("explain", "zzzzzzzz qqqq")
    assert result.exit_code == 2
    assert "no work matches 'zzzzzzzz qqqq'" in result.output


def test_explain_lists_every_work_an_ambiguous_title_names(in_tmp):
    """Two films of one title: both are listed, with their years, and the exit code is 1."""
    (in_tmp / "in").mkdir()
    (in_tmp / "in" / "a.txt").write_text("Zombie films\n\n1. Dawn of the Dead (1978)\n\n2. Day of the Dead (1985)\n")
    (in_tmp / "in" / "b.txt").write_text("Remakes\n\n1. Dawn of the Dead (2004)\n\n2. Evil Dead (2013)\n")
    assert _run("ingest", "in", "--out", "output", "-q").exit_code == 0
    result = _run("explain", "Dawn of the Dead")
    assert result.exit_code == 1
    assert "'Dawn of the Dead' matches 2 works" in result.output
    assert "dawn-of-the-dead-1978 (Dawn of the Dead, 1978)" in result.output
    assert "dawn-of-the-dead-2004 (Dawn of the Dead, 2004)" in result.output
    listed = json.loads(_run("explain", "dawn of the dead", "--json").output)
    assert [work["id"] for work in listed] == ["dawn-of-the-dead-1978", "dawn-of-the-dead-2004"]
    assert _run("explain", "dawn-of-the-dead-2004").exit_code == 0


def test_explain_without_output_says_what_to_do(in_tmp):
    """A missing works.json tells the user to ingest first."""
    result = _run("explain", "anything", "--out", "nowhere")
    assert result.exit_code == 2
    assert "run `listparse ingest PATHS --out nowhere` first" in result.output


def test_check_identical_exits_0(raw_copy):
    """Re-ingesting unchanged inputs matches the stored output."""
    result = _run("check", "raw", "--against", "output")
    assert result.exit_code == 0, result.output
    assert "no differences" in result.output


def test_check_changed_file_exits_1_naming_the_entry(raw_copy):
    """A changed title in one raw file is reported field by field, with its source."""
    path = raw_copy / SAD
    path.write_text(path.read_text(encoding="utf-8").replace(" 7  Banana Fish", " 7  Banana Fishes"),
                    encoding="utf-8")
    result = _run("check", "raw", "--against", "output")
    assert result.exit_code == 1
    assert f"~ entry {SAD_SOURCE}#7 changed" in result.output
    assert "title: 'Banana Fish' → 'Banana Fishes'" in result.output
    assert "+ work banana-fishes added" in result.output


def test_check_json(raw_copy):
    """--json gives the same differences as data on stdout, with the same exit codes."""
    same = _run("check", "raw", "--against", "output", "--json")
    assert same.exit_code == 0 and json.loads(same.stdout)["differences"] == []
    path = raw_copy / SAD
    path.write_text(path.read_text(encoding="utf-8").replace(" 7  Banana Fish", " 7  Banana Fishes"),
                    encoding="utf-8")
    changed = _run("check", "raw", "--against", "output", "--json")
    assert changed.exit_code == 1
    report = json.loads(changed.stdout)
    entry = next(d for d in report["differences"] if d["key"] == f"{SAD_SOURCE}#7")
    assert entry["status"] == "changed"
    assert {"field": "title", "old": "Banana Fish", "new": "Banana Fishes"} in entry["changes"]
    added = next(d for d in report["differences"] if d["key"] == "banana-fishes")
    assert (added["kind"], added["status"]) == ("work", "added")


def test_check_against_missing_directory_exits_2(raw_copy):
    """Comparing with a directory that holds no output is a usage error."""
    result = _run("check", "raw", "--against", "empty-dir")
    assert result.exit_code == 2


@pytest.mark.parametrize(
    ("formats", "files"),
    [
        (["--format", "jsonl"], ["documents.jsonl", "entries.jsonl", "works.jsonl"]),
        (["--format", "csv"], ["documents.csv", "entries.csv", "fields.csv", "works.csv"]),
        (["--format", "json", "--format", "jsonl"],
         ["documents.json", "documents.jsonl", "entries.jsonl", "works.json", "works.jsonl"]),
    ],
)
def test_formats(raw_copy, formats, files):
    """--format chooses which files are written."""
    result = _run("ingest", "raw", "--out", "fmt", *formats)
    assert result.exit_code == 0
    written = sorted(p.name for p in (raw_copy / "fmt").iterdir())
    assert written == sorted([".listparse-manifest.json", *files, "run.json"])


def test_json_lines_files_read_one_record_a_line(raw_copy):
    """documents.jsonl holds each document whole (as in documents.json), one per line."""
    assert _run("ingest", "raw", "--out", "fmt", "--format", "jsonl", "--format", "json").exit_code == 0
    lines = (raw_copy / "fmt" / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    whole = json.loads((raw_copy / "fmt" / "documents.json").read_text(encoding="utf-8"))["documents"]
    assert [{k: v for k, v in record.items() if k != "type"} for record in records] == whole
    assert {record["type"] for record in records} == {"document"}


def test_out_dash_refuses_other_formats(raw_copy):
    """--out - with --format csv is refused (exit 2), not silently streamed as JSON Lines."""
    result = _run("ingest", "raw", "--out", "-", "--format", "csv")
    assert result.exit_code == 2
    assert "--format json, csv, sqlite or parquet needs an output directory" in result.output


def test_out_dash_streams_json_lines(raw_copy):
    """--out - writes JSON Lines to stdout: 30 entries, then 22 works."""
    result = CliRunner(mix_stderr=False).invoke(main, ["ingest", "raw", "--out", "-"]) if _has_mix_stderr() \
        else CliRunner().invoke(main, ["ingest", "raw", "--out", "-"])
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["type"] for r in records].count("entry") == 30
    assert [r["type"] for r in records].count("work") == 22


def _has_mix_stderr() -> bool:
    import inspect

    return "mix_stderr" in inspect.signature(CliRunner.__init__).parameters


def test_summary_and_quiet(raw_copy):
    """A closing summary by default; --quiet prints nothing when all goes well."""
    result = _run("ingest", "raw", "--out", "o")
    assert re.search(r"2 document\(s\), 0 failed, 30 entries, 22 works, \d+ conflicts, \d+ warnings in", result.output)
    assert _run("ingest", "raw", "--out", "o", "--quiet").output == ""


def test_progress_bar_can_be_forced(raw_copy):
    """--progress shows a bar even when stderr is not a terminal."""
    assert "parsing" in _run("ingest", "raw", "--out", "o", "--progress").output


def test_verbose_logs_decisions(raw_copy):
    """-vv logs how the list was chosen."""
    result = _run("-vv", "ingest", "raw", "--out", "o", "-q", "--no-cache")
    assert "numbered line(s)" in result.output


def test_one_v_logs_each_phase_and_works_after_the_command(raw_copy):
    """-v (before or after the command name) logs parsing, merging and their times at INFO."""
    for args in (["-v", "ingest", "raw", "--out", "o", "-q"], ["ingest", "raw", "--out", "o", "-q", "-v"]):
        result = _run(*args)
        assert "parsed 2 document(s), 0 failed, 30 entries in" in result.output
        assert "merged into 22 works in" in result.output
        assert "wrote o in" in result.output
        assert "numbered line(s)" not in result.output  # the parser's decisions are -vv
    assert "numbered line(s)" in _run("ingest", "raw", "--out", "o", "-q", "--no-cache", "-vv").output


def test_progress_names_the_merge_and_write_phases(raw_copy):
    """After the parsing bar, the merge and the write each say they have begun."""
    output = _run("ingest", "raw", "--out", "o", "--progress").output
    assert output.index("parsing") < output.index("merging 30 entries…") < output.index("writing o…")


def test_progress_counts_the_works_as_they_are_merged(raw_copy):
    """The merge has a bar of its own, full when every work is built (22 works from raw/)."""
    output = _run("ingest", "raw", "--out", "o", "--progress").output
    assert output.index("merging 30 entries…") < output.index("\nmerging") < output.index("writing o…")


def test_progress_counts_the_files_as_they_are_written(raw_copy):
    """Writing has a bar too, after the line that says it begins, counting the files."""
    output = _run("ingest", "raw", "--out", "o", "--progress").output
    assert output.index("writing o…") < output.index("\nwriting") < output.index("2 document(s)")


def test_the_output_directory_reports_each_file_written(tmp_path):
    """OutputDirectory.write calls progress(written, files) once per file, the manifest not counted."""
    from listparse.outdir import OutputDirectory

    calls: list[tuple[int, int]] = []
    with OutputDirectory(tmp_path / "out") as directory:
        directory.write({"a.csv": "a\n", "b.json": b"{}", "c.txt": ["c", "\n"]},
                        progress=lambda written, files: calls.append((written, files)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_merge_reports_its_progress_in_works():
    """merge_store calls progress(built, works) every PROGRESS_EVERY works and once at the end."""
    from listparse import parse_text
    from listparse.merge import PROGRESS_EVERY, merge_store
    from listparse.store import Store

    titles = "".join(f"{rank}. Work number {rank:04d}\n\n" for rank in range(1, 2 * PROGRESS_EVERY + 52))
    calls: list[tuple[int, int]] = []
    with Store() as store:
        store.add_document(parse_text("Best works\n\n" + titles, source="works.txt"))
        merge_store(store, progress=lambda built, works: calls.append((built, works)))
    works = calls[-1][1]
    assert calls == [(PROGRESS_EVERY, works), (2 * PROGRESS_EVERY, works), (works, works)]


def test_piped_human_output_is_not_hard_wrapped(raw_copy):
    """inspect into a pipe keeps each logical line whole (rich would wrap at 80 columns)."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "listparse", "inspect", SAD]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    why = next(line for line in output.splitlines() if "why list:" in line)
    assert why.rstrip().endswith("as many entries as the headline promises (10)")


def test_limit_reads_only_the_first_documents(raw_copy):
    """--limit 1 reads the first document found and no other."""
    result = _run("ingest", "raw", "--out", "o", "--limit", "1")
    assert result.exit_code == 0
    assert "1 document(s), 0 failed, 10 entries" in result.output
    assert "003_69beb07b3dbe9906" not in (raw_copy / "o" / "documents.csv").read_text(encoding="utf-8")


def test_shell_completion_script(raw_copy):
    """The README's completion line gives a bash script that completes listparse's commands."""
    import os
    import subprocess
    import sys

    environment = {**os.environ, "_LISTPARSE_COMPLETE": "bash_source"}
    script = subprocess.run([sys.executable, "-m", "listparse"], env=environment, capture_output=True,
                            text=True).stdout
    assert "complete -o nosort -F _listparse_completion listparse" in script
    environment |= {"_LISTPARSE_COMPLETE": "bash_complete", "COMP_WORDS": "listparse ex", "COMP_CWORD": "1"}
    completed = subprocess.run([sys.executable, "-m", "listparse"], env=environment, capture_output=True,
                               text=True).stdout
    assert "plain,explain" in completed


def test_a_web_address_says_how_to_fetch_it(raw_copy):
    """ingest URL is not 'missing': it points to curl and stdin, exit 2, and writes nothing."""
    result = _run("ingest", "https://example.com/top-10", "--out", "o")
    assert result.exit_code == 2
    assert "is a web address" in result.output and "curl -sL 'https://example.com/top-10' | listparse ingest -" \
        in result.output
    assert not (raw_copy / "o").exists()


def test_bad_catalogue_is_a_usage_error(raw_copy):
    """An unreadable catalogue exits 2 with the file named."""
    result = _run("ingest", "raw", "--catalogue", "missing.jsonl")
    assert result.exit_code == 2
    assert "cannot read catalogue missing.jsonl" in result.output


def test_every_command_is_in_the_readme():
    """The README's command reference names every command and every option."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert f"listparse {name}" in readme, name
        for parameter in command.params:
            for option in getattr(parameter, "opts", []):
                if option.startswith("--"):
                    assert option in readme, f"{name} {option}"


def test_every_command_has_help_with_examples():
    """Each command's --help has an Examples section."""
    for name in main.commands:
        result = _run(name, "--help")
        assert result.exit_code == 0 and "Examples:" in result.output, name
