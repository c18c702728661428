"""The two seed articles in raw/: what the ingest issue promises about them."""

from __future__ import annotations

from listparse.pipeline import ingest

from .conftest import RAW

SAD = "000_72c65715ee277755.txt"  # named relative to raw/, the input it was found under


def _documents(monkeypatch):
    monkeypatch.chdir(RAW.parent)
    return {document.source: document for document in ingest([RAW.relative_to(RAW.parent)]).parsed_documents}


def test_raw_has_thirty_entries_in_two_orders(monkeypatch):
    """Ranks 10…1 in one seed and 1…20 in the other."""
    documents = _documents(monkeypatch)
    ranks = sorted(([e.rank for e in d.entries], d.order) for d in documents.values())
    assert ranks == [(list(range(1, 21)), "ascending"), (list(range(10, 0, -1)), "descending")]


def test_sad_anime_document_facts(monkeypatch):
    """Headline, author and URL of the first seed are found."""
    document = _documents(monkeypatch)[SAD]
    assert document.headline.value == "10 Sad Anime Series Guaranteed To Make You Cry"
    assert document.author.value == "Ella"
    assert document.url.value == "https://instagram.hk.cn/anime/10-sad-anime-series-guaranteed-to-make-you-cry/"


def test_sad_anime_metadata_is_typed(monkeypatch):
    """Year, episodes (with extras), streaming list and source credit of every entry."""
    document = _documents(monkeypatch)[SAD]
    fields = {entry.rank: {f.name: f for f in entry.fields} for entry in document.entries}
    assert len(fields) == 10
    for rank, entry_fields in fields.items():
        assert {"year", "episodes", "streaming", "source_material", "creators"} <= set(entry_fields), rank
        assert isinstance(entry_fields["year"].value, int)
        assert isinstance(entry_fields["episodes"].value, int)
    angel_beats = fields[9]
    assert (angel_beats["episodes"].value, angel_beats["episodes"].extra) == (13, "2 OVAs")
    assert angel_beats["streaming"].value == ["Crunchyroll", "Funimation"]
    assert (angel_beats["source_material"].value, angel_beats["creators"].value) == ("original", ["P.A. Works"])
    violet = fields[10]
    assert (violet["source_material"].value, violet["creators"].value) == (
        "light novel", ["Kana Akatsuki", "Akiko Takase"])
    tokyo = fields[4]
    assert tokyo["streaming"].value == []
    assert tokyo["streaming"].note == "not available on streaming"


def test_spans_point_at_the_printed_title(monkeypatch):
    """Every entry's span, read back from the document, holds its title as printed."""
    for document in _documents(monkeypatch).values():
        lines = (RAW / document.source).read_text(encoding="utf-8").split("\n")
        content = "\n".join(lines)
        for entry in document.entries:
            assert content[entry.span.start:entry.span.end] == entry.title_raw
            assert entry.title_raw in lines[entry.span.line - 1]
