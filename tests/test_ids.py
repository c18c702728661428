"""Work ids across re-ingests: carried to the works that persist, fresh and deterministic otherwise."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import listparse
from listparse import json_stream
from listparse.cli import main
from listparse.ids import Lineage, assign_ids, work_ids
from listparse.models import Work
from listparse.previous import PreviousRun, evidence_key, read_previous

ANOHANA = "Anohana: The Flower We Saw That Day"
ANO_HI = "Ano Hi Mita Hana no Namae o Boku-tachi wa Mada Shiranai"
OLD_ID, NEW_ID = "anohana-the-flower-we-saw-that-day", "ano-hi-mita-hana-no-namae-o-boku-tachi-wa-mada-shiranai"
FIRST = {  # two lists that call it Anohana
    "d1.txt": ("Top 3 sad anime", ANOHANA, "Clannad", "Your Lie in April"),
    "d2.txt": ("Best 3 tearjerkers", ANOHANA, "Your Lie in April", "Dune (1984)"),
}
ADDED = {  # three more that spell it in full: the chosen title changes
    "d3.txt": ("Three anime", f"{ANO_HI} (Anohana)", "Clannad", "Toradora"),
    "d4.txt": ("Three more", ANO_HI, "Anohana", "Toradora"),
    "d5.txt": ("Three again", ANO_HI, "Clannad", "Dune (2021)"),
}


def _write(directory: Path, documents: dict[str, tuple[str, ...]]) -> None:
    directory.mkdir(exist_ok=True)
    for name, (headline, *titles) in documents.items():
        body = "".join(f"{rank}. {title}\n\nWhy it is here.\n\n" for rank, title in enumerate(titles, 1))
        (directory / name).write_text(f"{headline}\n\n{body}", encoding="utf-8")


def _ingest(*args: str):
    result = CliRunner().invoke(main, ["ingest", "raw", "--no-cache", "-q", *args])
    assert result.exit_code == 0, result.output
    return result


def _work_ids(out: Path) -> dict[tuple[str, str], str]:
    """(source, title as printed) → work id, from entries.csv."""
    with open(out / "entries.csv", encoding="utf-8", newline="") as stream:
        return {(row["source"], row["title_raw"]): row["work_id"] for row in csv.DictReader(stream)}


def _works(out: Path) -> dict[str, dict]:
    return {work["id"]: work for work in json.loads((out / "works.json").read_text(encoding="utf-8"))["works"]}


def test_a_fresh_run_is_deterministic(in_tmp):
    """Two fresh runs of the same inputs give the same ids, byte for byte, whatever the output directory held."""
    _write(in_tmp / "raw", FIRST)
    _ingest("--out", "c")
    _write(in_tmp / "raw", ADDED)
    _ingest("--out", "a")
    _ingest("--out", "b")
    _ingest("--out", "c", "--fresh-ids")  # c held a run that would carry anohana's first id
    assert (in_tmp / "a" / "works.json").read_bytes() == (in_tmp / "b" / "works.json").read_bytes()
    assert (in_tmp / "a" / "works.json").read_bytes() == (in_tmp / "c" / "works.json").read_bytes()
    assert NEW_ID in _works(in_tmp / "c")
    assert "ids_from" not in json.loads((in_tmp / "c" / ".listparse-manifest.json").read_text())


def test_same_inputs_keep_every_id_and_no_previous_ids(in_tmp):
    """Re-ingesting the same inputs into the same --out writes the same works.json: ids kept, none listed
    as previous; the manifest names the file the ids came from."""
    _write(in_tmp / "raw", FIRST | ADDED)
    _ingest()
    before = (in_tmp / "output" / "works.json").read_bytes()
    _ingest()
    assert (in_tmp / "output" / "works.json").read_bytes() == before
    assert all("previous_ids" not in work for work in _works(in_tmp / "output").values())
    with open(in_tmp / "output" / "works.csv", encoding="utf-8", newline="") as stream:
        assert "previous_ids" not in next(csv.reader(stream))
    manifest = json.loads((in_tmp / "output" / ".listparse-manifest.json").read_text())
    assert manifest["ids_from"]["file"] == "works.json"
    assert manifest["ids_from"]["sha256"] == hashlib.sha256(before).hexdigest()  # the same bytes were read


def test_added_documents_that_rename_a_work_keep_its_id(in_tmp):
    """The anohana case: three new documents change the canonical title; the work and every entry keep the
    old id (a fresh run would rename it), and a second Dune gets an id of its own."""
    _write(in_tmp / "raw", FIRST)
    _ingest()
    assert _work_ids(in_tmp / "output")[("d1.txt", ANOHANA)] == OLD_ID
    _write(in_tmp / "raw", ADDED)
    _ingest()
    _ingest("--out", "fresh", "--fresh-ids")
    assert _works(in_tmp / "fresh")[NEW_ID]["title"]["value"] == ANO_HI  # the rename a fresh run makes
    ids = _work_ids(in_tmp / "output")
    anohana = {key: work_id for key, work_id in ids.items() if "Ano" in key[1]}
    assert len(anohana) == 6 and set(anohana.values()) == {OLD_ID}
    work = _works(in_tmp / "output")[OLD_ID]
    assert work["title"]["value"] == ANO_HI and "previous_ids" not in work
    assert ids[("d2.txt", "Dune")] == "dune"  # fresh: dune-1984, as two Dunes now need years
    assert ids[("d5.txt", "Dune")] == "dune-2021"
    assert ids[("d3.txt", "Toradora")] == "toradora"


def test_removed_documents_leave_the_other_ids_alone(in_tmp):
    """Removing documents: the works that persist keep their ids, even where a fresh run would rename them."""
    _write(in_tmp / "raw", FIRST | ADDED)
    _ingest()
    for name in ADDED:
        (in_tmp / "raw" / name).unlink()
    _ingest()
    ids = _work_ids(in_tmp / "output")
    assert ids[("d1.txt", ANOHANA)] == NEW_ID  # a fresh run: anohana-the-flower-we-saw-that-day
    assert ids[("d2.txt", "Dune")] == "dune-1984"  # a fresh run: dune
    assert ids[("d1.txt", "Clannad")] == "clannad"
    assert "toradora" not in _works(in_tmp / "output")


def test_an_edit_that_merges_two_works_keeps_the_larger_id(in_tmp):
    """One document's Dune changes year and joins the other Dune: the merged work keeps the id of the one
    it shares most with and lists the other; a re-ingest keeps both."""
    _write(in_tmp / "raw", {"d1.txt": ("One", "Dune (1984)", "Alien"), "d2.txt": ("Two", "Dune (1984)", "Heat"),
                            "d3.txt": ("Three", "Dune (2021)", "Alien")})
    _ingest()
    assert set(_works(in_tmp / "output")) == {"alien", "dune-1984", "dune-2021", "heat"}
    _write(in_tmp / "raw", {"d3.txt": ("Three", "Dune (1984)", "Alien")})
    _ingest()
    works = _works(in_tmp / "output")
    assert set(works) == {"alien", "dune-1984", "heat"}  # a fresh run: dune
    assert works["dune-1984"]["previous_ids"] == ["dune-2021"]
    assert _work_ids(in_tmp / "output")[("d3.txt", "Dune")] == "dune-1984"
    with open(in_tmp / "output" / "works.csv", encoding="utf-8", newline="") as stream:
        rows = {row["id"]: row for row in csv.DictReader(stream)}
    assert rows["dune-1984"]["previous_ids"] == '["dune-2021"]' and rows["alien"]["previous_ids"] == "[]"
    _ingest()
    assert _works(in_tmp / "output")["dune-1984"]["previous_ids"] == ["dune-2021"]


def test_an_edit_that_splits_a_work_gives_the_smaller_part_a_fresh_id(in_tmp):
    """One document's Dune becomes another film: the larger part keeps the id, the other gets a fresh one
    and lists the id it split from."""
    _write(in_tmp / "raw", {"d1.txt": ("One", "Dune (1984)", "Alien"), "d2.txt": ("Two", "Dune (1984)", "Heat"),
                            "d3.txt": ("Three", "Dune (1984)", "Alien")})
    _ingest()
    assert "dune" in _works(in_tmp / "output")
    _write(in_tmp / "raw", {"d3.txt": ("Three", "Dune (2021)", "Alien")})
    _ingest()
    works = _works(in_tmp / "output")
    assert set(works) == {"alien", "dune", "dune-2021", "heat"}
    assert [a.source for a in Work.model_validate(works["dune"]).appearances] == ["d1.txt", "d2.txt"]
    assert "previous_ids" not in works["dune"]
    assert works["dune-2021"]["previous_ids"] == ["dune"]


def test_a_fresh_id_never_reuses_a_retired_one(in_tmp):
    """A work whose evidence is all new never gets an id the previous run used, even one no work kept."""
    _write(in_tmp / "raw", {"d1.txt": ("One", "Heat", "Alien")})
    _ingest()
    (in_tmp / "raw" / "d1.txt").unlink()
    _write(in_tmp / "raw", {"d2.txt": ("Two", "Heat", "Alien")})
    _ingest()
    assert set(_works(in_tmp / "output")) == {"alien-2", "heat-2"}


@pytest.mark.parametrize("damage", [
    pytest.param(lambda text: text[: len(text) // 2], id="truncated"),
    pytest.param(lambda text: text.replace('"schema_version":2', '"schema_version":99'), id="other-schema"),
    pytest.param(lambda text: "\x00\xff not json", id="garbage"),
])
def test_an_unreadable_previous_run_warns_and_gives_fresh_ids(in_tmp, damage):
    """A previous run that cannot be read: one warning line naming it and why, then fresh ids; never a crash."""
    _write(in_tmp / "raw", FIRST)
    _ingest()
    works = in_tmp / "output" / "works.json"
    works.write_text(damage(works.read_text(encoding="utf-8")), encoding="utf-8")
    _write(in_tmp / "raw", ADDED)
    result = _ingest()
    warnings = [line for line in result.stderr.splitlines() if "fresh id" in line]
    assert len(warnings) == 1 and warnings[0].startswith("listparse: output/works.json: ")
    assert warnings[0].endswith("; every work gets a fresh id")
    assert _work_ids(in_tmp / "output")[("d1.txt", ANOHANA)] == NEW_ID


def test_previous_names_another_directory(in_tmp):
    """--previous DIR carries ids from DIR into a new --out; without it a new --out gets fresh ids."""
    _write(in_tmp / "raw", FIRST)
    _ingest("--out", "published")
    _write(in_tmp / "raw", ADDED)
    _ingest("--out", "next", "--previous", "published")
    _ingest("--out", "plain")
    assert _work_ids(in_tmp / "next")[("d3.txt", f"{ANO_HI} (Anohana)")] == OLD_ID
    assert _work_ids(in_tmp / "plain")[("d3.txt", f"{ANO_HI} (Anohana)")] == NEW_ID
    result = CliRunner().invoke(main, ["ingest", "raw", "--previous", "published", "--fresh-ids"])
    assert result.exit_code == 2 and "--previous and --fresh-ids exclude each other" in result.output


def test_a_missing_previous_directory_warns(in_tmp):
    """--previous naming a directory with no run in it: a warning, fresh ids."""
    _write(in_tmp / "raw", FIRST)
    result = _ingest("--previous", "nowhere")
    assert "listparse: nowhere holds no works.jsonl, works.json or entries.csv; every work gets a fresh id" in \
        result.stderr
    assert _work_ids(in_tmp / "output")[("d1.txt", ANOHANA)] == OLD_ID


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_ids_are_carried_from_jsonl_or_csv_runs(in_tmp, fmt):
    """A previous run written as JSON Lines (works.jsonl) or CSV only (entries.csv) gives its ids too."""
    _write(in_tmp / "raw", FIRST)
    _ingest("--format", fmt)
    _write(in_tmp / "raw", ADDED)
    _ingest("--format", fmt)
    if fmt == "csv":
        assert _work_ids(in_tmp / "output")[("d4.txt", "Anohana")] == OLD_ID
    else:
        lines = (in_tmp / "output" / "works.jsonl").read_text(encoding="utf-8").splitlines()
        assert OLD_ID in {json.loads(line)["id"] for line in lines}
        assert NEW_ID not in {json.loads(line)["id"] for line in lines}


def test_a_csv_run_keeps_previous_ids(in_tmp):
    """From a CSV-only run, works.csv gives the previous ids: a re-ingest keeps listing them."""
    _write(in_tmp / "raw", {"d1.txt": ("One", "Dune (1984)", "Alien"), "d2.txt": ("Two", "Dune (1984)", "Heat"),
                            "d3.txt": ("Three", "Dune (2021)", "Alien")})
    _ingest("--format", "csv")
    _write(in_tmp / "raw", {"d3.txt": ("Three", "Dune (1984)", "Alien")})
    _ingest("--format", "csv")
    _ingest("--format", "csv")
    with open(in_tmp / "output" / "works.csv", encoding="utf-8", newline="") as stream:
        rows = {row["id"]: row for row in csv.DictReader(stream)}
    assert rows["dune-1984"]["previous_ids"] == '["dune-2021"]'


def test_check_compares_with_the_ids_carried_from_against(in_tmp):
    """`check` re-ingests as an ingest into --against would: carried ids are no difference."""
    _write(in_tmp / "raw", FIRST)
    _ingest()
    _write(in_tmp / "raw", ADDED)
    _ingest()
    result = CliRunner().invoke(main, ["check", "raw", "--against", "output", "--no-cache"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["check", "raw", "--against", "output", "--no-cache", "--fresh-ids"])
    assert result.exit_code == 1 and NEW_ID in result.output


def test_python_api_takes_previous(in_tmp):
    """`listparse.ingest(..., previous=DIR)` carries ids; `out` holding a run does the same by default."""
    _write(in_tmp / "raw", FIRST)
    listparse.ingest("raw", out="output")
    _write(in_tmp / "raw", ADDED)
    carried = listparse.ingest("raw", previous="output")
    assert OLD_ID in {work.id for work in carried.works}
    assert NEW_ID in {work.id for work in listparse.ingest("raw").works}
    assert OLD_ID in {work.id for work in listparse.ingest("raw", out="output").works}
    assert NEW_ID in {work.id for work in listparse.ingest("raw", out="output", fresh_ids=True).works}


def _previous(ids: list[str], sizes: list[int], lineage=None) -> PreviousRun:
    return PreviousRun("works.json", "0" * 64, ids, sizes, lineage or [() for _ in ids], {})


def _naming(*titles: str):
    return [(title, None, None, f"d{number}.txt", 1) for number, title in enumerate(titles)]


def test_persistence_is_one_to_one_most_shared_first():
    """A split: the part sharing most keeps the id, the other lists it; a merge: the work keeps the id it
    shares most with (a tie: the smaller id) and lists the other."""
    previous = _previous(["x", "y"], [10, 4])
    split = work_ids(_naming("X", "X"), [Lineage(6, ((0, 6),)), Lineage(4, ((0, 4),))], previous)
    assert split.ids == ["x", "x-2"] and split.previous_ids == {1: ["x"]}
    merged = work_ids(_naming("Y"), [Lineage(14, ((0, 10), (1, 4)))], previous)
    assert merged.ids == ["x"] and merged.previous_ids == {0: ["y"]} and merged.retired == 1
    tie = work_ids(_naming("Z"), [Lineage(8, ((0, 4), (1, 4)))], _previous(["x", "y"], [4, 4]))
    assert tie.ids == ["x"] and tie.previous_ids == {0: ["y"]}


def test_a_small_overlap_is_not_persistence():
    """Sharing less than half of both works is not enough: a fresh id, nothing listed."""
    ids = work_ids(_naming("Big"), [Lineage(10, ((0, 2),))], _previous(["other"], [10]))
    assert ids.ids == ["big"] and ids.previous_ids == {}


def test_previous_ids_are_carried_forward():
    """A work that persists from one with earlier ids keeps listing them."""
    ids = work_ids(_naming("X"), [Lineage(3, ((0, 3),))], _previous(["x"], [3], [("old-x",)]))
    assert ids.ids == ["x"] and ids.previous_ids == {0: ["old-x"]}


def test_a_counter_never_makes_another_works_id():
    """"Foo", "Foo" and "Foo 2": the counter skips foo-2, the third work's own id."""
    assert assign_ids(_naming("Foo", "Foo", "Foo 2")) == ["foo", "foo-3", "foo-2"]


def test_shares_count_a_repeated_key_once_per_previous_appearance():
    """A title printed twice in one document shares twice only if the previous run had it twice."""
    key = evidence_key("a.txt", "Heat")
    previous = PreviousRun("works.json", "", ["heat", "other"], [1, 1], [(), ()], {key: 0})
    assert previous.shares([("a.txt", "Heat"), ("a.txt", "Heat"), ("b.txt", "Heat")]) == ((0, 1),)
    twice = PreviousRun("works.json", "", ["heat", "other"], [1, 1], [(), ()], {key: (0, 1)})
    assert twice.shares([("a.txt", "Heat"), ("a.txt", "Heat")]) == ((0, 1), (1, 1))


def test_works_json_is_read_in_small_pieces(in_tmp, monkeypatch):
    """works.json is decoded one value at a time: chunk boundaries anywhere give the same run."""
    _write(in_tmp / "raw", FIRST | ADDED)
    _ingest("--format", "json", "--format", "jsonl")
    whole = read_previous(in_tmp / "output")  # works.jsonl first
    (in_tmp / "output" / "works.jsonl").unlink()
    monkeypatch.setattr(json_stream, "READ_CHUNK", 7)
    pieces = read_previous(in_tmp / "output")
    assert pieces.file == "works.json"
    assert pieces.sha256 == hashlib.sha256((in_tmp / "output" / "works.json").read_bytes()).hexdigest()
    assert (pieces.ids, pieces.sizes, pieces.holders) == (whole.ids, whole.sizes, whole.holders)
    assert sorted(pieces.ids) == sorted(_works(in_tmp / "output"))


def test_explain_finds_a_work_by_a_previous_id(in_tmp):
    """`explain` with an id a merge retired shows the work that absorbed it, and lists its previous ids."""
    _write(in_tmp / "raw", {"d1.txt": ("One", "Dune (1984)", "Alien"), "d2.txt": ("Two", "Dune (1984)", "Heat"),
                            "d3.txt": ("Three", "Dune (2021)", "Alien")})
    _ingest()
    _write(in_tmp / "raw", {"d3.txt": ("Three", "Dune (1984)", "Alien")})
    _ingest()
    result = CliRunner().invoke(main, ["explain", "dune-2021"])
    assert result.exit_code == 0, result.output
    assert "id dune-1984" in result.output and "previous ids: dune-2021" in result.output


def test_the_site_shows_and_searches_previous_ids(in_tmp):
    """A work page names its previous ids, and the search index finds the work by them."""
    _write(in_tmp / "raw", {"d1.txt": ("One", "Dune (1984)", "Alien"), "d2.txt": ("Two", "Dune (1984)", "Heat"),
                            "d3.txt": ("Three", "Dune (2021)", "Alien")})
    _ingest()
    _write(in_tmp / "raw", {"d3.txt": ("Three", "Dune (1984)", "Alien")})
    _ingest()
    result = CliRunner().invoke(main, ["view"])
    assert result.exit_code == 0, result.output
    page = (in_tmp / "output" / "view" / "works" / "dune-1984.html").read_text(encoding="utf-8")
    assert "previously <code>dune-2021</code>" in page
    assert "dune-1984 dune-2021" in (in_tmp / "output" / "view" / "index.html").read_text(encoding="utf-8")
