"""Run every attack of the hostile-input review against an installed `listparse` and print a table.

    python benchmarks/attacks.py [--listparse PATH] [--timeout SECONDS] [--only NAME,...]

Each attack writes its own inputs into a temporary directory, runs the
command (`listparse` from this virtualenv by default; give another
installation's to compare versions), and checks what a user would: that it
finished, with which exit code and how long it took, and whether the output
kept every entry and stayed whole. The table has one row per attack: `ok`,
or `FAIL` with what went wrong. Exit code: 0 when every attack is `ok`, 1
otherwise.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MEMORY_CAP = 4 << 30
LIST = "Three things\n\n1. Alpha\n\n2. Beta\n\n3. Gamma\n"


@dataclass
class Outcome:
    code: int | None  # None: killed at the timeout
    seconds: float
    stdout: bytes
    stderr: bytes


class Runner:
    def __init__(self, listparse: str, timeout: float) -> None:
        self.listparse = listparse
        self.timeout = timeout

    def __call__(self, *args: str, cwd: Path, env: dict | None = None, stdin: bytes | None = None,
                 signal_after: tuple[float, int] | None = None) -> Outcome:
        """Run listparse and time it; `signal_after` (seconds, signal) sends a signal, and the time is then
        counted from it."""
        command = [self.listparse, *args]
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})}, preexec_fn=_memory_cap,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if signal_after:
            time.sleep(signal_after[0])
            process.send_signal(signal_after[1])
            started = time.perf_counter()  # from the signal on: how long it takes to obey it
        try:
            stdout, stderr = process.communicate(stdin, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
            return Outcome(None, time.perf_counter() - started, stdout, stderr)
        return Outcome(process.returncode, time.perf_counter() - started, stdout, stderr)


def _memory_cap() -> None:
    """Each attack may use 4 GB of address space: a blow-up fails fast instead of swapping the machine."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _finished(outcome: Outcome, codes: tuple[int, ...] = (0, 1)) -> str | None:
    if outcome.code is None:
        return "did not finish"
    if outcome.code not in codes:
        return f"exit {outcome.code}: {_last_line(outcome.stderr)}"
    if b"Traceback" in outcome.stderr:
        return "traceback: " + _last_line(outcome.stderr)
    return None


def _last_line(stream: bytes) -> str:
    lines = stream.decode("utf-8", "replace").strip().splitlines()
    return lines[-1][:90] if lines else "(nothing on stderr)"


def _write(directory: Path, name: str | bytes, data: str | bytes) -> Path:
    path = Path(os.fsdecode(os.path.join(os.fsencode(directory), os.fsencode(name))))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _one_document(name: str, data: str | bytes) -> Callable:
    """An attack of one file next to a good one: both must be in documents.csv, the good one parsed."""
    def attack(run: Runner, work: Path) -> str | None:
        _write(work / "in", name, data)
        _write(work / "in", "good.txt", LIST)
        outcome = run("ingest", "in", "--out", "out", "--no-cache", "-q", cwd=work)
        problem = _finished(outcome)
        if problem:
            return problem
        statuses = {row["source"]: row["status"] for row in _rows(work / "out" / "documents.csv")}
        if len(statuses) != 2 or statuses.get("in/good.txt") != "ok":
            return f"documents.csv: {statuses}"
        return None
    return attack


def _chain_layers() -> str:
    """Lines shaped like labelled chains: 18 label styles, each a chain of 6, one after another."""
    labels = [f"Q{chr(97 + i)}{chr(98 + i)}" for i in range(18)]
    return "\n".join(f"{label} {layer}: item {label} {layer}" for label in labels for layer in range(1, 7)) + "\n"


def _entries_of(run: Runner, work: Path, name: str, data: str | bytes) -> tuple[str | None, list[dict]]:
    _write(work / "in", name, data)
    outcome = run("ingest", "in", "--out", "out", "--no-cache", "-q", cwd=work)
    problem = _finished(outcome)
    return problem, [] if problem else _rows(work / "out" / "entries.csv")


def letterless_titles(run: Runner, work: Path) -> str | None:
    problem, rows = _entries_of(run, work, "symbols.txt", "Best symbols\n\n1. ÷\n\n2. ×\n\n3. 🎉\n\n4. Title\n")
    if problem:
        return problem
    works = _rows(work / "out" / "works.csv")
    missing = [row["title"] for row in rows if not row["work_id"]]
    return f"{len(missing)} of {len(rows)} entries without a work ({len(works)} works)" if missing else None


def big_ranks(run: Runner, work: Path) -> str | None:
    text = "Huge\n\n" + "".join(f"{rank}. Item {rank}\n\n" for rank in range(9998, 10004))
    problem, rows = _entries_of(run, work, "big.txt", text)
    return problem or (None if len(rows) == 6 else f"{len(rows)} of 6 entries kept")


def inner_bom(run: Runner, work: Path) -> str | None:
    problem, rows = _entries_of(run, work, "bom.txt", b"Top\n\n1. One\n\xef\xbb\xbf2. Two\n3. Three\n")
    return problem or (None if len(rows) == 3 else f"{len(rows)} of 3 entries kept")


def hidden_markdown_list(run: Runner, work: Path) -> str | None:
    text = ("# Top 3\n\n<!--\n1. Draft A\n2. Draft B\n3. Draft C\n4. Draft D\n-->\n\n```\n1. a\n2. b\n3. c\n4. d\n"
            "5. e\n```\n\n<script>\n1. s\n2. t\n3. u\n4. v\n</script>\n\n1. One\n2. Two\n3. Three\n")
    problem, rows = _entries_of(run, work, "hidden.md", text)
    titles = [row["title"] for row in rows]
    return problem or (None if titles == ["One", "Two", "Three"] else f"entries {titles[:3]}…")


def non_utf8_name(run: Runner, work: Path) -> str | None:
    _write(work / "in", b"bad\xff\xfe.txt", LIST)
    _write(work / "in", "good.txt", LIST)
    outcome = run("ingest", "in", "--out", "out", "--no-cache", "-q", cwd=work)
    return _finished(outcome) or (None if len(_rows(work / "out" / "documents.csv")) == 2 else "a document lost")


def _config_error(flag: str, name: str, data: str, env_file: bool = False) -> Callable:
    def attack(run: Runner, work: Path) -> str | None:
        _write(work / "in", "good.txt", LIST)
        config = _write(work, name, data) if not env_file else _write(work, name, "not a directory")
        args = ["ingest", "in", "--out", "out", "-q"] + ([flag, str(config)] if flag else [])
        outcome = run(*args, cwd=work, env={"LISTPARSE_CACHE_DIR": str(config)} if env_file else None)
        if outcome.code != 2 or b"Traceback" in outcome.stderr:
            return f"exit {outcome.code}: {_last_line(outcome.stderr)}"
        if len(outcome.stderr.strip().splitlines()) != 1:
            return "more than one line on stderr"
        if flag and config.name.encode() not in outcome.stderr:
            return f"the message does not name the file: {_last_line(outcome.stderr)}"
        if name.endswith(".csv") and b"column" not in outcome.stderr:
            return f"the message does not name what is missing: {_last_line(outcome.stderr)}"
        return None
    return attack


def catalogue_as_json_array(run: Runner, work: Path) -> str | None:
    _write(work / "in", "good.txt", LIST)
    _write(work, "catalogue.json", '[{"title": "Alpha"}]')
    outcome = run("ingest", "in", "--out", "out", "-q", "--no-cache", "--catalogue", "catalogue.json", cwd=work)
    return _finished(outcome, (0,))


def cache_keyed_on_format(run: Runner, work: Path) -> str | None:
    listing = "Top three\n\n1. One\n2. Two\n3. Three\n"  # a list as text, one paragraph as HTML
    _write(work / "in", "page.html", listing)
    _write(work / "in", "page.txt", listing)
    counts = []
    for args in (["--no-cache"], ["--cache-dir", "cache"], ["--cache-dir", "cache"]):
        outcome = run("ingest", "in", "--out", "out", "-q", *args, cwd=work)
        problem = _finished(outcome)
        if problem:
            return problem
        counts.append(tuple(sorted((row["source"], row["title"]) for row in _rows(work / "out" / "entries.csv"))))
    return None if counts[0] == counts[1] == counts[2] else "no cache, cold and warm caches differ"


def outside_symlink(run: Runner, work: Path) -> str | None:
    _write(work / "in", "good.txt", LIST)
    secret = _write(work / "secret", "secret.txt", "Secret list\n\n1. Password one\n\n2. Password two\n")
    os.symlink(secret, work / "in" / "link.txt")
    outcome = run("ingest", "in", "--out", "out", "--no-cache", "-q", cwd=work)
    problem = _finished(outcome)
    if problem:
        return problem
    return "followed a link out of the input tree" if any("Password" in row["title"] for row in
                                                           _rows(work / "out" / "entries.csv")) else None


def _keeps_output(*args: str) -> Callable:
    def attack(run: Runner, work: Path) -> str | None:
        _write(work / "in", "good.txt", LIST)
        (work / "empty").mkdir()
        run("ingest", "in", "--out", "out", "--no-cache", "-q", cwd=work)
        before = (work / "out" / "works.csv").read_bytes()
        outcome = run("ingest", *args, "--out", "out", "--no-cache", "-q", cwd=work)
        if outcome.code != 2:
            return f"exit {outcome.code}"
        return None if (work / "out" / "works.csv").read_bytes() == before else "the previous output was replaced"
    return attack


def string_path_in_python(run: Runner, work: Path) -> str | None:
    _write(work / "raw", "good.txt", LIST)
    python = str(Path(run.listparse).with_name("python"))
    code = "import listparse; d = listparse.ingest('raw/'); print(len(d.works))"
    started = subprocess.run([python, "-c", code], cwd=work, capture_output=True, timeout=run.timeout)
    return None if started.stdout.strip() == b"3" else f"{_last_line(started.stderr) or started.stdout[:60]}"


def stale_files(run: Runner, work: Path) -> str | None:
    _write(work / "in", "good.txt", LIST)
    run("ingest", "in", "--out", "out", "--no-cache", "-q", cwd=work)
    run("ingest", "in", "--out", "out", "--no-cache", "-q", "--format", "jsonl", cwd=work)
    stale = sorted(name for name in os.listdir(work / "out") if not name.endswith(".jsonl")
                   and not name.startswith("."))
    return f"left behind: {', '.join(stale)}" if stale else None


def formula_injection(run: Runner, work: Path) -> str | None:
    problem, rows = _entries_of(run, work, "evil.txt", "Top\n\n1. =HYPERLINK(\"http://x\")\n\n2. +1+1\n\n3. @SUM(A1)\n")
    if problem:
        return problem
    raw = (work / "out" / "entries.csv").read_text(encoding="utf-8")
    live = [line for line in raw.splitlines() if any(f",{mark}" in line or f',"{mark}' in line for mark in "=+@")]
    return f"{len(live)} row(s) with a live formula" if live else None


def terminal_escapes(run: Runner, work: Path) -> str | None:
    _write(work / "in", "evil\x1b[31m\nlistparse: forged.txt", "")
    outcome = run("ingest", "in", "--out", "out", "--no-cache", cwd=work)
    forged = b"\x1b" in outcome.stderr or b"\nlistparse: forged" in outcome.stderr
    return "an escape sequence or a forged line reached stderr" if forged else None


def closed_pipe(run: Runner, work: Path) -> str | None:
    for name in range(40):
        _write(work / "in", f"{name:02}.txt", LIST.replace("Alpha", f"Alpha {name}"))
    pipeline = subprocess.run(["/bin/bash", "-c", f"set -o pipefail; '{run.listparse}' ingest in --out - --no-cache "
                               "| head -1 >/dev/null"], cwd=work, capture_output=True, timeout=run.timeout)
    if pipeline.returncode != 0 or b"Traceback" in pipeline.stderr:
        return f"exit {pipeline.returncode}: {_last_line(pipeline.stderr)}"
    return None


def sigterm_while_parsing(run: Runner, work: Path) -> str | None:
    _write(work / "in", "attrs.html", "<html><body><div " + " ".join(f"a{i}=x" for i in range(300_000))
           + "></div><ol><li>a</li><li>b</li></ol></body></html>")
    outcome = run("ingest", "in", "--out", "out", "--no-cache", "-q", cwd=work, signal_after=(1.5, signal.SIGTERM))
    if outcome.code is None:
        return "SIGTERM ignored"
    return None if outcome.seconds <= 1.0 else f"obeyed after {outcome.seconds:.1f} s"


ATTACKS: dict[str, Callable] = {
    "html-sniff: 270 B of '<!-- -->' lines": _one_document("comments.txt", "<!-- -->\n" * 30),
    "heading: '# a' + 3,000 spaces + 'b'": _one_document("heading.md", "# a" + " " * 3000 + "b\n"),
    "emphasis: '*a' × 50,000": _one_document("emphasis.txt", "Top\n\n1. A\n\n" + "*a" * 50_000 + "\n\n2. B\n"),
    "byline: 'By' + 5,000 spaces ×2": _one_document("byline.txt", "By" + " " * 5000 + "x" + " " * 5000 + "y\n"),
    "names: 'Aaa Bbb Ccc. ' × 20,000": _one_document("names.txt", "Top\n\n1. A\n\n" + "Aaa Bbb Ccc. " * 20_000
                                                    + "\n\n2. B\n"),
    "merge: a title of 1,000 words": _one_document("words.txt", "Top\n\n1. " + " ".join(f"w{i}" for i in range(1000))
                                                   + "\n\n2. B\n\n3. C\n"),
    "merge: one 100 KB word": _one_document("word.txt", "Top\n\n1. " + "x" * 100_000 + "\n\n2. B\n\n3. C\n"),
    "chains: 18 styles × 6 layers": _one_document("chains.txt", _chain_layers()),
    "html: <div> of 300,000 attributes": _one_document("attrs.html", "<html><body><div " + " ".join(
        f"a{i}=x" for i in range(300_000)) + "></div><ol><li>a</li><li>b</li></ol></body></html>"),
    "html: a 20 MB alt attribute": _one_document("alt.html", '<html><body><h1>Top</h1><ol><li><img alt="'
                                                 + "x y " * 5_000_000 + '">One</li><li>Two</li></ol></body></html>'),
    "SIGTERM obeyed within 1 s": sigterm_while_parsing,
    "file name not UTF-8": non_utf8_name,
    "catalogue: a JSON array (read as works)": catalogue_as_json_array,
    "catalogue: CSV without title": _config_error("--catalogue", "catalogue.csv", "name,year\nSteins;Gate,2011\n"),
    "aliases: typo key 'alias='": _config_error("--aliases", "aliases.toml",
                                                '[[merge]]\nalias = ["Steins;Gate", "Steins Gate"]\n'),
    "LISTPARSE_CACHE_DIR is a file": _config_error("", "cachefile", "", env_file=True),
    "cache: same bytes as .txt and .html": cache_keyed_on_format,
    "titles without letters (÷ × 🎉)": letterless_titles,
    "ranks of 10,000 and above": big_ranks,
    "a BOM in the middle of a file": inner_bom,
    "Markdown: lists in comments/code/script": hidden_markdown_list,
    "symlink out of the input tree": outside_symlink,
    "glob with no matches": _keeps_output("in/*.markdown"),
    "empty directory": _keeps_output("empty"),
    "ingest('raw/') with a string": string_path_in_python,
    "json then jsonl into one --out": stale_files,
    "CSV formula injection": formula_injection,
    "ESC and newline in a file name": terminal_escapes,
    "--out - | head -1": closed_pipe,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = str(Path(sys.executable).with_name("listparse"))
    parser.add_argument("--listparse", default=default, help="the listparse command to attack")
    parser.add_argument("--timeout", type=float, default=30, help="seconds before an attack counts as a hang")
    parser.add_argument("--only", default="", help="comma-separated substrings of attack names")
    parser.add_argument("--json", action="store_true", help="print one JSON line of results at the end")
    options = parser.parse_args()
    run = Runner(options.listparse, options.timeout)
    chosen = [name for name in ATTACKS if not options.only or any(part in name for part in options.only.split(","))]
    results = {}
    print(f"{'attack':44} {'result':6} {'seconds':>8}  detail")
    for name in chosen:
        with tempfile.TemporaryDirectory(prefix="listparse-attack-") as directory:
            started = time.perf_counter()
            try:
                problem = ATTACKS[name](run, Path(directory))
            except subprocess.TimeoutExpired:
                problem = "did not finish"
            seconds = time.perf_counter() - started
        results[name] = {"ok": problem is None, "seconds": round(seconds, 2), "detail": problem or ""}
        print(f"{name:44} {'ok' if problem is None else 'FAIL':6} {seconds:8.2f}  {problem or ''}", flush=True)
    print(f"{sum(r['ok'] for r in results.values())} of {len(results)} attacks handled")
    if options.json:
        print(json.dumps(results, ensure_ascii=False))
    return 0 if all(result["ok"] for result in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
