"""listparse: turn scraped "top N" listicles into clean, traceable data.

    >>> import listparse
    >>> document = listparse.parse_text("Best pies\\n\\n1. Apple\\n\\n2. Cherry\\n")
    >>> [(entry.rank, entry.title) for entry in document.entries]
    [(1, 'Apple'), (2, 'Cherry')]
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import ListparseError, ReadError
from .models import Document, Entry, Located, MetaField, Span
from .pipeline import Result, ingest


def parse_text(text: str, source: str = "text") -> Document:
    """Parse a document given as a string (the format is sniffed from its content)."""
    from .parse import parse_text as parse
    from .read import read_bytes

    return parse(read_bytes(text.encode("utf-8"), source))


__all__ = ["Document", "Entry", "ListparseError", "Located", "MetaField", "ReadError", "Result",
           "Span", "__version__", "ingest", "parse_text"]
