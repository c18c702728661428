"""Files that load cleanly: one value per typed cell, lists as JSON arrays, every field in fields.csv."""

from __future__ import annotations

import csv
import json

from listparse.pipeline import ingest

TWO_YEARS = ("Best films\n\n1. Dawn of the Dead\nYear: 1978\nYear: 2004\nStreaming: Netflix, Hulu\n\n"
             "2. Ran\nYear: 1985\n")


def _rows(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _ingest(tmp_path, files: dict[str, str]):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    ingest(folder, out=tmp_path / "out", formats=("csv",))
    return tmp_path / "out"


def test_a_typed_column_holds_one_value(tmp_path):
    """Two years printed under one entry: `year` and `year_2`, each an integer, never '1978 | 2004'."""
    rows = _rows(_ingest(tmp_path, {"films.txt": TWO_YEARS}) / "entries.csv")
    assert [(row["year"], row["year_2"]) for row in rows] == [("1978", "2004"), ("1985", "")]
    assert all(value.isdigit() for row in rows for value in (row["year"], row["year_2"]) if value)


def test_lists_are_json_arrays_that_no_item_can_split(tmp_path):
    """A list cell is a JSON array; a source named 'top; ten.txt' stays one source."""
    out = _ingest(tmp_path, {"top; ten.txt": TWO_YEARS})
    entries = _rows(out / "entries.csv")
    assert json.loads(entries[0]["streaming"]) == ["Netflix", "Hulu"]
    works = {row["id"]: row for row in _rows(out / "works.csv")}
    assert works["ran"]["documents"] == "1"
    assert {row["source"] for row in entries} == {"top; ten.txt"}


def test_fields_csv_holds_every_field_with_where_it_was_printed(tmp_path):
    """fields.csv: one row per field, the label as printed beside its folded name, with line and span."""
    out = _ingest(tmp_path, {"films.txt": TWO_YEARS + "Honorable Mention: Ronin\n"})
    fields = _rows(out / "fields.csv")
    assert [(row["rank"], row["field"], row["value"]) for row in fields] == [
        ("1", "year", "1978"), ("1", "year", "2004"), ("1", "streaming", '["Netflix", "Hulu"]'),
        ("2", "year", "1985"), ("2", "honorable_mention", "Ronin")]
    last = fields[-1]
    assert (last["label"], last["known"], last["line"]) == ("Honorable Mention", "0", "10")
    text = (tmp_path / "in" / "films.txt").read_text(encoding="utf-8")
    assert text[int(last["start"]):int(last["end"])] == "Honorable Mention: Ronin"


RUNTIMES = ("Best films\n\n1. Heat\nRuntime: 2h 50m\n\n2. Ran\nRuntime: 162 min\n\n"
            "3. Cowboy Bebop\nRuntime: 24 min per episode\n\n4. Seinfeld\nRuntime: 22-24 minutes\n")


def test_the_runtime_column_holds_whole_minutes_only(tmp_path):
    """`runtime` holds integers (or nothing); what the number could not hold is in `runtime_extra`."""
    out = _ingest(tmp_path, {"films.txt": RUNTIMES})
    rows = _rows(out / "entries.csv")
    assert [(row["runtime"], row["runtime_extra"]) for row in rows] == [
        ("170", ""), ("162", ""), ("24", "per episode"), ("", "22-24 minutes")]
    assert all(row["runtime"].isdigit() for row in rows if row["runtime"])
    fields = _rows(out / "fields.csv")
    assert [(row["value"], row["raw"]) for row in fields if row["field"] == "runtime"][-1] == ("", "22-24 minutes")
    works = {row["id"]: row for row in _rows(out / "works.csv")}
    assert (works["heat"]["runtime"], works["seinfeld"]["runtime"]) == ("170", "")


def test_a_converted_runtime_keeps_its_printed_text_beside_it(tmp_path):
    """`runtime_raw` holds the runtime as printed wherever a number was read from it: 170 is `2h 50m`."""
    rows = _rows(_ingest(tmp_path, {"films.txt": RUNTIMES}) / "entries.csv")
    assert [(row["runtime"], row["runtime_raw"]) for row in rows] == [
        ("170", "2h 50m"), ("162", "162 min"), ("24", "24 min per episode"), ("", "")]
    columns = list(rows[0])
    assert columns.index("runtime") + 1 == columns.index("runtime_raw") == columns.index("runtime_extra") - 1
