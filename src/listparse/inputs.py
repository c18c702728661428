"""Paths → sources: every document to read, and the name it gets in the output.

A document is named by its path relative to the input it was found under,
its *root*, so the same tree gives the same names from any working directory,
whether it is given as a relative or an absolute path:

    listparse ingest raw/                    raw/sub/a.txt  →  sub/a.txt
    cd raw && listparse ingest .             ./sub/a.txt    →  sub/a.txt
    listparse ingest /abs/raw/sub/a.txt      a file         →  a.txt (its name in its directory)
    listparse ingest -                       standard input →  stdin
    a web archive's record                                  →  crawl.warc.gz#1234 (FILE#OFFSET)

When two roots would give one name to two files (`a/x.txt` and `b/x.txt`,
ingested as `a/ b/`), every document under those roots gets the root
directory's own name in front (`a/x.txt`, `b/x.txt`), with as many of its last
path components as it takes to tell them apart. That depends only on the
roots and what they hold, never on the order they are given in. A file found
under two roots (`raw/` and `raw/sub/`) is read once, named from the outer one.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .read import TEXT_SUFFIXES
from .source_names import escape_name, unescape_name
from .warc import WARC_SUFFIXES, WarcRecord, is_warc, record_name, scan_warc

STDIN = "-"
STDIN_NAME = "stdin"


@dataclass(frozen=True, slots=True)
class Source:
    """One input: where to read it and the name it gets in the output."""

    path: Path | None  # None for standard input
    name: str
    skipped: str | None = None  # why it is not read (a link out of the directory it was found in)
    record: WarcRecord | None = None  # one record of a web archive at `path`


@dataclass(frozen=True, slots=True)
class Root:
    """One path as the user gave it, and how the documents found under it are named."""

    given: str  # as given (escaped like a source name)
    kind: Literal["directory", "file", "stdin", "uri"]
    prefix: str = ""  # in front of every name under it: empty unless two roots held one name

    def record(self) -> dict[str, str]:
        return {"path": self.given, "kind": self.kind, "prefix": self.prefix}


@dataclass(frozen=True, slots=True)
class Inputs:
    """The roots, in the order given (each once), and the sources found under them."""

    roots: list[Root]
    sources: list[Source]


@dataclass(frozen=True, slots=True)
class _Found:
    """A file under a root, before it is named: names wait until every root's files are known."""

    path: Path
    base: str | None  # the real path of the directory the file is named relative to (None: stdin)
    relative: str  # its path relative to `base`, with forward slashes
    skipped: str | None = None


def find_sources(paths: Iterable[str | Path] | str | Path, follow_symlinks: bool = False,
                 skipped: dict[str, Counter[str]] | None = None, expand_archives: bool = True) -> list[Source]:
    """The sources of `find_inputs`."""
    return find_inputs(paths, follow_symlinks, skipped, expand_archives).sources


def find_inputs(paths: Iterable[str | Path] | str | Path, follow_symlinks: bool = False,
                skipped: dict[str, Counter[str]] | None = None, expand_archives: bool = True) -> Inputs:
    """Expand files, directories (searched for known suffixes and web archives) and "-" into named sources,
    once each, in the order given (a directory's files sorted).

    One path given alone (a str or path-like) is that path, never its characters.
    A link found in a directory that points out of it is a source marked
    skipped, unless `follow_symlinks`; a link given by name is followed. A web
    archive becomes one source per HTML response record; the records skipped
    are counted in `skipped` (by the archive's name). With `expand_archives`
    false, an archive stays one source (a distributed engine expands it where it is read).
    """
    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]
    given = list(dict.fromkeys(os.fsdecode(path) for path in paths))
    found = {given_path: list(_found_under(given_path, follow_symlinks)) for given_path in given}
    outermost = _outermost(item for items in found.values() for item in items)
    depths = _prefix_depths([item for items in found.values() for item in items if outermost[_key(item)] is item])
    roots: list[Root] = []
    sources: list[Source] = []
    seen: set[str] = set()
    counts = skipped if skipped is not None else {}
    for given_path in given:
        roots.append(_root(given_path, depths))
        for item in found[given_path]:
            key = _key(item)
            if key not in seen:
                seen.add(key)
                chosen = outermost[key]
                sources.extend(_sources(chosen, _name(chosen, depths), counts, expand_archives))
    return Inputs(roots, _unique(sources))


def _found_under(given: str, follow_symlinks: bool) -> Iterator[_Found]:
    if given == STDIN:
        yield _Found(Path(STDIN), None, STDIN_NAME)
        return
    path = Path(given)
    if not path.is_dir():
        yield _Found(path, os.path.realpath(path.parent), path.name)
        return
    base = os.path.realpath(path)
    for found, relative, is_link in _walk(path):
        # The walk never enters a linked directory, so only a link itself can point out of `base`.
        outside = is_link and os.path.commonpath([base, os.path.realpath(found)]) != base
        reason = None
        if outside and not follow_symlinks:
            reason = (f"symbolic link to a file outside the directory it is in ({_link_text(found)}); "
                      "not read (use --follow-symlinks to read it)")
        yield _Found(found, base, relative, reason)


def _link_text(link: Path) -> str:
    """Where a link points, as the link says it (not resolved: a resolved path would name this machine)."""
    try:
        return escape_name(os.readlink(link))
    except OSError:  # not a link itself (a linked directory above it): name the file it ends at
        return escape_name(os.path.realpath(link))


def _key(item: _Found) -> str:
    """Where the file is, whichever root it was found under ("raw/" + "sub/a.txt" is "raw/sub/" + "a.txt")."""
    return STDIN if item.base is None else os.path.join(item.base, item.relative)


def _outermost(items: Iterable[_Found]) -> dict[str, _Found]:
    """For each file, how it was found under its outermost root (the shortest base; then the first)."""
    chosen: dict[str, _Found] = {}
    for item in items:
        key = _key(item)
        if key not in chosen or len(item.base or "") < len(chosen[key].base or ""):
            chosen[key] = item
    return chosen


def _prefix_depths(items: list[_Found]) -> dict[str, int]:
    """How many of each root directory's last path components go in front of its documents' names.

    Zero, unless two roots would give one name to different files: then both roots take one more
    component, until every name is told apart (at worst the whole path, which is unique).
    """
    bases = {item.base for item in items if item.base is not None}
    depths = dict.fromkeys(bases, 0)
    while True:
        holders: dict[str, set[str | None]] = defaultdict(set)
        for item in items:
            holders[_name(item, depths)].add(item.base)
        clashing = {base for held in holders.values() if len(held) > 1 for base in held if base is not None}
        growing = {base for base in clashing if depths[base] < len(_components(base))}
        if not growing:
            return depths
        for base in growing:
            depths[base] += 1


def _components(base: str) -> list[str]:
    return [part for part in Path(base).parts if part != Path(base).anchor]


def _prefix(base: str | None, depths: dict[str, int]) -> str:
    if base is None or not depths.get(base):
        return ""
    return "".join(f"{part}/" for part in _components(base)[-depths[base]:])


def _name(item: _Found, depths: dict[str, int]) -> str:
    return escape_name(_prefix(item.base, depths) + item.relative)


def _root(given: str, depths: dict[str, int]) -> Root:
    if given == STDIN:
        return Root(STDIN, "stdin")
    path = Path(given)
    directory = path.is_dir()
    base = os.path.realpath(path if directory else path.parent)
    return Root(escape_name(given), "directory" if directory else "file", escape_name(_prefix(base, depths)))


def _sources(item: _Found, name: str, skipped: dict[str, Counter[str]], expand_archives: bool) -> Iterator[Source]:
    """One file's sources: itself, or each HTML response record of a web archive."""
    if item.base is None:
        yield Source(None, name)
        return
    if item.skipped or not (expand_archives and is_warc(item.path)):
        yield Source(item.path, name, item.skipped)
        return
    counts = skipped.setdefault(name, Counter())
    for record, _ in scan_warc(item.path, counts):
        yield Source(item.path, record_name(name, record.offset), record=record)


def _unique(sources: list[Source]) -> list[Source]:
    """Never two documents of one name: a file named like another's record (`a.warc#0`) is read once."""
    seen: set[str] = set()
    kept = []
    for source in sources:
        if source.name not in seen:
            seen.add(source.name)
            kept.append(source)
    return kept


def _walk(directory: Path) -> list[tuple[Path, str, bool]]:
    """Files with a known suffix under `directory`, sorted by path, each with its path relative to
    `directory` (forward slashes) and whether it is a symbolic link; links to directories are not followed."""
    found: list[tuple[tuple[str, ...], Path, bool]] = []
    pending: list[tuple[str, tuple[str, ...]]] = [(os.fspath(directory), ())]
    while pending:
        folder, parts = pending.pop()
        try:
            with os.scandir(folder) as listing:
                items = list(listing)
        except OSError:  # unreadable or gone: skipped, as os.walk skips it
            continue
        for item in items:
            if _is_directory(item):
                if not item.is_symlink():
                    pending.append((item.path, (*parts, item.name)))
            elif _is_listicle_name(item.name):
                found.append(((*parts, item.name), Path(item.path), item.is_symlink()))
    found.sort(key=lambda file: file[0])  # as `Path`s sort: by their parts
    return [(path, "/".join(parts), is_link) for parts, path, is_link in found]


def _is_directory(item: os.DirEntry) -> bool:
    try:
        return item.is_dir()
    except OSError:
        return False


def _is_listicle_name(name: str) -> bool:
    """Whether a file's name has a known suffix (as `Path.suffix` reads it) or names a web archive."""
    dot = name.rfind(".")
    suffix = name[dot:] if 0 < dot < len(name) - 1 else ""
    return suffix.lower() in TEXT_SUFFIXES or name.lower().endswith(WARC_SUFFIXES)


def source_path(name: str, roots: list[dict[str, str]], directory: Path) -> Path:
    """The file a source name came from, by the roots a run recorded (run.json's `inputs`); relative roots
    are taken from `directory`, the one the run was started in. Without roots (an output from before
    run.json), the name is a path relative to `directory`.

    Of several roots that could hold the name, the first that does; else the first.
    """
    candidates = []
    for root in roots:
        prefix = root.get("prefix", "")
        if root["kind"] not in ("directory", "file") or not name.startswith(prefix):
            continue
        rest = unescape_name(name[len(prefix):])
        given = directory / unescape_name(root["path"])  # an absolute path stays itself
        if root["kind"] == "directory":
            candidates.append(given / rest)
        elif rest == given.name:
            candidates.append(given)
    if not candidates:
        return directory / unescape_name(name)
    return next((path for path in candidates if path.is_file()), candidates[0])
