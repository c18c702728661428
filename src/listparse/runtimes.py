"""A runtime as printed → whole minutes, with what the number could not hold kept beside it.

Read: `136 minutes`, `136 min`, `136 mins.`, `90m`, `2h 16m`, `2 hr 16 min`,
`2 hours and 16 minutes`, `1h`, `1.5 hours`, `2:16:00` (hours, minutes,
seconds), and those followed by more text (`24 min per episode`, `24
minutes each`, `120 min (director's cut: 150)`) or led by a hedge (`about 2
hours`, `~90 min`): the words around the duration are the `extra`. Not read,
so kept only as printed: a range (`22-24 minutes` has no one value), `2:16`
(hours and minutes of a film, or minutes and seconds of a song), a number
without a unit, and anything that is not a whole number of minutes.
"""

from __future__ import annotations

import re

HOURS = r"(?:h|hrs?|hours?)\.?"
MINUTES = r"(?:m|mins?|minutes?|mn)\.?"
NUMBER = r"\d+(?:[.,]\d+)?"
# The hedge before a duration, kept as its extra ("about 2 hours" → 120, "about").
HEDGE_RE = re.compile(r"^(?P<hedge>~|≈|approx(?:\.|imately)?|about|around|roughly|ca\.|circa|c\.)\s*", re.IGNORECASE)
DURATION_RE = re.compile(
    rf"""^(?:(?P<hours>{NUMBER})\s*{HOURS}        # "2h", "2 hr", "2 hours", "1.5 hours"
          (?:\s*(?:,|and)?\s*(?P<and_minutes>\d+)\s*{MINUTES})?  # then " 16m", " and 16 minutes"
        |(?P<minutes>{NUMBER})\s*{MINUTES}       # "136 minutes", "90m", "136 mins."
        |(?P<clock>\d+:\d\d:\d\d))               # "2:16:00"
        (?![\w:])""",
    re.VERBOSE | re.IGNORECASE)
RANGE_RE = re.compile(rf"^{NUMBER}\s*(?:{HOURS}|{MINUTES})?\s*(?:-|–|—|to)\s*{NUMBER}", re.IGNORECASE)
CLOCK_RE = re.compile(r"^\d+:\d\d(?!:)")
BARE_NUMBER_RE = re.compile(rf"^{NUMBER}\s*$")


def read_minutes(text: str) -> tuple[int | None, str | None, str | None]:
    """(minutes, extra, note) of a printed runtime; minutes is None when the text does not give one, and
    then the whole text is the extra and the note says why.

    >>> read_minutes("2 hr 16 min")
    (136, None, None)
    >>> read_minutes("24 min per episode")
    (24, 'per episode', None)
    >>> read_minutes("22-24 minutes")
    (None, '22-24 minutes', 'a range, not one runtime')
    """
    text = " ".join(text.split())
    hedge = HEDGE_RE.match(text)
    body = text[hedge.end():] if hedge else text
    if RANGE_RE.match(body):
        return None, text, "a range, not one runtime"
    if CLOCK_RE.match(body):
        return None, text, "h:mm or m:ss: the unit is not printed"
    if BARE_NUMBER_RE.match(body):
        return None, text, "a number without a unit"
    match = DURATION_RE.match(body)
    if not match:
        return None, text, "no runtime found"
    minutes = _minutes_of(match)
    if minutes is None:
        return None, text, "not a whole number of minutes"
    rest = body[match.end():].strip(" ,;/-–—")
    extra = "; ".join(part for part in (hedge.group("hedge") if hedge else "", rest) if part)
    return minutes, extra or None, None


def _minutes_of(match: re.Match) -> int | None:
    if match.group("clock"):
        hours, minutes, seconds = (int(part) for part in match.group("clock").split(":"))
        return hours * 60 + minutes if seconds == 0 and minutes < 60 else None
    if match.group("hours"):
        total = float(match.group("hours").replace(",", ".")) * 60 + int(match.group("and_minutes") or 0)
    else:
        total = float(match.group("minutes").replace(",", "."))
    return int(total) if total == int(total) else None
