"""listparse: turn scraped "top N" listicles into clean, traceable data.

    >>> import listparse
    >>> document = listparse.parse_text("Best pies\\n\\n1. Apple\\n\\n2. Cherry\\n")
    >>> [(entry.rank, entry.title) for entry in document.entries]
    [(1, 'Apple'), (2, 'Cherry')]

Read `pipeline.py` next: it is the table of contents of the whole flow.
"""

from __future__ import annotations

__version__ = "0.2.0"

from .errors import ListparseError, ReadError
from .models import Change, Dataset, Document, Entry, Evidence, Located, MetaField, Span, Work, WorkField
from .pipeline import IngestOptions, ingest


def compiled() -> bool:
    """Whether this install parses with the modules mypyc compiled (a wheel built by `hatch_build.py`),
    rather than from their Python source (an editable or pure-Python install). Both give the same output."""
    from . import entries

    return not entries.__file__.endswith(".py")


def parse_text(text: str, source: str = "text") -> Document:
    """Parse and normalize one document given as a string (its format is sniffed from `source` and content)."""
    from .normalize import normalize_document
    from .parse import parse_text as parse
    from .read import read_bytes

    return normalize_document(parse(read_bytes(text.encode("utf-8"), source)))


__all__ = ["Change", "Dataset", "Document", "Entry", "Evidence", "IngestOptions", "ListparseError",
           "Located", "MetaField", "ReadError", "Span", "Work", "WorkField", "__version__", "compiled",
           "ingest", "parse_text"]
