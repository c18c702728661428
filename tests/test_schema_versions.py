"""Schema version 2 and the version 1 files it reads.

Version 2 leaves out every value that is its default, prints a span as
`[line, start, end]` and lists a work's appearances only as its title
evidence. `tests/fixtures/schema_v1/` is the output of `raw/` written by
version 1 (every key, spans as objects, `appearances`): the models, `check`
and `--previous` read it as they read version 2.
"""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from listparse.check import compare_outputs
from listparse.cli import main
from listparse.models import Appearance, Dataset, Document, Evidence, Span, Work, WorkField
from listparse.pipeline import IngestOptions, output_files, run

from .conftest import FIXTURES, ROOT

V1 = FIXTURES / "schema_v1"


def _records(path, key: str) -> list[dict]:
    return _records_from_text(path.read_text(encoding="utf-8"), key)


def _evidence(source: str, rank: int | None, line: int, raw: str, catalogue_entry: int | None = None) -> Evidence:
    span = Span(line=line, start=line * 10, end=line * 10 + len(raw)) if rank is not None else None
    return Evidence(source=source, rank=rank, span=span, raw=raw, catalogue_entry=catalogue_entry)


def test_a_works_appearances_are_its_title_evidence_in_document_order():
    title = WorkField(value="Steins;Gate", chosen_by="best_supported", evidence=[
        _evidence("b.txt", 4, 9, "Steins;Gate"), _evidence("a.txt", 2, 30, "Steins; Gate"),
        _evidence("a.txt", 1, 5, "Steins;Gate"), _evidence("anime.csv", None, 0, "Steins;Gate", catalogue_entry=3)])
    alias = {"value": "Shutainzu Gēto", "evidence": [_evidence("c.txt", 7, 2, "Shutainzu Gēto")]}
    work = Work(id="steins-gate", title=title, aliases=[alias])
    assert [(a.source, a.rank, a.title_raw, tuple(a.span)) for a in work.appearances] == [
        ("a.txt", 1, "Steins;Gate", (5, 50, 61)), ("a.txt", 2, "Steins; Gate", (30, 300, 312)),
        ("b.txt", 4, "Steins;Gate", (9, 90, 101)), ("c.txt", 7, "Shutainzu Gēto", (2, 20, 34))]
    assert "appearances" not in work.model_dump_json()


def test_version_2_json_leaves_defaults_out_and_prints_spans_as_arrays():
    with run([str(ROOT / "raw")], IngestOptions(formats=("json",))) as result:
        files = {name: "".join(chunks) for name, chunks in output_files(result, ("json",)).items()}
    documents = _records_from_text(files["documents.json"], "documents")
    works = _records_from_text(files["works.json"], "works")
    assert json.loads(files["works.json"])["schema_version"] == 2
    entry = documents[0]["entries"][0]
    assert isinstance(entry["span"], list) and len(entry["span"]) == 3
    assert "status" not in documents[0] and "message" not in documents[0]  # "ok", and no message
    assert all("appearances" not in work for work in works)
    evidence = works[0]["title"]["evidence"][0]
    assert set(evidence) <= {"source", "rank", "span", "raw", "rules"} and "catalogue_entry" not in evidence
    assert _empty_keys(works) == set() and _empty_keys(documents) == set()


def _empty_keys(record, key: str = "") -> set[str]:
    """The keys under which a null or an empty list or object was written, other than a field's own value."""
    if isinstance(record, dict):
        return {found for name, value in record.items() for found in _empty_keys(value, name)}
    if isinstance(record, list):
        found = {key} if not record and key != "value" else set()
        return found.union(*(_empty_keys(item, key) for item in record))
    return {key} if record is None and key != "value" else set()


def _records_from_text(text: str, key: str) -> list[dict]:
    return json.loads(text)[key]


def test_version_1_documents_and_works_read_as_the_same_models():
    v1_documents = _records(V1 / "documents.json", "documents")
    v1_works = _records(V1 / "works.json", "works")
    with run([str(ROOT / "raw")], IngestOptions()) as result:
        documents, works = list(result.documents()), list(result.works())
    assert [Document.model_validate(record) for record in v1_documents] == documents
    read = [Work.model_validate(record) for record in v1_works]
    assert read == works
    assert [[a.model_dump() for a in work.appearances] for work in read] == \
        [[Appearance.model_validate(a).model_dump() for a in record["appearances"]] for record in v1_works]
    dataset = Dataset.model_validate_json((V1 / "works.json").read_bytes())
    assert dataset.schema_version == 1 and dataset.works == works


def test_check_against_a_version_1_output_finds_no_difference():
    with run([str(ROOT / "raw")], IngestOptions()) as result:
        files = {name: "".join(chunks) for name, chunks in output_files(result, ("json", "csv")).items()}
    assert compare_outputs(V1, files) == []


def test_ids_are_carried_from_a_version_1_works_json(tmp_path):
    """A run whose previous works.json is version 1 keeps that run's ids: a work's old id survives a
    retitling because its appearances (read from version 1's list) are the same entries."""
    previous = tmp_path / "previous"
    previous.mkdir()
    v1 = json.loads((V1 / "works.json").read_text(encoding="utf-8"))
    renamed = next(work for work in v1["works"] if work["id"] == "angel-beats")
    renamed["id"] = "angel-beats-old-id"
    (previous / "works.json").write_text(json.dumps(v1), encoding="utf-8")
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "raw", raw)
    out = tmp_path / "out"
    outcome = CliRunner().invoke(main, ["ingest", str(raw), "--out", str(out), "--previous", str(previous),
                                        "--no-cache", "-q"])
    assert outcome.exit_code == 0, outcome.output
    ids = [work["id"] for work in _records(out / "works.json", "works")]
    assert "angel-beats-old-id" in ids and "angel-beats" not in ids


def test_a_version_it_does_not_know_is_not_carried_from(tmp_path):
    previous = tmp_path / "previous"
    previous.mkdir()
    (previous / "works.json").write_text('{"schema_version":3,"documents":[],"works":[]}', encoding="utf-8")
    outcome = CliRunner().invoke(main, ["ingest", str(ROOT / "raw"), "--out", str(tmp_path / "out"),
                                        "--previous", str(previous), "--no-cache"])
    assert outcome.exit_code == 0, outcome.output
    assert "schema_version 3, this listparse reads 1 or 2; every work gets a fresh id" in outcome.output
