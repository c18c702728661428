"""Data that used to vanish without a word: every entry read is kept, and kept whole."""

from __future__ import annotations

import csv

import pytest

from listparse.pipeline import ingest


def _entries(tmp_path, name: str, text: str | bytes) -> list[dict]:
    source = tmp_path / "in" / name
    source.parent.mkdir(exist_ok=True)
    if isinstance(text, bytes):
        source.write_bytes(text)
    else:
        source.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    ingest([source], out=out, formats=("csv",))
    with open(out / "entries.csv", encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_titles_without_letters_get_work_ids_and_works(tmp_path):
    """`÷`, `×` and an emoji are titles too: each gets its own work, named after its symbols."""
    rows = _entries(tmp_path, "symbols.txt", "Best symbols\n\n1. ÷\n\n2. ×\n\n3. 🎉\n\n4. Real Title\n")
    assert [(row["title"], row["work_id"]) for row in rows] == [
        ("÷", "division-sign"), ("×", "multiplication-sign"), ("🎉", "party-popper"), ("Real Title", "real-title")]
    with open(tmp_path / "out" / "works.csv", encoding="utf-8", newline="") as stream:
        assert len(list(csv.DictReader(stream))) == 4


def test_ranks_of_ten_thousand_and_more_are_kept(tmp_path):
    """A list that counts past 9,999 keeps every entry."""
    text = "Huge list\n\n" + "".join(f"{rank}. Item {rank}\n\n" for rank in range(9_998, 10_004))
    rows = _entries(tmp_path, "big.txt", text)
    assert [int(row["rank"]) for row in rows] == list(range(9_998, 10_004))


def test_a_byte_order_mark_in_the_middle_does_not_fold_entries(tmp_path):
    """Two files concatenated leave a BOM before "2.": the entry is still its own."""
    rows = _entries(tmp_path, "bom.txt", b"Top three\n\n1. One\n\xef\xbb\xbf2. Two\n3. Three\n")
    assert [row["title"] for row in rows] == ["One", "Two", "Three"]


HIDDEN = {
    "comment": "<!--\n1. Hidden A\n2. Hidden B\n3. Hidden C\n4. Hidden D\n-->\n",
    "inline comment": "<!-- 1. Hidden A --> <!-- 2. Hidden B --> \n<!-- 3. Hidden C -->\n<!-- 4. Hidden D -->\n",
    "unclosed comment at the end": None,
    "script": "<script>\n1. s1\n2. s2\n3. s3\n4. s4\n</script>\n",
    "style": "<style>\n1. a {}\n2. b {}\n3. c {}\n4. d {}\n</style>\n",
    "backtick fence": "```\n1. code a\n2. code b\n3. code c\n4. code d\n```\n",
    "tilde fence": "~~~python\n1. code a\n2. code b\n3. code c\n4. code d\n~~~\n",
}


CASES = [*((name, ".md") for name in HIDDEN), *((name, ".txt") for name in HIDDEN if "fence" in name)]


@pytest.mark.parametrize(("hidden", "suffix"), CASES)
def test_a_list_hidden_from_the_reader_never_replaces_the_visible_one(tmp_path, hidden, suffix):
    """Markdown comments, scripts, styles and code fences (in text too) hold no entries; the visible list is
    the list."""
    visible = "1. Visible One\n2. Visible Two\n3. Visible Three\n"
    if HIDDEN[hidden] is None:
        text = "# Top 3\n\n" + visible + "\n<!-- 1. Draft A\n2. Draft B\n3. Draft C\n4. Draft D\n5. Draft E\n"
    else:
        text = "# Top 3\n\n" + HIDDEN[hidden] + "\n" + visible
    rows = _entries(tmp_path, "hidden" + suffix, text)
    assert [row["title"] for row in rows] == ["Visible One", "Visible Two", "Visible Three"]


def test_markup_in_plain_text_is_text(tmp_path):
    """A plain text file shows `<script>` as it is: a title that reads so is kept, not blanked."""
    rows = _entries(tmp_path, "titles.txt", "Top\n\n1. <script>alert(1)</script>\n\n2. <!-- a comment -->\n\n"
                    "3. Plain\n")
    assert [row["rank"] for row in rows] == ["1", "2", "3"]
    assert "alert(1)" in rows[0]["title_raw"] and "a comment" in rows[1]["title_raw"]


def test_code_stays_in_the_description(tmp_path):
    """A fenced block inside an entry is part of its description, numbered lines and all."""
    from listparse.pipeline import Source, parse_source

    source = tmp_path / "tips.md"
    source.write_text("# 2 tips\n\n## 1. Stash\n\n```\n1. git stash\n2. git stash pop\n```\n\n"
                      "## 2. Bisect\n\nFind it.\n")
    document = parse_source(Source(source, "tips.md"))
    assert [entry.title for entry in document.entries] == ["Stash", "Bisect"]
    assert "1. git stash" in document.entries[0].text


def test_labels_printed_in_two_cases_share_one_column(tmp_path):
    """'Honorable Mention' in one file and 'HONORABLE MENTION' in another are one entries.csv column."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Top\n\n1. Akira\nHonorable Mention: Paprika\n\n2. Ran\n")
    (folder / "b.txt").write_text("Top\n\n1. Heat\nHONORABLE MENTION: Ronin\n\n2. Thief\n")
    ingest(folder, out=tmp_path / "out", formats=("csv",))
    with open(tmp_path / "out" / "entries.csv", encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [column for column in rows[0] if "mention" in column.casefold()] == ["honorable_mention"]
    assert [row["honorable_mention"] for row in rows if row["rank"] == "1"] == ["Paprika", "Ronin"]
