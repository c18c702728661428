"""How much to trust one document's parse: a score between 0 and 1 and the reasons that lowered it.

Users review documents from the least confident up, so the score only counts
what signals a misread: ranks missing from the sequence, a headline that
promises another count, another list that scores nearly as well, titles that
still carry data or read as sentences, a ranked table with a second column
of names, a list found only once the page was rendered whole. Each reason
says what was seen; none is a guess about the article's quality.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Final

from .chains import Chain
from .labels import FIELDS, field_name
from .models import Entry
from .template import Template

TRAILING_DATA_RE: Final = re.compile(r"\((?:[^()]*\d[^()]*)\)\s*$|\s[-–—|]\s*\S+\s*$")  # "(28 Pkt)", " - NY" left in
TRAILING_DATA_MARKS: Final = "-–—|"  # one of them, or a closing parenthesis, is in all TRAILING_DATA_RE finds
NOT_ALNUM_RE: Final = re.compile(r"[\W_]+")
RIVAL_SHARE: Final = 0.8  # another list scoring this share of the chosen one's score is a real rival
LONG_TITLE_WORDS: Final = 14


def assess(chosen: Chain, others: list[Chain], template: Template, entries: list[Entry],
           expected: int | None, table_rivals: int = 0) -> tuple[float, list[str]]:
    """The document's confidence and, one by one, the reasons that lowered it."""
    penalties: list[tuple[float, str]] = []
    missing = _missing_ranks(chosen)
    if missing:
        penalties.append((min(0.3, 0.1 * missing), f"{missing} rank(s) missing from the sequence"))
    if expected and expected != len(entries) and not _promise_kept_in_parts(chosen, expected):
        penalties.append((0.15, f"the headline promises {expected}, the list has {len(entries)}"))
    rival = _rival(chosen, others)
    if rival is not None:
        penalties.append((0.25, f"another list of {len(rival)} scores nearly as well (from line index "
                                f"{rival.entries[0].index})"))
    if len(entries) == 2:
        penalties.append((0.2, "only two entries"))
    long_titles = sum(1 for entry in entries if len(entry.title_raw.split()) > LONG_TITLE_WORDS)
    if long_titles * 2 > len(entries):
        penalties.append((0.1, f"{long_titles} of {len(entries)} titles read as sentences"))
    leftover = sum(1 for entry in entries if _ends_in_data(entry.title_raw))
    if leftover and leftover * 4 >= len(entries):
        penalties.append((0.15, f"{leftover} title(s) still end in data the template did not split off"))
    duplicates = sum(count - 1 for count in Counter(entry.title_raw.casefold() for entry in entries).values())
    if duplicates:
        penalties.append((0.1, f"{duplicates} title(s) repeat within the list"))
    if table_rivals:
        penalties.append((0.3, f"the ranked table has {table_rivals} other column(s) of names; the first was "
                               "taken as the title"))
    if any("out of sequence" in reason for reason in chosen.reasons):
        penalties.append((0.1, "entries taken out of sequence"))
    if any("without its number" in reason for reason in chosen.reasons):
        penalties.append((0.1, "rank 1 inferred from a lead-in line"))
    if any("nothing says which side" in reason or ("are part of the name" in reason and template.lead is None)
           for reason in template.reasons):
        penalties.append((0.1, "most titles print a separator that was left in them (it may set off data)"))
    misfits = _lead_misfits(template, entries)
    if misfits and template.lead is not None:
        penalties.append((min(0.2, 0.1 * misfits), f"{misfits} title(s) do not print the list's "
                                                  f"'{template.lead.sep.strip()}' (they may hold the creator)"))
    score = max(0.0, 1.0 - sum(penalty for penalty, _ in penalties))
    return round(score, 2), [f"{reason} (−{penalty:.2f})" for penalty, reason in penalties]


def lowered(confidence: float | None, penalty: float, reason: str,
            reasons: list[str]) -> tuple[float | None, list[str]]:
    """A confidence lowered by one more reason (from a stage after parsing)."""
    if confidence is None:
        return None, reasons
    return round(max(0.0, confidence - penalty), 2), [*reasons, f"{reason} (−{penalty:.2f})"]


def _lead_misfits(template: Template, entries: list[Entry]) -> int:
    """Entries without the separator the other entries split their heads at."""
    lead = template.lead
    if lead is None:
        return 0
    name = field_name(lead.label) if lead.label not in FIELDS else lead.label
    split = {field.name for entry in entries for field in entry.fields}
    return sum(1 for entry in entries if name in split and not any(f.name == name for f in entry.fields))


def _ends_in_data(title: str) -> bool:
    """Whether TRAILING_DATA_RE finds data at the end of a title. Most titles hold neither a dash nor a bar
    and end in no parenthesis: told so without the search, which tries both readings at every character."""
    if not (title.rstrip().endswith(")") or any(mark in title for mark in TRAILING_DATA_MARKS)):
        return False
    return TRAILING_DATA_RE.search(title) is not None


def _missing_ranks(chain: Chain) -> int:
    for reason in chain.reasons:
        if "rank(s) missing from the sequence" in reason:
            return int(reason.split()[0])
    return 0


def _promise_kept_in_parts(chain: Chain, expected: int) -> bool:
    """A two-part article ("Part 1": #20-#11) keeps a promise of 20 with ten."""
    ranks = [candidate.rank for candidate in chain.entries]
    return max(ranks) == expected or len(chain.segments) > 1


def _rival(chosen: Chain, others: list[Chain]) -> Chain | None:
    """The best other list sharing no line with the chosen one, when it scores nearly as well; a table
    of contents (the same titles again) is no rival."""
    taken = set(chosen.indexes)
    titles: set[str] | None = None  # keyed only once some list is worth comparing: most documents have none
    for other in others:
        if len(other) < 3 or other.score < RIVAL_SHARE * chosen.score or taken & set(other.indexes):
            continue
        if titles is None:
            titles = {_key(candidate.title_part) for candidate in chosen.entries}
        repeated = sum(1 for candidate in other.entries if _key(candidate.title_part) in titles)
        if repeated * 2 < len(other):
            return other
    return None


def _key(title: str) -> str:
    return NOT_ALNUM_RE.sub("", title.casefold())


def table_rival_columns(rows: list[str]) -> int:
    """In a ranked table, the other columns that hold names as the title column does (an official and a
    corrected table side by side): each is a list the title could have come from."""
    cells = [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in rows]
    if len(cells) < 3 or min(len(row) for row in cells) < 3:
        return 0
    rivals = 0
    for position in range(2, min(len(row) for row in cells)):
        column = [row[position] for row in cells]
        named = [cell for cell in column if cell and sum(ch.isalpha() for ch in cell) * 2 > len(cell)]
        if len(named) * 10 >= 8 * len(column) and len(set(named)) * 10 >= 8 * len(named):
            rivals += 1
    return rivals
