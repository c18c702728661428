"""Records rendered once: what the output files need of an entry or a work is made where it is built.

A parse worker renders each entry's JSON and its entries.csv and fields.csv
cells; the merge renders each work's JSON and works.csv row. The writers
then splice in what only the merge knows (work ids, a work's previous ids)
instead of decoding every record back into models and encoding it again.
Splicing is exact: pydantic's compact JSON of a whole model is the
concatenation of its parts' compact JSON, so a spliced document is the very
bytes `model_dump_json` would give. The merge builds a work the same way: its
evidence and appearances rendered one by one as its entries are read, the
work itself as a skeleton with those lists empty (`filled_work`), so a work
printed in thousands of documents is never one tree of models.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pydantic_core import to_json

from .labels import CONVERTED_KINDS, FIELDS

if TYPE_CHECKING:
    from .models import Change, Entry, MetaField, Span, Work

NO_WORK_ID = b'"work_id":null}'  # how an entry's JSON ends before the merge (work_id is its last field)
EMPTY_ID = b'{"id":""'  # how a work's JSON starts before its id is known
NO_ENTRIES = b'"entries":[]'  # a document head's entries; only a document has this key, and once
# A work built as a skeleton leaves these empty, to be filled in order (see `filled_work`). Neither can
# occur inside a JSON string (its quotes would be escaped), nor as a key of `fields` (a field is an object).
NO_EVIDENCE = b'"evidence":[]'
NO_APPEARANCES = b'"appearances":[]'
RULES_END = b'],"catalogue_entry":'  # where an Evidence's rules end (catalogue_entry is its last field)


def entry_json(body: bytes, work_id: str | None) -> bytes:
    """An entry's JSON (`body`, as parsed) with its work's id."""
    if work_id is None:
        return body
    if not body.endswith(NO_WORK_ID):
        raise ValueError("an entry's JSON does not end with an empty work id")
    return body[:-len(b"null}")] + to_json(work_id) + b"}"


def document_json(head: bytes, entries: Iterable[bytes]) -> bytes:
    """A document's JSON from its head (the document without entries) and its entries' JSON, in order."""
    before, found, after = head.partition(NO_ENTRIES)
    if not found:
        raise ValueError("a document head has no empty entries list")
    return before + b'"entries":[' + b",".join(entries) + b"]" + after


def work_json(body: bytes, work_id: str, previous_ids: list[str]) -> bytes:
    """A work's JSON (`body`, built with an empty id) with its id, and its previous ids where it has some
    (the field pydantic leaves out when empty, right after the id)."""
    if not body.startswith(EMPTY_ID):
        raise ValueError("a work's JSON does not start with an empty id")
    spliced = b'{"id":' + to_json(work_id)
    if previous_ids:
        spliced += b',"previous_ids":' + to_json(previous_ids)
    return spliced + body[len(EMPTY_ID):]


def evidence_json(source: str, rank: int | None, span: Span | None, raw: str, rules: Iterable[Change] = (),
                  catalogue_entry: int | None = None) -> bytes:
    """An `Evidence`'s JSON without building the model: its fields in order, the same bytes."""
    return to_json({"source": source, "rank": rank, "span": span, "raw": raw, "rules": list(rules),
                    "catalogue_entry": catalogue_entry})


def with_rule(evidence: bytes, change: Change) -> bytes:
    """An Evidence's JSON with one more rule at the end of its rules."""
    before, found, after = evidence.rpartition(RULES_END)
    if not found:
        raise ValueError("an evidence's JSON does not end with its rules and catalogue entry")
    return before + (b"" if before.endswith(b"[") else b",") + to_json(change) + found + after


def appearance_json(source: str, rank: int, title_raw: str, span: Span) -> bytes:
    """An `Appearance`'s JSON without building the model."""
    return to_json({"source": source, "rank": rank, "title_raw": title_raw, "span": span})


def filled_work(skeleton: bytes, evidence: list[list[bytes]], appearances: list[bytes]) -> bytes:
    """A work's JSON from its skeleton (every evidence list and the appearances empty) and those lists'
    items as JSON, the evidence lists in the order the skeleton prints them."""
    head, found, tail = skeleton.partition(NO_APPEARANCES)  # the appearances follow every evidence list
    pieces = head.split(NO_EVIDENCE)
    if not found or len(pieces) != len(evidence) + 1:
        raise ValueError(f"a work's skeleton has {len(pieces) - 1} empty evidence lists, not {len(evidence)}")
    parts = [pieces[0]]
    for items, piece in zip(evidence, pieces[1:], strict=True):
        parts += (b'"evidence":[', b",".join(items), b"]", piece)
    parts += (b'"appearances":[', b",".join(appearances), b"]", tail)
    return b"".join(parts)


def field_cells(entry: Entry) -> list[tuple[str, MetaField, str]]:
    """Each field of an entry with the column it goes in and the part of it that column holds ("value",
    "raw" or "extra"): its name, `<name>_2`, `<name>_3` for a second and third field of one name (two
    credit lines), so a typed column holds one value; `<column>_raw`, the text as printed, where the value
    is a conversion of it (a runtime in minutes: `2h 16m` → 136); and `<column>_extra` where a field kept
    an extra."""
    cells = []
    seen: dict[str, int] = {}
    for field in entry.fields:
        seen[field.name] = seen.get(field.name, 0) + 1
        column = field.name if seen[field.name] == 1 else f"{field.name}_{seen[field.name]}"
        cells.append((column, field, "value"))
        if field.value is not None and FIELDS.get(field.name) in CONVERTED_KINDS:
            cells.append((f"{column}_raw", field, "raw"))
        if field.extra:
            cells.append((f"{column}_extra", field, "extra"))
    return cells


def entry_row(entry: Entry) -> bytes:
    """What entries.csv takes from an entry, as JSON: `[rank, title_raw, line, {column: cell}]` (its
    document's source, its work's id and the title the merge settles on are added when written)."""
    columns = {column: cell(field.value) if part == "value" else field.raw if part == "raw" else field.extra
               for column, field, part in field_cells(entry)}
    return to_json([entry.rank, entry.title_raw, entry.span.line, columns])


def field_values(entry: Entry, field: MetaField) -> list:
    """A field's row of fields.csv after its source: rank, field, label, value, extra, raw, known, line,
    start, end."""
    return [entry.rank, field.name, field.label, cell(field.value), field.extra, field.raw, int(field.known),
            field.span.line, field.span.start, field.span.end]


def document_fields(entries: Iterable[Entry]) -> bytes:
    """Every field of a document's entries as fields.csv rows without their source, as one JSON list."""
    return to_json([field_values(entry, field) for entry in entries for field in entry.fields])


def work_values(work: Work, appearances: tuple[int, int] | None = None) -> list:
    """A work's row of works.csv after its id and before its fields: title, aliases, appearances, documents,
    conflicts, people, catalogue. Counts, not lists, where a list grows with the corpus: a work printed in
    12,000 documents has a short row (entries.csv and works.json say which documents). `appearances`:
    (appearances, documents) when the work's own list is left empty (a skeleton)."""
    if appearances is None:
        appearances = len(work.appearances), len({appearance.source for appearance in work.appearances})
    return [
        work.title.value,
        cell([str(alias.value) for alias in work.aliases]),
        *appearances,
        sum(len(field.conflicts) for field in [work.title, *work.fields.values()]),
        cell([person.name for person in work.people]),
        work.catalogue.title if work.catalogue else None,
    ]


def work_row(work: Work, appearances: tuple[int, int] | None = None) -> bytes:
    """What works.csv takes from a work, as JSON: `[*work_values, {field: cell}]` (its id and previous ids
    are added when written). `appearances`: (appearances, documents) of a skeleton work, which has none."""
    return to_json([*work_values(work, appearances), {name: cell(field.value) for name, field in work.fields.items()}])


def cell(value: Any) -> str:
    """A value as one CSV cell: a list as a JSON array (`["Crunchyroll", "Funimation"]`), which no item's
    own text can split."""
    if value is None:
        return ""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
