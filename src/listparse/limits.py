"""Per-document limits: what keeps one hostile document from stopping a batch.

Every regex and loop of the parser is meant to be linear or bounded; these
limits are the backstop. A document over one gets the status `too-large` or
`timeout`, a message naming the limit, and its row in documents.csv; the rest
of the batch goes on. Attributes too long for libxml2 (which is quadratic in
the attributes of one tag) are removed before the page is parsed, with a
warning, and the page is read without them.

The limits are module constants: set them before a run to change them
(`listparse.limits.TIME_LIMIT = 120`; `None` switches the time limit off).
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import ReadError

TIME_LIMIT: float | None = 60.0  # seconds to read, parse and normalize one document
MAX_LINE_CHARS = 1_048_576  # characters in one line of text (for HTML, one rendered line)
MAX_TITLE_CHARS = 1_000  # characters in one entry's title
MAX_ATTRIBUTE_CHARS = 65_536  # characters of one attribute value, and of all the attributes of one tag

# An attribute value, or a tag, longer than the limit (the class is linear: each run stops at its quote or ">").
LONG_VALUE_RE = re.compile(rf"""=[ \t\n]*(?:"[^"]{{{MAX_ATTRIBUTE_CHARS},}}"|'[^']{{{MAX_ATTRIBUTE_CHARS},}}')""")
LONG_TAG_RE = re.compile(rf"<([a-zA-Z][\w:-]{{0,30}})[^<>]{{{MAX_ATTRIBUTE_CHARS},}}>")


class LimitError(ReadError):
    """A document exceeds a per-document limit; `status` is `too-large` or `timeout`."""


def check_lines(source: str, lines: Iterator[tuple[int, str]]) -> None:
    """Raise LimitError for the first (line number, text) longer than MAX_LINE_CHARS."""
    for number, text in lines:
        if len(text) > MAX_LINE_CHARS:
            raise LimitError(source, "too-large", f"line {number} has {len(text):,} characters, over the limit "
                                                  f"of {MAX_LINE_CHARS:,} (listparse.limits.MAX_LINE_CHARS)")


def check_titles(document) -> None:
    """Raise LimitError when an entry's title is longer than MAX_TITLE_CHARS."""
    for entry in document.entries:
        if len(entry.title) > MAX_TITLE_CHARS:
            raise LimitError(document.source, "too-large",
                             f"the title of entry {entry.rank} (line {entry.span.line}) has {len(entry.title):,} "
                             f"characters, over the limit of {MAX_TITLE_CHARS:,} (listparse.limits.MAX_TITLE_CHARS)")


def without_long_attributes(markup: str) -> tuple[str, list[str]]:
    """Remove attribute values and tags' attributes longer than MAX_ATTRIBUTE_CHARS; say what was removed."""
    if len(markup) < MAX_ATTRIBUTE_CHARS:
        return markup, []
    warnings = []
    markup, values = LONG_VALUE_RE.subn('=""', markup)
    if values:
        warnings.append(f"{values} attribute value(s) over {MAX_ATTRIBUTE_CHARS:,} characters removed")
    markup, tags = LONG_TAG_RE.subn(r"<\1>", markup)
    if tags:
        warnings.append(f"the attributes of {tags} tag(s) over {MAX_ATTRIBUTE_CHARS:,} characters removed")
    return markup, warnings


@contextmanager
def deadline(source: str, seconds: float | None = None) -> Iterator[None]:
    """Raise LimitError (status `timeout`) in the block when it runs longer than `seconds` (default TIME_LIMIT).

    A SIGALRM timer, so only in the main thread of a process (the parent, or a worker of the pool); the
    previous handler and timer are restored afterwards. Python code and regexes are interrupted; a call
    into C (libxml2) ends first, which is why its input is bounded beforehand.
    """
    seconds = TIME_LIMIT if seconds is None else seconds
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame) -> None:
        raise LimitError(source, "timeout", f"parsing took longer than the limit of {seconds:g} s "
                                            "(listparse.limits.TIME_LIMIT)")

    previous = signal.signal(signal.SIGALRM, expire)
    earlier, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if earlier:
            signal.setitimer(signal.ITIMER_REAL, earlier)
