"""The Spark tables as the local writers see them: `Merged` and `Store`, read back sorted, a partition at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..export import FromModels
from ..merge import SCHEMA_VERSION
from ..models import Dataset, Document, DocumentRef, Work

ROWS_PER_FETCH = 2_000  # documents or works per partition fetched by the driver (a work's JSON can be 100 KB)


class SparkTables:
    """The `documents` table, with the counts and column names a run reports (what `Store` offers)."""

    reopenable = False  # read through this process's Spark session: the files are never written from a fork

    def __init__(self, spark, tables: str, close: Callable[[], None]) -> None:
        from pyspark.sql import functions as F

        self.spark, self.tables, self._close = spark, tables, close
        # Rows are whole documents (tens of KB): Parquet's default batch of 4,096 rows asks the JVM for one
        # contiguous buffer of hundreds of MB when they are read back, and fails in a 2 GB heap.
        spark.conf.set("spark.sql.parquet.columnarReaderBatchSize", "128")
        documents = self._table("documents")
        totals = documents.agg(F.count(F.lit(1)), F.sum("entries"), F.sum("warnings")).first()
        self.documents, self.entries, self.warnings = totals[0], totals[1] or 0, totals[2] or 0
        self.columns = {row.column for row in documents.select(F.explode("columns").alias("column")).distinct()
                        .collect()}
        self.failed = [Document.model_validate_json(row.head)
                       for row in documents.filter(documents.status != "ok").select("head").collect()]

    def _table(self, name: str):
        return self.spark.read.parquet(f"{self.tables}/{name}")

    def sorted_rows(self, name: str, key: str, *columns: str) -> Iterator:
        """A table's rows sorted by `key`, fetched a partition at a time: range partitions small enough
        that one of them (a task's whole result) fits the driver."""
        table = self._table(name)
        partitions = max(1, table.count() // ROWS_PER_FETCH + 1)
        return table.repartitionByRange(partitions, key).sortWithinPartitions(key).select(*columns).toLocalIterator()

    def heads(self) -> Iterator[tuple[Document, int]]:
        for row in self.sorted_rows("documents", "source", "head", "entries"):
            yield Document.model_validate_json(row.head), row.entries

    def references(self) -> Iterator[tuple]:
        yield from (tuple(row) for row in self.sorted_rows("documents", "source", "source", "sha256", "status",
                                                            "entries"))

    def close(self) -> None:
        self._close()


class SparkMerged:
    """The merged tables, read back as `merge.Merged` reads its store: documents by source, works by id."""

    def __init__(self, store: SparkTables, work_ids: list[str], field_names: list[str], conflicts: int,
                 previous_ids: dict[int, list[str]] | None = None) -> None:
        self.store, self.work_ids, self.field_names, self.conflicts = store, work_ids, field_names, conflicts
        self.previous_ids = previous_ids or {}  # by work number, for the works that have some
        # The writers' records, rendered from the tables' models as the local store renders them.
        records = FromModels(self.documents, self.works)
        self.documents_rendered, self.entry_records = records.documents_rendered, records.entry_records
        self.field_records, self.works_rendered = records.field_records, records.works_rendered
        self.work_records = records.work_records

    def documents(self) -> Iterator[Document]:
        for row in self.store.sorted_rows("documents_out", "source", "body"):
            yield Document.model_validate_json(row.body)

    def works(self) -> Iterator[Work]:
        for row in self.store.sorted_rows("works", "id", "id", "body"):
            yield Work.model_validate_json(row.body).model_copy(update={"id": row.id})

    def references(self) -> Iterator[DocumentRef]:
        for source, sha256, status, entries in self.store.references():
            yield DocumentRef(source=source, sha256=sha256, status=status, entries=entries)

    def dataset(self) -> Dataset:
        return Dataset(schema_version=SCHEMA_VERSION, documents=list(self.references()), works=list(self.works()))
