"""Choosing the list among numbered lines: ties, sub-lists, stitched styles, card badges."""

from __future__ import annotations

from listparse.chains import ranked_chains, with_uniform_members
from listparse.ranks import as_markdown_renders, find_candidates
from listparse.read import read_bytes


def _chosen(text: str, expected: int | None = None, name: str = "list.md") -> list[tuple[int, str]]:
    lines = read_bytes(text.encode(), name).lines
    candidates = find_candidates(lines)
    if name.endswith(".md"):
        candidates = as_markdown_renders(candidates)
    chain = with_uniform_members(ranked_chains(candidates, lines, expected)[0], candidates)
    return [(candidate.rank, candidate.title_part) for candidate in chain.entries]


def test_ties_share_places_in_a_countdown():
    """`=5` twice after `#7` holds places 6 and 5: the chain goes on through both."""
    text = "#7 Alpha\n\nprose\n\n=5 Beta\n\nprose\n\n=5 Gamma\n\nprose\n\n#4 Delta\n\nprose\n\n#3 Epsilon\n"
    assert [rank for rank, _ in _chosen(text)] == [7, 5, 5, 4, 3]


def test_sub_lists_join_when_the_headline_promises_their_total():
    """Two "top 3" sub-lists under their own headings are one top 6."""
    text = ("## The 3 best\n\n### 1. A\ntext\n### 2. B\ntext\n### 3. C\ntext\n"
            "## The 3 worst\n\n### 1. D\ntext\n### 2. E\ntext\n### 3. F\ntext\n")
    assert [title for _, title in _chosen(text, expected=6)] == ["A", "B", "C", "D", "E", "F"]


def test_a_bonus_list_stays_apart():
    """A restarted list whose total the headline does not promise is a second list, not part of the first."""
    text = ("## 1. A\ntext\n## 2. B\ntext\n## 3. C\ntext\n## 4. D\ntext\n"
            "# Bonus\n\n### 1. X\ntext\n### 2. Y\ntext\n")
    assert [title for _, title in _chosen(text, expected=4)] == ["A", "B", "C", "D"]


def test_styles_that_continue_each_other_are_stitched():
    """A list that changes its dress half-way ("1." headings, then "4)" lines) is one list."""
    text = "## 1. A\ntext\n## 2. B\ntext\n## 3. C\ntext\n4) D\ntext\n5) E\ntext\n6) F\ntext\n"
    assert [rank for rank, _ in _chosen(text)] == [1, 2, 3, 4, 5, 6]


def test_card_badges_are_taken_as_printed():
    """Cards whose number stands alone in its block keep every card, even numbered out of sequence."""
    cards = "".join(f'<article><h3><div class="num">{n}</div>Card {chr(64 + i)}</h3><p>About it.</p></article>'
                    for i, n in enumerate([1, 2, 3, 5, 6, 5, 6, 8], 1))
    assert [rank for rank, _ in _chosen(f"<html><body>{cards}</body></html>", name="cards.html")] == [
        1, 2, 3, 5, 6, 5, 6, 8]


def test_chain_reasons_say_why():
    """The chosen chain says how many entries of which style it has, and that it counts from 1."""
    lines = read_bytes(b"1. A\ntext\n2. B\ntext\n3. C\n", "a.txt").lines
    chain = ranked_chains(find_candidates(lines), lines, 3)[0]
    assert chain.reasons[0] == "3 entries of one style ('1.')"
    assert "as many entries as the headline promises (3)" in chain.reasons


def test_markdown_numbers_items_as_it_renders():
    """`1.` printed for every item renders 1, 2, 3; a nested list keeps its own numbers."""
    text = "# Top 3\n\n1. Alpha\n    1. inner\n1. Beta\n\ntext\n\n1. Gamma\n\ntext\n"
    assert _chosen(text, expected=3) == [(1, "Alpha"), (2, "Beta"), (3, "Gamma")]


def test_a_rank_in_another_dress_fills_its_gap():
    """An entry printed as a level-1 heading among level-2 ones is still in the list."""
    text = "## 1. A\ntext\n## 2. B\ntext\n# 3. C\ntext\n## 4. D\ntext\n## 5. E\ntext\n"
    from listparse.chains import with_gaps_filled

    lines = read_bytes(text.encode(), "list.md").lines
    candidates = find_candidates(lines)
    chain = with_gaps_filled(ranked_chains(candidates, lines, None)[0], candidates)
    assert [candidate.rank for candidate in chain.entries] == [1, 2, 3, 4, 5]


def test_a_number_printed_twice_keeps_both_entries():
    """`5. tqdm` and `5. Loguru`: both are entries; a struck-through duplicate is not."""
    from listparse.chains import with_gaps_filled

    for text, titles in (("4. A\nx\n5. B\nx\n5. C\nx\n7. D\nx\n", ["A", "B", "C", "D"]),
                         ("4. A\nx\n5. ~~B~~\nx\n5. C\nx\n6. D\nx\n", ["A", "C", "D"])):
        lines = read_bytes(text.encode(), "list.md").lines
        candidates = find_candidates(lines)
        chain = with_gaps_filled(ranked_chains(candidates, lines, None)[0], candidates)
        assert [candidate.title_part for candidate in chain.entries] == titles
