"""Records rendered once: what the output files need of an entry or a work is made where it is built.

A parse worker renders each entry's JSON and its entries.csv and fields.csv
cells; the merge renders each work's JSON and works.csv row. The writers
then splice in what only the merge knows (work ids, a work's previous ids)
instead of decoding every record back into models and encoding it again.
Splicing is exact: pydantic's compact JSON of a whole model is the
concatenation of its parts' compact JSON, so a spliced document is the very
bytes `model_dump_json` would give (the spliced keys are the last ones, and
left out while empty). The merge builds a work the same way: its evidence
rendered one piece at a time as its entries are read, the work's JSON
composed of those pieces (`work_json_of`), so a work printed in thousands of
documents is never one tree of models.

What the worker renders reads each model's fields from its `__dict__`, where
pydantic keeps them: reading an attribute passes through BaseModel's
`__getattr__` hook and the class's long method resolution order, several
times the cost of a dict's lookup, for every field of every entry.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import TYPE_CHECKING, Any, Final

import msgspec
from pydantic_core import to_json

from .labels import CONVERTED_KINDS, FIELDS
from .models import Entry

if TYPE_CHECKING:
    from .models import CatalogueLink, Change, FieldValue, MetaField, Work

    Rule = Change | dict[str, str]  # a normalization rule, as a model or as its JSON's dict

# A stored record's JSON as plain dicts and lists, at a quarter of what validating it into its model costs.
# msgspec, not orjson: orjson reads an integer beyond 64 bits as a float.
decode_json = msgspec.json.Decoder().decode
encode_json = msgspec.json.Encoder().encode
ENTRY_KEYS: Final = tuple(Entry.model_fields)  # the order an entry's JSON prints its keys in
WORK_ID: Final = b',"work_id":'  # an entry's last key, left out until the merge sets it
EMPTY_ID: Final = b'{"id":""'  # how a work's JSON starts before its id is known
ENTRIES: Final = b',"entries":['  # a document's last key, left out of a document head (no entries)


def entry_json(body: bytes, work_id: str | None) -> bytes:
    """An entry's JSON (`body`, as parsed: no work id) with its work's id."""
    if work_id is None:
        return body
    if WORK_ID in body:
        raise ValueError("an entry's JSON has a work id already")
    return body[:-1] + WORK_ID + to_json(work_id) + b"}"


def respelled_entry_json(body: bytes, canonical: str, work_id: str) -> bytes:
    """An entry's JSON (`body`, as parsed) with its work's id and its title respelled as the work's, the
    change recorded: what `merge.assign_entry` gives for a slip, without building the model."""
    entry = decode_json(body)
    change = {"field": "title", "rule": "spelling_from_other_documents", "before": entry["title"], "after": canonical}
    entry |= {"title": canonical, "changes": [*entry.get("changes", ()), change], "work_id": work_id}
    return to_json({key: entry[key] for key in ENTRY_KEYS if key in entry})


def parsed_entry_json(entry: Entry) -> bytes:
    """An entry's JSON as its model dumps it (defaults left out): its fields as plain dicts, written by
    msgspec, which writes them as pydantic does at three fifths of the cost. A lone surrogate, which neither
    can encode, fails as the model fails."""
    try:
        return encode_json(_entry_json(entry.__dict__))
    except (TypeError, UnicodeEncodeError):  # a value `model_copy` let in unvalidated, or a lone surrogate
        return Entry.__pydantic_serializer__.to_json(entry, exclude_defaults=True)  # prints it, or fails so


def _entry_json(values: dict[str, Any]) -> dict[str, Any]:
    """An `Entry`'s values (its `__dict__`) as its JSON holds them, defaults left out."""
    json: dict[str, Any] = {"rank": values["rank"], "rank_text": values["rank_text"], "title_raw": values["title_raw"],
                            "title": values["title"], "span": values["span"]}
    if values["text"]:
        json["text"] = values["text"]
    if values["fields"]:
        json["fields"] = [_field_json(field.__dict__) for field in values["fields"]]
    if values["changes"]:
        json["changes"] = [change.__dict__ for change in values["changes"]]  # no defaults to leave out
    if values["names"]:
        json["names"] = [_located_json(name.__dict__) for name in values["names"]]
    if values["work_id"] is not None:
        json["work_id"] = values["work_id"]
    return json


def _field_json(field: dict[str, Any]) -> dict[str, Any]:
    """A `MetaField`'s values (its `__dict__`) as its JSON holds them, defaults left out; TypeError for a
    value of a type it does not validate to (`model_copy` lets any in), which pydantic prints its own way."""
    value = field["value"]
    if not (value is None or type(value) is int or type(value) is str
            or (type(value) is list and all(type(item) is str for item in value))):
        raise TypeError(f"a field's value of type {type(value).__name__}")
    json = {"name": field["name"], "label": field["label"], "raw": field["raw"], "value": value}
    if field["extra"] is not None:
        json["extra"] = field["extra"]
    if field["note"] is not None:
        json["note"] = field["note"]
    if not field["known"]:
        json["known"] = False
    json["span"] = field["span"]
    return json


def _located_json(located: dict[str, Any]) -> dict[str, Any]:
    """A `Located`'s values (its `__dict__`) as its JSON holds them, defaults left out."""
    if located["span"] is None:
        return {"value": located["value"], "raw": located["raw"], "origin": located["origin"]}
    return located


def entry_facts(entry: Entry) -> tuple[int | None, str | None]:
    """An entry's year and kind (stated, or a series because it has several episodes): what the matching
    of titles across documents tells works apart by."""
    year = episodes = stated = None  # each the first of its fields that holds a value of its type
    for field in entry.fields:
        values = field.__dict__
        name, value = values["name"], values["value"]
        if isinstance(value, int):
            if name == "year" and year is None:
                year = value
            elif name == "episodes" and episodes is None:
                episodes = value
        elif isinstance(value, str) and name == "kind" and stated is None:
            stated = value
    return year, stated or kind_by_episodes(episodes)


def kind_by_episodes(episodes: int | None) -> str | None:
    """The kind an entry's episode count implies when none is stated: a series, when it has several."""
    return "series" if episodes and episodes > 1 else None


def document_json(head: bytes, entries: Iterable[bytes]) -> bytes:
    """A document's JSON from its head (the document without entries) and its entries' JSON, in order."""
    if ENTRIES in head:
        raise ValueError("a document head has entries")
    listed = b",".join(entries)
    return (head[:-1] + ENTRIES + listed + b"]}") if listed else head


def work_json(body: bytes, work_id: str, previous_ids: list[str]) -> bytes:
    """A work's JSON (`body`, built with an empty id) with its id, and its previous ids where it has some
    (the field left out when empty, right after the id)."""
    if not body.startswith(EMPTY_ID):
        raise ValueError("a work's JSON does not start with an empty id")
    spliced = b'{"id":' + to_json(work_id)
    if previous_ids:
        spliced += b',"previous_ids":' + to_json(previous_ids)
    return spliced + body[len(EMPTY_ID):]


def evidence_json(source: str, rank: int | None, span: Sequence[int] | None, raw: str,
                  rules: Sequence[Rule] = (), catalogue_entry: int | None = None) -> bytes:
    """An `Evidence`'s JSON without building the model: its fields in order, defaults left out, the same
    bytes. `span`: a `Span` or its JSON's `[line, start, end]`; `rules`: `Change`s or their JSON's dicts."""
    return evidence_json_after(evidence_opening(source, rank), span, raw, rules, catalogue_entry)


def evidence_opening(source: str, rank: int | None) -> str:
    """The opening of an `Evidence`'s JSON that names its document and rank: what every piece of evidence
    from one entry shares, so it is composed once for all of them (see `evidence_json_after`)."""
    text = '{"source":' + encode_basestring(source)  # composed as text, as to_json would print it
    return text if rank is None else text + ',"rank":' + str(rank)


def evidence_json_after(opening: str, span: Sequence[int] | None, raw: str, rules: Sequence[Rule] = (),
                        catalogue_entry: int | None = None) -> bytes:
    """`evidence_json` of the document and rank that `opening` (`evidence_opening`) names."""
    text = opening
    if span is not None:
        line, start, end = span
        text += f',"span":[{line},{start},{end}]'
    text += ',"raw":' + encode_basestring(raw)
    if rules:
        text += ',"rules":[' + ",".join(map(rule_json, rules)) + "]"
    if catalogue_entry is not None:
        text += ',"catalogue_entry":' + str(catalogue_entry)
    try:
        return (text + "}").encode()
    except UnicodeEncodeError:  # a lone surrogate: fail as to_json (and so the model) fails on it
        to_json(text)
        raise


def rule_json(rule: Rule) -> str:
    """A `Change`'s JSON, from the model or from its JSON's dict."""
    if not isinstance(rule, dict):
        rule = {"field": rule.field, "rule": rule.rule, "before": rule.before, "after": rule.after}
    return (f'{{"field":{encode_basestring(rule["field"])},"rule":{encode_basestring(rule["rule"])},'
            f'"before":{encode_basestring(rule["before"])},"after":{encode_basestring(rule["after"])}}}')


def with_rule(evidence: bytes, change: Rule) -> bytes:
    """An Evidence's JSON with one more rule at the end of its rules (rare: read back and rendered again)."""
    fields = json.loads(evidence)
    rules = [*fields.get("rules", []), change]
    return evidence_json(fields["source"], fields.get("rank"), fields.get("span"), fields["raw"], rules,
                         fields.get("catalogue_entry"))


def work_field_json(value: FieldValue, chosen_by: str, evidence: list[bytes], conflicts: list[bytes]) -> bytes:
    """A `WorkField`'s JSON from its evidence as JSON (`evidence_json`) and its conflicts' (`alternative_json`)."""
    json = b'{"value":' + to_json(value) + b',"chosen_by":' + to_json(chosen_by) + b',"evidence":[' + \
        b",".join(evidence) + b"]"
    if conflicts:
        json += b',"conflicts":[' + b",".join(conflicts) + b"]"
    return json + b"}"


def alternative_json(value: FieldValue, evidence: list[bytes]) -> bytes:
    """An `Alternative`'s JSON from its evidence as JSON."""
    return b'{"value":' + to_json(value) + b',"evidence":[' + b",".join(evidence) + b"]}"


def person_json(name: str, variants: list[str], evidence: list[bytes], changes: list[Rule]) -> bytes:
    """A `Person`'s JSON from its evidence as JSON."""
    json = b'{"name":' + to_json(name)
    if variants:
        json += b',"variants":' + to_json(variants)
    json += b',"evidence":[' + b",".join(evidence) + b"]"
    if changes:
        json += b',"changes":[' + ",".join(map(rule_json, changes)).encode() + b"]"
    return json + b"}"


def work_json_of(title: bytes, aliases: list[bytes], fields: dict[str, bytes], people: list[bytes],
                 catalogue: CatalogueLink | None, matched_by: list[str]) -> bytes:
    """A `Work`'s JSON with an empty id (see `work_json`), from its parts' JSON: its title and fields as
    `work_field_json`, its aliases as `alternative_json`, its people as `person_json`."""
    json = EMPTY_ID + b',"title":' + title
    if aliases:
        json += b',"aliases":[' + b",".join(aliases) + b"]"
    if fields:
        json += b',"fields":{' + b",".join(to_json(name) + b":" + field for name, field in fields.items()) + b"}"
    if people:
        json += b',"people":[' + b",".join(people) + b"]"
    if catalogue is not None:
        json += b',"catalogue":' + catalogue.model_dump_json().encode()
    if matched_by:
        json += b',"matched_by":' + to_json(matched_by)
    return json + b"}"


def entry_cells(entry: Entry) -> tuple[dict[str, str | None], list[list]]:
    """An entry's entries.csv cells by column, and its fields' rows of fields.csv (see `field_values`), from
    one walk over its fields.

    Each field goes in the column of its name, `<name>_2`, `<name>_3` for a second and third field of one
    name (two credit lines), so a typed column holds one value; beside it `<column>_raw`, the text as
    printed, where the value is a conversion of it (a runtime in minutes: `2h 16m` → 136), and
    `<column>_extra` where the field kept an extra.
    """
    cells: dict[str, str | None] = {}
    rows = []
    seen: dict[str, int] = {}
    rank = entry.rank
    for field in entry.fields:
        values = field.__dict__
        name, value, extra = values["name"], values["value"], values["extra"]
        count = seen[name] = seen.get(name, 0) + 1
        column = name if count == 1 else f"{name}_{count}"
        value_cell = value if type(value) is str else cell(value)
        cells[column] = value_cell
        if value is not None and FIELDS.get(name) in CONVERTED_KINDS:
            cells[f"{column}_raw"] = values["raw"]
        if extra:
            cells[f"{column}_extra"] = extra
        rows.append(_field_row(rank, values, value_cell))
    return cells, rows


def entry_row(entry: Entry, cells: dict[str, str | None] | None = None) -> bytes:
    """What entries.csv takes from an entry, as JSON: `[rank, title_raw, line, {column: cell}]` (its
    document's source, its work's id and the title the merge settles on are added when written);
    `cells`: its `entry_cells`, when they were made already."""
    return row_json([entry.rank, entry.title_raw, entry.span.line, entry_cells(entry)[0] if cells is None else cells])


def field_values(entry: Entry, field: MetaField) -> list:
    """A field's row of fields.csv after its source: rank, field, label, value, extra, raw, known, line,
    start, end (as `entry_cells` makes them for all of an entry's fields)."""
    return _field_row(entry.rank, field.__dict__, cell(field.value))


def _field_row(rank: int | None, field: dict[str, Any], value_cell: str | None) -> list:
    """A field's fields.csv row from its values (its `__dict__`)."""
    line, start, end = field["span"]
    return [rank, field["name"], field["label"], value_cell, field["extra"], field["raw"], int(field["known"]),
            line, start, end]


def document_fields(entries: Iterable[Entry]) -> bytes:
    """Every field of a document's entries as fields.csv rows without their source, as one JSON list."""
    return row_json([row for entry in entries for row in entry_cells(entry)[1]])


def row_json(row: list) -> bytes:
    """`to_json(row)` of a row of text, integers and nulls (as lists and dicts) at a third of its cost: msgspec
    writes them the same way. A lone surrogate, which neither can encode, fails as to_json fails."""
    try:
        return encode_json(row)
    except UnicodeEncodeError:
        return to_json(row)


def work_values(work: Work) -> list:
    """A work's row of works.csv after its id and before its fields (see `row_values`)."""
    listed = work.appearances
    return row_values(work.title.value, [str(alias.value) for alias in work.aliases],
                      (len(listed), len({appearance.source for appearance in listed})),
                      sum(len(field.conflicts) for field in [work.title, *work.fields.values()]),
                      [person.name for person in work.people], work.catalogue.title if work.catalogue else None)


def row_values(title: FieldValue, aliases: list[str], appearances: tuple[int, int], conflicts: int,
               people: list[str], catalogue: str | None) -> list:
    """A work's row of works.csv after its id and before its fields: title, aliases, appearances, documents,
    conflicts, people, catalogue. Counts, not lists, where a list grows with the corpus: a work printed in
    12,000 documents has a short row (entries.csv and works.json say which documents)."""
    return [title, cell(aliases), *appearances, conflicts, cell(people), catalogue]


def work_row(work: Work) -> bytes:
    """What works.csv takes from a work, as JSON: `[*work_values, {field: cell}]` (its id and previous ids
    are added when written)."""
    return to_json([*work_values(work), {name: cell(field.value) for name, field in work.fields.items()}])


def cell(value: Any) -> str:
    """A value as one CSV cell: a list as a JSON array (`["Crunchyroll", "Funimation"]`), which no item's
    own text can split."""
    if value is None:
        return ""
    if isinstance(value, list):
        return json_text(value)
    return str(value)


def json_text(value: Any) -> str:
    """`json.dumps(value, ensure_ascii=False)`, without its encoder object for the common text and numbers."""
    if isinstance(value, str):
        return encode_basestring(value)
    if type(value) is int:
        return str(value)
    if type(value) is list and all(type(item) is str for item in value):
        return "[" + ", ".join(map(encode_basestring, value)) + "]"
    return json.dumps(value, ensure_ascii=False)
