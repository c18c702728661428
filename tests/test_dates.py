"""Document dates as printed → ISO 8601, the raw text kept, and no guess where the numbers allow two."""

from __future__ import annotations

import csv

import pytest

from listparse import ingest, parse_text
from listparse.dates import is_iso, iso_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        pytest.param("June 25, 2024", "2024-06-25", id="month-day-year"),
        pytest.param("Jun 25, 2024", "2024-06-25", id="short-month"),
        pytest.param("Sept. 18th, 2023", "2023-09-18", id="sept-ordinal"),
        pytest.param("Tuesday, June 25, 2024", "2024-06-25", id="weekday"),
        pytest.param("25 June 2024", "2024-06-25", id="day-month-year"),
        pytest.param("25 Jun, 2024", "2024-06-25", id="day-short-month"),
        pytest.param("June 2024", "2024-06", id="month-year"),
        pytest.param("June 25, 2024 4:37 pm", "2024-06-25T16:37", id="month-name-time-pm"),
        pytest.param("June 25, 2024 at 10:00 UTC", "2024-06-25T10:00+00:00", id="month-name-time-utc"),
        pytest.param("2024-06-25", "2024-06-25", id="iso-date"),
        pytest.param("2024-06", "2024-06", id="iso-month"),
        pytest.param("2010-12-28 16:37:00", "2010-12-28T16:37:00", id="iso-space-no-zone"),
        pytest.param("2024-06-25T10:00", "2024-06-25T10:00", id="iso-minutes"),
        pytest.param("2024-05-01T10:00:00+02:00", "2024-05-01T10:00:00+02:00", id="iso-offset"),
        pytest.param("2017-06-07T17:30:00Z", "2017-06-07T17:30:00+00:00", id="iso-z"),
        pytest.param("2023-12-19T14:03:55.402Z", "2023-12-19T14:03:55.402+00:00", id="iso-fraction"),
        pytest.param("2024-01-19 09:00:00 +0000", "2024-01-19T09:00:00+00:00", id="iso-space-offset"),
        pytest.param("Tue, 25 Jun 2024 10:00:00 GMT", "2024-06-25T10:00:00+00:00", id="rfc-2822-gmt"),
        pytest.param("Fri, 14 Nov 2003 17:42:09 -0500", "2003-11-14T17:42:09-05:00", id="rfc-2822-offset"),
        pytest.param("Fri, 14 Nov 2003 17:42:09 -0000", "2003-11-14T17:42:09", id="rfc-2822-zone-unknown"),
        pytest.param("2024/06/25", "2024-06-25", id="year-first-slashes"),
        pytest.param("06/25/2024", "2024-06-25", id="month-first-day-over-12"),
        pytest.param("25/06/2024", "2024-06-25", id="day-first-day-over-12"),
        pytest.param("25.06.2024", "2024-06-25", id="day-first-dots"),
        pytest.param("05/05/2024", "2024-05-05", id="same-day-and-month"),
    ],
)
def test_date_shapes(text, iso):
    """Each way pages print a date gives its ISO 8601 form, time and zone only as printed."""
    assert iso_date(text) == (iso, None)
    assert is_iso(iso)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        pytest.param("06/05/2024", "day and month could be either way round (6 May or 5 June)", id="ambiguous"),
        pytest.param("03/04/2024", "day and month could be either way round (3 April or 4 March)",
                     id="ambiguous-2"),
        pytest.param("06/25/24", "a two-digit year could be of any century", id="two-digit-year"),
        pytest.param("13/13/2024", "neither number can be the month", id="no-month"),
        pytest.param("2024-02-30", "not a real date (day is out of range for month)", id="not-real"),
        pytest.param("00/05/2024", "not a real date (a day or month of 0)", id="zero"),
        pytest.param("2024-13", "not a date listparse reads", id="iso-month-13"),
        pytest.param("Spring 2024", "not a date listparse reads", id="season"),
        pytest.param("3 days ago", "not a date listparse reads", id="relative"),
    ],
)
def test_dates_not_read_say_why(text, why):
    """A date the numbers leave open, or not a date at all, gets no ISO value and the reason."""
    assert iso_date(text) == (None, why)


def test_a_document_date_is_iso_with_the_raw_text_kept():
    """`Published: June 25, 2024` → value 2024-06-25, raw as printed, where it was printed."""
    document = parse_text("Best pies\n\nPublished: June 25, 2024\n\n1. Apple\n\n2. Cherry\n", source="pies.txt")
    assert (document.date.value, document.date.raw, document.date.span.line) == ("2024-06-25", "June 25, 2024", 3)
    assert not any("date" in warning for warning in document.warnings)


def test_an_ambiguous_date_is_kept_as_printed_with_a_warning():
    """`Date: 06/05/2024` is never silently made 6 May or 5 June: kept as printed, and a warning says why."""
    document = parse_text("Best pies\n\nDate: 06/05/2024\n\n1. Apple\n\n2. Cherry\n", source="pies.txt")
    assert (document.date.value, document.date.raw) == ("06/05/2024", "06/05/2024")
    assert ("line 3: date '06/05/2024' kept as printed: day and month could be either way round "
            "(6 May or 5 June)") in document.warnings


def test_documents_csv_has_iso_dates_and_the_raw_text_beside_them(tmp_path):
    """documents.csv `date` holds ISO 8601 only (empty when unread); `date_raw` the text as printed."""
    folder = tmp_path / "in"
    folder.mkdir()
    pages = {"a.txt": "Date: June 25, 2024", "b.md": "---\ndate: 2010-12-28 16:37:00\n---", "c.txt": "Date: 06/05/2024",
             "d.txt": ""}
    for name, head in pages.items():
        (folder / name).write_text(f"{head}\n\n# Best pies\n\n1. Apple\n\n2. Cherry\n", encoding="utf-8")
    ingest(folder, out=tmp_path / "out", formats=("csv",))
    with open(tmp_path / "out" / "documents.csv", encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [(row["date"], row["date_raw"]) for row in rows] == [
        ("2024-06-25", "June 25, 2024"), ("2010-12-28T16:37:00", "2010-12-28 16:37:00"), ("", "06/05/2024"),
        ("", "")]
