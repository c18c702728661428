"""A document's confidence: 1 when nothing looks misread, lower with a reason for each doubt."""

from __future__ import annotations

import csv
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listparse import parse_text
from listparse.confidence import TRAILING_DATA_RE, _ends_in_data, table_rival_columns
from listparse.pipeline import IngestOptions, run


def test_a_clean_list_is_fully_trusted():
    """Every rank in sequence, as many as the headline promises: confidence 1, nothing to say."""
    document = parse_text("3 pies\n\n1. Apple\n\nCrisp.\n\n2. Cherry\n\nTart.\n\n3. Pecan\n\nSweet.\n")
    assert (document.confidence, document.confidence_reasons) == (1.0, [])


def test_doubts_lower_it_each_with_its_reason():
    """A missing rank and a broken promise each take their share, and say so."""
    document = parse_text("5 pies\n\n1. Apple\n\nCrisp.\n\n2. Cherry\n\nTart.\n\n4. Pecan\n\nSweet.\n")
    assert document.confidence == 0.75
    assert document.confidence_reasons == ["1 rank(s) missing from the sequence (−0.10)",
                                           "the headline promises 5, the list has 3 (−0.15)"]


def test_a_table_with_two_name_columns_is_doubtful():
    """An official and a corrected table side by side: either column could be the list."""
    rows = [f"| {n}. | Team {n} | Team {4 - n} |" for n in range(1, 4)]
    assert table_rival_columns(rows) == 1
    assert table_rival_columns([f"| {n}. | Team {n} | {40 - n} |" for n in range(1, 4)]) == 0


def test_decisions_say_why_the_list_was_chosen_and_how_titles_split():
    """The chosen list, the list passed over, and the template's columns are all recorded."""
    text = ("Top 3 shows\n\n1. Dark (3 Seasons)\n\nGood.\n\n2. Ozark (4 Seasons)\n\nFine.\n\n"
            "3. Lost (6 Seasons)\n\nLong.\n\nNotes:\n1. one\n2. two\n3. three\n")
    document = parse_text(text)
    assert document.decisions[0].startswith("list: lines 3-11")
    assert any(decision.startswith("not chosen: lines 16-18") for decision in document.decisions)
    assert "titles: column 'Seasons': a count of season in parentheses in 3 of 3 entries (a count of Seasons)" \
        in document.decisions


def test_documents_csv_carries_confidence(tmp_path):
    """documents.csv has the confidence and its reasons; a failed document has none."""
    (tmp_path / "a.txt").write_text("5 pies\n\n1. Apple\n\nCrisp.\n\n2. Cherry\n\nTart.\n\n4. Pecan\n")
    (tmp_path / "b.txt").write_text("no list here at all\n")
    with run([tmp_path / "a.txt", tmp_path / "b.txt"], IngestOptions(out=tmp_path / "out")):
        pass
    with open(tmp_path / "out" / "documents.csv", encoding="utf-8") as stream:
        rows = {row["source"].rsplit("/", 1)[-1]: row for row in csv.DictReader(stream)}
    assert rows["a.txt"]["confidence"] == "0.75"
    assert json.loads(rows["a.txt"]["confidence_reasons"])[0].startswith("1 rank(s) missing")
    assert rows["b.txt"]["confidence"] == ""


@pytest.mark.parametrize("title, ends_in_data", [
    ("Your Lie in April", False), ("Anohana (2011)", True), ("Anohana (TV) ", False), ("Clannad - NY", True),
    ("Clannad -NY\n", True), ("Steins;Gate | Funimation", True), ("Spirited Away – 2001", True),
    ("A-ha", False), ("Clannad (28 Pkt)\n", True),
])
def test_a_title_ends_in_data_left_in(title, ends_in_data):
    assert _ends_in_data(title) is ends_in_data


@given(st.text(st.sampled_from("ab1 ()-–—|\n\t\u00a0"), max_size=16))
@settings(max_examples=2000, deadline=None)
def test_ends_in_data_is_what_its_regex_finds(title):
    """The test before the search passes every title the search would find data in."""
    assert _ends_in_data(title) is (TRAILING_DATA_RE.search(title) is not None)
