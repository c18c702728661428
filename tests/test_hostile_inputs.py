"""Hostile inputs to the batch itself: file names, symbolic links, the paths argument (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from listparse.pipeline import ingest

LIST = "Best things\n\n1. Alpha\n\n2. Beta\n"


@pytest.mark.parametrize("given", [pytest.param(str, id="str"), pytest.param(Path, id="path")])
def test_ingest_takes_one_path_as_a_path_not_its_characters(in_tmp, given):
    """`ingest("raw")` reads the directory raw/, not the files "r", "a" and "w"."""
    (in_tmp / "raw").mkdir()
    (in_tmp / "raw" / "a.txt").write_text(LIST)
    dataset = ingest(given("raw"))
    assert [document.source for document in dataset.parsed_documents] == ["raw/a.txt"]
