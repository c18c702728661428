"""The data listparse produces, as frozen pydantic models.

Every value that leaves the parser keeps where it came from: a `Span` names
the line of the original document and the character range in the text that
was parsed (for HTML, the rendered text; for text and Markdown, the decoded
file itself).

Their JSON is schema version 2: a key whose value is its default (`null`, an
empty list, `"status": "ok"`, `"known": true`; `listparse schema` states each
default) is left out, a span is `[line, start, end]`, and a work's
appearances are not repeated beside its title's evidence, which lists every
one. Version 1 files (every key written, spans as objects, `appearances`)
are read as well.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler, PrivateAttr, model_validator
from pydantic_core import CoreSchema, core_schema

Order = Literal["ascending", "descending"]
Format = Literal["text", "markdown", "html"]
Status = Literal["ok", "no-list", "empty", "binary", "undecodable", "missing", "unreadable", "skipped", "too-large",
                 "timeout", "error"]
FieldValue = int | str | list[str] | None


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def model_dump_json(self, **options: Any) -> str:
        """The model's JSON, leaving out every value that is its default (the schema says which)."""
        options.setdefault("exclude_defaults", True)
        return super().model_dump_json(**options)


def empty_list() -> Any:
    """A list field's default, `[]`: made afresh for each model rather than copied (pydantic deep-copies
    a literal `[]` default, a Python call for every list a record leaves out), and still stated in the
    JSON Schema as `"default": []`."""
    return Field(default_factory=list, json_schema_extra={"default": []})


def empty_dict() -> Any:
    """A dict field's default, `{}`, as `empty_list` makes a list's."""
    return Field(default_factory=dict, json_schema_extra={"default": {}})


class Span(NamedTuple):
    """Where a value was printed: 1-based source line and [start, end) in the parsed text; in JSON
    `[line, start, end]` (version 1's `{"line", "start", "end"}` is read too)."""

    line: int
    start: int
    end: int

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        """A Span the parser made is taken as it is: pydantic would build it again from its three numbers
        for every model that holds it. Anything else, and all JSON, is read as the named tuple (its errors
        and JSON Schema unchanged)."""
        read = dict(handler(source))
        ref = read.pop("ref")  # the JSON Schema's definition is this schema's, as the named tuple's was
        return core_schema.json_or_python_schema(
            json_schema=read, python_schema=core_schema.no_info_wrap_validator_function(_as_made, read), ref=ref)


def _as_made(value: Any, read: core_schema.ValidatorFunctionWrapHandler) -> Any:
    """A Span of three ints as it is; anything else as the named tuple reads it."""
    if type(value) is Span and type(value.line) is type(value.start) is type(value.end) is int:
        return value
    return read(value)


class Change(Model):
    """One normalization rule that changed one value: replayable, in order."""

    field: str
    rule: str
    before: str
    after: str


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
    fields: list[MetaField] = empty_list()
    changes: list[Change] = empty_list()
    names: list[Located] = empty_list()
    work_id: str | None = None


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
    confidence: float | None = None  # 0-1, how much to trust the parse; None when nothing was parsed
    confidence_reasons: list[str] = empty_list()  # what lowered it, with how much each took off
    decisions: list[str] = empty_list()  # why this list was chosen and how its titles were split
    warnings: list[str] = empty_list()
    entries: list[Entry] = empty_list()  # last, so that a document's JSON is its head followed by its entries


class Evidence(Model):
    """One place that supports a value: document, rank, span, raw text, and the rules that changed it.

    A value that came from a catalogue has the catalogue's name as `source`,
    no rank, no span, and the catalogue entry's number as `catalogue_entry`.
    """

    source: str
    rank: int | None = None
    span: Span | None = None
    raw: str
    rules: list[Change] = empty_list()
    catalogue_entry: int | None = None


class Alternative(Model):
    """A value seen for a field, with the evidence for it."""

    value: FieldValue
    evidence: list[Evidence]


class WorkField(Model):
    """A work's chosen value for one field, why it was chosen, and every value that lost."""

    value: FieldValue
    chosen_by: str
    evidence: list[Evidence]
    conflicts: list[Alternative] = empty_list()


class Person(Model):
    """A person or character named in a work's descriptions, spelling variants unified."""

    name: str
    variants: list[str] = empty_list()
    evidence: list[Evidence]
    changes: list[Change] = empty_list()


class CatalogueLink(Model):
    """The catalogue entry a work was linked to, and on which title."""

    catalogue: str
    entry: int
    title: str
    matched_on: str
    ids: dict[str, str] = empty_dict()


class Appearance(Model):
    """One entry of one document that is this work (see `Work.appearances`)."""

    source: str
    rank: int
    title_raw: str
    span: Span


class Work(Model):
    """One canonical work merged from all its appearances.

    `previous_ids`: the other ids this work had in the runs its id was carried
    through (a work it absorbed, the work it split from). Every appearance
    supports one of its titles, so the evidence of `title` and of `aliases`
    lists them all; `appearances` reads them from there.
    """

    id: str
    previous_ids: list[str] = empty_list()
    title: WorkField
    aliases: list[Alternative] = empty_list()
    fields: dict[str, WorkField] = empty_dict()
    people: list[Person] = empty_list()
    catalogue: CatalogueLink | None = None
    matched_by: list[str] = empty_list()

    @model_validator(mode="before")
    @classmethod
    def _without_listed_appearances(cls, data: Any) -> Any:
        """A version 1 work lists its appearances, which its title evidence holds as well."""
        if isinstance(data, dict) and "appearances" in data:
            data = {key: value for key, value in data.items() if key != "appearances"}
        return data

    @property
    def appearances(self) -> list[Appearance]:
        """Every entry that is this work, in document order: each piece of title evidence a document printed."""
        options: list[WorkField | Alternative] = [self.title, *self.aliases]
        stated = [Appearance(source=evidence.source, rank=evidence.rank, title_raw=evidence.raw, span=evidence.span)
                  for option in options for evidence in option.evidence
                  if evidence.rank is not None and evidence.span is not None and evidence.catalogue_entry is None]
        return sorted(stated, key=lambda appearance: (appearance.source, appearance.span))


class DocumentRef(Model):
    """An input document of the dataset."""

    source: str
    sha256: str | None
    status: Status
    entries: int


class Dataset(Model):
    """works.json: the canonical works of a batch, with the documents they came from.

    `parsed_documents` holds the full parse of every input (what documents.json
    has) when the dataset came from `listparse.ingest`; it is not part of works.json.
    """

    schema_version: int
    documents: list[DocumentRef]
    works: list[Work]
    _parsed_documents: list[Document] = PrivateAttr(default_factory=list)

    @property
    def parsed_documents(self) -> list[Document]:
        return self._parsed_documents
