"""Every compiled regex of the package is free of the nested quantifiers that backtrack exponentially.

A repeat inside an unbounded repeat is ambiguous when the inner repeat can take a
character that could also start what follows it (the rest of the outer body, or the
body's next round): `(a+)+`, `(a*)*`, `(\\s*\\w+)*`, `(?:<!--.*?-->\\s*)*`. On an input
that almost matches, the engine then tries every way of splitting the run among the
rounds: exponential. The check works on the parsed pattern (`re._parser`) with the
characters each part can start with, over a sample of characters.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

import pytest
from hypothesis import given
from hypothesis import strategies as st

import listparse

SAMPLE = frozenset(chr(code) for code in range(0x180)) | frozenset(
    "\u00a0\u200b\u2013\u2014\u2019\u201c\u201d\u2605\u2460\u3000\u4e00\u4f4d\u0410\u05d0\u0e01\ufe0f\u20e3")
CATEGORIES = {name: re.compile(regex) for name, regex in {
    "CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s", "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W", "CATEGORY_LINEBREAK": r"\n",
    "CATEGORY_NOT_LINEBREAK": r"[^\n]"}.items()}
UNBOUNDED = sre.MAXREPEAT
REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT)


def _in_class(items, char: str, ignore_case: bool) -> bool:
    negate = False
    found = False
    for op, value in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            found |= chr(value) == char or ignore_case and chr(value).lower() == char.lower()
        elif op is sre.RANGE:
            found |= value[0] <= ord(char) <= value[1] or ignore_case and (
                value[0] <= ord(char.lower()[0]) <= value[1] or value[0] <= ord(char.upper()[0]) <= value[1])
        elif op is sre.CATEGORY:
            found |= CATEGORIES[str(value)].match(char) is not None
    return found != negate


class Scanner:
    """First sets and nullability of parsed pattern parts, and the ambiguous nested repeats."""

    def __init__(self, flags: int) -> None:
        self.ignore_case = bool(flags & re.IGNORECASE)
        self.dotall = bool(flags & re.DOTALL)
        self.offenders: list[str] = []

    def first(self, sequence) -> tuple[frozenset, bool]:
        """The characters `sequence` can start with, and whether it can match the empty string."""
        chars: frozenset = frozenset()
        for node in sequence:
            node_chars, nullable = self.first_of(node)
            chars |= node_chars
            if not nullable:
                return chars, False
        return chars, True

    def first_of(self, node) -> tuple[frozenset, bool]:
        op, value = node
        if op is sre.LITERAL:
            literal = chr(value)
            folded = literal.lower() if self.ignore_case else literal
            return frozenset(c for c in SAMPLE if c == literal or self.ignore_case and c.lower() == folded), False
        if op is sre.NOT_LITERAL:
            return frozenset(c for c in SAMPLE if c != chr(value)), False
        if op is sre.ANY:
            return SAMPLE if self.dotall else SAMPLE - {"\n"}, False
        if op is sre.IN:
            return frozenset(c for c in SAMPLE if _in_class(value, c, self.ignore_case)), False
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            return frozenset(), True
        if op is sre.SUBPATTERN:
            return self.first(value[3])
        if op is sre.ATOMIC_GROUP:
            return self.first(value)
        if op is sre.BRANCH:
            parts = [self.first(branch) for branch in value[1]]
            return frozenset().union(*(chars for chars, _ in parts)), any(nullable for _, nullable in parts)
        if op in (*REPEATS, sre.POSSESSIVE_REPEAT):
            chars, nullable = self.first(value[2])
            return chars, nullable or value[0] == 0
        if op is sre.GROUPREF_EXISTS:
            yes, no = self.first(value[1]), self.first(value[2] or [])
            return yes[0] | no[0], yes[1] or no[1]
        return SAMPLE, True  # a back reference: anything

    def scan(self, sequence, follow: frozenset | None, outer: str | None) -> None:
        """Look for ambiguous repeats in `sequence`; `follow` is what may come after it inside an unbounded
        repeat (None outside one), `outer` describes that repeat."""
        for position, node in enumerate(sequence):
            op, value = node
            after = None
            if follow is not None:
                rest, rest_nullable = self.first(sequence[position + 1:])
                after = rest | (follow if rest_nullable else frozenset())
            if op in REPEATS:
                low, high, item = value
                chars, nullable = self.first(item)
                if after is not None and high == UNBOUNDED and (nullable or chars & after):
                    self.offenders.append(f"{_describe(item)} repeated inside {outer}"
                                          + (" (can match nothing)" if nullable else
                                             f" (both can take {''.join(sorted(chars & after))[:12]!r})"))
                if high == UNBOUNDED and after is None:
                    self.scan(item, chars, _describe(item))  # an outer repeat: its body, round after round
                elif after is not None:
                    self.scan(item, chars | after, outer)
                else:
                    self.scan(item, None, None)
            elif op is sre.SUBPATTERN:
                self.scan(value[3], after, outer)
            elif op is sre.BRANCH:
                for branch in value[1]:
                    self.scan(branch, after, outer)
            elif op is sre.GROUPREF_EXISTS:
                self.scan(value[1], after, outer)
                self.scan(value[2] or [], after, outer)
            elif op in (sre.ASSERT, sre.ASSERT_NOT):
                self.scan(value[1], None, None)
            # atomic groups and possessive repeats never backtrack into themselves: safe


def _describe(item) -> str:
    return str(item)[:60]


def ambiguous_repeats(pattern: re.Pattern) -> list[str]:
    """The nested repeats of `pattern` that can split a run between rounds in more than one way."""
    scanner = Scanner(pattern.flags)
    scanner.scan(_parser.parse(pattern.pattern, pattern.flags), None, None)
    return scanner.offenders


def package_regexes() -> list[tuple[str, re.Pattern]]:
    """Every compiled str regex held by a module of the package, by qualified name."""
    found = []
    for module_info in pkgutil.iter_modules(listparse.__path__):
        if module_info.name == "__main__":
            continue
        module = importlib.import_module(f"listparse.{module_info.name}")
        for name, value in sorted(vars(module).items()):
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str) and \
                    getattr(sys.modules.get(module.__name__), name, None) is value:
                found.append((f"{module.__name__}.{name}", value))
    return found


@pytest.mark.parametrize("regex, expected", [
    pytest.param(r"(a+)+b", True, id="(a+)+"),
    pytest.param(r"(a*)*b", True, id="(a*)*"),
    pytest.param(r"(\s*\w+)*$", True, id="(\\s*\\w+)*"),
    pytest.param(r"(?:<!--.*?-->\s*)*<html", True, id="comments, old HTML sniff"),
    pytest.param(r"(?:a|ab)*c", False, id="alternatives with distinct starts"),
    pytest.param(r"(?:\s+\w+)*$", False, id="each round starts with a space"),
    pytest.param(r"(?:[^\S\n][^\W\d_][\w'-]*){0,3}", False, id="bounded outer repeat"),
    pytest.param(r"^\s{0,3}(#{1,6})\s+(.*)$", False, id="heading"),
])
def test_ambiguous_repeats_are_found(regex, expected):
    """The check tells the classic exponential shapes from safe nested repeats."""
    assert bool(ambiguous_repeats(re.compile(regex))) == expected


def test_no_package_regex_nests_ambiguous_quantifiers():
    """No regex in listparse has an ambiguous repeat inside an unbounded repeat."""
    regexes = package_regexes()
    assert len(regexes) > 100
    offenders = {name: problems for name, regex in regexes if (problems := ambiguous_repeats(regex))}
    assert not offenders, "\n".join(f"{name}: {'; '.join(problems)}" for name, problems in offenders.items())


def test_display_width_looks_only_where_wide_characters_can_be():
    """`display_width` skips the characters below U+0378, none of which is East Asian Wide or Fullwidth, and
    counts a text of those and general punctuation (`NARROW_TEXT_RE`) by its length."""
    import unicodedata

    from listparse.entries import MAYBE_WIDE_RE, NARROW_TEXT_RE, display_width

    assert all(not MAYBE_WIDE_RE.match(chr(c)) for c in range(0x378))
    assert not [c for c in range(0x110000)
                if NARROW_TEXT_RE.fullmatch(chr(c)) and unicodedata.east_asian_width(chr(c)) in ("W", "F")]
    assert all(MAYBE_WIDE_RE.match(chr(c)) for c in range(0x110000)
               if unicodedata.east_asian_width(chr(c)) in ("W", "F"))
    for text in ("plain", "naïve ‘quote’ — ok", "日本語 text", "ｆｕｌｌ width", "\u0378 x", "“quoted” 日本"):
        assert display_width(text) == sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


LABEL_LINE_PIECES = ["Author", "by", "By ", "Written by", "URL", "Source", "Originally published at", "Date",
                     "Posted on", "Updated", ":", " ", "\t", ">", "*", "_", "**", "\u00a0", "\x0c", "\u2003", "✍️",
                     "Écrit par", "https://example.com/a", "Jane Doe", "2024-03-01", "ſource", "-", "1.", "#", "x"]


@given(st.lists(st.sampled_from(LABEL_LINE_PIECES), max_size=8), st.sampled_from(["author", "url", "date"]))
def test_a_head_line_screened_out_is_one_its_regex_rejects(pieces, key):
    """The cheap look at a line's first character past its marks (`parse._matches`) never skips a line the
    author, URL or date regex would match."""
    from listparse.parse import AUTHOR_LINE_RE, DATE_LINE_RE, LEADING_MARKS, NOT_LABEL_OPENINGS, URL_LINE_RE

    line = "".join(pieces)
    line_re = {"author": AUTHOR_LINE_RE, "url": URL_LINE_RE, "date": DATE_LINE_RE}[key]
    if not line or line.lstrip(LEADING_MARKS)[:1] in NOT_LABEL_OPENINGS[key]:
        assert line_re.match(line) is None


@given(st.lists(st.sampled_from(LABEL_LINE_PIECES), max_size=8) | st.lists(st.text(max_size=3), max_size=4),
       st.sampled_from(["author", "url", "date"]))
def test_a_head_line_first_character_screens_out_only_what_its_marks_screen_does(pieces, key):
    """`parse._matches` rules a line out by its first character before stripping its marks: never a line
    the look past its marks would have tried."""
    from listparse.parse import LEADING_MARKS, NOT_LABEL_OPENINGS

    line = "".join(pieces)
    if line and line[0] in NOT_LABEL_OPENINGS[key]:
        assert line.lstrip(LEADING_MARKS)[:1] in NOT_LABEL_OPENINGS[key]
