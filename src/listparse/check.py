"""Compare a fresh ingest with an output directory written before: the regression check for CI.

The comparison is by meaning, not bytes: entries are matched by (source,
rank), works by id, documents by source, and each difference names the field
that changed with its old and new value.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ListparseError


@dataclass(slots=True)
class Difference:
    """One added, removed or changed record, with the fields that changed."""

    kind: str  # "document", "entry" or "work"
    key: str
    status: str  # "added", "removed" or "changed"
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field, old, new)


def compare_outputs(old_dir: Path, new_files: dict[str, str]) -> list[Difference]:
    """Differences between the files in `old_dir` and freshly produced `new_files` (name → text)."""
    differences: list[Difference] = []
    differences += _compare_rows("document", _read(old_dir, "documents.csv"), new_files["documents.csv"],
                                 ("source",))
    differences += _compare_entries(_read(old_dir, "documents.json"), new_files["documents.json"])
    differences += _compare_works(_read(old_dir, "works.json"), new_files["works.json"])
    return differences


def _read(directory: Path, name: str) -> str:
    path = directory / name
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ListparseError(f"{path} does not exist: write it first with "
                             f"`listparse ingest PATHS --out {directory}`") from None


def _compare_rows(kind: str, old_text: str, new_text: str, key_columns: tuple[str, ...]) -> list[Difference]:
    old = _rows(old_text, key_columns)
    new = _rows(new_text, key_columns)
    differences = []
    for key in sorted(old.keys() | new.keys()):
        if key not in new:
            differences.append(Difference(kind, key, "removed"))
        elif key not in old:
            differences.append(Difference(kind, key, "added", [
                (column, "", value) for column, value in new[key].items() if value and column not in key_columns]))
        else:
            changes = [(column, old[key].get(column, ""), new[key].get(column, ""))
                       for column in sorted(old[key].keys() | new[key].keys())
                       if old[key].get(column, "") != new[key].get(column, "")]
            if changes:
                differences.append(Difference(kind, key, "changed", changes))
    return differences


def _rows(text: str, key_columns: tuple[str, ...]) -> dict[str, dict[str, str]]:
    rows = {}
    for row in csv.DictReader(io.StringIO(text)):
        key = "#".join(row[column] for column in key_columns)
        rows[key] = {column: value for column, value in row.items() if value}
    return rows


def _compare_entries(old_text: str, new_text: str) -> list[Difference]:
    old, new = _entries(old_text), _entries(new_text)
    differences = []
    for key in sorted(old.keys() | new.keys()):
        if key not in new:
            differences.append(Difference("entry", key, "removed", [("title", old[key]["title"], "")]))
        elif key not in old:
            differences.append(Difference("entry", key, "added", [("title", "", new[key]["title"])]))
        elif old[key] != new[key]:
            changes = [(name, old[key].get(name, ""), new[key].get(name, ""))
                       for name in sorted(old[key].keys() | new[key].keys())
                       if old[key].get(name) != new[key].get(name)]
            differences.append(Difference("entry", key, "changed", changes))
    return differences


def _entries(documents_json: str) -> dict[str, dict[str, str]]:
    """Each entry of documents.json as flat comparable strings, keyed "source#rank"."""
    entries = {}
    for document in json.loads(documents_json)["documents"]:
        for entry in document["entries"]:
            flat = {"title_raw": entry["title_raw"], "title": entry["title"], "work_id": entry["work_id"] or "",
                    "line": str(entry["span"]["line"]), "text": entry["text"]}
            for field in entry["fields"]:
                flat[f"field {field['name']}"] = json.dumps(field["value"], ensure_ascii=False)
            entries[f"{document['source']}#{entry['rank']}"] = flat
    return entries


def _compare_works(old_text: str, new_text: str) -> list[Difference]:
    old = {work["id"]: _flat_work(work) for work in json.loads(old_text)["works"]}
    new = {work["id"]: _flat_work(work) for work in json.loads(new_text)["works"]}
    differences = []
    for key in sorted(old.keys() | new.keys()):
        if key not in new:
            differences.append(Difference("work", key, "removed"))
        elif key not in old:
            differences.append(Difference("work", key, "added", [("title", "", new[key]["title"])]))
        elif old[key] != new[key]:
            changes = [(name, old[key].get(name, ""), new[key].get(name, ""))
                       for name in sorted(old[key].keys() | new[key].keys())
                       if old[key].get(name) != new[key].get(name)]
            differences.append(Difference("work", key, "changed", changes))
    return differences


def _flat_work(work: dict) -> dict[str, str]:
    """The parts of a work a reader cares about, each as one comparable string."""
    flat = {"title": str(work["title"]["value"]),
            "appearances": "; ".join(f"{a['source']}#{a['rank']}" for a in work["appearances"]),
            "aliases": "; ".join(str(a["value"]) for a in work["aliases"]),
            "people": "; ".join(p["name"] for p in work["people"])}
    for name, value in work["fields"].items():
        flat[name] = json.dumps(value["value"], ensure_ascii=False)
        if value["conflicts"]:
            flat[f"{name} conflicts"] = json.dumps([c["value"] for c in value["conflicts"]], ensure_ascii=False)
    return flat
