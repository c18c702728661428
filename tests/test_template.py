"""The template a list's entries share: columns beside the name, and which side of a dash is the name."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listparse.cells import Cell, Plain, cell_before, content_end, plain_text, shape_of, trailing_cells
from listparse.template import (
    LEAD_SEPARATORS,
    Column,
    Template,
    _cell_for,
    _leaves_a_name,
    _most_filling,
    _signature,
    _split_by,
    _taken,
    headline_kind,
    infer_template,
    split_entry,
)


def _split(heads: list[str], headline: str | None = None) -> list[tuple[str, dict[str, str]]]:
    plains = [plain_text(head) for head in heads]
    template = infer_template(plains, headline_kind(headline))
    result = []
    for plain in plains:
        split = split_entry(plain, template)
        result.append((plain.text[split.start:split.end], {label: text for label, text, *_ in split.extras}))
    return result


@pytest.mark.parametrize(
    ("value", "shape"),
    [("2008", "year"), ("2 Seasons", "count:season"), ("1 Season", "count:season"), ("22.700 Follower",
     "count:follower"), ("873 points", "count:point"), ("19%", "percent"), ("8.5/10", "score"), ("★★★", "stars"),
     ("$$", "price"), ("€12", "price"), ("NY", "code"), ("Kanye West", "name"), ("Portugal. The Man", "name"),
     ("Shigatsu wa Kimi no Uso", "text"), ("Climb a mountain to get phone reception, then stay.", "prose")],
)
def test_cell_shapes(value, shape):
    """A cell's shape is judged by its form alone."""
    assert shape_of(value) == shape


def test_markup_is_dropped_and_remembered():
    """Links, kramdown attributes and code ticks go; the link is kept as a mark."""
    plain = plain_text('[Ramen Ishida - NY](https://x){:target="_blank"}, 10/10, `$$`')
    assert plain.text == "Ramen Ishida - NY, 10/10, $$"
    assert [cell.text for cell in trailing_cells(plain)] == ["$$", "10/10", "NY"]
    assert plain.marks[0].kind == "link"


def test_count_columns_are_split_off():
    """`Title (2 Seasons)` in every entry: the season count is a column named by its unit."""
    assert _split(["Stranger Things (2 Seasons)", "Ozark (1 Season)", "Archer (7 Seasons)"]) == [
        ("Stranger Things", {"Seasons": "2 Seasons"}), ("Ozark", {"Seasons": "1 Season"}),
        ("Archer", {"Seasons": "7 Seasons"})]


def test_record_columns():
    """`Name, role (N Follower): tip` is a record: the name is the title, the rest are columns."""
    heads = ["Ada Berg, Autorin (22.700 Follower): Ein Dreiklang",
             "Bo Lind, Mädchen für alles, Agentur (9.525 Follower): Kurz, knapp und klar",
             "Cem Aydin, Investor (33.700 Follower): Mut zur Lücke"]
    titles = [title for title, _ in _split(heads)]
    assert titles == ["Ada Berg", "Bo Lind", "Cem Aydin"]
    assert _split(heads)[1][1] == {"details": "Mädchen für alles, Agentur", "Follower": "9.525 Follower",
                                   "summary": "Kurz, knapp und klar"}


def test_codes_and_scores():
    """` - NY`, a score and a price code after a shop's name; a shop without a city keeps its whole name."""
    heads = ["Ramen Ishida - NY, 10/10, $$", "Nakamura, 9/10, $$$", "Ippudo - NY East Village, 7.5/10, $$",
             "Marufuku - SF, 8/10, $$"]
    assert [title for title, _ in _split(heads)] == ["Ramen Ishida", "Nakamura", "Ippudo", "Marufuku"]
    assert _split(heads)[2][1] == {"location": "NY East Village", "rating": "7.5/10", "price": "$$"}


def test_a_name_with_a_comma_is_not_split_without_a_reason():
    """`City, Country` in every entry of a travel list: the comma is part of the name."""
    heads = ["St. Petersburg, Russia", "Paris, France", "Tokyo, Japan", "Ellensburg, Washington"]
    assert [title for title, extras in _split(heads, "Places to travel")] == heads


def test_subtitles_stay_in_the_title():
    """`Title: Subtitle` in every entry is a name, not a column."""
    heads = ["Avengers: Endgame", "Alita: Battle Angel", "Terminator: Dark Fate"]
    assert [title for title, _ in _split(heads, "Best movies")] == heads


def test_artist_and_album_by_emphasis():
    """`Artist – *Album*`: the emphasised side is the title, the other the artist."""
    heads = ["Gorillaz – *Plastic Beach*", "Kanye West – *My Beautiful Dark Twisted Fantasy*", "Envy – *Recitation*"]
    assert _split(heads, "Best albums of 2010") == [
        ("Plastic Beach", {"artist": "Gorillaz"}), ("My Beautiful Dark Twisted Fantasy", {"artist": "Kanye West"}),
        ("Recitation", {"artist": "Envy"})]


def test_artist_repeating_marks_the_creator():
    """The side that repeats within the list is the creator."""
    heads = ["Radiohead - Kid A", "Björk - Homogenic", "Radiohead - OK Computer", "Portishead - Dummy"]
    assert [title for title, _ in _split(heads, "Best records")] == ["Kid A", "Homogenic", "OK Computer", "Dummy"]


def test_description_after_a_dash_is_no_column():
    """`**Title** – a sentence. ($7.99)`: the price is a column, the sentence a description left to the entry."""
    heads = ["**A Short Hike** – Climb a mountain on a small island to get phone reception. ($7.99)",
             "**Unpacking** – Unpack boxes across several moves and piece together a life. ($19.99)"]
    assert _split(heads, "Cozy games") == [
        ("A Short Hike – Climb a mountain on a small island to get phone reception.", {"price": "$7.99"}),
        ("Unpacking – Unpack boxes across several moves and piece together a life.", {"price": "$19.99"})]


def test_template_reasons_are_recorded():
    """Each column and each decision about the head says why."""
    template = infer_template([plain_text(h) for h in ["A (2 Seasons)", "B (4 Seasons)"]])
    assert template.reasons == ["column 'Seasons': a count of season in parentheses in 2 of 2 entries "
                                "(a count of Seasons)"]


def test_the_creator_after_by_ends_where_the_name_does():
    """`**Title** by R. F. Kuang - 5/5. Prose`: the author is the name, the rest is the entry's own."""
    heads = ["**Babel** by R. F. Kuang - 5/5. Dark academia and footnotes.",
             "**Piranesi** by Susanna Clarke - 4.5/5. Short, strange, perfect.",
             "**Good Omens** by Terry Pratchett and Neil Gaiman - 4/5. Funny."]
    result = _split(heads, "My top books")
    assert [title for title, _ in result] == ["Babel", "Piranesi", "Good Omens"]
    assert [extras["author"] for _, extras in result] == ["R. F. Kuang", "Susanna Clarke",
                                                          "Terry Pratchett and Neil Gaiman"]


def test_a_colon_never_leaves_a_title_that_is_a_bare_number():
    """"2001: A Space Odyssey 2001: A Space Odyssey" in every entry (found by test_properties): cutting after
    the first colon would leave the title "2001" and make the words a year."""
    from listparse import parse_text

    heads = "".join(f"{rank}. 2001: A Space Odyssey 2001: A Space Odyssey\n\nWorth it.\n\n" for rank in (1, 2))
    document = parse_text("The 2 Best Things\n\n" + heads, source="films.txt")
    assert [entry.title_raw for entry in document.entries] == ["2001: A Space Odyssey 2001: A Space Odyssey"] * 2
    assert all(not entry.fields for entry in document.entries)


def test_a_number_title_keeps_its_count_column():
    """"1899 (1 Season)" is a name and a count: only a colon cut is refused."""
    from listparse import parse_text

    titles = ["Fleabag (2 Seasons)", "1899 (1 Season)", "Dark (3 Seasons)"]
    text = "Best series\n\n" + "".join(f"{rank}. {title}\n\nGood.\n\n" for rank, title in enumerate(titles, 1))
    document = parse_text(text, source="series.txt")
    assert [entry.title for entry in document.entries] == ["Fleabag", "1899", "Dark"]


def test_alike_heads_have_no_columns():
    """Columns are told from names by what varies: heads that are all the same give no column and no split,
    even where one alone would be read as a name and a year ("Violet 2001: A Space Odyssey 2001")."""
    head = "Violet 2001: A Space Odyssey 2001: A Space Odyssey"
    assert _split([head, head, head]) == [(head, {})] * 3
    template = infer_template([plain_text(head)] * 2)
    assert template.columns == [] and template.lead is None
    assert template.reasons == ["every entry prints the same head: no cell of it is told apart from the name"]
    # Different names beside alike cells still make a column.
    assert _split(["Akira (1988)", "Paprika (2006)"]) == [("Akira", {"year": "1988"}), ("Paprika", {"year": "2006"})]


# Heads built from names and the cells lists print after them, so that generated lists hold columns, lead
# splits and near misses (a cell in some entries, a separator printed twice, a dash inside a name).
NAME_PIECES = ["Violet", "Evergarden", "Spider-Man", "2001", "Ursula K. Le Guin", "*Babel*", '"Angel"', "Café",
               "R. F. Kuang", "Portugal. The Man", "AC/DC", "Steins;Gate", "[Moon](https://x)", "Q&A"]
CELL_PIECES = [" (2019)", " (2 Seasons)", " [Live]", " - NY", " – Kanye West", " — a quiet, slow film.", ", 10/10",
               ", $$", ": a tip, with a comma", ": 2001", " | Netflix", " by Naomi Novik", " by R. F. Kuang - 5/5.",
               " @ SF", " / 873 points", ", Autorin (22.700 Follower)", " · 1975 · 201 min", "!", " - ", ", "]


@st.composite
def head_lists(draw):
    """Two to twelve heads of one list: most print the list's cells, some drop one or print another."""
    shared = draw(st.lists(st.sampled_from(CELL_PIECES), max_size=3))
    heads = []
    for _ in range(draw(st.integers(min_value=2, max_value=12))):
        name = " ".join(draw(st.lists(st.sampled_from(NAME_PIECES), min_size=1, max_size=3)))
        cells = [cell for cell in shared if draw(st.integers(0, 4))]  # each shared cell in about 4 of 5 heads
        if not draw(st.integers(0, 3)):
            cells.insert(draw(st.integers(0, len(cells))), draw(st.sampled_from(CELL_PIECES)))
        heads.append(name + "".join(cells))
    return heads


def _signatures(plains: list[Plain]) -> Counter:
    return Counter(_signature(cell) for plain in plains if (cell := cell_before(plain, content_end(plain))))


def _every_taken(plains: list[Plain], column: Column) -> list[tuple[int, Cell]]:
    """The general rule `_taken` stops early on: every head's cell that fills the column and leaves a name."""
    return [(position, cell) for position, plain in enumerate(plains)
            if (cell := _cell_for(plain, content_end(plain), column)) and _leaves_a_name(plain, cell)]


@settings(max_examples=200, deadline=None)
@given(head_lists())
def test_taken_gives_up_only_when_too_few_heads_fill_the_column(heads):
    """`_taken` is every head's filling cell, or None exactly when fewer than `least` heads have one."""
    plains = [plain_text(head) for head in heads]
    for sep, shape in _signatures(plains):
        column = Column(sep, "text" if shape == "*" else shape, "", 0)
        every = _every_taken(plains, column)
        for least in range(len(plains) + 2):
            ends = [content_end(plain) for plain in plains]
            assert _taken(plains, ends, column, least) == (every if len(every) >= least else None)


@settings(max_examples=200, deadline=None)
@given(head_lists())
def test_no_column_is_filled_by_more_heads_than_its_bound(heads):
    """A signature's column is never filled by more heads than `_most_filling` says, whatever its shape."""
    plains = [plain_text(head) for head in heads]
    for (sep, shape), count in _signatures(plains).items():
        bound = _most_filling(sep, shape, count, len(plains))
        shapes = ["name", "text", "code", "prose"] if shape == "*" else [shape]
        for column_shape in shapes:
            assert len(_every_taken(plains, Column(sep, column_shape, "", 0))) <= bound


@settings(max_examples=200, deadline=None)
@given(head_lists())
def test_a_plain_template_splits_as_the_general_path_does(heads):
    """A template of no columns and no lead split leaves every head whole, as the general split would."""
    plains = [plain_text(head) for head in heads]
    template = infer_template(plains)
    for plain in plains:
        assert split_entry(plain, template) == _split_by(plain, template)
        assert split_entry(plain, Template()) == _split_by(plain, Template())


@settings(max_examples=200, deadline=None)
@given(head_lists(), st.sampled_from(LEAD_SEPARATORS))
def test_a_separator_is_counted_at_least_once_per_head_holding_it(heads, sep):
    """The lead split's first test: a separator printed in N heads is counted N times or more in them all."""
    texts = [plain_text(head).text for head in heads] + [sep.strip() + sep + "x", sep + "x", "x" + sep + sep]
    assert "\n".join(texts).count(sep) >= sum(1 for text in texts if text.find(sep) > 0)
