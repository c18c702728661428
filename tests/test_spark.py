"""The Spark engine writes the local engine's files byte for byte (a real SparkSession on local[2])."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from listparse.export import write_outputs
from listparse.pipeline import IngestOptions, output_files, run

from .conftest import FIXTURES, ROOT
from .warcs import write_warc

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (pip install -e '.[test,spark]')")
if shutil.which("java") is None:
    pytest.skip("Java is not installed (pyspark needs Java 17+)", allow_module_level=True)

FORMATS = ("json", "csv", "jsonl", "sqlite", "parquet")
TABLES = ("documents", "entries", "fields", "works", "evidence", "conflicts", "changes")


@pytest.fixture(scope="module")
def spark():
    """One local[2] session for the whole module (starting one costs seconds)."""
    from listparse.spark import spark_session

    session = spark_session("local[2]", {"spark.sql.shuffle.partitions": "4"})
    yield session
    session.stop()


def _files(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(out.iterdir())}


def _local(paths, out: Path, **options) -> dict[str, bytes]:
    settings = IngestOptions(formats=FORMATS, **options)
    with run(paths, settings) as result:
        write_outputs(output_files(result, FORMATS), out)
    return _files(out)


def _spark(spark, paths, out: Path, **options) -> tuple[dict[str, bytes], dict]:
    from listparse.spark import run_spark

    settings = IngestOptions(formats=FORMATS, **options)
    with run_spark(paths, settings, session=spark) as result:
        write_outputs(output_files(result, FORMATS), out)
        counts, skipped = result.counts, result.skipped
    return _files(out), {"counts": counts, "skipped": skipped}


def _assert_identical(local: dict[str, bytes], spark: dict[str, bytes]) -> None:
    assert sorted(spark) == sorted(local) == sorted(
        [".listparse-manifest.json", "documents.csv", "documents.json", "documents.jsonl", "entries.csv",
         "entries.jsonl", "fields.csv", "run.json", "works.csv", "works.json", "works.jsonl", "listparse.db",
         *(f"{table}.parquet" for table in TABLES)])
    for name in local:
        assert spark[name] == local[name], f"{name} differs"


def test_spark_output_is_byte_identical_on_the_fixtures(spark, tmp_path, monkeypatch):
    """Every fixture (and the broken ones): the same files (listparse.db and Parquet too), byte for byte."""
    monkeypatch.chdir(ROOT)
    local = _local(["tests/fixtures"], tmp_path / "local")
    spark_files, facts = _spark(spark, ["tests/fixtures"], tmp_path / "spark")
    _assert_identical(local, spark_files)
    assert facts["counts"]["failed"] >= 1 and facts["counts"]["works"] > 500


def test_spark_output_is_byte_identical_with_catalogue_and_aliases(spark, tmp_path, monkeypatch):
    """Catalogue links and the aliases file's forced and forbidden merges come out the same."""
    monkeypatch.chdir(FIXTURES / "merge")
    documents = sorted(str(p.name) for p in (FIXTURES / "merge").iterdir() if p.suffix in {".md", ".txt", ".html"})
    options = {"catalogue": Path("catalogue-aod.json"), "aliases": Path("aliases.toml")}
    local = _local(documents, tmp_path / "local", **options)
    _assert_identical(local, _spark(spark, documents, tmp_path / "spark", **options)[0])
    assert b'"same_catalogue_entry"' in local["works.json"] and b'"aliases_file"' in local["works.json"]


def test_spark_reads_web_archives_like_the_local_engine(spark, tmp_path, monkeypatch):
    """Records of archives (one of them cut off mid-gzip) are the same documents, skips counted the same."""
    monkeypatch.chdir(tmp_path)
    pages = sorted(FIXTURES.glob("*.html"))
    write_warc(tmp_path / "a.warc.gz", pages[:8])
    whole = write_warc(tmp_path / "b.warc.gz", pages[8:], others=False).read_bytes()
    (tmp_path / "b.warc.gz").write_bytes(whole[:-40])
    local = _local(["a.warc.gz", "b.warc.gz"], tmp_path / "local")
    spark_files, facts = _spark(spark, ["a.warc.gz", "b.warc.gz"], tmp_path / "spark")
    _assert_identical(local, spark_files)
    assert facts["skipped"] == {"a.warc.gz": {"not-response": 9, "not-html": 1, "revisit": 1},
                                "b.warc.gz": {"not-response": len(pages) - 8, "truncated": 1}}
    assert facts["counts"]["documents"] == len(pages) - 1


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """2,000 generated documents whose works recur across them, under variant spellings."""
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(out), "--docs", "2000",
                    "--jobs", "1"], check=True, capture_output=True)
    return out


def test_spark_output_is_byte_identical_on_a_generated_corpus(spark, corpus, tmp_path, monkeypatch):
    """2,000 documents, tens of thousands of entries, works that recur and merge: the same files."""
    monkeypatch.chdir(corpus)
    local = _local(["."], tmp_path / "local", jobs=1)
    spark_files, facts = _spark(spark, ["."], tmp_path / "spark")
    _assert_identical(local, spark_files)
    counts = facts["counts"]
    assert counts["documents"] == 2000 and counts["entries"] > 30_000
    assert counts["works"] < counts["entries"] / 2  # works recur: merging did join them


def test_cli_engine_spark(spark, tmp_path, monkeypatch):
    """`listparse ingest --engine spark` writes what `--engine local` writes."""
    from click.testing import CliRunner

    from listparse.cli import main

    monkeypatch.chdir(ROOT)
    inputs = [str(p.relative_to(ROOT)) for p in sorted(FIXTURES.glob("0*.*")) if not p.name.endswith(".json")]
    runner = CliRunner()
    local = runner.invoke(main, ["ingest", *inputs, "--out", str(tmp_path / "local"), "--no-cache"])
    remote = runner.invoke(main, ["ingest", *inputs, "--out", str(tmp_path / "spark"), "--engine", "spark",
                                  "--master", "local[2]"])
    assert (local.exit_code, remote.exit_code) == (0, 0), remote.output
    assert f"{len(inputs)} document(s), 0 failed" in remote.output
    assert _files(tmp_path / "spark") == _files(tmp_path / "local")


def test_submit_entry_point_writes_files_and_keeps_tables(spark, tmp_path, monkeypatch):
    """The spark-submit entry point: the local run's files in --out, the Parquet tables in --tables."""
    from listparse.spark.submit import main as submit

    monkeypatch.chdir(ROOT)
    inputs = [str(p.relative_to(ROOT)) for p in sorted(FIXTURES.glob("1*.*")) if not p.name.endswith(".json")]
    local = _local(inputs, tmp_path / "local")
    tables = tmp_path / "tables"
    with pytest.raises(SystemExit) as finished:
        submit([*inputs, "--out", str(tmp_path / "spark"), "--tables", tables.as_uri(),
                *(part for name in FORMATS for part in ("--format", name))])
    assert finished.value.code == 0
    assert _files(tmp_path / "spark") == local
    assert sorted(path.name for path in tables.iterdir()) == ["documents", "documents_out", "entries", "works"]
    assert spark.read.parquet(tables.as_uri() + "/works").count() == local["works.jsonl"].count(b"\n")


def test_spark_carries_ids_from_a_previous_run_as_the_local_engine_does(spark, tmp_path, monkeypatch):
    """Ids carried from a previous run (a renamed work, a merge with previous_ids): the same files."""
    from .test_ids import ADDED, FIRST, OLD_ID, _works, _write

    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "raw", FIRST | {"d6.txt": ("Six", "Dune (2021)", "Heat")})
    _local(["raw"], tmp_path / "previous")
    _write(tmp_path / "raw", {name: ADDED[name] for name in ("d3.txt", "d4.txt")}
           | {"d6.txt": ("Six", "Dune (1984)", "Heat")})
    local = _local(["raw"], tmp_path / "local", previous=Path("previous"))
    _assert_identical(local, _spark(spark, ["raw"], tmp_path / "spark", previous=Path("previous"))[0])
    works = _works(tmp_path / "local")  # read as JSON: the assertions do not depend on how it is laid out
    assert OLD_ID in works
    assert any(work.get("previous_ids") == ["dune-2021"] for work in works.values())
