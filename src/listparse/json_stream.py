"""A JSON file too large to hold, read one value at a time: works.json reaches hundreds of megabytes.

`JsonStream` reads text from a `read(size)` function and decodes the next
value, or steps over one structural character, on request; `array_items`
uses it for the items of one top-level array. The view reads works and
documents with it, and a re-ingest reads the previous run's works.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from .errors import ListparseError

READ_CHUNK = 1 << 20


class JsonStream:
    """JSON text read in chunks from `read(size)`; `name` says which file in errors."""

    def __init__(self, read: Callable[[int], str], name: str) -> None:
        self.read, self.name = read, name
        self.buffer, self.position, self.ended = "", 0, False
        self.decoder = json.JSONDecoder()

    def peek(self) -> str:
        """The next character that is not white space ("" at the end)."""
        while True:
            while self.position < len(self.buffer) and self.buffer[self.position] in " \t\r\n":
                self.position += 1
            if self.position < len(self.buffer) or not self._fill():
                break
        return self.buffer[self.position] if self.position < len(self.buffer) else ""

    def skip(self, character: str) -> bool:
        """Step over `character` if it comes next."""
        if self.peek() != character:
            return False
        self.position += 1
        return True

    def expect(self, character: str) -> None:
        if not self.skip(character):
            found = repr(self.peek()) if self.peek() else "the end"
            raise ListparseError(f"{self.name}: expected {character!r}, found {found}: is it a file listparse wrote?")

    def value(self) -> Any:
        """The next JSON value; more is read until it is complete (and not cut short, as a number could be)."""
        if not self.peek():
            raise ListparseError(f"{self.name}: the JSON ends too early")
        while True:
            try:
                found, end = self.decoder.raw_decode(self.buffer, self.position)
            except json.JSONDecodeError:
                if not self._fill():
                    raise ListparseError(f"{self.name}: not valid JSON") from None
                continue
            if end < len(self.buffer) or not self._fill():
                self.position = end
                return found

    def _fill(self) -> bool:
        """Read more: as much again as is buffered, so that a large value costs few retries."""
        if self.ended:
            return False
        self.buffer = self.buffer[self.position:]
        self.position = 0
        chunk = self.read(max(READ_CHUNK, len(self.buffer)))
        if not chunk:
            self.ended = True
            return False
        self.buffer += chunk
        return True


def array_items(stream: JsonStream, key: str, seen: Callable[[str, Any], None] | None = None) -> Iterator[Any]:
    """The items of the array under `key` in the JSON object `stream` holds, decoded one at a time; every
    other top-level value before it is passed to `seen(key, value)`, in order."""
    stream.expect("{")
    while not stream.skip("}"):
        name = stream.value()
        stream.expect(":")
        if name != key:
            value = stream.value()
            if seen is not None:
                seen(name, value)
        else:
            stream.expect("[")
            while not stream.skip("]"):
                yield stream.value()
                stream.skip(",")
        stream.skip(",")
