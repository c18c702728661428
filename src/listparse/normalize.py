"""Named normalization rules for titles; every change is recorded.

Modelled on ftfy's `fix_and_explain`: each rule is a small pure function with
a stable name, the rules run in a fixed order, and a `Change(field, rule,
before, after)` is recorded only when a rule changed something. Two
invariants hold for every title (and are tested): replaying the recorded
changes on the raw title gives the normalized title, and normalizing a
normalized title changes nothing.

Rules that need other documents (a typo fixed against the spelling other
documents use) live in `merge.py`, which records its changes the same way.
"""

from __future__ import annotations

import html
import itertools
import operator
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from typing import Final

from .models import Change, Document, Entry

Rule = Callable[[str], str]

# A lead byte of UTF-8 read as cp1252 ("Ã", "Â", "â") followed by a continuation byte's cp1252 reading.
MOJIBAKE_RE: Final = re.compile("[ÃÂâ][\u0080-\u00bf\u2018-\u203a\u20ac\u0152\u0153\u0160\u0161"
                                "\u0178\u017d\u017e\u02c6\u02dc]")
# A no-break space right after "Ã" or "Â" is half of a mojibake pair ("Ã\u00a0" is "à"): fix_mojibake's.
ODD_SPACE_RE: Final = re.compile("(?<![ÃÂ])\u00a0|[\u1680\u2000-\u200a\u202f\u205f\u3000\t]")
INVISIBLE_RE: Final = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad\x00-\x08\x0b-\x1f\x7f]")  # also C0 controls
MULTI_SPACE_RE: Final = re.compile(r" {2,}")
SINGLE_QUOTES: Final = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                                      "\u00b4": "'"})
DOUBLE_QUOTES: Final = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
                                      "\u00ab": '"', "\u00bb": '"'})
HYPHENS: Final = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2212": "-", "\u2043": "-"})
SPACE_BEFORE_PUNCTUATION_RE: Final = re.compile(r"(?<=\w)\s+(?=[,;:!?](?:\s|$))")
SPACE_AFTER_SEMICOLON_RE: Final = re.compile(r"(?<=[^\W\d_]);\s+(?=[^\W\d_])")
SPACE_THEN_PUNCTUATION_RE: Final = re.compile(r"\s[,;:!?]")  # what every match of SPACE_BEFORE_PUNCTUATION_RE holds
WORD_RE: Final = re.compile(r"[^\W\d_][\w'’]*")
# WORD_RE for ASCII text, in a fraction of the instructions
ASCII_WORD_RE: Final = re.compile(r"[A-Za-z][A-Za-z0-9_']*")
# The look back after the first capital stands for a leading `\b`, and lets `re` skip to a capital.
STRAY_CAPITAL_RE: Final = re.compile(r"([A-Z])(?<!\w.)([A-Z])([a-z]{2,})\b")
LETTER_RE: Final = re.compile(r"[^\W\d_]")
THREE_LETTERS_RE: Final = re.compile(r"[^\W\d_](?:[\W\d_]*[^\W\d_]){2}")  # [\W\d_] is any character but a letter
ASCII_LOWER_RE: Final = re.compile("[a-z]")  # one is enough to tell a title is not all capitals

# Words a title-cased English title writes in lower case when they are not
# first, last or right after a colon. Articles only after another small word
# ("Shadow Of The Beast"), since "Blade Runner The Final Cut" uses "The" to
# start an unmarked subtitle.
SMALL_WORDS: Final = frozenset({"and", "or", "nor", "but", "of", "to", "in", "on", "at", "by", "for", "per", "vs",
                                "via", "as"})
ARTICLES: Final = frozenset({"a", "an", "the"})
# Words a title printed in capitals keeps in capitals when it gets title case.
ACRONYMS: Final = frozenset(
    "TV UFO USA UK US EU UN NFL NBA NHL MLB FIFA UEFA FBI CIA NSA DJ PC AI NY LA DC BBC HBO MTV "
    "ABC CBS NBC CNN ESPN NASA WWE WWF GTA RPG FPS RTS MMO JRPG DLC VR AR OK SOS ABBA AC ID".split())
ROMAN_NUMERAL_RE: Final = re.compile(r"^(?=[IVX]{2,})X{0,3}(?:IX|IV|V?I{0,3})$")

# `titles_left_alone` looks for what the rules need in all of a list's titles at once, joined by bars (no
# rule needs a bar) and read as the kinds of their characters (in printable ASCII, `\s` is only " "):
BAR: Final = "|"
CHARACTER_KINDS: Final = bytes(
    ord("A" if char.isupper() else "a" if char.islower() else {"&": "&", ";": "&", ",": ",", ":": ",", "!": ",",
        "?": ",", '"': '"', "'": '"', " ": " ", BAR: BAR}.get(char, "." if char.isprintable() else "\x00"))
    for char in map(chr, range(256)))
TRIGGERS: Final = (b"&",  # an entity (decode_html_entities) or a semicolon (fix_punctuation_spacing)
                   b" ,",  # a space before one of , : ! ? (fix_punctuation_spacing)
                   b"  ", b"| ", b" |",  # a run of spaces, or a space at one end (tidy_white_space)
                   b"\x00",  # a control character (tidy_white_space)
                   b'|"',  # a quote opening the title (strip_enclosing_quotes)
                   b"AAa")  # a capital after a capital and before a small letter (fix_stray_capitals)
# What lowercase_small_words lowers, in a title that capitalizes every word: SMALL_WORDS as "Of", "OF".
LETTERS_ONLY: Final = bytes(byte if chr(byte).isalpha() else ord(" ") for byte in range(256))
CAPITALIZED_SMALL_WORDS: Final = frozenset(
    "".join(letters).encode("ascii")
    for word in SMALL_WORDS for letters in itertools.product(word[0].upper(), *({ch, ch.upper()} for ch in word[1:])))


def fix_mojibake(text: str) -> str:
    """UTF-8 read as cp1252 ("donâ€™t" → "don’t"), repaired with ftfy."""
    if text.isascii() or not MOJIBAKE_RE.search(text):
        return text
    import ftfy

    fixed = ftfy.fix_encoding(text)
    # A repair that invents U+FFFD lost information: keep the text as it was.
    return text if fixed.count("\ufffd") > text.count("\ufffd") else fixed


def decode_html_entities(text: str) -> str:
    """`&amp;` → `&`, `&#39;` → `'`; double-escaped `&amp;#39;` too (scrapers escape twice)."""
    while "&" in text:
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


def compose_unicode(text: str) -> str:
    """Unicode NFC, so that "é" is one character however it was typed."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def tidy_white_space(text: str) -> str:
    """Non-breaking and odd spaces become plain spaces; invisible and control characters go; runs collapse."""
    if text.isprintable() and text.isascii() and "  " not in text:
        return text.strip()
    text = INVISIBLE_RE.sub("", ODD_SPACE_RE.sub(" ", text))
    return MULTI_SPACE_RE.sub(" ", text).strip()


def straighten_quotes(text: str) -> str:
    """Curly quotes and primes become straight ones."""
    return text if text.isascii() else text.translate(SINGLE_QUOTES).translate(DOUBLE_QUOTES)


def strip_enclosing_quotes(text: str) -> str:
    """A title printed inside quotes ('"Heroes"') is the title without them."""
    if len(text) > 2 and text[0] == text[-1] and text[0] in "\"'" and text[0] not in text[1:-1]:
        return text[1:-1].strip()
    return text


def plain_hyphens(text: str) -> str:
    """Unicode hyphens and minus signs become "-" (en and em dashes are kept)."""
    return text if text.isascii() else text.translate(HYPHENS)


def fix_punctuation_spacing(text: str) -> str:
    """No space before , ; : ! ?, none after a semicolon inside a name ("Steins; Gate" → "Steins;Gate")."""
    if ";" not in text and not SPACE_THEN_PUNCTUATION_RE.search(text):
        return text  # neither regex would find anything
    return SPACE_AFTER_SEMICOLON_RE.sub(";", SPACE_BEFORE_PUNCTUATION_RE.sub("", text))


def fix_shouting(text: str) -> str:
    """A title written all in capitals ("TOKYO MAGNITUDE 8.0") gets title case; Roman numerals and
    common acronyms stay in capitals ("DUNE II" → "Dune II", "TV SPORTS" → "TV Sports")."""
    if ASCII_LOWER_RE.search(text):
        return text
    letters = LETTER_RE.findall(text)
    if len(letters) < 8 or len(WORD_RE.findall(text)) < 2:
        return text
    return fix_shouting_in_a_shouting_list(text)


def fix_shouting_in_a_shouting_list(text: str) -> str:
    """In a list that prints every title in capitals, a one-word title gets title case too ("LEMMINGS")."""
    if ASCII_LOWER_RE.search(text) or any(ch.islower() for ch in LETTER_RE.findall(text)):
        return text
    return WORD_RE.sub(_title_case_word, text)


def _title_case_word(match: re.Match) -> str:
    word = match.group(0)
    return word if word in ACRONYMS or ROMAN_NUMERAL_RE.match(word) else word.capitalize()


def fix_stray_capitals(text: str) -> str:
    """A capital typed one key too long ("LIie", "THe") is lowered; "WorldEnd", "DeLorean" stay."""
    return STRAY_CAPITAL_RE.sub(_lower_second_capital, text)


def _lower_second_capital(match: re.Match) -> str:
    return match.group(1) + match.group(2).lower() + match.group(3)


def lowercase_small_words(text: str) -> str:
    """In a title that capitalizes every word, small words go lower case ("Eat To" → "Eat to")."""
    words = (ASCII_WORD_RE if text.isascii() else WORD_RE).findall(text)
    # Asked first, as cheaper and rarer: a small word inside (an article is small only after a small word).
    if len(words) < 3 or SMALL_WORDS.isdisjoint(map(str.lower, words[1:-1])):
        return text
    if not all(word[0].isupper() for word in words):
        return text
    words = list(WORD_RE.finditer(text))
    pieces = []
    cursor = 0
    previous_small = False
    for position, match in enumerate(words):
        word = match.group(0)
        lower = word.lower()
        before = text[cursor:match.start()]
        inner = 0 < position < len(words) - 1 and not before.rstrip().endswith((":", "–", "—", "-", "(", "/"))
        small = inner and (lower in SMALL_WORDS or (lower in ARTICLES and previous_small))
        pieces.append(before + (lower if small else word))
        previous_small = small
        cursor = match.end()
    pieces.append(text[cursor:])
    return "".join(pieces)


TITLE_RULES: dict[str, Rule] = {
    "decode_html_entities": decode_html_entities,
    "tidy_white_space": tidy_white_space,
    "fix_mojibake": fix_mojibake,
    "compose_unicode": compose_unicode,
    "straighten_quotes": straighten_quotes,
    "strip_enclosing_quotes": strip_enclosing_quotes,
    "plain_hyphens": plain_hyphens,
    "fix_punctuation_spacing": fix_punctuation_spacing,
    "fix_shouting": fix_shouting,
    "fix_stray_capitals": fix_stray_capitals,
    "lowercase_small_words": lowercase_small_words,
}
# The rules that return ASCII text as it is, unasked: nine titles in ten are ASCII.
NON_ASCII_RULES: Final = frozenset({fix_mojibake, compose_unicode, straighten_quotes, plain_hyphens})


def normalize_title(raw: str, field: str = "title", list_shouts: bool = False) -> tuple[str, list[Change]]:
    """Run every title rule in order; return the result and the changes that happened.

    `list_shouts` says the title's list prints (nearly) every title in capitals:
    then even a one-word title in capitals is shouting, not an acronym.
    """
    changes = []
    text = raw
    is_ascii = text.isascii()
    for name, rule in TITLE_RULES.items():
        if is_ascii and rule in NON_ASCII_RULES:
            continue
        if list_shouts and rule is fix_shouting:
            rule = fix_shouting_in_a_shouting_list
        fixed = rule(text)
        if fixed != text:
            changes.append(Change(field=field, rule=name, before=text, after=fixed))
            text = fixed
            is_ascii = text.isascii()
    return text, changes


def replay(raw: str, changes: list[Change]) -> str:
    """Apply recorded changes to a raw value, checking each starts where the last ended."""
    text = raw
    for change in changes:
        if change.before != text:
            raise ValueError(f"change {change.rule!r} expects {change.before!r}, has {text!r}")
        text = change.after
    return text


def normalize_document(document: Document) -> Document:
    """Normalize every entry's title; the document is otherwise unchanged."""
    if not document.entries:
        return document
    titles = [entry.title_raw for entry in document.entries]
    left_alone = titles_left_alone(titles)
    shouts = not all(left_alone) and list_shouts(titles)  # needed by a title only if the rules may change it
    entries = [_with_title(entry, entry.title_raw, []) if alone else normalize_entry(entry, shouts)
               for entry, alone in zip(document.entries, left_alone, strict=True)]
    if all(map(operator.is_, entries, document.entries)):
        return document
    return document.model_copy(update={"entries": entries})


def titles_left_alone(titles: list[str]) -> list[bool]:
    """Which titles no rule can change: those in printable ASCII and mixed case that hold nothing a rule needs.

    Nine titles in ten. What the rules need is looked for in all the titles at once, and then only where it
    was found: a small part of the instructions the rules take."""
    joined = BAR + BAR.join(titles) + BAR
    plain = titles if joined.isascii() else [title if title.isascii() else "" for title in titles]
    if plain is not titles:
        joined = BAR + BAR.join(plain) + BAR  # the others go through the rules
    data = joined.encode("ascii")
    kinds = data.translate(CHARACTER_KINDS)
    suspects = {index for index, title in enumerate(titles) if title is not plain[index]}
    if any(map(str.isupper, plain)):  # shouting
        suspects.update(index for index, title in enumerate(plain) if title.isupper())
    bars = list(itertools.accumulate([len(title) + 1 for title in plain[:-1]], initial=0))  # the bar before each title
    last = len(titles) - 1
    for trigger in TRIGGERS:
        at = kinds.find(trigger)
        while at >= 0:
            # The titles holding the trigger's first and last character (a bar: the title after it).
            suspects.update(min(bisect_right(bars, end) - 1, last) for end in (at, at + len(trigger) - 1))
            at = kinds.find(trigger, at + 1)
    if not CAPITALIZED_SMALL_WORDS.isdisjoint(data.translate(LETTERS_ONLY).split()):
        suspects.update(index for index, title in enumerate(plain) if _holds_capitalized_small_word(title))
    left_alone = [True] * len(titles)
    for index in suspects:
        left_alone[index] = False
    return left_alone


def _holds_capitalized_small_word(text: str) -> bool:
    """Whether ASCII text holds one of SMALL_WORDS as a whole word starting with a capital ("Of", "OF")."""
    return not CAPITALIZED_SMALL_WORDS.isdisjoint(text.encode("ascii").translate(LETTERS_ONLY).split())


def list_shouts(titles: list[str]) -> bool:
    """Whether a list prints its titles in capitals: three or more, and four in five of them."""
    worded = [title for title in titles if has_three_letters(title)]
    shouting = sum(1 for title in worded if not has_lower_case(title))
    return len(worded) >= 3 and shouting * 5 >= len(worded) * 4


def has_three_letters(text: str) -> bool:
    """Whether the text holds three letters or more (most titles start with three)."""
    return len(text) >= 3 and text[:3].isalpha() or THREE_LETTERS_RE.search(text) is not None


def has_lower_case(text: str) -> bool:
    """Whether any character of the text is a lower-case one."""
    if text.isascii():
        return text.upper() != text
    return any(map(str.islower, text))


def normalize_entry(entry: Entry, shouts: bool = False) -> Entry:
    title, changes = normalize_title(entry.title_raw, list_shouts=shouts)
    return _with_title(entry, title, changes)


def _with_title(entry: Entry, title: str, changes: list[Change]) -> Entry:
    if title == entry.title and changes == entry.changes:
        return entry  # most titles: no rule changed anything
    return entry.model_copy(update={"title": title, "changes": changes})
