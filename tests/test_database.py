"""--format sqlite and parquet: listparse.db's keys and indexes, the README's queries, the same tables in Parquet
(pandas, DuckDB, sqlite-utils read them), and byte-identical files."""

from __future__ import annotations

import re
import sqlite3
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from listparse.cli import main
from listparse.export import write_outputs
from listparse.pipeline import IngestOptions, output_files, run
from listparse.table_definitions import BY_NAME, TABLE_NAMES, TABLES, markdown_table

from .conftest import FIXTURES, ROOT

pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install -e '.[test]')")
pq = pytest.importorskip("pyarrow.parquet")

MERGE = FIXTURES / "merge"
FORMATS = ("csv", "sqlite", "parquet")
PARQUET_FILES = [f"{name}.parquet" for name in TABLE_NAMES]


def _ingest(paths, out: Path, **options) -> dict[str, bytes]:
    with run(paths, IngestOptions(formats=FORMATS, **options)) as result:
        write_outputs(output_files(result, FORMATS), out)
    return {path.name: path.read_bytes() for path in sorted(out.iterdir())}


@pytest.fixture(scope="module")
def merged_out(tmp_path_factory) -> Path:
    """The merge fixtures (conflicts, aliases, a catalogue) ingested into sqlite, parquet and csv."""
    out = tmp_path_factory.mktemp("tables") / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(MERGE)
        documents = sorted(p.name for p in MERGE.iterdir() if p.suffix in {".md", ".txt", ".html"})
        _ingest(documents, out, catalogue=Path("catalogue-aod.json"), aliases=Path("aliases.toml"))
    return out


@pytest.fixture
def db(merged_out):
    connection = sqlite3.connect(merged_out / "listparse.db")
    yield connection
    connection.close()


def test_files_written(merged_out):
    """listparse.db and one Parquet file per table sit beside the CSV files, all named in the manifest."""
    names = sorted(path.name for path in merged_out.iterdir())
    assert names == sorted([".listparse-manifest.json", "documents.csv", "entries.csv", "fields.csv", "works.csv",
                            "run.json", "listparse.db", *PARQUET_FILES])
    assert '"listparse.db"' in (merged_out / ".listparse-manifest.json").read_text()


def test_schema_has_primary_and_foreign_keys_and_indexes(db):
    """Every table has its primary key, declared foreign keys and indexes; every reference resolves."""
    assert [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")] == \
        sorted(TABLE_NAMES)
    for table in TABLES:
        info = db.execute(f'PRAGMA table_info("{table.name}")').fetchall()
        assert [row[1] for row in info] == table.names
        assert [row[1] for row in info if row[5]] == [table.names[0]]
        keys = {(row[3], row[2], row[4]) for row in db.execute(f'PRAGMA foreign_key_list("{table.name}")')}
        assert keys == {(column.name, column.references, BY_NAME[column.references].names[0])
                        for column in table.columns if column.references}
        indexed = {tuple(row[2] for row in db.execute(f'PRAGMA index_info("{index[1]}")'))
                   for index in db.execute(f'PRAGMA index_list("{table.name}")')}
        assert set(table.indexes) <= indexed
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute("PRAGMA user_version").fetchone() == (1,)


def test_evidence_names_its_entry(db):
    """Every piece of evidence from a document names the entry it was read from; a catalogue's names none."""
    counts = db.execute("SELECT count(*), count(entry_id), count(catalogue) FROM evidence WHERE source IS NOT NULL"
                        ).fetchone()
    assert counts[0] == counts[1] > 100 and counts[2] == 0
    assert db.execute("SELECT count(*) FROM evidence WHERE source IS NULL AND catalogue = 'catalogue-aod.json' "
                      "AND entry_id IS NULL AND catalogue_entry IS NOT NULL").fetchone()[0] > 0
    # the entry named is the one whose title or field was printed at the evidence's span
    assert db.execute("""SELECT count(*) FROM evidence v JOIN entries e ON e.id = v.entry_id
                         WHERE v.field = 'title' AND (v.start, v."end") != (e.start, e."end")""").fetchone() == (0,)


def test_tables_match_the_csv_files(db, merged_out):
    """The documents, entries and fields tables hold what the CSV files hold (one row builder for both)."""
    import csv

    def count(name: str) -> int:
        with open(merged_out / name, encoding="utf-8") as stream:
            return sum(1 for _ in csv.DictReader(stream))

    for table in ("documents", "entries", "fields", "works"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == count(f"{table}.csv")
    with open(merged_out / "works.csv", encoding="utf-8") as stream:
        csv_works = [(row["id"], row["title"], int(row["appearances"])) for row in csv.DictReader(stream)]
    assert db.execute("SELECT id, title, appearances FROM works ORDER BY id").fetchall() == csv_works


def _readme_queries() -> list[str]:
    """The three SQL queries of the README's "Three queries" block, in order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sql\n(-- 1\..*?)```", readme, re.S)
    assert block, "README has no ```sql block starting with '-- 1.'"
    queries = [part.strip() for part in re.split(r"^-- \d\..*$", block.group(1), flags=re.M) if part.strip()]
    assert len(queries) == 3
    return queries


EXPECTED = [
    [("anohana-the-flower-we-saw-that-day", "Anohana: The Flower We Saw That Day", 4, 4),
     ("clannad-after-story", "Clannad: After Story", 3, 3),
     ("honey-and-clover", "Honey and Clover", 2, 2),
     ("i-want-to-eat-your-pancreas", "I Want to Eat Your Pancreas", 2, 2),
     ("natsume-s-book-of-friends", "Natsume's Book of Friends", 2, 2)],
    [("hellsing-2006", "2006", "agreement", "2001", None, "catalogue-aod.json", None, "Hellsing"),
     ("wolf-children", "2012", "catalogue", "2013", "tearjerkers.md", None, 27, "2013")],
    [("tearjerkers.md", 1, 1, "fix_stray_capitals", "Your LIie In April", "Your Liie In April"),
     ("tearjerkers.md", 1, 2, "lowercase_small_words", "Your Liie In April", "Your Liie in April"),
     ("tearjerkers.md", 1, 3, "spelling_from_other_documents", "Your Liie in April", "Your Lie in April")],
]


@pytest.mark.parametrize("number", [0, 1, 2], ids=["most-appearances", "a-fields-conflicts", "rules-of-a-title"])
def test_readme_queries_in_sqlite(db, number):
    """The README's queries give the expected rows on listparse.db."""
    assert db.execute(_readme_queries()[number]).fetchall() == EXPECTED[number]


@pytest.mark.parametrize("number", [0, 1, 2], ids=["most-appearances", "a-fields-conflicts", "rules-of-a-title"])
def test_readme_queries_in_duckdb_over_parquet(merged_out, number):
    """The same queries, unchanged, give the same rows in DuckDB over the Parquet files."""
    duckdb = pytest.importorskip("duckdb")
    connection = duckdb.connect()
    for name in TABLE_NAMES:
        connection.execute(f"CREATE VIEW {name} AS FROM '{merged_out / name}.parquet'")
    assert connection.execute(_readme_queries()[number]).fetchall() == EXPECTED[number]


def test_parquet_schema_equals_sqlite_schema(db, merged_out):
    """Each Parquet file has the table's columns, in order, with the matching types and nullability."""
    types = {"INTEGER": pa.int64(), "REAL": pa.float64(), "TEXT": pa.string()}
    for table in TABLE_NAMES:
        info = db.execute(f'PRAGMA table_info("{table}")').fetchall()
        schema = pq.read_schema(merged_out / f"{table}.parquet")
        assert schema.names == [row[1] for row in info]
        assert [(field.type, field.nullable) for field in schema] == [(types[row[2]], not row[3]) for row in info]


def test_parquet_rows_equal_sqlite_rows(db, merged_out):
    """DuckDB reads from each Parquet file exactly the rows of its table, in primary-key order."""
    duckdb = pytest.importorskip("duckdb")
    for table in TABLES:
        rows = db.execute(f'SELECT * FROM "{table.name}" ORDER BY "{table.names[0]}"').fetchall()
        assert rows, table.name
        assert duckdb.sql(f"FROM '{merged_out / table.name}.parquet'").fetchall() == rows


def test_pandas_reads_both(db, merged_out):
    """pandas loads each table from listparse.db and from its Parquet file alike."""
    pd = pytest.importorskip("pandas")
    for table in TABLE_NAMES:
        from_sqlite = pd.read_sql(f'SELECT * FROM "{table}"', db)
        from_parquet = pd.read_parquet(merged_out / f"{table}.parquet")
        assert list(from_parquet.columns) == list(from_sqlite.columns)
        assert _cells(from_parquet) == _cells(from_sqlite), table


def _cells(frame) -> list[list]:
    return [[None if value != value or value is None else value for value in row]  # NaN → None
            for row in frame.astype(object).values.tolist()]


def test_sqlite_utils_reads_it(merged_out):
    """sqlite-utils sees the tables, their primary keys and foreign keys (what Datasette links by)."""
    sqlite_utils = pytest.importorskip("sqlite_utils")
    database = sqlite_utils.Database(merged_out / "listparse.db")
    assert sorted(database.table_names()) == sorted(TABLE_NAMES)
    assert database["works"].pks == ["id"] and database["documents"].pks == ["source"]
    assert {(key.column, key.other_table) for key in database["evidence"].foreign_keys} == {
        ("work_id", "works"), ("conflict_id", "conflicts"), ("source", "documents"), ("entry_id", "entries")}
    work = database["works"].get("anohana-the-flower-we-saw-that-day")
    assert work["appearances"] == 4 and work["matched_by"].startswith("[")
    database.close()


def test_tables_match_golden(db, data_regression):
    """The contents of every table for the merge fixtures are unchanged."""
    data_regression.check({table.name: [dict(zip(table.names, row, strict=True)) for row in db.execute(
        f'SELECT * FROM "{table.name}" ORDER BY "{table.names[0]}"')] for table in TABLES})


def test_files_are_byte_identical_across_runs_and_jobs(tmp_path, monkeypatch):
    """Two runs, one process and two, give the same listparse.db and Parquet bytes."""
    monkeypatch.chdir(ROOT)
    one = _ingest(["tests/fixtures"], tmp_path / "one", jobs=1)
    two = _ingest(["tests/fixtures"], tmp_path / "two", jobs=2)
    assert {"listparse.db", *PARQUET_FILES} <= set(one)
    assert one == two


def test_parquet_alone_leaves_no_database(tmp_path, monkeypatch):
    """--format parquet alone writes the seven files; the database it reads them from is not left behind."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    result = CliRunner().invoke(main, ["ingest", "raw", "--out", str(tmp_path / "out"), "--format", "parquet",
                                       "-q", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == sorted(
        [".listparse-manifest.json", "run.json", *PARQUET_FILES])
    assert list((tmp_path / "tmp").iterdir()) == []
    assert pq.read_table(tmp_path / "out" / "entries.parquet").num_rows == 30


def test_sqlite_in_a_shared_directory(tmp_path, monkeypatch):
    """In a directory shared with other files, listparse.db is written in place like the text files."""
    monkeypatch.chdir(ROOT)
    out = tmp_path / "shared"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    result = CliRunner().invoke(main, ["ingest", "raw", "--out", str(out), "--format", "sqlite", "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in out.iterdir()) == [".listparse-manifest.json", "listparse.db", "notes.txt",
                                                           "run.json"]
    with sqlite3.connect(out / "listparse.db") as connection:
        assert connection.execute("SELECT count(*) FROM entries").fetchone() == (30,)


def test_parquet_without_pyarrow_is_a_usage_error(tmp_path, monkeypatch):
    """--format parquet without pyarrow: exit 2 and one line saying what to install; nothing written."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now raises ImportError
    result = CliRunner().invoke(main, ["ingest", "raw", "--out", str(tmp_path / "out"), "--format", "parquet"])
    assert result.exit_code == 2
    assert result.output == "listparse: --format parquet needs pyarrow: pip install 'listparse[parquet]'\n"
    assert not (tmp_path / "out").exists()


def test_readme_documents_every_table():
    """The README's table of each table's columns is the one the code defines (a test keeps them together)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for table in TABLES:
        assert f"`{table.name}`: {table.meaning}\n\n{markdown_table(table)}" in readme, table.name
