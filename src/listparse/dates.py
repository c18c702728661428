"""A document's date as printed → ISO 8601, or the reason it stays as printed.

Read: ISO 8601 dates and date-times (`2024-06-25`, `2010-12-28 16:37:00`,
`2024-05-01T10:00:00+02:00`, `…Z`), RFC 2822 (`Tue, 25 Jun 2024 10:00:00
GMT`), English month names (`June 25, 2024`, `25 June 2024`, `Sept. 18th,
2023`, `June 2024`), and numeric dates whose order the numbers themselves
settle (`2024/06/25`, `25/06/2024`; `06/05/2024` could be either and stays
as printed). A time is kept to the precision printed, and a zone only when
one is printed (as an offset; `Z` and `GMT` are `+00:00`): none is ever
added. Only the standard library: a guessing parser would turn `06/05/2024`
into one of two dates without saying so.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Final

from .models import Located

MONTHS: Final = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
    ("november", "nov"), ("december", "dec")), start=1) for name in names}
MONTH: Final = r"(?P<month>[A-Za-z]{3,9})\.?"
DAY: Final = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
YEAR: Final = r"(?P<year>\d{4})"
# "10:00", "10:00:00", "4:37 pm", with an optional offset or UTC.
TIME: Final = (r"(?:,?\s+(?:at\s+)?(?P<time>\d{1,2}:\d\d(?::\d\d)?)(?:\s*(?P<ampm>[ap]\.?m\.?))?"
               r"(?:\s*(?P<zone>Z|UTC|GMT|[+-]\d\d:?\d\d))?)?")
MONTH_FIRST_RE: Final = re.compile(rf"^(?:[A-Za-z]+,?\s+)?{MONTH}\s+{DAY},?\s+{YEAR}{TIME}$", re.IGNORECASE)
DAY_FIRST_RE: Final = re.compile(rf"^(?:[A-Za-z]+,?\s+)?{DAY}\.?\s+{MONTH},?\s+{YEAR}{TIME}$", re.IGNORECASE)
MONTH_YEAR_RE: Final = re.compile(rf"^{MONTH},?\s+{YEAR}$", re.IGNORECASE)
ISO_RE: Final = re.compile(
    r"""^(?P<date>\d{4}-\d\d-\d\d)
        (?:[T\s](?P<time>\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?)  # time, seconds and a fraction if printed
           \s?(?P<zone>Z|[+-]\d\d(?::?\d\d)?)?)?$           # "+02:00", "+0200", "+02", "Z"
    """, re.VERBOSE | re.IGNORECASE)
ISO_MONTH_RE: Final = re.compile(r"^\d{4}-(\d\d)$")
RFC_2822_RE: Final = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d\d:\d\d(?::\d\d)?\s+\S+$")
WRITTEN_RE: Final = re.compile(r"\d{4}-\d\d(?:-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:[+-]\d\d:\d\d)?)?)?")
FRACTION_RE: Final = re.compile(r"[.,](\d+)")  # of a second, in a printed time
NUMERIC_RE: Final = re.compile(r"^(?P<a>\d{1,4})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})$")


def iso_date(text: str) -> tuple[str | None, str | None]:
    """(the ISO 8601 form, None) of a printed date, or (None, why it stays as printed).

    >>> iso_date("June 25, 2024")
    ('2024-06-25', None)
    >>> iso_date("Tue, 25 Jun 2024 10:00:00 GMT")
    ('2024-06-25T10:00:00+00:00', None)
    >>> iso_date("06/05/2024")
    (None, 'day and month could be either way round (6 May or 5 June)')
    """
    text = " ".join(text.split())
    for read in (_iso, _rfc_2822, _month_name, _numeric):
        found = read(text)
        if found is not None:
            return found
    return None, "not a date listparse reads"


def is_iso(value: str) -> bool:
    """Whether a value is in the ISO 8601 form `iso_date` writes (a date, a month, or a date-time)."""
    return WRITTEN_RE.fullmatch(value) is not None


def _iso(text: str) -> tuple[str | None, str | None] | None:
    match = ISO_RE.match(text)
    if not match:
        month = ISO_MONTH_RE.match(text)
        return (text, None) if month and 1 <= int(month.group(1)) <= 12 else None
    zone = match.group("zone") or ""
    if zone.upper() == "Z":
        zone = "+00:00"
    elif zone:
        zone = zone[:3] + ":" + (zone[3:].lstrip(":") or "00")
    time = (match.group("time") or "").replace(",", ".")
    try:
        day = date.fromisoformat(match.group("date"))
        if not time:
            return day.isoformat(), None
        moment = datetime.fromisoformat(f"{day.isoformat()}T{time}{zone}")
    except ValueError as error:
        return None, f"not a real date ({error})"
    return _written(moment, time), None


def _rfc_2822(text: str) -> tuple[str | None, str | None] | None:
    if not RFC_2822_RE.match(text):
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None and not text.endswith("-0000"):
        return None  # a zone it did not understand ("EST5"): not read rather than dropped
    # "-0000" says the zone is unknown: the time stays without one.
    return _written(moment, text.split()[-2]), None


def _month_name(text: str) -> tuple[str | None, str | None] | None:
    match = MONTH_FIRST_RE.match(text) or DAY_FIRST_RE.match(text)
    if match is None:
        year_month = MONTH_YEAR_RE.match(text)
        month = MONTHS.get(year_month.group("month").lower()) if year_month else None
        return (f"{year_month.group('year')}-{month:02d}", None) if year_month and month else None
    month = MONTHS.get(match.group("month").lower())
    if month is None:
        return None
    try:
        day = date(int(match.group("year")), month, int(match.group("day")))
    except ValueError as error:
        return None, f"not a real date ({error})"
    if not match.group("time"):
        return day.isoformat(), None
    return _with_time(day, match)


def _with_time(day: date, match: re.Match) -> tuple[str | None, str | None]:
    """"June 25, 2024 4:37 pm": the date with its time, and its zone only when one is printed."""
    hour, minute, *second = (int(part) for part in match.group("time").split(":"))
    ampm = (match.group("ampm") or "").lower().replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            return None, f"hour {hour} with {ampm}"
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    zone = match.group("zone") or ""
    zone = "+00:00" if zone.upper() in {"Z", "UTC", "GMT"} else (zone[:3] + ":" + zone[-2:] if zone else "")
    try:
        moment = datetime.fromisoformat(f"{day.isoformat()}T{hour:02d}:{minute:02d}"
                                        + (f":{second[0]:02d}" if second else "") + zone)
    except ValueError as error:
        return None, f"not a real time ({error})"
    return _written(moment, match.group("time")), None


def _numeric(text: str) -> tuple[str | None, str | None] | None:
    """`2024/06/25`, `25/06/2024`: only when the numbers leave one reading."""
    match = NUMERIC_RE.match(text)
    if not match:
        return None
    a, b, c = match.group("a"), match.group("b"), match.group("c")
    if len(a) == 4:
        year, month, day = int(a), int(b), int(c)
    elif len(c) == 4:
        first, second, year = int(a), int(b), int(c)
        if not first or not second:
            return None, "not a real date (a day or month of 0)"
        if first > 12 and second > 12:
            return None, "neither number can be the month"
        if first == second or first > 12:
            day, month = first, second
        elif second > 12:
            month, day = first, second
        else:
            return None, (f"day and month could be either way round ({first} {_month_name_of(second)} or "
                          f"{second} {_month_name_of(first)})")
    else:
        return None, "a two-digit year could be of any century"
    try:
        return date(year, month, day).isoformat(), None
    except ValueError as error:
        return None, f"not a real date ({error})"


def _month_name_of(number: int) -> str:
    return next(name for name, value in MONTHS.items() if value == number).capitalize()


def _written(moment: datetime, printed_time: str) -> str:
    """ISO 8601 to the precision printed: minutes, seconds, or the fraction of a second."""
    digits = printed_time.count(":")
    fraction = FRACTION_RE.search(printed_time)
    spec = ("minutes" if digits == 1 else "seconds" if not fraction
            else "milliseconds" if len(fraction.group(1)) <= 3 else "microseconds")
    return moment.isoformat(timespec=spec)


def with_iso_date(found: Located | None) -> tuple[Located | None, list[str]]:
    """A document's date with its ISO 8601 value (`raw` keeps the text as printed), or as printed with the
    warning that says why it could not be read."""
    if found is None:
        return None, []
    value, problem = iso_date(found.value)
    if value is None:
        line = f"line {found.span.line}: " if found.span else ""
        return found, [f"{line}date {found.value!r} kept as printed: {problem}"]
    return found.model_copy(update={"value": value}), []
