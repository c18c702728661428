"""Merge on Spark: the local matching rules, each stage a Spark job over the stored tables.

    variants    entries grouped by (title, year, kind)          one row per distinct spelling
    groups      variants grouped by title key, split by band     `match.groups_of_key`, then sorted and numbered
    pairs       every group under each of its blocking keys      a shuffle; `match.block_pairs` within a block
    components  connected components of the pairs               label propagation, one job a round
    clusters    `match.join_groups` once per component           the local greedy joins, in the local order
    works       each work's entries and cluster                  `merge.build_work`, a reduce per work
    documents   each entry with its work's id and spelling       `merge.assign_entry`, then one row per document

What reaches the driver is bounded by the number of distinct title
spellings, never by entries or documents: each work's naming facts (title,
year, kind, first source and rank) and what it shares with a previous run,
to give ids with `ids.work_ids`, the entries.csv columns and works.csv field
names, and the failed documents. A previous run's evidence keys are broadcast
(about 100 bytes per appearance it had).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..ids import log_carried, work_ids
from ..keys import title_key
from ..match import (
    BLOCK_KINDS,
    Cluster,
    Group,
    Variant,
    block_pairs,
    blocking_keys,
    describe,
    groups_of_key,
    join_groups,
    pair_order,
)
from ..merge import assign_entry, build_work
from ..models import Entry
from .tables import SparkMerged, SparkTables

if TYPE_CHECKING:
    from ..aliases import Aliases
    from ..catalogue import Catalogue
    from ..previous import PreviousRun

MAX_ROUNDS = 100  # label propagation: a component this wide is far beyond any real chain of title variants


def merge_tables(spark, tables: str, catalogue: Catalogue | None, aliases: Aliases | None, close,
                 previous: PreviousRun | None = None) -> SparkMerged:
    """Merge the stored entries into works, ids carried from `previous` where works persist; write the
    `works` and `documents_out` tables."""
    from pyspark import StorageLevel

    context = spark.sparkContext
    parts = int(spark.conf.get("spark.sql.shuffle.partitions"))  # every shuffle below: RDDs' own default grows
    shared_catalogue, shared_aliases = context.broadcast(catalogue), context.broadcast(aliases)
    shared_previous = context.broadcast(previous)
    entries = spark.read.parquet(f"{tables}/entries")
    groups = _groups(_variants(entries), shared_catalogue, shared_aliases, parts).persist(
        StorageLevel.MEMORY_AND_DISK)
    light = groups.mapValues(lambda group: replace(group, variants=[]))  # what blocking and joining read
    pairs = _pairs(light, parts).persist(StorageLevel.MEMORY_AND_DISK)
    labels = _components(pairs, parts)
    numbered = _clusters(light, pairs, labels, shared_aliases, parts).persist(StorageLevel.MEMORY_AND_DISK)
    clusters = _full_clusters(numbered, groups, parts)
    variant_work = clusters.flatMap(lambda item: [((v.title, v.year, v.kind), item[0])
                                                  for group in item[1].groups for v in group.variants])
    by_facts = entries.rdd.map(lambda row: ((row.title, row.year, row.kind), (row.source, row.position, row.body)))
    numbered_entries = by_facts.leftOuterJoin(variant_work, parts).map(
        lambda item: (item[1][1], item[1][0])).persist(StorageLevel.MEMORY_AND_DISK)
    built = numbered_entries.filter(lambda item: item[0] is not None).groupByKey(parts).join(clusters, parts).mapValues(
        lambda item: build_work(item[1], _mentions(item[0]), shared_catalogue.value, shared_previous.value)).persist(
        StorageLevel.MEMORY_AND_DISK)
    facts = built.map(lambda item: (item[0], (item[1].naming, item[1].lineage))).sortByKey(
        numPartitions=parts).values().collect()
    naming = [naming for naming, _ in facts]
    ids = work_ids(naming, [lineage for _, lineage in facts], previous)
    log_carried(ids, previous)
    del facts
    names = context.parallelize([(number, (ids.ids[number], named[0], ids.previous_ids.get(number, [])))
                                 for number, named in enumerate(naming)], parts)
    field_names = sorted(built.flatMap(lambda item: item[1].field_names).distinct(parts).collect())
    conflicts = built.map(lambda item: item[1].conflicts).sum()
    del naming
    _write_works(spark, built, names, tables, parts)
    _write_documents(spark, numbered_entries, names, tables, parts)
    for persisted in (groups, pairs, numbered, numbered_entries, built):
        persisted.unpersist()
    shared_previous.destroy()
    return SparkMerged(SparkTables(spark, tables, close), ids.ids, field_names, conflicts, ids.previous_ids)


def _variants(entries):
    """Distinct (title, year, kind) with the first entry printing it and how many do."""
    from pyspark.sql import functions as F

    rows = entries.groupBy("title", "year", "kind").agg(F.min(F.struct("source", "position")).alias("first"),
                                                         F.count(F.lit(1)).alias("count"))
    return rows.rdd.map(lambda row: Variant(0, row.title, row.year, row.kind, row.first.source,
                                            row.first.position, row["count"]))


def _groups(variants, shared_catalogue, shared_aliases, parts: int):
    """(index, group) in the local order: by title key, then band; described with catalogue and aliases."""
    keyed = variants.map(lambda variant: (title_key(variant.title), variant)).filter(lambda item: item[0])
    banded = keyed.groupByKey(parts).flatMap(lambda item: [
        ((item[0], band), group) for band, group in enumerate(groups_of_key(item[0], sorted(
            item[1], key=lambda variant: variant.first)))])
    ordered = banded.sortByKey(numPartitions=parts).zipWithIndex().map(lambda item: (item[1], item[0][1]))

    def described(group: Group) -> Group:
        describe(group, shared_catalogue.value, shared_aliases.value)
        return group

    return ordered.mapValues(described)


def _pairs(light, parts: int):
    """Candidate pairs (a, b, rule): every group under each of its blocking keys, then the rules per block."""
    members = light.flatMap(lambda item: [(block, (item[0], side, item[1])) for kind in BLOCK_KINDS
                                          for block, side in blocking_keys(item[1], kind).items()])
    blocks = members.groupByKey(parts).filter(lambda item: len(item[1]) > 1)
    return blocks.flatMap(lambda item: block_pairs(sorted(item[1], key=lambda member: member[0]),
                                                   item[0][0])).distinct(parts)


def _components(pairs, parts: int):
    """Each paired group's component, labelled by its smallest index (min-label propagation)."""
    from pyspark import StorageLevel

    neighbours = pairs.flatMap(lambda pair: [(pair[0], pair[1]), (pair[1], pair[0])]).distinct(parts).persist(
        StorageLevel.MEMORY_AND_DISK)
    labels = neighbours.map(lambda edge: (edge[0], min(edge))).reduceByKey(min, parts).persist(
        StorageLevel.MEMORY_AND_DISK)
    for _ in range(MAX_ROUNDS):
        spread = neighbours.join(labels, parts).map(lambda item: (item[1][0], item[1][1]))
        updated = labels.union(spread).reduceByKey(min, parts).persist(StorageLevel.MEMORY_AND_DISK)
        changed = updated.join(labels, parts).filter(lambda item: item[1][0] != item[1][1]).count()
        labels.unpersist()
        labels = updated
        if not changed:
            break
    else:  # pragma: no cover
        raise RuntimeError(f"title variants chained more than {MAX_ROUNDS} deep: not converged")
    neighbours.unpersist()
    return labels


def _clusters(light, pairs, labels, shared_aliases, parts: int):
    """(number, (first group, group indexes, rules)): the local `join_groups`, one component at a time,
    numbered by first group as the local engine numbers them."""
    tagged = light.leftOuterJoin(labels, parts)
    alone = tagged.filter(lambda item: item[1][1] is None).map(lambda item: (item[0], [item[0]], set()))
    members = tagged.filter(lambda item: item[1][1] is not None).map(
        lambda item: (item[1][1], (item[0], item[1][0])))
    component_pairs = pairs.map(lambda pair: (pair[0], pair)).join(labels, parts).map(
        lambda item: (item[1][1], item[1][0]))

    def joined(item):
        groups = dict(item[1][0])
        ordered = sorted(item[1][1], key=lambda pair: pair_order(pair, groups[pair[0]], groups[pair[1]]))
        return join_groups(groups, ordered, shared_aliases.value)

    together = members.cogroup(component_pairs, parts).flatMap(joined)
    return alone.union(together).map(lambda cluster: (cluster[0], cluster)).sortByKey(
        numPartitions=parts).zipWithIndex().map(
        lambda item: (item[1], item[0][1]))


def _full_clusters(numbered, groups, parts: int):
    """(number, Cluster) with each group whole (its variants too), in the order `join_groups` gave."""
    by_group = numbered.flatMap(lambda item: [(index, item[0]) for index in item[1][1]])
    placed = by_group.join(groups, parts).map(lambda item: (item[1][0], (item[0], item[1][1]))).groupByKey(parts)
    reasons = numbered.mapValues(lambda cluster: cluster[2])
    return placed.join(reasons, parts).mapValues(lambda item: Cluster(
        [group for _, group in sorted(item[0], key=lambda member: member[0])], item[1]))


def _mentions(rows) -> list[tuple[str, int, bytes]]:
    """A work's entries as stored (source, position, entry JSON), in source order."""
    return sorted(rows, key=lambda row: (row[0], row[1]))


def _write_works(spark, built, names, tables: str, parts: int) -> None:
    from pyspark.sql.types import BinaryType, StringType, StructField, StructType

    rows = built.join(names, parts).map(lambda item: (item[1][1][0], _with_previous_ids(item[1][0].body,
                                                                                       item[1][1][2])))
    schema = StructType([StructField("id", StringType(), False), StructField("body", BinaryType(), False)])
    spark.createDataFrame(rows, schema).write.mode("overwrite").parquet(f"{tables}/works")


def _with_previous_ids(body: bytes, previous_ids: list[str]) -> bytes:
    """A stored work's JSON with its previous ids (most works have none: their JSON is kept as it is)."""
    from ..models import Work

    if not previous_ids:
        return body
    return Work.model_validate_json(body).model_copy(update={"previous_ids": previous_ids}).model_dump_json().encode()


def _write_documents(spark, numbered_entries, names, tables: str, parts: int) -> None:
    """Each document whole, entries with their work ids, as the `documents_out` table (source, body)."""
    from pyspark.sql.types import BinaryType, StringType, StructField, StructType

    from ..models import Document

    with_work = numbered_entries.filter(lambda item: item[0] is not None).join(names, parts).map(
        lambda item: (item[1][0][0], (item[1][0][1], assign_entry(Entry.model_validate_json(item[1][0][2]),
                                                                  *item[1][1][:2]).model_dump_json().encode())))
    without = numbered_entries.filter(lambda item: item[0] is None).map(
        lambda item: (item[1][0], (item[1][1], item[1][2])))
    heads = spark.read.parquet(f"{tables}/documents").rdd.map(lambda row: (row.source, row.head))

    def whole(item) -> tuple[str, bytes]:
        source, (head, entries) = item
        document = Document.model_validate_json(head)
        ordered = [Entry.model_validate_json(body) for _, body in sorted(entries or [], key=lambda e: e[0])]
        return source, document.model_copy(update={"entries": ordered}).model_dump_json().encode()

    rows = heads.leftOuterJoin(with_work.union(without).groupByKey(parts), parts).map(whole)
    schema = StructType([StructField("source", StringType(), False), StructField("body", BinaryType(), False)])
    spark.createDataFrame(rows, schema).write.mode("overwrite").parquet(f"{tables}/documents_out")
