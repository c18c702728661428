"""The multi-document merge fixture set (tests/fixtures/merge): clusters, titles, people, golden files."""

from __future__ import annotations

import json

import jsonschema
import pytest
from click.testing import CliRunner

from listparse.cli import main
from listparse.export import FromModels, works_csv, works_json
from listparse.pipeline import ingest

from .conftest import FIXTURES, RAW

MERGE = FIXTURES / "merge"
EXPECTED = json.loads((MERGE / "expected.json").read_text(encoding="utf-8"))
KNOWN_GAPS = {"Hellsing Ultimate"}  # the OVA is printed as plain "Hellsing (2006)": needs outside knowledge


@pytest.fixture(scope="module")
def result():
    documents = sorted(p for p in MERGE.iterdir() if p.suffix in {".txt", ".md", ".html"})
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(MERGE)
        return ingest([p.name for p in documents], aliases="aliases.toml", catalogue="catalogue-aod.json")


def _parts(dataset):
    """The arguments of `works_json` for a dataset held in memory."""
    return dataset.documents, FromModels(list, lambda: dataset.works).works_rendered()


def _work_of(result):
    by_entry = {(d.source, e.rank): e.work_id for d in result.parsed_documents for e in d.entries}
    works = {work.id: work for work in result.works}
    return by_entry, works


def test_clusters_match_the_labels(result):
    """Every labelled work is exactly one work: nothing split, nothing wrongly joined."""
    by_entry, _ = _work_of(result)
    expected = sorted(sorted((f, r) for f, r in work["members"]) for work in EXPECTED["works"])
    found: dict[str, list] = {}
    for key, work_id in by_entry.items():
        found.setdefault(work_id, []).append(key)
    assert sorted(sorted(members) for members in found.values()) == expected


def test_must_not_merge_pairs_stay_apart(result):
    """Near-miss pairs (Clannad / After Story, 28 Days / Weeks, Your Name / … Engraved Herein) are apart."""
    by_entry, _ = _work_of(result)
    for (file_a, rank_a), (file_b, rank_b) in EXPECTED["must_not_merge"]:
        assert by_entry[(file_a, rank_a)] != by_entry[(file_b, rank_b)]


@pytest.mark.parametrize(
    "work", [pytest.param(w, id=w["canonical_title"],
                          marks=[pytest.mark.xfail(strict=True)] if w["canonical_title"] in KNOWN_GAPS else [])
             for w in EXPECTED["works"]])
def test_canonical_titles(result, work):
    """The canonical title is the labelled one."""
    by_entry, works = _work_of(result)
    file, rank = work["members"][0]
    assert works[by_entry[(file, rank)]].title.value == work["canonical_title"]


def test_people_match_the_labels(result):
    """Each work lists the labelled people, with spelling variants unified and nothing else."""
    by_entry, works = _work_of(result)
    for work in EXPECTED["works"]:
        file, rank = work["members"][0]
        names = {person.name for person in works[by_entry[(file, rank)]].people}
        assert names == set(EXPECTED["people"].get(work["canonical_title"], [])), work["canonical_title"]


def test_works_json_matches_golden(result, data_regression):
    """The merged dataset of the fixture set, provenance included, is unchanged."""
    data_regression.check(json.loads("".join(works_json(*_parts(result)))))


def test_works_csv_matches_golden(result, file_regression):
    """The flat works.csv of the fixture set is unchanged."""
    records = FromModels(list, lambda: result.works).work_records()
    fields = {name for work in result.works for name in work.fields}
    file_regression.check("".join(works_csv(records, fields)), extension=".csv")


def test_raw_works_json_matches_golden(monkeypatch, data_regression):
    """The merged dataset of raw/ is unchanged."""
    monkeypatch.chdir(RAW.parent)
    data_regression.check(json.loads("".join(works_json(*_parts(ingest(["raw"]))))))


def test_schema_validates_works_json(result):
    """`listparse schema` prints a JSON Schema that works.json satisfies."""
    printed = CliRunner().invoke(main, ["schema"])
    assert printed.exit_code == 0
    schema = json.loads(printed.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads("".join(works_json(*_parts(result)))), schema)


def test_schema_rejects_a_work_without_provenance(result):
    """The schema is strict: a title without its evidence is invalid."""
    schema = json.loads(CliRunner().invoke(main, ["schema"]).output)
    data = json.loads("".join(works_json(*_parts(result))))
    del data["works"][0]["title"]["evidence"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
