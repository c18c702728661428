"""The tables of listparse.db and of the Parquet files: columns, types, keys, indexes and meanings (data).

One definition for both formats (and for the README's tables, which a test
checks against it): SQLite declares INTEGER, REAL and TEXT, Parquet mirrors
them as int64, double and string. A table's first column is its primary key;
`references` names the table whose key a column holds (a declared foreign
key, which Datasette and sqlite-utils follow). Names are plain snake_case, the
same as the CSV files' columns (`order` and `end` need quotes in SQL).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str  # INTEGER, REAL or TEXT
    meaning: str
    references: str | None = None  # the table whose primary key this column holds
    not_null: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """A table: its first column is the primary key; `indexes` are column tuples indexed besides it."""

    name: str
    meaning: str
    columns: tuple[Column, ...]
    indexes: tuple[tuple[str, ...], ...] = ()
    unique: tuple[str, ...] = ()

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]


def _required(name: str, type: str, meaning: str, references: str | None = None) -> Column:
    return Column(name, type, meaning, references, not_null=True)


INT, REAL, TEXT = "INTEGER", "REAL", "TEXT"
SPAN = (Column("line", INT, "1-based line of the original file (HTML: of the element)"),
        Column("start", INT, "start offset in the parsed text (HTML: the rendered text)"),
        Column("end", INT, "end offset, exclusive"))
JSON_ARRAY = "JSON array"

TABLES = (
    Table("documents", "One row per input, failed ones included (as documents.csv).", (
        _required("source", TEXT, "the input's name, as every other file writes it"),
        Column("sha256", TEXT, "of its bytes"),
        Column("format", TEXT, "`text`, `markdown` or `html`"),
        Column("encoding", TEXT, "the encoding it was decoded with"),
        Column("headline", TEXT, "the document's headline"),
        Column("author", TEXT, "its author, where stated"),
        Column("url", TEXT, "its address, where stated"),
        Column("date", TEXT, "its date, ISO 8601, where stated and read"),
        Column("date_raw", TEXT, "its date as printed"),
        Column("order", TEXT, "`ascending` or `descending`: how its list counts"),
        _required("entries", INT, "number of entries"),
        _required("status", TEXT, "`ok`, or why it was not parsed (`no-list`, `empty`, `missing`, …)"),
        Column("message", TEXT, "what went wrong, for a failed document"),
        Column("confidence", REAL, "0-1, how much to trust the parse"),
        Column("confidence_reasons", TEXT, f"{JSON_ARRAY}: what lowered the confidence"),
        _required("warnings", INT, "number of warnings (documents.json has them)"),
    ), indexes=(("status",),)),
    Table("entries", "One row per entry of every list.", (
        _required("id", INT, "numbered in (source, position) order"),
        _required("source", TEXT, "its document", "documents"),
        _required("position", INT, "1-based place in its document's list (unique with `source`)"),
        _required("rank", INT, "the rank"),
        _required("rank_text", TEXT, "the rank as printed (`#3`, `III.`)"),
        _required("title_raw", TEXT, "the title as printed"),
        _required("title", TEXT, "the title after the normalization rules (`changes` has them)"),
        Column("work_id", TEXT, "the work it is (none for a title without letters or digits)", "works"),
        *SPAN,
        _required("description", TEXT, "the entry's text below its title"),
    ), indexes=(("source",), ("work_id",)), unique=("source", "position")),
    Table("fields", "One row per metadata field of every entry (as fields.csv).", (
        _required("id", INT, "numbered in entry order"),
        _required("entry_id", INT, "its entry", "entries"),
        _required("source", TEXT, "its entry's document", "documents"),
        _required("rank", INT, "its entry's rank"),
        _required("field", TEXT, "the canonical field name (`year`, `streaming`, an unknown label folded)"),
        _required("label", TEXT, "the label as printed"),
        Column("value", TEXT, f"the typed value as text (`2018`; a list as a {JSON_ARRAY})"),
        Column("extra", TEXT, "what the type could not hold (`2 OVAs`)"),
        _required("raw", TEXT, "the text it was read from"),
        _required("known", INT, "1 when the label table knows the label"),
        Column("note", TEXT, "why the value is not typed (`no year found`), or what it means"),
        *SPAN,
    ), indexes=(("entry_id",), ("source",), ("field",))),
    Table("works", "One row per merged work (as works.csv; the chosen field values in one JSON object).", (
        _required("id", TEXT, "readable, stable id (`your-lie-in-april`)"),
        _required("previous_ids", TEXT, f"{JSON_ARRAY} of the ids it had in earlier runs"),
        _required("title", TEXT, "the chosen title"),
        _required("chosen_by", TEXT, "the rule that chose it (`agreement`, `best_supported`, …)"),
        _required("aliases", TEXT, f"{JSON_ARRAY} of the other titles it appears under"),
        _required("appearances", INT, "number of entries that are this work"),
        _required("documents", INT, "number of documents it appears in (`entries` has which)"),
        _required("conflicts", INT, "number of losing values (`conflicts` has them)"),
        _required("people", TEXT, f"{JSON_ARRAY} of the people named in its descriptions"),
        Column("catalogue", TEXT, "the linked catalogue entry's title"),
        Column("catalogue_entry", INT, "that entry's number in the catalogue"),
        _required("matched_by", TEXT, f"{JSON_ARRAY} of the rules that joined its appearances"),
        _required("field_values", TEXT, "JSON object: each field's chosen value (`{\"year\": 2014}`)"),
    ), indexes=(("title",),)),
    Table("conflicts", "One row per losing value of a work's field.", (
        _required("id", INT, "numbered in work order"),
        _required("work_id", TEXT, "the work", "works"),
        _required("field", TEXT, "the field (`year`, `kind`, …)"),
        Column("value", TEXT, "the losing value"),
        Column("chosen", TEXT, "the value that won"),
        _required("chosen_by", TEXT, "the rule that chose it"),
        _required("documents", INT, "documents stating the losing value"),
        _required("evidence", INT, "pieces of evidence for it (`evidence` rows with this `conflict_id`)"),
    ), indexes=(("work_id",), ("field",))),
    Table("evidence", "One row per place that supports a value of a work: the chosen value's, an alias's, "
          "a losing value's.", (
        _required("id", INT, "numbered in work order"),
        _required("work_id", TEXT, "the work", "works"),
        _required("field", TEXT, "`title` or a field name"),
        _required("role", TEXT, "`value` (supports the chosen value), `alias` (another title) or `conflict`"),
        Column("value", TEXT, "the value it supports (a list field's: the union, as a JSON array)"),
        Column("chosen_by", TEXT, "for `value`: the rule that chose the value"),
        Column("conflict_id", INT, "for `conflict`: the losing value", "conflicts"),
        Column("source", TEXT, "the document (none when a catalogue said it)", "documents"),
        Column("entry_id", INT, "the entry it was read from", "entries"),
        Column("rank", INT, "that entry's rank"),
        *SPAN,
        _required("raw", TEXT, "the text as printed"),
        Column("catalogue", TEXT, "the catalogue's name, when a catalogue said it"),
        Column("catalogue_entry", INT, "the catalogue entry's number"),
    ), indexes=(("work_id", "field"), ("source",), ("entry_id",), ("conflict_id",))),
    Table("changes", "One row per normalization rule that changed a value, in order: an entry's title "
          "(documents.json's `changes`) or a piece of evidence (works.json's `rules`).", (
        _required("id", INT, "numbered in order"),
        Column("entry_id", INT, "the entry whose title it changed", "entries"),
        Column("evidence_id", INT, "the evidence whose value it changed", "evidence"),
        _required("step", INT, "1-based order among that entry's or evidence's changes"),
        _required("field", TEXT, "`title` or the field"),
        _required("rule", TEXT, "the rule's name (`fix_mojibake`, `type_year`, …)"),
        _required("before", TEXT, "the value before"),
        _required("after", TEXT, "the value after"),
    ), indexes=(("entry_id",), ("evidence_id",), ("rule",))),
)
TABLE_NAMES = tuple(table.name for table in TABLES)
BY_NAME = {table.name: table for table in TABLES}


def markdown_table(table: Table) -> str:
    """The table as the README shows it: column, type, meaning, key."""
    lines = ["| column | type | meaning | key |", "| --- | --- | --- | --- |"]
    for number, column in enumerate(table.columns):
        keys = ["primary key"] if number == 0 else []
        if column.references:
            keys.append(f"→ `{column.references}.{BY_NAME[column.references].names[0]}`")
        if any(index[0] == column.name for index in table.indexes) or table.unique[:1] == (column.name,):
            keys.append("indexed")
        kind = column.type + ("" if column.not_null or number == 0 else ", nullable")
        lines.append(f"| `{column.name}` | {kind} | {column.meaning} | {', '.join(keys)} |")
    return "\n".join(lines) + "\n"
