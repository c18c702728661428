"""Source names: relative to the input they were found under, whatever the working directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from listparse.cli import main
from listparse.inputs import _found_under, find_inputs, find_sources, source_path

LIST = "Best things\n\n1. Alpha\n\nFine.\n\n2. Beta\n\nGood.\n"


def _names(paths) -> list[str]:
    return [source.name for source in find_sources(paths)]


@pytest.fixture
def corpus(tmp_path) -> Path:
    """tmp/corpus/ with a.txt and sub/b.md."""
    (tmp_path / "corpus" / "sub").mkdir(parents=True)
    (tmp_path / "corpus" / "a.txt").write_text(LIST)
    (tmp_path / "corpus" / "sub" / "b.md").write_text(LIST)
    return tmp_path / "corpus"


@pytest.mark.parametrize(("cwd", "given"), [
    pytest.param(".", "corpus", id="relative"),
    pytest.param(".", "corpus/", id="trailing-slash"),
    pytest.param("corpus", ".", id="dot"),
    pytest.param("corpus/sub", "..", id="dot-dot"),
    pytest.param("corpus/sub", None, id="absolute"),
])
def test_a_directory_names_its_documents_relative_to_itself_from_any_cwd(corpus, monkeypatch, cwd, given):
    """One tree, given relative, absolute, as `.` or `..`: the same names."""
    monkeypatch.chdir(corpus.parent / cwd)
    assert _names([given or str(corpus)]) == ["a.txt", "sub/b.md"]


@pytest.mark.parametrize("given", [pytest.param("corpus/sub/b.md", id="relative"),
                                   pytest.param(None, id="absolute")])
def test_a_file_given_by_name_is_named_by_its_own_name(corpus, monkeypatch, given):
    """A file named in PATHS is named as in its directory, like the files of a directory given."""
    monkeypatch.chdir(corpus.parent)
    assert _names([given or str(corpus / "sub" / "b.md")]) == ["b.md"]


def test_files_given_by_name_and_their_directory_get_the_same_names(corpus, monkeypatch):
    """`ingest corpus/*.txt` names a.txt as `ingest corpus/` does."""
    monkeypatch.chdir(corpus.parent)
    assert _names(["corpus/a.txt"]) == _names(["corpus"])[:1] == ["a.txt"]


def test_two_roots_holding_one_name_are_told_apart_by_their_own_names(tmp_path, monkeypatch):
    """a/x.txt and b/x.txt: every document of both roots is prefixed with its root's name, in any order;
    a root without a clash keeps its plain names."""
    for folder in ("a", "b", "c"):
        (tmp_path / folder).mkdir()
    (tmp_path / "a" / "x.txt").write_text(LIST)
    (tmp_path / "a" / "y.txt").write_text(LIST)
    (tmp_path / "b" / "x.txt").write_text(LIST)
    (tmp_path / "c" / "z.txt").write_text(LIST)
    monkeypatch.chdir(tmp_path)
    assert _names(["a", "b", "c"]) == ["a/x.txt", "a/y.txt", "b/x.txt", "z.txt"]
    assert sorted(_names(["c", "b", "a"])) == ["a/x.txt", "a/y.txt", "b/x.txt", "z.txt"]
    assert [(root.given, root.prefix) for root in find_inputs(["a", "b", "c"]).roots] == [
        ("a", "a/"), ("b", "b/"), ("c", "")]


def test_roots_of_one_name_take_as_many_components_as_they_need(tmp_path, monkeypatch):
    """p/raw/x.txt and q/raw/x.txt: `raw/` is not enough, `p/raw/` and `q/raw/` are."""
    for folder in ("p", "q"):
        (tmp_path / folder / "raw").mkdir(parents=True)
        (tmp_path / folder / "raw" / "x.txt").write_text(LIST)
    monkeypatch.chdir(tmp_path / "p")
    assert _names(["raw", "../q/raw"]) == ["p/raw/x.txt", "q/raw/x.txt"]


def test_two_files_of_one_name_given_by_name_are_told_apart(tmp_path, monkeypatch):
    """a/x.txt b/x.txt given as files: prefixed with their directories' names, never one source for two."""
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(LIST)
    monkeypatch.chdir(tmp_path)
    assert _names(["a/x.txt", "b/x.txt"]) == ["a/x.txt", "b/x.txt"]


def test_a_file_under_two_roots_is_read_once_named_from_the_outer(corpus, monkeypatch):
    """`corpus corpus/sub corpus/sub/b.md`: b.md once, as `sub/b.md`, in either order."""
    monkeypatch.chdir(corpus.parent)
    assert _names(["corpus", "corpus/sub", "corpus/sub/b.md"]) == ["a.txt", "sub/b.md"]
    assert _names(["corpus/sub/b.md", "corpus/sub", "corpus"]) == ["sub/b.md", "a.txt"]


def test_standard_input_stays_stdin_and_a_file_named_so_gets_a_prefix(tmp_path, monkeypatch):
    """`-` is `stdin`; a file given as `docs/stdin` would clash, so it is named `docs/stdin`."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "stdin").write_text(LIST)
    monkeypatch.chdir(tmp_path)
    assert _names(["-"]) == ["stdin"]
    assert _names(["-", "docs/stdin"]) == ["stdin", "docs/stdin"]


def test_roots_are_recorded_as_given(corpus, monkeypatch):
    """Each path once, as given, with its kind; standard input as `-`."""
    monkeypatch.chdir(corpus.parent)
    roots = find_inputs(["corpus/", "corpus/a.txt", "-", "corpus/"]).roots
    assert [root.record() for root in roots] == [
        {"path": "corpus/", "kind": "directory", "prefix": ""}, {"path": "corpus/a.txt", "kind": "file", "prefix": ""},
        {"path": "-", "kind": "stdin", "prefix": ""}]


def test_source_path_finds_a_document_by_the_recorded_roots(corpus, tmp_path):
    """Names map back to files through the roots, relative ones from the directory the run started in."""
    roots = [{"path": "corpus", "kind": "directory", "prefix": ""},
             {"path": str(corpus / "sub" / "b.md"), "kind": "file", "prefix": "x/"}]
    assert source_path("sub/b.md", roots, tmp_path) == corpus / "sub" / "b.md"
    assert source_path("x/b.md", roots, Path("/nowhere")) == corpus / "sub" / "b.md"
    assert source_path("a.txt", [], corpus) == corpus / "a.txt"


def test_check_from_inside_the_input_finds_no_differences(corpus, monkeypatch):
    """`ingest corpus/` from its parent, then `check .` from inside corpus/ (or by absolute path): identical."""
    monkeypatch.chdir(corpus.parent)
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", "corpus/", "--out", "out", "-q", "--no-cache"]).exit_code == 0
    monkeypatch.chdir(corpus / "sub")
    for given in ("..", str(corpus)):
        result = runner.invoke(main, ["check", given, "--against", "../../out", "--no-cache"])
        assert result.exit_code == 0, result.output
        assert "no differences" in result.output


def test_a_directory_is_searched_by_suffix_in_path_order_without_entering_linked_directories(tmp_path):
    """Files sort as paths do (by their parts: `a/z.txt` before `a-b.txt`), suffixes are read as
    `Path.suffix` reads them (`..txt` has one, `notes.` none), and a link to a directory is not followed."""
    tree = tmp_path / "tree"
    (tree / "a").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    for name in ("a/z.txt", "a-b.txt", "..txt", "notes.", "page.HTML", "crawl.warc.gz", "readme", "A.md"):
        (tree / name).write_text(LIST)
    (tmp_path / "elsewhere" / "far.txt").write_text(LIST)
    (tree / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert [found.relative for found in _found_under(str(tree), follow_symlinks=False)] == [
        "..txt", "A.md", "a/z.txt", "a-b.txt", "crawl.warc.gz", "page.HTML"]
