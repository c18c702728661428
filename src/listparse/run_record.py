"""The run record, `run.json`: what made an output directory, so a reader can tell and make it again.

Deterministic like every other output file: the listparse version and
schema version, the options that change the output, the catalogue and aliases
files with their sha256, the inputs as given with how their documents are
named, and the counts. No time, no host name, no path the user did not give.
What does not change the output (engine, master, jobs, cache) is left out, so
both engines, any `--jobs` and a warm or cold cache write the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .merge import SCHEMA_VERSION
from .source_names import escape_name

if TYPE_CHECKING:
    from .inputs import Root
    from .pipeline import IngestOptions

RUN_RECORD = "run.json"
READ_CHUNK = 1 << 20


def file_record(path: Path | None) -> dict[str, str] | None:
    """A knowledge file as given, with the sha256 of its bytes (None when there is none)."""
    if path is None:
        return None
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(READ_CHUNK):
            digest.update(chunk)
    return {"path": escape_name(os.fsdecode(path)), "sha256": digest.hexdigest()}


def run_record(roots: list[Root], settings: IngestOptions, files: dict[str, dict[str, str] | None],
               counts: dict[str, int]) -> dict:
    """The record of one run; `files` holds the catalogue's and the aliases file's `file_record`."""
    return {
        "listparse": __version__,
        "schema_version": SCHEMA_VERSION,
        "inputs": [root.record() for root in roots],
        "options": {"formats": sorted(set(settings.formats)), "follow_symlinks": settings.follow_symlinks,
                    "indent": settings.indent, "limit": settings.limit},
        "catalogue": files.get("catalogue"),
        "aliases": files.get("aliases"),
        "counts": dict(sorted(counts.items())),
    }


def run_json(record: dict) -> Iterator[str]:
    yield json.dumps(record, indent=2, ensure_ascii=False) + "\n"
