"""Reading: encodings, formats, HTML rendering and line numbers."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listparse.errors import ReadError
from listparse.read import TEXT_SUFFIXES, read_bytes, suffix_format_of

ARTICLE = "Best pies — ranked\n\n1. Apple “crumble”\n2. Cherry\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        pytest.param(ARTICLE.encode("utf-8"), "utf-8", id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + ARTICLE.encode("utf-8"), "utf-8-sig", id="utf-8-bom"),
        pytest.param(ARTICLE.encode("utf-16"), "utf-16", id="utf-16-bom"),
        pytest.param(ARTICLE.encode("utf-16-le"), "utf-16-le", id="utf-16-le-no-bom"),
        pytest.param(ARTICLE.encode("cp1252"), "cp1252", id="cp1252"),
    ],
)
def test_decode_finds_the_encoding(data, encoding):
    """Each encoding is recognised and decodes to the same text."""
    text = read_bytes(data, "pies.txt")
    assert text.encoding == encoding
    assert text.content == ARTICLE


def test_newlines_are_normalized():
    """CRLF and CR become LF; line numbers count original lines."""
    text = read_bytes(b"Title\r\n\r\n1. One\r2. Two\r\n", "x.txt")
    assert [(line.number, line.text) for line in text.lines] == [
        (1, "Title"), (2, ""), (3, "1. One"), (4, "2. Two"), (5, "")]


@pytest.mark.parametrize(
    ("data", "status"),
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b"  \n\t\n", "empty", id="white-space"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "binary", id="png"),
        pytest.param(bytes(range(1, 32)) * 20, "binary", id="control-characters"),
        pytest.param(b"\x81\x8d\x8f\x90\x9d" * 50, "undecodable", id="undecodable"),
    ],
)
def test_bad_bytes_raise_read_error(data, status):
    """Empty, binary and undecodable input raise ReadError with a status."""
    with pytest.raises(ReadError) as raised:
        read_bytes(data, "bad.txt")
    assert raised.value.status == status
    assert "bad.txt" in str(raised.value)


def test_a_few_broken_bytes_in_utf8_are_replaced_with_a_warning():
    """Mostly valid UTF-8 keeps its text; the loss is reported, not silent."""
    data = ("Café list — ñ é ü ö\n1. Crème\n2. Brûlée\n").encode() + b"\xff\n"
    text = read_bytes(data, "cafe.txt")
    assert text.encoding == "utf-8"
    assert "Brûlée" in text.content
    assert text.warnings == ["1 undecodable byte sequence(s) replaced by U+FFFD"]


def test_html_is_sniffed_without_a_suffix():
    """A file named without .html but starting with <!doctype html> is rendered as HTML."""
    text = read_bytes(b"<!DOCTYPE html><html><body><h2>1. One</h2></body></html>", "page")
    assert text.format == "html"
    assert text.lines[0].text == "## 1. One"


def test_html_rendering_keeps_blocks_and_drops_furniture():
    """Headings, paragraphs, list items and <br> lines; scripts, nav and hidden parts dropped."""
    page = b"""<html><head><title>T</title><meta name="author" content="Ann Lee"></head><body>
<nav><ol><li>Home</li></ol></nav>
<h1>Top 3</h1>
<script>var x = "1. Not an entry";</script>
<p>Intro<br>second line</p>
<ol start="3" reversed><li>Three</li><li>Two</li></ol>
<div style="display:none">1. Hidden</div>
<div class="related-posts"><h3>5 Other Lists</h3></div>
<p><strong>1. Bold</strong></p>
</body></html>"""
    text = read_bytes(page, "page.html")
    assert [line.text for line in text.lines] == [
        "# Top 3", "Intro", "second line", "3. Three", "2. Two", "**1. Bold**"]
    assert [line.number for line in text.lines] == [3, 5, 5, 6, 6, 9]
    assert text.head["author"] == ("Ann Lee", "meta[author]")


def test_markdown_with_raw_html_block_is_rendered():
    """A raw HTML block inside Markdown becomes lines with the block's line numbers."""
    markdown = "# Albums\n\n<ul>\n<li>\n<h4>Album</h4>\n<h6>#1</h6>\n</li>\n</ul>\n\nAfter\n"
    text = read_bytes(markdown.encode(), "a.md")
    assert [(line.number, line.text) for line in text.lines if line.text] == [
        (1, "# Albums"), (5, "#### Album"), (6, "###### #1"), (10, "After")]


@settings(max_examples=1000)
@given(st.lists(st.sampled_from(["a", ".", "/", "\\", " ", "é", "txt", "TXT", "md", "Markdown", "htm", "html",
                                 ".txt", ".md", ".HTML", ".xhtml", "..", "./", "#"]), max_size=8).map("".join))
def test_a_name_suffix_tells_the_format_a_path_suffix_tells(name):
    """The short way to a name's format, without a Path, agrees with the Path's suffix."""
    assert suffix_format_of(name) == TEXT_SUFFIXES.get(Path(name).suffix.lower())
