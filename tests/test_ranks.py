"""Finding entry lines and choosing the real list."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listparse import ranks
from listparse.chains import headline_number
from listparse.ranks import match_rank_line


@pytest.mark.parametrize(
    ("line", "rank", "title"),
    [
        pytest.param("1. Your Lie in April", 1, "Your Lie in April", id="dot"),
        pytest.param("1) Settlers (2%)", 1, "Settlers (2%)", id="paren"),
        pytest.param("#1 Title", 1, "Title", id="hash"),
        pytest.param("No. 7 1Q84", 7, "1Q84", id="no-dot"),
        pytest.param("No. 10: Title", 10, "Title", id="no-colon"),
        pytest.param(" 10  Violet Evergarden ", 10, "Violet Evergarden", id="bare-two-spaces"),
        pytest.param("## 10\\. Ben-To", 10, "Ben-To", id="escaped-dot-heading"),
        pytest.param("### 54: *Dark Phoenix* | Half star", 54, "*Dark Phoenix* | Half star", id="colon"),
        pytest.param("**1.** Title", 1, "Title", id="bold-number"),
        pytest.param("**1. Title**", 1, "Title**", id="bold-line"),
        pytest.param("10. 5 Centimeters per Second", 10, "5 Centimeters per Second", id="digit-title"),
        pytest.param("## Common Mistake #3: Specifying", 3, "Specifying", id="labelled"),
        pytest.param("4.\u00a0Ano Hi", 4, "Ano Hi", id="no-break-space"),
        pytest.param("###### #10", 10, "", id="rank-only"),
        pytest.param("(3) Title", 3, "Title", id="parenthesised"),
        pytest.param("- 4. Title", 4, "Title", id="bulleted"),
        pytest.param("5.Title", 5, "Title", id="no-space-after-dot"),
        pytest.param("③Ansible", 3, "Ansible", id="circled-glued"),
        pytest.param("### ⑩Bitcoin", 10, "Bitcoin", id="circled-heading"),
        pytest.param("❼ Title", 7, "Title", id="dingbat"),
        pytest.param("7\ufe0f\u20e3 Title", 7, "Title", id="keycap"),
        pytest.param("## IV. The Fourth", 4, "The Fourth", id="roman"),
        pytest.param("１２．タイトル", 12, "タイトル", id="full-width"),
        pytest.param("第3位：千と千尋の神隠し", 3, "千と千尋の神隠し", id="japanese-counter"),
        pytest.param("3位 君の名は。", 3, "君の名は。", id="japanese-counter-no-prefix"),
        pytest.param("2º lugar: Cidade de Deus", 2, "Cidade de Deus", id="portuguese-ordinal"),
        pytest.param("Platz 4: Leipzig", 4, "Leipzig", id="german-label"),
        pytest.param("٣. عنوان", 3, "عنوان", id="arabic-indic-digits"),
        pytest.param("=85 BATTLE CHESS", 85, "BATTLE CHESS", id="tie"),
        pytest.param("T-5. Jordan Spieth", 5, "Jordan Spieth", id="tie-t"),
        pytest.param("Spirited Away — #3", 3, "Spirited Away", id="rank-after-title"),
    ],
)
def test_rank_lines_are_read(line, rank, title):
    """Each printed style gives its rank and the text after it."""
    candidate = match_rank_line(line)
    assert candidate is not None
    assert (candidate.rank, candidate.title_part) == (rank, title)


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("2019 was a great year for film.", id="year-sentence"),
        pytest.param("28 Days Later is a 2002 film", id="digit-title-prose"),
        pytest.param("Top 10 Zombie Movies", id="headline"),
        pytest.param("4.5 stars out of 5", id="decimal"),
        pytest.param("10:30 am start", id="time"),
        pytest.param("74% of respondents", id="percent"),
        pytest.param("1,200 developers", id="thousands"),
        pytest.param("Veröffentlicht am: 5. Juni 2023", id="date-after-label"),
        pytest.param("25. September 2018", id="date-line"),
        pytest.param("5. Dez 2018", id="abbreviated-date-line"),
        pytest.param("I. e. the same", id="not-roman"),
        pytest.param("IV", id="roman-alone"),
    ],
)
def test_non_entry_lines_are_refused(line):
    """Numbers that start prose are not entries."""
    assert match_rank_line(line) is None


@pytest.mark.parametrize(
    ("headline", "number"),
    [("20 Best Heartbreaking Anime", 20), ("The 10 Most Common Mistakes", 10),
     ("Best Albums of the Year: 2010", None), ("Top Ten Games", 10), ("Die zwölf besten", None), (None, None)],
)
def test_headline_number(headline, number):
    """The count a headline promises, but not a year."""
    assert headline_number(headline) == number


def test_ties_and_glyphs_are_marked():
    """A tie says so, and a circled digit counts as a printed marker of its own style."""
    tie, plain = match_rank_line("=85 BATTLE CHESS"), match_rank_line("#84 SILKWORM")
    assert tie.tie and not plain.tie
    assert match_rank_line("①Title").style != match_rank_line("1. Title").style


def test_dates_keep_their_titles_when_more_follows():
    """"2. April 2001: A Space Odyssey" is an entry, not a date."""
    assert match_rank_line("2. April 2001: A Space Odyssey").title_part == "April 2001: A Space Odyssey"


def test_ranks_behind_time_stamps():
    """A transcript's or a video's chapters: "[00:12:40] Number 8: Song" and "1:23 - #10 Song" are entries."""
    assert match_rank_line("[00:01:02] Number 8: Calm Down by Rema").rank == 8
    assert match_rank_line("1:23 - #10 Song").title_part == "Song"
    assert match_rank_line("12:45 Lunch") is None


PLAIN_PARTS = ["Title", "September 2018", "April 2001: A Space Odyssey", "**Bold**", "º", "ª lugar", "st place:",
               ": x", "- x", "– x", "—", "5", "4.5", ",", ")", ".", "*", "_", " ", "\t", "\u00a0", "位", "\ufe0f\u20e3"]


@st.composite
def plain_rank_lines(draw):
    """Lines near "12. Title" and " 12  Title": indents, long numbers, other separators, dates, odd titles."""
    indent = draw(st.text(alphabet=" \t\u00a0\u3000", max_size=6))
    number = draw(st.text(alphabet="0123456789", min_size=1, max_size=8))
    sep = draw(st.sampled_from(["", ".", ")", ".º", "st", ":", " -", "．", "\\.", ",5"]))
    gap = draw(st.text(alphabet=" \t\u00a0", max_size=4))
    title = "".join(draw(st.lists(st.sampled_from(PLAIN_PARTS) | st.text(max_size=3), max_size=5)))
    return indent + number + sep + gap + title


@settings(max_examples=1500, deadline=None)
@given(line=plain_rank_lines())
def test_plain_ranks_read_as_the_rank_regex_reads_them(line):
    """The short way through "12. Title" lines gives what RANK_LINE_RE's reading gives, Candidate for Candidate."""
    assert match_rank_line(line, 7) == ranks._read_rank_line(line, 7)


@pytest.mark.parametrize("line", ["1. Title", " 10  Violet Evergarden ", "\t12) Title", "    3. Nested"])
def test_plain_ranks_take_the_short_way(line):
    """The common dresses are read by PLAIN_RANK_RE, so the test above compares something."""
    plain = ranks.PLAIN_RANK_RE.match(line)
    assert plain and ranks._plain_rank(plain, line, 0) == ranks._read_rank_line(line, 0)


@settings(max_examples=1500, deadline=None)
@given(line=st.text(alphabet=" \t\u00a0\u2003#*_>-IVXLCa1.)\\", max_size=12).map(lambda text: text + "x")
       | st.text(alphabet="ab 19", min_size=75, max_size=85) | st.text())
def test_rank_hints_agree_with_their_regexes(line):
    """The openings tested before the hint regexes, and the digits deleted from an ASCII line's first
    characters, let through every line those regexes would find a hint in, and no other."""
    digit_re = re.compile("[0-9]") if line.isascii() else ranks.DIGIT_HINT_RE
    expected = bool(digit_re.search(line, 0, ranks.HINT_CHARS) or ranks.ROMAN_HINT_RE.match(line, 0, ranks.HINT_CHARS))
    assert ranks._has_rank_hint(line) == expected
