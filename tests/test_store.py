"""The on-disk store a batch passes through: what it keeps in memory, and that it cleans up after itself."""

from __future__ import annotations

import multiprocessing.pool
import os
import tempfile

import pytest

from listparse import parse_text, pipeline
from listparse.match import Variants
from listparse.merge import merge_store, merge_works
from listparse.pipeline import IngestOptions, output_files, run
from listparse.store import Parsed, Store

from .conftest import RAW


@pytest.fixture
def private_tmpdir(tmp_path, monkeypatch):
    """TMPDIR for the store, so a test can see what it leaves behind."""
    directory = tmp_path / "tmp"
    directory.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    return directory


def _document(source: str, *titles: str):
    lines = [f"Best of {source}", ""] + [f"{rank}. {title}\n\nA pick." for rank, title in enumerate(titles, 1)]
    return parse_text("\n".join(lines), source=source)


def test_entries_with_one_title_year_and_kind_share_a_variant():
    """The matcher's memory grows with distinct titles: repeated titles are counted, not kept."""
    variants = Variants()
    ids = [variants.add("b.txt", 0, "Nana", None, None), variants.add("a.txt", 3, "Nana", None, None),
           variants.add("a.txt", 1, "Nana", 2006, None), variants.add("c.txt", 0, "NANA", None, None)]
    assert ids == [0, 0, 1, 2]
    nana = variants.all[0]
    assert (nana.count, nana.first) == (2, ("a.txt", 3))


def test_a_stored_batch_reads_back_in_source_order_with_work_ids():
    """Documents come back sorted by source, whatever order they were added in, entries in rank order."""
    with Store() as store:
        for document in [_document("b.txt", "Nana", "Monster"), _document("a.txt", "Monster", "Mushishi")]:
            store.add(Parsed.of(document))
        merged = merge_store(store)
        documents = list(merged.documents())
        works = list(merged.works())
    assert [d.source for d in documents] == ["a.txt", "b.txt"]
    assert [(e.rank, e.title, e.work_id) for e in documents[0].entries] == [
        (1, "Monster", "monster"), (2, "Mushishi", "mushishi")]
    assert [w.id for w in works] == ["monster", "mushishi", "nana"]
    assert [(a.source, a.rank) for a in works[0].appearances] == [("a.txt", 1), ("b.txt", 2)]


def test_merge_works_gives_each_entry_its_work_and_the_works_spelling():
    """`merge_works` (documents in memory, through an in-memory store): ids, and slips corrected with a record."""
    documents = [_document("b.txt", "Your Lie in April", "Nana"), _document("a.txt", "Your LIie In April", "Monster")]
    merged_documents, dataset = merge_works(documents)
    assert [e.work_id for d in merged_documents for e in d.entries] == [
        "your-lie-in-april", "monster", "your-lie-in-april", "nana"]
    assert merged_documents[0].entries[0].changes[-1].rule == "spelling_from_other_documents"
    assert merged_documents[0].entries[0].title == "Your Lie in April"
    assert len(dataset.works) == 3


def test_a_run_keeps_its_store_on_disk_until_closed(private_tmpdir):
    """The batch lives in one temporary file while the result is open, and nothing is left after."""
    with run([RAW], IngestOptions(jobs=1)) as result:
        assert len(list(private_tmpdir.iterdir())) == 1
        files = {name: "".join(chunks) for name, chunks in output_files(result, ("json", "csv")).items()}
    assert list(private_tmpdir.iterdir()) == []
    assert result.counts["documents"] == 2 and result.counts["entries"] == 30
    assert files["entries.csv"].count("\n") == 31


def test_a_failed_run_leaves_no_store_behind(private_tmpdir, monkeypatch):
    """An error (or Ctrl-C) while merging removes the temporary file before it propagates."""
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "merge_store", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run([RAW], IngestOptions(jobs=1))
    assert list(private_tmpdir.iterdir()) == []


def test_entries_csv_columns_come_from_the_whole_batch():
    """A field that only one late document has still gets its column (collected while storing)."""
    plain = _document("a.txt", "Nana")
    with_year = parse_text("Best\n\n1. Monster\n\nYear: 2004\n\n2. Nana\n\nYear: 2006\n", source="b.txt")
    with Store() as store:
        store.add(Parsed.of(plain))
        store.add(Parsed.of(with_year))
        assert store.columns == {"year"}


def test_a_full_temporary_disk_is_one_clear_error(in_tmp, monkeypatch):
    """No room for the store: one line naming TMPDIR and what to do, exit 3, no traceback."""
    import sqlite3

    from click.testing import CliRunner

    from listparse.cli import main

    def full(self, parsed):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "add", full)
    (in_tmp / "good.txt").write_text("Best\n\n1. Nana\n\n2. Monster\n")
    result = CliRunner().invoke(main, ["ingest", "good.txt", "--out", "out"])
    assert result.exit_code == 3
    assert "cannot write the temporary store under" in result.output
    assert "database or disk is full" in result.output and "set TMPDIR" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (in_tmp / "out").exists()


def test_an_unwritable_tmpdir_is_one_clear_error(in_tmp, monkeypatch):
    """TMPDIR that cannot hold a directory: the same message and exit code."""
    from click.testing import CliRunner

    from listparse.cli import main

    monkeypatch.setattr(tempfile, "tempdir", str(in_tmp / "missing" / "tmp"))
    (in_tmp / "good.txt").write_text("Best\n\n1. Nana\n\n2. Monster\n")
    result = CliRunner().invoke(main, ["ingest", "good.txt", "--out", "out"])
    assert result.exit_code == 3
    assert "cannot write the temporary store under" in result.output


def test_works_built_in_worker_processes_are_the_same_files(monkeypatch, tmp_path):
    """With --jobs 2 the merge hands works to forked workers, which read their entries from the store
    themselves: every output file is byte-identical to a merge in one process, progress is reported in
    order, and a cluster's variants all get their work."""
    from listparse import merge

    from .conftest import FIXTURES, ROOT

    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(merge, "MIN_WORKS_PER_WORKER", 1)
    monkeypatch.setattr(merge, "TASKS_PER_BATCH", 7)  # several batches in flight
    monkeypatch.setattr(merge, "ENTRIES_PER_BATCH", 12)  # some closed by their entries, the seeds' works alone
    parent, readers = os.getpid(), tmp_path / "readers"
    read_rows = Store.mention_rows

    def in_workers_only(store, variants):
        assert os.getpid() != parent, "the parent read a work's entries for the workers"
        with readers.open("a") as pids:
            pids.write(f"{os.getpid()}\n")
        return read_rows(store, variants)

    written = {}
    for jobs in (1, 2):
        if jobs == 2:
            monkeypatch.setattr(Store, "mention_rows", in_workers_only)
        with run(["raw", FIXTURES.relative_to(ROOT)], IngestOptions(jobs=jobs)) as result:
            written[jobs] = {name: "".join(chunks) for name, chunks in output_files(result, ("json", "csv")).items()}
            assert all(number != merge.NO_WORK for number in result.merged.work_of_variant)
            works = len(result.merged.work_ids)
    assert works > 2 * 7
    assert len(set(readers.read_text().split())) == 2  # both workers read entries
    assert {name: text for name, text in written[2].items() if name != "run.json"} == {
        name: text for name, text in written[1].items() if name != "run.json"}


def test_works_go_to_the_workers_in_batches_bounded_by_their_entries(monkeypatch):
    """A batch ends at TASKS_PER_BATCH works or ENTRIES_PER_BATCH entries, whichever comes first: a work in
    most documents goes alone, and the order is kept."""
    from listparse import merge

    monkeypatch.setattr(merge, "TASKS_PER_BATCH", 3)
    monkeypatch.setattr(merge, "ENTRIES_PER_BATCH", 10)
    sizes = [1, 2, 1, 1, 25, 4, 4, 1, 9, 1]
    tasks = [(number, [("a.txt", position, b"{}") for position in range(size)]) for number, size in enumerate(sizes)]
    batches = list(merge._batches(iter(tasks)))
    assert [[number for number, _ in batch] for batch in batches] == [[0, 1, 2], [3, 4], [5, 6, 7], [8, 9]]


def test_batches_count_the_entries_a_worker_will_read_itself(monkeypatch):
    """Where the workers read their works' entries from the store, a task has no rows: its entries are
    counted from its variants, and the batches end where they would with the rows."""
    from types import SimpleNamespace

    from listparse import merge

    monkeypatch.setattr(merge, "TASKS_PER_BATCH", 3)
    monkeypatch.setattr(merge, "ENTRIES_PER_BATCH", 10)
    sizes = [1, 2, 1, 1, 25, 4, 4, 1, 9, 1]
    tasks = [(SimpleNamespace(number=number, groups=[SimpleNamespace(variants=[SimpleNamespace(count=size - size // 2),
                                                                               SimpleNamespace(count=size // 2)])]),
              None) for number, size in enumerate(sizes)]
    batches = list(merge._batches(iter(tasks)))
    assert [[cluster.number for cluster, _ in batch] for batch in batches] == [[0, 1, 2], [3, 4], [5, 6, 7], [8, 9]]


def test_workers_send_records_in_order_a_few_batches_at_a_time(tmp_path, monkeypatch):
    """Across batch boundaries the records come back in source order, and no more than two batches are
    ever handed to the workers before their records are taken (a warm cache would otherwise pile them up)."""
    monkeypatch.setattr(pipeline, "PARSE_BATCH", 40)
    for number in range(130):
        (tmp_path / f"{number:03}.txt").write_text(f"Best {number}\n\n1. Title {number}\n\n2. Other {number}\n")
    sources = [pipeline.Source(path, path.name) for path in sorted(tmp_path.iterdir())]
    handed: list[int] = []
    taken = 0
    real_imap = multiprocessing.pool.Pool.imap

    def counting_imap(pool, function, batch, chunksize=1):
        handed.append(len(batch))
        assert sum(handed[:-1]) - taken <= 40, "a third batch was handed over before the first was taken"
        return real_imap(pool, function, batch, chunksize)

    monkeypatch.setattr(multiprocessing.pool.Pool, "imap", counting_imap)
    records = []
    for parsed in pipeline.parse_sources(sources, jobs=2):
        records.append(parsed)
        taken += 1
    assert handed == [40, 40, 40, 10]
    assert [parsed.source for parsed in records] == [source.name for source in sources]
    assert [parsed.entries[0][0] for parsed in records] == [f"Title {number}" for number in range(130)]


def test_a_work_lets_go_of_its_rows_as_it_reads_them():
    """The rows a worker is handed are emptied as the work is built: none is held twice over."""
    from listparse import merge

    rows = [("a.txt", position, b"{}") for position in range(5)]
    drained = merge._drained(rows)
    assert [next(drained)[1], next(drained)[1]] == [0, 1] and len(rows) == 3
    assert [row[1] for row in drained] == [2, 3, 4] and rows == []
