"""The same pipeline on Apache Spark: `listparse ingest PATHS --engine spark`, or a job under spark-submit.

    documents, entries = parse_inputs(spark, paths, tables)   # parse: the pure per-document function, per partition
    merged = merge_tables(spark, tables, catalogue, aliases)  # merge: blocking shuffle, components, a reduce per work
    write_outputs(output_files(Result(merged), formats), out) # write: the local run's files, from the tables

The stages are the local engine's own functions (`pipeline.parse_source`,
`match.blocking_keys` / `block_pairs` / `join_groups`, `merge.build_work` /
`assign_ids` / `assign_entry`), so both engines write byte-identical files.
Needs the `spark` extra (`pip install 'listparse[spark]'`) and Java 17+.
"""

from __future__ import annotations

from .engine import run_spark, spark_session

__all__ = ["run_spark", "spark_session"]
