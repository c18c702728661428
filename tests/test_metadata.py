"""An entry's metadata lines → typed fields."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from listparse.metadata import (
    CREATOR_MARKS,
    CREATOR_SPLIT_RE,
    LIST_MARKS,
    LIST_SPLIT_RE,
    MAX_FIELD_LINE,
    _read_line,
    _split_items,
    may_state_fields,
    read_line,
)


def _fields(text):
    return {f.name: (f.value, f.extra, f.note, f.known) for f in read_line(1, 0, text)}


def test_label_row_with_runs_of_spaces():
    """A packed row of label/value pairs gives one typed field per pair."""
    fields = _fields("  Year Released   2010    Number of Episodes   13 + 2 OVAs"
                     "    Where to Stream   Crunchyroll, Funimation    ")
    assert fields == {
        "year": (2010, None, None, True),
        "episodes": (13, "2 OVAs", None, True),
        "streaming": (["Crunchyroll", "Funimation"], None, None, True),
    }


def test_not_streaming_is_an_empty_list_with_a_note():
    """'Currently not available on streaming' is no service at all, and says so."""
    fields = _fields("Year Released   2009    Where to Stream   Currently not available on streaming")
    assert fields["streaming"] == ([], None, "not available on streaming", True)


@pytest.mark.parametrize(
    ("line", "medium", "creators"),
    [
        pytest.param("Based on the Light Novel By Kana Akatsuki &amp; Akiko Takase", "light novel",
                     ["Kana Akatsuki", "Akiko Takase"], id="light-novel"),
        pytest.param("Original Anime Series By P.A. Works", "original", ["P.A. Works"], id="original"),
        pytest.param("An Original Anime Series Co-Produced by Studio Bones &amp; Kinema Citrus", "original",
                     ["Studio Bones", "Kinema Citrus"], id="co-produced"),
        pytest.param("Based on the Light Novel By Akira Kareno and Ue", "light novel", ["Akira Kareno", "Ue"],
                     id="and"),
        pytest.param(" Based On the Manga By Naoshi Arakawa", "manga", ["Naoshi Arakawa"], id="manga"),
        pytest.param("Based on the Visual Novel by Key", "visual novel", ["Key"], id="visual-novel"),
    ],
)
def test_credit_lines(line, medium, creators):
    """Credit lines give the source medium and the creators."""
    fields = _fields(line)
    assert fields["source_material"][0] == medium
    assert fields["creators"][0] == creators


@pytest.mark.parametrize(
    ("line", "name", "value"),
    [
        pytest.param("- **Studio:** Manglobe", "studio", ["Manglobe"], id="bullet-bold"),
        pytest.param("- **Length**: 12 episodes", "length", "12 episodes", id="bold-label"),
        pytest.param("Episodes: 24", "episodes", 24, id="episodes"),
        pytest.param("Release Date: April 2016", "release_date", "April 2016", id="date"),
        pytest.param("Genre: Drama, Romance", "genre", ["Drama", "Romance"], id="genre-list"),
        pytest.param("Runtime: 2h 7m", "runtime", 127, id="runtime"),
        pytest.param("http://amzn.to/2iJFhRj", "link", "http://amzn.to/2iJFhRj", id="url"),
    ],
)
def test_labelled_lines(line, name, value):
    """`Label: value` lines in their common dresses."""
    assert _fields(line)[name][0] == value


def test_unknown_label_is_kept_under_its_own_name():
    """A label the table does not know is kept (under its folded name), marked unknown."""
    assert _fields("Mood: bleak") == {"mood": ("bleak", None, None, False)}


@pytest.mark.parametrize(
    "line",
    [
        "Violet Evergarden follows the eponymous protagonist who, after being raised as a weapon.",
        "However, things seem to change when he meets Kaori.",
        "",
    ],
)
def test_prose_is_not_metadata(line):
    """Sentences give no fields."""
    assert read_line(1, 0, line) == ()


@pytest.mark.parametrize("line", ["Nothing is lost: the reflog remembers where HEAD has been.",
                                  "The catch was simple: the sequel never came."])
def test_a_clause_before_a_colon_is_prose(line):
    """A 'label' with a verb of its own, before a sentence, is prose, not a field."""
    assert _fields(line) == {}


@pytest.mark.parametrize("line", ["Honorable Mention: Paprika", "Honorable mention: Paprika",
                                  "HONORABLE  MENTION: Paprika"])
def test_an_unknown_label_has_one_name_however_it_is_printed(line):
    """Unknown labels fold to one column-safe name; the label keeps its printed spelling."""
    (field,) = read_line(1, 0, line)
    assert (field.name, field.label.casefold().split()) == ("honorable_mention", ["honorable", "mention"])


def test_several_labelled_pairs_on_one_line():
    """`Players: 3-4 · Playing time: 60-120 minutes` gives both fields, each with its own span."""
    fields = read_line(1, 100, "Players: 3-4 · Playing time: 60-120 minutes")
    assert [(f.label, f.value) for f in fields] == [("Players", "3-4"), ("Playing time", "60-120 minutes")]
    assert [(f.span.start, f.span.end) for f in fields] == [(109, 112), (129, 143)]


@pytest.mark.parametrize(
    ("line", "field"),
    [
        pytest.param("She is a rockstar businesswoman, speaker, and sports fan.\u00a0 Twitter:\u00a0@cj_anderson",
                     ("Twitter", "@cj_anderson"), id="handle-after-prose"),
        pytest.param("Cuite au feu de bois depuis 1987, une mie alvéolée et une croûte épaisse. Note : 18,5/20.",
                     ("Note", "18,5/20"), id="french-grade"),
        pytest.param("Ein Satz über den Autor, der viel schreibt und liest. Ihre eigene Regel: auf 1 Tweet kommen 5",
                     None, id="a-clause-is-no-datum"),
    ],
)
def test_a_paragraph_may_end_in_a_datum(line, field):
    """The last sentence of a paragraph can be one short labelled datum; a clause is not."""
    found = [(f.label, f.value) for f in read_line(1, 0, line)]
    assert found == ([field] if field else [])


# Pieces that meet the list separators' edge cases: runs and kinds of white space, marks side by side, "and"
# inside words.
LIST_PIECES = [" ", "  ", "\t", "\u00a0", "\n", ",", ";", "&", "|", "/", ".", "and", "And", "sand", "andy", "a",
               "d", "é", "1", "Netflix"]


@given(st.lists(st.sampled_from(LIST_PIECES), max_size=12).map("".join))
def test_list_items_split_as_the_separator_patterns_do(text):
    """The str-method split of list and creator values gives what the separator patterns give."""
    assert _split_items(text, LIST_SPLIT_RE, LIST_MARKS) == LIST_SPLIT_RE.split(text)
    assert _split_items(text, CREATOR_SPLIT_RE, CREATOR_MARKS) == CREATOR_SPLIT_RE.split(text)


@pytest.mark.parametrize("gap", ["   ", "  ", "\t", "\u00a0  ", " \t "])
def test_label_row_cells_split_on_any_run_of_white_space(gap):
    """Cells split on a run of two or more spaces, a tab, or a run holding other white space, alike."""
    fields = _fields(gap.join(["Year Released", "2010", "Number of Episodes", "13 + 2 OVAs"]))
    assert fields == {"year": (2010, None, None, True), "episodes": (13, "2 OVAs", None, True)}


@pytest.mark.parametrize(
    ("printed", "label"),
    [
        pytest.param("Year Released", ("Year Released", "year", True), id="known"),
        pytest.param("  year released: ", ("year released", "year", True), id="colon-and-spaces"),
        pytest.param("Honorable Mention:", ("Honorable Mention", "honorable_mention", False), id="unknown"),
    ],
)
def test_read_label_names_a_label_once_for_every_spelling(printed, label):
    """A printed label is read into the label as kept, its field's name and whether the table knows it."""
    from listparse.metadata import read_label

    assert tuple(read_label(printed)) == label


# Pieces of field lines and of prose: labels and values, the gaps, colons (full-width too) and "by" between them,
# URLs, bold, other white space and long words.
LINE_WORDS = ["Year Released", "Based on the Manga", "Original", "Twitter", "Note", "http://x.io", "Netflix", "2018",
              "@handle", "the story follows a girl", "x" * 60, "é", "İ"]
LINE_GAPS = [" ", "  ", "\t", ":", "：", ": ", " by ", " By ", " BY ", ". ", "**", "- ", "\u00a0", "\n", ""]


@settings(max_examples=400)
@given(st.lists(st.tuples(st.sampled_from(LINE_GAPS), st.sampled_from(LINE_WORDS)), max_size=6)
       .map(lambda pieces: "".join(gap + word for gap, word in pieces)))
@example("Based on the Manga by Netflix")
@example("Year Released\t2018")
@example("Year Released  2018")
@example("Year Released：2018")
@example("x" * 200 + ". Twitter: @handle")
def test_a_line_ruled_out_at_a_look_states_no_field(text):
    """What `may_state_fields` rules out, `_read_line` reads as no field."""
    if not may_state_fields(text):
        assert _read_line(1, 0, text) == []


@pytest.mark.parametrize(
    ("line", "may"),
    [
        pytest.param("The story follows a girl who lost her voice.", False, id="prose"),
        pytest.param("A story told by " + "x" * MAX_FIELD_LINE, False, id="long-prose-with-by"),
        pytest.param("Original Anime Series By P.A. Works", True, id="credit"),
        pytest.param("Year Released   2018", True, id="row"),
        pytest.param("Year Released\t2018", True, id="tabbed-row"),
        pytest.param("Genre: Drama", True, id="colon"),
        pytest.param("ジャンル：ドラマ", True, id="full-width-colon"),
    ],
)
def test_the_look_rules_out_prose_only(line, may):
    """Prose is ruled out at a look; a credit, a row or a colon is read."""
    assert may_state_fields(line) is may
