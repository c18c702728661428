"""Catalogues of known works that titles can be linked to.

Four formats are read: JSON Lines, a JSON array of the same records, and CSV,
with the fields `title` (required), `aliases`, `kind`, `year` and `ids`; and the published JSON of
anime-offline-database (a top-level `data` list whose entries have `title`,
`synonyms`, `type`, `episodes`, `animeSeason{season, year}` and `sources`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ListparseError
from .keys import title_key

AOD_KINDS = {"TV": "series", "MOVIE": "film", "OVA": "ova", "ONA": "series", "SPECIAL": "special",
             "UNKNOWN": None}


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """One known work: its canonical title, other names, kind, year and external ids."""

    title: str
    aliases: tuple[str, ...] = ()
    kind: str | None = None
    year: int | None = None
    episodes: int | None = None
    ids: tuple[tuple[str, str], ...] = ()
    line: int = 0  # where it is in the catalogue file (1-based entry number)


@dataclass(slots=True)
class Catalogue:
    """Entries indexed by the keys of their titles and aliases."""

    name: str
    entries: list[CatalogueEntry]
    by_key: dict[str, list[CatalogueEntry]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for entry in self.entries:
            for name in {entry.title, *entry.aliases}:
                key = title_key(name)
                if key and entry not in self.by_key.setdefault(key, []):
                    self.by_key[key].append(entry)

    def lookup(self, key: str, years: Collection[int]) -> CatalogueEntry | None:
        """The one entry a title key names, using years to choose between namesakes."""
        found = self.by_key.get(key, [])
        if len(found) > 1 and years:
            found = [entry for entry in found if entry.year is None or
                     any(abs(entry.year - year) <= 1 for year in years)]
        return found[0] if len(found) == 1 else None


def load_catalogue(path: str | Path) -> Catalogue:
    """Read a catalogue file; raise ListparseError with a hint when it cannot be read."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ListparseError(f"cannot read catalogue {path}: {error.strerror or error}") from None
    try:
        if path.suffix.lower() == ".csv":
            entries = _from_csv(text, path)
        elif text.lstrip().startswith("{") and '"data"' in text[:100000] and path.suffix.lower() == ".json":
            entries = _from_anime_offline_database(json.loads(text))
        elif text.lstrip().startswith("["):
            entries = [_entry(record, number) for number, record in enumerate(json.loads(text), start=1)]
        else:
            entries = _from_json_lines(text)
    except BadEntry as error:
        raise ListparseError(f"catalogue {path}: {error}") from None
    except (ValueError, KeyError, TypeError) as error:
        raise ListparseError(f"catalogue {path} is not valid JSON Lines, CSV or anime-offline-database "
                             f"JSON ({error})") from None
    return Catalogue(path.name, entries)


class BadEntry(ValueError):
    """One entry of a catalogue that cannot be read, and why."""


def _from_json_lines(text: str) -> list[CatalogueEntry]:
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            entries.append(_entry(json.loads(line), number))
    return entries


def _from_csv(text: str, path: Path) -> list[CatalogueEntry]:
    rows = csv.DictReader(io.StringIO(text))
    if "title" not in (rows.fieldnames or ()):
        found = ", ".join(rows.fieldnames or ()) or "none"
        raise ListparseError(f"catalogue {path} has no title column (columns found: {found})")
    entries = []
    for number, row in enumerate(rows, start=2):
        record = dict(row)
        record["aliases"] = [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]
        ids = row.get("ids") or ""
        record["ids"] = dict(pair.split("=", 1) for pair in ids.split(";") if "=" in pair)
        entries.append(_entry(record, number))
    return entries


def _entry(record: object, number: int) -> CatalogueEntry:
    if not isinstance(record, dict):
        raise BadEntry(f"entry {number} is not an object with a title")
    if record.get("title") in (None, ""):
        raise BadEntry(f"entry {number} has no title")
    return CatalogueEntry(
        title=str(record["title"]).strip(),
        aliases=tuple(str(a) for a in record.get("aliases") or ()),
        kind=record.get("kind") or None,
        year=_number(record, "year", number),
        episodes=_number(record, "episodes", number),
        ids=tuple(sorted((str(k), str(v)) for k, v in (record.get("ids") or {}).items())),
        line=number,
    )


def _number(record: dict, name: str, number: int) -> int | None:
    value = record.get(name)
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise BadEntry(f"entry {number}: {name} {value!r} is not a number") from None


def _from_anime_offline_database(data: dict) -> list[CatalogueEntry]:
    entries = []
    for number, item in enumerate(data["data"], start=1):
        season = item.get("animeSeason") or {}
        entries.append(CatalogueEntry(
            title=item["title"],
            aliases=tuple(item.get("synonyms") or ()),
            kind=AOD_KINDS.get(str(item.get("type", "UNKNOWN")).upper()),
            year=season.get("year"),
            episodes=item.get("episodes") or None,
            ids=tuple(sorted(_source_id(url) for url in item.get("sources") or ())),
            line=number,
        ))
    return entries


def _source_id(url: str) -> tuple[str, str]:
    """("myanimelist", "23273") from "https://myanimelist.net/anime/23273"."""
    host = url.split("//", 1)[-1].split("/", 1)[0]
    site = host.removeprefix("www.").split(".")[0]
    return site, url.rstrip("/").rsplit("/", 1)[-1]
