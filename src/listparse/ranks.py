"""Read ranks off lines: every way a listicle prints the number of an entry.

`1.`, `1)`, `#1`, `No. 1`, `(1)`, `1 -`, `Mistake #3:`, `**1.**`, `## 1. Title`, a number
alone in its own block, ties (`=85`, `T-5`), Roman numerals (`IV.`), circled and keycap
digits glued to the title (`①Title`, `1️⃣ Title`), full-width and other scripts' digits
(`１．`), East Asian counters (`第1位`, `1位`) and ordinals (`1º`, `1st place:`); a rank
printed after the title (`Title #3`); and ranked table rows (`| 1 | Title | … |`).

Each line read gives a `Candidate`: its rank, the text after the rank, and a *style*
(how the rank is dressed). Entries of one list share their style, which is how
`chains` tells the list from headline numbers, notes and tables of contents.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Final

from .read import Line

# Digits that carry their own number: circled, parenthesised, "1." glyphs, dingbats, keycaps.
GLYPH_DIGITS: Final = "".join(chr(code) for first, last in (
    (0x2460, 0x249B), (0x24EB, 0x24FE), (0x2776, 0x2793), (0x3251, 0x325F), (0x32B1, 0x32BF))
    for code in range(first, last + 1))
KEYCAP_TEN: Final = "\U0001F51F"  # 🔟
# Runs of white space and a label's words are possessive (`*+`, `++`): what follows them never starts with what
# they would give back, so `re` need not try each shorter run before failing, which a line of prose made it do.
RANK_LINE_RE: Final = re.compile(
    r"""
    ^(?P<indent>[^\S\n>]*+)                             # indentation, quote markers
    (?P<bullet>[-*•+][^\S\n]++)?                        # a bullet before the number ("- 1. Title")
    (?P<stamp>[\[(]?(?:\d{1,2}:)?\d{1,2}:\d{2}[\])]?[^\S\n]+(?:[-–—|][^\S\n]+)?)?  # a time stamp: "[00:12:40] "
    (?P<heading>\#{1,6}+[^\S\n]++)?                     # Markdown heading marker
    (?P<open>(?:\*\*|__|\*|_)[^\S\n]*+)?                # bold or italic opening
    (?:(?!(?:No|Nr|Number|Rank|Platz|Rang|Puesto|Posição|Número|Numéro)\b)  # a label before the number
       (?P<label>[^\W\d_][\w'’.-]*+(?:[^\S\n][^\W\d_][\w'’-]*+){0,3})[^\S\n]++  # ("Mistake #3"), ≤ 4 words,
       (?=\#|(?:No|Nr|Number|Rank)\b|\d{1,6}[^\S\n]*[:：]))?  # only before "#", "No." or "N:"
    (?P<prefix>\#[^\S\n]?                               # "#1"
      |(?:No|Nr|Number|Rank|Platz|Rang|Puesto|Posição|Número|Numéro)\.?[^\S\n]*  # "No. 1", "Platz 1"
      |\((?=\d{1,6}\))                                  # "(1)"
      |第)?                                             # "第1位"
    (?P<tie>=|T-?(?=\d))?                               # a tie: "=85", "T-5"
    (?P<rank>\d{1,6}(?![\d,])                           # 1, １, ١: any script's digits
      |[IVXLC]{1,7}(?=\\?[.)])                          # IV. (only with its separator)
      |[""" + GLYPH_DIGITS + KEYCAP_TEN + r"""])         # ①, ❶, ⒈, 🔟
    (?P<keycap>\ufe0f?\u20e3)?                          # 1️⃣
    (?P<suffix>\.?[ºª°](?:[^\S\n]+(?:lugar|puesto|posto|place))?  # 1º, 1.º lugar
      |(?:st|nd|rd|th)(?:[^\S\n]+place)?(?=[^\S\n]*[.:)–—-])      # 1st place:
      |[位名위])?                                       # 1位, 1위
    (?P<sep>\\?[.)．）。](?!\d)|[^\S\n]*[:：–—-](?![\d:])|、)?  # "1." "1)" "1:" "1 -", never "4.5" or "10:30"
    (?(open)(?P<close>[^\S\n]*(?:\*\*|__|\*|_))?)      # "**1.** Title": bold closing after the number
    (?P<gap>[^\S\n]*)
    (?P<title>.*)$                                     # trailing white space is stripped in code
    """,
    re.VERBOSE,
)
TRAILING_RANK_RE: Final = re.compile(
    r"""^(?P<heading>\#{1,6}[^\S\n]+)?
        (?P<title>[^\s#].{0,150}?)                      # the title first
        [^\S\n]*(?:[-–—|:,(][^\S\n]*)?                  # a separator, or an opening parenthesis
        (?P<prefix>\#|No\.[^\S\n]?)(?P<rank>\d{1,6})\)?[^\S\n]*$  # "… #3", "… (No. 3)" """,
    re.VERBOSE,
)
TABLE_ROW_RE: Final = re.compile(
    r"""^\s*\|\s*(?:\#|No\.?\s*)?(?P<tie>=|T-?(?=\d))?(?P<rank>\d{1,6})[.)]?\s*   # | 1 |   a rank in the first cell
        \|\s*(?P<title>[^|]*?[^|\s])\s*(?:\||$)                # | Title |  the title in the second""",
    re.VERBOSE,
)
# A line worth reading for a rank: a digit among its first characters, or a Roman numeral opening it. Three
# regexes, each faster than one alternation: `re` skips ahead to a character class only when a pattern starts
# with one, and an ASCII line can hold only ASCII digits.
# The two dresses most lists wear, "12. Title" and " 12  Title", read by a regex of four groups rather than
# RANK_LINE_RE's fifteen. Every line it matches, RANK_LINE_RE reads the same way: nothing but white space
# precedes the number, so no bullet, heading, label or prefix can, and what follows the number leaves no room
# for a time stamp, keycap, ordinal or another separator (tests/test_ranks.py holds the two side by side).
PLAIN_RANK_RE: Final = re.compile(
    r"""
    (?P<indent>[^\S\n]*+)                    # indentation
    (?P<rank>[0-9]{1,6})                     # an ASCII number, all of it
    (?:(?P<sep>[.)])[^\S\n]++                # "12. Title": a dot or parenthesis, then white space
      |[^\S\n]{2,}+(?![:：–—-]))             # " 12  Title": a wide gap, no separator after it
    (?P<title>.*)$
    """,
    re.VERBOSE,
)
# What a line PLAIN_RANK_RE matches can open with, but for rare spaces
PLAIN_OPENINGS: Final = frozenset(" \t0123456789")
DIGIT_HINT_RE: Final = re.compile(r"[\d" + GLYPH_DIGITS + KEYCAP_TEN + r"]")
ASCII_DIGIT_BYTES: Final = b"0123456789"
ROMAN_HINT_RE: Final = re.compile(r"[\s#*_>-]*[IVXLC]+\\?[.)]")
ASCII_DIGITS: Final = frozenset("0123456789")
ROMAN_HINT_OPENINGS: Final = "#*_>-IVXLC"  # with white space, what a line ROMAN_HINT_RE matches opens with
HINT_CHARS: Final = 80  # how far into a line a digit is looked for
ROMAN_VALUES: Final = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
ROMAN_RE: Final = re.compile(r"^(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
MONTHS: Final = frozenset("""
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    januar februar märz april mai juni juli oktober dezember jän mär okt dez
    enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre
    janeiro fevereiro março maio junho julho setembro outubro novembro dezembro
    janvier février mars avril juin juillet août septembre octobre novembre décembre
    gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre
    """.split())
SEPARATOR_KINDS: Final = {"–": "-", "—": "-", "．": ".", "）": ")", "：": ":", "。": "."}  # the style's separator
DATE_TITLE_RE: Final = re.compile(r"^(?P<month>[^\W\d_]+)\.?,?\s+(?:\d{1,2},?\s+)?\d{4}\W*$")  # "September 2018"


@dataclass(slots=True, unsafe_hash=True)
class Candidate:
    """A line that could be an entry: its rank, style and the text after the number.

    Never changed once made (`dataclasses.replace` copies one), but not frozen: a frozen dataclass sets
    each field through `object.__setattr__`, slow for one of these per numbered line. It compares and
    hashes as a frozen one would. Its `__init__` is written out, as `read.Line`'s is."""

    index: int  # position in Text.lines
    rank: int
    rank_text: str
    style: tuple
    title_start: int  # offset of the title part within the line
    title_part: str
    heading_level: int  # 0 when the line is not a heading
    rank_only: bool
    tie: bool = False

    def __init__(self, index: int, rank: int, rank_text: str, style: tuple, title_start: int, title_part: str,
                 heading_level: int, rank_only: bool, tie: bool = False) -> None:
        self.index = index
        self.rank = rank
        self.rank_text = rank_text
        self.style = style
        self.title_start = title_start
        self.title_part = title_part
        self.heading_level = heading_level
        self.rank_only = rank_only
        self.tie = tie


def find_candidates(lines: list[Line], skip: int = 0) -> list[Candidate]:
    """Every line, from `skip` on, that carries a rank in a recognised style."""
    candidates = []
    for index in range(skip, len(lines)):
        line = lines[index]
        text = line.text
        if not text or line.literal or not (
                text[0] in ASCII_DIGITS or "#" in text or "No." in text or _has_rank_hint(text)):
            continue  # cheap tests first: a digit opening the line is the commonest hint
        candidate = match_rank_line(text, index)
        if candidate:
            candidates.append(candidate)
    return candidates


def _has_rank_hint(text: str) -> bool:
    opening = text[:1]
    if opening in ASCII_DIGITS:
        return True  # the commonest hint, seen without a regex
    if text.isascii():
        head = text[:HINT_CHARS].encode()
        if len(head.translate(None, ASCII_DIGIT_BYTES)) < len(head):  # a digit was deleted (cheaper than a search)
            return True
    elif DIGIT_HINT_RE.search(text, 0, HINT_CHARS):
        return True
    # Most lines open with a letter no Roman numeral starts: spare them the regex.
    return (opening in ROMAN_HINT_OPENINGS or opening.isspace()) and bool(ROMAN_HINT_RE.match(text, 0, HINT_CHARS))


def as_markdown_renders(candidates: list[Candidate]) -> list[Candidate]:
    """Markdown renders an ordered list printed `1.` `1.` `1.` as 1, 2, 3: three or more items of one
    style in a row, every one printed with the same number, are numbered as they render."""
    by_style: dict[tuple, list[int]] = {}
    for position, candidate in enumerate(candidates):
        by_style.setdefault(candidate.style, []).append(position)
    renumbered = list(candidates)
    for positions in by_style.values():
        start = 0
        while start < len(positions):
            first = candidates[positions[start]]
            end = start
            while end + 1 < len(positions) and candidates[positions[end + 1]].rank == first.rank:
                end += 1
            if end - start >= 2 and not first.rank_only:
                for offset, position in enumerate(positions[start:end + 1]):
                    renumbered[position] = replace(candidates[position], rank=first.rank + offset)
            start = end + 1
    return renumbered


def match_rank_line(text: str, index: int = 0) -> Candidate | None:
    """Read a rank and what follows it from one line, or None when it is no entry line."""
    if text[:1] in PLAIN_OPENINGS and (plain := PLAIN_RANK_RE.match(text)) and (
            candidate := _plain_rank(plain, text, index)):
        return candidate  # "12. Title", read the short way
    return _read_rank_line(text, index)


def _read_rank_line(text: str, index: int) -> Candidate | None:
    """`match_rank_line` the long way: every style RANK_LINE_RE reads, ranked table rows, ranks after titles."""
    if "|" in text and text.lstrip().startswith("|"):
        return _table_row(text, index)
    match = RANK_LINE_RE.match(text)
    candidate = _leading_rank(match, text, index) if match else None
    if candidate is None and ("#" in text or "No." in text):
        return _trailing_rank(text, index)
    return candidate


def rank_value(token: str) -> int | None:
    """The number a rank token stands for: digits of any script, Roman numerals, circled digits."""
    if token.isdigit():
        return int(token) if token.isdecimal() else int(unicodedata.numeric(token))
    if token == KEYCAP_TEN:
        return 10
    if len(token) == 1 and token in GLYPH_DIGITS:
        return int(unicodedata.numeric(token))
    if ROMAN_RE.match(token):
        total = 0
        for position, letter in enumerate(token):
            value = ROMAN_VALUES[letter]
            following = ROMAN_VALUES[token[position + 1]] if position + 1 < len(token) else 0
            total += -value if value < following else value
        return total
    return None


def _leading_rank(match: re.Match, text: str, index: int) -> Candidate | None:
    indent, bullet, stamp, heading, opened, label, prefix, tie, token, keycap, suffix, sep, close, gap, title = (
        match.groups())  # every group, in the regex's order
    title = title.rstrip()
    mark = sep.strip() if sep else ""  # the separator without its spaces: never empty when there is one
    glyph = token in GLYPH_DIGITS or token == KEYCAP_TEN or bool(keycap)
    roman = token[0].isalpha()
    if label and not (prefix or mark in (":", ".", ")")):
        return None  # "Top 10 Movies" is a headline, "Chapter 3: …" or "Mistake #3" a label
    if label and (len(label) > 30 or label[0].islower()):
        return None
    if roman and (label or not sep or not gap or title[:1].islower()):
        return None  # "I. Title", never "I. e." or "Chapter IV."
    has_marker = bool(prefix or sep or heading or opened or glyph or suffix or tie)
    title_clean = title.strip("*_ \t")
    if not title_clean:
        if not (prefix or glyph or mark in (".", ")", "．", "）")) and not heading:
            return None
    elif not has_marker and len(gap) < 2:
        return None  # "2019 was a great year", "28 Days Later is…"
    elif sep and not gap and not close and title[:1] not in ("*", "_", "[") \
            and not (mark in (".", ")") and title[:1].isupper()) and not _is_wide(sep):
        return None  # "1.5x", "3:2"; but "1.Title", typed without its space, is an entry
    if _is_date(title_clean):
        return None  # "25. September 2018": a date line, not an entry
    rank = rank_value(token)
    if rank is None or (label and rank > 500):
        return None  # "Bilan ciné 2023 : notre top 10" is a headline with a year, not "Mistake #3:"
    sep_kind = mark.replace("\\", "")
    sep_kind = SEPARATOR_KINDS.get(sep_kind, sep_kind)
    numeral = "roman" if roman else "glyph" if glyph else ""
    level = len(heading.strip()) if heading else 0
    style = leading_style(level, (prefix or "").strip()[:1].lower(), bool(bullet),
                          sep_kind or ("gap" if len(gap) >= 2 else ""), (label or "").lower(), not title_clean,
                          numeral + (suffix or "").lstrip(".").strip()[:1], bool(stamp), indent)
    start = match.start("prefix") if prefix else match.start("tie") if tie else match.start("rank")
    end = match.end("sep") if sep else max(match.end("rank"), match.end("suffix") if suffix else 0,
                                          match.end("keycap") if keycap else 0)
    rank_text, title_start, rank_only = text[start:end], match.start("title"), not title_clean
    # By position: a dataclass's __init__ pairs keyword arguments with its fields one by one.
    return Candidate(index, rank, rank_text, style, title_start, title, level, rank_only, bool(tie))


def leading_style(level: int, prefix: str, bulleted: bool, separator: str, label: str, rank_only: bool,
                  numeral: str, stamped: bool, indent: str) -> tuple:
    """How a line dresses the rank it opens with, as a tuple: entries of one list dress theirs alike. Bold is
    no part of it (lists bold some entries and not others); `bulleted`: "- 1. Title" in a bulleted table of
    contents; `stamped`: behind a time stamp, a transcript's or a video's chapters; an indent of four
    columns or more: nested in another list."""
    return level, prefix, bulleted, separator, label, rank_only, numeral, stamped, len(indent.expandtabs(4)) >= 4


def _plain_rank(match: re.Match, text: str, index: int) -> Candidate | None:
    """What `_leading_rank` makes of a line PLAIN_RANK_RE matched, or None to leave the line to it."""
    indent, token, sep, title = match.groups()
    title = title.rstrip()
    title_clean = title.strip("*_ \t")
    if not title_clean or _is_date(title_clean):
        return None  # a number alone, or a date: rare, and the general reading decides
    start = len(indent)
    end = start + len(token) + (1 if sep else 0)
    style = leading_style(0, "", False, sep or "gap", "", False, "", False, indent)
    return Candidate(index, int(token), text[start:end], style, match.start("title"), title, 0, False, False)


def _trailing_rank(text: str, index: int) -> Candidate | None:
    """`Spirited Away — #3`: a rank printed after the title."""
    last = text.rstrip()[-1:]
    if not (last.isdecimal() or last == ")"):
        return None  # the regex would try every length of title before failing
    match = TRAILING_RANK_RE.match(text)
    if not match or not any(ch.isalpha() for ch in match.group("title")):
        return None
    heading = match.group("heading") or ""
    return Candidate(index=index, rank=int(match.group("rank")), rank_text=text[match.start("prefix"):].strip(" )"),
                     style=("trailing", len(heading.strip()), match.group("prefix").strip()),
                     title_start=match.start("title"), title_part=match.group("title").rstrip(" -–—|:,("),
                     heading_level=len(heading.strip()), rank_only=False)


def _table_row(text: str, index: int) -> Candidate | None:
    """`| 1 | Final Fantasy VI | 1994 | SNES |`: a ranked table row (HTML or Markdown)."""
    match = TABLE_ROW_RE.match(text)
    if not match:
        return None
    columns = text.strip().strip("|").count("|") + 1
    return Candidate(index=index, rank=int(match.group("rank")), rank_text=match.group("rank"),
                     style=("table", columns), title_start=match.start("title"),
                     title_part=match.group("title"), heading_level=0, rank_only=False,
                     tie=bool(match.group("tie")))


def _is_wide(sep: str) -> bool:
    """A full-width separator (．：）) needs no space after it: East Asian text has none."""
    return any(unicodedata.east_asian_width(ch) in "FW" for ch in sep)


def _is_date(title: str) -> bool:
    """A title that is nothing but a month and a year: the rest of a date ("25. September 2018")."""
    if title[-1:].isalpha():
        return False  # the year ends it
    date = DATE_TITLE_RE.match(title)
    return date is not None and date.group("month").lower() in MONTHS
