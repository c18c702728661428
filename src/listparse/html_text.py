"""HTML to Markdown-like lines, keeping block structure and source line numbers.

The page is parsed once with lxml and walked without recursion (deeply nested
pages must not overflow the stack). Headings become `## …`, items of an
ordered list `N. …` (honouring `start` and `reversed`), bold `**…**`, emphasis
`*…*`; scripts, styles, navigation, forms, hidden elements and page furniture
(comments, sidebars, related posts, cookie banners, tables of contents) are
dropped. The `<head>` gives the title, author, canonical URL and date.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from .limits import without_long_attributes
from .structured import item_list_from_json_ld, item_list_from_microdata

SKIPPED_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "nav", "footer", "aside", "form",
    "iframe", "button", "select", "option", "textarea", "object", "embed", "canvas", "video",
    "audio", "map", "dialog",
})
FURNITURE_TAGS = frozenset({"nav", "footer", "aside", "form", "dialog"})  # kept when rendering the whole page
BLOCK_TAGS = frozenset({
    "address", "article", "blockquote", "body", "caption", "center", "dd", "details", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
})
GROUP_TAGS = frozenset({"li", "article", "section", "tr"})
HEADING_LEVEL = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
EMPHASIS = {"strong": "**", "b": "**", "em": "*", "i": "*", "code": "`"}

# A class or id token that marks page furniture rather than the article.
NOISE_TOKEN_RE = re.compile(
    r"""(?:^|[-_])(?:
        comments? | comment(?:list|respond|form) | respond | disqus
      | sidebar\d* | widgets | widget[-_]?area | related(?:[-_]?(?:posts|articles|stories|links|content))?
      | read[-_]?(?:more|next|also) | more[-_]?(?:stories|articles|from) | recommended | trending
      | popular(?:[-_]?posts)?
      | share(?:buttons|bar|daddy)? | sharing | social | newsletter | subscribe | signup
      | cookies? | consent | gdpr | banner | popup | modal | advert(?:isement)? | ads? | adsense
      | promo | sponsored | breadcrumbs? | navbar | navigation | menu | toc | tableofcontents
      | skip(?:link)? | screen-reader-text | sr-only | visually-hidden | hidden | authorbox
      | author-bio | post-navigation | pagination
    )(?:$|[-_])""",
    re.VERBOSE | re.IGNORECASE,
)
NEVER_NOISE_TAGS = frozenset({"html", "body", "main", "article"})
RANK_BADGE_RE = re.compile(r"^(?:#|No\.?\s*)?\d{1,3}[.)]?$")  # "4", "#4", "4." alone in a block
CELL_TAGS = frozenset({"td", "th"})
HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
SPACE_RE = re.compile(r"[ \t\n\r\f\v]+")
XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)

RenderedLine = tuple[int, str, int | None]


@dataclass(slots=True)
class Rendered:
    """A rendered page: its lines, facts from its head, its marked-up ItemList, warnings."""

    lines: list[RenderedLine] = field(default_factory=list)
    head: dict[str, tuple[str, str]] = field(default_factory=dict)
    item_list: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def render_html(markup: str, whole_page: bool = False) -> Rendered:
    """Render HTML to (source line, text, group) lines, with its head facts, ItemList and warnings.

    `whole_page` keeps what looks like page furniture (navigation, sidebars, boxes whose class says
    "related" or "hidden"): for a page whose article the furniture rules would drop.
    """
    markup = XML_DECLARATION_RE.sub("", markup, count=1)
    warnings = []
    if "<%" in markup or "<?" in markup:
        markup, removed = strip_server_code(markup)
        if removed:
            warnings.append(f"{removed} server-side template block(s) (<% … %>, <?php … ?>) left out")
    if not markup.strip():
        return Rendered(warnings=warnings)
    markup, removed_attributes = without_long_attributes(markup)
    warnings.extend(removed_attributes)
    root = _parse(markup)
    if root is None:
        # libxml2 stops at 2048 levels of nesting and drops the rest: flatten the
        # containers that make such depth (their line breaks are kept) and retry.
        markup = CONTAINER_TAG_RE.sub(lambda m: "\n" if m.group(0).count("\n") else "", markup)
        warnings.append("HTML nested deeper than libxml2's limit of 2048 levels; div/span/section "
                        "containers were flattened before parsing")
        root = _parse(markup)
        if root is None:
            return Rendered(warnings=[*warnings, "HTML could not be parsed even after flattening"])
    renderer = _Renderer(whole_page)
    lines, head = renderer.render(root)
    if not whole_page and _lost_text(lines, root):
        warnings.append("the page-furniture rules left out most of the page's text; rendered it whole")
        renderer = _Renderer(whole_page=True)
        lines, head = renderer.render(root)
    item_list = max([renderer.item_list, item_list_from_microdata(root)], key=len)
    return Rendered(lines, head, item_list, warnings)


def strip_server_code(markup: str) -> tuple[str, int]:
    """Blank out server-side template code (ASP/JSP `<% … %>`, PHP `<?php … ?>`), keeping its line
    breaks so that every line keeps its number; also return how many blocks there were."""
    pieces = []
    position = removed = 0
    while True:
        start = _next_server_block(markup, position)
        if start < 0:
            break
        closer = "%>" if markup[start + 1] == "%" else "?>"
        end = markup.find(closer, start + 2)
        end = len(markup) if end < 0 else end + 2
        pieces.append(markup[position:start])
        pieces.append("\n" * markup.count("\n", start, end))
        position = end
        removed += 1
    pieces.append(markup[position:])
    return "".join(pieces), removed


def _next_server_block(markup: str, position: int) -> int:
    """Where the next `<%` or `<?` (not the `<?xml` declaration) opens, or -1."""
    while True:
        starts = [found for found in (markup.find("<%", position), markup.find("<?", position)) if found >= 0]
        if not starts:
            return -1
        start = min(starts)
        if not markup.startswith("<?xml", start):
            return start
        position = start + 2


def _lost_text(lines: list[RenderedLine], root) -> bool:
    """The rendered lines hold under a third of the text the page shows (only checked for short renders)."""
    rendered = sum(len(text) for _, text, _ in lines)
    if rendered > SHORT_RENDER:
        return False
    visible = sum(len(text.strip()) for text in root.xpath(VISIBLE_TEXT_XPATH))
    return visible > 2 * SHORT_RENDER // 5 and rendered * 3 < visible


SHORT_RENDER = 2000
VISIBLE_TEXT_XPATH = "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"


CONTAINER_TAG_RE = re.compile(r"</?(?:div|span|section|article|font|center|main|aside|header)\b[^>]*>",
                              re.IGNORECASE)


def _parse(markup: str):
    """The lxml tree of a page, or None when libxml2 gave up on its depth."""
    parser = lxml_html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml_html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError):
        return None
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        return None
    return root


class _Renderer:
    """Walks an lxml tree once and collects its lines."""

    def __init__(self, whole_page: bool = False) -> None:
        self.whole_page = whole_page
        self.cells = 0  # data cells open around the text being collected
        self.lines: list[RenderedLine] = []
        self.buffer: list[str] = []
        self.buffer_line = 0
        self.prefix = ""  # heading marker of the line being collected
        self.item_marker = ""  # "N. " or "- " of a list item, put before its first line
        self.groups: list[int] = []
        self.lists: list[list[int]] = []  # per open list: [next number, step]; step 0 for <ul>
        self.head: dict[str, tuple[str, str]] = {}
        self.group_count = 0
        self.badge: tuple[int, str, int | None] | None = None  # a rank printed apart from its title
        self.item_list: list[tuple[int, str]] = []

    def render(self, root) -> tuple[list[RenderedLine], dict]:
        walker = etree.iterwalk(root, events=("start", "end"))
        skipping_at = None
        for event, element in walker:
            tag = element.tag  # lxml builds a new string at each reading of tag, text or tail: read once
            if not isinstance(tag, str):
                tag = ""
            if event == "start":
                if tag == "head":
                    self._read_head(element)
                    walker.skip_subtree()
                    skipping_at = element
                    continue
                if tag in ("meta", "link", "title"):  # head elements a template put in the body
                    self._read_head_element(element)
                if self._is_skipped(element, tag):
                    if tag == "script" and element.get("type") == "application/ld+json":
                        self._read_json_ld(element.text or "")
                    walker.skip_subtree()
                    skipping_at = element
                    continue
                self._open(element, tag)
            else:
                if skipping_at is element:
                    skipping_at = None
                else:
                    self._close(element, tag)
                tail = element.tail
                if tail:
                    self._add(tail, element)
        self._flush()
        self._emit_badge()
        return self.lines, self.head

    def _is_skipped(self, element, tag: str) -> bool:
        if tag in SKIPPED_TAGS or not tag:
            return not (self.whole_page and tag in FURNITURE_TAGS)
        names = element.keys()
        if not names:
            return False  # no hidden, style, class, id or role: nothing says it is furniture
        if "hidden" in names:
            return True
        style = element.get("style")
        if style and HIDDEN_STYLE_RE.search(style):
            return True
        if tag in NEVER_NOISE_TAGS or self.whole_page:
            return False
        tokens = f"{element.get('class', '')} {element.get('id', '')} {element.get('role', '')}".split()
        if not tokens or not any(NOISE_TOKEN_RE.search(token) for token in tokens):
            return False
        # A furniture-looking wrapper that holds the article's own headline is the article.
        return element.find(".//h1") is None

    def _open(self, element, tag: str) -> None:
        if tag in CELL_TAGS and _is_simple_cell(element):
            # A data cell joins its row's line: "| 1 | Final Fantasy VI | 1994 | SNES |".
            self._add("| " if not self.buffer else " | ", element, raw=True)
            self.cells += 1
        elif self.cells and (tag in BLOCK_TAGS or tag == "br"):
            self._add(" ", element, raw=True)  # a paragraph inside a data cell stays in its cell
        elif tag in BLOCK_TAGS or tag == "br":
            self._flush()
        if tag in GROUP_TAGS:
            self.group_count += 1
            self.groups.append(self.group_count)
        if tag == "ol":
            start = _int(element.get("start"))
            reversed_ = element.get("reversed") is not None
            if start is None:
                start = sum(1 for child in element if child.tag == "li") if reversed_ else 1
            self.lists.append([start, -1 if reversed_ else 1])
        elif tag == "ul":
            self.lists.append([0, 0])
        elif tag == "li":
            self.item_marker = self._item_marker(element)
        elif tag in HEADING_LEVEL:
            self.prefix = "#" * HEADING_LEVEL[tag] + " "
        elif tag in EMPHASIS:
            self._add(EMPHASIS[tag], element, raw=True)
        elif tag == "img":
            alt = element.get("alt")
            if alt and alt.strip() and (self.prefix.startswith("#") or self.item_marker or self.lists):
                self._add(alt, element)
        text = element.text
        if text:
            self._add(text, element)

    def _close(self, element, tag: str) -> None:
        if tag in EMPHASIS:
            self._add(EMPHASIS[tag], element, raw=True)
        if tag == "tr" and self.buffer and self.buffer[0].startswith("|"):
            self._add(" |", element, raw=True)
        if tag in CELL_TAGS and _is_simple_cell(element):
            self.cells -= 1
            return
        if self.cells and tag in BLOCK_TAGS:
            return
        if tag in BLOCK_TAGS:
            self._flush()
            if tag in HEADING_LEVEL:
                self.prefix = ""
        if tag == "li":
            self.item_marker = ""
        if tag in ("ol", "ul") and self.lists:
            self.lists.pop()
        if tag in GROUP_TAGS and self.groups:
            self.groups.pop()

    def _item_marker(self, element) -> str:
        if not self.lists or self.lists[-1][1] == 0:
            return "- "
        counter = self.lists[-1]
        value = _int(element.get("value"))
        number = value if value is not None else counter[0]
        tie = value is not None and value == counter[0] - counter[1]  # <li value> repeating the last number
        counter[0] = number + counter[1]
        return f"={number}. " if tie else f"{number}. "

    def _add(self, text: str, element, raw: bool = False) -> None:
        if not self.buffer:
            if not raw and not text.strip():
                return
            self.buffer_line = element.sourceline or 0
        self.buffer.append(text)

    def _flush(self) -> None:
        if not self.buffer:
            return  # half the blocks opened or closed hold no text of their own
        text = _collapsed_space("".join(self.buffer)).strip()
        text = _drop_empty_emphasis(text)
        self.buffer = []
        if not text or not text.strip("*|"):
            return
        group = self.groups[-1] if self.groups else None
        if not self.prefix and not self.item_marker and RANK_BADGE_RE.match(text):
            self._emit_badge()
            self.badge = (self.buffer_line, text, group)
            return
        if self.badge is not None and self.badge[2] == group and len(text) <= 150:
            number = self.badge[1]
            text = f"{number}{'' if number[-1] in '.)' or number[0] == '#' else '.'} {text}"
            self.badge = None
        self._emit_badge()
        marker = "" if self.prefix and self.item_marker == "- " else self.item_marker  # a heading is no bullet
        self.lines.append((self.buffer_line, self.prefix + marker + text, group))
        self.item_marker = ""
        self.prefix = ""

    def _emit_badge(self) -> None:
        """A rank badge that found no title beside it stays a line of its own."""
        if self.badge is not None:
            self.lines.append(self.badge)
            self.badge = None

    def _read_head(self, head) -> None:
        for element in head.iter("title", "meta", "link", "script"):
            self._read_head_element(element)

    def _read_head_element(self, element) -> None:
        """The title, an author or date meta, the canonical link, or JSON-LD."""
        tag = element.tag
        if tag == "title" and element.text and "title" not in self.head:
                self.head["title"] = (SPACE_RE.sub(" ", element.text).strip(), "<title>")
        elif tag == "meta":
            key = (element.get("name") or element.get("property") or "").lower()
            content = (element.get("content") or "").strip()
            target = META_KEYS.get(key)
            if target and content and target not in self.head:
                self.head[target] = (content, f"meta[{key}]")
        elif tag == "link" and element.get("rel", "").lower() == "canonical":
            if element.get("href") and "url" not in self.head:
                self.head["url"] = (element.get("href").strip(), "link[rel=canonical]")
        elif tag == "script" and element.get("type") == "application/ld+json":
            self._read_json_ld(element.text or "")

    def _read_json_ld(self, text: str) -> None:
        """Headline, URL, date and author of an Article, and the longest ItemList."""
        items = item_list_from_json_ld(text)
        if len(items) > len(self.item_list):
            self.item_list = items
        try:
            data = json.loads(text)
        except ValueError:
            return
        for item in _json_ld_items(data):
            for key, target in (("headline", "title"), ("url", "url"), ("datePublished", "date")):
                value = item.get(key)
                if isinstance(value, str) and value.strip() and target not in self.head:
                    self.head[target] = (value.strip(), f"json-ld {key}")
            author = item.get("author")
            if isinstance(author, list) and author:
                author = author[0]
            if isinstance(author, dict):
                author = author.get("name")
            if isinstance(author, str) and author.strip() and "author" not in self.head:
                self.head["author"] = (author.strip(), "json-ld author")


META_KEYS = {
    "author": "author",
    "article:author": "author",
    "og:title": "og_title",
    "og:url": "url",
    "article:published_time": "date",
    "date": "date",
    "pubdate": "date",
    "publish-date": "date",
    "dc.date": "date",
}


def _json_ld_items(data):
    if isinstance(data, list):
        for item in data:
            yield from _json_ld_items(item)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _json_ld_items(data["@graph"])
        if str(data.get("@type", "")).endswith(("Article", "BlogPosting", "NewsArticle")):
            yield data


def _is_simple_cell(element) -> bool:
    """A data cell, not a layout cell: no table, list or heading inside it, at most a paragraph or two."""
    blocks = [child for child in element if child.tag in BLOCK_TAGS]
    return not blocks or (len(blocks) <= 2 and all(child.tag in CELL_PARAGRAPHS and not any(
        grandchild.tag in BLOCK_TAGS for grandchild in child) for child in blocks))


CELL_PARAGRAPHS = frozenset({"p", "div", "center"})


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _collapsed_space(text: str) -> str:
    """Each run of white space as one space; most texts have none to collapse, and testing is cheaper."""
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        return SPACE_RE.sub(" ", text)
    return text


EMPTY_EMPHASIS_RE = re.compile(r"(?<!\*)\*\*\s*\*\*(?!\*)|(?<![*\w])\*\s+\*(?![*\w])")


def _drop_empty_emphasis(text: str) -> str:
    if "*" not in text:
        return text
    return EMPTY_EMPHASIS_RE.sub("", text).strip()
