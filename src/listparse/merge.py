"""Documents → Works: one canonical record per work, every field with its provenance.

Each field's value is chosen by a documented rule, in this order:
1. `aliases_file`: the user fixed the canonical title;
2. `agreement`: every appearance says the same;
3. `catalogue`: the linked catalogue entry says it;
4. `best_supported`: the value stated by the most documents, then the
   best-formed (fewest normalization changes), then the first in sort order.
List fields (streaming, genre, creators, …) take the union (`union`). Values
that lose are kept under `conflicts` with their own evidence. Typed values
compare as typed: runtimes `136 minutes` and `2h 16m` agree (136), 136 and
137 conflict. A field its typing could not read (value None: the runtime
`22-24 minutes`) stays with its entry and is no value of the work. Nothing here
depends on the order of the input documents.
"""

from __future__ import annotations

import dataclasses
import os
import signal
from array import array
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import attrgetter
from sys import intern
from typing import TYPE_CHECKING, Any

from .ids import Lineage, Naming, log_carried, work_ids
from .keys import title_key, title_tokens
from .labels import FIELDS
from .match import Cluster, cluster_variants, typo_variant
from .models import (
    CatalogueLink,
    Change,
    Dataset,
    Document,
    DocumentRef,
    Entry,
    FieldValue,
    Work,
)
from .people import Sighting, unify_names
from .rendered import (
    alternative_json,
    cell,
    decode_json,
    entry_json,
    evidence_json_after,
    evidence_opening,
    json_text,
    kind_by_episodes,
    respelled_entry_json,
    row_json,
    row_values,
    with_rule,
    work_field_json,
    work_json,
    work_json_of,
)
from .store import Store

if TYPE_CHECKING:
    from .aliases import Aliases
    from .catalogue import Catalogue
    from .previous import PreviousRun
    from .rendered import Rule

SCHEMA_VERSION = 2
READABLE_SCHEMA_VERSIONS = (1, 2)  # the works.json versions a previous run may be in
NO_WORK = -1
PROGRESS_EVERY = 100  # works built between two progress calls


@dataclass(slots=True)
class Proof:
    """One piece of evidence as the work's JSON prints it, with what choosing a value needs of it."""

    order: tuple  # (source, rank, line, start): how a value's evidence is sorted
    source: str
    stated: bool  # printed by a document (False: from the catalogue)
    rules: int  # how many normalization rules changed it
    json: bytes  # its `Evidence` (see `rendered.evidence_json`)

    def with_rule(self, change: Rule) -> Proof:
        return Proof(self.order, self.source, self.stated, self.rules + 1, with_rule(self.json, change))


def _proof(source: str, rank: int | None, span: Sequence[int] | None, raw: str, rules: Sequence[Rule] = (),
           catalogue_entry: int | None = None) -> Proof:
    """`span`: a `Span` or its JSON's `[line, start, end]`; `rules`: `Change`s or their JSON's dicts."""
    return _proof_after(evidence_opening(source, rank), source, rank, span, raw, rules, catalogue_entry)


def _proof_after(opening: str, source: str, rank: int | None, span: Sequence[int] | None, raw: str,
                 rules: Sequence[Rule] = (), catalogue_entry: int | None = None) -> Proof:
    """`_proof` with its `evidence_opening` composed already: once for all of an entry's evidence."""
    order = (source, rank or 0, span[0] if span else 0, span[1] if span else 0)
    return Proof(order, source, catalogue_entry is None, len(rules),
                 evidence_json_after(opening, span, raw, rules, catalogue_entry))


_order = attrgetter("order")  # how a value's evidence is sorted (see `Proof.order`), read in C


@dataclass(slots=True)
class Option:
    """A value seen for a field, with its evidence: an `Alternative` once rendered."""

    value: FieldValue
    evidence: list[Proof]


@dataclass(slots=True)
class Choice:
    """A field's value, the rule that chose it, its evidence and the values that lost: a `WorkField` once
    rendered."""

    value: FieldValue
    chosen_by: str
    evidence: list[Proof]
    conflicts: list[Option] = dataclasses.field(default_factory=list)


@dataclass(slots=True)
class Read:
    """What building a work keeps of its entries, read one at a time: every piece of evidence rendered as
    it is read, and no entry."""

    titles: list[tuple[str, Proof]] = dataclasses.field(default_factory=list)
    fields: defaultdict[str, list[tuple[FieldValue, Proof]]] = dataclasses.field(
        default_factory=lambda: defaultdict(list))
    descriptions: list[str] = dataclasses.field(default_factory=list)  # each entry's, as printed
    sightings: list[Sighting] = dataclasses.field(default_factory=list)
    printed: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (source, title as printed)
    sources: set[str] = dataclasses.field(default_factory=set)

    def add(self, source: str, entry: dict[str, Any]) -> None:
        """One entry of the work, from document `source`, as its stored JSON decoded (`decode_json`)."""
        # Interned, the titles and names a work prints in thousands of entries are held once each, as
        # pydantic's string cache held them.
        # Spans and changes stay as their JSON's lists and dicts: evidence is rendered from them.
        rank, title_raw, span = entry["rank"], intern(entry["title_raw"]), entry["span"]
        opening = evidence_opening(source, rank)
        self.titles.append((intern(entry["title"]),
                            _proof_after(opening, source, rank, span, title_raw, entry.get("changes", ()))))
        fields = entry.get("fields", ())
        stated_kind, episodes = False, None  # what a kind is inferred from, as `rendered.entry_facts` reads it
        for field in fields:
            name, value, raw = field["name"], field["value"], field["raw"]
            if name == "kind":
                stated_kind = True
            elif name == "episodes" and episodes is None and isinstance(value, int):
                episodes = value
            if value is None:
                continue  # untyped (a runtime range): kept with its entry, not a value of the work
            rules: tuple[dict[str, str], ...] = ()
            typed = json_text(value) if not isinstance(value, str) else raw
            if typed != raw:
                rules = ({"field": name, "rule": f"type_{FIELDS.get(name, 'text')}", "before": raw, "after": typed},)
            self.fields[name].append((value, _proof_after(opening, source, rank, field["span"], raw, rules)))
        kind = None if stated_kind else kind_by_episodes(episodes)
        if kind:  # inferred, not stated
            inferred = {"field": "kind", "rule": "series_from_episode_count", "before": "", "after": kind}
            self.fields["kind"].append((kind, _proof_after(opening, source, rank, span, title_raw, (inferred,))))
        self.descriptions.append(entry.get("text", ""))
        self.sightings.extend((source, rank, intern(name["value"]), intern(name["raw"]), name.get("span"))
                              for name in entry.get("names", ()))
        self.printed.append((source, title_raw))
        self.sources.add(source)


@dataclass(frozen=True, slots=True)
class Merged:
    """The works of a stored batch, read back one at a time: documents with work ids, works in id order."""

    store: Store
    work_ids: list[str]  # by work number (the order clusters were found in)
    previous_ids: dict[int, list[str]]  # by work number, for the works that have some
    titles: list[str]  # each work's canonical title, by number
    work_of_variant: array  # variant id → work number, or NO_WORK
    field_names: list[str]  # every field any work has (the works.csv columns)
    conflicts: int
    # variant → the work's spelling where the variant's title is a slip of it (see `_slip`)
    _slips: dict[int, str | None] = dataclasses.field(default_factory=dict)

    def documents(self) -> Iterator[Document]:
        """Every document, sorted by source, each entry with its work id (and the work's spelling
        where its own is a slip of it)."""
        for head, entries in self.store.in_source_order():
            yield head.model_copy(update={"entries": [self._assigned(variant, entry) for variant, entry in entries]})

    def works(self) -> Iterator[Work]:
        for work in self.works_rendered():
            yield Work.model_validate_json(work)

    def documents_rendered(self) -> Iterator[tuple[str, bytes, list[bytes]]]:
        """Each document's source, head JSON and entries' JSON with their work ids, sorted by source,
        spliced rather than decoded (see `rendered`)."""
        for source, head, entries in self.store.rendered_documents():
            yield source, head, [self._entry_json(variant, title, body) for variant, title, body in entries]

    def entry_records(self) -> Iterator[tuple[str, str, str | None, bytes]]:
        """(source, title, work id, entries.csv row JSON) of every entry, documents sorted by source."""
        for source, variant, title, row in self.store.entry_rows():
            number = self.work_of_variant[variant]
            if number == NO_WORK:
                yield source, title, None, row
            else:
                yield source, self._slip(variant, title) or title, self.work_ids[number], row

    def field_records(self) -> Iterator[tuple[str, bytes]]:
        return self.store.field_rows()

    def works_rendered(self) -> Iterator[bytes]:
        """Each work's JSON with its id (and previous ids), by id."""
        for number in self._by_id():
            yield work_json(self.store.work(number), self.work_ids[number], self.previous_ids.get(number, []))

    def work_records(self) -> Iterator[tuple[str, list[str], bytes]]:
        """(id, previous ids, works.csv row JSON) of each work, by id."""
        for number in self._by_id():
            yield self.work_ids[number], self.previous_ids.get(number, []), self.store.work_row(number)

    def _by_id(self) -> list[int]:
        return sorted(range(len(self.work_ids)), key=self.work_ids.__getitem__)

    def references(self) -> Iterator[DocumentRef]:
        for source, sha256, status, entries in self.store.references():
            yield DocumentRef(source=source, sha256=sha256, status=status, entries=entries)

    def dataset(self) -> Dataset:
        """Everything in memory, as one model (what `listparse.ingest` returns)."""
        return Dataset(schema_version=SCHEMA_VERSION, documents=list(self.references()), works=list(self.works()))

    def _assigned(self, variant: int, entry: Entry) -> Entry:
        number = self.work_of_variant[variant]
        if number == NO_WORK:  # a title with no letters or digits: no work
            return entry
        return assign_entry(entry, self.work_ids[number], self.titles[number])

    def _entry_json(self, variant: int, title: str, body: bytes) -> bytes:
        number = self.work_of_variant[variant]
        if number == NO_WORK:
            return body
        canonical = self._slip(variant, title)
        if canonical is not None:  # the title and its changes differ too
            return respelled_entry_json(body, canonical, self.work_ids[number])
        return entry_json(body, self.work_ids[number])

    def _slip(self, variant: int, title: str) -> str | None:
        """The work's spelling where the variant's title is a slip of it (as `assign_entry` decides), else
        None; decided once per variant."""
        if variant not in self._slips:
            canonical = self.titles[self.work_of_variant[variant]]
            self._slips[variant] = canonical if title != canonical and _same_spelling(title, canonical) else None
        return self._slips[variant]


def assign_entry(entry: Entry, work_id: str, canonical: str) -> Entry:
    """An entry with its work's id, and the work's spelling where its own is a slip of it."""
    update: dict = {"work_id": work_id}
    if entry.title != canonical and _same_spelling(entry.title, canonical):
        change = Change(field="title", rule="spelling_from_other_documents", before=entry.title,
                        after=canonical)
        update |= {"title": canonical, "changes": [*entry.changes, change]}
    return entry.model_copy(update=update)


@dataclass(frozen=True, slots=True)
class Built:
    """One work built from its cluster, as stored, with what naming and counting need of it."""

    body: bytes  # the Work's JSON, its id still empty
    row: bytes  # its works.csv row (see `rendered.row_values`)
    naming: Naming
    lineage: Lineage  # what it shares with the previous run's works
    field_names: frozenset[str]
    conflicts: int


def build_work(cluster: Cluster, entries: Iterable[tuple[str, int, bytes]], catalogue: Catalogue | None,
               previous: PreviousRun | None = None) -> Built:
    """One work from its cluster and every entry that prints one of its variants, as stored (source,
    position, entry JSON) in source order: the per-work reduce of merging.

    The entries are decoded one at a time and their evidence is rendered as they are read; the work's
    JSON is composed of those pieces (see `rendered.work_field_json`). A work printed in 10,000 documents
    is never one tree of models.
    """
    read = Read()
    first: tuple[str, int] | None = None
    for source, _position, body in entries:
        entry = decode_json(body)  # validating it into an Entry was the largest cost of building a work
        first = first or (source, entry["rank"])
        read.add(source, entry)
    if first is None:
        raise ValueError("a work needs at least one entry")
    work = _work(cluster, read, catalogue)
    title, fields = work.title, work.fields
    year, kind = fields.get("year"), fields.get("kind")
    naming = (str(title.value), year.value if year else None, kind.value if kind else None, *first)
    conflicts = sum(len(field.conflicts) for field in fields.values())
    shares = previous.shares(read.printed) if previous is not None else ()
    counts = len(read.titles), len(read.sources)  # one title a read entry
    values = row_values(title.value, [str(alias.value) for alias in work.aliases], counts, conflicts,
                        [name for name, _ in work.people], work.catalogue.title if work.catalogue else None)
    row = row_json([*values, {name: cell(field.value) for name, field in fields.items()}])
    return Built(_work_json(work), row, naming, Lineage(counts[0], shares), frozenset(fields), conflicts)


def merge_store(store: Store, catalogue: Catalogue | None = None, aliases: Aliases | None = None,
                progress: Callable[[int, int], None] | None = None, previous: PreviousRun | None = None,
                jobs: int = 1) -> Merged:
    """Merge the entries of every stored document into works, building and storing one work at a time;
    `progress(built, works)` is called as they are built (every `PROGRESS_EVERY` works, and at the end).
    Ids are carried from `previous` where works persist (see `ids`). With `jobs` > 1 (0: one per core) and
    enough works, worker processes build them while this one reads their entries and stores them."""
    store.index()
    store.commit()  # the entries and their index, readable by the builders' own connections
    variants = store.take_variants()
    with _builders(len(variants), catalogue, previous, jobs, store) as pool:
        clusters: list[Cluster | None] = list(cluster_variants(variants, catalogue, aliases))
        work_of_variant = array("l", [NO_WORK]) * len(variants)
        del variants  # each cluster holds its own; they go with it
        named: list[Naming] = []  # what ids are made of
        lineage: list[Lineage] = []
        field_names: set[str] = set()
        conflicts = 0
        tasks = _work_tasks(None if pool is not None and store.reopenable else store, clusters, work_of_variant)
        for number, built in enumerate(_built_works(tasks, pool)):
            store.put_work(number, built.body, built.row)
            named.append(built.naming)
            lineage.append(built.lineage)
            field_names.update(built.field_names)
            conflicts += built.conflicts
            if progress is not None and (number % PROGRESS_EVERY == PROGRESS_EVERY - 1 or number == len(clusters) - 1):
                progress(number + 1, len(clusters))
    store.commit()
    ids = work_ids(named, lineage, previous)
    log_carried(ids, previous)
    return Merged(store, ids.ids, ids.previous_ids, [title for title, *_ in named], work_of_variant,
                  sorted(field_names), conflicts)


# A cluster and its entries' stored JSON in source order, or None for the builder to read them itself.
WorkTask = tuple[Cluster, list[tuple[str, int, bytes]] | None]
MIN_WORKS_PER_WORKER = 500  # below this, starting processes costs more than building in parallel saves
# (counted in title variants, which bound the works: the workers are started before clustering)
TASKS_PER_BATCH = 256  # works handed to the workers at once; two batches in flight keep them busy
ENTRIES_PER_BATCH = 10_000  # ... or fewer, when they hold this many entries: a work in most documents goes alone


def _work_tasks(store: Store | None, clusters: list[Cluster | None], work_of_variant: array) -> Iterator[WorkTask]:
    """Each cluster with its entries as read from `store` (None: the builder reads them); its variants are
    numbered with their work, and the list lets go of it (a built work's groups are not needed again)."""
    for number, cluster in enumerate(clusters):
        assert cluster is not None
        clusters[number] = None
        for variant in _variant_ids(cluster):
            work_of_variant[variant] = number
        yield cluster, None if store is None else store.mention_rows(_variant_ids(cluster))


def _variant_ids(cluster: Cluster) -> list[int]:
    return [variant.id for group in cluster.groups for variant in group.variants]


_knowledge: tuple[Catalogue | None, PreviousRun | None] = (None, None)  # what forked workers build with
_entries_store: Store | None = None  # the store a forked worker reads its works' entries from
BUILDER_CACHE_MB = 4  # a builder reads each entry once: the writer's 64 MB page cache would only add to its memory


@contextmanager
def _builders(variants: int, catalogue: Catalogue | None, previous: PreviousRun | None, jobs: int,
              store: Store | None = None):
    """Worker processes to build works in, or None to build them here (one job asked for, or too few title
    variants, which bound the works, to pay for starting them).

    They are forked before clustering: a forked process shares the memory its parent held at the fork
    and gets a copy of each page the parent changes afterwards, and clustering a large batch fills and
    frees a gigabyte. Where `store` can be reopened, each worker reads its works' entries through a
    connection of its own, in parallel, rather than this process reading and sending them."""
    global _knowledge, _entries_store
    _knowledge = (catalogue, previous)
    _entries_store = store if store is not None and store.reopenable else None
    workers = min(jobs or os.cpu_count() or 1, variants // MIN_WORKS_PER_WORKER)
    if workers <= 1:
        yield None
        return
    import multiprocessing

    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=_start_builder) as pool:
            yield pool
    finally:
        _entries_store = None


def _built_works(tasks: Iterator[WorkTask], pool) -> Iterator[Built]:
    """The works built from `tasks`, in order: here, or in `pool`'s worker processes.

    This process hands the pool a batch of tasks at a time and stores the results of the batch before
    (its SQLite connection is not shared with the pool's threads)."""
    if pool is None:
        yield from map(_build, tasks)
        return
    pending: deque = deque()
    for batch in _batches(tasks):
        pending.append(pool.map_async(_build, batch, chunksize=max(1, len(batch) // 16)))
        if len(pending) > 1:
            yield from pending.popleft().get()
    while pending:
        yield from pending.popleft().get()


def _batches(tasks: Iterator[WorkTask]) -> Iterator[list[WorkTask]]:
    """The tasks in batches of `TASKS_PER_BATCH` works, or fewer holding `ENTRIES_PER_BATCH` entries: what
    is in flight (here, pickled, in a worker) stays bounded when a few works appear in most documents."""
    batch: list[WorkTask] = []
    entries = 0
    for task in tasks:
        batch.append(task)
        entries += _entries_of(task)
        if len(batch) == TASKS_PER_BATCH or entries >= ENTRIES_PER_BATCH:
            yield batch
            batch, entries = [], 0
    if batch:
        yield batch


def _entries_of(task: WorkTask) -> int:
    """How many entries a task's work has: its rows, or its variants' counts where the builder reads them."""
    cluster, rows = task
    return len(rows) if rows is not None else sum(variant.count for group in cluster.groups
                                                  for variant in group.variants)


def _build(task: WorkTask) -> Built:
    cluster, rows = task
    if rows is None:
        assert _entries_store is not None
        rows = _entries_store.mention_rows(_variant_ids(cluster))
    catalogue, previous = _knowledge
    return build_work(cluster, _drained(rows), catalogue, previous)


def _drained(rows: list) -> Iterator:
    """The rows in order, each let go of once read: a work in most documents holds 100 MB of them."""
    rows.reverse()
    while rows:
        yield rows.pop()


def _start_builder() -> None:
    """Workers leave Ctrl-C to the parent, and SIGTERM (the pool's way to stop them) just ends them; each
    reads the store, where it can, through a connection of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if _entries_store is not None:
        _entries_store.reopen(cache_mb=BUILDER_CACHE_MB)


def merge_works(documents: Iterable[Document], catalogue: Catalogue | None = None,
                aliases: Aliases | None = None, previous: PreviousRun | None = None) -> tuple[list[Document], Dataset]:
    """Merge documents held in memory; return them with work ids, sorted by source, and the dataset."""
    with Store() as store:
        for document in documents:
            store.add_document(document)
        merged = merge_store(store, catalogue, aliases, previous=previous)
        return list(merged.documents()), merged.dataset()


@dataclass(slots=True)
class Chosen:
    """What a work is made of, before its JSON: a `Work` once rendered, its id still empty."""

    title: Choice
    aliases: list[Option]
    fields: dict[str, Choice]
    people: list[tuple[str, bytes]]  # each person's name and JSON (see `people.unify_names`)
    catalogue: CatalogueLink | None
    matched_by: list[str]


def _work(cluster: Cluster, read: Read, catalogue: Catalogue | None) -> Chosen:
    """One work from its cluster and its entries as read."""
    linked = next((group.catalogue for group in cluster.groups if group.catalogue is not None), None)
    forced = next((group.forced for group in cluster.groups if group.forced), None)
    titles = read.titles
    known: set[str] = set()
    if linked is not None and catalogue is not None:
        titles = [*titles, (linked.title, _proof(catalogue.name, None, None, linked.title,
                                                  catalogue_entry=linked.line))]
        known = {title_key(name) for name in (linked.title, *linked.aliases)}
    title = _fold_spelling_slips(_choose(_options(titles), forced=forced,
                                         descriptions=Descriptions(read.descriptions), known=known))
    aliases, title.conflicts = title.conflicts, []
    fields = _fields(read, linked, catalogue)
    link = None
    if linked is not None and catalogue is not None:
        matched = next(g.key for g in cluster.groups if g.catalogue == linked)
        link = CatalogueLink(catalogue=catalogue.name, entry=linked.line, title=linked.title,
                             matched_on=matched, ids=dict(linked.ids))
    matched_by = sorted(cluster.reasons | (
        {"same_title"} if any(sum(v.count for v in group.variants) > 1 for group in cluster.groups) else set()))
    return Chosen(title, aliases, fields, unify_names(read.sightings, read.descriptions), link, matched_by)


def _work_json(work: Chosen) -> bytes:
    """The work's JSON, its id empty: composed of its evidence as rendered when read, with no models."""
    return work_json_of(_field_json(work.title), [_alternative_json(option) for option in work.aliases],
                        {name: _field_json(choice) for name, choice in work.fields.items()},
                        [person for _, person in work.people], work.catalogue, work.matched_by)


def _field_json(choice: Choice) -> bytes:
    return work_field_json(choice.value, choice.chosen_by, [proof.json for proof in choice.evidence],
                           [_alternative_json(option) for option in choice.conflicts])


def _alternative_json(option: Option) -> bytes:
    return alternative_json(option.value, [proof.json for proof in option.evidence])


def _fold_spelling_slips(title: Choice) -> Choice:
    """Titles that are a slip of the chosen one support it, with the correction recorded.

    Other title forms (an alias, a translation) are not slips: they stay as
    conflicts, which the caller lists as the work's aliases.
    """
    canonical = str(title.value)
    evidence = list(title.evidence)
    others = []
    for alternative in title.conflicts:
        if not _same_spelling(str(alternative.value), canonical):
            others.append(alternative)
            continue
        change = {"field": "title", "rule": "spelling_from_other_documents", "before": str(alternative.value),
                  "after": canonical}
        evidence.extend(proof.with_rule(change) for proof in alternative.evidence)
    return Choice(title.value, title.chosen_by, sorted(evidence, key=_order), others)


def _fields(read: Read, linked, catalogue: Catalogue | None) -> dict[str, Choice]:
    by_name = read.fields
    if linked is not None and catalogue is not None:
        for name, value in (("kind", linked.kind), ("year", linked.year), ("episodes", linked.episodes)):
            if value is not None:
                by_name[name].append((value, _proof(catalogue.name, None, None, linked.title,
                                                    catalogue_entry=linked.line)))
    fields = {}
    for name in sorted(by_name):
        options = _options(by_name[name])
        fields[name] = _union(options) if FIELDS.get(name) == "list" else _choose(options)
    return fields


def _options(pairs: Iterable[tuple[FieldValue, Proof]]) -> list[Option]:
    """Distinct values with all their evidence, in a fixed order."""
    grouped: dict[tuple, tuple[FieldValue, list[Proof]]] = {}
    for value, proof in pairs:
        key = (type(value).__name__, tuple(value) if isinstance(value, list) else value)
        grouped.setdefault(key, (value, []))[1].append(proof)
    ordered = sorted(grouped.values(), key=lambda item: json_text(item[0]))
    return [Option(value, sorted(proofs, key=_order)) for value, proofs in ordered]


def _choose(options: list[Option], forced: str | None = None, descriptions: Descriptions | None = None,
            known: set[str] | None = None) -> Choice:
    """Pick one value by the rules in the module docstring; the others become conflicts. `descriptions`:
    the work's.

    For titles (`known` given) the catalogue confirms stated spellings rather
    than replacing them: among the titles the documents print, those the
    linked catalogue entry knows win, so a catalogue's romanized main title
    never displaces the English one a list uses.
    """
    stated = [o for o in options if any(proof.stated for proof in o.evidence)]
    from_catalogue = [o for o in options if any(not proof.stated for proof in o.evidence)]
    confirmed = [o for o in stated if title_key(str(o.value)) in known] if known else []
    if forced is not None:
        chosen = next((o for o in options if o.value == forced), Option(forced, []))
        rule = "aliases_file"
    elif len(stated) == 1:
        chosen, rule = stated[0], "agreement"
    elif confirmed:
        chosen, rule = max(confirmed, key=lambda option: _support(option, descriptions)), "catalogue"
    elif from_catalogue and known is None:
        chosen, rule = from_catalogue[0], "catalogue"
    else:
        chosen, rule = max(stated or options, key=lambda option: _support(option, descriptions)), "best_supported"
    conflicts = [option for option in options if option is not chosen]
    return Choice(chosen.value, rule, chosen.evidence, conflicts)


def _support(option: Option, descriptions: Descriptions | None) -> tuple:
    """Most documents; then most mentions in the work's descriptions; then fewest fixes; then the fuller
    value; ties go to the first in sort order."""
    documents = len({proof.source for proof in option.evidence if proof.stated})
    text = json_text(option.value)
    value = str(option.value).casefold()
    mentioned = descriptions.mentions(value) if value and descriptions is not None else 0
    changes = sum(proof.rules for proof in option.evidence) / max(len(option.evidence), 1)
    return documents, mentioned, -changes, len(text), _reverse_sort_key(text)


class Descriptions:
    """A work's descriptions, to count a value's mentions in: casefolded when first asked, as one text
    (most works never are: their documents agree on the title)."""

    SEPARATOR = "\x00"  # between two descriptions in the text: no mention of a value without it spans two

    def __init__(self, descriptions: list[str]) -> None:
        self.descriptions = descriptions
        self._text: str | None = None

    def mentions(self, value: str) -> int:
        """How often the descriptions print `value` (casefolded), each counted apart."""
        if self.SEPARATOR in value:
            return sum(description.casefold().count(value) for description in self.descriptions)
        if self._text is None:
            text = self.SEPARATOR.join(self.descriptions)
            self._text = text.lower() if text.isascii() else text.casefold()  # alike for ASCII; lower is faster
        return self._text.count(value)


def _reverse_sort_key(text: str) -> tuple:
    return tuple(-ord(ch) for ch in text)


def _union(options: list[Option]) -> Choice:
    """List fields: every item any appearance states, each with its evidence."""
    items = {str(item) for option in options
             for item in (option.value if isinstance(option.value, list) else [option.value])}
    evidence = sorted((proof for option in options for proof in option.evidence), key=_order)
    return Choice(sorted(items), "union" if len(options) > 1 else "agreement", evidence)


def _same_spelling(title: str, canonical: str) -> bool:
    """Two titles that differ only in case, punctuation or a typo, not in words (nor in how a number is
    written: "Turrican 2" is not a misspelt "Turrican II")."""
    a, b = title_tokens(title, roman_as_digits=False), title_tokens(canonical, roman_as_digits=False)
    return a == b or typo_variant(a, b)
