"""The user's aliases file (TOML): force or forbid merges, fix canonical titles.

    [[work]]                     # these titles are one work, with this canonical title
    title = "Anohana: The Flower We Saw That Day"
    aliases = ["Ano Hi Mita Hana no Namae o Boku-tachi wa Mada Shiranai"]

    [[distinct]]                 # these titles are never merged
    titles = ["Clannad", "Clannad: After Story"]

`listparse ingest` reads `listparse-aliases.toml` from the working directory
when it exists, or the file given with `--aliases`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ListparseError
from .keys import title_key

DEFAULT_ALIASES_FILE = "listparse-aliases.toml"


@dataclass(frozen=True, slots=True)
class Aliases:
    """Forced works (key → canonical title) and forbidden pairs of keys."""

    canonical: dict[str, str] = field(default_factory=dict)  # every title key of a [[work]] → its title
    distinct: frozenset[frozenset[str]] = frozenset()
    source: str | None = None

    def forbids(self, keys_a: set[str], keys_b: set[str]) -> bool:
        return any(frozenset((a, b)) in self.distinct for a in keys_a for b in keys_b)


KEYS = {"work": {"title", "aliases"}, "distinct": {"titles"}}  # the tables and the keys each may hold


def load_aliases(path: str | Path) -> Aliases:
    """Read an aliases file; raise ListparseError saying what is wrong with it (a key it does not know
    included: a typo must not be ignored)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ListparseError(f"cannot read aliases file {path}: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ListparseError(f"aliases file {path} is not valid TOML: {error}") from None
    _check_keys(data, path)
    canonical: dict[str, str] = {}
    for number, work in enumerate(data.get("work", []), start=1):
        title = work.get("title")
        if not isinstance(title, str) or not title.strip():
            raise ListparseError(f"aliases file {path}: [[work]] number {number} needs a title")
        names = work.get("aliases", [])
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise ListparseError(f"aliases file {path}: [[work]] number {number}: aliases must be a list of titles")
        for name in [title, *names]:
            canonical[title_key(name)] = title.strip()
    distinct: set[frozenset[str]] = set()
    for number, group in enumerate(data.get("distinct", []), start=1):
        titles = group.get("titles", [])
        if not isinstance(titles, list) or not all(isinstance(name, str) for name in titles):
            raise ListparseError(f"aliases file {path}: [[distinct]] number {number}: titles must be a list of titles")
        keys = [title_key(name) for name in titles]
        if len(keys) < 2:
            raise ListparseError(f"aliases file {path}: [[distinct]] number {number} needs two or more titles")
        distinct.update(frozenset((a, b)) for a in keys for b in keys if a != b)
    return Aliases(canonical, frozenset(distinct), path.name)


def _check_keys(data: dict, path: Path) -> None:
    """Every key is one the file may hold, and every table is a list of tables."""
    for key, tables in data.items():
        if key not in KEYS:
            raise ListparseError(f'aliases file {path}: unknown key "{key}" (valid keys: {_listed(KEYS)})')
        if not isinstance(tables, list) or not all(isinstance(table, dict) for table in tables):
            raise ListparseError(f"aliases file {path}: {key} must be a list of [[{key}]] tables")
        for number, table in enumerate(tables, start=1):
            unknown = sorted(set(table) - KEYS[key])
            if unknown:
                raise ListparseError(f'aliases file {path}: [[{key}]] number {number} has an unknown key '
                                     f'"{unknown[0]}" (valid keys: {_listed(KEYS[key])})')


def _listed(keys) -> str:
    return ", ".join(sorted(keys))
