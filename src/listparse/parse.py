"""Text → Document: front matter, headline, author, URL, date, and the ranked entries."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any, Final

from .chains import (
    Chain,
    headline_number,
    ranked_chains,
    with_gaps_filled,
    with_uniform_members,
    with_unnumbered_finale,
)
from .confidence import assess, lowered, table_rival_columns
from .dates import MONTHS, with_iso_date
from .entries import build_entries
from .models import Document, Entry, Located, Span
from .ranks import Candidate, as_markdown_renders, find_candidates, match_rank_line
from .read import Line, Text, read_bytes
from .template import Template
from .titles import HEADING_RE, clean_markup, heading_text, without_heading_marker

log = logging.getLogger(__name__)

FRONT_MATTER_FENCES: Final = {"---": "---", "+++": "+++"}
YAML_TAG_RE: Final = re.compile(r"^!\s*")
FRONT_MATTER_PAIR_RE: Final = re.compile(r"""^([A-Za-z_][\w-]*)\s*[:=]\s*(.*?)\s*$""")
AUTHOR_LINE_RE: Final = re.compile(
    r"""^[>\s*_✍️]*                                       # quote, emphasis, a pen emoji
        (?=[ABDEPTVWÉ著作筆投執文記글])                     # the words' first letters: most lines fail here, fast
        (?:Author|Autor|Autora|Autorin|Auteur|Autrice|Autore|Verfasser|Words|Text|Texto|Texte|Written[ \t]+by
          |Posted[ \t]+by|Escrito[ \t]+por|Écrit[ \t]+par|By|Por|Par|Von|Door|Af
          |著者|作者|筆者|投稿者|執筆者|文|記者|글)(?![^\W\d_])  # a whole word
        [*_]*[ \t]*(?:[:：\-–][ \t]*)?(?:[*_]+[ \t]*)?  # emphasis, a colon: each run of spaces after a mark
        (?P<value>\S.{0,80}?)\s*$""",
    re.IGNORECASE | re.VERBOSE)
# "Posted to rec.humor by Gus Oyelaran", "Film Desk · by Marcus Grant · 11 min": a byline inside a line.
BYLINE_RE: Final = re.compile(r"(?:^|[\s·|—–(-])(?i:by|por|par|von|door)[ \t]+[*_\[]*(?P<value>[A-ZÀ-ÞĀ-Ž][^\n]{1,80})")
CJK_NAME_RE: Final = re.compile(r"^[^\s（(／/|｜・]{1,12}(?:[ \u3000][^\s（(／/|｜・]{1,12})?")
BYLINE_LINES: Final = 15  # a byline inside a line counts only among the first lines
MAX_BYLINE: Final = 160
URL_LINE_RE: Final = re.compile(
    r"""^[>\s*_]*(?:(?:URL|Source|Link|Canonical|Permalink)[*_]*\s*:
                  |Originally\s+(?:published|posted)\s+(?:at|on|in)\s*:?
                  |(?=https?://))                   # a bare URL, near the top only
        \s*<?(?P<value>https?://[^\s>]+)>?\s*$""",
    re.IGNORECASE | re.VERBOSE)
DATE_LINE_RE: Final = re.compile(
    r"^[>\s*_]*(?:Date|Published(?:\s+on)?|Posted(?:\s+on)?|Updated(?:\s+on)?)[*_]*\s*:\s*(?P<value>\S.{3,40}?)\s*$",
    re.IGNORECASE)
LINE_MARKS: Final = {"author": "", "url": "://", "date": ":"}  # what every line each regex matches holds: a cheap test
# The ASCII letters the labels of each regex open with, in either case, past the quote markers, emphasis and
# white space before them: a line opening with any other ASCII character but white space is not tried (most
# lines of prose), which spares it the regex's call.
LABEL_LETTERS: Final = {"author": "ABDEPTVW", "url": "CHLOPSU", "date": "DPU"}
LEADING_MARKS: Final = " \t>*_"
NOT_LABEL_OPENINGS: Final = {
    key: frozenset(ch for ch in map(chr, range(128)) if not ch.isspace() and ch not in LEADING_MARKS
                   and ch.upper() not in letters) for key, letters in LABEL_LETTERS.items()}
SPACE_RE: Final = re.compile(r"\s+")
TOP_LINES: Final = 8  # a bare URL counts as the document's own only among its first lines
NAME_WORD_RE: Final = re.compile(r"^(?:[A-ZÀ-Þ][\w.'’-]*|[A-Z]\.|de|van|von|der|da|del|di|la|le|du|bin|al)$")


WHOLE_PAGE_NOTE: Final = "no list among the article's text; found one with the page rendered whole"


def parse_bytes(data: bytes, source: str, sha256: str | None = None, known_format: str | None = None) -> Document:
    """Read and parse one document's bytes (`known_format`: "html" etc. when the name does not say). A page
    whose furniture rules hid its list is rendered whole and parsed again, rather than reported as having no list."""
    document = parse_text(read_bytes(data, source, sha256, known_format=known_format))
    if document.status != "no-list" or document.format != "html":
        return document
    whole = parse_text(read_bytes(data, source, sha256, whole_page=True, known_format=known_format))
    if not whole.entries:
        return document
    note = WHOLE_PAGE_NOTE + " (furniture included)"
    confidence, reasons = lowered(whole.confidence, 0.15, "the list was found only with the page rendered whole",
                                  whole.confidence_reasons)
    return whole.model_copy(update={"warnings": [note, *whole.warnings], "confidence": confidence,
                                    "confidence_reasons": reasons})


def parse_text(text: Text) -> Document:
    """Parse one decoded document; one without a ranked list gets the status "no-list"."""
    lines = text.lines
    texts = [line.text for line in lines]
    front, skip = read_front_matter(lines)
    headline = _headline(text, front, skip)
    candidates = find_candidates(lines, skip)
    if text.format == "markdown":
        candidates = as_markdown_renders(candidates)
    chains = ranked_chains(candidates, lines, headline_number(headline.value if headline else None))
    marked_up = _item_list_chain(text, skip)
    if marked_up and (not chains or len(marked_up) > len(chains[0])):
        chains.insert(0, marked_up)  # the page's own schema.org ItemList says more than its text
    if chains:
        chains[0] = with_unnumbered_finale(with_gaps_filled(with_uniform_members(chains[0], candidates), candidates),
                                           lines)
    chain = chains[0].entries if chains else []
    log.debug("%s: %d numbered line(s), %d chain(s); chose %d entries", text.source, len(candidates),
              len(chains), len(chain))
    found: dict[str, Any] = {
        "source": text.source,
        "sha256": text.sha256,
        "format": text.format,
        "encoding": text.encoding,
        "headline": headline,
        "author": _located(text, texts, front, "author", AUTHOR_LINE_RE, skip) or _byline(
            text, skip, chain[0].index if chain else len(lines)),
        "url": _located(text, texts, front, "url", URL_LINE_RE, skip),
    }
    found["date"], date_warnings = with_iso_date(_located(text, texts, front, "date", DATE_LINE_RE, skip))
    if not chain:
        reason = "no ranked list found" if not candidates else (
            f"no ranked list found ({len(candidates)} numbered line(s), but no two in sequence)")
        return Document(**found, status="no-list", message=reason, warnings=[*text.warnings, *date_warnings])
    entries, template = build_entries(text, chain, headline.value if headline else None)
    expected = headline_number(headline.value if headline else None)
    rows = [lines[candidate.index].text for candidate in chain] if chain[0].style[0] == "table" else []
    confidence, reasons = assess(chains[0], chains[1:], template, entries, expected, table_rival_columns(rows))
    return Document(
        **found,
        order="descending" if chain[0].rank > chain[-1].rank else "ascending",
        confidence=confidence,
        confidence_reasons=reasons,
        decisions=_decisions(lines, chains, template),
        entries=entries,
        warnings=[*text.warnings, *date_warnings, *_skipped_warnings(lines, candidates, chain),
                  *_other_list_warnings(lines, chains), *_unknown_label_warnings(entries)],
    )


def _decisions(lines: list[Line], chains: list[Chain], template: Template) -> list[str]:
    """Why this list was chosen over the others, and how its titles were read."""
    chosen = chains[0]
    first, last = lines[chosen.entries[0].index].number, lines[chosen.entries[-1].index].number
    decisions = [f"list: lines {first}-{last}, score {chosen.score}: " + "; ".join(chosen.reasons)]
    taken = set(chosen.indexes)
    for other in chains[1:4]:
        if len(other) >= 2 and not taken & set(other.indexes):
            start, end = lines[other.entries[0].index].number, lines[other.entries[-1].index].number
            decisions.append(f"not chosen: lines {start}-{end}, score {other.score}: " + "; ".join(other.reasons))
    decisions.extend(f"titles: {reason}" for reason in template.reasons)
    return decisions


def _item_list_chain(text: Text, skip: int) -> Chain | None:
    """Candidates from the page's schema.org ItemList: each name found on a visible line."""
    if len(text.item_list) < 2:
        return None
    from .keys import title_key

    wanted = {title_key(name): (position, name) for position, name in text.item_list}
    found = []
    for index in range(skip, len(text.lines)):
        line = text.lines[index].text
        key = title_key(clean_markup(without_heading_marker(line)).lstrip("-•* ").strip())
        if key in wanted:
            position, name = wanted.pop(key)
            start = line.find(name) if name in line else len(line) - len(line.lstrip("#-*• "))
            heading = HEADING_RE.match(line)
            found.append(Candidate(index=index, rank=position, rank_text=f"position {position}",
                                   style=("item-list",), title_start=start, title_part=line[start:],
                                   heading_level=len(heading.group(1)) if heading else 0, rank_only=False))
    if len(found) < 2:
        return None
    return Chain(found, reasons=["the page's schema.org ItemList names these entries"])


def read_front_matter(lines: list[Line]) -> tuple[dict[str, tuple[str, Line]], int]:
    """YAML (---) or TOML (+++) front matter as flat key → (value, line); and where the body starts."""
    if not lines or lines[0].text.strip() not in FRONT_MATTER_FENCES:
        return {}, 0
    fence = lines[0].text.strip()
    for index in range(1, min(len(lines), 200)):
        if lines[index].text.strip() == FRONT_MATTER_FENCES[fence]:
            break
    else:
        return {}, 0
    front: dict[str, tuple[str, Line]] = {}
    for line in lines[1:index]:
        pair = FRONT_MATTER_PAIR_RE.match(line.text)
        if pair and pair.group(2):
            value = pair.group(2).strip().strip("'\"")
            value = YAML_TAG_RE.sub("", value).strip("'\"")  # YAML "! 'tagged'" strings
            front.setdefault(pair.group(1).lower(), (value, line))
    return front, index + 1


def _headline(text: Text, front: dict, skip: int) -> Located | None:
    if "title" in front:
        value, line = front["title"]
        return _at_line(value, line, "front matter")
    headings = [(line, len(heading.group(1)), clean_markup(heading_text(heading))) for line in text.lines[skip:]
                if not line.literal and "#" in line.text and (heading := HEADING_RE.match(line.text))]
    page_title = (text.head.get("og_title") or text.head.get("title") or ("", ""))[0]
    if page_title and headings:
        # A blog's or site's name may be the <h1>: the heading the page's title names is the headline.
        from rapidfuzz import fuzz

        line, _, value = max(headings, key=lambda h: (fuzz.ratio(h[2], page_title), -h[1]))
        if fuzz.ratio(value, page_title) >= 80:
            return _at_line(value, line, "heading")
    level_one = [(line, value) for line, level, value in headings if level == 1]
    if level_one:
        return _at_line(level_one[0][1], level_one[0][0], "heading")
    for key in ("og_title", "title"):
        if key in text.head:
            value, origin = text.head[key]
            return Located(value=value, raw=value, origin=origin)
    for line in text.lines[skip:]:
        stripped = line.text.strip()
        if stripped:
            if len(stripped) <= 200 and not match_rank_line(stripped):
                return _at_line(clean_markup(without_heading_marker(stripped)), line, "first line")
            break
    return None


def _located(text: Text, texts: list[str], front: dict, key: str, line_re: re.Pattern, skip: int) -> Located | None:
    """A document fact from front matter, the HTML head, or a labelled line (`texts`: the lines' texts)."""
    for front_key in {"author": ("author", "authors", "autor", "autora", "auteur", "autore", "autorin"),
                      "url": ("url", "canonical", "permalink"),
                      "date": ("date", "published", "publishdate")}[key]:
        if front_key in front:
            value, line = front[front_key]
            if key != "url" or value.startswith("http"):
                return _at_line(value, line, "front matter")
    if key in text.head and not (key == "author" and text.head[key][0].startswith(("http", "/", "@"))):
        value, origin = text.head[key]
        return Located(value=value, raw=value, origin=origin)
    for index, match in _matches(line_re, texts, skip, LINE_MARKS[key], NOT_LABEL_OPENINGS[key]):
        bare_url = key == "url" and match.group(0).lstrip("> *_").startswith("http")
        if bare_url and _nonempty(texts[skip:index + 1]) > TOP_LINES:
            continue
        value = clean_markup(match.group("value"))
        if key == "author":
            value = _author_name(value)
            if not value:
                continue
        return _at_line(value, text.lines[index], "labelled line", value if key == "author" else match.group("value"))
    return None


def _matches(line_re: re.Pattern, texts: list[str], skip: int, mark: str,
             not_openings: frozenset[str]) -> Iterator[tuple[int, re.Match]]:
    """Each text from `skip` on that holds `mark` and `line_re` matches, with its position; a blank text,
    or one whose first character past its leading marks is among `not_openings`, is not tried. No leading
    mark is among them, so a text whose very first character is among them opens with it: most lines are
    ruled out so, before an `lstrip`."""
    return ((index, match) for index in range(skip, len(texts))
            if (text := texts[index]) and mark in text and text[0] not in not_openings
            and text.lstrip(LEADING_MARKS)[:1] not in not_openings and (match := line_re.match(text)))


def _nonempty(texts: list[str]) -> int:
    """How many of the texts are not blank."""
    return sum(1 for text in texts if text.strip())


def _author_name(byline: str) -> str:
    """The name a labelled byline starts with: "Graham Oduya, Senior Editor", "山本 健太 ／ ブログ"."""
    name = leading_name(byline)
    if name or not byline or byline[0].isascii():
        return name
    cjk = CJK_NAME_RE.match(byline)
    return cjk.group() if cjk and cjk.group()[0].isalpha() else ""


def _byline(text: Text, skip: int, list_start: int) -> Located | None:
    """A byline inside one of the first lines, before the list ("Compiled by Wes Tanaka-Bright for …")."""
    seen = 0
    for line in text.lines[skip:list_start]:
        if not line.text.strip():
            continue
        seen += 1
        if seen > BYLINE_LINES:
            break
        if len(line.text) > MAX_BYLINE:
            continue
        match = BYLINE_RE.search(line.text)
        if match:
            name = leading_name(clean_markup(match.group("value")))
            if name and " " in name:
                return _at_line(name, line, "byline")
    return None


def leading_name(byline: str) -> str:
    """The person's name at the start of a byline ("Graham Oduya, Senior Editor" → "Graham Oduya")."""
    words = []
    for word in byline.replace("*", " ").split():
        bare = word.rstrip(",;|")
        if not NAME_WORD_RE.match(bare) or bare.lower().strip(".") in MONTHS:
            break
        if bare.endswith(".") and len(bare) > 3:  # "Halloran." ends a sentence; "J." and "Jr." do not
            words.append(bare.rstrip("."))
            break
        words.append(bare)
        if bare != word or len(words) == 5:
            break
    while words and words[-1][:1].islower():
        words.pop()
    return " ".join(words) if words and words[0][:1].isupper() else ""


def _at_line(value: str, line: Line, origin: str, raw: str | None = None) -> Located:
    raw = raw if raw is not None else value
    offset = max(line.text.find(raw), 0)
    span = Span(line=line.number, start=line.start + offset, end=line.start + offset + len(raw))
    return Located(value=value, raw=raw, span=span, origin=origin)


def _skipped_warnings(lines: list[Line], candidates: list[Candidate], chain: list[Candidate]) -> list[str]:
    """Say which numbered lines of the list's own style were left out, and why."""
    chosen = {candidate.index for candidate in chain}
    style = chain[0].style
    warnings = []
    for candidate in candidates:
        if candidate.index not in chosen and candidate.style == style:
            warnings.append(f"line {lines[candidate.index].number}: numbered line "
                            f"{lines[candidate.index].text.strip()[:60]!r} does not continue the list's sequence")
    return warnings[:50]


def _other_list_warnings(lines: list[Line], chains: list[Chain]) -> list[str]:
    """Say where other numbered lists were, and that they were not used."""
    chosen = set(chains[0].indexes)
    warnings = []
    for other in chains[1:]:
        chain = other.entries
        if len(chain) < 3 or chosen & {candidate.index for candidate in chain}:
            continue
        first, last = lines[chain[0].index].number, lines[chain[-1].index].number
        warnings.append(f"lines {first}-{last}: another numbered list ({len(chain)} items, "
                        f"{chain[0].rank} to {chain[-1].rank}) was not used")
    return warnings[:10]


def _unknown_label_warnings(entries: list[Entry]) -> list[str]:
    return [f"line {field.span.line}: label {field.label!r} is not in the label table; kept as {field.name!r}"
            for entry in entries for field in entry.fields if not field.known]
