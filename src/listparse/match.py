"""Which entries are the same work: keys, blocking, and the rules that join titles.

Entries with the same title key (case, punctuation and accents ignored) and
compatible years start as one group. Groups are then compared only within
blocks, each holding the groups one rule could join (titles alike but for a
word or two, a word and its one-letter slips, a title and its endings, a main
title and its subtitled forms, an alias and the titles it abbreviates), so
the cost grows with the number of titles, not its square. Two groups join
when a named rule says they are the same work and nothing says they are not:
years more than a year apart, different kinds, different numbers ("28 Days"
/ "28 Weeks", "Final Fantasy IX" / "X"), a sequel subtitle ("Clannad" /
"Clannad: After Story"), or the user's aliases file. Candidate pairs are
decided in a fixed order, so the result does not depend on input order.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING

from rapidfuzz.distance import OSA

from .keys import title_key, title_tokens

if TYPE_CHECKING:
    from .aliases import Aliases
    from .catalogue import Catalogue, CatalogueEntry

ROMAN_RE = re.compile(r"^(?=[ivxlc]{2,}$)c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$")
SEQUEL_WORDS = frozenset(
    "after season seasons part chapter episode movie film returns zero origins begins rebirth revival final "
    "second third fourth 2nd 3rd 4th sequel continues again ova special specials recap reloaded "
    "resurrection brotherhood shippuden kai next prologue epilogue arc "
    "cut edition remastered remaster redux definitive".split())  # another version is another work
MAX_BLOCK = 400  # a block this large is a common word, not evidence
# Blocking keys grow with the square of a title's words (or of a word's letters): beyond these, a title is
# not a typo's twin, nor a word an alias's spelling, and only its bounded keys are made.
MAX_BLOCKING_WORDS = 24
MAX_BLOCKING_WORD = 64
YEAR_TOLERANCE = 1


@dataclass(slots=True)
class Variant:
    """One printed title with its year and kind: all the matcher needs of every entry that prints it.

    Entries are folded into variants as they arrive, so clustering costs
    memory in proportion to distinct titles, not to entries.
    """

    id: int
    title: str
    year: int | None
    kind: str | None
    first_source: str  # its first appearance in source order: document, and entry index in it
    first_index: int
    count: int = 1

    @property
    def first(self) -> tuple[str, int]:
        return self.first_source, self.first_index


@dataclass(slots=True)
class Group:
    """Variants that share a title key and compatible years and kinds."""

    key: str
    variants: list[Variant]
    # Described once grouped (`describe`); tuples of interned words, as there are as many groups as titles.
    tokens: tuple[str, ...] = ()
    main: tuple[str, ...] = ()  # tokens before the first colon
    subtitle: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    kinds: tuple[str, ...] = ()
    catalogue: CatalogueEntry | None = None
    forced: str | None = None  # canonical title from the aliases file


@dataclass(slots=True)
class Cluster:
    """Groups found to be one work, and the rules that joined them."""

    groups: list[Group]
    reasons: set[str]


class Variants:
    """The distinct (title, year, kind) variants of a batch, each with an id, filled entry by entry."""

    def __init__(self) -> None:
        self.by_facts: dict[tuple[str, int | None, str | None], Variant] = {}
        self.all: list[Variant] = []

    def add(self, source: str, index: int, title: str, year: int | None, kind: str | None) -> int:
        """Count one entry; return its variant's id."""
        facts = (title, year, kind)
        variant = self.by_facts.get(facts)
        if variant is None:
            variant = Variant(len(self.all), title, year, kind, source, index, 0)
            self.by_facts[facts] = variant
            self.all.append(variant)
        elif (source, index) < variant.first:
            variant.first_source, variant.first_index = source, index
        variant.count += 1
        return variant.id


def cluster_variants(variants: list[Variant], catalogue: Catalogue | None = None,
                     aliases: Aliases | None = None) -> list[Cluster]:
    """Partition title variants (and so the entries that print them) into works."""
    groups = initial_groups(variants)
    for group in groups:
        describe(group, catalogue, aliases)
    joined = join_groups(dict(enumerate(groups)), candidate_pairs(groups), aliases)
    return [Cluster([groups[i] for i in indexes], reasons) for _, indexes, reasons in joined]


def join_groups(groups: dict[int, Group], pairs: list[tuple[int, int, str]],
                aliases: Aliases | None) -> list[tuple[int, list[int], set[str]]]:
    """Join groups pair by pair (`pairs` in `pair_order`), each join only if the would-be work stays
    compatible; return each work as (its first group, its groups in order, the rules that joined them).

    Joins in one connected component of the pairs never affect another's, so
    a distributed engine calls this once per component.
    """
    parent = {index: index for index in groups}
    members = {index: [index] for index in groups}
    reasons: dict[int, set[str]] = {index: set() for index in groups}

    def find(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for a, b, rule in pairs:
        root_a, root_b = find(a), find(b)
        if root_a == root_b:
            continue
        joined = [groups[i] for i in members[root_a] + members[root_b]]
        if not _compatible(joined, aliases):
            continue
        keep, gone = min(root_a, root_b), max(root_a, root_b)
        parent[gone] = keep
        members[keep].extend(members.pop(gone))
        reasons[keep] |= reasons.pop(gone) | {rule}
    return [(root, sorted(indexes), reasons[root]) for root, indexes in sorted(members.items())]


def same_work_rule(a: Group, b: Group, kinds: str = "cftsma1") -> str | None:
    """The name of the rule that says two groups are one work, or None.

    `kinds` limits the rules tried to those a block can find (see `blocking_keys`).
    """
    if a.numbers != b.numbers:
        return None
    for kind in kinds:
        rule = RULES_BY_BLOCK[kind](a, b)
        if rule:
            return rule
    return None


RULES_BY_BLOCK = {
    "c": lambda a, b: "same_catalogue_entry" if a.catalogue is not None and a.catalogue == b.catalogue else None,
    "f": lambda a, b: "aliases_file" if a.forced and a.forced == b.forced else None,
    "m": lambda a, b: "same_main_title" if _subtitle_variant(a, b) or _subtitle_variant(b, a) else None,
    "t": lambda a, b: "spelling_variant" if typo_variant(a.tokens, b.tokens) else None,
    "1": lambda a, b: "spelling_variant" if typo_variant(a.tokens, b.tokens) else None,
    "s": lambda a, b: "shortened_title" if (_suffix_variant(a.tokens, b.tokens)
                                            or _suffix_variant(b.tokens, a.tokens)) else None,
    "a": lambda a, b: "abbreviation" if (_abbreviates(a.main, b.tokens) or _abbreviates(b.main, a.tokens)) else None,
    "j": lambda a, b: "spacing_variant" if a.tokens != b.tokens and "".join(a.tokens) == "".join(b.tokens) else None,
}


def initial_groups(variants: list[Variant]) -> list[Group]:
    """Variants grouped by title key (keys in sorted order), split where years or kinds disagree."""
    by_key: dict[str, list[Variant]] = {}
    for variant in variants:
        key = title_key(variant.title)
        if key:
            by_key.setdefault(key, []).append(variant)
    return [group for key in sorted(by_key) for group in groups_of_key(key, by_key[key])]


def groups_of_key(key: str, variants: list[Variant]) -> list[Group]:
    """The groups of one title key's variants, in a fixed order (by year band, then kind)."""
    return [Group(key, members) for band in _year_bands(variants) for members in _kind_bands(band)]


def _year_bands(variants: list[Variant]) -> list[list[Variant]]:
    """Split one title's variants by year when years are far apart (a film and its remake)."""
    years = sorted({v.year for v in variants if v.year is not None})
    bands: list[list[int]] = []
    for year in years:
        if bands and year - bands[-1][-1] <= YEAR_TOLERANCE:
            bands[-1].append(year)
        else:
            bands.append([year])
    if len(bands) <= 1:
        return [sorted(variants, key=_first_appearance)]
    split = [sorted((v for v in variants if v.year in band), key=_first_appearance) for band in bands]
    undated = sorted((v for v in variants if v.year is None), key=_first_appearance)
    return split + ([undated] if undated else [])


def _kind_bands(variants: list[Variant]) -> list[list[Variant]]:
    """Split one title's variants by stated kind ("Dune (Film)" / "Dune (TV Series)")."""
    kinds = sorted({v.kind for v in variants if v.kind})
    if len(kinds) <= 1:
        return [variants]
    split = [[v for v in variants if v.kind == kind] for kind in kinds]
    unknown = [v for v in variants if v.kind is None]
    return split + ([unknown] if unknown else [])


_first_appearance = attrgetter("first_source", "first_index")  # a variant's `first`, read in C


def _roman(token: str) -> bool:
    """A Roman numeral of two letters or more (its letters checked first: the pattern costs more)."""
    return not token.strip("ivxlc") and ROMAN_RE.match(token) is not None


SUBTITLE_SEPARATOR_RE = re.compile(r":|\s[-–—]\s")


def _main_and_subtitle(title: str) -> tuple[str, str, str]:
    """"Speedball II - Brutal Deluxe" → ("Speedball II", " - ", "Brutal Deluxe"): a colon or a spaced dash."""
    match = SUBTITLE_SEPARATOR_RE.search(title)
    return (title[:match.start()], match.group(), title[match.end():]) if match else (title, "", "")


def describe(group: Group, catalogue: Catalogue | None, aliases: Aliases | None) -> None:
    """Fill in what comparing a group needs; its key is its variants' title key."""
    title = group.variants[0].title
    group.tokens = tuple(map(sys.intern, group.key.split()))
    main, separator, subtitle = _main_and_subtitle(title)
    if separator:
        group.main = tuple(map(sys.intern, title_tokens(main)))
        group.subtitle = tuple(map(sys.intern, title_tokens(subtitle)))
    else:  # the whole title is the main one: its words are the key's
        group.main, group.subtitle = group.tokens, ()
    group.numbers = tuple(sorted(t for t in group.tokens if t.isdigit() or _roman(t)))
    group.years = tuple(sorted({v.year for v in group.variants if v.year is not None}))
    group.kinds = tuple(sorted({v.kind for v in group.variants if v.kind}))
    if aliases:
        group.forced = aliases.canonical.get(group.key)
    if catalogue:
        group.catalogue = catalogue.lookup(group.key, group.years)


BOTH, LEFT, RIGHT = 0, 1, 2  # a group's side in a block: pairs are both × any, or left × right
BLOCK_KINDS = "t1smacfj"  # one kind of block per joining rule (see RULES_BY_BLOCK)


def candidate_pairs(groups: list[Group]) -> list[tuple[int, int, str]]:
    """Pairs of groups that share a block and that a rule joins, in `pair_order`.

    Blocks are built one kind at a time, and within a block only pairs a
    rule could join are tried (see `blocking_keys`); nothing is kept of the
    pairs tried, so memory stays with the number of groups. A pair that
    shares several blocks may be tried more than once, for the same answer.
    """
    pairs = set()
    for kind in BLOCK_KINDS:
        # A block's members as index * 4 + side; most blocks have one member, kept as a bare int.
        blocks: dict[str, int | list[int]] = {}
        blocks_of = BLOCKERS[kind]
        for index, group in _may_share_blocks(groups, kind):
            for block, side in blocks_of(group).items():
                member = index * 4 + side
                found = blocks.get(block)
                if found is None:
                    blocks[block] = member
                elif isinstance(found, int):
                    blocks[block] = [found, member]
                else:
                    found.append(member)
        for members in blocks.values():
            if not isinstance(members, int):
                pairs.update(block_pairs([(*divmod(member, 4), groups[member // 4]) for member in members], kind))
    return sorted(pairs, key=lambda pair: pair_order(pair, groups[pair[0]], groups[pair[1]]))


def _may_share_blocks(groups: list[Group], kind: str) -> Iterable[tuple[int, Group]]:
    """The groups, with their indexes, that may share a block of `kind` with another: those whose blocks
    would each be theirs alone find no pairs. A twin block keeps the first letter of every word, so only
    titles whose words start alike can share one (most titles' blocks are twin blocks)."""
    if kind != "t":
        return enumerate(groups)
    initials = ["".join([word[0] for word in group.tokens]) for group in groups]
    alike = Counter(initials)
    return ((index, group) for index, group in enumerate(groups) if alike[initials[index]] > 1)


def block_pairs(members: list[tuple[int, int, Group]], kind: str) -> list[tuple[int, int, str]]:
    """The pairs a rule joins among one block's members, given as (index, side, group) in index order."""
    if len(members) > MAX_BLOCK:
        return []
    pairs = []
    for position, (a, side_a, group_a) in enumerate(members):
        for b, side_b, group_b in members[position + 1:]:
            if side_a == side_b != BOTH:
                continue
            rule = same_work_rule(group_a, group_b, kind)
            if rule:
                pairs.append((a, b, rule))
    return pairs


PAIR_STRENGTH = {"aliases_file": 0, "same_catalogue_entry": 1, "spelling_variant": 2, "spacing_variant": 2,
                 "same_main_title": 3, "shortened_title": 4, "abbreviation": 5}


def pair_order(pair: tuple[int, int, str], a: Group, b: Group) -> tuple:
    """Where a pair is decided: stronger rules first, then by title key. Ties (one title in two year or
    kind bands) go by group order: a set's order changes from run to run."""
    return PAIR_STRENGTH[pair[2]], a.key, b.key, pair


def blocking_keys(group: Group, kind: str) -> dict[str, int]:
    """The blocks of one kind a group is compared within, each with the group's side.

    `t`: a misspelt twin has the same words but one (of up to three) or two
    (of more), each with the same first letter. `1`: a misspelt long word is
    one letter deletion away from its twin. `s`: a shortened title (left) meets the titles it ends (right)
    on its words; `m`: a title (left) its subtitled forms (right) on its main
    title; `a`: a one-word alias (left) the long titles (right) whose first
    word starts it. Comparing only within these blocks, and only left with
    right, keeps the pairs close to linear in the number of titles.
    """
    return BLOCKERS[kind](group)


def _twin_blocks(group: Group) -> dict[str, int]:
    # Twins differ in one word (of a title of up to three) or two, and a misspelt word keeps its first
    # letter: they share the title with those words cut to their first letter.
    tokens = group.tokens
    if not 1 < len(tokens) <= MAX_BLOCKING_WORDS:
        return {}
    words = list(tokens)  # each word cut in turn, then put back
    blocks = []
    for first, word in enumerate(tokens):
        words[first] = word[0] + "*"
        if len(tokens) <= 3:
            blocks.append("t:" + " ".join(words))
        else:
            for second in range(first + 1, len(tokens)):
                words[second] = tokens[second][0] + "*"
                blocks.append("t:" + " ".join(words))
                words[second] = tokens[second]
        words[first] = word
    return dict.fromkeys(blocks, BOTH)


def _slip_blocks(group: Group) -> dict[str, int]:
    # One slip in a long word (a letter changed, added, dropped or two swapped): the two words share
    # the word with one letter deleted (or one is the other with a letter deleted).
    tokens = group.tokens
    if len(tokens) != 1 or not 7 <= len(tokens[0]) <= MAX_BLOCKING_WORD:
        return {}
    word = tokens[0]
    # The first letter is never the slip.
    return dict.fromkeys(["1:" + word, *("1:" + word[:position] + word[position + 1:]
                                         for position in range(1, len(word)))], BOTH)


def _suffix_blocks(group: Group) -> dict[str, int]:
    # "Madoka Magica" (the whole title) meets "Puella Magi Madoka Magica" (one of its endings).
    tokens = group.tokens
    blocks: dict[str, int] = {}
    if len(tokens) >= 2:
        _add_block(blocks, "s:" + " ".join(tokens), LEFT)
        for start in range(max(1, len(tokens) - MAX_BLOCKING_WORDS), len(tokens) - 1):
            _add_block(blocks, "s:" + " ".join(tokens[start:]), RIGHT)
    return blocks


def _main_title_blocks(group: Group) -> dict[str, int]:
    if not group.main:
        return {}
    return {"m:" + " ".join(group.main): RIGHT if group.subtitle else LEFT}  # "X: Subtitle" and "X"


def _alias_blocks(group: Group) -> dict[str, int]:
    tokens, main = group.tokens, group.main
    blocks: dict[str, int] = {}
    if len(tokens) >= 4:
        blocks[f"a:{tokens[0]}"] = RIGHT  # "Ano Hi Mita Hana …" meets every one-word (main) title starting "ano…"
    if len(main) == 1 and len(main[0]) >= 6:
        alias = main[0]  # "Anohana", or the "Anohana" of "Anohana: The Flower We Saw That Day"
        for size in range(2, min(len(alias) - 1, MAX_BLOCKING_WORD)):
            _add_block(blocks, f"a:{alias[:size]}", LEFT)
    return blocks


def _spacing_blocks(group: Group) -> dict[str, int]:
    if sum(map(len, group.tokens)) < 6:
        return {}
    return {"j:" + "".join(group.tokens): BOTH}  # "Power Monger" and "Powermonger"


def _catalogue_blocks(group: Group) -> dict[str, int]:
    return {f"c:{group.catalogue.line}": BOTH} if group.catalogue is not None else {}


def _aliases_file_blocks(group: Group) -> dict[str, int]:
    return {f"f:{group.forced}": BOTH} if group.forced else {}


def _add_block(blocks: dict[str, int], block: str, side: int) -> None:
    """A block on one side, or on both where the group is on the other side of it already."""
    blocks[block] = side if blocks.get(block, side) == side else BOTH


BLOCKERS = {"t": _twin_blocks, "1": _slip_blocks, "s": _suffix_blocks, "m": _main_title_blocks,
            "a": _alias_blocks, "j": _spacing_blocks, "c": _catalogue_blocks, "f": _aliases_file_blocks}


def _compatible(groups: list[Group], aliases: Aliases | None) -> bool:
    """No two groups of a would-be work disagree on year, kind, catalogue entry or the aliases file."""
    years = sorted({year for group in groups for year in group.years})
    if years and years[-1] - years[0] > YEAR_TOLERANCE:
        return False
    kinds = {kind for group in groups for kind in group.kinds}
    if len(kinds) > 1:
        return False
    linked = {group.catalogue.line for group in groups if group.catalogue is not None}
    if len(linked) > 1:
        return False
    forced = {group.forced for group in groups if group.forced}
    if len(forced) > 1:
        return False
    if aliases and aliases.distinct:
        keys = {group.key for group in groups}
        if aliases.forbids(keys, keys):
            return False
    return True


def _subtitle_variant(full: Group, short: Group) -> bool:
    """"Anohana" and "Anohana: The Flower We Saw That Day"; never a sequel subtitle."""
    return (bool(full.subtitle) and full.main == short.tokens
            and not any(token in SEQUEL_WORDS or token.isdigit() for token in full.subtitle))


def typo_variant(a: Sequence[str], b: Sequence[str]) -> bool:
    """Same words but one or two misspelled ("Your Liie in April" / "Your Lie in April")."""
    if len(a) != len(b) or not a:
        return False
    differing = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if not differing or len(differing) > 2:
        return False
    if any(x + "s" == y or y + "s" == x for x, y in differing):
        return False  # "Foundation" / "Foundations": a plural is another word, not a slip
    if len(a) == 1:
        # One word alone: only a long word with a single slip ("Paradisemoon" / "Paaradisemoon").
        x, y = differing[0]
        return min(len(x), len(y)) >= 7 and x[0] == y[0] and not x.isdigit() and OSA.distance(x, y) <= 1
    if len(differing) * 2 > len(a):
        return False
    for x, y in differing:
        if x[0] != y[0] or max(len(x), len(y)) < 3 or x.isdigit() or y.isdigit():
            return False
        allowed = 2 if min(len(x), len(y)) >= 7 else 1
        if OSA.distance(x, y) > allowed:
            return False
    return True


def _suffix_variant(long: Sequence[str], short: Sequence[str]) -> bool:
    """"Madoka Magica" is the end of "Puella Magi Madoka Magica"."""
    if len(short) < 2 or len(short) >= len(long) or long[-len(short):] != short:
        return False
    extra = long[:-len(short)]
    return not any(token in SEQUEL_WORDS or token.isdigit() for token in extra)


def _abbreviates(alias: Sequence[str], title: Sequence[str]) -> bool:
    """A one-word alias: the long title's first word, then starts of later words ("Anohana" ← "ANO hi mita HANA")."""
    if len(alias) != 1 or not 4 <= len(title) <= 24 or not 6 <= len(alias[0]) <= 30:
        return False
    word = alias[0]

    def fits(position: int, token_index: int, pieces: int) -> bool:
        if position == len(word):
            return pieces >= 2
        for index in range(token_index, len(title)):
            token = title[index]
            for size in range(min(len(token), len(word) - position), 1, -1):
                if word[position:position + size] == token[:size] and fits(position + size, index + 1, pieces + 1):
                    return True
        return False

    first = title[0]
    # The alias starts with the title's whole first word ("ANO hi mita HANA" → "Anohana").
    return len(first) >= 2 and word.startswith(first) and fits(len(first), 1, 1)
