"""Writing the output files two at a time: about half of them in a forked process, the rest here.

    write_files(targets, files, progress, in_child=store.reopen)

Writing is serial work on records already made (see `rendered`), so on a
machine with a second core the files can be written side by side. Only
streamed text (chunks made as written) goes to the other process: it reads
the batch's store through its own connection (`in_child`, called first in
the forked process), and its files are named before it starts, so the
output is byte for byte what one process writes. Files a function writes (the
database and the Parquet tables, which depend on one another) are written
here, in order. An error in the other process is raised here, as its own
type; the caller's staging and swap (see `outdir`) are unchanged.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .outdir import Content

# Each file's share of the writing time, as measured on the throughput workload (benchmarks/throughput.py);
# others count as 1. Only the split depends on it, never the bytes.
WRITING_COST = {"entries.csv": 36, "documents.json": 25, "fields.csv": 18, "works.json": 10,
                "documents.jsonl": 25, "entries.jsonl": 20, "works.jsonl": 10, "works.csv": 6, "documents.csv": 3}

Write = Callable[[Path, "Content"], None]
_handed_over: tuple[Write, dict[Path, Content], Callable[[], None]] | None = None  # what the forked process writes


def write_files(targets: dict[str, Path], files: dict[str, Content], write: Write,
                progress: Callable[[int, int], None] | None = None,
                in_child: Callable[[], None] | None = None) -> None:
    """Write each of `files` to its path in `targets` with `write(path, content)`; with `in_child`, the
    streamed ones split in two by `WRITING_COST`, one half in a forked process at the same time.
    `progress(written, files)` is called as files are done."""
    theirs = _other_half(files) if in_child is not None else []
    mine = {targets[name]: files[name] for name in files if name not in theirs}
    if not theirs:
        _write_each(mine, write, progress, len(files))
        return
    import multiprocessing

    global _handed_over
    assert in_child is not None
    _handed_over = (write, {targets[name]: files[name] for name in theirs}, in_child)
    try:
        with multiprocessing.get_context("fork").Pool(1, initializer=_ignore_interrupts) as pool:
            theirs_done = pool.apply_async(_write_handed_over)
            _write_each(mine, write, progress, len(files))
            theirs_done.get()
    finally:
        _handed_over = None
    if progress is not None:
        progress(len(files), len(files))


def _write_each(files: dict[Path, Content], write: Write, progress: Callable[[int, int], None] | None,
                total: int) -> None:
    for written, (path, content) in enumerate(files.items(), 1):
        write(path, content)
        if progress is not None:
            progress(written, total)


def _other_half(files: dict[str, Content]) -> list[str]:
    """The streamed files to write in the other process: each, costliest first, goes to the half with
    less to do so far; this process keeps the rest, and every file a function writes."""
    streamed = sorted((name for name, content in files.items() if _streamed(content)),
                      key=lambda name: (-WRITING_COST.get(name, 1), name))
    here = sum(WRITING_COST.get(name, 1) for name, content in files.items() if not _streamed(content))
    there, theirs = 0, []
    for name in streamed:
        cost = WRITING_COST.get(name, 1)
        if there < here:
            there += cost
            theirs.append(name)
        else:
            here += cost
    return theirs


def _streamed(content: Content) -> bool:
    return not isinstance(content, str | bytes) and not callable(content)


def _write_handed_over() -> None:
    assert _handed_over is not None
    write, files, in_child = _handed_over
    in_child()
    _write_each(files, write, None, len(files))


def _ignore_interrupts() -> None:
    """Ctrl-C is the parent's to handle (it stops this process with the pool); SIGTERM just ends it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
