"""Finding entry lines and choosing the real list."""

from __future__ import annotations

import pytest

from listparse.ranks import headline_number, match_rank_line


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
    ],
)
def test_non_entry_lines_are_refused(line):
    """Numbers that start prose are not entries."""
    assert match_rank_line(line) is None


@pytest.mark.parametrize(
    ("headline", "number"),
    [("20 Best Heartbreaking Anime", 20), ("The 10 Most Common Mistakes", 10),
     ("Best Albums of the Year: 2010", None), ("Top Ten Games", None), (None, None)],
)
def test_headline_number(headline, number):
    """The count a headline promises, but not a year."""
    assert headline_number(headline) == number
