"""The Spark run: a session, the three stages, and a `Result` the local writers read from."""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..pipeline import IngestOptions, Result, load_knowledge, previous_run
from .merge import merge_tables
from .parse import parse_inputs

DEFAULT_CONFIG = {
    "spark.driver.memory": "2g",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
}
LOCAL_MASTER_RE = re.compile(r"^local(?:\[(\d+|\*)(?:,\d+)?\])?$")


def spark_session(master: str | None = None, config: dict[str, str] | None = None):
    """A SparkSession (the running one under spark-submit); workers run this Python unless PYSPARK_PYTHON says."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("listparse")
    if master is None and not os.environ.get("SPARK_ENV_LOADED"):  # not under spark-submit: on this machine
        master = "local[*]"
    settings = dict(DEFAULT_CONFIG)
    if master is not None:
        builder = builder.master(master)
        local = LOCAL_MASTER_RE.match(master)
        if local:  # a few partitions per core, not Spark's 200 (each task costs a Python round trip)
            cores = local.group(1)
            count = 1 if cores is None else (os.cpu_count() or 1) if cores == "*" else int(cores)
            settings["spark.sql.shuffle.partitions"] = str(2 * count)
    for key, value in {**settings, **(config or {})}.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def run_spark(paths: Iterable[str | Path], settings: IngestOptions, master: str | None = None,
              tables: str | None = None, session=None, progress=None, phase=None) -> Result:
    """Parse, store and merge on Spark; the returned `Result` reads documents and works back from the tables.

    `tables`: where the Parquet tables go (a temporary directory, removed when
    the result is closed, if not given). `session`: a SparkSession to use;
    without it, the running session if there is one, else a new one for
    `master`. A session made here is stopped on close; one found running is left running.
    """
    from pyspark.sql import SparkSession

    knowledge = load_knowledge(settings)
    previous = previous_run(settings)
    session = session or SparkSession.getActiveSession()
    owned = session is None
    spark = spark_session(master) if owned else session
    scratch = None
    if tables is None:
        scratch = tempfile.mkdtemp(prefix="listparse-spark-")
        tables = Path(scratch).as_uri()
    tables = tables.rstrip("/")

    def close() -> None:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        if owned:
            spark.stop()

    try:
        skipped, roots = parse_inputs(spark, [str(path) for path in paths], tables, settings.follow_symlinks)
        if phase is not None:
            phase("merging on Spark")
        merged = merge_tables(spark, tables, knowledge.catalogue, knowledge.aliases, close, previous)
    except BaseException:
        close()
        raise
    if progress is not None:
        progress(merged.store.documents, merged.store.documents, "parsing")
    # The Spark tables stand in for the Store.
    return Result(merged, skipped, roots, settings, knowledge.files, previous)  # type: ignore[arg-type]
