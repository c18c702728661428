"""The text after a rank → the title as printed, and the extras printed around it.

`54: *Doctor Sleep* (director's cut) | ★★` gives the title "Doctor Sleep" and
the extras "(director's cut)" and "★★"; `3. 28 Weeks Later (2007)` gives
"28 Weeks Later" and a year; `10. The "Adric" Virus: Only present if…` gives
the title before the colon when what follows is running prose.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Final

from .labels import KIND_WORDS, MEDIA_FORMAT_WORDS, STREAMING_SERVICES

MAX_EMPHASIS: Final = 400  # characters one emphasised run may hold
# A Markdown heading; `heading_text` strips its closing hashes (a lazy title before "\s*#*\s*$" is cubic).
HEADING_RE: Final = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$")
WIKI_LINK_RE: Final = re.compile(r"\[\[([^\[\]|]{1,200})(?:\|([^\[\]]{1,200}))?\]\]")  # [[Page]], [[Page|shown]]
LINK_RE: Final = re.compile(r"!?\[((?:[^\[\]]|\[[^\]]*\])*)\]\([^)]*\)")
# Emphasis: "*x*", "**x**", and "_x_"/"__x__" only when not inside a word ("__del__" stays).
# The emphasised run is bounded: unbounded, "*a*a*a…" makes every opener scan to the end of the line.
EMPHASIS_RE: Final = re.compile(rf"(\*\*|\*|(?<!\w)__|(?<!\w)_)(?=\S)(.{{1,{MAX_EMPHASIS}}}?)(?<=\S)\1(?!\w)")
STRAY_MARKUP_RE: Final = re.compile(r"(?<![\w*])\*{1,3}|\*{1,3}(?![\w*])")
CODE_SPAN_RE: Final = re.compile(r"`([^`]*)`")
CODE_TAG_RE: Final = re.compile(r"</?code\b[^>]*>", re.IGNORECASE)
ESCAPE_RE: Final = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
HTML_TAG_RE: Final = re.compile(r"</?[a-zA-Z][^>]*>")
IAL_RE: Final = re.compile(  # kramdown/Pandoc attributes: {:target="_blank"}
    r"\{:[^{}\n]{0,200}\}|\{#[\w-]+[^{}\n]{0,200}\}")
TRAILING_PAREN_RE: Final = re.compile(r"\s*\(([^()]*)\)\s*$")
LEADING_PIPE_RE: Final = re.compile(r"^\|\s*(.*)$")
ABBREVIATION_END_RE: Final = re.compile(r"(?:^|[\s.])[A-Z]\.$")  # "… R.U.R.", "… John F.": an initial
PROSE_DASH_RE: Final = re.compile(r"\s+[-–—]\s+")  # "Title – A sentence about it."
PIPE_EXTRA_RE: Final = re.compile(r"\s+\|\s+(.*)$")
BY_AUTHOR_RE: Final = re.compile(r"^\s*,?\s*[Bb]y\s+(.+?)(?:\s*[.:;]\s+|\s*[.:;]?\s*$|\s+(?=[a-z]))")
YEAR_RE: Final = re.compile(r"^(1[89]\d\d|20\d\d)$")
YEAR_INSIDE_RE: Final = re.compile(r"(?<![\d-])(1[89]\d\d|20\d\d)(?![\d-])")
QUOTE_OPENERS: Final = "\"“„«»《「『"  # QUOTED_RE's first class
QUOTED_RE: Final = re.compile(  # "T", «T», 《T》
    r"^([\"“„«»《「『])(?P<inner>[^\"“”„«»《》「」『』]{1,200})([\"”“»«》」』])")
PERCENT_RE: Final = re.compile(r"^\d+(?:[.,]\d+)?\s*%$")
LEADING_YEAR_RE: Final = re.compile(r"^((?:1[89]|20)\d\d)(?!\d)[\s,/]*")
NUMBER_RE: Final = re.compile(r"^\d{1,6}$")
ROMAN_NUMBER_RE: Final = re.compile(r"^(?:I{1,3}|IV|V|VI{0,3}|IX|X)$")
TRAILING_BRACKET_RE: Final = re.compile(r"\s*\[([^\[\]]{1,12})\]\s*$")
FOOTNOTE_RE: Final = re.compile(
    r"^(?:\d{1,3}|[a-z]|[ivx]{1,4}|\*|†|pdf|video|audio|paywall|pay|free|nsfw)$", re.IGNORECASE)
VERSION_WORDS: Final = frozenset("part season chapter volume vol episode book edition version cut remastered extended "
                                 "uncut director's special deluxe trilogy collection series".split())
OTHER_SCRIPTS: Final = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "CYRILLIC", "GREEK", "ARABIC", "HEBREW", "THAI",
                        "DEVANAGARI")
LEAD_IN_RE: Final = re.compile(r"(?<=[.!?)])\s+([A-Z][\w'’-]*(?: [\w'’-]+){0,2}:)\s*$")  # "… (tm).  Bonus:"
LABELLED_RE: Final = re.compile(r"^([A-Za-z][\w ]{1,30}?)\s*:\s*(.+)$")
RATING_RE: Final = re.compile(r"[★☆✩✭]|\bstars?\b|^\s*\d+(?:\.\d+)?\s*/\s*\d+\s*$", re.IGNORECASE)
SERVICE_SUFFIX_RE: Final = re.compile(
    r"\s+[-–—]\s+(" + "|".join(re.escape(name) for name in sorted(STREAMING_SERVICES, key=len, reverse=True))
    + r")\s*$",
    re.IGNORECASE,
)
LEADING_MARKUP: Final = "![*_" + QUOTE_OPENERS  # what a match of LINK_RE, EMPHASIS_RE or QUOTED_RE starts with
MEDIA_RE: Final = re.compile(
    r"^(?:\d+\s+)?(?:" + "|".join(re.escape(word) for word in MEDIA_FORMAT_WORDS) + r")\b",
    re.IGNORECASE,
)


@dataclass(slots=True)
class TitleParts:
    """A title as printed, where it sits in the title part, and the extras around it (its `__init__`
    written out, as `read.Line`'s is)."""

    title: str
    start: int  # offsets within the title part
    end: int
    extras: list[tuple[str, str, str]] = field(default_factory=list)  # (label, raw, value)
    description: str = ""

    def __init__(self, title: str, start: int, end: int, extras: list[tuple[str, str, str]] | None = None,
                 description: str = "") -> None:
        self.title = title
        self.start = start
        self.end = end
        self.extras = [] if extras is None else extras
        self.description = description


def split_title(part: str, continues: bool = False, colon_may_end: bool = True) -> TitleParts:
    """Split the text after a rank into title, extras and leading description.

    `continues` says the line runs on into a wrapped paragraph, a sign that a
    colon in it ends the title rather than belonging to it; `colon_may_end`
    False says the list is one of sentences, where a colon is part of one.
    """
    lead = _leading_markup_span(part)
    if lead:
        start, end, inner = lead
        inside: list[tuple[str, str, str]] = []
        if part.lstrip().startswith("["):  # a link often holds the whole head: "[Title (2019)](url)"
            inner = _strip_trailing_extras(inner, inside)
        parts = TitleParts(clean_markup(inner, entities=False), start, end, inside)
        _read_remainder(part[end:], parts)
        return parts
    body = part.rstrip()
    # Bold or italic wrapping the whole title part ("**Title**").
    stripped = body.strip("*_ ")
    offset = body.find(stripped) if stripped else 0
    body = stripped
    extras: list[tuple[str, str, str]] = []
    body, lead_in = _split_lead_in(body)
    body, description = _split_prose(body, continues) if colon_may_end else (body, "")
    if lead_in:
        description = f"{description} {lead_in}" if description else lead_in
    body = _strip_trailing_extras(body, extras)
    title = clean_markup(body, entities=False)
    return TitleParts(title, offset, offset + len(body), extras, description)


def heading_text(heading: re.Match) -> str:
    """The text of a heading matched by HEADING_RE, without its closing hashes and spaces.

    >>> heading_text(HEADING_RE.match("## Best of 2019 ##  "))
    'Best of 2019'
    """
    return heading.group(2).rstrip().rstrip("#").rstrip()


def without_heading_marker(line: str) -> str:
    """A line's text without the Markdown heading marks around it, if it is a heading."""
    heading = HEADING_RE.match(line)
    return heading_text(heading) if heading else line


def clean_markup(text: str, entities: bool = True) -> str:
    """Remove Markdown/HTML inline markup (and decode entities), keeping the words as printed."""
    if not text:
        return text  # a third of the calls: a field or description left empty
    if "[" in text:
        if "[[" in text:
            text = WIKI_LINK_RE.sub(lambda m: m.group(2) or m.group(1), text)
        text = LINK_RE.sub(r"\1", text)
    if "<" in text:
        text = HTML_TAG_RE.sub("", CODE_TAG_RE.sub("`", text))
    if "{" in text:
        text = IAL_RE.sub("", text)
    if "`" in text:
        # Code spans are literal: clean around them, never inside.
        pieces = CODE_SPAN_RE.split(text)
        return " ".join("".join(
            piece if index % 2 else _clean_emphasis(piece, entities)
            for index, piece in enumerate(pieces)).split())
    text = _clean_emphasis(text, entities)
    # Printable text has no white space but single spaces to collapse ("\u00a0", "\u2028" are not printable).
    if "  " in text or "\t" in text or "\n" in text or not (text.isascii() or text.isprintable()):
        return " ".join(text.split())  # each run of white space one space, none at the ends
    return text.strip()


def _clean_emphasis(text: str, entities: bool) -> str:
    if "*" in text or "_" in text:
        text = EMPHASIS_RE.sub(r"\2", text)
        text = EMPHASIS_RE.sub(r"\2", text)
        text = STRAY_MARKUP_RE.sub("", text)
    if "\\" in text:
        text = ESCAPE_RE.sub(r"\1", text)
    if entities and "&" in text:
        text = _unescaped(text)
    return text


def _unescaped(text: str) -> str:
    """`html.unescape(text)`, without its regex and callback when every "&" opens an apostrophe or a double
    quote written as a number (`&#39;`, `&#34;`: most of the entities prose holds)."""
    apostrophes, quotes = text.count("&#39;"), text.count("&#34;")
    if apostrophes + quotes == text.count("&"):
        return text.replace("&#39;", "'").replace("&#34;", '"')
    return html.unescape(text)


def _leading_markup_span(part: str) -> tuple[int, int, str] | None:
    """A link or emphasis that opens the title part and is followed by more text."""
    text = part.lstrip()
    if text[:1] not in LEADING_MARKUP:
        return None  # most titles: none of the three regexes could match
    offset = len(part) - len(text)
    quoted = QUOTED_RE.match(text)
    if quoted and (text[0] in "《「『" or text[quoted.end():].strip()[:1] in ("-", "–", "—", "(", "|", ",", ":", "b")):
        # '"Bohemian Rhapsody" – Queen', '"Title" (1975)', '"Title" by Artist': the quotes delimit the title.
        return offset + quoted.start(), offset + quoted.end(), quoted.group("inner")
    match = LINK_RE.match(text) or EMPHASIS_RE.match(text)
    if not match:
        return None
    rest = text[match.end():].strip()
    if (not rest or rest.strip("*_") == "") and LINK_RE.match(text) is None:
        return None  # "*Title*" alone: the general path strips it
    inner = match.group(1) if match.re is LINK_RE else match.group(2)
    if match.re is EMPHASIS_RE and match.group(1) in ("**", "__") and rest[:1].isalnum() and not rest.startswith(
            ("by ", "von ", "de ", "di ", "par ", "por ")):
        return None  # "**Title** more title" is bold emphasis, not a title boundary
    return offset + match.start(), offset + match.end(), inner


def _read_remainder(rest: str, parts: TitleParts) -> None:
    """Extras after a marked-up title: "by Author", "(note)", "| rating", then prose."""
    rest = rest.strip()
    year = LEADING_YEAR_RE.match(rest)
    if year:  # 《霸王别姬》1993
        parts.extras.append(("year", year.group(1), year.group(1)))
        rest = rest[year.end():].strip()
    by = BY_AUTHOR_RE.match(rest)
    if by:
        author = clean_markup(by.group(1))
        parts.extras.append(("author", by.group(1), author))
        rest = rest[by.end():].strip()
    while rest.startswith("("):
        close = rest.find(")")
        if close < 0:
            break
        inner = rest[1:close].strip()
        parts.extras.append(_paren_extra(inner) or ("note", f"({inner})", inner))
        rest = rest[close + 1:].strip()
    pipe = LEADING_PIPE_RE.match(rest)
    if pipe:
        parts.extras.append(_pipe_extra(pipe.group(1)))
        rest = ""
    parts.description = clean_markup(rest.lstrip(":.–—- "))


def _split_lead_in(body: str) -> tuple[str, str]:
    """`A full sentence. Bonus:` → the sentence, and the lead-in to what follows it."""
    lead_in = LEAD_IN_RE.search(body) if body.rstrip().endswith(":") else None  # the search tries every position
    if not lead_in:
        return body, ""
    return body[:lead_in.start()].rstrip(), lead_in.group(1).strip()


def _split_prose(body: str, continues: bool) -> tuple[str, str]:
    """`Title: running prose…` or `Title – running prose.` → (Title, prose), only when what follows
    reads as prose."""
    dash = PROSE_DASH_RE.search(body) if "-" in body or "–" in body or "—" in body else None
    if dash and dash.start() > 0:
        tail = body[dash.end():].strip()
        if len(tail.split()) >= 6 and tail.endswith((".", "!", "?")) and len(body[:dash.start()].split()) <= 8:
            return body[:dash.start()].rstrip(), clean_markup(tail)
    colon = body.find(": ")
    if colon <= 0:
        return body, ""
    head, tail = body[:colon], body[colon + 2:].strip()
    tail_words = len(tail.split())
    if len(head.split()) > 8 or tail_words < 3:
        return body, ""
    if continues or (tail_words >= 8 and _reads_as_sentence(tail)):
        return head, clean_markup(tail)
    return body, ""


def _reads_as_sentence(text: str) -> bool:
    """Ends a sentence ("… worth it.", not "… R.U.R.") and is written in sentence case, not title case."""
    if not text.endswith(".") or ABBREVIATION_END_RE.search(text):
        return False
    words = [word for word in text.split() if word[:1].isalpha()]
    return sum(word[0].islower() for word in words) * 3 >= len(words)


def _strip_trailing_extras(body: str, extras: list[tuple[str, str, str]]) -> str:
    """Peel "| rating", "– Netflix" and recognised "(…)" extras off the end of a title.

    Each regex is tried only on a title holding the mark it needs (a pipe, a dash, a closing bracket at the end)."""
    pipe = PIPE_EXTRA_RE.search(body) if "|" in body else None
    if pipe and pipe.start() > 0:
        extras.append(_pipe_extra(pipe.group(1)))
        body = body[:pipe.start()]
    peeled: list[tuple[str, str, str]] = []
    while True:
        service = SERVICE_SUFFIX_RE.search(body) if "-" in body or "–" in body or "—" in body else None
        if service and service.start() > 0:
            peeled.append(("streaming", service.group(1), service.group(1)))
            body = body[:service.start()]
            continue
        closing = body.rstrip()[-1:]
        if closing == ")":
            paren = TRAILING_PAREN_RE.search(body)
        elif closing == "]":
            paren = TRAILING_BRACKET_RE.search(body)
        else:
            break
        if not paren or paren.start() == 0:
            break
        extra = _paren_extra(paren.group(1).strip()) if paren.re is TRAILING_PAREN_RE else _bracket_extra(
            paren.group(1).strip())
        if not extra:
            break
        peeled.append(extra)
        body = body[:paren.start()]
    extras.extend(reversed(peeled))
    return body.rstrip(" -–—:,")


def _bracket_extra(inner: str) -> tuple[str, str, str] | None:
    """`[a]`, `[12]`, `[pdf]`: a footnote mark or a format note after a title, never part of it."""
    if FOOTNOTE_RE.match(inner):
        return ("note", f"[{inner}]", inner)
    return None


def _paren_extra(inner: str) -> tuple[str, str, str] | None:
    """Name a parenthesised extra, or None when it reads as part of the title."""
    raw = f"({inner})"
    if YEAR_RE.match(inner):
        return ("year", raw, inner)
    if inner.lower() in KIND_WORDS:
        return ("kind", raw, inner)
    if YEAR_INSIDE_RE.search(inner) and len(inner.split()) <= 5 and not LABELLED_RE.match(inner):
        return ("year", raw, inner)  # "(Netflix, 2020)", "(2019 film)": the year, the rest kept as extra
    if PERCENT_RE.match(inner):
        return ("share", raw, inner)
    labelled = LABELLED_RE.match(inner)
    if labelled:
        return (labelled.group(1).strip(), raw, labelled.group(2).strip())
    if MEDIA_RE.match(inner) and len(inner.split()) <= 5:
        return ("format", raw, inner)
    if len(inner.split()) >= 6:
        return ("comment", raw, inner)
    if NUMBER_RE.match(inner):
        return ("number", raw, inner)  # "Georgia (52)": first-place votes, a count, a seed
    if ROMAN_NUMBER_RE.match(inner):
        return ("disambiguation", raw, inner)  # "Widows (I)": the first of several works of that name
    if _reads_as_other_name(inner):
        return ("alternative title", raw, inner)
    return None


def _reads_as_other_name(inner: str) -> bool:
    """"(Shigatsu wa Kimi no Uso)", "(千と千尋の神隠し)": another name of the work, in another language or script."""
    words = inner.split()
    if any(ch.isdigit() for ch in inner) or any(word.lower() in VERSION_WORDS for word in words):
        return False
    if not inner.isascii() and any(unicodedata.name(ch, "").startswith(OTHER_SCRIPTS) for ch in inner):
        return True
    return len(words) >= 3 and words[0][:1].isupper() and sum(word[:1].isupper() for word in words) >= 2


def _pipe_extra(text: str) -> tuple[str, str, str]:
    value = clean_markup(text)
    return ("rating" if RATING_RE.search(value) else "note", text, value)
