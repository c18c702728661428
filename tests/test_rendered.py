"""Records rendered once and spliced: the very bytes a model dump gives, whichever way they are made."""

from __future__ import annotations

import json

import pytest

from listparse.export import FromModels
from listparse.models import Document, Entry, Span, Work, WorkField
from listparse.pipeline import IngestOptions, Result, output_files, run
from listparse.rendered import document_json, entry_json, work_json
from listparse.store import Parsed

from .conftest import FIXTURES, ROOT


def _entry(rank: int, title: str) -> Entry:
    return Entry(rank=rank, rank_text=f"{rank}.", title_raw=title, title=title, span=Span(line=rank, start=0, end=9))


def test_entry_json_splices_the_work_id():
    entry = _entry(1, 'Quote " and "work_id":null inside')
    body = entry.model_dump_json().encode()
    with_id = entry.model_copy(update={"work_id": "quote-2001"})
    assert entry_json(body, "quote-2001") == with_id.model_dump_json().encode()
    assert entry_json(body, None) == body


def test_document_json_is_the_whole_dump():
    entries = [_entry(1, 'A "entries":[] title'), _entry(2, "B")]
    document = Document(source="a.txt", entries=entries, warnings=['"entries":[] in a warning'])
    parsed = Parsed.of(document)
    assert document_json(parsed.head, [body for *_, body, _ in parsed.entries]) == document.model_dump_json().encode()


def test_work_json_splices_id_and_previous_ids():
    work = Work(id="", title=WorkField(value="A", chosen_by="agreement", evidence=[]), appearances=[])
    body = work.model_dump_json().encode()
    assert work_json(body, "a", []) == work.model_copy(update={"id": "a"}).model_dump_json().encode()
    carried = work.model_copy(update={"id": "a", "previous_ids": ["b", "c"]})
    assert work_json(body, "a", ["b", "c"]) == carried.model_dump_json().encode()


@pytest.mark.parametrize("splice, body", [(entry_json, b'{"rank":1}'), (work_json, b'{"title":1}')])
def test_a_record_of_another_shape_is_refused(splice, body):
    with pytest.raises(ValueError):
        splice(body, "id", []) if splice is work_json else splice(body, "id")


def test_document_json_refuses_a_head_without_entries():
    with pytest.raises(ValueError):
        document_json(b'{"source":"a"}', [])


@pytest.mark.parametrize("indent", [None, 2])
def test_the_store_and_the_models_write_the_same_files(monkeypatch, indent):
    """What `Merged` splices from its store equals what `FromModels` renders from the models (the Spark
    engine writes through the latter): every file, byte for byte."""
    monkeypatch.chdir(ROOT)
    settings = IngestOptions(formats=("json", "csv", "jsonl"), indent=indent)
    with run(["raw", FIXTURES.relative_to(ROOT)], settings) as result:
        spliced = _written(result)
        documents, works = list(result.documents()), list(result.works())
        from_models = Result(_Rendered(result.merged, FromModels(lambda: documents, lambda: works)), result.skipped,
                             result.roots, result.settings, result.files, result.previous)
        rendered = _written(from_models)
    assert spliced == rendered
    changes = [change["rule"] for document in json.loads(spliced["documents.json"])["documents"]
               for entry in document["entries"] for change in entry["changes"]]
    assert "spelling_from_other_documents" in changes  # the entries the merge respells are rebuilt, not spliced


class _Rendered:
    """A merged batch whose records come from `records` instead of its store."""

    def __init__(self, merged, records: FromModels) -> None:
        self._merged, self._records = merged, records

    def __getattr__(self, name: str):
        return getattr(self._records if hasattr(self._records, name) else self._merged, name)


def _written(result: Result) -> dict[str, str]:
    return {name: "".join(chunks) for name, chunks in output_files(result, result.settings.formats).items()}
