"""`listparse view`: a static HTML site of the works and where every value came from, beside the outputs.

    for document in read_documents(out):    # documents.json(l), one at a time
        write its page                      # its text as parsed, every span marked, the list, the reasons
        keep an excerpt around each span    # what the works' evidence shows
    for work in read_works(out):            # works.json(l), one at a time
        write its page                      # every field, its evidence beside the excerpt, its conflicts
    write index.html, documents.html        # a searchable list of works (JSON index), every document

Pages are rendered with Jinja2, autoescaped: titles and document text are
hostile input. The site needs no server and nothing from the network. The
output depends only on the output directory and the source files: the same
input gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from .errors import ListparseError
from .inputs import source_path
from .json_stream import JsonStream, array_items
from .models import Document, Evidence, Span, Work
from .run_record import RUN_RECORD
from .view_text import (
    Excerpt,
    Mark,
    SourceText,
    document_marks,
    excerpts,
    line_notes,
    linked_lines,
    marked_lines,
    read_source_text,
    span_anchor,
)

VIEW_DIR = "view"
STATIC_FILES = ("view.css", "view.js")
LISTED_WORKS = 200  # rows of the works list (the search shows as many of its matches)
SAFE_PAGE_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,99}\Z")
LIST_RANGE_RE = re.compile(r"^list: lines (\d+)-(\d+)")  # the decision that names the chosen list's lines


@dataclass(slots=True)
class Site:
    """What the pages link to, gathered while the documents' pages are written."""

    sources: Path  # the directory the ingest ran in: run.json's relative inputs are relative to it
    roots: list[dict[str, str]] = field(default_factory=list)  # run.json's inputs (none: an older output)
    excerpts: dict[tuple[str, int, int], Excerpt] = field(default_factory=dict)  # (source, start, end)
    documents: list[dict[str, Any]] = field(default_factory=list)  # one summary row per document
    works: list[dict[str, Any]] = field(default_factory=list)  # the search index

    def evidence_href(self, evidence: Evidence) -> str | None:
        """The evidence's place on its document's page (None for a catalogue's value)."""
        return None if evidence.span is None else self.span_href(evidence.source, evidence.span)

    def span_href(self, source: str, span: Span) -> str:
        """A span's mark on its document's page; the page alone when the text could not be marked."""
        page = f"../{document_page(source)}"
        known = (source, span.start, span.end) in self.excerpts
        return f"{page}#{span_anchor(span.start, span.end)}" if known else page

    def excerpt(self, evidence: Evidence) -> Excerpt | None:
        span = evidence.span
        return None if span is None else self.excerpts.get((evidence.source, span.start, span.end))


def write_view(out: Path, sources: Path | None = None) -> Path:
    """Write the site into `out`/view from the outputs in `out`. The documents' files are found by the inputs
    recorded in `out`/run.json, relative ones taken from `sources` (default: the working directory; for an
    output without run.json, the directory the names are relative to). Returns the site's directory; the
    previous one is replaced whole."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(loader=PackageLoader("listparse", "templates"), autoescape=True,
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)
    environment.filters |= {"linked_lines": linked_lines, "show": show_value}
    site = Site(sources or Path("."), read_roots(out))
    environment.globals |= {"document_page": document_page, "work_page": work_page, "span_anchor": span_anchor,
                            "site": site}
    works = read_works(out)  # fails early, before anything is written, when the outputs are missing
    documents = read_documents(out)
    staging = Path(tempfile.mkdtemp(prefix=".view.", dir=out))
    try:
        (staging / "works").mkdir()
        (staging / "documents").mkdir()
        for document in documents:
            _write(staging / document_page(document.source), _document_page(environment, site, document))
        for work in works:
            _write(staging / work_page(work.id), environment.get_template("work.html").render(work=work, up="../"))
            site.works.append(_index_row(work))
        site.works.sort(key=lambda row: (-row["a"], row["t"].casefold(), row["p"]))
        index = environment.get_template("index.html").render(works=site.works, shown=LISTED_WORKS, up="")
        _write(staging / "index.html", index)
        _write(staging / "documents.html",
               environment.get_template("documents.html").render(documents=site.documents, up=""))
        for name in STATIC_FILES:
            _write(staging / name, files("listparse").joinpath("templates", name).read_text(encoding="utf-8"))
        return _swap_into_place(staging, out / VIEW_DIR)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def read_roots(out: Path) -> list[dict[str, str]]:
    """The inputs of the run that wrote `out` (run.json), or none when it has no run record."""
    try:
        record = json.loads((out / RUN_RECORD).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as error:
        raise ListparseError(f"{out / RUN_RECORD} cannot be read ({error}): write it again with "
                             f"`listparse ingest PATHS --out {out}`") from None
    return list(record.get("inputs", []))


def serve(directory: Path, port: int, started: Callable[[str], None]) -> None:
    """Serve `directory` on localhost until interrupted (a convenience: the site needs no server);
    `started(url)` is told where, once listening."""
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    handler = partial(SimpleHTTPRequestHandler, directory=str(directory))
    with ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        started(f"http://127.0.0.1:{server.server_address[1]}/index.html")
        server.serve_forever()


def show_value(value: Any) -> str:
    """A field's value as text: lists joined, nothing as a dash.

    >>> show_value(["Crunchyroll", "Funimation"]), show_value([]), show_value(None), show_value(2018)
    ('Crunchyroll; Funimation', '(none)', '—', '2018')
    """
    if isinstance(value, list):
        return "; ".join(str(item) for item in value) if value else "(none)"
    return "—" if value is None else str(value)


def work_page(work_id: str) -> str:
    """A work's page, relative to the site: its id when that is a safe file name.

    >>> work_page("your-lie-in-april")
    'works/your-lie-in-april.html'
    """
    if SAFE_PAGE_RE.match(work_id):
        return f"works/{work_id}.html"
    return f"works/{_page_name(work_id)}.html"


def document_page(source: str) -> str:
    """A document's page, relative to the site: its path as a slug, and a hash that keeps names apart.

    >>> document_page("raw/000_72c65715ee277755.txt")
    'documents/raw-000-72c65715ee277755-txt-ce6c28f4.html'
    """
    return f"documents/{_page_name(source)}.html"


def _page_name(key: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")[:80].strip("-")
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}" if slug else digest


def _document_page(environment, site: Site, document: Document) -> str:
    """Render one document's page and keep the excerpts its spans give the works' evidence."""
    text = read_source_text(document, source_path(document.source, site.roots, site.sources))
    marks = document_marks(document) if text.trusted else []
    for (start, end), excerpt in excerpts(text.lines, marks).items():
        site.excerpts[(document.source, start, end)] = excerpt
    site.documents.append({"page": document_page(document.source), "source": document.source,
                           "status": document.status, "confidence": document.confidence,
                           "entries": len(document.entries),
                           "headline": document.headline.value if document.headline else None})
    return environment.get_template("document.html").render(
        document=document, lines=_line_rows(document, text, marks), text=text,
        shown_lines={line.number for line in text.lines}, up="../")


def _line_rows(document: Document, text: SourceText, marks: list[Mark]) -> list[dict[str, Any]]:
    """The lines of the page: number (anchored once), text with its marks, whether it is in the chosen
    list, the rank of the entry it heads, and the warnings that name it."""
    shown = marked_lines(text.lines, marks)
    first, last = _list_range(document)
    heads: dict[int, str] = {}
    for entry in document.entries:
        heads.setdefault(entry.span.line, f"#{entry.rank}")
    notes = line_notes(document)
    rows = []
    seen: set[int] = set()
    for line, html in zip(text.lines, shown, strict=True):
        number = line.number
        rows.append({"number": number, "anchor": number not in seen, "html": html,
                     "in_list": first <= number <= last, "head": heads.get(number) if number not in seen else None,
                     "notes": notes.get(number, []) if number not in seen else []})
        seen.add(number)
    return rows


def _list_range(document: Document) -> tuple[int, int]:
    """The chosen list's first and last line: from the first line its decision names (else its first entry)
    to the last line any of its entries' values were read from."""
    lines = [span.line for entry in document.entries
             for span in (entry.span, *(meta.span for meta in entry.fields),
                          *(name.span for name in entry.names if name.span is not None))]
    if not lines:
        return 0, -1
    for decision in document.decisions:
        found = LIST_RANGE_RE.match(decision)
        if found:
            return int(found.group(1)), max(int(found.group(2)), *lines)
    return min(lines), max(lines)


def _index_row(work: Work) -> dict[str, Any]:
    """One work in the search index: page, title, appearances, conflicts, and the text searched (an id
    it had before finds it too)."""
    aliases = [str(alias.value) for alias in work.aliases]
    conflicts = sum(len(each.conflicts) for each in [work.title, *work.fields.values()])
    return {"p": work_page(work.id), "t": str(work.title.value), "a": len(work.appearances), "c": conflicts,
            "s": " ".join([str(work.title.value), work.id, *work.previous_ids, *aliases])}


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


def _swap_into_place(staging: Path, final: Path) -> Path:
    """Replace the previous site with the new one; a reader never sees half a site."""
    os.chmod(staging, 0o755)
    if final.exists():
        retired = Path(tempfile.mkdtemp(prefix=".view.old.", dir=final.parent))
        os.replace(final, retired / VIEW_DIR)
        os.replace(staging, final)
        shutil.rmtree(retired)
    else:
        os.replace(staging, final)
    return final


def read_works(out: Path) -> Iterator[Work]:
    """The works of an output directory, one at a time: from works.jsonl when there, else works.json."""
    return (Work.model_validate(record) for record in _records(out, "works"))


def read_documents(out: Path) -> Iterator[Document]:
    """The parsed documents of an output directory, one at a time (documents.jsonl, else documents.json)."""
    return (Document.model_validate(record) for record in _records(out, "documents"))


def _records(out: Path, name: str) -> Iterator[dict[str, Any]]:
    lines, whole = out / f"{name}.jsonl", out / f"{name}.json"
    if lines.is_file():
        return _jsonl_records(lines)
    if whole.is_file():
        return json_array_items(whole, name)
    raise ListparseError(f"{whole} does not exist: run `listparse ingest PATHS --out {out}` first")


def _jsonl_records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                record = json.loads(line)
                record.pop("type", None)  # works.jsonl tags each record with its kind
                yield record


def json_array_items(path: Path, key: str) -> Iterator[Any]:
    """The items of the array under `key` in the JSON object in `path`, decoded one at a time.

    works.json reaches hundreds of megabytes: it is never held or decoded whole.
    """
    with path.open(encoding="utf-8") as stream:
        yield from array_items(JsonStream(stream.read, str(path)), key)
