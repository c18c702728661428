"""The Spark engine beside the local one: documents/s for parse and merge on local[2], the driver's peak memory.

    python benchmarks/spark.py [--sizes 10000,30000] [--keep DIR] [--seed 1] [--master local[2]]
                               [--driver-memory 2g] [--shuffle-partitions N]

For each size N it generates N documents with benchmarks/generate.py (into
DIR/nN with --keep, reused when present) and measures, on the same files:

* local engine: `pipeline.parse_sources(jobs=2)` into the on-disk `Store`
  (parse), then `merge.merge_store` (merge);
* Spark engine (`--master`, default local[2], spark.driver.memory 2g):
  `spark.parse.parse_inputs` (parse, including the Parquet tables) and
  `spark.merge.merge_tables` (merge, including the works and documents tables);
* both write their files, which must be byte-identical (sha256 of each);
* peak memory, sampled every 0.2 s: the driver's Python process, the JVM
  (in local mode it holds the driver and the executors), and the Python
  workers; and the CPUs other processes used meanwhile (a shared machine).

Output: one table per size and a final JSON line with every figure.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/generate.py)
from run import _system_busy_s, timed  # noqa: E402  (benchmarks/run.py)

from listparse.export import write_outputs  # noqa: E402
from listparse.merge import merge_store  # noqa: E402
from listparse.pipeline import Result, find_sources, output_files, parse_sources  # noqa: E402
from listparse.store import Store  # noqa: E402

FORMATS = ("json", "csv")


class PeakMemory:
    """Peak RSS (MB) of this process, of the JVM it started, and of the Python workers, sampled in a thread."""

    def __init__(self) -> None:
        self.peaks = {"driver_python_mb": 0.0, "jvm_mb": 0.0, "python_workers_mb": 0.0, "tree_mb": 0.0}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            now = {"driver_python_mb": 0.0, "jvm_mb": 0.0, "python_workers_mb": 0.0}
            for pid, command in _tree(os.getpid()):
                rss = _rss_mb(pid)
                kind = ("driver_python_mb" if pid == os.getpid() else "jvm_mb" if "java" in command
                        else "python_workers_mb")
                now[kind] += rss
            now["tree_mb"] = sum(now.values())
            for key, value in now.items():
                self.peaks[key] = max(self.peaks[key], round(value, 1))


def _tree(root: int) -> list[tuple[int, str]]:
    children: dict[int, list[int]] = {}
    commands: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
                commands[int(entry.name)] = command.decode(errors="replace")
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append((pid, commands.get(pid, "")))
        todo.extend(children.get(pid, []))
    return found


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _tree_cpu_s() -> float:
    """CPU seconds used by this process and everything under it (the JVM and the Python workers are children
    that are never waited for, so getrusage does not see them)."""
    total = 0.0
    for pid, _ in _tree(os.getpid()):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime stime cutime cstime
    return total


def measured(function, *args):
    """(value, wall seconds, CPUs used on average by processes outside this one's tree meanwhile)."""
    busy, own = _system_busy_s(), _tree_cpu_s()
    value, seconds = timed(function, *args)
    busy_after, own_after = _system_busy_s(), _tree_cpu_s()
    if busy is None or busy_after is None or seconds <= 0:
        return value, seconds, None
    return value, seconds, round(max((busy_after - busy - (own_after - own)) / seconds, 0.0), 2)


def _digests(out: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(out.iterdir())}


def _stage(engine: str, stage: str, seconds: float, busy) -> None:
    """One stage's time as soon as it is known (stderr), so a run that fails later still leaves its figures."""
    print(f"  {engine} {stage}: {seconds:.1f} s (CPUs busy elsewhere {busy})", file=sys.stderr, flush=True)


def local_engine(corpus: Path, out: Path) -> dict:
    sources = find_sources([corpus])
    store = Store(on_disk=True)

    def parse() -> None:
        for parsed in parse_sources(sources, jobs=2):
            store.add(parsed)

    _, parse_s, parse_busy = measured(parse)
    _stage("local", "parse", parse_s, parse_busy)
    merged, merge_s, merge_busy = measured(merge_store, store)
    _stage("local", "merge", merge_s, merge_busy)
    result = Result(merged)
    _, write_s, write_busy = measured(lambda: write_outputs(output_files(result, FORMATS), out))
    _stage("local", "write", write_s, write_busy)
    counts = result.counts
    result.close()
    return {"documents": counts["documents"], "entries": counts["entries"], "works": counts["works"],
            "parse_s": round(parse_s, 2), "merge_s": round(merge_s, 2), "write_s": round(write_s, 2),
            "others_cpus_parse": parse_busy, "others_cpus_merge": merge_busy, "others_cpus_write": write_busy}


def spark_engine(spark, corpus: Path, out: Path, tables: str) -> dict:
    from listparse.spark.merge import merge_tables
    from listparse.spark.parse import parse_inputs

    (skipped, _), parse_s, parse_busy = measured(parse_inputs, spark, [str(corpus)], tables)
    _stage("spark", "parse", parse_s, parse_busy)
    merged, merge_s, merge_busy = measured(merge_tables, spark, tables, None, None, lambda: None)
    _stage("spark", "merge", merge_s, merge_busy)
    result = Result(merged, skipped)  # type: ignore[arg-type]
    _, write_s, write_busy = measured(lambda: write_outputs(output_files(result, FORMATS), out))
    _stage("spark", "write", write_s, write_busy)
    return {"parse_s": round(parse_s, 2), "merge_s": round(merge_s, 2), "write_s": round(write_s, 2),
            "others_cpus_parse": parse_busy, "others_cpus_merge": merge_busy, "others_cpus_write": write_busy}


def one_size(spark, docs: int, seed: int, keep: Path | None) -> dict:
    scratch = Path(tempfile.mkdtemp(prefix="listparse-spark-bench-"))
    corpus = (keep / f"n{docs}") if keep else scratch / "corpus"
    if not (corpus / "manifest.json").exists():
        generate.generate(corpus, docs, seed, jobs=2)
    cwd = os.getcwd()
    os.chdir(corpus)  # relative names, as a user's run has them
    try:
        local = local_engine(Path("."), scratch / "local")
        with PeakMemory() as memory:
            remote = spark_engine(spark, Path("."), scratch / "spark", (scratch / "tables").as_uri())
    finally:
        os.chdir(cwd)
    identical = _digests(scratch / "local") == _digests(scratch / "spark")
    shutil.rmtree(scratch, ignore_errors=True)
    figures = {"docs": docs, "local": local, "spark": remote, "spark_memory": memory.peaks,
               "byte_identical": identical}
    for engine in ("local", "spark"):
        for stage in ("parse", "merge"):
            figures[engine][f"{stage}_docs_per_s"] = round(docs / figures[engine][f"{stage}_s"], 1)
    return figures


def show(figures: dict) -> None:
    local, remote, memory = figures["local"], figures["spark"], figures["spark_memory"]
    print(f"\nN = {figures['docs']:,} documents, {local['entries']:,} entries, {local['works']:,} works; "
          f"outputs byte-identical: {figures['byte_identical']}")
    print(f"{'stage':<8}{'local (2 processes)':>26}{'spark local[2]':>26}{'spark / local':>15}")
    for stage in ("parse", "merge", "write"):
        line = f"{stage:<8}{local[stage + '_s']:>12.1f} s"
        line += f"{figures['docs'] / local[stage + '_s']:>9.0f} doc/s" if stage != "write" else " " * 15
        line += f"{remote[stage + '_s']:>12.1f} s"
        line += f"{figures['docs'] / remote[stage + '_s']:>9.0f} doc/s" if stage != "write" else " " * 15
        print(line + f"{remote[stage + '_s'] / local[stage + '_s']:>14.1f}×")
    print(f"CPUs busy elsewhere: local parse {local['others_cpus_parse']}, merge {local['others_cpus_merge']}; "
          f"spark parse {remote['others_cpus_parse']}, merge {remote['others_cpus_merge']}")
    print(f"Spark peak RSS: driver Python {memory['driver_python_mb']:.0f} MB, JVM (driver + local executors) "
          f"{memory['jvm_mb']:.0f} MB, Python workers {memory['python_workers_mb']:.0f} MB, "
          f"all {memory['tree_mb']:.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--driver-memory", default="2g",
                        help="spark.driver.memory (in local mode it holds the executors too)")
    parser.add_argument("--shuffle-partitions", type=int,
                        help="spark.sql.shuffle.partitions (default: 2 per local core)")
    options = parser.parse_args(argv)
    from listparse.spark import spark_session

    config = {"spark.driver.memory": options.driver_memory}
    if options.shuffle_partitions:
        config["spark.sql.shuffle.partitions"] = str(options.shuffle_partitions)
    spark = spark_session(options.master, config)
    print(f"nproc {os.cpu_count()}, Python {sys.version.split()[0]}, Spark {spark.version}, master {options.master}, "
          f"driver memory {options.driver_memory}, "
          f"shuffle partitions {spark.conf.get('spark.sql.shuffle.partitions')}")
    results = []
    try:
        for docs in (int(size) for size in options.sizes.split(",")):
            started = time.perf_counter()
            results.append(one_size(spark, docs, options.seed, options.keep))
            show(results[-1])
            print(f"({time.perf_counter() - started:.0f} s for this size)", flush=True)
    finally:
        spark.stop()
    print(json.dumps({"spark_benchmark": results}))
    return 0 if all(figures["byte_identical"] for figures in results) else 1


if __name__ == "__main__":
    sys.exit(main())
