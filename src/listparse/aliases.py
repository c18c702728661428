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


def load_aliases(path: str | Path) -> Aliases:
    """Read an aliases file; raise ListparseError saying what is wrong with it."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ListparseError(f"cannot read aliases file {path}: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ListparseError(f"aliases file {path} is not valid TOML: {error}") from None
    canonical: dict[str, str] = {}
    for number, work in enumerate(data.get("work", []), start=1):
        title = work.get("title")
        if not isinstance(title, str) or not title.strip():
            raise ListparseError(f"aliases file {path}: [[work]] number {number} needs a title")
        for name in [title, *work.get("aliases", [])]:
            canonical[title_key(name)] = title.strip()
    distinct: set[frozenset[str]] = set()
    for number, group in enumerate(data.get("distinct", []), start=1):
        keys = [title_key(name) for name in group.get("titles", [])]
        if len(keys) < 2:
            raise ListparseError(f"aliases file {path}: [[distinct]] number {number} needs two or more titles")
        distinct.update(frozenset((a, b)) for a in keys for b in keys if a != b)
    return Aliases(canonical, frozenset(distinct), path.name)
