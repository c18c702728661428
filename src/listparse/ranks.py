"""Find the ranked list: numbered lines, grouped by style, chained by rank.

Many lines of a page start with a number: the headline ("10 Sad Anime…"),
numbered notes, a table of contents, years, related links. The real list is
the longest chain of lines *of one style* whose ranks step by one, up or down,
in document order; ties go to the chain whose entries carry text of their own
(a table of contents repeats the titles with nothing between them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .read import Line

RANK_LINE_RE = re.compile(
    r"""
    ^(?P<indent>[^\S\n>]*)                              # indentation, quote markers
    (?P<bullet>[-*•+][^\S\n]+)?                         # a bullet before the number ("- 1. Title")
    (?P<heading>\#{1,6}[^\S\n]+)?                       # Markdown heading marker
    (?P<open>(?:\*\*|__|\*|_)[^\S\n]*)?                 # bold or italic opening
    (?:(?!(?:No|Nr|Number|Rank)\b)                   # a label before the number ("Common Mistake #3"),
       (?P<label>[^\W\d_][\w'’.-]*(?:[^\S\n][^\W\d_][\w'’-]*){0,3})[^\S\n]+)?  # at most four words
    (?P<prefix>\#[^\S\n]?|(?:No|Nr|Number|Rank)\.?[^\S\n]*|\((?=\d{1,4}\)))?  # "#1", "No. 1", "(1)"
    (?P<rank>\d{1,4})(?![\d,])
    (?P<sep>\\?[.)](?!\d)|[^\S\n]*[:–—-](?![\d:]))?     # "1." "1)" "1:" "1 -", never "4.5" or "10:30"
    (?(open)(?P<close>[^\S\n]*(?:\*\*|__|\*|_))?)      # "**1.** Title": bold closing after the number
    (?P<gap>[^\S\n]*)
    (?P<title>.*)$                                     # trailing white space is stripped in code
    """,
    re.VERBOSE,
)
TABLE_ROW_RE = re.compile(
    r"""^\s*\|\s*(?:\#|No\.?\s*)?(?P<rank>\d{1,4})[.)]?\s*   # | 1 |   a rank in the first cell
        \|\s*(?P<title>[^|]*?[^|\s])\s*(?:\||$)                # | Title |  the title in the second""",
    re.VERBOSE,
)
DIGIT_RE = re.compile(r"\d")  # a line with no digit near its start cannot be an entry line
HEADLINE_NUMBER_RE = re.compile(r"(?<![\d.,])(\d{1,4})(?![\d.,%])")
MAX_RANK_GAP = 2  # a missing rank ("1 … 5, 7") is tolerated, never two


@dataclass(frozen=True, slots=True)
class Candidate:
    """A line that could be an entry: its rank, style and the text after the number."""

    index: int  # position in Text.lines
    rank: int
    rank_text: str
    style: tuple
    title_start: int  # offset of the title part within the line
    title_part: str
    heading_level: int  # 0 when the line is not a heading
    rank_only: bool


def find_candidates(lines: list[Line], skip: int = 0) -> list[Candidate]:
    """Every line, from `skip` on, that starts with a rank in a recognised style."""
    candidates = []
    digit = DIGIT_RE.search
    for index in range(skip, len(lines)):
        text = lines[index].text
        if not digit(text, 0, 60):
            continue
        candidate = match_rank_line(text, index)
        if candidate:
            candidates.append(candidate)
    return candidates


def match_rank_line(text: str, index: int = 0) -> Candidate | None:
    """Read a rank and what follows it from one line, or None when it is no entry line."""
    if text.lstrip().startswith("|"):
        return _table_row(text, index)
    match = RANK_LINE_RE.match(text)
    if not match:
        return None
    heading, opened, label, prefix, sep, gap, title = match.group(
        "heading", "open", "label", "prefix", "sep", "gap", "title")
    title = title.rstrip()
    if label and not (prefix or (sep and sep.strip() in (":", ".", ")"))):
        return None  # "Top 10 Movies" is a headline, "Chapter 3: …" or "Mistake #3" a label
    if label and (len(label) > 30 or label[0].islower()):
        return None
    has_marker = bool(prefix or sep or heading or opened)
    title_clean = title.strip("*_ \t")
    if not title_clean:
        if not (prefix or (sep and sep.strip() in (".", ")"))) and not heading:
            return None
    elif not has_marker and len(gap) < 2:
        return None  # "2019 was a great year", "28 Days Later is…"
    elif sep and not gap and not match.group("close") and title[:1] not in ("*", "_", "[") \
            and not (sep.strip() in (".", ")") and title[:1].isupper()):
        return None  # "1.5x", "3:2"; but "1.Title", typed without its space, is an entry
    rank = int(match.group("rank"))
    sep_kind = (sep or "").strip().replace("\\", "")
    if sep_kind in ("–", "—"):
        sep_kind = "-"
    style = (  # bold is no part of a style: lists bold some entries and not others
        len((heading or "").strip()),
        (prefix or "").strip()[:1].lower(),
        bool(match.group("bullet")),  # "- 1. Title" in a bulleted table of contents
        sep_kind or ("gap" if len(gap) >= 2 else ""),
        (label or "").lower(),
        not title_clean,
    )
    return Candidate(
        index=index,
        rank=rank,
        rank_text=text[match.start("prefix") if prefix else match.start("rank"):
                       match.end("sep") if sep else match.end("rank")],
        style=style,
        title_start=match.start("title"),
        title_part=title,
        heading_level=len((heading or "").strip()),
        rank_only=not title_clean,
    )


def _table_row(text: str, index: int) -> Candidate | None:
    """`| 1 | Final Fantasy VI | 1994 | SNES |`: a ranked table row (HTML or Markdown)."""
    match = TABLE_ROW_RE.match(text)
    if not match:
        return None
    columns = text.strip().strip("|").count("|") + 1
    return Candidate(index=index, rank=int(match.group("rank")), rank_text=match.group("rank"),
                     style=("table", columns), title_start=match.start("title"),
                     title_part=match.group("title"), heading_level=0, rank_only=False)


def ranked_chains(candidates: list[Candidate], lines: list[Line], expected: int | None) -> list[list[Candidate]]:
    """Every chain of two or more same-style candidates, the most list-like first.

    The first is the document's list; the others are reported as warnings
    (a second list, a table of contents, numbered notes).
    """
    by_style: dict[tuple, list[Candidate]] = {}
    for candidate in candidates:
        by_style.setdefault(candidate.style, []).append(candidate)
    chains: dict[tuple[int, ...], list[Candidate]] = {}
    for group in by_style.values():
        for chain in (_longest_chain(group, 1), _longest_chain(group, -1)):
            if len(chain) >= 2:
                chains[tuple(c.index for c in chain)] = chain
    for chain in _stitched(list(chains.values())):
        chains[tuple(c.index for c in chain)] = chain
    scored = [(_chain_score(chain, lines, expected), chain[0].index, chain) for chain in chains.values()]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [chain for _, _, chain in scored]


def _stitched(chains: list[list[Candidate]]) -> list[list[Candidate]]:
    """Chains of different styles that continue each other ("1.–3." as h2, then "4.–7." as h3)."""
    found: list[list[Candidate]] = []
    current = chains
    for _ in range(4):  # a list rarely changes its dress more than a few times
        joined = []
        for a in current:
            step = 1 if a[-1].rank > a[0].rank else -1
            for b in chains:
                if b[0].index > a[-1].index and b[0].rank == a[-1].rank + step and \
                        (b[-1].rank - b[0].rank) * step > 0:
                    joined.append(a + b)
        if not joined:
            break
        found.extend(joined)
        current = joined
    return found


def headline_number(headline: str | None) -> int | None:
    """The count a headline promises ("20 Best Heartbreaking Anime" → 20)."""
    if not headline:
        return None
    match = HEADLINE_NUMBER_RE.search(headline)
    if match and 2 <= int(match.group(1)) <= 1000:
        return int(match.group(1))
    return None


def _longest_chain(group: list[Candidate], step: int) -> list[Candidate]:
    """Longest run in document order whose ranks move by `step` (one gap allowed per hop)."""
    # best[rank] = (score, position) of the best chain so far ending at that rank.
    best: dict[int, tuple[float, int]] = {}
    previous: list[int | None] = [None] * len(group)
    scores: list[float] = [0.0] * len(group)
    for position, candidate in enumerate(group):
        score, link = 1.0, None
        for distance in range(1, MAX_RANK_GAP + 1):
            found = best.get(candidate.rank - step * distance)
            if found and found[0] + 1.0 - 0.6 * (distance - 1) >= score:
                score, link = found[0] + 1.0 - 0.6 * (distance - 1), found[1]
        scores[position], previous[position] = score, link
        if score >= best.get(candidate.rank, (0.0, -1))[0]:
            best[candidate.rank] = (score, position)
    if not group:
        return []
    end = max(range(len(group)), key=lambda position: (scores[position], position))
    chain = []
    cursor: int | None = end
    while cursor is not None:
        chain.append(group[cursor])
        cursor = previous[cursor]
    return chain[::-1]


def _chain_score(chain: list[Candidate], lines: list[Line], expected: int | None) -> float:
    ranks = [candidate.rank for candidate in chain]
    score = float(len(chain))
    score -= 0.6 * sum(abs(b - a) - 1 for a, b in zip(ranks, ranks[1:], strict=False))
    if 1 in ranks:
        score += 0.5
    if expected and len(chain) == expected:
        score += 1.0
    with_text = sum(
        1 for a, b in zip(chain, chain[1:], strict=False)
        if any(line.text.strip() for line in lines[a.index + 1:b.index])
    )
    score += with_text / len(chain)
    if chain[0].heading_level:
        score += 0.25
    return score
