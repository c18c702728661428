"""Benchmark listparse on a generated corpus: parsing, parallel parsing, merging, memory, floors, cold start.

    python benchmarks/run.py [--sizes 1000,10000] [--jobs N] [--keep DIR] [--seed 1] [--chunksize 16]

For each size N it generates N documents with benchmarks/generate.py (into a
temporary directory under /tmp, removed afterwards; or into DIR/nN with
--keep, reused when it already holds the same corpus) and measures:

* read + parse + normalize in one process, as `listparse ingest` does it:
  `parse_source` on every file, each result put in an on-disk `Store`;
  documents/s and MB/s, for text, Markdown and HTML separately;
* the same on all cores (`listparse.pipeline.parse_sources(jobs=N)`, the
  parent storing each worker's record), and the speed-up over one process;
* both again with parsing alone (each `Document` dropped at once, nothing
  stored or sent back): what storing and shipping the results costs;
* the floor: read the same files, decode them and run one compiled regex
  (`^\\s*\\d+[.)]`) over every line; listparse's time as a multiple of it;
* `merge_store` (cluster, then build and store each work from its entries
  read back from disk) on prefixes of about 10k / 100k / 200k entries and on
  every document, to show how it scales;
* end to end, `listparse ingest --jobs N` on the corpus: cold (empty cache),
  then on a copy with 1% of the files changed (warm cache), then that copy
  with `--no-cache` (the two outputs must be byte-identical); wall time and
  the peak memory of the whole process tree (PSS summed over the parent and
  its workers, sampled every 0.2 s, and the RSS sum);
* HTML engines on the corpus's HTML (already decoded, in memory):
  `BeautifulSoup(text, "lxml").get_text()`, `lxml.html.document_fromstring(text).text_content()`,
  and listparse's own `html_text.render_html`;
* that the parser found the generated entries (a sanity check, not a speed).

Then, once: cold start of the installed `listparse` command (`--help`, and
`ingest raw/*.txt --out <tmp>` run from the project root), best of 5.

Output: the machine, one readable table per size, and a final JSON line with
every figure. Files are read from a warm page cache (they were just written).
"""

from __future__ import annotations

import argparse
import gc
import glob
import json
import multiprocessing
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/generate.py)

import listparse  # noqa: E402
import listparse.pipeline as pipeline  # noqa: E402
from listparse.merge import merge_store  # noqa: E402
from listparse.pipeline import Source, parse_source  # noqa: E402
from listparse.store import Parsed, Store  # noqa: E402

FLOOR_RE = re.compile(r"^\s*\d+[.)]")
SLICES = (10_000, 100_000, 200_000)
MB = 1024 * 1024


# --------------------------------------------------------------------------- helpers

def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    return {"nproc": os.cpu_count(), "cpu": model or platform.machine(),
            "python": platform.python_version(), "implementation": platform.python_implementation(),
            "listparse": listparse.__version__, "platform": platform.platform(),
            "build": "compiled (mypyc)" if listparse.compiled() else "Python source"}


def rss_mb() -> dict:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"self": round(own, 1), "largest_child": round(children, 1)}


def timed(function, *args, **kwargs):
    """(value, wall seconds), with the cyclic collector paused as `listparse.pipeline.run` pauses it."""
    was_enabled = gc.isenabled()
    gc.disable()
    started = time.perf_counter()
    try:
        value = function(*args, **kwargs)
    finally:
        seconds = time.perf_counter() - started
        if was_enabled:
            gc.enable()
    return value, seconds


def _system_busy_s() -> float | None:
    """CPU seconds the whole machine has spent busy (all CPUs), from /proc/stat."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return None
    return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


def _own_cpu_s() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


WAIT_IDLE = 0.0  # --wait-idle: seconds to wait, before each measurement, for other processes to go quiet


def wait_idle(limit: float, threshold: float = 0.25) -> float | None:
    """Sleep until other processes use under `threshold` CPUs (sampled over 1 s), at most `limit` seconds.
    Returns the last sample."""
    deadline = time.monotonic() + limit
    others = None
    while True:
        busy = _system_busy_s()
        if busy is None:
            return None
        time.sleep(1.0)
        others = (_system_busy_s() - busy) / 1.0
        if others < threshold or time.monotonic() >= deadline:
            return round(others, 2)


def measured(function, *args, **kwargs):
    """(value, wall seconds, CPUs used on average by *other* processes meanwhile, or None).

    Other work on the machine (a test run, a build) skews the figures, the
    all-cores ones most; this says how much there was."""
    if WAIT_IDLE > 0:
        wait_idle(WAIT_IDLE)
    busy, own = _system_busy_s(), _own_cpu_s()
    value, seconds = timed(function, *args, **kwargs)
    busy_after = _system_busy_s()
    if busy is None or busy_after is None or seconds <= 0:
        return value, seconds, None
    others = (busy_after - busy - (_own_cpu_s() - own)) / seconds
    return value, seconds, round(max(others, 0.0), 2)


def _parse_count(item: tuple[str, str]) -> int:
    """Pool worker that sends back only the number of entries (nothing to store)."""
    path, name = item
    return len(parse_source(Source(Path(path), name)).entries)


def store_serial(items: list[tuple[str, str]]) -> Store:
    """What ingest does in one process: parse each source and put it in the on-disk store."""
    store = Store(on_disk=True)
    for path, name in items:
        store.add(Parsed.of(parse_source(Source(Path(path), name))))
    return store


def parse_serial_dropped(items: list[tuple[str, str]]) -> int:
    """Parsing alone: each Document is dropped at once, nothing is stored."""
    return sum(map(_parse_count, items))


def parse_parallel_dropped(items: list[tuple[str, str]], jobs: int, chunksize: int) -> int:
    with multiprocessing.get_context("fork").Pool(jobs) as workers:
        return sum(workers.map(_parse_count, items, chunksize=chunksize))


def store_parallel(items: list[tuple[str, str]], jobs: int) -> Store:
    """What ingest does on all cores: `parse_sources` in worker processes, the parent storing each record."""
    store = Store(on_disk=True)
    for parsed in pipeline.parse_sources([Source(Path(path), name) for path, name in items], jobs):
        store.add(parsed)
    return store


def prefix_store(store: Store, entries: int) -> tuple[Store, int]:
    """A new store with the first documents (in source order) of `store` holding about `entries` entries."""
    prefix, count = Store(on_disk=True), 0
    for head, rows in store.in_source_order():
        if count >= entries:
            break
        prefix.add(Parsed.of(head.model_copy(update={"entries": [entry for _, entry in rows]})))
        count += len(rows)
    return prefix, count


def floor(items: list[tuple[str, str]]) -> int:
    """Read, decode, split and match one regex per line: the least any parser must do."""
    hits = 0
    match = FLOOR_RE.match
    for path, _ in items:
        for line in Path(path).read_bytes().decode("utf-8").split("\n"):
            if match(line):
                hits += 1
    return hits


def corpus(directory: Path, docs: int, seed: int, jobs: int) -> tuple[dict, float, bool]:
    """Generate (or reuse) a corpus; return its manifest, the generation time and whether it was reused."""
    manifest_path = directory / "manifest.json"
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("docs") == docs and manifest.get("seed") == seed and all(
                (directory / d["path"]).is_file() for d in manifest["documents"]):
            return manifest, 0.0, True
    _, seconds = timed(generate.generate, directory, docs, seed, jobs)
    return json.loads(manifest_path.read_text(encoding="utf-8")), seconds, False


def rate(count: float, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


# --------------------------------------------------------------------------- one size

def load() -> list[float]:
    """1-, 5- and 15-minute load averages: other work on the machine skews the figures, the all-cores ones most."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def bench_size(docs: int, args, workdir: Path) -> dict:
    load_before = load()
    manifest, gen_seconds, reused = corpus(workdir, docs, args.seed, args.jobs)
    groups: dict[str, list[tuple[str, str]]] = {"text": [], "markdown": [], "html": []}
    sizes: dict[str, int] = {"text": 0, "markdown": 0, "html": 0}
    expected: dict[str, int] = {}
    for document in manifest["documents"]:
        group = document["format"]
        path = workdir / document["path"]
        groups[group].append((str(path), document["path"]))
        sizes[group] += path.stat().st_size
        expected[document["path"]] = len(document["works"])
    result: dict = {
        "docs": docs, "corpus_dir": str(workdir), "reused_corpus": reused, "generate_s": round(gen_seconds, 2),
        "formats": manifest["formats"], "bytes": manifest["bytes"], "generated_entries": manifest["entries"],
        "generated_distinct_works": manifest["distinct_works"], "pool_works": manifest["pool_works"],
        "groups": {},
    }
    for group, items in groups.items():
        floor(items[: min(len(items), 50)])  # warm imports and caches
        gc.collect()
        store, serial, others_serial = measured(store_serial, items)
        found = store.entries
        exact = sum(1 for source, _, _, entries in store.references() if entries == expected[source])
        failed = len(store.failed)
        store.close()
        _, floor_s = timed(floor, items)
        gc.collect()
        _, dropped_s, others_dropped = measured(parse_serial_dropped, items)
        gc.collect()
        store, parallel_s, others_parallel = measured(store_parallel, items, args.jobs)
        assert store.documents == len(items) and store.entries == found
        store.close()
        gc.collect()
        _, parallel_dropped_s, others_parallel_dropped = measured(parse_parallel_dropped, items, args.jobs,
                                                                  args.chunksize)
        mb = sizes[group] / MB
        result["groups"][group] = {
            "docs": len(items), "mb": round(mb, 2),
            "serial_s": round(serial, 3), "serial_docs_s": round(rate(len(items), serial), 1),
            "serial_mb_s": round(rate(mb, serial), 2),
            "parallel_s": round(parallel_s, 3), "parallel_docs_s": round(rate(len(items), parallel_s), 1),
            "parallel_mb_s": round(rate(mb, parallel_s), 2),
            "parallel_how": f"listparse.pipeline.parse_sources(jobs={args.jobs}) into a Store",
            "speedup": round(serial / parallel_s, 2) if parallel_s else None,
            "serial_dropped_s": round(dropped_s, 3), "serial_dropped_docs_s": round(rate(len(items), dropped_s), 1),
            "parallel_dropped_s": round(parallel_dropped_s, 3),
            "parallel_dropped_docs_s": round(rate(len(items), parallel_dropped_s), 1),
            "speedup_dropped": round(dropped_s / parallel_dropped_s, 2) if parallel_dropped_s else None,
            "floor_s": round(floor_s, 3), "floor_docs_s": round(rate(len(items), floor_s), 1),
            "floor_mb_s": round(rate(mb, floor_s), 2), "x_floor": round(serial / floor_s, 1) if floor_s else None,
            "entries_found": found,
            "entries_generated": sum(expected[name] for _, name in items),
            "docs_exact_count": exact,
            "docs_failed": failed,
            "others_cpus": {"serial": others_serial, "serial_dropped": others_dropped,
                            "parallel": others_parallel, "parallel_dropped": others_parallel_dropped},
        }
    result["rss_after_parse_mb"] = rss_mb()

    # Merging (`merge_store`: cluster, then build and store each work from its entries read back from
    # disk): prefixes (in source order) of about 10k / 100k / 200k entries, then every document.
    everything = store_parallel([item for items in groups.values() for item in items], args.jobs)
    total_entries = everything.entries
    merges = []
    for target in [t for t in SLICES if t < total_entries]:
        prefix, count = prefix_store(everything, target)
        gc.collect()
        merged, seconds, others = measured(merge_store, prefix)
        merges.append({"target": target, "docs": prefix.documents, "entries": count,
                       "works": len(merged.work_ids), "seconds": round(seconds, 3),
                       "entries_s": round(rate(count, seconds), 1), "others_cpus": others})
        prefix.close()
    gc.collect()
    merged, seconds, others = measured(merge_store, everything)
    merges.append({"target": total_entries, "docs": everything.documents, "entries": total_entries,
                   "works": len(merged.work_ids), "seconds": round(seconds, 3),
                   "entries_s": round(rate(total_entries, seconds), 1), "others_cpus": others})
    everything.close()
    del merged
    gc.collect()
    result["merge"] = merges
    result["rss_after_merge_mb"] = rss_mb()

    if not args.no_end_to_end:
        result["end_to_end"] = end_to_end(workdir, docs, args.jobs)

    # HTML engines, on the decoded HTML in memory.
    html_items = groups["html"]
    texts = [Path(path).read_bytes().decode("utf-8") for path, _ in html_items]
    if args.html_limit:
        texts = texts[: args.html_limit]
    html_mb = sum(len(t.encode("utf-8")) for t in texts) / MB
    result["html_engines"] = {"docs": len(texts), "mb": round(html_mb, 2)}
    for label, function in html_engines().items():
        gc.collect()
        _, seconds = timed(lambda function=function, texts=texts: [function(text) for text in texts])
        result["html_engines"][label] = {"seconds": round(seconds, 3), "docs_s": round(rate(len(texts), seconds), 1),
                                         "mb_s": round(rate(html_mb, seconds), 2)}
    del texts
    gc.collect()
    result["rss_mb"] = rss_mb()
    result["load_before"], result["load_after"] = load_before, load()
    return result


def html_engines() -> dict:
    from bs4 import BeautifulSoup
    from lxml import html as lxml_html

    from listparse.html_text import render_html

    return {
        'BeautifulSoup(text, "lxml").get_text()': lambda text: BeautifulSoup(text, "lxml").get_text(),
        "lxml.html.document_fromstring(text).text_content()":
            lambda text: lxml_html.document_fromstring(text).text_content(),
        "listparse.html_text.render_html(text)": render_html,
    }


# --------------------------------------------------------------------------- end to end

def listparse_command() -> str | None:
    executable = Path(sys.executable).parent / "listparse"
    return str(executable) if executable.exists() else shutil.which("listparse")


def _process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parent = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += children.get(pid, [])
    return tree


def _memory_kb(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in KB; PSS splits pages shared with forked workers fairly."""
    pss = rss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
            elif line.startswith("Rss:"):
                rss = int(line.split()[1])
    except OSError:
        pass
    return pss, rss


def run_sampled(argv: list[str], cwd: Path, env: dict) -> dict:
    """Run a command; sample the memory of its whole process tree (parent and workers) every 0.2 s."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_pss = peak_rss = 0
    while True:
        pid, status, _ = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        samples = [_memory_kb(member) for member in _process_tree(process.pid)]
        peak_pss = max(peak_pss, sum(pss for pss, _ in samples))
        peak_rss = max(peak_rss, sum(rss for _, rss in samples))
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    # (wait4's ru_maxrss is not reported: the child is forked from this process and inherits its peak.)
    return {"seconds": round(seconds, 2), "exit_code": process.returncode,
            "peak_tree_pss_mb": round(peak_pss / 1024), "peak_tree_rss_sum_mb": round(peak_rss / 1024),
            "stderr": stderr.strip()[-300:]}


def _digest(directory: Path) -> dict[str, str]:
    import hashlib

    digests = {}
    for path in sorted(directory.iterdir()):
        digest = hashlib.sha256()
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
        digests[path.name] = digest.hexdigest()
    return digests


def end_to_end(workdir: Path, docs: int, jobs: int) -> dict:
    """`listparse ingest` on the corpus as a user runs it: cold (empty cache), then on a copy with 1% of
    the files changed (warm cache: only those are re-parsed), then that copy with --no-cache; the last two
    must write byte-identical files."""
    command = listparse_command()
    if not command:
        return {"error": "no listparse executable found"}
    with tempfile.TemporaryDirectory(prefix=f"listparse-bench-e2e-{docs}-", dir="/tmp") as tmp:
        root = Path(tmp)
        changed = root / "corpus"
        shutil.copytree(workdir, changed, copy_function=os.link)  # hard links: no copy of the data
        names = sorted(p for p in changed.rglob("*") if p.suffix in {".txt", ".md", ".html"})
        for path in names[::100]:  # 1%: a blank line after the headline (content, and so the hash, changes)
            text = path.read_text(encoding="utf-8")
            path.unlink()  # break the hard link before writing
            path.write_text(text.replace("\n", "\n\n", 1), encoding="utf-8")
        env = dict(os.environ, LISTPARSE_CACHE_DIR=str(root / "cache"))
        ingest = [command, "ingest", "--jobs", str(jobs), "-q"]
        result = {"docs": docs, "jobs": jobs, "changed_files": len(names[::100])}
        result["cold"] = run_sampled([*ingest, str(workdir), "--out", str(root / "cold")], root, env)
        shutil.rmtree(root / "cold", ignore_errors=True)
        result["warm_1pct_changed"] = run_sampled([*ingest, "corpus", "--out", "warm"], root, env)
        result["no_cache"] = run_sampled([*ingest, "corpus", "--out", "fresh", "--no-cache"], root, env)
        output = sum(p.stat().st_size for p in (root / "fresh").iterdir())
        corpus = sum(p.stat().st_size for p in changed.rglob("*") if p.suffix in {".txt", ".md", ".html"})
        result["output_mb"] = round(output / MB)
        result["output_per_input_byte"] = round(output / corpus, 2)
        result["cached_equals_fresh"] = _digest(root / "warm") == _digest(root / "fresh")
    return result


# --------------------------------------------------------------------------- cold start

def cold_start(repeat: int = 5) -> dict:
    command = listparse_command()
    if not command:
        return {"error": "no listparse executable found"}
    raw = sorted(glob.glob(str(PROJECT / "raw" / "*.txt")))
    result = {"executable": command, "repeat": repeat}
    with tempfile.TemporaryDirectory(prefix="listparse-bench-cold-", dir="/tmp") as tmp:
        out, warm_cache = os.path.join(tmp, "out"), os.path.join(tmp, "warm-cache")
        ingest = [command, "ingest", *[os.path.relpath(p, PROJECT) for p in raw], "--out", out]
        label = f"listparse ingest raw/*.txt ({len(raw)} files) --out <tmp>"
        runs = [  # (label, argv, cache directory: None = a fresh empty one for every run)
            ("listparse --help", [command, "--help"], None),
            (label, ingest, None),
            (label + ", warm cache", ingest, warm_cache),
        ]
        for label, argv, cache in runs:
            if WAIT_IDLE > 0:
                wait_idle(WAIT_IDLE)
            times, codes = [], set()
            for attempt in range(repeat + (cache is not None)):
                # The CLI caches parsed documents (LISTPARSE_CACHE_DIR, else ~/.cache/listparse): point it
                # at a fresh directory so that "cold" means cold and nothing is written outside /tmp.
                env = dict(os.environ, LISTPARSE_CACHE_DIR=cache or tempfile.mkdtemp(dir=tmp))
                started = time.perf_counter()
                completed = subprocess.run(argv, cwd=PROJECT, capture_output=True, env=env)
                if cache is None or attempt > 0:  # the warm row's first run only fills the cache
                    times.append(time.perf_counter() - started)
                codes.add(completed.returncode)
            result[label] = {"best_s": round(min(times), 3), "median_s": round(sorted(times)[len(times) // 2], 3),
                             "exit_codes": sorted(codes)}
    return result


# --------------------------------------------------------------------------- printing

def _n(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def print_size(r: dict) -> None:
    f = r["formats"]
    print()
    print(f"== N = {r['docs']:,} documents: {r['bytes'] / MB:,.1f} MB ({f['text']:,} text, {f['markdown']:,} md, "
          f"{f['html']:,} html); {r['generated_entries']:,} entries, {r['generated_distinct_works']:,} distinct works "
          f"generated (pool {r['pool_works']:,}) ==")
    how = "reused" if r["reused_corpus"] else f"generated in {r['generate_s']} s"
    print(f"corpus: {r['corpus_dir']} ({how})")
    g = r["groups"]
    rows = [
        ("documents", lambda x: f"{x['docs']:,}"),
        ("MB", lambda x: _n(x["mb"], 1)),
        ("1 process: seconds", lambda x: _n(x["serial_s"], 2)),
        ("1 process: docs/s", lambda x: _n(x["serial_docs_s"])),
        ("1 process: MB/s", lambda x: _n(x["serial_mb_s"], 2)),
        ("all cores: seconds", lambda x: _n(x["parallel_s"], 2)),
        ("all cores: docs/s", lambda x: _n(x["parallel_docs_s"])),
        ("all cores: MB/s", lambda x: _n(x["parallel_mb_s"], 2)),
        ("all cores: speed-up", lambda x: f"{x['speedup']:.2f}x"),
        ("1 process, Documents dropped", lambda x: f"{x['serial_dropped_docs_s']:,.1f} docs/s"),
        ("all cores, Documents dropped", lambda x: f"{x['parallel_dropped_docs_s']:,.1f} docs/s"),
        ("  speed-up, dropped", lambda x: f"{x['speedup_dropped']:.2f}x"),
        ("floor (read+regex): seconds", lambda x: _n(x["floor_s"], 3)),
        ("floor: docs/s", lambda x: _n(x["floor_docs_s"])),
        ("floor: MB/s", lambda x: _n(x["floor_mb_s"], 1)),
        ("listparse / floor", lambda x: f"{x['x_floor']:,.1f}x"),
        ("entries found / generated", lambda x: f"{x['entries_found']:,} / {x['entries_generated']:,}"),
        ("docs with exact entry count", lambda x: f"{x['docs_exact_count']:,} / {x['docs']:,}"),
        ("CPUs busy elsewhere 1p/all", lambda x: " / ".join(
            "?" if x["others_cpus"][k] is None else f"{x['others_cpus'][k]:.2f}"
            for k in ("serial", "parallel"))),
        ("  same, Documents dropped", lambda x: " / ".join(
            "?" if x["others_cpus"][k] is None else f"{x['others_cpus'][k]:.2f}"
            for k in ("serial_dropped", "parallel_dropped"))),
    ]
    print(f"{'read+parse+normalize':<32}{'text':>22}{'markdown':>22}{'html':>22}")
    for label, cell in rows:
        print(f"{label:<32}{cell(g['text']):>22}{cell(g['markdown']):>22}{cell(g['html']):>22}")
    print(f"all cores via: {g['html']['parallel_how']}")
    print()
    print(f"{'merge_store':<30}{'docs':>10}{'entries':>12}{'works':>10}{'seconds':>10}{'entries/s':>12}"
          f"{'busy elsewhere':>16}")
    for m in r["merge"]:
        label = "all documents" if m is r["merge"][-1] else f"~{m['target']:,} entries"
        others = "?" if m["others_cpus"] is None else f"{m['others_cpus']:.2f} CPUs"
        print(f"{label:<30}{m['docs']:>10,}{m['entries']:>12,}{m['works']:>10,}{m['seconds']:>10.2f}"
              f"{m['entries_s']:>12,.0f}{others:>16}")
    print()
    e = r.get("end_to_end")
    if e and "error" not in e:
        print(f"{'listparse ingest --jobs ' + str(e['jobs']) + ' (whole process tree)':<44}{'seconds':>9}"
              f"{'docs/s':>9}{'peak PSS':>10}{'RSS sum':>9}  exit")
        for key, label in (("cold", "cold: empty cache"),
                           ("warm_1pct_changed", f"1% changed ({e['changed_files']:,} files), warm cache"),
                           ("no_cache", "same corpus, --no-cache")):
            x = e[key]
            print(f"{label:<44}{x['seconds']:>9.1f}{e['docs'] / x['seconds']:>9,.0f}{x['peak_tree_pss_mb']:>7,} MB"
                  f"{x['peak_tree_rss_sum_mb']:>6,} MB  {x['exit_code']}")
        print(f"output: {e['output_mb']:,} MB, {e['output_per_input_byte']} bytes per input byte; cached and "
              f"--no-cache outputs byte-identical: {e['cached_equals_fresh']}")
        print()
    h = r["html_engines"]
    print(f"{'HTML engine (' + format(h['docs'], ',') + ' docs, ' + format(h['mb'], ',.1f') + ' MB)':<55}"
          f"{'seconds':>10}{'docs/s':>10}{'MB/s':>8}")
    for label, value in h.items():
        if isinstance(value, dict):
            print(f"{label:<55}{value['seconds']:>10.2f}{value['docs_s']:>10,.1f}{value['mb_s']:>8.2f}")
    print()
    print(f"this benchmark process, peak RSS after parsing: {r['rss_after_parse_mb']['self']:,.0f} MB; "
          f"after merging: {r['rss_after_merge_mb']['self']:,.0f} MB")
    print(f"load average before: {' '.join(map(str, r['load_before']))}; after: {' '.join(map(str, r['load_after']))}"
          f" (on {os.cpu_count()} CPUs; it lags by minutes: the 'busy elsewhere' figures are the exact ones)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes [1000,10000]")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes for 'all cores' [nproc]")
    parser.add_argument("--keep", metavar="DIR", help="generate into (or reuse) DIR/n<N> and keep it")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed [1]")
    parser.add_argument("--chunksize", type=int, default=16, help="Pool.map chunksize [16]")
    parser.add_argument("--html-limit", type=int, default=0,
                        help="compare HTML engines on at most this many documents [0 = all]")
    parser.add_argument("--no-cold-start", action="store_true", help="skip the cold-start timings")
    parser.add_argument("--no-end-to-end", action="store_true",
                        help="skip the `listparse ingest` runs (cold, 1%% changed, --no-cache) on each corpus")
    parser.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                        help="before each measurement wait up to SECONDS for other processes to use "
                             "< 0.25 CPUs [0: don't wait]")
    args = parser.parse_args(argv)
    global WAIT_IDLE
    WAIT_IDLE = args.wait_idle
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    started = time.perf_counter()
    info = machine()
    print(f"machine: {info['nproc']} CPUs, {info['cpu']}; {info['implementation']} {info['python']}; "
          f"listparse {info['listparse']}, {info['build']}; {info['platform']}")
    print(f"jobs: {args.jobs}; chunksize: {args.chunksize}; seed: {args.seed}; sizes: {', '.join(map(str, sizes))}")
    results = []
    for docs in sizes:
        if args.keep:
            workdir = Path(args.keep) / f"n{docs}"
            results.append(bench_size(docs, args, workdir))
        else:
            with tempfile.TemporaryDirectory(prefix=f"listparse-bench-{docs}-", dir="/tmp") as tmp:
                results.append(bench_size(docs, args, Path(tmp)))
        results[-1]["wall_s"] = round(time.perf_counter() - started, 1)
        print_size(results[-1])
        print(f"(elapsed so far: {results[-1]['wall_s']:.0f} s)")
        sys.stdout.flush()

    cold = None if args.no_cold_start else cold_start()
    if cold:
        print()
        print(f"{'cold start (best of ' + str(cold.get('repeat', 5)) + ')':<60}{'best s':>10}{'median s':>10}")
        for label, value in cold.items():
            if isinstance(value, dict):
                print(f"{label:<60}{value['best_s']:>10.3f}{value['median_s']:>10.3f}"
                      f"   exit {','.join(map(str, value['exit_codes']))}")
    rss = rss_mb()
    total = round(time.perf_counter() - started, 1)
    print()
    print(f"peak RSS of the whole run: {rss['self']:,.0f} MB (this process), {rss['largest_child']:,.0f} MB "
          f"(largest child: pool worker or subprocess); total wall time {total:,.1f} s")
    print(json.dumps({"machine": info, "jobs": args.jobs, "chunksize": args.chunksize, "seed": args.seed,
                      "sizes": results, "cold_start": cold, "peak_rss_mb": rss, "total_s": total},
                     separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
