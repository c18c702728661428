"""Choose the ranked list among a page's numbered lines.

Many lines of a page start with a number: the headline ("10 Sad Anime…"),
numbered notes, a table of contents, years, related links. The real list is
the longest chain of lines *of one style* whose ranks step by one, up or down,
in document order; ties (`=85` twice where places 86 and 85 are shared) and a
missing rank are tolerated. Chains of different styles that continue each
other are stitched (a list that changes its dress half-way), and sub-lists
that each count from 1 are joined when the headline promises their total
("Top 10" as "The 5 best" + "The 5 worst"). Ties go to the chain whose
entries carry text of their own (a table of contents repeats the titles with
nothing between them). Each chain keeps the reasons for its score, so
`inspect` can say why a list was chosen.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import Final

from .ranks import Candidate, match_rank_line
from .read import Line

# A count, not 1,000, 4.5, 74%, 23/24 nor an ordinal ("nach dem 10. Spieltag").
HEADLINE_NUMBER_RE: Final = re.compile(r"(?<![\d.,/])(\d{1,4})(?![\d%]|[.,/]\d|\.\s)")
WORD_NUMBERS: Final = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                       "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "fifty": 50, "hundred": 100}
WORD_NUMBER_RE: Final = re.compile(r"\b(" + "|".join(WORD_NUMBERS) + r")\b", re.IGNORECASE)
HEADING_LEVEL_RE: Final = re.compile(r"^\s{0,3}(#{1,6})\s")
STRUCK_RE: Final = re.compile(r"^\s*~~|<(?:del|s|strike)\b")  # a struck-through entry is retracted
MAX_RANK_GAP: Final = 2  # a missing rank ("1 … 5, 7") is tolerated, never two
MAX_CHAINS: Final = 300  # chains kept for stitching: enough for any page, bounded for hostile ones
CHAINS_PER_STYLE: Final = 4  # the list, its table of contents, notes, a related box: in one style
# "And the number one reason why … is…": the lead-in to a winner printed without its number.
FINALE_RE: Final = re.compile(r"\b(?:number|no\.|nummer|número|numéro)[ \t]+(?:one|1|eins|uno|un)\b|(?<!\w)#1\b",
                              re.IGNORECASE)
FINALE_REACH: Final = 12  # lines after the last numbered entry the lead-in may be


@dataclass(slots=True)
class Chain:
    """A run of candidates that reads as one list, its score and why."""

    entries: list[Candidate]
    segments: list[int] = field(default_factory=list)  # where joined sub-lists start (positions)
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)

    @property
    def indexes(self) -> tuple[int, ...]:
        return tuple(candidate.index for candidate in self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def headline_number(headline: str | None) -> int | None:
    """The count a headline promises ("20 Best Heartbreaking Anime" → 20, "Top Ten Games" → 10)."""
    if not headline:
        return None
    for match in HEADLINE_NUMBER_RE.finditer(headline):
        if 2 <= int(match.group(1)) <= 1000 and not 1800 <= int(match.group(1)) <= 2100:
            return int(match.group(1))  # "Bilan 2023 : notre top 10" promises 10, not 2023
    word = WORD_NUMBER_RE.search(headline)
    return WORD_NUMBERS[word.group(1).lower()] if word else None


def ranked_chains(candidates: list[Candidate], lines: list[Line], expected: int | None) -> list[Chain]:
    """Every chain of two or more same-style candidates, the most list-like first.

    The first is the document's list; the others are reported as warnings
    (a second list, a table of contents, numbered notes).
    """
    chains: dict[tuple[int, ...], Chain] = {}
    for group in _style_groups(candidates).values():
        for step in (1, -1):
            for entries in _chains_of(group, step):
                chains.setdefault(tuple(c.index for c in entries), Chain(entries))
        for joined in _joined_sub_lists(group, lines, expected):
            chains.setdefault(joined.indexes, joined)
    found = sorted(chains.values(), key=lambda chain: (-len(chain), chain.entries[0].index))[:MAX_CHAINS]
    for chain in _stitched(found):
        chains.setdefault(chain.indexes, chain)
    for chain in chains.values():
        _score(chain, lines, expected)
    return sorted(chains.values(), key=lambda chain: (-chain.score, chain.entries[0].index))


def with_uniform_members(chain: Chain, candidates: list[Candidate]) -> Chain:
    """Add the rank badges a card list prints out of sequence ("5, 6, 5, 6"): when every entry is a
    number alone in its own block, every such block between the first and the last is an entry."""
    if not all(candidate.rank_only for candidate in chain.entries):
        return chain
    first, last = chain.entries[0].index, chain.entries[-1].index
    style = chain.entries[0].style
    chosen = set(chain.indexes)
    extra = [c for c in candidates if first < c.index < last and c.style == style and c.index not in chosen]
    if not extra:
        return chain
    entries = sorted([*chain.entries, *extra], key=lambda candidate: candidate.index)
    reasons = [*chain.reasons, f"{len(extra)} more number badge(s) of the same kind between its entries "
                               "taken as printed, out of sequence"]
    return Chain(entries, chain.segments, chain.score, reasons)


def with_gaps_filled(chain: Chain, candidates: list[Candidate]) -> Chain:
    """A rank missing from the list but printed in its place in another dress (an <h1> among <h2>s, a
    bullet more) is the list's: the same rank, prefix and separator, between its neighbours.
    `candidates` are in document order, as `find_candidates` gives them."""
    entries = chain.entries
    if len(entries) < 3 or entries[0].style[0] == "table":
        return chain
    filled: list[Candidate] = [entries[0]]
    added = repeated = 0
    indexes = [candidate.index for candidate in candidates]
    for before, after in zip(entries, entries[1:], strict=False):
        between = candidates[bisect_right(indexes, before.index):bisect_left(indexes, after.index)]
        if abs(after.rank - before.rank) == 2:
            wanted = (before.rank + after.rank) // 2
            fit = next((c for c in between if c.rank == wanted and _dressed_alike(c.style, before.style)), None)
            if fit is not None:
                filled.append(fit)
                added += 1
        elif abs(after.rank - before.rank) <= 2:
            # A number printed twice ("5. tqdm", "5. Loguru"): both are entries, as printed.
            twins = [c for c in between if c.style == before.style and c.rank in (before.rank, after.rank)
                     and not STRUCK_RE.search(c.title_part)]
            if len(twins) == 1:
                filled.append(twins[0])
                repeated += 1
        filled.append(after)
    if not added and not repeated:
        return chain
    reasons = [reason for reason in chain.reasons if "missing from the sequence" not in reason or not added]
    if added:
        reasons.append(f"{added} rank(s) printed in another dress (another heading level or a bullet) in their place")
    if repeated:
        reasons.append(f"{repeated} rank(s) printed twice, taken as printed, out of sequence")
    return Chain(filled, chain.segments, chain.score, reasons)


def _dressed_alike(style: tuple, other: tuple) -> bool:
    """Styles that differ only in heading level or a bullet."""
    return len(style) == len(other) and style[1] == other[1] and style[3:] == other[3:]


def with_unnumbered_finale(chain: Chain, lines: list[Line]) -> Chain:
    """A countdown that stops at 2 and then says "And the number one reason is..." prints its winner
    without a number: the paragraph after that lead-in is rank 1."""
    entries = chain.entries
    if len(entries) < 3 or entries[-1].rank != 2 or entries[0].rank < entries[-1].rank:
        return chain
    last = entries[-1].index
    for index in range(last + 1, min(len(lines), last + FINALE_REACH)):
        if not FINALE_RE.search(lines[index].text):
            continue
        following = next((i for i in range(index + 1, min(len(lines), index + 4)) if lines[i].text.strip()), None)
        if following is None or match_rank_line(lines[following].text):
            return chain
        text = lines[following].text
        indent = len(text) - len(text.lstrip())
        winner = Candidate(index=following, rank=1, rank_text="", style=entries[-1].style, title_start=indent,
                           title_part=text.strip(), heading_level=0, rank_only=False)
        reasons = [*chain.reasons, f"rank 1 printed without its number, after the lead-in on line "
                                   f"{lines[index].number}"]
        return Chain([*entries, winner], chain.segments, chain.score, reasons)
    return chain


def _style_groups(candidates: list[Candidate]) -> dict[tuple, list[Candidate]]:
    """Candidates by style; a tie (`=85`) joins every group it would belong to but for its prefix."""
    groups: dict[tuple, list[Candidate]] = {}
    for candidate in candidates:
        groups.setdefault(candidate.style, []).append(candidate)
    ties = [candidate for candidate in candidates if candidate.tie]
    for style, group in groups.items():
        if len(style) < 7:
            continue
        mates = [tie for tie in ties if tie.style != style and tie.style[0] == style[0] and tie.style[2:] == style[2:]]
        if mates:
            group.extend(mates)
            group.sort(key=lambda candidate: candidate.index)
    return groups


def _chains_of(group: list[Candidate], step: int) -> list[list[Candidate]]:
    """The longest chains of one style, one after another: a table of contents or numbered notes in
    the list's own style make chains of their own, and the best of them is chosen by its score."""
    found = []
    remaining = group
    for _ in range(CHAINS_PER_STYLE):
        chain = _longest_chain(remaining, step)
        if len(chain) < 2:
            break
        found.append(chain)
        taken = {candidate.index for candidate in chain}
        remaining = [candidate for candidate in remaining if candidate.index not in taken]
    return found


def _longest_chain(group: list[Candidate], step: int) -> list[Candidate]:
    """Longest run in document order whose ranks move by `step`, ties and one missing rank allowed."""
    tied: dict[int, int] = {}  # rank -> how many tie there; a dict, as most groups have no tie to count
    for candidate in group:
        if candidate.tie:
            tied[candidate.rank] = tied.get(candidate.rank, 0) + 1
    reach = MAX_RANK_GAP + 1 + 2 * max(tied.values(), default=0)  # ties let a link span more ranks
    best: dict[int, tuple[float, int]] = {}  # rank -> (score, position) of the best chain ending there
    previous: list[int | None] = [None] * len(group)
    end, end_score = -1, 0.0  # the best chain's last position: the highest score, the later of equals
    for position, candidate in enumerate(group):
        score, link = 1.0, None
        if candidate.tie:
            found = best.get(candidate.rank)
            if found and found[0] + 1.0 >= score:  # tied with the entry before it
                score, link = found[0] + 1.0, found[1]
        for distance in range(1, reach):
            found = best.get(candidate.rank - step * distance)
            if not found:
                continue
            missing = _missing(group[found[1]], candidate, tied) if tied else distance - 1  # none shared
            if missing >= MAX_RANK_GAP:
                continue
            linked = found[0] + 1.0 - 0.6 * missing
            if linked >= score:
                score, link = linked, found[1]
        previous[position] = link
        if score >= best.get(candidate.rank, (0.0, -1))[0]:
            best[candidate.rank] = (score, position)
        if score >= end_score:
            end, end_score = position, score
    if not group:
        return []
    chain = []
    cursor: int | None = end
    while cursor is not None:
        chain.append(group[cursor])
        cursor = previous[cursor]
    return chain[::-1]


def _missing(before: Candidate, after: Candidate, tied: dict[int, int]) -> int:
    """Ranks skipped between two consecutive entries, not counting places that ties share."""
    distance = abs(after.rank - before.rank)
    if distance == 0:
        return 0 if before.tie or after.tie else 1
    # `get`, not `tied[rank]`: a Counter looks up a rank it lacks through a Python call
    free = 1 + max(tied.get(before.rank, 0) - 1, 0) + max(tied.get(after.rank, 0) - 1, 0)
    return max(distance - free, 0)


def _missing_untied(before: Candidate, after: Candidate, tied: dict[int, int]) -> int:
    """`_missing` for a chain without ties (`tied` empty): a repeated rank is one missing, no place is shared."""
    distance = abs(after.rank - before.rank)
    return distance - 1 if distance else 1


def _joined_sub_lists(group: list[Candidate], lines: list[Line], expected: int | None) -> list[Chain]:
    """Sub-lists of one style that each count from the same rank, each under its own heading, whose
    total is what the headline promises: one list in document order."""
    if not expected:
        return []
    runs: list[list[Candidate]] = []
    for candidate in group:
        if runs and _continues(runs[-1], candidate):
            runs[-1].append(candidate)
        else:
            runs.append([candidate])
    found = []
    for start in range(len(runs)):
        total = 0
        members: list[Candidate] = []
        segments: list[int] = []
        for run in runs[start:]:
            if len(run) < 2 or run[0].rank != runs[start][0].rank:
                break
            if members and not _heading_between(lines, members[-1], run[0]):
                break
            segments.append(len(members))
            members.extend(run)
            total += len(run)
            if total == expected and len(segments) > 1:
                chain = Chain(list(members), list(segments))
                chain.reasons.append(f"{len(segments)} sub-lists under their own headings, each counting from "
                                     f"{run[0].rank}, together the {expected} the headline promises")
                found.append(chain)
            if total >= expected:
                break
    return found


def _continues(run: list[Candidate], candidate: Candidate) -> bool:
    last = run[-1]
    if len(run) == 1:
        return abs(candidate.rank - last.rank) == 1
    step = 1 if run[-1].rank > run[0].rank else -1
    return candidate.rank == last.rank + step


def _heading_between(lines: list[Line], before: Candidate, after: Candidate) -> bool:
    """A heading more prominent than the entries sits between two candidates: a Markdown or HTML heading
    of a higher level, or in plain text a short line in capitals or underlined, set apart by blank lines."""
    level = before.heading_level or 7
    for index in range(before.index + 1, after.index):
        text = lines[index].text
        heading = HEADING_LEVEL_RE.match(text)
        if heading and len(heading.group(1)) < level:
            return True
        if not before.heading_level and _plain_heading(lines, index):
            return True
    return False


def _plain_heading(lines: list[Line], index: int) -> bool:
    text = lines[index].text.strip()
    if not 3 <= len(text) <= 80 or text.endswith((".", ",", ";", ":")):
        return False
    following = lines[index + 1].text.strip() if index + 1 < len(lines) else ""
    if following and set(following) <= set("=-~") and len(following) >= 3:
        return True  # setext: the line under it is a rule
    apart = (index == 0 or not lines[index - 1].text.strip()) and not following
    letters = [ch for ch in text if ch.isalpha()]
    return apart and len(letters) >= 3 and all(ch.isupper() for ch in letters)


def _stitched(chains: list[Chain]) -> list[Chain]:
    """Chains of different styles that continue each other ("1.–3." as h2, then "4.–7." as h3).

    The longest path through chains that follow one another in the document
    and in rank; linear in the chains kept for each, so never exponential.
    """
    ordered = sorted(chains, key=lambda chain: chain.entries[0].index)
    best: list[tuple[int, int | None]] = []  # (entries on the best path ending here, previous chain)
    for position, chain in enumerate(ordered):
        length, link = len(chain), None
        for earlier in range(position):
            before = ordered[earlier]
            if _follows(before, chain) and best[earlier][0] + len(chain) > length:
                length, link = best[earlier][0] + len(chain), earlier
        best.append((length, link))
    stitched = []
    for position, (_, link) in enumerate(best):
        if link is None:
            continue
        path: list[Chain] = []
        cursor: int | None = position
        while cursor is not None:
            path.append(ordered[cursor])
            cursor = best[cursor][1]
        path.reverse()
        entries = [candidate for part in path for candidate in part.entries]
        chain = Chain(entries)
        chain.reasons.append(f"{len(path)} runs in different styles that continue each other's ranks")
        stitched.append(chain)
    return stitched


def _follows(before: Chain, after: Chain) -> bool:
    a, b = before.entries, after.entries
    if b[0].index <= a[-1].index or before.segments or after.segments:
        return False
    step = 1 if a[-1].rank > a[0].rank else -1
    return b[0].rank == a[-1].rank + step and (b[-1].rank - b[0].rank) * step > 0


def _score(chain: Chain, lines: list[Line], expected: int | None) -> None:
    entries = chain.entries
    tied = Counter(candidate.rank for candidate in entries if candidate.tie)
    bounds = [*chain.segments, len(entries)] if chain.segments else [0, len(entries)]
    missing_between = _missing if tied else _missing_untied
    missing = sum(missing_between(a, b, tied) for start, end in zip(bounds, bounds[1:], strict=False)
                  for a, b in zip(entries[start:end], entries[start + 1:end], strict=False))
    score = float(len(entries)) - 0.6 * missing
    reasons = [f"{len(entries)} entries of one style ({_describe_style(entries[0])})"]
    if missing:
        reasons.append(f"{missing} rank(s) missing from the sequence")
    if tied:
        reasons.append(f"{sum(tied.values())} tied entries")
    if any(candidate.rank == 1 for candidate in entries):
        score += 0.5
        reasons.append("counts to or from 1")
    if expected and len(entries) == expected:
        score += 1.0
        reasons.append(f"as many entries as the headline promises ({expected})")
    with_text = sum(1 for a, b in zip(entries, entries[1:], strict=False)
                    if any(line.text.strip() for line in lines[a.index + 1:b.index]))
    score += with_text / len(entries)
    if with_text * 2 < len(entries) and entries[0].style[0] != "table":
        reasons.append("entries carry little text of their own (a table of contents?)")
    if entries[0].heading_level:
        score += 0.25
        reasons.append(f"entries are level-{entries[0].heading_level} headings")
    chain.score = round(score, 3)
    chain.reasons = reasons + chain.reasons


def _describe_style(candidate: Candidate) -> str:
    style = candidate.style
    if style[0] == "table":
        return "ranked table rows"
    if style[0] == "trailing":
        return "rank after the title"
    return f"'{candidate.rank_text.strip()}'" + (" alone on its line" if candidate.rank_only else "")
