"""Compare a fresh ingest with an output directory written before: the regression check for CI.

The comparison is by meaning, not bytes: entries are matched by (source,
rank), works by id, documents by source, and each difference names the field
that changed with its old and new value.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ListparseError
from .models import Document, Work


@dataclass(slots=True)
class Difference:
    """One added, removed or changed record, with the fields that changed."""

    kind: str  # "document", "entry" or "work"
    key: str
    status: str  # "added", "removed" or "changed"
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field, old, new)


def compare_outputs(old_dir: Path, new_files: dict[str, str]) -> list[Difference]:
    """Differences between the files in `old_dir` and freshly produced `new_files` (name → text)."""
    old = _read(old_dir, ("documents.csv", "documents.json", "works.json"))
    pairs = [
        ("document", _rows(old["documents.csv"]), _rows(new_files["documents.csv"])),
        ("entry", _entries(old["documents.json"]), _entries(new_files["documents.json"])),
        ("work", _works(old["works.json"]), _works(new_files["works.json"])),
    ]
    return [difference for kind, old, new in pairs for difference in _compare(kind, old, new)]


def _read(directory: Path, names: tuple[str, ...]) -> dict[str, str]:
    """The files' texts, all opened through one handle on the directory before any is read: a run
    swapping in a new output meanwhile cannot make them a mix of two runs."""
    streams = {}
    handle = None
    try:
        handle = os.open(directory, os.O_RDONLY)
        for name in names:
            streams[name] = open(name, encoding="utf-8",  # noqa: SIM115 - closed below
                                 opener=lambda path, flags: os.open(path, flags, dir_fd=handle))
        return {name: stream.read() for name, stream in streams.items()}
    except FileNotFoundError:
        missing = directory / next((name for name in names if name not in streams), "")
        raise ListparseError(f"{missing} does not exist: write it first with "
                             f"`listparse ingest PATHS --out {directory}`") from None
    finally:
        for stream in streams.values():
            stream.close()
        if handle is not None:
            os.close(handle)


def _compare(kind: str, old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]) -> list[Difference]:
    """Records matched by key: added and removed ones with their title, changed ones field by field."""
    differences = []
    for key in sorted(old.keys() | new.keys()):
        if key not in new:
            differences.append(Difference(kind, key, "removed", _headline(old[key], removed=True)))
        elif key not in old:
            differences.append(Difference(kind, key, "added", _headline(new[key], removed=False)))
        elif old[key] != new[key]:
            changes = [(name, old[key].get(name, ""), new[key].get(name, ""))
                       for name in sorted(old[key].keys() | new[key].keys())
                       if old[key].get(name, "") != new[key].get(name, "")]
            differences.append(Difference(kind, key, "changed", changes))
    return differences


def _headline(record: dict[str, str], removed: bool) -> list[tuple[str, str, str]]:
    name = next((name for name in ("title", "status") if name in record), None)
    if name is None:
        return []
    return [(name, record[name], "")] if removed else [(name, "", record[name])]


def _rows(text: str) -> dict[str, dict[str, str]]:
    """documents.csv rows keyed by source."""
    return {row["source"]: {column: value for column, value in row.items() if value}
            for row in csv.DictReader(io.StringIO(text))}


def _entries(documents_json: str) -> dict[str, dict[str, str]]:
    """Each entry of documents.json (either schema version) as flat comparable strings, keyed "source#rank"."""
    entries = {}
    for record in json.loads(documents_json)["documents"]:
        document = Document.model_validate(record)
        for entry in document.entries:
            flat = {"title_raw": entry.title_raw, "title": entry.title, "work_id": entry.work_id or "",
                    "line": str(entry.span.line), "text": entry.text}
            for meta in entry.fields:
                flat[f"field {meta.name}"] = json.dumps(meta.value, ensure_ascii=False)
            entries[f"{document.source}#{entry.rank}"] = flat
    return entries


def _works(works_json: str) -> dict[str, dict[str, str]]:
    works = (Work.model_validate(record) for record in json.loads(works_json)["works"])
    return {work.id: _flat_work(work) for work in works}


def _flat_work(work: Work) -> dict[str, str]:
    """The parts of a work a reader cares about, each as one comparable string."""
    flat = {"title": str(work.title.value),
            "appearances": "; ".join(f"{a.source}#{a.rank}" for a in work.appearances),
            "aliases": "; ".join(str(a.value) for a in work.aliases),
            "people": "; ".join(p.name for p in work.people)}
    if work.previous_ids:
        flat["previous_ids"] = "; ".join(work.previous_ids)
    for name, value in work.fields.items():
        flat[name] = json.dumps(value.value, ensure_ascii=False)
        if value.conflicts:
            flat[f"{name} conflicts"] = json.dumps([c.value for c in value.conflicts], ensure_ascii=False)
    return flat
