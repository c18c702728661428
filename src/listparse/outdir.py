"""The output directory: claimed by one run at a time, written whole beside itself, then swapped in.

    with OutputDirectory(Path("output")) as directory:   # lock it; refuse one listparse did not write
        ...                                              # parse and merge
        directory.write(files)                           # stage a sibling directory, swap it in

A reader of `output/` sees the previous run or the new one, never a mix of
both: the new directory is written in full next to the old one (so on the same
file system), the two are exchanged in one step (Linux `renameat2` with
`RENAME_EXCHANGE`; elsewhere two renames, with signals held in between) and the
old one is removed. From claim to release a run holds an exclusive `flock` on
`.output.listparse-lock` beside the directory, so a second run into the same
directory fails at once instead of mixing its files in. The directory holds
`.listparse-manifest.json` naming its files; a directory that holds anything
else is never replaced: there listparse's own files are written in place
(each under a temporary name, then all renamed), and one that holds a file
listparse would write but did not (a `works.csv` of the user's) is refused.
What a killed run leaves beside the directory (its staged or set-aside copy,
or its temporary files in a shared one) is removed by the next claim.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeAlias

from .errors import OutputError
from .side_by_side import write_files

MANIFEST = ".listparse-manifest.json"
# Every file an ingest writes; a directory of only these (and the old writer's temporaries) with no
# manifest was written by a listparse from before the manifest.
OUTPUT_NAMES = frozenset({"documents.csv", "documents.json", "documents.jsonl", "entries.csv", "entries.jsonl",
                          "fields.csv", "run.json", "works.csv", "works.json", "works.jsonl", "listparse.db",
                          *(f"{table}.parquet" for table in ("documents", "entries", "fields", "works", "evidence",
                                                             "conflicts", "changes"))})
STAGED, SET_ASIDE, LOCK = "listparse-new-", "listparse-old-", "listparse-lock"
# A file's content: text, chunks of text (streamed), bytes, or a function that writes the file at the path
# it is given (a database or a Parquet file, which their libraries write themselves).
Content: TypeAlias = str | bytes | Iterable[str] | Callable[[Path], None]


class OutputDirectory:
    """One run's claim on an output directory: `claim()` (or `with`), `write(files)`, `release()`.

    `committed` tells whether the new output is in place, so an interrupted run can say which one a
    reader now sees.
    """

    def __init__(self, out: Path) -> None:
        self.out = out  # as given, for messages
        self.path = Path(os.path.realpath(out))  # a symbolic link's target is replaced, the link kept
        self.existed = False
        self.shared: set[str] | None = None  # set when other files live here: listparse's files written in place
        self.committed = False
        self._lock = None

    def claim(self) -> OutputDirectory:
        """Lock the directory for this run, put back or remove what a killed run left, and check that
        whatever is there now was written by listparse."""
        _refuse_working_directory(self.out, self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = _locked(self._beside(LOCK), self.out)
        try:
            self._clean_leftovers()
            self.existed, self.shared = _check_ours(self.out, self.path)
        except BaseException:
            self.release()
            raise
        return self

    def write(self, files: dict[str, Content], ids_from: dict[str, str] | None = None,
              progress: Callable[[int, int], None] | None = None,
              in_child: Callable[[], None] | None = None) -> list[Path]:
        """Write `files` (name → `Content`) as the whole new directory, then swap it in; in a directory
        shared with other files, write them beside those and rename them into place.

        `ids_from`: the previous run the ids were carried from (its file and sha256), for the manifest;
        `progress(written, files)` is called as files are written; with `in_child` (what a forked process
        calls to read the contents itself), about half the files are written in one (see `side_by_side`)."""
        if self.shared is not None:
            return self._write_in_place(files, self.shared, ids_from, progress, in_child)
        staged = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.{STAGED}{os.getpid()}-", dir=self.path.parent))
        previous = None
        try:
            os.chmod(staged, stat.S_IMODE(self.path.stat().st_mode) if self.existed else 0o777 & ~_umask())
            write_files({name: staged / name for name in files}, files, _write_file, progress, in_child)
            _write_file(staged / MANIFEST, _manifest(files, ids_from))
            _fsync(staged)
            with _signals_deferred():
                previous = self._swap(staged)
                self.committed = True
        finally:  # also when a signal held during the swap is raised at its end
            if not self.committed:
                shutil.rmtree(staged, ignore_errors=True)
            elif previous is not None:
                shutil.rmtree(previous, ignore_errors=True)
        _fsync(self.path.parent)
        return [self.out / name for name in files]

    def _write_in_place(self, files: dict[str, Content], previous: set[str], ids_from: dict[str, str] | None = None,
                        progress: Callable[[int, int], None] | None = None,
                        in_child: Callable[[], None] | None = None) -> list[Path]:
        """Each file written to a temporary name, then all renamed over the previous run's (signals held),
        the previous run's other files removed, the manifest last. Other files are never touched."""
        staged = {name: self.path / f".{name}.{STAGED}{os.getpid()}" for name in [*files, MANIFEST]}
        try:
            write_files(staged, files, _write_file, progress, in_child)
            _write_file(staged[MANIFEST], _manifest(files, ids_from))
            with _signals_deferred():
                for name in files:
                    os.replace(staged[name], self.path / name)
                for name in sorted(previous - set(files)):
                    with contextlib.suppress(FileNotFoundError):
                        os.remove(self.path / name)
                os.replace(staged[MANIFEST], self.path / MANIFEST)
                self.committed = True
        finally:
            for path in staged.values():
                with contextlib.suppress(FileNotFoundError):
                    os.remove(path)
        _fsync(self.path)
        return [self.out / name for name in files]

    def release(self) -> None:
        if self._lock is not None:
            self._lock.close()  # closing the file drops the flock
            self._lock = None

    def __enter__(self) -> OutputDirectory:
        return self.claim()

    def __exit__(self, *exc_info) -> None:
        self.release()

    def _beside(self, kind: str) -> Path:
        return self.path.parent / f".{self.path.name}.{kind}"

    def _swap(self, staged: Path) -> Path | None:
        """Put `staged` in place of the directory; return where the previous output now is, if any."""
        if not self.existed:
            os.rename(staged, self.path)
            return None
        try:
            _exchange(staged, self.path)
            return staged
        except OSError as error:
            if error.errno not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
                raise
        aside = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.{SET_ASIDE}{os.getpid()}-", dir=self.path.parent))
        os.rename(self.path, aside)  # replaces the empty directory mkdtemp made
        os.rename(staged, self.path)
        return aside

    def _clean_leftovers(self) -> None:
        """Leftovers of killed runs (only a lock holder makes them, so every one is stale): a previous
        output set aside by a run killed between its two renames is put back; the rest is removed."""
        leftovers = sorted(self.path.parent / name for name in os.listdir(self.path.parent)
                           if name.startswith((f".{self.path.name}.{STAGED}", f".{self.path.name}.{SET_ASIDE}")))
        for leftover in leftovers:
            if SET_ASIDE in leftover.name and not os.path.lexists(self.path):
                os.rename(leftover, self.path)
            else:
                shutil.rmtree(leftover, ignore_errors=True)
        if self.path.is_dir():  # files a killed run was writing in place, in a shared directory
            for name in os.listdir(self.path):
                if name.startswith(".") and f".{STAGED}" in name:
                    with contextlib.suppress(OSError):
                        os.remove(self.path / name)


def _refuse_working_directory(out: Path, path: Path) -> None:
    """The whole directory is replaced: never the one this process (and likely its shell) is in."""
    if os.path.commonpath([Path.cwd().resolve(), path]) == str(path):
        raise OutputError(f"--out {out} is the working directory or holds it; listparse replaces the whole "
                          f"output directory, so choose one inside it (e.g. --out {out}/output)")


def _locked(path: Path, out: Path):
    """The open lock file, flock'ed exclusively; OutputError when another run holds it."""
    import fcntl

    # Held open for the whole run ("a": never truncates); the file is never removed (that would race).
    lock = open(path, "a")  # noqa: SIM115
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        raise OutputError(f"another listparse run is writing {out}; wait for it to finish, or choose another "
                          "--out") from None
    return lock


def _check_ours(out: Path, path: Path) -> tuple[bool, set[str] | None]:
    """Whether the directory exists, and, when it also holds other files, the names of listparse's own
    files there (None: the directory is listparse's alone and is replaced whole).

    OutputError when a file listparse would write is there but not listparse's (a `works.csv` of the
    user's own): it would be overwritten."""
    try:
        names = set(os.listdir(path))
    except FileNotFoundError:
        return False, None
    own = _own_names(path, names)
    foreign = sorted(names - own)
    if not foreign:
        return True, None
    manifest = _manifest_files(path, names)
    ours = manifest if manifest is not None else set()
    clashes = sorted((names - ours - {MANIFEST}) & OUTPUT_NAMES)
    if clashes:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise OutputError(f"{out} holds files listparse did not write ({shown}); listparse replaces the whole "
                          "output directory, so choose another --out, or move them away")
    return True, ours


def _manifest_files(path: Path, names: set[str]) -> set[str] | None:
    """The files the directory's manifest names, or None without a readable one."""
    if MANIFEST not in names:
        return None
    try:
        return set(json.loads((path / MANIFEST).read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _own_names(path: Path, names: set[str]) -> set[str]:
    """The names in the directory that listparse wrote: the manifest's, else (an older listparse's
    output) the known output files and that writer's temporaries (`.works.json.x1y2.tmp`)."""
    manifest = _manifest_files(path, names)
    if manifest is not None:
        return {MANIFEST, *manifest}
    legacy = {name for name in names if name.endswith(".tmp") and name.startswith(tuple(
        f".{output}." for output in OUTPUT_NAMES))}
    return {*OUTPUT_NAMES, *legacy}


def _manifest(files: Iterable[str], ids_from: dict[str, str] | None = None) -> str:
    """The manifest: which files this directory holds, and which previous run's file the ids were carried
    from (deterministic: no times, no paths)."""
    manifest: dict[str, object] = {"written_by": "listparse", "files": sorted(files)}
    if ids_from is not None:
        manifest["ids_from"] = ids_from
    return json.dumps(manifest, indent=2) + "\n"


def _write_file(path: Path, content: Content) -> None:
    if callable(content):
        content(path)
        _fsync(path)
        return
    if isinstance(content, bytes):
        with open(path, "xb") as binary:
            binary.write(content)
            binary.flush()
            os.fsync(binary.fileno())
        return
    with open(path, "x", encoding="utf-8", newline="") as stream:
        if isinstance(content, str):
            stream.write(content)
        else:
            stream.writelines(content)  # streamed: a large dataset is never one string
        stream.flush()
        os.fsync(stream.fileno())


def _fsync(directory: Path) -> None:
    """Make a file, or a directory's entries, durable (a no-op where directories cannot be opened)."""
    try:
        handle = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _exchange(first: Path, second: Path) -> None:
    """Swap two directories in one step: Linux's renameat2(RENAME_EXCHANGE); OSError ENOSYS elsewhere."""
    if sys.platform != "linux":
        raise OSError(errno.ENOSYS, "no atomic exchange on this system")
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except AttributeError:  # a C library older than glibc 2.28
        raise OSError(errno.ENOSYS, "renameat2 is not available") from None
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_working_directory, exchange = -100, 2  # AT_FDCWD, RENAME_EXCHANGE
    if renameat2(at_working_directory, os.fsencode(first), at_working_directory, os.fsencode(second),
                 exchange) != 0:
        number = ctypes.get_errno()
        raise OSError(number, os.strerror(number), str(second))


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP while the block runs, then act on them as their handlers would:
    a swap is never cut in half, and `committed` is true by the time an interruption is raised."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread gets signals
        yield
        return
    caught: list[int] = []
    numbers = [getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {number: signal.signal(number, lambda number, frame: caught.append(number)) for number in numbers}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        for number in caught:
            handler = previous[number]
            if callable(handler):
                handler(number, None)
            elif handler in (signal.SIG_DFL, None):
                os.kill(os.getpid(), number)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
