"""Web archives as input: HTML responses are documents, everything else is counted and skipped."""

from __future__ import annotations

from collections import Counter

import pytest
from click.testing import CliRunner

from listparse import ingest
from listparse.cli import main
from listparse.pipeline import find_sources, parse_source
from listparse.warc import scan_warc

from .conftest import FIXTURES
from .warcs import DATE, page_uri, write_warc

PAGES = sorted(FIXTURES.glob("*.html"))[:6] + sorted((FIXTURES / "web").glob("*.html"))[:3]


def _entries(documents):
    return [[entry.model_dump(mode="json") for entry in document.entries] for document in documents]


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_warc_parses_into_the_same_entries_as_the_html_files(tmp_path, gzip):
    """Each HTML response of a WARC parses into exactly the entries of the same page saved as a file."""
    archive = write_warc(tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc"), PAGES, gzip=gzip)
    from_archive = ingest([archive]).parsed_documents
    from_files = ingest(PAGES).parsed_documents
    assert len(from_archive) == len(PAGES)
    by_uri = {document.url.value: document for document in from_archive}
    by_name = {document.source: document for document in from_files}  # each page named by its file's name
    assert _entries(by_uri[page_uri(page)] for page in PAGES) == _entries(by_name[page.name] for page in PAGES)
    assert sum(len(document.entries) for document in from_archive) > 50


def test_warc_record_has_url_date_and_stable_offset_source(tmp_path, monkeypatch):
    """A record's source is FILE#OFFSET, the same on every scan; url and date come from the archive."""
    monkeypatch.chdir(tmp_path)
    write_warc(tmp_path / "crawl.warc.gz", PAGES[:3])
    first, again = find_sources(["crawl.warc.gz"]), find_sources(["crawl.warc.gz"])
    assert [s.name for s in first] == [s.name for s in again]
    assert all(s.name.startswith("crawl.warc.gz#") for s in first)
    assert first[0].name == "crawl.warc.gz#" + str(first[0].record.offset) and first[0].record.offset > 0
    document = parse_source(first[1])
    assert (document.url.value, document.url.origin) == (page_uri(PAGES[1]), "WARC-Target-URI")
    assert (document.date.value, document.date.raw, document.date.origin) == (
        "2024-05-01T12:00:00+00:00", DATE, "WARC-Date")
    assert document.status == "ok" and document.entries


def test_warc_counts_records_that_are_not_documents(tmp_path):
    """Requests, a PNG response, a revisit and metadata are counted by reason, not parsed."""
    skipped: Counter[str] = Counter()
    records = list(scan_warc(write_warc(tmp_path / "crawl.warc.gz", PAGES[:2]), skipped))
    assert len(records) == 2
    assert skipped == {"not-response": 3, "not-html": 1, "revisit": 1}


@pytest.mark.parametrize("cut", [40, 700], ids=["mid-payload", "mid-header"])
def test_truncated_gzip_warc_keeps_the_records_before_the_break(tmp_path, cut):
    """A gzip-broken archive is not fatal: the records before the break are documents, the cut one counted."""
    whole = write_warc(tmp_path / "whole.warc.gz", PAGES[:3], others=False).read_bytes()
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(whole[:-cut])
    skipped: Counter[str] = Counter()
    records = list(scan_warc(broken, skipped))
    assert len(records) == 2
    assert skipped["truncated"] == 1


def test_cli_ingests_archives_and_directories_and_reports_skips(tmp_path, monkeypatch):
    """`ingest` takes several archives and directories of them; skipped records get one line per archive."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "crawls").mkdir()
    write_warc(tmp_path / "crawls" / "a.warc.gz", PAGES[:2])
    write_warc(tmp_path / "crawls" / "b.warc", PAGES[2:4], gzip=False, others=False)
    whole = write_warc(tmp_path / "c.warc.gz", PAGES[4:7], others=False).read_bytes()
    (tmp_path / "c.warc.gz").write_bytes(whole[:-40])
    result = CliRunner().invoke(main, ["ingest", "crawls", "c.warc.gz", "--out", "out", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "listparse: a.warc.gz: skipped 1 not-html, 3 not-response, 1 revisit" in result.output
    assert "listparse: c.warc.gz: skipped 3 not-response, 1 truncated" in result.output
    assert "listparse: b.warc: skipped 2 not-response\n" in result.output
    assert "6 document(s), 0 failed" in result.output
    sources = [line.split(",")[0] for line in (tmp_path / "out" / "documents.csv").read_text().splitlines()[1:]]
    assert [source.split("#")[0] for source in sources] == ["a.warc.gz"] * 2 + ["b.warc"] * 2 + ["c.warc.gz"] * 2
