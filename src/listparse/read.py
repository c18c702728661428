"""Sources to text: read bytes, decode them, and lay the document out as lines.

Whatever the input format, the parser sees the same thing: a list of `Line`s,
each knowing the line of the original file it came from and its character
offset in `Text.content` (the text that was parsed). Text and Markdown keep
their lines as they are; HTML is rendered to Markdown-like lines (headings as
`## …`, list items as `N. …`, bold as `**…**`) by `html_text`.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from . import limits
from .errors import ReadError
from .hidden import visible_lines
from .html_text import render_html

TEXT_SUFFIXES: Final = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
                        ".html": "html", ".htm": "html", ".xhtml": "html"}

NEWLINE_RE: Final = re.compile(r"\r\n?|\u2028|\u2029")
# How an HTML page opens, after its XML declaration and comments (skipped in code by `looks_like_html`:
# a regex skipping "<!--.*?-->" repeatedly backtracks exponentially on a text that is not HTML).
XML_PROLOGUE_RE: Final = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?")
HTML_START_RE: Final = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
# A page of server-side template source: ASP.NET/JSP directives, PHP, ASP.NET content blocks.
SERVER_PAGE_RE: Final = re.compile(r"\A\s*(?:<%[@=]?|<\?php\b|<asp:)", re.IGNORECASE)
# A raw HTML block inside Markdown starts with one of these tags (CommonMark's type 6).
MD_HTML_BLOCK_RE: Final = re.compile(
    r"^\s{0,3}<(?:ul|ol|li|div|table|section|article|figure|blockquote|h[1-6]|p|dl|details)\b",
    re.IGNORECASE)
MARKDOWN_SNIFF_RE: Final = re.compile(r"^\s{0,3}#{1,6}\s|^\s{0,3}[-*]\s|\*\*\S|\[[^\]]+\]\([^)]+\)", re.MULTILINE)
# Control characters other than tab, line feed and carriage return, as bytes: each is one byte in UTF-8.
CONTROL_BYTES: Final = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
CHECKED_CHARS: Final = 100000  # how much of a text is looked at for control characters


@dataclass(slots=True, unsafe_hash=True)
class Line:
    """One line of the parsed text.

    Never changed once read, but not frozen: a frozen dataclass sets each field through
    `object.__setattr__`, a microsecond per line. It compares and hashes as a frozen one would.
    Its `__init__` is written out: compiled (hatch_build.py) it runs as C, where the one `dataclass` writes
    stays Python."""

    number: int  # 1-based line in the original document
    start: int  # offset of the line in Text.content
    text: str
    group: int | None = None  # HTML only: the enclosing <li>/<article>/<section>, if any
    literal: bool = False  # code (a fenced block): shown as it is, never an entry or a heading

    def __init__(self, number: int, start: int, text: str, group: int | None = None, literal: bool = False) -> None:
        self.number = number
        self.start = start
        self.text = text
        self.group = group
        self.literal = literal


@dataclass(slots=True)
class Text:
    """A decoded document laid out as lines, with what its markup said about it."""

    source: str
    format: str
    encoding: str
    sha256: str
    lines: list[Line]
    head: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (value, origin)
    warnings: list[str] = field(default_factory=list)
    item_list: list[tuple[int, str]] = field(default_factory=list)  # schema.org ItemList (position, name)

    @property
    def content(self) -> str:
        return "\n".join([line.text for line in self.lines])  # a list: `join` makes one of a generator anyway


def read_file(path: Path, name: str) -> bytes:
    """The bytes of a file; a missing or unreadable one raises ReadError saying which."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ReadError(name, "missing", "no such file") from None
    except IsADirectoryError:
        raise ReadError(name, "unreadable", "is a directory") from None
    except PermissionError:
        raise ReadError(name, "unreadable", "permission denied") from None
    except OSError as error:
        raise ReadError(name, "unreadable", error.strerror or str(error)) from None


def read_bytes(data: bytes, source: str, sha256: str | None = None, whole_page: bool = False,
               known_format: str | None = None) -> Text:
    """Decode `data` (named `source`; `sha256` its hash, if known) and lay it out as lines.

    `whole_page`: render an HTML page with its furniture (see `html_text.render_html`).
    `known_format`: the format when the name does not tell it (a web archive's record is "html")."""
    if not data.strip():
        raise ReadError(source, "empty", "file is empty" if not data else "file holds only white space")
    suffix_format = known_format or suffix_format_of(source)
    text, encoding, warnings = decode(data, source, is_html=suffix_format == "html")
    if "\r" in text or "\u2028" in text or "\u2029" in text:
        text = NEWLINE_RE.sub("\n", text)
    fmt = suffix_format or sniff_format(text)
    if fmt != "html" and (looks_like_html(text) or SERVER_PAGE_RE.match(text)):
        fmt = "html"
    sha256 = sha256 or hashlib.sha256(data).hexdigest()
    if fmt == "html":
        page = render_html(text, whole_page)
        lines = _place(page.lines)
        _check_line_lengths(source, lines)
        return Text(source, fmt, encoding, sha256, lines, page.head, warnings + page.warnings, page.item_list)
    lines = markdown_lines(text, fmt == "markdown")
    _check_line_lengths(source, lines)
    return Text(source, fmt, encoding, sha256, lines, {}, warnings)


def suffix_format_of(source: str) -> str | None:
    """The format the suffix of the name `source` tells, if it tells one. A name ending in a suffix of
    TEXT_SUFFIXES, and not as the whole of its last part (".txt" names a hidden file), is told without a
    `Path`, which takes microseconds to make."""
    dot = source.rfind(".")
    if dot > 0 and source[dot - 1] != "/" and (known := TEXT_SUFFIXES.get(source[dot:].lower())):
        return known
    return TEXT_SUFFIXES.get(Path(source).suffix.lower())


def _check_line_lengths(source: str, lines: list[Line]) -> None:
    """Raise LimitError for a line over the limit. No line is longer than the whole content, whose length
    the last line's offset gives: the lines are measured one by one only when it is over the limit."""
    if lines and lines[-1].start + len(lines[-1].text) > limits.MAX_LINE_CHARS:
        limits.check_lines(source, ((line.number, line.text) for line in lines))


def decode(data: bytes, source: str, is_html: bool = False) -> tuple[str, str, list[str]]:
    """Bytes to text: BOMs, UTF-16 without BOM, UTF-8, then cp1252; binary is refused.

    Byte-order marks inside the text (files concatenated with theirs) are removed with a warning: one
    before "2. Title" would hide the rank and fold the entry into the one above.
    """
    text, encoding, warnings = _decode(data, source, is_html)
    inner_boms = text.count("\ufeff")
    if inner_boms:
        text = text.replace("\ufeff", "")
        warnings = [*warnings, f"{inner_boms} byte-order mark(s) inside the text removed"]
    return text, encoding, warnings


def _decode(data: bytes, source: str, is_html: bool) -> tuple[str, str, list[str]]:
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _decode_wide(data, encoding, source)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _decode_wide(data, utf16, source)
    nul_warning = []
    if b"\x00" in data:
        nuls = data.count(b"\x00")
        if nuls > max(8, len(data) // 1000):
            raise ReadError(source, "binary", "binary file (holds NUL bytes), not a text document")
        data = data.replace(b"\x00", b"")
        nul_warning = [f"{nuls} NUL byte(s) removed"]
    text, encoding, warnings = _decode_text(data, source, is_html)
    return text, encoding, nul_warning + warnings


def _decode_wide(data: bytes, encoding: str, source: str) -> tuple[str, str, list[str]]:
    """UTF-16/32: a file cut in the middle of a character loses that character, with a warning."""
    width = 4 if "32" in encoding else 2
    warnings = []
    if len(data) % width:
        data = data[:len(data) - len(data) % width]
        warnings.append("file ends in the middle of a character (truncated?); the partial character was dropped")
    try:
        return _checked(data.decode(encoding), source), encoding, warnings
    except UnicodeDecodeError:
        raise ReadError(source, "undecodable", f"invalid {encoding}") from None


def _decode_text(data: bytes, source: str, is_html: bool) -> tuple[str, str, list[str]]:
    """UTF-8, then the encoding an HTML page declares, then cp1252."""
    try:
        return _checked(data.decode("utf-8"), source, data), "utf-8", []
    except UnicodeDecodeError:
        pass
    if is_html or looks_like_html(data[:2048].decode("latin-1")):
        declared = _declared_html_encoding(data)
        if declared:
            return _checked(data.decode(declared, errors="replace"), source), declared, []
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    if multibyte > 4 * bad:
        # Mostly valid UTF-8 with a few broken bytes: keep the rest, say what was lost.
        warning = f"{bad} undecodable byte sequence(s) replaced by U+FFFD"
        return _checked(text, source), "utf-8", [warning]
    text = data.decode("cp1252", errors="replace")
    if text.count("\ufffd") > max(2, len(text) // 1000):
        raise ReadError(source, "undecodable", "bytes are neither UTF-8, UTF-16 nor cp1252 text")
    return _checked(text, source), "cp1252", []


def sniff_format(text: str) -> str:
    """Guess the format of a file whose name says nothing (no or unknown suffix)."""
    if looks_like_html(text):
        return "html"
    head = text[:20000]
    if MARKDOWN_SNIFF_RE.search(head):
        return "markdown"
    return "text"


def looks_like_html(text: str) -> bool:
    """The text opens as an HTML page: a doctype or <html>/<head>/<body>, after an XML declaration and comments.

    >>> looks_like_html("<?xml version='1.0'?>\\n<!-- saved -->\\n<!DOCTYPE html><html>")
    True
    >>> looks_like_html("<!-- -->\\n<!-- -->\\nA list")
    False
    """
    prologue = XML_PROLOGUE_RE.match(text)
    position = prologue.end() if prologue else 0  # it always matches, if only the empty string
    while text.startswith("<!--", position):
        end = text.find("-->", position + 4)
        if end < 0:
            return False
        position = end + 3
        while position < len(text) and text[position].isspace():
            position += 1
    return HTML_START_RE.match(text, position) is not None


def markdown_lines(text: str, is_markdown: bool = True) -> list[Line]:
    """Split text or Markdown into lines; raw HTML blocks inside it are rendered; code fences are literal,
    and in Markdown what a reader never sees (comments, scripts) is blanked. Plain text shows all of it."""
    raw_lines = text.split("\n")
    marked = "```" in text or "~~~" in text or (is_markdown and "<" in text)
    if not marked and "<" not in text:  # no code, nothing hidden, no HTML block: the lines as they are
        return _numbered(raw_lines)
    shown = visible_lines(raw_lines, hide_markup=is_markdown) if marked else None
    lines: list[tuple[int, str, int | None, bool]] = []
    index = 0
    while index < len(raw_lines):
        raw, literal = shown[index] if shown is not None else (raw_lines[index], False)
        if not literal and "<" in raw and MD_HTML_BLOCK_RE.match(raw):
            end = index
            while end < len(raw_lines) and raw_lines[end].strip() and not (shown and shown[end][1]):
                end += 1
            block = render_html("\n".join(raw_lines[index:end]))
            lines.extend((index + number, line_text, group, False) for number, line_text, group in block.lines)
            index = end
            continue
        lines.append((index + 1, raw, None, literal))
        index += 1
    return _place(lines)


def _place(rendered: Sequence[tuple]) -> list[Line]:
    """Give each rendered line, (number, text, group) and whether it is literal if it may be, its offset
    in the joined content (the texts joined by newlines)."""
    lines = []
    offset = 0
    for line in rendered:
        text = line[1]
        lines.append(Line(line[0], offset, text, line[2], len(line) > 3 and line[3]))
        offset += len(text) + 1
    return lines


def _numbered(texts: list[str]) -> list[Line]:
    """The lines of a text as they are, numbered from 1, each with its offset in the text.

    A loop, not `map(Line, …)`: compiled, it makes each line by a direct call of its `__init__`, where
    `map` calls the class as Python calls it, its arguments parsed for every line."""
    lines = []
    offset = 0
    for number, text in enumerate(texts, 1):
        lines.append(Line(number, offset, text))
        offset += len(text) + 1
    return lines


def _checked(text: str, source: str, utf8: bytes | None = None) -> str:
    """`text`, unless it is mostly control characters (`utf8`: its UTF-8 bytes, when it was decoded from them)."""
    sample = text[:CHECKED_CHARS]
    # Decoding strict UTF-8 and encoding it again gives back the same bytes: a whole text's need no encoding.
    encoded = utf8 if utf8 is not None and len(text) <= CHECKED_CHARS else None
    if sample and _control_characters(sample, encoded) > len(sample) // 20:
        raise ReadError(source, "binary", "binary file (mostly control characters), not a text document")
    return text


def _control_characters(text: str, encoded: bytes | None = None) -> int:
    """How many control characters (but tab and line breaks) `text` holds, counted among its UTF-8 bytes
    (`encoded`, if at hand): deleting bytes is several times faster than a regex finding characters."""
    if encoded is None:
        encoded = text.encode("utf-8", "surrogatepass")
    return len(encoded) - len(encoded.translate(None, CONTROL_BYTES))


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > len(odd) * 0.4 and even.count(0) < len(even) * 0.05:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.4 and odd.count(0) < len(odd) * 0.05:
        return "utf-16-be"
    return None


def _declared_html_encoding(data: bytes) -> str | None:
    from bs4.dammit import EncodingDetector

    declared = EncodingDetector.find_declared_encoding(data[:4096], is_html=True)
    if declared:
        try:
            return codecs.lookup(declared).name
        except LookupError:
            return None
    return None
