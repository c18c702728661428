"""Catalogue files: anime-offline-database JSON, JSON Lines and CSV."""

from __future__ import annotations

import pytest

from listparse.catalogue import load_catalogue
from listparse.errors import ListparseError
from listparse.keys import title_key

from .conftest import FIXTURES


def test_anime_offline_database_format():
    """The published AOD JSON is read: title, synonyms, kind, year, episodes and source ids."""
    catalogue = load_catalogue(FIXTURES / "merge" / "catalogue-aod.json")
    entry = catalogue.lookup(title_key("Your Lie in April"), set())
    assert entry.title == "Shigatsu wa Kimi no Uso"
    assert (entry.kind, entry.year, entry.episodes) == ("series", 2014, 22)
    assert ("myanimelist", "23273") in entry.ids


def test_json_lines_format():
    """JSON Lines entries give title, aliases, kind, year and ids."""
    catalogue = load_catalogue(FIXTURES / "merge" / "catalogue.jsonl")
    assert catalogue.entries and all(entry.title for entry in catalogue.entries)
    assert all(entry.line == number for number, entry in enumerate(catalogue.entries, start=1))


def test_csv_format(tmp_path):
    """CSV: aliases and ids separated by semicolons."""
    path = tmp_path / "works.csv"
    path.write_text("title,aliases,kind,year,ids\nYour Name.,Kimi no Na wa;Your Name,film,2016,imdb=tt5311514\n")
    entry = load_catalogue(path).lookup(title_key("kimi no na wa"), {2016})
    assert (entry.title, entry.kind, entry.year, entry.ids) == ("Your Name.", "film", 2016, (("imdb", "tt5311514"),))


def test_namesakes_are_told_apart_by_year(tmp_path):
    """Two entries with one title: the year chooses; without a year, no link is made."""
    path = tmp_path / "c.jsonl"
    path.write_text('{"title": "Hellsing", "year": 2001}\n{"title": "Hellsing", "year": 2006}\n')
    catalogue = load_catalogue(path)
    assert catalogue.lookup("hellsing", {2006}).year == 2006
    assert catalogue.lookup("hellsing", set()) is None


def test_a_broken_catalogue_says_what_is_wrong(tmp_path):
    """Invalid content raises ListparseError naming the file."""
    path = tmp_path / "bad.jsonl"
    path.write_text("{not json\n")
    with pytest.raises(ListparseError, match="bad.jsonl"):
        load_catalogue(path)


def test_a_json_array_is_a_list_of_works(tmp_path):
    """A catalogue that is one JSON array of records reads like JSON Lines, entries numbered from 1."""
    path = tmp_path / "works.json"
    path.write_text('[{"title": "Steins;Gate", "year": 2011}, {"title": "Clannad"}]')
    catalogue = load_catalogue(path)
    assert [(entry.title, entry.year, entry.line) for entry in catalogue.entries] == [
        ("Steins;Gate", 2011, 1), ("Clannad", None, 2)]


@pytest.mark.parametrize("name, content, message", [
    pytest.param("works.csv", "name,year\nSteins;Gate,2011\n",
                 "catalogue works.csv has no title column (columns found: name, year)", id="csv-without-title"),
    pytest.param("works.csv", "", "catalogue works.csv has no title column (columns found: none)", id="csv-empty"),
    pytest.param("works.jsonl", '{"title": "A"}\n{"name": "B"}\n',
                 "catalogue works.jsonl: entry 2 has no title", id="jsonl-without-title"),
    pytest.param("works.json", '[{"title": "A"}, "B"]',
                 "catalogue works.json: entry 2 is not an object with a title", id="array-of-strings"),
    pytest.param("works.jsonl", '{"title": "A", "year": "soon"}\n',
                 "catalogue works.jsonl: entry 1: year 'soon' is not a number", id="bad-year"),
])
def test_a_catalogue_without_titles_says_what_is_wrong(in_tmp, name, content, message):
    """A catalogue whose entries have no title names the file, the entry or the columns found."""
    (in_tmp / name).write_text(content)
    with pytest.raises(ListparseError) as caught:
        load_catalogue(name)
    assert str(caught.value) == message
