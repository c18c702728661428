"""The data listparse produces, as frozen pydantic models.

Every value that leaves the parser keeps where it came from: a `Span` names
the line of the original document and the character range in the text that
was parsed (for HTML, the rendered text; for text and Markdown, the decoded
file itself).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Order = Literal["ascending", "descending"]
Format = Literal["text", "markdown", "html"]
Status = Literal["ok", "no-list", "empty", "binary", "undecodable", "missing", "unreadable", "error"]
FieldValue = int | str | list[str] | None


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(Model):
    """Where a value was printed: 1-based source line and [start, end) in the parsed text."""

    line: int
    start: int
    end: int


class Located(Model):
    """A document-level value (headline, author, URL, date) and where it was found."""

    value: str
    raw: str
    span: Span | None = None
    origin: str  # what stated it: "heading", "front matter", "meta[name=author]", …


class MetaField(Model):
    """One labelled value of an entry, typed through the label table.

    `raw` is the value exactly as printed; `value` is the typed value; `extra`
    keeps whatever the typing could not hold (the "2 OVAs" of "13 + 2 OVAs").
    """

    name: str
    label: str
    raw: str
    value: FieldValue
    extra: str | None = None
    note: str | None = None
    known: bool = True
    span: Span


class Entry(Model):
    """One ranked item of a document's list."""

    rank: int
    rank_text: str
    title_raw: str
    title: str
    span: Span
    text: str = ""
    fields: list[MetaField] = []


class Document(Model):
    """The parse of one input: its list and what it says about itself."""

    source: str
    sha256: str | None = None
    format: Format | None = None
    encoding: str | None = None
    status: Status = "ok"
    message: str | None = None
    headline: Located | None = None
    author: Located | None = None
    url: Located | None = None
    date: Located | None = None
    order: Order | None = None
    entries: list[Entry] = []
    warnings: list[str] = []
