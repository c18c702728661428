"""Quality ratchet on the labelled dev corpus; skipped where ../shared is absent (a user's clone)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from listparse.pipeline import ingest

from .conftest import DEV_CORPUS, ROOT, TESTS

SCORE_SCRIPT = ROOT.parent / "shared" / "tools" / "score.py"

pytestmark = pytest.mark.skipif(not (DEV_CORPUS.is_dir() and SCORE_SCRIPT.is_file()),
                                reason="the labelled dev corpus (../shared) is not here")


@pytest.fixture(scope="module")
def scores(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("dev")
    ingest([DEV_CORPUS], out=out)
    spec = importlib.util.spec_from_file_location("score", SCORE_SCRIPT)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    return score.score(score.load_truth(DEV_CORPUS), score.load_rows(Path(out) / "entries.csv"))


FLOORS = json.loads((TESTS / "quality_floors.json").read_text())


def test_parse_f1_holds_its_floor(scores):
    """Entries found (rank and title as printed) stay at or above the pinned F1."""
    assert scores["parse"]["f1"] >= FLOORS["parse_f1"], scores["per_document"]


def test_titles_exact_holds_its_floor(scores):
    """Normalized titles stay at or above the pinned exact-match share."""
    assert scores["titles"]["exact"] >= FLOORS["titles_exact"]


def test_merge_f1_holds_its_floor(scores):
    """Entries of the same work across documents share a work id at or above the pinned F1."""
    assert scores["merge"]["f1"] >= FLOORS["merge_f1"]


def test_fields_recall_holds_its_floor(scores):
    """Labelled attributes of found entries reach the entry's field columns at or above the pinned recall."""
    assert scores["fields"]["recall"] >= FLOORS["fields_recall"]
