"""listparse.db's tables → Parquet files, with the same columns and types, for DuckDB, Spark and pandas.

Each table is read from the database in primary-key order, a batch of rows
at a time (never a whole table in memory), and written with fixed writer
options (snappy, dictionary pages, statistics, a row group per batch), so the
same database gives the same bytes with the same pyarrow.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .errors import ListparseError
from .table_definitions import Table

ROWS_PER_GROUP = 65_536
ROWS_PER_FETCH = 4_096  # rows read from SQLite as Python objects at a time


def require_pyarrow() -> None:
    """Raise ListparseError, saying what to install, when pyarrow is missing."""
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise ListparseError("--format parquet needs pyarrow: pip install 'listparse[parquet]'") from None


def arrow_schema(table: Table):
    """The table's columns as an Arrow schema: INTEGER → int64, REAL → double, TEXT → string."""
    import pyarrow as pa

    types = {"INTEGER": pa.int64(), "REAL": pa.float64(), "TEXT": pa.string()}
    return pa.schema([pa.field(column.name, types[column.type], nullable=not column.not_null)
                      for column in table.columns])


def write_parquet(database: Path, table: Table, path: Path) -> None:
    """Write one table of the database at `database` as a Parquet file at `path`."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(table)
    columns = ", ".join(f'"{name}"' for name in table.names)
    db = sqlite3.connect(f"{Path(database).resolve().as_uri()}?mode=ro", uri=True)
    try:
        cursor = db.execute(f'SELECT {columns} FROM "{table.name}" ORDER BY "{table.names[0]}"')
        with pq.ParquetWriter(path, schema, compression="snappy", use_dictionary=True, write_statistics=True,
                              version="2.6", data_page_version="1.0") as writer:
            batches: list = []  # Arrow batches, compact beside the Python rows they are made from
            while rows := cursor.fetchmany(ROWS_PER_FETCH):
                batches.append(pa.RecordBatch.from_arrays(
                    [pa.array([row[number] for row in rows], type=field.type) for number, field in enumerate(schema)],
                    schema=schema))
                if len(batches) * ROWS_PER_FETCH >= ROWS_PER_GROUP:
                    writer.write_table(pa.Table.from_batches(batches), row_group_size=ROWS_PER_GROUP)
                    batches.clear()
            if batches:
                writer.write_table(pa.Table.from_batches(batches), row_group_size=ROWS_PER_GROUP)
    finally:
        db.close()
