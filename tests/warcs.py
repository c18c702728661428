"""Web archives the tests write themselves, with warcio."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

DATE = "2024-05-01T12:00:00Z"


def page_uri(path: Path) -> str:
    return f"https://example.com/{path.stem}"


def write_warc(target: Path, pages: list[Path], gzip: bool = True, others: bool = True) -> Path:
    """A WARC of `pages` as HTML responses, each after its request; with `others`, also a PNG response,
    a revisit and a metadata record, which are not documents."""
    with target.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzip)
        for page in pages:
            writer.write_record(writer.create_warc_record(page_uri(page), "request", payload=io.BytesIO(
                b"GET / HTTP/1.1\r\n\r\n"), warc_headers_dict={"WARC-Date": DATE}))
            writer.write_record(_response(writer, page_uri(page), page.read_bytes(), "text/html; charset=utf-8"))
        if others:
            writer.write_record(_response(writer, "https://example.com/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64),
                                          "image/png"))
            writer.write_record(writer.create_revisit_record(
                page_uri(pages[0]), digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                refers_to_uri=page_uri(pages[0]), refers_to_date=DATE,
                http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")))
            writer.write_record(writer.create_warc_record("https://example.com/", "metadata",
                                                          payload=io.BytesIO(b"note: test crawl\n"),
                                                          warc_content_type="text/plain"))
    return target


def _response(writer: WARCWriter, uri: str, body: bytes, content_type: str):
    http = StatusAndHeaders("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body)))],
                            protocol="HTTP/1.1")
    return writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http,
                                     warc_headers_dict={"WARC-Date": DATE})
