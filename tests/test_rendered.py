"""Records rendered once and spliced: the very bytes a model dump gives, whichever way they are made."""

from __future__ import annotations

import json
import tracemalloc
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import to_json

from listparse import parse_text
from listparse.export import FromModels
from listparse.labels import CONVERTED_KINDS, FIELDS
from listparse.match import cluster_variants
from listparse.merge import assign_entry, build_work
from listparse.models import (
    Alternative,
    CatalogueLink,
    Change,
    Document,
    Entry,
    Evidence,
    Located,
    MetaField,
    Person,
    Span,
    Work,
    WorkField,
)
from listparse.pipeline import IngestOptions, Result, Source, output_files, parse_source, run
from listparse.rendered import (
    alternative_json,
    cell,
    document_json,
    entry_cells,
    entry_facts,
    entry_json,
    entry_row,
    evidence_json,
    field_values,
    parsed_entry_json,
    person_json,
    respelled_entry_json,
    row_json,
    with_rule,
    work_field_json,
    work_json,
    work_json_of,
)
from listparse.store import Parsed, Store

from .conftest import FIXTURES, ROOT, fixture_documents


def _entry(rank: int, title: str) -> Entry:
    return Entry(rank=rank, rank_text=f"{rank}.", title_raw=title, title=title, span=Span(line=rank, start=0, end=9))


def test_entry_json_splices_the_work_id():
    entry = _entry(1, 'Quote " and ,"work_id":null inside')
    body = entry.model_dump_json().encode()
    with_id = entry.model_copy(update={"work_id": "quote-2001"})
    assert entry_json(body, "quote-2001") == with_id.model_dump_json().encode()
    assert entry_json(body, None) == body


def test_document_json_is_the_whole_dump():
    entries = [_entry(1, 'A ,"entries":[ title'), _entry(2, "B")]
    document = Document(source="a.txt", entries=entries, warnings=[',"entries":[ in a warning'])
    parsed = Parsed.of(document)
    assert document_json(parsed.head, [body for *_, body, _ in parsed.entries]) == document.model_dump_json().encode()
    empty = Document(source="b.txt", status="no-list", message="no ranked list")
    assert document_json(Parsed.of(empty).head, []) == empty.model_dump_json().encode()


def test_work_json_splices_id_and_previous_ids():
    work = Work(id="", title=WorkField(value="A", chosen_by="agreement", evidence=[]))
    body = work.model_dump_json().encode()
    assert work_json(body, "a", []) == work.model_copy(update={"id": "a"}).model_dump_json().encode()
    carried = work.model_copy(update={"id": "a", "previous_ids": ["b", "c"]})
    assert work_json(body, "a", ["b", "c"]) == carried.model_dump_json().encode()


@pytest.mark.parametrize("splice, body", [(entry_json, b'{"rank":1,"work_id":"b"}'), (work_json, b'{"title":1}')])
def test_a_record_of_another_shape_is_refused(splice, body):
    with pytest.raises(ValueError):
        splice(body, "id", []) if splice is work_json else splice(body, "id")


def test_document_json_refuses_a_head_with_entries():
    with pytest.raises(ValueError):
        document_json(b'{"source":"a","entries":[{"rank":1}]}', [])


@pytest.mark.parametrize("indent", [None, 2])
def test_the_store_and_the_models_write_the_same_files(monkeypatch, indent):
    """What `Merged` splices from its store equals what `FromModels` renders from the models (the Spark
    engine writes through the latter): every file, byte for byte."""
    monkeypatch.chdir(ROOT)
    settings = IngestOptions(formats=("json", "csv", "jsonl"), indent=indent)
    with run(["raw", FIXTURES.relative_to(ROOT)], settings) as result:
        spliced = _written(result)
        documents, works = list(result.documents()), list(result.works())
        from_models = Result(_Rendered(result.merged, FromModels(lambda: documents, lambda: works)), result.skipped,
                             result.roots, result.settings, result.files, result.previous)
        rendered = _written(from_models)
    assert spliced == rendered
    changes = [change["rule"] for document in json.loads(spliced["documents.json"])["documents"]
               for entry in document.get("entries", []) for change in entry.get("changes", [])]
    assert "spelling_from_other_documents" in changes  # the entries the merge respells are rebuilt, not spliced


class _Rendered:
    """A merged batch whose records come from `records` instead of its store."""

    def __init__(self, merged, records: FromModels) -> None:
        self._merged, self._records = merged, records

    def __getattr__(self, name: str):
        return getattr(self._records if hasattr(self._records, name) else self._merged, name)


def _written(result: Result) -> dict[str, str]:
    return {name: "".join(chunks) for name, chunks in output_files(result, result.settings.formats).items()}


TRICKY = 'A "quote", a \\ backslash, \n a newline, \x01, "evidence":[] and ü → 東京'


@pytest.mark.parametrize("span", [Span(line=3, start=10, end=29), None])
def test_evidence_json_is_the_models_json(span):
    change = Change(field="title", rule="casing", before=TRICKY, after="b")
    evidence = Evidence(source="a.txt", rank=2, span=span, raw=TRICKY, rules=[change])
    assert evidence_json("a.txt", 2, span, TRICKY, [change]) == evidence.model_dump_json().encode()
    from_catalogue = Evidence(source="catalogue.csv", raw=TRICKY, catalogue_entry=7)
    assert evidence_json("catalogue.csv", None, None, TRICKY, catalogue_entry=7) == \
        from_catalogue.model_dump_json().encode()


EVERY_CONTROL = "".join(map(chr, range(0x20))) + "\x7f\u2028\u2029\ufeff"


@pytest.mark.parametrize("rank", [2, None])
@pytest.mark.parametrize("span", [Span(line=3, start=10, end=29), None])
@pytest.mark.parametrize("raw", [TRICKY, EVERY_CONTROL, ""])
def test_evidence_json_without_rules_is_the_models_json(rank, span, raw):
    evidence = Evidence(source="dir/ü \"a\".txt", rank=rank, span=span, raw=raw)
    assert evidence_json("dir/ü \"a\".txt", rank, span, raw) == evidence.model_dump_json().encode()


def test_evidence_json_refuses_a_lone_surrogate_as_the_model_does():
    with pytest.raises(Exception, match="surrogates not allowed"):
        Evidence(source="a\udcff.txt", raw="x").model_dump_json()
    with pytest.raises(Exception, match="surrogates not allowed"):
        evidence_json("a\udcff.txt", 1, None, "x")


def test_with_rule_appends_a_rule_to_none_or_some():
    first, second = (Change(field="title", rule=rule, before="a", after="b") for rule in ("one", "two"))
    bare = Evidence(source="a.txt", raw='"rules":[]', catalogue_entry=None)
    assert with_rule(bare.model_dump_json().encode(), first) == \
        bare.model_copy(update={"rules": [first]}).model_dump_json().encode()
    one = bare.model_copy(update={"rules": [first]})
    assert with_rule(one.model_dump_json().encode(), second) == \
        bare.model_copy(update={"rules": [first, second]}).model_dump_json().encode()
    listed = Evidence(source="a.txt", rank=3, span=Span(line=4, start=1, end=9), raw="x", rules=[first],
                      catalogue_entry=7)
    assert with_rule(listed.model_dump_json().encode(), second) == \
        listed.model_copy(update={"rules": [first, second]}).model_dump_json().encode()


def _composed(work: Work) -> bytes:
    """A work's JSON as the merge composes it, from its pieces of evidence rendered one at a time."""
    def pieces(evidence: list[Evidence]) -> list[bytes]:
        return [evidence_json(item.source, item.rank, item.span, item.raw, item.rules, item.catalogue_entry)
                for item in evidence]

    def alternative(option: Alternative) -> bytes:
        return alternative_json(option.value, pieces(option.evidence))

    def field(chosen: WorkField) -> bytes:
        return work_field_json(chosen.value, chosen.chosen_by, pieces(chosen.evidence),
                               [alternative(option) for option in chosen.conflicts])

    return work_json_of(field(work.title), [alternative(option) for option in work.aliases],
                        {name: field(chosen) for name, chosen in work.fields.items()},
                        [person_json(person.name, person.variants, pieces(person.evidence), person.changes)
                         for person in work.people], work.catalogue, work.matched_by)


def test_the_composed_models_have_the_fields_their_composers_print():
    """`work_json_of` and its pieces print these models' fields by hand: a field added to one of them must be
    added there too (and to the test below), or the merge's JSON would silently leave it out."""
    assert {model.__name__: list(model.model_fields) for model in (Work, WorkField, Alternative, Person, Evidence,
                                                                   Change)} == {
        "Work": ["id", "previous_ids", "title", "aliases", "fields", "people", "catalogue", "matched_by"],
        "WorkField": ["value", "chosen_by", "evidence", "conflicts"], "Alternative": ["value", "evidence"],
        "Person": ["name", "variants", "evidence", "changes"],
        "Evidence": ["source", "rank", "span", "raw", "rules", "catalogue_entry"],
        "Change": ["field", "rule", "before", "after"]}


def test_a_composed_work_is_the_whole_dump():
    def evidence(source: str, **more) -> Evidence:
        return Evidence(source=source, rank=1, span=Span(line=1, start=0, end=4), raw=TRICKY, **more)

    change = Change(field="people", rule="name_spelling_in_work", before="Kosei Arima", after=TRICKY)
    alias = Alternative(value="Shigatsu", evidence=[evidence("c.txt")])
    year = WorkField(value=2014, chosen_by="best_supported", evidence=[evidence("a.txt"), evidence("b.txt")],
                     conflicts=[Alternative(value=2015, evidence=[evidence("c.txt", rules=[change])])])
    streaming = WorkField(value=["Netflix", TRICKY], chosen_by="union", evidence=[evidence("a.txt")])
    untyped = WorkField(value=None, chosen_by="agreement", evidence=[])
    people = [Person(name="Kousei Arima", evidence=[evidence("a.txt")]),
              Person(name=TRICKY, variants=["Kosei Arima"], evidence=[evidence("b.txt", rules=[change])],
                     changes=[change])]
    link = CatalogueLink(catalogue="catalogue.csv", entry=3, title=TRICKY, matched_on="your lie in april",
                         ids={"mal": "23273"})
    work = Work(id="", title=WorkField(value="Your Lie in April", chosen_by="agreement", evidence=[evidence("a.txt")]),
                aliases=[alias], fields={"evidence": year, "streaming": streaming, "x": untyped}, people=people,
                catalogue=link, matched_by=["same_title", TRICKY])
    assert _composed(work) == work.model_dump_json().encode()
    without_ids = work.model_copy(update={"catalogue": CatalogueLink(catalogue="c.csv", entry=1, title="t",
                                                                    matched_on="t")})
    assert _composed(without_ids) == without_ids.model_dump_json().encode()
    bare = Work(id="", title=WorkField(value="X", chosen_by="aliases_file", evidence=[]))
    assert _composed(bare) == bare.model_dump_json().encode()


LONG_RUNNER = """Best Anime Ever

1. {title} ({year})

{name} is a piano prodigy. Kaori Miyazono changes him for good, and {name} plays again.

Where to Stream: Netflix, Crunchyroll
Episodes: 22

2. Anohana ({year})

A summer ghost story.
"""


def test_a_work_in_thousands_of_documents_is_built_without_a_tree_of_models():
    """3,000 documents print one work under two spellings, two years and two spellings of a name (one in
    five misspelt): its JSON
    is valid and canonical, keeps every piece of evidence, and building it takes memory of the order of the
    JSON itself (a tree of models took fifteen times as much)."""
    variants = [parse_text(LONG_RUNNER.format(title=title, year=year, name=name), source="x.txt")
                for title, year, name in [("Your Lie in April", 2014, "Kousei Arima"),
                                          ("Your Lie in Aprl", 2015, "Kosei Arima")]]
    with Store() as store:
        for number in range(3000):
            store.add_document(variants[number % 5 == 0].model_copy(update={"source": f"{number:04}.txt"}))
        store.index()
        clusters = list(cluster_variants(store.take_variants(), None, None))
        cluster = max(clusters, key=lambda c: sum(v.count for g in c.groups for v in g.variants if "April" in v.title))
        rows = store.mention_rows([variant.id for group in cluster.groups for variant in group.variants])
        tracemalloc.start()
        try:
            built = build_work(cluster, rows, None)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    work = Work.model_validate_json(built.body)
    assert work.model_dump_json().encode() == built.body
    assert len(work.appearances) == 3000 and work.title.value == "Your Lie in April"
    assert len(work.title.evidence) == 3000  # the misspelt 600 are folded in as slips
    assert sum(any(r.rule == "spelling_from_other_documents" for r in e.rules) for e in work.title.evidence) == 600
    year = work.fields["year"]
    assert (year.value, len(year.evidence), [(c.value, len(c.evidence)) for c in year.conflicts]) == \
        (2014, 2400, [(2015, 600)])
    assert [(person.name, len(person.evidence)) for person in work.people if "Arima" in person.name] == \
        [("Kousei Arima", 6000)]
    assert json.loads(built.row)[2:4] == [3000, 3000]  # appearances and documents in works.csv
    assert peak < 8 * len(built.body), f"building took {peak:,} bytes for {len(built.body):,} of JSON"


@pytest.mark.parametrize("changes", [[], [Change(field="title", rule="lowercase_small_words", before="A Of",
                                                   after="A of")]])
def test_respelled_entry_json_is_what_assign_entry_dumps(changes):
    """A slip's entry, respelled as its work's title with the change recorded, spliced from its JSON: the
    bytes `assign_entry` and `model_dump_json` give, whether the entry had changes before or not."""
    parsed = parse_text(LONG_RUNNER.format(title="Your Lie in Aprl", year=2014, name="Kosei Arima"), source="x.txt")
    entry = parsed.entries[0].model_copy(update={"changes": changes, "text": "Kosei \u2014 \"piano\""})
    assert entry.fields and entry.names  # every key of an entry is printed
    assert respelled_entry_json(entry.model_dump_json().encode(), "Your Lie in April", "your-lie-2014") == \
        assign_entry(entry, "your-lie-2014", "Your Lie in April").model_dump_json().encode()


# What a CSV row's JSON holds: text (any code point but a lone surrogate), integers of any size and nulls, in
# lists and in dicts keyed by column.
ROW_TEXT = st.text(st.characters(blacklist_categories=["Cs"]))
ROW_VALUES = st.one_of(ROW_TEXT, st.integers(), st.none())


@given(st.lists(st.one_of(ROW_VALUES, st.dictionaries(ROW_TEXT, ROW_VALUES, max_size=4)), max_size=8))
@settings(max_examples=1000, deadline=None)
def test_row_json_writes_what_to_json_writes(row):
    """msgspec writes the rows of entries.csv and fields.csv as pydantic's `to_json` does, byte for byte."""
    assert row_json(row) == to_json(row)


def test_row_json_fails_on_a_lone_surrogate_as_to_json_does():
    with pytest.raises(ValueError):
        to_json(["\ud800"])
    with pytest.raises(ValueError):
        row_json(["\ud800"])


def _cells_one_field_at_a_time(entry: Entry) -> dict[str, str | None]:
    """An entry's entries.csv cells as they were made before `entry_cells`: each field's columns listed
    first, then each column's cell read from its field."""
    listed = []
    seen: dict[str, int] = {}
    for field in entry.fields:
        seen[field.name] = seen.get(field.name, 0) + 1
        column = field.name if seen[field.name] == 1 else f"{field.name}_{seen[field.name]}"
        listed.append((column, field, "value"))
        if field.value is not None and FIELDS.get(field.name) in CONVERTED_KINDS:
            listed.append((f"{column}_raw", field, "raw"))
        if field.extra:
            listed.append((f"{column}_extra", field, "extra"))
    return {column: cell(field.value) if part == "value" else field.raw if part == "raw" else field.extra
            for column, field, part in listed}


def _fixture_entries() -> list[Entry]:
    return [entry for path in fixture_documents()
            for entry in parse_source(Source(path, path.name)).entries]


def _assert_cells_as_made_field_by_field(entry: Entry) -> None:
    cells, rows = entry_cells(entry)
    expected = _cells_one_field_at_a_time(entry)
    assert list(cells.items()) == list(expected.items())  # the same columns in the same order
    assert rows == [field_values(entry, field) for field in entry.fields]


def test_entry_cells_of_the_fixtures_are_made_as_field_by_field():
    """One walk over an entry's fields gives the cells and fields.csv rows that a walk for each gave, for
    every entry of every fixture."""
    entries = _fixture_entries()
    columns = [column for entry in entries for column in _cells_one_field_at_a_time(entry)]
    assert any(len({field.name for field in entry.fields}) < len(entry.fields) for entry in entries)
    assert any(column.endswith("_raw") for column in columns) and any(column.endswith("_extra") for column in columns)
    for entry in entries:
        _assert_cells_as_made_field_by_field(entry)


# Field names that collide: a repeated name, and names that look like another's numbered or raw column.
FIELD_NAMES = st.sampled_from(["year", "runtime", "creators", "kind", "year_2", "runtime_raw", "x_extra", "x"])
FIELD_VALUES = st.one_of(st.none(), st.integers(), ROW_TEXT, st.lists(ROW_TEXT, max_size=3))


@st.composite
def fields_of_an_entry(draw) -> list[MetaField]:
    return [MetaField(name=draw(FIELD_NAMES), label=draw(ROW_TEXT), raw=draw(ROW_TEXT), value=draw(FIELD_VALUES),
                      extra=draw(st.one_of(st.none(), ROW_TEXT)), known=draw(st.booleans()),
                      span=Span(line=number + 1, start=number, end=number + 2))
            for number in range(draw(st.integers(min_value=0, max_value=6)))]


@given(fields_of_an_entry())
@settings(max_examples=500, deadline=None)
def test_entry_cells_are_made_as_field_by_field(fields):
    """Any fields, names repeated or colliding with another's column: one walk gives what a walk for each gave."""
    _assert_cells_as_made_field_by_field(_entry(1, "A").model_copy(update={"fields": fields}))


def test_parsed_entry_json_of_the_fixtures_is_the_models_json():
    """Every entry of every fixture, in all the shapes they take, is rendered as its model dumps it."""
    entries = _fixture_entries()
    assert any(entry.fields and entry.changes and entry.names for entry in entries)
    for entry in entries:
        assert parsed_entry_json(entry) == entry.model_dump_json().encode()


@st.composite
def entries_of_every_key(draw) -> Entry:
    """An entry with any text in every key, each left at its default or not."""
    def span() -> Span:
        line, start = draw(st.integers(min_value=1, max_value=10**6)), draw(st.integers(min_value=0))
        return Span(line=line, start=start, end=start + draw(st.integers(min_value=0, max_value=99)))

    fields = [field.model_copy(update={"note": draw(st.one_of(st.none(), ROW_TEXT))})
              for field in draw(fields_of_an_entry())]
    changes = [Change(field=draw(ROW_TEXT), rule=draw(ROW_TEXT), before=draw(ROW_TEXT), after=draw(ROW_TEXT))
               for _ in range(draw(st.integers(min_value=0, max_value=2)))]
    names = [Located(value=draw(ROW_TEXT), raw=draw(ROW_TEXT), span=draw(st.one_of(st.none(), st.builds(span))),
                     origin=draw(ROW_TEXT)) for _ in range(draw(st.integers(min_value=0, max_value=2)))]
    return Entry(rank=draw(st.integers()), rank_text=draw(ROW_TEXT), title_raw=draw(ROW_TEXT), title=draw(ROW_TEXT),
                 span=span(), text=draw(st.one_of(st.just(""), ROW_TEXT)), fields=fields, changes=changes,
                 names=names, work_id=draw(st.one_of(st.none(), ROW_TEXT)))


@given(entries_of_every_key())
@settings(max_examples=1000, deadline=None)
def test_parsed_entry_json_is_the_models_json(entry):
    """Made of plain dicts, an entry's JSON is the model's, byte for byte: each key in order, defaults left out."""
    assert parsed_entry_json(entry) == entry.model_dump_json().encode()


@pytest.mark.parametrize("value", [("a", "b"), 2.5, ["a", 1], True, object()])
def test_parsed_entry_json_prints_what_an_unvalidated_copy_holds_as_the_model_does(value):
    """A value `model_copy` set without validating it is printed as pydantic prints it, or fails as it fails."""
    field = MetaField(name="year", label="Year", raw="2018", value=2018, span=Span(line=1, start=0, end=4))
    entry = _entry(1, "A").model_copy(update={"fields": [field.model_copy(update={"value": value})]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydantic warns of the unexpected type, and prints it
        try:
            expected = entry.model_dump_json().encode()
        except Exception as error:
            with pytest.raises(type(error)):
                parsed_entry_json(entry)
        else:
            assert parsed_entry_json(entry) == expected


def test_parsed_entry_json_refuses_a_lone_surrogate_as_the_model_does():
    with pytest.raises(Exception, match="surrogates not allowed"):
        _entry(1, "A\udcff").model_dump_json()
    with pytest.raises(Exception, match="surrogates not allowed"):
        parsed_entry_json(_entry(1, "A\udcff"))


def test_parsed_entry_json_prints_the_fields_its_models_have():
    """`parsed_entry_json` prints these models' fields by hand: a field added to one must be added there too."""
    assert {model.__name__: list(model.model_fields) for model in (Entry, MetaField, Located, Change)} == {
        "Entry": ["rank", "rank_text", "title_raw", "title", "span", "text", "fields", "changes", "names", "work_id"],
        "MetaField": ["name", "label", "raw", "value", "extra", "note", "known", "span"],
        "Located": ["value", "raw", "span", "origin"], "Change": ["field", "rule", "before", "after"]}


def _with_fields(*fields: tuple[str, object]) -> Entry:
    span = Span(line=1, start=0, end=1)
    return _entry(1, "A").model_copy(update={"fields": [
        MetaField(name=name, label=name, raw=str(value), value=value, span=span) for name, value in fields]})


@pytest.mark.parametrize("fields, facts", [
    ((), (None, None)),
    ((("year", 2018), ("kind", "film")), (2018, "film")),
    ((("year", "2018"), ("year", 2019), ("year", 2020)), (2019, None)),  # the first year that is a number
    ((("episodes", 12),), (None, "series")),
    ((("episodes", 1),), (None, None)),
    ((("episodes", 12), ("kind", "OVA")), (None, "OVA")),  # a stated kind over the episodes'
    ((("kind", None), ("kind", "film"), ("kind", "series")), (None, "film")),
])
def test_entry_facts_are_the_first_year_and_the_stated_or_implied_kind(fields, facts):
    assert entry_facts(_with_fields(*fields)) == facts


def test_parsed_keeps_each_entrys_cells_and_every_field():
    """A parsed document's entries.csv rows, columns and fields.csv rows are those its entries make one by one."""
    for path in fixture_documents()[:20]:
        document = parse_source(Source(path, path.name))
        parsed = Parsed.of(document)
        assert [row for *_, row in parsed.entries] == [entry_row(entry) for entry in document.entries]
        assert parsed.columns == {column for entry in document.entries for column in _cells_one_field_at_a_time(entry)}
        assert parsed.fields == row_json([field_values(entry, field) for entry in document.entries
                                          for field in entry.fields])
