"""A cache of parsed documents keyed by content hash and parser fingerprint.

Re-running on a batch where a few files changed re-parses only those. The
fingerprint hashes listparse's own source files, so any change to the parser
(or its label tables) invalidates every entry; the key never depends on a
file's name or time, and a cached document is the same model a fresh parse
gives, so cached and fresh runs write byte-identical output.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from .models import Document

CACHE_DIR_ENV = "LISTPARSE_CACHE_DIR"


def default_cache_dir() -> Path:
    """$LISTPARSE_CACHE_DIR, else $XDG_CACHE_HOME/listparse, else ~/.cache/listparse."""
    if os.environ.get(CACHE_DIR_ENV):
        return Path(os.environ[CACHE_DIR_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "listparse"


@lru_cache(maxsize=1)
def parser_fingerprint() -> str:
    """A hash of every module of the package: the parser's version, exactly."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class Cache:
    """Parsed documents on disk, one JSON file per (content, parser) pair."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory) / parser_fingerprint()

    def get(self, sha256: str, source: str) -> Document | None:
        """The cached parse of content `sha256`, renamed to `source`; None on a miss."""
        path = self._path(sha256)
        try:
            document = Document.model_validate_json(path.read_bytes())
        except (OSError, ValidationError, ValueError):
            return None
        return document.model_copy(update={"source": source})

    def put(self, document: Document) -> None:
        """Store a parsed document (atomically; a failure to write is not an error)."""
        if document.sha256 is None:
            return
        path = self._path(document.sha256)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                stream.write(document.model_copy(update={"source": ""}).model_dump_json().encode())
            os.replace(temporary, path)
        except OSError:
            pass

    def _path(self, sha256: str) -> Path:
        return self.directory / sha256[:2] / f"{sha256}.json"
