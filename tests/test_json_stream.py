"""A JSON file read one value at a time: the same values as json.loads, in any chunk size; clear errors."""

from __future__ import annotations

import io
import json

import pytest

from listparse import json_stream
from listparse.errors import ListparseError
from listparse.json_stream import JsonStream, array_items

TEXT = json.dumps({"schema_version": 1, "note": "Ano Hi Mita Hana… 🎉", "works": [{"id": "a", "n": 12345},
                  {"id": "b", "n": [1.5, None, True]}], "after": 2}, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("chunk", [1, 3, 7, 1 << 20])
def test_items_and_other_values_are_what_json_loads_gives(monkeypatch, chunk):
    monkeypatch.setattr(json_stream, "READ_CHUNK", chunk)
    seen: list[tuple[str, object]] = []
    stream = JsonStream(io.StringIO(TEXT).read, "works.json")
    items = list(array_items(stream, "works", lambda key, value: seen.append((key, value))))
    assert items == json.loads(TEXT)["works"]
    assert seen == [("schema_version", 1), ("note", "Ano Hi Mita Hana… 🎉"), ("after", 2)]


@pytest.mark.parametrize("text, message", [
    (TEXT[:60], "works.json: "),
    ("[1, 2]", "works.json: expected '{', found '['"),
    ('{"works": [1, }', "works.json: not valid JSON"),
    ("", "works.json: expected '{', found the end"),
])
def test_a_broken_file_is_an_error_naming_it(text, message):
    with pytest.raises(ListparseError, match="^" + message.replace("[", r"\[")):
        list(array_items(JsonStream(io.StringIO(text).read, "works.json"), "works"))
