"""Text → Document: front matter, headline, author, URL, date, and the ranked entries."""

from __future__ import annotations

import bisect
import logging
import re
from typing import Any

from .metadata import make_field, read_fields
from .models import Document, Entry, Located, MetaField, Span
from .people import find_names
from .ranks import Candidate, find_candidates, headline_number, match_rank_line, ranked_chains
from .read import Line, Text
from .titles import clean_markup, split_title

log = logging.getLogger(__name__)

FRONT_MATTER_FENCES = {"---": "---", "+++": "+++"}
YAML_TAG_RE = re.compile(r"^!\s*")
FRONT_MATTER_PAIR_RE = re.compile(r"""^([A-Za-z_][\w-]*)\s*[:=]\s*(.*?)\s*$""")
HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
RULE_RE = re.compile(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
AUTHOR_LINE_RE = re.compile(
    r"^[>\s*_]*(?:Author|Words|Text|Written\s+by|Posted\s+by|By)[*_]*\s*[:\-–]?\s*[*_]*(?P<value>\S.{0,80}?)\s*$",
    re.IGNORECASE)
URL_LINE_RE = re.compile(
    r"""^[>\s*_]*(?:(?:URL|Source|Link|Canonical|Permalink)[*_]*\s*:
                  |Originally\s+(?:published|posted)\s+(?:at|on|in)\s*:?
                  |(?=https?://))                   # a bare URL, near the top only
        \s*<?(?P<value>https?://[^\s>]+)>?\s*$""",
    re.IGNORECASE | re.VERBOSE)
DATE_LINE_RE = re.compile(
    r"^[>\s*_]*(?:Date|Published(?:\s+on)?|Posted(?:\s+on)?|Updated(?:\s+on)?)[*_]*\s*:\s*(?P<value>\S.{3,40}?)\s*$",
    re.IGNORECASE)
SPACE_RE = re.compile(r"\s+")
MAX_META_LINE = 160
TOP_LINES = 8  # a bare URL counts as the document's own only among its first lines
NAME_WORD_RE = re.compile(r"^(?:[A-ZÀ-Þ][\w.'’-]*|[A-Z]\.|de|van|von|der|da|del|di|la|le|du|bin|al)$")
MONTHS = frozenset("january february march april may june july august september october november "
                   "december jan feb mar apr jun jul aug sep sept oct nov dec".split())


def parse_text(text: Text) -> Document:
    """Parse one decoded document; one without a ranked list gets the status "no-list"."""
    lines = text.lines
    front, skip = read_front_matter(lines)
    headline = _headline(text, front, skip)
    candidates = find_candidates(lines, skip)
    chains = ranked_chains(candidates, lines, headline_number(headline.value if headline else None))
    marked_up = _item_list_chain(text, skip)
    if marked_up and (not chains or len(marked_up) > len(chains[0])):
        chains.insert(0, marked_up)  # the page's own schema.org ItemList says more than its text
    chain = chains[0] if chains else []
    log.debug("%s: %d numbered line(s), %d chain(s); chose %d entries", text.source, len(candidates),
              len(chains), len(chain))
    found: dict[str, Any] = {
        "source": text.source,
        "sha256": text.sha256,
        "format": text.format,
        "encoding": text.encoding,
        "headline": headline,
        "author": _located(text, front, "author", AUTHOR_LINE_RE, skip),
        "url": _located(text, front, "url", URL_LINE_RE, skip),
        "date": _located(text, front, "date", DATE_LINE_RE, skip),
    }
    if not chain:
        reason = "no ranked list found" if not candidates else (
            f"no ranked list found ({len(candidates)} numbered line(s), but no two in sequence)")
        return Document(**found, status="no-list", message=reason, warnings=text.warnings)
    entries = [_entry(text, chain, position) for position in range(len(chain))]
    return Document(
        **found,
        order="descending" if chain[0].rank > chain[-1].rank else "ascending",
        entries=entries,
        warnings=[*text.warnings, *_skipped_warnings(lines, candidates, chain),
                  *_other_list_warnings(lines, chains), *_unknown_label_warnings(entries)],
    )


def _item_list_chain(text: Text, skip: int) -> list[Candidate]:
    """Candidates from the page's schema.org ItemList: each name found on a visible line."""
    if len(text.item_list) < 2:
        return []
    from .keys import title_key

    wanted = {title_key(name): (position, name) for position, name in text.item_list}
    found = []
    for index in range(skip, len(text.lines)):
        line = text.lines[index].text
        key = title_key(clean_markup(HEADING_RE.sub(r"\2", line)).lstrip("-•* ").strip())
        if key in wanted:
            position, name = wanted.pop(key)
            start = line.find(name) if name in line else len(line) - len(line.lstrip("#-*• "))
            heading = HEADING_RE.match(line)
            found.append(Candidate(index=index, rank=position, rank_text=f"position {position}",
                                   style=("item-list",), title_start=start, title_part=line[start:],
                                   heading_level=len(heading.group(1)) if heading else 0, rank_only=False))
    return found if len(found) >= 2 else []


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


def _entry(text: Text, chain: list[Candidate], position: int) -> Entry:
    lines = text.lines
    candidate = chain[position]
    end = chain[position + 1].index if position + 1 < len(chain) else _last_entry_end(lines, chain)
    title_line, title_start, title_part = lines[candidate.index], candidate.title_start, candidate.title_part
    body_start = candidate.index + 1
    if candidate.rank_only:
        found = _title_line_for_rank(lines, candidate, end)
        if found is not None:
            title_line, title_start = lines[found], 0
            title_part = HEADING_RE.sub(r"\2", title_line.text)
            title_start = title_line.text.find(title_part)
            if found > candidate.index:
                body_start = found + 1
    next_line = lines[candidate.index + 1].text if candidate.index + 1 < end else ""
    # A lower-case line that runs on means the entry line is part of wrapped prose.
    continues = next_line.lstrip()[:1].islower() and " " in next_line.strip()
    parts = split_title(title_part, continues)
    line_start = title_line.start + title_start
    span = Span(line=title_line.number, start=line_start + parts.start, end=line_start + parts.end)
    fields = [make_field(label, value, span) for label, _raw, value in parts.extras]
    if candidate.style[0] == "table":
        fields.extend(_table_fields(lines, candidate))
    body = [(line.number, line.start, line.text) for line in lines[body_start:end]
            if line is not title_line]
    block_fields = read_fields([item for item in body if len(item[2]) <= MAX_META_LINE])
    fields.extend(block_fields)
    field_starts = sorted(field.span.start for field in block_fields)
    prose_lines = [item for item in body if not _holds_any(item, field_starts)]
    prose = [clean_markup(HEADING_RE.sub(r"\2", line_text)) for _, _, line_text in prose_lines]
    description = "\n".join(part for part in [parts.description, *prose] if part)
    return Entry(
        rank=candidate.rank,
        rank_text=candidate.rank_text.strip(),
        title_raw=parts.title,
        title=parts.title,
        span=span,
        text=description,
        fields=fields,
        names=find_names(prose_lines, parts.title),
    )


def _table_fields(lines: list[Line], candidate: Candidate) -> list[MetaField]:
    """The other cells of a ranked table row, labelled by the table's header row."""
    line = lines[candidate.index]
    cells = [cell.strip() for cell in line.text.strip().strip("|").split("|")]
    header: list[str] = []
    for index in range(candidate.index - 1, max(-1, candidate.index - 500), -1):
        text = lines[index].text.strip()
        if not text.startswith("|"):
            break
        row = [cell.strip() for cell in text.strip("|").split("|")]
        if row and not row[0].strip("#.) ").isdigit() and not set(row[0]) <= set("-: "):
            header = row
    fields = []
    cursor = line.text.find(cells[1]) + len(cells[1]) if len(cells) > 1 else 0
    for position, cell in enumerate(cells[2:], start=2):
        if not cell:
            continue
        label = header[position] if position < len(header) and header[position] else f"column {position + 1}"
        start = line.text.find(cell, cursor)
        cursor = start + len(cell)
        fields.append(make_field(label, clean_markup(cell), Span(line=line.number, start=line.start + start,
                                                                 end=line.start + cursor)))
    return fields


def _holds_any(item: tuple[int, int, str], offsets: list[int]) -> bool:
    """Whether a (line, start, text) body line holds any of the sorted offsets."""
    position = bisect.bisect_left(offsets, item[1])
    return position < len(offsets) and offsets[position] <= item[1] + len(item[2])


def _title_line_for_rank(lines: list[Line], candidate: Candidate, end: int) -> int | None:
    """For a line that holds only a rank: the line that holds its title.

    In HTML the rank badge and the title share a container (`<li>`, `<article>`):
    the most prominent heading of that container wins. Elsewhere the title is
    the next non-empty line.
    """
    rank_line = lines[candidate.index]
    if rank_line.group is not None:
        members = [index for index in range(max(0, candidate.index - 30), min(len(lines), candidate.index + 30))
                   if lines[index].group == rank_line.group and index != candidate.index]
        headings = [(len(heading.group(1)), abs(i - candidate.index), i)
                    for i in members if (heading := HEADING_RE.match(lines[i].text))]
        headings = [h for h in headings if not match_rank_line(lines[h[2]].text)]
        if headings:
            return min(headings)[2]
        after = [i for i in members if i > candidate.index]
        if after:
            return after[0]
    for index in range(candidate.index + 1, min(end, candidate.index + 4)):
        if lines[index].text.strip():
            return index
    return None


def _last_entry_end(lines: list[Line], chain: list[Candidate]) -> int:
    """Where the last entry's block ends: a rule, a heading at least as prominent as it, or
    once it is as long as the longest other entry (what follows is the article's close)."""
    candidate = chain[-1]
    longest = max(b.index - a.index for a, b in zip(chain, chain[1:], strict=False))
    for index in range(candidate.index + 1, min(len(lines), candidate.index + longest)):
        line_text = lines[index].text
        if RULE_RE.match(line_text):
            return index
        heading = HEADING_RE.match(line_text)
        if heading and (not candidate.heading_level or len(heading.group(1)) <= candidate.heading_level):
            return index
    return min(len(lines), candidate.index + longest)


def _headline(text: Text, front: dict, skip: int) -> Located | None:
    if "title" in front:
        value, line = front["title"]
        return _at_line(value, line, "front matter")
    headings = [(line, len(heading.group(1)), clean_markup(heading.group(2))) for line in text.lines[skip:]
                if (heading := HEADING_RE.match(line.text))]
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
                return _at_line(clean_markup(HEADING_RE.sub(r"\2", stripped)), line, "first line")
            break
    return None


def _located(text: Text, front: dict, key: str, line_re: re.Pattern, skip: int) -> Located | None:
    """A document fact from front matter, the HTML head, or a labelled line."""
    for front_key in {"author": ("author", "authors"), "url": ("url", "canonical", "permalink"),
                      "date": ("date", "published", "publishdate")}[key]:
        if front_key in front:
            value, line = front[front_key]
            if key != "url" or value.startswith("http"):
                return _at_line(value, line, "front matter")
    if key in text.head and not (key == "author" and text.head[key][0].startswith(("http", "/", "@"))):
        value, origin = text.head[key]
        return Located(value=value, raw=value, origin=origin)
    nonempty = 0
    for line in text.lines[skip:]:
        nonempty += bool(line.text.strip())
        match = line_re.match(line.text)
        if not match:
            continue
        if key == "url" and match.group(0).lstrip("> *_").startswith("http") and nonempty > TOP_LINES:
            continue
        value = clean_markup(match.group("value"))
        if key == "author":
            value = leading_name(value)
            if not value:
                continue
        return _at_line(value, line, "labelled line", value if key == "author" else match.group("value"))
    return None


def leading_name(byline: str) -> str:
    """The person's name at the start of a byline ("Graham Oduya, Senior Editor" → "Graham Oduya")."""
    words = []
    for word in byline.replace("*", " ").split():
        bare = word.rstrip(",;|")
        if not NAME_WORD_RE.match(bare) or bare.lower().strip(".") in MONTHS:
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


def _other_list_warnings(lines: list[Line], chains: list[list[Candidate]]) -> list[str]:
    """Say where other numbered lists were, and that they were not used."""
    chosen = {candidate.index for candidate in chains[0]}
    warnings = []
    for chain in chains[1:]:
        if len(chain) < 3 or chosen & {candidate.index for candidate in chain}:
            continue
        first, last = lines[chain[0].index].number, lines[chain[-1].index].number
        warnings.append(f"lines {first}-{last}: another numbered list ({len(chain)} items, "
                        f"{chain[0].rank} to {chain[-1].rank}) was not used")
    return warnings[:10]


def _unknown_label_warnings(entries: list[Entry]) -> list[str]:
    return [f"line {field.span.line}: label {field.label!r} is not in the label table; kept under its own name"
            for entry in entries for field in entry.fields if not field.known]
