"""Parse and store: each input parsed where it is read, documents and entries written as Parquet tables.

Inputs are listed on the driver (file names only); a partition of them is
parsed by `pipeline.parse_source`, the local engine's own function, and a web
archive is expanded into its records on the executor that reads it. URIs
(s3a://, hdfs://, …) are read with Spark's own file systems, whole files at a time.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from ..pipeline import Root, Source, find_inputs, parse_source
from ..read import TEXT_SUFFIXES
from ..source_names import escape_name
from ..store import Parsed
from ..warc import is_warc, record_name, scan_warc, scan_warc_stream

INPUTS_PER_PARTITION = 64


def document_schema():
    from pyspark.sql.types import ArrayType, BinaryType, LongType, StringType, StructField, StructType

    return StructType([StructField("source", StringType(), False), StructField("sha256", StringType(), True),
                       StructField("status", StringType(), False), StructField("warnings", LongType(), False),
                       StructField("entries", LongType(), False), StructField("head", BinaryType(), False),
                       StructField("columns", ArrayType(StringType()), False)])


def entry_schema():
    from pyspark.sql.types import BinaryType, LongType, StringType, StructField, StructType

    return StructType([StructField("source", StringType(), False), StructField("position", LongType(), False),
                       StructField("title", StringType(), False), StructField("year", LongType(), True),
                       StructField("kind", StringType(), True), StructField("body", BinaryType(), False)])


def parse_inputs(spark, paths: list[str], tables: str,
                 follow_symlinks: bool = False) -> tuple[dict[str, Counter[str]], list[Root]]:
    """Parse every input into the `documents` and `entries` tables under `tables`; return the records each
    web archive skipped, by reason, and the roots (a URI's documents are named by their whole URI)."""
    from pyspark import StorageLevel

    context = spark.sparkContext
    local = [path for path in paths if "://" not in path or path.startswith("file://")]
    remote = [path for path in paths if path not in local]
    found = find_inputs(local, follow_symlinks, expand_archives=False)
    given = {root.given: root for root in found.roots}
    roots = list({path: given.get(escape_name(path), Root(escape_name(path), "uri")) for path in paths}.values())
    inputs = [(str(source.path.resolve()), source.name, source.skipped)
              for source in found.sources if source.path is not None]
    slices = max(1, min(len(inputs), max(context.defaultParallelism * 2, len(inputs) // INPUTS_PER_PARTITION)))
    parsed = context.parallelize(inputs, slices).flatMap(_parse_local)
    for uri in remote:
        parsed = parsed.union(context.binaryFiles(uri).filter(_known_file).flatMap(_parse_remote))
    parsed = parsed.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        documents = parsed.filter(lambda item: item[0] == "document").map(lambda item: _document_row(item[1]))
        entries = parsed.filter(lambda item: item[0] == "document").flatMap(lambda item: _entry_rows(item[1]))
        spark.createDataFrame(documents, document_schema()).write.mode("overwrite").parquet(f"{tables}/documents")
        spark.createDataFrame(entries, entry_schema()).write.mode("overwrite").parquet(f"{tables}/entries")
        skips = parsed.filter(lambda item: item[0] == "skipped").map(lambda item: item[1]).collect()
    finally:
        parsed.unpersist()
    return {name: Counter(counts) for name, counts in sorted(skips)}, roots


def _parse_local(item: tuple[str, str, str | None]) -> Iterator[tuple[str, object]]:
    path, name, skipped_because = Path(item[0]), item[1], item[2]
    if skipped_because or not is_warc(path):
        yield "document", Parsed.of(parse_source(Source(path, name, skipped_because)))
        return
    skipped: Counter[str] = Counter()
    for record, payload in scan_warc(path, skipped):
        yield "document", Parsed.of(parse_source(Source(path, record_name(name, record.offset), record=record),
                                                 (payload, None)))
    yield "skipped", (name, dict(skipped))


def _known_file(item: tuple[str, bytes]) -> bool:
    path = Path(item[0].rsplit("/", 1)[-1])
    return is_warc(path) or path.suffix.lower() in TEXT_SUFFIXES


def _parse_remote(item: tuple[str, bytes]) -> Iterator[tuple[str, object]]:
    uri, data = item
    if not is_warc(Path(uri.rsplit("/", 1)[-1])):
        yield "document", Parsed.of(parse_source(Source(Path(uri), uri), (data, None)))
        return
    skipped: Counter[str] = Counter()
    for record, payload in scan_warc_stream(io.BytesIO(data), uri, skipped):
        yield "document", Parsed.of(parse_source(Source(Path(uri), record_name(uri, record.offset), record=record),
                                                 (payload, None)))
    yield "skipped", (uri, dict(skipped))


def _document_row(parsed: Parsed) -> tuple:
    return (parsed.source, parsed.sha256, parsed.status, parsed.warnings, len(parsed.entries), parsed.head,
            sorted(parsed.columns))


def _entry_rows(parsed: Parsed) -> list[tuple]:
    return [(parsed.source, position, title, year, kind, body)
            for position, (title, year, kind, body, _) in enumerate(parsed.entries)]


