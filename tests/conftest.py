"""Shared fixtures: where the test documents live."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
RAW = ROOT / "raw"
DEV_CORPUS = ROOT.parent / "shared" / "corpus" / "dev"
DOCUMENT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".markdown"}


def fixture_documents() -> list[Path]:
    """Every fixture document (not its .expected.json), the saved web pages, then the seeds in raw/."""
    found = [path for path in sorted(FIXTURES.glob("*")) if path.suffix in DOCUMENT_SUFFIXES]
    return found + sorted((FIXTURES / "web").glob("*.html")) + sorted(RAW.glob("*.txt"))


@pytest.fixture
def in_tmp(tmp_path, monkeypatch) -> Path:
    """Run the test inside an empty temporary working directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch) -> Path:
    """Every test gets its own parse cache, never the user's."""
    directory = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("LISTPARSE_CACHE_DIR", str(directory))
    return directory
