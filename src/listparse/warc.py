"""Web archives as input: each HTML `response` record of a WARC file is one document.

A record is named `FILE#OFFSET` (the file's display name and the byte offset
where the record starts), which is stable for a given file and lets any
worker read that one record again by seeking to it. Its `url` is the record's
`WARC-Target-URI` and its `date` the `WARC-Date`. Records that are not HTML
responses (requests, metadata, revisits, images) and truncated records (a
`WARC-Truncated` header, a payload shorter than its `Content-Length`, or a
gzip stream cut off mid-record) are skipped and counted, never fatal.

warcio reads and writes WARC (gzip or not); it is pure Python with one small
dependency, so it is a core dependency rather than an extra.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .dates import with_iso_date
from .errors import ReadError
from .models import Document, Located

log = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True)
class WarcRecord:
    """Where one HTML response sits in its WARC file, and what the archive says about it."""

    offset: int
    uri: str
    date: str


def is_warc(path: Path) -> bool:
    """Whether a file is a web archive, by its name (`.warc`, `.warc.gz`)."""
    return path.name.lower().endswith(WARC_SUFFIXES)


def record_name(file_name: str, offset: int) -> str:
    """The source name of a record ("crawl.warc.gz#1234")."""
    return f"{file_name}#{offset}"


def scan_warc(path: Path, skipped: Counter[str] | None = None) -> Iterator[tuple[WarcRecord, bytes]]:
    """Every HTML response of one WARC file with its payload, in file order; others counted in `skipped`."""
    skipped = skipped if skipped is not None else Counter()
    try:
        stream = path.open("rb")
    except OSError as error:
        log.warning("%s: cannot be read (%s)", path, error.strerror or error)
        skipped["unreadable"] += 1
        return
    with stream:
        yield from scan_warc_stream(stream, str(path), skipped)


def scan_warc_stream(stream: BinaryIO, name: str, skipped: Counter[str]) -> Iterator[tuple[WarcRecord, bytes]]:
    """`scan_warc` on an open, seekable stream (a file, or an archive fetched whole from object storage).

    A gzip stream broken partway ends the scan (what came before it is kept)
    and counts as one truncated record.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    consumed = 0
    try:
        records = ArchiveIterator(stream)
        for record in records:
            payload = record.content_stream().read()
            offset = records.get_record_offset()
            consumed = offset + records.get_record_length()
            reason = _skip_reason(record)
            if reason is None:
                yield WarcRecord(offset, record.rec_headers.get_header("WARC-Target-URI") or "",
                                 record.rec_headers.get_header("WARC-Date") or ""), payload
            else:
                skipped[reason] += 1
        stream.seek(consumed)
        # Bytes after the last record warcio read, past the blank lines that end a record: one cut off.
        if stream.read(64).strip(b"\r\n"):
            skipped["truncated"] += 1
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as error:
        log.warning("%s: unreadable after byte %d (%s); the records before it are kept", name, consumed, error)
        skipped["truncated"] += 1
    except Exception as error:  # a broken archive never sinks the batch
        log.warning("%s: unreadable after byte %d (%s: %s)", name, consumed, type(error).__name__, error)
        skipped["truncated"] += 1


def read_record(path: Path, offset: int, name: str) -> bytes:
    """The payload of the record at `offset`; one that cannot be read raises ReadError."""
    from warcio.archiveiterator import ArchiveIterator

    try:
        with path.open("rb") as stream:
            stream.seek(offset)
            record = next(iter(ArchiveIterator(stream)))
            return record.content_stream().read()
    except StopIteration:
        raise ReadError(name, "unreadable", f"no WARC record at byte {offset}") from None
    except Exception as error:
        raise ReadError(name, "unreadable", f"cannot read the WARC record: {error}") from None


def with_record_facts(document: Document, record: WarcRecord) -> Document:
    """The document with the archive's URI and date as its url and date."""
    update: dict = {}
    if record.uri:
        update["url"] = Located(value=record.uri, raw=record.uri, origin="WARC-Target-URI")
    if record.date:
        update["date"], warnings = with_iso_date(Located(value=record.date, raw=record.date, origin="WARC-Date"))
        if warnings:
            update["warnings"] = [*document.warnings, *warnings]
    return document.model_copy(update=update)


def report_skipped(name: str, skipped: Counter[str]) -> str:
    """One line saying which records of a file were skipped ("crawl.warc.gz: skipped 2 not-html, 1 revisit")."""
    return f"{name}: skipped " + ", ".join(f"{count} {reason}" for reason, count in sorted(skipped.items()))


def _skip_reason(record) -> str | None:
    """Why a record is not a document, or None for an HTML response read whole."""
    if record.rec_type == "revisit":
        return "revisit"
    if record.rec_type != "response":
        return "not-response"
    if record.rec_headers.get_header("WARC-Truncated") or getattr(record.raw_stream, "limit", 0) > 0:
        return "truncated"
    content_type = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
    if content_type.split(";")[0].strip().lower() not in HTML_TYPES:
        return "not-html"
    return None
