"""What a reader of a text or Markdown file never sees as part of its list.

HTML comments, `<script>`, `<style>` and `<template>` are invisible when
Markdown is rendered (in plain text they are text like any other): their text is blanked (with spaces, so every other
character keeps its offset and line). Code fences are shown, but as code: a
numbered line inside one is part of an entry's description, never an entry,
so those lines are marked literal. The HTML renderer (`html_text`) drops the
same elements on its own.

The scan is one pass with `str.find`: linear however the markers nest or
fail to close (an unclosed comment runs to the end of the file, as in a browser).
"""

from __future__ import annotations

import re

FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})")
HIDDEN_OPEN_RE = re.compile(r"<!--|<(script|style|template)\b", re.IGNORECASE)


def visible_lines(raw_lines: list[str], hide_markup: bool = True) -> list[tuple[str, bool]]:
    """Each line as a reader sees it: hidden parts blanked (with `hide_markup`: Markdown, where they are
    hidden; a plain text file shows them), and whether it is code (literal)."""
    result: list[tuple[str, bool]] = []
    fence: str | None = None  # the marker that closes the open code fence
    closing: str | None = None  # what ends the hidden part we are in ("-->", "</script>")
    for line in raw_lines:
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None
            result.append((line, True))
            continue
        if closing is None and (opened := FENCE_RE.match(line)):
            fence = opened.group(1)
            result.append((line, True))
            continue
        if not hide_markup or (closing is None and "<" not in line):
            result.append((line, False))
            continue
        line, closing = _blank_hidden(line, closing)
        result.append((line, False))
    return result


def _blank_hidden(line: str, closing: str | None) -> tuple[str, str | None]:
    """Blank the hidden parts of one line; `closing` says a hidden part is open from an earlier line."""
    pieces = []
    position = 0
    lowered = line.lower()
    while position < len(line):
        if closing is None:
            opened = HIDDEN_OPEN_RE.search(line, position)
            if opened is None:
                pieces.append(line[position:])
                break
            pieces.append(line[position:opened.start()])
            closing = "-->" if opened.group(1) is None else f"</{opened.group(1).lower()}"
            position = opened.start()
        end = lowered.find(closing, position)
        if end == -1:
            pieces.append(" " * (len(line) - position))
            return "".join(pieces), closing
        end = end + len(closing)
        if closing != "-->":
            close_tag = line.find(">", end)
            end = len(line) if close_tag == -1 else close_tag + 1
        pieces.append(" " * (end - position))
        position = end
        closing = None
    return "".join(pieces), closing
