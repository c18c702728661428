"""The previous run an output directory holds: which works it had, under which ids, on which evidence.

    previous = read_previous(Path("output"))       # works.jsonl, works.json or entries.csv
    previous.shares([(source, title_raw), ...])    # how much of a new work's evidence each old work had

A piece of evidence is an appearance keyed by (source, title as printed): a
re-ingest that renumbers a list, re-spells another entry or changes which
title a work is named by keeps the key. Only an 8-byte digest of each key is
held (about 100 bytes per appearance of the previous run), and the files are
read one record at a time.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ListparseError
from .json_stream import JsonStream, array_items

WORK_FILES = ("works.jsonl", "works.json", "entries.csv")  # read in this order: the first one present
READ_CHUNK = 1 << 20


class PreviousRunError(ListparseError):
    """The previous run cannot be read: its ids are not carried over."""


def evidence_key(source: str, title_raw: str) -> int:
    """The digest an appearance is compared by: its document and its title as printed."""
    text = f"{source}\0{title_raw}".encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")


@dataclass(frozen=True, slots=True)
class PreviousRun:
    """The works of a previous run: ids, sizes (appearances), earlier ids, and each key's works."""

    file: str  # the file read, for messages and the manifest
    sha256: str  # of that file
    ids: list[str]
    sizes: list[int]
    lineage: list[tuple[str, ...]]  # each work's own previous ids
    holders: dict[int, int | tuple[int, ...]]  # evidence key → the work (or works, one per appearance) holding it

    def shares(self, keys: Iterable[tuple[str, str]]) -> tuple[tuple[int, int], ...]:
        """(previous work, appearances shared) for a new work's appearances, as (source, title_raw) pairs:
        a key printed twice counts twice only if it was there twice before."""
        shared: Counter[int] = Counter()
        for key, count in Counter(evidence_key(source, title) for source, title in keys).items():
            held = self.holders.get(key)
            if held is None:
                continue
            for work, before in Counter((held,) if isinstance(held, int) else held).items():
                shared[work] += min(count, before)
        return tuple(sorted(shared.items()))

    def reserved(self) -> set[str]:
        """Every id the previous run had, as an id or in `previous_ids`: a fresh id is never one of them."""
        return {*self.ids, *(old for earlier in self.lineage for old in earlier)}


def holds_run(directory: Path) -> bool:
    """Whether `directory` holds a listparse run to carry ids from."""
    return any((directory / name).is_file() for name in (".listparse-manifest.json", *WORK_FILES))


def read_previous(directory: Path) -> PreviousRun:
    """The previous run in `directory`, from the first of works.jsonl, works.json, entries.csv it holds.

    Raises PreviousRunError (saying why) when none can be read: missing, corrupt, another schema.
    """
    name = next((name for name in WORK_FILES if (directory / name).is_file()), None)
    if name is None:
        raise PreviousRunError(f"{directory} holds no works.jsonl, works.json or entries.csv")
    path = directory / name
    try:
        with open(path, "rb") as raw:
            stream = _Hashing(raw)
            text = io.TextIOWrapper(io.BufferedReader(stream, READ_CHUNK), encoding="utf-8", newline="")
            if name == "entries.csv":
                records = _csv_works(text, _csv_lineage(directory / "works.csv"))
            elif name == "works.json":
                records = _json_works(text.read, str(path))
            else:
                records = _jsonl_works(text)
            run = _collect(records, name)
            stream.drain()
            return PreviousRun(name, stream.digest.hexdigest(), *run)
    except PreviousRunError as error:
        raise PreviousRunError(f"{path}: {error}") from None
    except ListparseError as error:  # works.json that is not JSON, or not a listparse object (named in it)
        raise PreviousRunError(str(error)) from None
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise PreviousRunError(f"{path}: cannot be read ({type(error).__name__}: {error})") from None


class _Hashing(io.RawIOBase):
    """A binary file that hashes what is read from it (and, by `drain`, what was not)."""

    def __init__(self, raw: io.BufferedIOBase) -> None:
        self.raw, self.digest = raw, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self.raw.readinto(buffer)
        self.digest.update(memoryview(buffer)[:count])
        return count

    def drain(self) -> None:
        while data := self.raw.read(READ_CHUNK):
            self.digest.update(data)


def _collect(records: Iterable[tuple[str, list[str], Iterable[tuple[str, str]]]], name: str):
    """ids, sizes, lineage and holders from (id, previous ids, appearance keys) records."""
    ids: list[str] = []
    sizes: list[int] = []
    lineage: list[tuple[str, ...]] = []
    holders: dict[int, int | tuple[int, ...]] = {}
    index_of: dict[str, int] = {}
    for work_id, earlier, keys in records:
        if not isinstance(work_id, str) or not work_id:
            raise PreviousRunError(f"a work without an id in {name}")
        index = index_of.get(work_id)
        if index is None:
            index = index_of[work_id] = len(ids)
            ids.append(work_id)
            sizes.append(0)
            lineage.append(tuple(str(old) for old in earlier))
        for source, title in keys:
            key = evidence_key(source, title)
            sizes[index] += 1
            held = holders.get(key)
            holders[key] = index if held is None else (*((held,) if isinstance(held, int) else held), index)
    return ids, sizes, lineage, holders


def _work_record(work: dict) -> tuple[str, list[str], list[tuple[str, str]]]:
    """(id, previous ids, (source, title as printed) of every appearance) of a work of either schema
    version: version 1 lists its appearances, version 2 has them as its title evidence (see `Work`)."""
    if "appearances" in work:
        printed = [(appearance["source"], appearance["title_raw"]) for appearance in work["appearances"]]
    else:
        printed = [(evidence["source"], evidence["raw"])
                   for option in (work["title"], *work.get("aliases", [])) for evidence in option["evidence"]
                   if evidence.get("rank") is not None and evidence.get("catalogue_entry") is None]
    return work["id"], list(work.get("previous_ids", [])), printed


def _jsonl_works(text: Iterable[str]) -> Iterator[tuple[str, list[str], list[tuple[str, str]]]]:
    for line in text:
        if line.strip():
            record = json.loads(line)
            if record.get("type") != "work":
                raise PreviousRunError(f"a line of type {record.get('type')!r}, not a work")
            yield _work_record(record)


def _json_works(read: Callable[[int], str], name: str) -> Iterator[tuple[str, list[str], list[tuple[str, str]]]]:
    """works.json's works one at a time, without holding the file (see `json_stream`); its schema_version,
    which comes before them, must be one this listparse reads."""
    versions: list[Any] = []

    def seen(key: str, value: Any) -> None:
        if key == "schema_version":
            from .merge import READABLE_SCHEMA_VERSIONS

            if value not in READABLE_SCHEMA_VERSIONS:
                readable = " or ".join(map(str, READABLE_SCHEMA_VERSIONS))
                raise PreviousRunError(f"schema_version {value}, this listparse reads {readable}")
            versions.append(value)

    for work in array_items(JsonStream(read, name), "works", seen):
        if not versions:
            raise PreviousRunError("no schema_version before the works")
        yield _work_record(work)


def _csv_works(text: Iterable[str], lineage: dict[str, list[str]]) -> Iterator[
        tuple[str, list[str], list[tuple[str, str]]]]:
    """entries.csv rows as one-appearance works (rows of one work id are gathered by `_collect`), with
    the previous ids works.csv gives."""
    from .export import plain_cell

    rows = csv.DictReader(text)
    if rows.fieldnames is None or not {"source", "title_raw", "work_id"} <= set(rows.fieldnames):
        raise PreviousRunError("no source, title_raw and work_id columns")
    for row in rows:
        if row["work_id"]:
            work_id = plain_cell(row["work_id"])
            yield work_id, lineage.get(work_id, []), [(plain_cell(row["source"]), plain_cell(row["title_raw"]))]


def _csv_lineage(path: Path) -> dict[str, list[str]]:
    """Each work's previous ids from works.csv's `previous_ids` column (none without the file or column)."""
    from .export import plain_cell

    if not path.is_file():
        return {}
    with open(path, encoding="utf-8", newline="") as stream:
        rows = csv.DictReader(stream)
        if "previous_ids" not in (rows.fieldnames or []):
            return {}
        return {plain_cell(row["id"]): json.loads(row["previous_ids"]) for row in rows if row["previous_ids"]}
