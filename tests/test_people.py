"""Names of people in descriptions: persons, not places, firms, dishes or pieces of titles."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listparse.models import Located, Span
from listparse.people import (
    LOWER_WORD_RE,
    NAME_RUN_RE,
    NOT_NAME_ENDINGS,
    NOT_NAME_WORDS,
    SENTENCE_REACH,
    DocumentWords,
    TitlePhrases,
    _starts_sentence,
    find_names,
    lower_word_in,
    name_runs,
)


def _names(text: str, title: str = "Some Title", titles: tuple[str, ...] = (), document: str = "") -> list[str]:
    found = find_names([(1, 0, text)], title, DocumentWords(document or text))
    return [located.value for located in TitlePhrases([title, *titles]).without_pieces(found)]


def test_people_are_found():
    assert _names("Directed by Makoto Shinkai and scored by Tenmon, it stars Ryunosuke Kamiki.") == [
        "Makoto Shinkai", "Ryunosuke Kamiki"]


@pytest.mark.parametrize("text", ["Produced by Tiger Aspect Productions for the BBC.",
                                  "It ran on Comedy Central for five years.",
                                  "Shot in Long Island City over one summer.",
                                  "Released in the United Kingdom first."])
def test_organisations_and_places_are_not_people(text):
    assert _names(text) == []


def test_a_piece_of_another_title_is_not_a_person():
    """"Centimeters Per Second" is the end of the title "5 Centimeters per Second"."""
    assert _names("Shinkai followed it with Centimeters Per Second.",
                  titles=("5 Centimeters per Second",)) == []


def test_words_the_document_writes_in_lower_case_are_things():
    """"Spicy Mushroom" is a dish where the review also says "spicy" and "mushroom"."""
    text = "Order the Spicy Mushroom with extra noodles."
    assert _names(text, document=text + " The broth is spicy and the mushroom topping generous.") == []


@pytest.mark.parametrize("text", ["Das Ganze wirkt wie ein Traum.", "Seine Auftritte sind legendär."])
def test_german_determiners_start_no_name(text):
    assert _names(text) == []


def test_a_surname_like_a_place_word_stays_a_name():
    assert _names("It stars Randall Park as the father.") == ["Randall Park"]


@given(st.text(alphabet="abcäßzXÄ-'’_ 1é.\n", max_size=60), st.text(alphabet="abcäßzXé-'’", min_size=1, max_size=5))
@settings(max_examples=2000, deadline=None)
def test_a_word_is_looked_up_as_collecting_every_lower_case_word_would_find_it(text, word):
    """`lower_word_in` answers what the set of all `LOWER_WORD_RE` matches would, without collecting it."""
    assert lower_word_in(text, word) == (word in set(LOWER_WORD_RE.findall(text)))


@given(st.text(alphabet="abcXYZ-' ", max_size=60),
       st.lists(st.text(alphabet="abcABC-", min_size=1, max_size=4), min_size=1, max_size=4))
@settings(max_examples=1000, deadline=None)
def test_a_run_names_a_thing_when_the_text_writes_all_its_words_in_lower_case(text, words):
    """Whatever order `names_a_thing` asks the words in, and whatever it already knows of the document, its
    answer is every word's `lower_word_in`."""
    document = DocumentWords(text)
    expected = all(lower_word_in(text, word.casefold()) for word in words)
    assert document.names_a_thing(words) is expected
    assert document.names_a_thing(words[::-1]) is expected  # asked again: now from what it found first


@pytest.mark.parametrize(("text", "word", "found"), [
    ("the spicy mushroom", "spicy", True), ("spicy-hot", "spicy", False), ("o'spicy", "spicy", False),
    ("x_spicy", "spicy", False), ("2spicy", "spicy", False), ("éspicy", "spicy", False),
    ("spicyé", "spicy", True), ("spicyA", "spicy", True), ("spicy’s", "spicy", False)])
def test_word_edges(text, word, found):
    assert lower_word_in(text, word) is found


# NAME_RUN_RE as first written, every quantifier free to give back what it took.
BACKTRACKING_NAME_RUN_RE = re.compile(
    r"([A-Z](?<![\w'’-].)[a-z]+(?:-[A-Z]?[a-z]+)?(?:[ \u00a0][A-Z][a-z]+(?:-[A-Z]?[a-z]+)?){1,2})"
    r"(?=['’]s\b|(?![\w'’-]))")


# Capitalized words, mostly with a space after them, and what makes or breaks a run of them: "Ab Kcs",
# "Ab-Kc's", "éAb Kc", "Ab\u00a0Kc1".
WORD_PIECES = st.sampled_from(["Ab ", "Kcs ", "Xy ", "Ab", "Kcs", "Qu-Ev", "ABc "])
ASCII_BREAKS = st.sampled_from([" ", "-c", "-Kc", "'s", "'", "s", "Z", "-", "_", "1", ".", "\n"])
ASCII_RUN_PIECES = st.one_of(WORD_PIECES, ASCII_BREAKS)
RUN_PIECES = st.one_of(WORD_PIECES, ASCII_BREAKS, st.sampled_from(["\u00a0", "’s", "’", "é", "É", "“", "”", "—", "–",
                                                                  "\u2009", "ß"]))


@given(st.lists(RUN_PIECES, max_size=30).map("".join))
@settings(max_examples=3000, deadline=None)
def test_possessive_words_find_the_runs_backtracking_would(text):
    """NAME_RUN_RE's words never give back a letter or a hyphen: what follows could not use it."""
    assert ([match.span(1) for match in NAME_RUN_RE.finditer(text)]
            == [match.span(1) for match in BACKTRACKING_NAME_RUN_RE.finditer(text)])


@given(st.one_of(st.lists(ASCII_RUN_PIECES, max_size=30), st.lists(RUN_PIECES, max_size=30)).map("".join))
@settings(max_examples=3000, deadline=None)
def test_name_runs_are_where_name_run_re_matches(text):
    """An ASCII text is searched with its capitals all made "A": the runs found are the same."""
    assert list(name_runs(text)) == [match.span(1) for match in NAME_RUN_RE.finditer(text)]


def test_name_runs_of_a_line():
    text = "Directed by Makoto Shinkai, it follows Mitsuha Miyamizu's dream of Tokyo-Bay O'Neil Jean-Luc Picard."
    assert [text[start:end] for start, end in name_runs(text)] == ["Makoto Shinkai", "Mitsuha Miyamizu",
                                                                   "Jean-Luc Picard"]
    assert [text[start:end] for start, end in name_runs(text.replace("'", "’"))] == [
        "Makoto Shinkai", "Mitsuha Miyamizu", "Jean-Luc Picard"]


# What `_starts_sentence` once asked `re` to search the characters before a name for.
SENTENCE_START_RE = re.compile(r"(?:^|[.!?:;]\s+|[\"“(]\s*)$")


@given(st.text(alphabet=".!?:;\"“(a.\n \t\u00a0\u2003\x1c\x85\u2028", max_size=80), st.integers(0, 80))
@settings(max_examples=3000, deadline=None)
def test_a_sentence_starts_where_the_regex_would_say(text, position):
    position = min(position, len(text))
    assert _starts_sentence(text, position) == (
        SENTENCE_START_RE.search(text, max(0, position - SENTENCE_REACH), position) is not None)


@pytest.mark.parametrize(("text", "starts"), [
    ("Ab", True), ("\nAb", True), (" Ab", False), ("it. Ab", True), ("it.Ab", False), ("(Ab", True), ("“ Ab", True),
    ("." + " " * (SENTENCE_REACH - 1) + "Ab", True), ("." + " " * SENTENCE_REACH + "Ab", False)])
def test_sentence_starts(text, starts):
    assert _starts_sentence(text, text.index("Ab")) is starts


@given(st.lists(st.text(alphabet="aBß İ\t\u00a0\u2003-’", max_size=12), max_size=4))
@settings(max_examples=1000, deadline=None)
def test_title_phrases_are_the_titles_spaced_as_one_by_one_would_make_them(titles):
    """Each title's words casefolded one space apart, with a space either side, joined by a space."""
    assert TitlePhrases(titles).phrases == " ".join(f" {' '.join(title.casefold().split())} " for title in titles)


def find_names_as_first_written(lines, title, document=None):
    """`find_names` before its shortcuts: every run stripped the general way, the title's words split for
    every call, each word of a name looked up in order."""
    title_words = set(title.split())
    names = []
    for number, offset, text in lines:
        if not text:
            continue
        for run_start, run_end in name_runs(text):
            run = text[run_start:run_end]
            words = run.split()
            if len(words) == 3 and _starts_sentence(text, run_start):
                words.pop(0)
            while words and words[0] in NOT_NAME_WORDS:
                words.pop(0)
            while words and words[-1] in NOT_NAME_WORDS:
                words.pop()
            if len(words) < 2 or not NOT_NAME_WORDS.isdisjoint(words) or title_words.issuperset(words):
                continue
            if words[-1] in NOT_NAME_ENDINGS or (document is not None and all(
                    lower_word_in(document, word.casefold()) for word in words)):
                continue
            name = " ".join(words)
            start = offset + run_start + run.index(words[0])
            names.append(Located(value=name, raw=name, span=Span(number, start, start + len(name)),
                                 origin="description"))
    return names


# Name words, words no name holds or ends with, title words, a word the document also writes in lower case,
# and what comes between them: sentence ends, quotes, no-break spaces, possessives.
NAME_PIECES = st.sampled_from(["Makoto ", "Shinkai ", "Kosei ", "Arima's ", "Jean-Luc ", "The ", "Sir ", "Studio ",
                               "Games ", "Spicy ", "Your ", "Lie ", "April ", "Sein ", "Kon’s ", "Ab", ". ", ", ",
                               "(", "“", "\u00a0", " ", "é", "and ", "\n"])


@given(st.lists(st.lists(NAME_PIECES, max_size=12).map("".join), max_size=4),
       st.sampled_from(["Your Lie in April", "Makoto", ""]), st.booleans())
@settings(max_examples=2000, deadline=None)
def test_find_names_finds_what_it_did_as_first_written(texts, title, with_document):
    """The two-word shortcut, the late title split and the longest word looked up first change no name."""
    lines = [(number, number * 100, text) for number, text in enumerate(texts, 1)]
    document = " ".join(texts) + " a spicy dish from the studio of kosei"
    found = find_names(lines, title, DocumentWords(document) if with_document else None)
    assert found == find_names_as_first_written(lines, title, document if with_document else None)
