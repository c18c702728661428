"""`listparse view`: the static site of works and provenance — pages, links, escaping, determinism."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from listparse import json_stream
from listparse import view as view_module
from listparse.cli import main
from listparse.models import Document, Entry, Span
from listparse.pipeline import ingest
from listparse.read import Line
from listparse.view import document_page, json_array_items, read_documents, read_works, work_page, write_view
from listparse.view_text import Mark, linked_lines, marked_lines

SCRIPT_TITLE = "<script>alert(1)</script>"
IMG_TITLE = '"><img src=x onerror=alert(2)>'
CLOSING_TITLE = "</script><script>alert(3)</script>"

# Titles arrive as HTML entities and are decoded by the normalizer: hostile titles, as a scraped page gives them.
HOSTILE_TEXT = """The 3 best films of all time

1. &lt;script&gt;alert(1)&lt;/script&gt;
Year Released 1999

A film whose title is a script tag.

2. &quot;&gt;&lt;img src=x onerror=alert(2)&gt;
Year Released 2001

Another one.

3. &lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;
Year Released 2003
Mood: bleak

The third.

9. A stray numbered line
"""

OTHER_TEXT = """# Top 3 films of 2000

1. &lt;script&gt;alert(1)&lt;/script&gt; (2000)

A remake, a year later.

2. Plain & Simple (2004)

Again.

3. Third Film

Last.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """An output directory of two documents with hostile titles, and its view (sources relative to it)."""
    root = tmp_path_factory.mktemp("view")
    (root / "docs").mkdir()
    (root / "docs" / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (root / "docs" / "other.md").write_text(OTHER_TEXT, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        ingest(["docs"], out="out")
    write_view(root / "out", sources=root)
    return root / "out" / "view"


class _Page(HTMLParser):
    """The links, ids, marks (with their text) and script contents of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.mark_text: dict[str, str] = {}
        self.scripts: list[tuple[dict, str]] = []
        self._open_marks: list[str | None] = []
        self._script: dict | None = None
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and "href" in attributes:
            self.links.append(attributes["href"])
        if tag in ("link", "script") and ("href" in attributes or "src" in attributes):
            self.links.append(attributes.get("href") or attributes["src"])
        if tag == "mark":
            self._open_marks.append(attributes.get("id"))
            if attributes.get("id"):
                self.mark_text[attributes["id"]] = ""
        if tag == "script":
            self._script = attributes
            self.scripts.append((attributes, ""))

    def handle_endtag(self, tag):
        if tag == "mark":
            self._open_marks.pop()
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        for anchor in self._open_marks:
            if anchor:
                self.mark_text[anchor] += data
        if self._script is not None:
            attributes, text = self.scripts[-1]
            self.scripts[-1] = (attributes, text + data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_view_writes_index_and_one_page_per_work_and_document(site):
    """index.html, documents.html, a page for each work of works.json and each document of documents.json."""
    out = site.parent
    works = list(read_works(out))
    documents = list(read_documents(out))
    assert (site / "index.html").is_file() and (site / "documents.html").is_file()
    assert (site / "view.css").is_file() and (site / "view.js").is_file()
    assert sorted(p.relative_to(site).as_posix() for p in (site / "works").iterdir()) == \
        sorted(work_page(work.id) for work in works)
    assert sorted(p.relative_to(site).as_posix() for p in (site / "documents").iterdir()) == \
        sorted(document_page(document.source) for document in documents)
    assert len(works) >= 4 and len(documents) == 2


def test_view_every_link_reaches_a_page_and_its_anchor(site):
    """Every href and src of every page names a file of the site and, with a fragment, an id on it."""
    broken, checked = _broken_links(site)
    assert broken == [] and checked > 50


def _broken_links(site: Path) -> tuple[list[str], int]:
    pages = {path: _parse(path) for path in _pages(site)}
    broken, checked = [], 0
    for path, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            target = (path.parent / parts.path).resolve() if parts.path else path
            if parts.scheme or parts.netloc or not target.is_file() or (
                    parts.fragment and target.suffix == ".html" and parts.fragment not in pages[target].ids):
                broken.append(f"{path.name}: {link}")
            checked += 1
    return broken, checked


def test_view_evidence_links_to_its_span_marked_on_the_document_page(site):
    """A work's evidence links to the document page's mark of its span, which holds the text the span covers."""
    work = next(work for work in read_works(site.parent) if work.title.value == "Plain & Simple")
    page = _parse(site / work_page(work.id))
    evidence_links = [link for link in page.links if "#s" in link]
    assert evidence_links
    for evidence in work.title.evidence:
        link = f"../{document_page(evidence.source)}#s{evidence.span.start}-{evidence.span.end}"
        assert link in evidence_links
        marked = _parse(site / document_page(evidence.source)).mark_text[f"s{evidence.span.start}-{evidence.span.end}"]
        assert marked == evidence.raw == "Plain & Simple"


@pytest.mark.parametrize("title", [SCRIPT_TITLE, IMG_TITLE, CLOSING_TITLE], ids=["script", "img", "closing-script"])
def test_view_shows_hostile_titles_as_text(site, title):
    """A title that is markup reaches every page as text: escaped in HTML, never a tag of the page."""
    work = next(work for work in read_works(site.parent) if work.title.value == title)
    for path in (site / "index.html", site / work_page(work.id), site / document_page("hostile.txt")):
        html = path.read_text(encoding="utf-8")
        assert title not in html, path.name
        page = _parse(path)
        assert "img" not in page.tags, path.name
        assert [attributes for attributes, _ in page.scripts if not attributes.get("src")] in (
            [], [{"type": "application/json", "id": "works-data"}]), path.name
    heading = re.search(r'<h1 id="work-title">(.*?)</h1>', (site / work_page(work.id)).read_text()).group(1)
    assert _unescape(heading) == title


def test_view_embedded_index_is_json_that_cannot_close_its_script(site):
    """The works index inside index.html holds no '</' or '<', and decodes to the exact titles."""
    page = _parse(site / "index.html")
    (_, embedded), = [(attributes, text) for attributes, text in page.scripts if attributes.get("id") == "works-data"]
    assert "<" not in embedded and "</" not in embedded
    titles = {row["t"] for row in json.loads(embedded)}
    assert {SCRIPT_TITLE, IMG_TITLE, CLOSING_TITLE} <= titles
    assert all(row["p"].startswith("works/") for row in json.loads(embedded))


def test_view_document_page_marks_the_list_and_the_line_left_out(site):
    """The document page shades the chosen list, shows the numbered line left out with its reason, and notes the
    line of an unknown label without calling it left out."""
    html = (site / document_page("hostile.txt")).read_text(encoding="utf-8")
    assert re.search(r'<div class="line in-list head" id="L3">.*?#1', html)
    left_out = re.search(r'<div class="line left-out" id="L19">(.*?)</div>', html).group(1)
    assert "9. A stray numbered line" in left_out and "does not continue the list" in _unescape(left_out)
    assert 'id="confidence">1.00' in html
    assert re.search(r'<div class="line in-list" id="L14">', html), "the last entry's fields are in the list"
    unknown_label = re.search(r'<div class="line in-list noted" id="L15">(.*?)</div>', html).group(1)
    assert "Mood: bleak" in unknown_label and "not in the label table" in _unescape(unknown_label)


def test_view_shows_conflicts_with_their_evidence(site):
    """A field whose documents disagree lists the losing value with the evidence for it."""
    work = next(work for work in read_works(site.parent) if work.title.value == SCRIPT_TITLE)
    assert work.fields["year"].conflicts, "the fixture's two documents should disagree on the year"
    html = (site / work_page(work.id)).read_text(encoding="utf-8")
    conflicts = html[html.index("Conflicts: values that lost"):]
    loser = work.fields["year"].conflicts[0]
    assert f'<span class="value">{loser.value}</span>' in conflicts
    assert document_page(loser.evidence[0].source) in conflicts


def test_view_output_is_deterministic(site, tmp_path):
    """Writing the view twice from the same outputs gives the same files, byte for byte."""
    first = {path.relative_to(site): path.read_bytes() for path in site.rglob("*") if path.is_file()}
    write_view(site.parent, sources=site.parent.parent)
    second = {path.relative_to(site): path.read_bytes() for path in site.rglob("*") if path.is_file()}
    assert first == second
    assert not [path for path in site.parent.iterdir() if path.name.startswith(".view")]


def test_view_says_when_a_source_file_is_missing_or_changed(site, tmp_path):
    """Without the source file, the page says so; with a changed one, it says so and marks nothing."""
    out = site.parent
    write_view(out, sources=tmp_path)
    missing = (out / "view" / document_page("hostile.txt")).read_text(encoding="utf-8")
    assert "cannot be read" in missing and "its text is not shown" in missing
    assert _broken_links(out / "view")[0] == []
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "hostile.txt").write_text(HOSTILE_TEXT.replace("Another", "Yet another"))
    write_view(out, sources=tmp_path)
    changed = (out / "view" / document_page("hostile.txt")).read_text(encoding="utf-8")
    assert "has changed since it was ingested" in changed and "<mark" not in changed
    write_view(out, sources=out.parent)


def test_marked_lines_nest_spans_and_cut_crossing_ones():
    """Spans inside spans nest; a span crossing another is cut; every anchor appears once; text is escaped."""
    lines = [Line(1, 0, "<b>one two</b>"), Line(2, 15, "three")]
    marks = [Mark(0, 14, ("line",)), Mark(3, 6, ("inner",)), Mark(10, 20, ("crossing",))]
    first, second = (str(html) for html in marked_lines(lines, marks))
    assert first == ('<mark id="s0-14" title="line">&lt;b&gt;<mark id="s3-6" title="inner">one</mark> two'
                     '<mark id="s10-20" title="crossing">&lt;/b&gt;</mark></mark>')
    assert second == '<mark title="crossing">three</mark>'


def test_linked_lines_links_only_line_references_to_lines_shown():
    """'line 97:' becomes a link to #L97; a count ('line 1 line(s) before') and lines not shown stay text."""
    assert str(linked_lines("line 97: numbered line '9. X' does not continue", {97})) == \
        '<a href="#L97">line 97</a>: numbered line &#39;9. X&#39; does not continue'
    assert "<a" not in linked_lines("slot 'artist': a short line 1 line(s) before the title", {1})
    assert "<a" not in linked_lines("line 3: left out", {4})


def test_json_array_items_streams_the_same_items_as_json_load(site, monkeypatch):
    """works.json read in tiny chunks, item by item, gives exactly what json.load gives."""
    monkeypatch.setattr(json_stream, "READ_CHUNK", 7)
    path = site.parent / "works.json"
    assert list(json_array_items(path, "works")) == json.loads(path.read_text())["works"]
    assert list(json_array_items(path, "documents")) == json.loads(path.read_text())["documents"]


def test_view_reads_works_jsonl_when_present(tmp_path):
    """An output directory written with --format jsonl is read from works.jsonl."""
    document = Document(source="a.txt", entries=[Entry(rank=1, rank_text="1.", title_raw="A", title="A",
                                                       span=Span(line=1, start=3, end=4), work_id="a")])
    (tmp_path / "documents.json").write_text(json.dumps({"schema_version": 1,
                                                         "documents": [document.model_dump(mode="json")]}))
    work = ('{"type":"work","id":"a","title":{"value":"A","chosen_by":"agreement","evidence":[]},'
            '"appearances":[{"source":"a.txt","rank":1,"title_raw":"A","span":{"line":1,"start":3,"end":4}}]}\n')
    (tmp_path / "works.jsonl").write_text(work)
    write_view(tmp_path, sources=tmp_path)
    assert (tmp_path / "view" / "works" / "a.html").is_file()
    assert "read from" not in (tmp_path / "view" / document_page("a.txt")).read_text()


def test_cli_view_writes_the_site_and_reports_missing_outputs(site, tmp_path):
    """`listparse view --out DIR` writes DIR/view (exit 0); without works.json it is a usage error (exit 2)."""
    runner = CliRunner()
    result = runner.invoke(main, ["view", "--out", str(site.parent), "--sources", str(site.parent.parent)])
    assert result.exit_code == 0, result.output
    assert f"wrote {site / 'index.html'}" in result.output
    result = runner.invoke(main, ["view", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert f"{tmp_path / 'works.json'} does not exist: run `listparse ingest PATHS --out {tmp_path}` first" \
        in result.output


def _unescape(html: str) -> str:
    import html as html_module

    return html_module.unescape(re.sub(r"<[^>]+>", "", html))


def test_view_doctests():
    """The examples in the view modules' docstrings hold."""
    import doctest

    from listparse import view_text

    for module in (view_module, view_text):
        assert doctest.testmod(module).failed == 0


def test_cli_view_serve_serves_the_site_on_localhost(site):
    """`listparse view --serve --port 0` says where it listens, and answers there with index.html."""
    import subprocess
    import sys
    import urllib.request

    command = [sys.executable, "-m", "listparse", "view", "--out", str(site.parent), "--sources",
               str(site.parent.parent), "--serve", "--port", "0"]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stderr is not None
        server.stderr.readline()  # "wrote …/index.html"
        announced = server.stderr.readline()
        url = re.search(r"serving (http://127\.0\.0\.1:\d+/index\.html)", announced).group(1)
        with urllib.request.urlopen(url, timeout=20) as response:
            assert response.status == 200
            assert b'id="works-data"' in response.read()
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_view_finds_the_sources_by_run_json_from_where_ingest_ran(tmp_path, monkeypatch):
    """Without --sources, a relative input is found from the working directory (where ingest ran), an
    absolute one from anywhere."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "other.md").write_text(OTHER_TEXT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    ingest(["docs"], out="relative")
    ingest([str(tmp_path / "docs")], out="absolute")
    write_view(tmp_path / "relative")
    page = (tmp_path / "relative" / "view" / document_page("other.md")).read_text(encoding="utf-8")
    assert "cannot be read" not in page and "<mark" in page
    monkeypatch.chdir(tmp_path / "docs")
    write_view(tmp_path / "absolute")
    page = (tmp_path / "absolute" / "view" / document_page("other.md")).read_text(encoding="utf-8")
    assert "cannot be read" not in page and "<mark" in page
