"""Work ids: readable slugs from each work's naming facts, kept across re-ingests for the works that persist.

A fresh run names every work by `assign_ids`, from its naming facts alone
(title, year, kind, first source, first rank). With a previous run,
`work_ids` first carries the previous ids over:

- A new work W and a previous work X *persist* into each other when they
  share more than half of X's appearances or more than half of W's (an
  appearance is keyed by its source and its title as printed, see `previous`).
- Persisting pairs are matched one to one, most shared appearances first;
  ties go to the smaller old id, then to the new work printed first (first
  source, first rank). The new work takes the old work's id.
- A split (X persists into W1 and W2): the part sharing most keeps X's id;
  the others get fresh ids and list X in `previous_ids`.
- A merge (X and Y persist into W): W keeps the id of the one sharing most
  and lists the other in `previous_ids`.
- `previous_ids` also carry the earlier ids of the old works a work persists
  from, so a re-ingest of the same inputs keeps them, and a join made two runs
  ago still finds its work.
- A fresh id is never one the previous run had, as an id or in `previous_ids`.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .models import FieldValue

if TYPE_CHECKING:
    from .previous import PreviousRun

log = logging.getLogger(__name__)

SLUG_RE = re.compile(r"[^a-z0-9]+")
Naming = tuple[str, FieldValue, FieldValue, str, int]  # (title, year, kind, first source, first rank)


@dataclass(frozen=True, slots=True)
class Lineage:
    """What a new work shares with the previous run: its appearances, and (old work, shared) pairs."""

    size: int
    shares: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Ids:
    """Each work's id (by work number), the previous ids of those that have some, and what was carried."""

    ids: list[str]
    previous_ids: dict[int, list[str]] = field(default_factory=dict)
    carried: int = 0  # works that kept an id of the previous run
    retired: int = 0  # previous ids no work kept


def slugify(text: str) -> str:
    """A lower-case ASCII slug ("Steins;Gate" → "steins-gate")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = SLUG_RE.sub("-", ascii_text.lower()).strip("-")
    if not slug and text.strip() and not any(ch.isalnum() for ch in text):
        # Symbols alone ("÷", "🎉") are named by their Unicode names: "division-sign", "party-popper".
        names = (unicodedata.name(ch, f"u{ord(ch):04x}") for ch in text if not ch.isspace())
        slug = SLUG_RE.sub("-", " ".join(names).lower()).strip("-")
    return slug or "untitled"


def assign_ids(works: list[Naming], kept: dict[int, str] | None = None, reserved: Set[str] = frozenset()) -> list[str]:
    """Readable ids from (title, year, kind, first source, first rank): the slug of the title, then its
    year or kind, then a counter where names collide.

    `kept`: works whose id is decided already (carried from a previous run); `reserved`: ids no other
    work may get. A counter never makes an id another work has (a "Foo" beside a "Foo 2").
    """
    kept = kept or {}
    base = [slugify(title) for title, *_ in works]
    counts: dict[str, int] = defaultdict(int)
    for slug in base:
        counts[slug] += 1
    ids = []
    for (_, year, kind, _, _), slug in zip(works, base, strict=True):
        if counts[slug] > 1:
            if isinstance(year, int):
                slug = f"{slug}-{year}"
            elif isinstance(kind, str):
                slug = f"{slug}-{slugify(kind)}"
        ids.append(slug)
    final = [kept.get(index, "") for index in range(len(works))]
    fresh = [index for index in range(len(works)) if index not in kept]
    natural = {ids[index] for index in fresh}
    taken = set(reserved) | set(kept.values())
    for index in sorted(fresh, key=lambda i: (ids[i], works[i][3], works[i][4])):
        candidate, number = ids[index], 1
        while candidate in taken or (number > 1 and candidate in natural):
            number += 1
            candidate = f"{ids[index]}-{number}"
        taken.add(candidate)
        final[index] = candidate
    return final


def work_ids(naming: list[Naming], lineage: list[Lineage] | None = None,
             previous: PreviousRun | None = None) -> Ids:
    """Every work's id: carried from `previous` where the work persists (module docstring), else fresh."""
    if previous is None or lineage is None:
        return Ids(assign_ids(naming))
    persisting = [(shared, old, new) for new, facts in enumerate(lineage) for old, shared in facts.shares
                  if 2 * shared > previous.sizes[old] or 2 * shared > facts.size]
    kept: dict[int, str] = {}
    taken: set[int] = set()
    for _, old, new in sorted(persisting, key=lambda pair: (-pair[0], previous.ids[pair[1]],
                                                            naming[pair[2]][3], naming[pair[2]][4])):
        if new not in kept and old not in taken:
            kept[new] = previous.ids[old]
            taken.add(old)
    ids = assign_ids(naming, kept, previous.reserved())
    earlier: dict[int, set[str]] = defaultdict(set)
    for _, old, new in persisting:
        earlier[new].update((previous.ids[old], *previous.lineage[old]))
    previous_ids = {new: sorted(names - {ids[new]}) for new, names in earlier.items() if names - {ids[new]}}
    return Ids(ids, previous_ids, len(kept), len(previous.ids) - len(taken))


def log_carried(ids: Ids, previous: PreviousRun | None) -> None:
    if previous is not None:
        log.info("ids: %d carried over from the previous run's %s, %d fresh, %d previous id(s) retired",
                 ids.carried, previous.file, len(ids.ids) - ids.carried, ids.retired)
