"""Titles as printed, and the extras printed around them."""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listparse.titles import _unescaped, clean_markup, split_title


@pytest.mark.parametrize(
    ("part", "title", "extras"),
    [
        pytest.param("Violet Evergarden", "Violet Evergarden", [], id="plain"),
        pytest.param("28 Days Later (2002)", "28 Days Later", [("year", "(2002)", "2002")], id="year"),
        pytest.param("Day of the Dead  (1985)", "Day of the Dead", [("year", "(1985)", "1985")], id="year-two-spaces"),
        pytest.param("Chernobyl (2019) – HBO Max", "Chernobyl",
                     [("year", "(2019)", "2019"), ("streaming", "HBO Max", "HBO Max")], id="year-and-service"),
        pytest.param("Vampire: The Masquerade – Bloodlines", "Vampire: The Masquerade – Bloodlines", [],
                     id="dash-inside-title"),
        pytest.param("*Doctor Sleep* (director's cut) | ★★", "Doctor Sleep",
                     [("note", "(director's cut)", "director's cut"), ("rating", "★★", "★★")], id="emphasis"),
        pytest.param("Ready Or Not | ★★★", "Ready Or Not", [("rating", "★★★", "★★★")], id="pipe-rating"),
        pytest.param("[_The Girl With the Dragon Tattoo_ Trilogy](http://x) by Steig Larsson: I jumped",
                     "The Girl With the Dragon Tattoo Trilogy", [("author", "Steig Larsson", "Steig Larsson")],
                     id="link-and-author"),
        pytest.param("Settlers (2%)", "Settlers", [("share", "(2%)", "2%")], id="percent"),
        pytest.param("2001: A Space Odyssey And The Other Films By Stanley Kubrick, Inc.",
                     "2001: A Space Odyssey And The Other Films By Stanley Kubrick, Inc.", [],
                     id="long-subtitle-in-title-case"),
        pytest.param("Rossum's Robots: A Play About The Robots Of Karel Čapek R.U.R.",
                     "Rossum's Robots: A Play About The Robots Of Karel Čapek R.U.R.", [],
                     id="subtitle-ending-in-an-abbreviation"),
        pytest.param("Final Fantasy IX (honorable mention: Final Fantasy X-2, Final Fantasy VII)",
                     "Final Fantasy IX",
                     [("honorable mention", "(honorable mention: Final Fantasy X-2, Final Fantasy VII)",
                       "Final Fantasy X-2, Final Fantasy VII")], id="labelled-paren"),
        pytest.param("Magnum P.I. – Complete Collection (Stagioni 1-8) (45 DVD)",
                     "Magnum P.I. – Complete Collection (Stagioni 1-8)", [("format", "(45 DVD)", "45 DVD")],
                     id="media-format"),
        pytest.param("**Title**", "Title", [], id="bold"),
        pytest.param('"Bohemian Rhapsody" – Queen', "Bohemian Rhapsody", [], id="quoted-then-credit"),
        pytest.param("Parasite (2019 film)", "Parasite", [("year", "(2019 film)", "2019 film")], id="year-in-paren"),
        pytest.param("Cowboy Bebop (TV Series)", "Cowboy Bebop", [("kind", "(TV Series)", "TV Series")], id="kind"),
        pytest.param("Spiritfarer – Ferry spirits to the afterlife on a boat you build.", "Spiritfarer", [],
                     id="dash-then-prose"),
        pytest.param("Misusing the <code>__del__</code> method", "Misusing the __del__ method", [],
                     id="inline-code"),
        pytest.param("Tom &amp; Jerry", "Tom &amp; Jerry", [], id="entity-kept-for-normalization"),
    ],
)
def test_split_title(part, title, extras):
    """The title is separated from its extras."""
    parts = split_title(part)
    assert parts.title == title
    assert parts.extras == extras


def test_colon_ends_the_title_when_prose_runs_on():
    """`The "Adric" Virus: Only present if…` on a wrapped line: the title ends at the colon."""
    parts = split_title('The   "Adric"  Virus:   Only  present  if  computer  has  a  math', continues=True)
    assert parts.title == 'The "Adric" Virus'
    assert parts.description.startswith("Only present")


def test_colon_in_a_title_is_kept():
    """`Anohana: The Flower We Saw That Day` stands alone: the colon belongs to the title."""
    assert split_title("Anohana: The Flower We Saw That Day").title == "Anohana: The Flower We Saw That Day"


def test_clean_markup():
    """Links, emphasis, escapes and entities go; the words stay."""
    assert clean_markup(r"[_Suite Francaise_](http://x) \- **new** &#39;ed") == "Suite Francaise - new 'ed"


@pytest.mark.parametrize("word", ["Vinyl", "Vinile", "Vinyle", "Vinilo", "Schallplatte"])
def test_vinyl_in_several_languages_is_a_format(word):
    """A trailing '(Vinyl)' in English, Italian, French, Spanish or German is a format, not title."""
    assert split_title(f"Thriller ({word})").extras == [("format", f"({word})", word)]


@pytest.mark.parametrize(
    ("part", "title", "extras"),
    [
        pytest.param("Merdeka 118[a]", "Merdeka 118", [("note", "[a]", "a")], id="footnote-mark"),
        pytest.param("1 in 5 US bridges is structurally deficient [pdf]", "1 in 5 US bridges is structurally deficient",
                     [("note", "[pdf]", "pdf")], id="format-mark"),
        pytest.param("Widows (I)", "Widows", [("disambiguation", "(I)", "I")], id="imdb-disambiguation"),
        pytest.param("[Why I still use Emacs in 2024 (2023)](https://x)", "Why I still use Emacs in 2024",
                     [("year", "(2023)", "2023")], id="year-inside-link"),
        pytest.param("《霸王别姬》1993", "霸王别姬", [("year", "1993", "1993")], id="chinese-title-marks"),
        pytest.param("[[Kendrick Lamar]]", "Kendrick Lamar", [], id="wiki-link"),
    ],
)
def test_marks_and_notes_around_titles(part, title, extras):
    """Footnote marks, disambiguators, years inside a link and title marks of other scripts."""
    parts = split_title(part)
    assert (parts.title, parts.extras) == (title, extras)


def test_a_colon_in_a_list_of_sentences_stays():
    """Told the list is one of sentences, a colon does not end the title."""
    sentence = 'A programmer\'s wife tells him: "Go to the store and buy a loaf of bread." He does.'
    assert split_title(sentence, colon_may_end=False).title == sentence


@given(st.lists(st.sampled_from(["&#39;", "&#34;", "&#390;", "&#3", "&amp;", "&", "#39;", "a", " ", "é", ";"]),
                max_size=12).map("".join))
def test_unescaping_quotes_agrees_with_html_unescape(text):
    """The shortcut for numbered quotes gives what html.unescape gives, whatever else the text holds."""
    assert _unescaped(text) == html.unescape(text)


@given(st.text(max_size=60))
def test_unescaping_any_text_agrees_with_html_unescape(text):
    """Any text at all: the shortcut and html.unescape agree."""
    assert _unescaped(text) == html.unescape(text)


def test_numbered_quotes_take_the_shortcut(monkeypatch):
    """`others&#39; thoughts` and `&#34;quoted&#34;` need no html.unescape: every "&" opens one of them; an
    `&amp;` beside them does."""
    real = html.unescape
    calls = []
    monkeypatch.setattr(html, "unescape", lambda text: calls.append(text) or real(text))
    assert _unescaped("others&#39; thoughts, &#34;quoted&#34;") == 'others\' thoughts, "quoted"'
    assert calls == []
    assert _unescaped("Tom &amp; Jerry&#39;s") == "Tom & Jerry's"
    assert calls == ["Tom &amp; Jerry&#39;s"]
