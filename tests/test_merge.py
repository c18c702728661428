"""Merging entries into works: what joins, what must not, and how values are chosen."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listparse import parse_text
from listparse.aliases import load_aliases
from listparse.catalogue import load_catalogue
from listparse.export import FromModels, works_json
from listparse.merge import merge_works
from listparse.rendered import json_text

from .conftest import RAW


def _document(source: str, *titles: str, extra: dict[int, str] | None = None):
    """A small normalized document with one `N. title` line per title (and optional metadata lines)."""
    lines = [f"Best of {source}", ""]
    for rank, title in enumerate(titles, start=1):
        lines += [f"{rank}. {title}", "", *(extra or {}).get(rank, "").splitlines(), "A fine pick.", ""]
    return parse_text("\n".join(lines), source=source)


def _works(*documents, **options):
    documents, dataset = merge_works(list(documents), **options)
    return documents, {work.id: work for work in dataset.works}


def _groups(works) -> list[list[str]]:
    return sorted(sorted(f"{a.source}#{a.rank}" for a in work.appearances) for work in works.values())


@pytest.mark.parametrize(
    ("first", "second", "rule"),
    [
        pytest.param("Your Lie in April", "Your LIie In April", "spelling_variant", id="typo"),
        pytest.param("Steins;Gate", "Steins; Gate", "same_title", id="punctuation"),
        pytest.param("Anohana", "Anohana: The Flower We Saw That Day", "same_main_title", id="subtitle"),
        pytest.param("AnoHana", "Anohana", "same_title", id="casing"),
        pytest.param("Madoka Magica", "Puella Magi Madoka Magica", "shortened_title", id="shortened"),
        pytest.param("Anohana", "Ano Hi Mita Hana no Namae o Boku-tachi wa Mada Shiranai", "abbreviation",
                     id="abbreviation"),
        pytest.param("Turrican II", "Turrican 2", "same_title", id="roman-and-arabic-numerals"),
        pytest.param("Power Monger", "Powermonger", "spacing_variant", id="spacing"),
        pytest.param("Speedball II - Brutal Deluxe", "Speedball 2", "same_main_title", id="dash-subtitle"),
    ],
)
def test_variants_merge(first, second, rule):
    """Spellings and alias forms of one work become one work, saying which rule joined them."""
    _, works = _works(_document("a.txt", first, "Filler One"), _document("b.txt", second, "Filler Two"))
    joined = [work for work in works.values() if len(work.appearances) == 2]
    assert len(joined) == 1
    assert rule in joined[0].matched_by


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param("Clannad", "Clannad: After Story", id="sequel-subtitle"),
        pytest.param("28 Days Later", "28 Weeks Later", id="different-word"),
        pytest.param("Final Fantasy IX", "Final Fantasy X", id="different-numeral"),
        pytest.param("Attack on Titan", "Attack on Titan: Final Season", id="season"),
        pytest.param("Dawn of the Dead", "Day of the Dead", id="near-miss"),
        pytest.param("Your Name", "Your Name Engraved Herein", id="longer-title"),
        pytest.param("Toy Story", "Toy Story 2", id="sequel-number"),
        pytest.param("Foundation", "Foundations", id="plural"),
        pytest.param("Worms", "Worms - The Director's Cut", id="another-version"),
    ],
)
def test_near_misses_stay_apart(first, second):
    """Different works that share words are never merged."""
    _, works = _works(_document("a.txt", first, "Filler One"), _document("b.txt", second, "Filler Two"))
    assert all(len(work.appearances) == 1 for work in works.values())


def test_same_title_different_years_are_different_works():
    """A film and its remake (years far apart) stay apart, with year-suffixed ids."""
    _, works = _works(_document("a.txt", "Dawn of the Dead (1978)", "Filler"),
                      _document("b.txt", "Dawn of the Dead (2004)", "Filler Two"))
    assert {"dawn-of-the-dead-1978", "dawn-of-the-dead-2004"} <= set(works)


def test_close_years_merge_with_a_conflict():
    """Years a year apart are one work; the losing year is kept as a conflict with its evidence."""
    _, works = _works(_document("a.txt", "Wolf Children (2012)", "Filler"),
                      _document("b.txt", "Wolf Children (2013)", "Filler Two"),
                      _document("c.txt", "Wolf Children (2012)", "Filler Three"))
    year = works["wolf-children"].fields["year"]
    assert (year.value, year.chosen_by) == (2012, "best_supported")
    assert [c.value for c in year.conflicts] == [2013]
    assert year.conflicts[0].evidence[0].source == "b.txt"


def test_typed_runtimes_merge_as_minutes_and_keep_conflicts():
    """`136 minutes` and `2h 16m` agree on 136 (an int); a third list's 137 is kept as a conflict."""
    _, works = _works(_document("a.txt", "Heat", "Filler", extra={1: "Runtime: 136 minutes"}),
                      _document("b.txt", "Heat", "Filler Two", extra={1: "Running time: 2h 16m"}),
                      _document("c.txt", "Heat", "Filler Three", extra={1: "Runtime: 137 min"}))
    runtime = works["heat"].fields["runtime"]
    assert (runtime.value, runtime.chosen_by) == (136, "best_supported")
    assert [(e.source, e.raw, [r.rule for r in e.rules]) for e in runtime.evidence] == [
        ("a.txt", "136 minutes", ["type_minutes"]), ("b.txt", "2h 16m", ["type_minutes"])]
    assert [(c.value, c.evidence[0].source) for c in runtime.conflicts] == [(137, "c.txt")]


def test_an_untyped_runtime_is_no_value_of_the_work():
    """A range (`22-24 minutes`) stays with its entry as printed and does not compete with a typed runtime."""
    documents, works = _works(_document("a.txt", "Heat", "Filler", extra={1: "Runtime: 22-24 minutes"}),
                              _document("b.txt", "Heat", "Filler Two", extra={1: "Runtime: 24 min"}))
    runtime = works["heat"].fields["runtime"]
    assert (runtime.value, runtime.chosen_by, runtime.conflicts) == (24, "agreement", [])
    (field,) = [f for document in documents if document.source == "a.txt"
                for f in document.entries[0].fields if f.name == "runtime"]
    assert (field.value, field.extra, field.raw) == (None, "22-24 minutes", "22-24 minutes")


def test_printed_kinds_keep_a_film_and_a_series_apart():
    """"Dune (Film)" and "Dune (TV Series)" are two works even without years."""
    _, works = _works(_document("a.txt", "Dune (Film)", "Filler"), _document("b.txt", "Dune (TV Series)", "Other"))
    assert sorted(work.fields["kind"].value for work in works.values() if "kind" in work.fields) == ["film", "series"]
    assert {"dune-film", "dune-series"} <= set(works)


def test_kinds_that_disagree_stay_apart():
    """A series known by its 13 episodes and a film of the same name, no years: two works, each kind once."""
    series = _document("a.txt", "Hellsing", "Filler", extra={1: "Episodes: 13"})
    film = _document("b.txt", "Hellsing (Film)", "Filler Two")
    _, works = _works(series, film)
    kinds = {work.id: work.fields["kind"] for work in works.values() if "kind" in work.fields}
    assert {work_id: field.value for work_id, field in kinds.items()} == {
        "hellsing-series": "series", "hellsing-film": "film"}
    assert [rule.rule for e in kinds["hellsing-series"].evidence for rule in e.rules] == ["series_from_episode_count"]
    assert [rule.rule for e in kinds["hellsing-film"].evidence for rule in e.rules] == []


def test_typo_is_corrected_in_the_entry_with_its_rule():
    """The misspelt entry takes the well-supported spelling, and the change says why."""
    documents, works = _works(_document("a.txt", "Your Lie in April", "Filler"),
                              _document("b.txt", "Your LIie In April", "Filler Two"),
                              _document("c.txt", "Your Lie in April", "Filler Three"))
    entry = next(d for d in documents if d.source == "b.txt").entries[0]
    assert entry.title == "Your Lie in April"
    assert [change.rule for change in entry.changes] == [
        "fix_stray_capitals", "lowercase_small_words", "spelling_from_other_documents"]
    title = works["your-lie-in-april"].title
    assert title.value == "Your Lie in April"
    assert len(title.evidence) == 3


def test_a_number_written_another_way_is_not_a_typo():
    """"Turrican 2" joins "Turrican II" but keeps its own spelling: a numeral is no misspelling."""
    documents, _ = _works(_document("a.txt", "Turrican II", "Filler"), _document("b.txt", "Turrican II", "Filler 2"),
                          _document("c.txt", "Turrican 2", "Filler Three"))
    entry = next(d for d in documents if d.source == "c.txt").entries[0]
    assert entry.title == "Turrican 2"
    assert entry.work_id == "turrican-ii"


def test_names_are_unified_within_a_work():
    """Kosei Armia / Kosei Arima / Kousei Arima become Kousei Arima; Nana Komatsu and Nana Osaki stay two."""
    a = _document("a.txt", "Your Lie in April", "Nana",
                  extra={1: "Kousei Arima meets Kaori. Kousei plays again. Kousei Arima cries.",
                         2: "Nana Komatsu and Nana Osaki share a flat."})
    b = _document("b.txt", "Your Lie in April", "Filler",
                  extra={1: "Kosei Armia is a pianist. Kosei Arima meets Kaori."})
    _, works = _works(a, b)
    people = {p.name: p for p in works["your-lie-in-april"].people}
    assert sorted(people["Kousei Arima"].variants) == ["Kosei Arima", "Kosei Armia"]
    assert {(c.before, c.after) for c in people["Kousei Arima"].changes} == {
        ("Kosei Arima", "Kousei Arima"), ("Kosei Armia", "Kousei Arima")}
    assert {p.name for p in works["nana"].people} == {"Nana Komatsu", "Nana Osaki"}


def test_aliases_file_forces_and_forbids(tmp_path):
    """[[work]] joins titles under a fixed title; [[distinct]] keeps two titles apart."""
    path = tmp_path / "aliases.toml"
    path.write_text('[[work]]\ntitle = "Anohana: The Flower We Saw That Day"\naliases = ["Menma Story", "Anohana"]\n\n'
                    '[[distinct]]\ntitles = ["Madoka Magica", "Puella Magi Madoka Magica"]\n')
    _, works = _works(_document("a.txt", "Menma Story", "Madoka Magica"),
                      _document("b.txt", "Anohana", "Puella Magi Madoka Magica"), aliases=load_aliases(path))
    anohana = works["anohana-the-flower-we-saw-that-day"]
    assert (anohana.title.value, anohana.title.chosen_by) == ("Anohana: The Flower We Saw That Day", "aliases_file")
    assert len(anohana.appearances) == 2
    assert {"madoka-magica", "puella-magi-madoka-magica"} <= set(works)


def test_catalogue_links_and_supplies_values(tmp_path):
    """A JSON Lines catalogue links a title, records the link, and adds its year as evidence."""
    path = tmp_path / "catalogue.jsonl"
    path.write_text(json.dumps({"title": "Your Name.", "aliases": ["Your Name", "Kimi no Na wa"],
                                "kind": "film", "year": 2016, "ids": {"imdb": "tt5311514"}}) + "\n")
    _, works = _works(_document("a.txt", "Kimi no Na wa", "Filler"), _document("b.txt", "Your Name", "Other"),
                      catalogue=load_catalogue(path))
    work = next(w for w in works.values() if len(w.appearances) == 2)
    assert work.catalogue.ids == {"imdb": "tt5311514"}
    assert "same_catalogue_entry" in work.matched_by
    assert work.title.chosen_by == "catalogue" and work.title.value in {"Your Name", "Kimi no Na wa"}
    assert "Your Name." in {alias.value for alias in work.aliases}
    assert work.fields["year"].value == 2016
    assert work.fields["year"].evidence[0].catalogue_entry == 1


def test_raw_merges_into_22_works(monkeypatch):
    """The seeds: 22 works; Your Lie in April twice, canonical titles fixed."""
    from listparse.pipeline import ingest

    monkeypatch.chdir(RAW.parent)
    works = {work.id: work for work in ingest(["raw"]).works}
    assert len(works) == 22
    lie = works["your-lie-in-april"]
    assert [(a.source, a.rank) for a in lie.appearances] == [
        ("000_72c65715ee277755.txt", 8), ("003_69beb07b3dbe9906.txt", 1)]
    assert works["steins-gate"].title.value == "Steins;Gate"
    assert works["i-want-to-eat-your-pancreas"].title.value == "I Want to Eat Your Pancreas"
    assert "Kousei Arima" in {p.name for p in lie.people}


def test_every_value_traces_back_to_a_document(monkeypatch):
    """Each field, alias and person of every work has evidence with a source, line and raw text."""
    from listparse.pipeline import ingest

    monkeypatch.chdir(RAW.parent)
    for work in ingest(["raw"]).works:
        fields = [work.title, *work.fields.values()]
        evidence = [e for f in fields for e in f.evidence] + [e for p in work.people for e in p.evidence]
        evidence += [e for a in work.aliases for e in a.evidence]
        evidence += [e for f in fields for c in f.conflicts for e in c.evidence]
        assert evidence
        for item in evidence:
            assert (RAW / item.source).is_file() and item.span.line > 0 and item.raw


TITLES = ["Your Lie in April", "Your LIie In April", "Anohana", "Anohana: The Flower We Saw That Day",
          "Clannad", "Clannad: After Story", "Madoka Magica", "Puella Magi Madoka Magica", "Steins; Gate",
          "Steins;Gate", "28 Days Later", "28 Weeks Later", "Wolf Children (2012)", "Wolf Children (2013)",
          "Dawn of the Dead (1978)", "Dawn of the Dead (2004)", "Dawn of the Dead", "Nana"]


@given(st.lists(st.lists(st.sampled_from(TITLES), min_size=2, max_size=6, unique=True), min_size=1, max_size=5),
       st.randoms(use_true_random=False))
@settings(max_examples=60, deadline=None)
def test_merge_does_not_depend_on_input_order(lists, random):
    """Shuffling the documents gives byte-identical works.json."""
    documents = [_document(f"doc{index}.txt", *titles) for index, titles in enumerate(lists)]
    shuffled = list(documents)
    random.shuffle(shuffled)
    assert _works_json(documents) == _works_json(shuffled)


def _works_json(documents) -> str:
    dataset = merge_works(documents)[1]
    return "".join(works_json(dataset.documents, FromModels(list, lambda: dataset.works).works_rendered()))


def test_work_ids_do_not_change_when_unrelated_documents_are_added():
    """Adding a document about other works leaves every existing id as it was."""
    base = [_document("a.txt", "Your Lie in April", "Steins;Gate"), _document("b.txt", "Your LIie In April", "Nana")]
    before = {(a.source, a.rank): work.id for work in merge_works(base)[1].works for a in work.appearances}
    extra = _document("c.txt", "Cowboy Bebop", "Trigun", "Mushishi")
    after = {(a.source, a.rank): work.id for work in merge_works([*base, extra])[1].works for a in work.appearances}
    assert {key: after[key] for key in before} == before


def test_abbreviated_main_title_meets_the_long_title():
    """"Anohana: The Flower We Saw That Day" joins the romanized "Ano Hi Mita Hana no …" by its main title."""
    _, works = _works(_document("a.txt", "Anohana: The Flower We Saw That Day", "Filler"),
                      _document("b.txt", "Ano Hi Mita Hana no Namae o Boku-tachi wa Mada Shiranai", "Other"))
    work = next(work for work in works.values() if len(work.appearances) == 2)
    assert "abbreviation" in work.matched_by


TIED_MERGE = """
import json, sys
from listparse import parse_text
from listparse.merge import merge_works

def document(source, title, year):
    year_line = f"Year: {year}\\n\\n" if year else ""
    body = f"Best of {source}\\n\\n1. {title}\\n\\n{year_line}A pick.\\n\\n2. Nana\\n\\nFine.\\n"
    return parse_text(body, source=source)

documents = [document("a.txt", "When the Quarry Meets the Molten Archive", 1970),
             document("b.txt", "When the Quarry Meets the Molten Archive", 2007),
             document("c.txt", "When the Quarry Meets the Mlten Archive", None)]
merged, _ = merge_works(documents)
print(json.dumps({d.source: [e.work_id for e in d.entries] for d in merged}, sort_keys=True))
"""


def test_merging_does_not_depend_on_the_hash_seed(tmp_path):
    """A slip that two namesakes (years far apart) could both claim goes to the same one in every run.

    Candidate pairs live in a set, whose order changes with PYTHONHASHSEED; ties
    in their order once sent the slip to either namesake (found at 100k documents:
    cached and uncached runs differed)."""
    import subprocess
    import sys

    script = tmp_path / "tied.py"
    script.write_text(TIED_MERGE)
    outputs = set()
    for seed in range(8):
        finished = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True,
                                  env={**os.environ, "PYTHONHASHSEED": str(seed)})
        outputs.add(finished.stdout)
    assert len(outputs) == 1, outputs
    assert json.loads(outputs.pop())["c.txt"][0] == "when-the-quarry-meets-the-molten-archive-1970"


@given(st.one_of(st.text(), st.integers(), st.none(), st.lists(st.text(), max_size=4)))
@settings(max_examples=500, deadline=None)
def test_values_sort_by_the_json_they_print(value):
    """Options are ordered by their value's JSON: the quick path for text, numbers and lists of text is
    `json.dumps` exactly."""
    assert json_text(value) == json.dumps(value, ensure_ascii=False)
