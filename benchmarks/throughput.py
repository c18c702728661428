"""End-to-end throughput of `listparse ingest` against the read+regex floor (issue 14).

    python benchmarks/throughput.py [--docs 4000] [--seed 1] [--keep DIR] [--jobs 2] [--repeat 1] [--wait-idle S]
                                    [--runs cold,warm,no-cache]

Generates N text listicles that are variants of the two seed articles in `raw/`
(srcdn-style countdowns with metadata lines), deterministic from (--docs,
--seed), into DIR/seedvariants-nN with --keep (reused when it holds the same
corpus), else into a temporary directory under /tmp that is removed afterwards:

* each seed is parsed once with listparse to find its entries' title spans;
* per variant: the entries of one seed, about half of them under the seed's
  own titles (titles both seeds share are kept in 70% of the documents, so a
  few works recur in most of them), some of those with another casing or a
  dropped letter; the others under titles drawn from a pool of 1.8 × N
  synthesized works (benchmarks/generate.py: half Zipf, half uniform); the
  headline's number and some description sentences vary so files differ;
* `DIR/shard_XXX/NNNNN.txt`, 1,000 files a shard; each generated file is
  parsed again and must give as many entries as its seed (a warning count).

Then measures, in the same run and on the same files:

* the floor: read each file, decode UTF-8, split lines, one compiled regex
  `^\\s*\\d+[.)]` a line (benchmarks/run.py's `floor`), best of 3, measured
  again after every ingest run; the fastest pass of all is the floor, so a
  slow spell while it is measured cannot flatter the ratios;
* `listparse ingest DIR --jobs J -q --out OUT` as a subprocess: cold (an empty
  LISTPARSE_CACHE_DIR), warm (the same cache again), `--no-cache` once; wall
  seconds, documents/s, × the floor, peak PSS of the whole process tree,
  output bytes ÷ input bytes, each output file's bytes per input document,
  and whether all outputs are byte-identical (sha256 of every file);
* for every timed run, the CPUs other processes used meanwhile.

Output: a readable table, then one JSON line with every figure.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/generate.py: word lists, pool of works, prose)
import run  # noqa: E402  (benchmarks/run.py: floor, run_sampled, _digest, measured)

from listparse.pipeline import Source, parse_source  # noqa: E402

SEEDS = sorted((PROJECT / "raw").glob("*.txt"))
KEEP_SHARED = 0.7  # a title both seeds list stays in 70% of the documents: a few works recur in most
KEEP_OTHER = 0.3  # the seeds' other titles: about half of all entries keep a seed title
TARGET_X_FLOOR = 55  # issue 14: "Done when … ≤ 55× the read+regex floor", down from 138×
MB = 1024 * 1024
LEADING_NUMBER_RE = re.compile(r"\d+")
YEAR_RE = re.compile(r"(Year Released\s+)\d{4}")
SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+")


# --------------------------------------------------------------------------- the corpus

class Seed:
    """One raw/ article cut at its entries' titles: pieces[0], title 1, pieces[1], title 2, …"""

    def __init__(self, path: Path):
        text = path.read_bytes().decode("utf-8")
        document = parse_source(Source(path, path.name))
        self.name = path.name
        self.titles = [entry.title_raw for entry in document.entries]
        spans = [(entry.span.start, entry.span.end) for entry in document.entries]
        assert all(text[start:end] == title for (start, end), title in zip(spans, self.titles, strict=True))
        cuts = [0, *(offset for span in spans for offset in span), len(text)]
        self.pieces = [text[cuts[i]:cuts[i + 1]] for i in range(0, len(cuts), 2)]
        self.headline = document.headline.raw if document.headline else ""


def load_seeds() -> list[Seed]:
    seeds = [Seed(path) for path in SEEDS]
    for seed in seeds:
        assert seed.titles, f"{seed.name}: listparse finds no entries in this seed"
    return seeds


def _variant(title: str, rng: random.Random) -> str:
    """A recurring title as some documents print it: other casing, or one letter dropped."""
    roll = rng.random()
    if roll < 0.35:
        return title.upper()
    if roll < 0.6:
        return title[:1] + title[1:].lower()
    words = title.split(" ")
    candidates = [i for i, word in enumerate(words) if len(word) >= 5 and word.isalpha()]
    if not candidates:
        return title.lower()
    i = rng.choice(candidates)
    position = rng.randint(1, len(words[i]) - 2)
    words[i] = words[i][:position] + words[i][position + 1:]
    return " ".join(words)


def _reworded(block: str, rng: random.Random) -> str:
    """Replace the first sentence of some long prose lines, so that no two files are alike."""
    lines = block.split("\n")
    for i, line in enumerate(lines):
        if len(line) > 120 and line[:1].isalpha() and rng.random() < 0.35:
            parts = SENTENCE_END_RE.split(line, maxsplit=1)
            if len(parts) == 2:
                lines[i] = f"{generate.sentence(rng)} {parts[1]}"
    return "\n".join(lines)


def make_variant(index: int, seed_value: int, seeds: list[Seed], shared: set[str],
                 sampler: generate.Sampler) -> tuple[str, int, list[str]]:
    """(text, which seed, the work key of every entry): one document, a pure function of its index."""
    rng = random.Random(f"variant:{seed_value}:{index}")
    which = rng.randrange(len(seeds))
    seed = seeds[which]
    head = seed.pieces[0]
    if seed.headline and rng.random() < 0.6:
        number = str(rng.choice((5, 7, 8, 10, 12, 15, 20, 25, 30)))
        head = head.replace(seed.headline, LEADING_NUMBER_RE.sub(number, seed.headline, count=1), 1)
    out, works = [_reworded(head, rng)], []
    for title, block in zip(seed.titles, seed.pieces[1:], strict=True):
        keep = KEEP_SHARED if title.lower() in shared else KEEP_OTHER
        if rng.random() < keep:
            printed = _variant(title, rng) if rng.random() < 0.15 else title
            works.append(f"seed:{title.lower()}")
        else:
            work = sampler.draw(rng)
            printed = generate.printed_title(work, rng, curly=False)
            block = YEAR_RE.sub(lambda m, year=work.year: f"{m.group(1)}{year}", block.replace(title, printed))
            works.append(f"pool:{work.id}")
        out += [printed, _reworded(block, rng)]
    return "".join(out), which, works


def _count_entries(path: str) -> int:
    return len(parse_source(Source(Path(path), Path(path).name)).entries)


def generate_corpus(directory: Path, docs: int, seed_value: int, jobs: int) -> dict:
    """Write the variants and a manifest; parse every file again to check its entry count."""
    seeds = load_seeds()
    titles = [{title.lower() for title in seed.titles} for seed in seeds]
    shared = set.intersection(*titles) if len(titles) > 1 else set()
    pool = [work for works in generate.build_pool(max(int(1.8 * docs), 10), seed_value).values() for work in works]
    sampler = generate.Sampler(pool)
    directory.mkdir(parents=True, exist_ok=True)
    paths, expected, appearances, total = [], [], Counter(), 0
    for index in range(docs):
        text, which, works = make_variant(index, seed_value, seeds, shared, sampler)
        path = directory / f"shard_{index // generate.SHARD:03d}" / f"{index:05d}.txt"
        path.parent.mkdir(exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        total += len(data)
        paths.append(str(path))
        expected.append(len(seeds[which].titles))
        appearances.update(works)
    with multiprocessing.get_context("fork").Pool(max(jobs, 1)) as workers:
        found = workers.map(_count_entries, paths, chunksize=32)
    mismatched = sum(1 for got, want in zip(found, expected, strict=True) if got != want)
    manifest = {
        "docs": docs, "seed": seed_value, "seeds": [seed.name for seed in seeds], "bytes": total,
        "entries": sum(expected), "entries_found": sum(found), "docs_entry_count_mismatch": mismatched,
        "pool_works": len(pool), "distinct_works": len(appearances),
        "largest_work_appearances": max(appearances.values(), default=0),
        "works_in_over_half_the_documents": sum(1 for n in appearances.values() if n > docs / 2),
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def corpus(directory: Path, docs: int, seed_value: int, jobs: int) -> tuple[dict, float, bool]:
    """The corpus's manifest, the generation seconds and whether an existing corpus was reused."""
    manifest_path = directory / "manifest.json"
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("docs") == docs and manifest.get("seed") == seed_value and len(
                list(directory.glob("shard_*/*.txt"))) == docs:
            return manifest, 0.0, True
    started = time.perf_counter()
    manifest = generate_corpus(directory, docs, seed_value, jobs)
    return manifest, time.perf_counter() - started, False


# --------------------------------------------------------------------------- measuring

def _floor_times(items: list[tuple[str, str]]) -> list[float]:
    return [run.timed(run.floor, items)[1] for _ in range(3)]


def measure_floor(items: list[tuple[str, str]]) -> dict:
    """Best of 3; the CPUs busy elsewhere over all three (under 0.5 s, /proc/stat's ticks are too coarse)."""
    run.floor(items[:50])  # warm the regex and the page cache
    times, span, others = run.measured(_floor_times, items)
    return {"seconds": round(min(times), 5), "others_cpus": others if span >= 0.5 else None}


RUN_KINDS = ("cold", "warm", "no_cache")  # the ingest runs, in the order they are made
PER_CORE_DOCS = 1000  # documents parsed in this process for the per-core rate


def measure_per_core(items: list[tuple[str, str]]) -> dict:
    """What one core parses: `parse_source` and the worker's record (`Parsed.of`) on the first documents,
    in this process, best of 3; also its CPU time, steadier than the wall time on a shared machine."""
    from listparse.pipeline import Source, parse_source
    from listparse.store import Parsed

    chosen = [(Path(path), name, Path(path).read_bytes()) for path, name in items[:PER_CORE_DOCS]]

    def parse_all() -> float:
        cpu = time.process_time()
        for path, name, data in chosen:
            Parsed.of(parse_source(Source(path, name), (data, None)))
        return time.process_time() - cpu

    parse_all()  # warm imports and caches
    best = min((run.measured(parse_all) for _ in range(3)), key=lambda found: found[1])
    cpu_s, seconds, others = best
    return {"docs": len(chosen), "seconds": round(seconds, 3), "docs_s": round(run.rate(len(chosen), seconds), 1),
            "cpu_docs_s": round(run.rate(len(chosen), cpu_s), 1), "others_cpus": others}


def ingest(command: str, corpus_dir: Path, out: Path, cache: Path, jobs: int, *extra: str) -> dict:
    """One `listparse ingest` as a user runs it, its whole process tree's memory sampled."""
    argv = [command, "ingest", str(corpus_dir), "--jobs", str(jobs), "-q", "--out", str(out), *extra]
    env = dict(os.environ, LISTPARSE_CACHE_DIR=str(cache))
    result, _, others = run.measured(run.run_sampled, argv, out.parent, env)
    result["others_cpus"] = others
    files = sorted(out.iterdir()) if out.is_dir() else []
    result["output_bytes"] = sum(path.stat().st_size for path in files)
    result["file_bytes"] = {path.name: path.stat().st_size for path in files}
    result["digest"] = run._digest(out) if out.is_dir() else {}
    shutil.rmtree(out, ignore_errors=True)  # at 4,000 documents each output is ~270 MB
    return result


def summary(runs: list[dict], docs: int, corpus_bytes: int, floor_s: float) -> dict:
    """Medians over repeated runs of one kind."""
    seconds = statistics.median(r["seconds"] for r in runs)
    output = statistics.median(r["output_bytes"] for r in runs)
    others = [r["others_cpus"] for r in runs if r["others_cpus"] is not None]
    return {
        "runs": len(runs), "seconds": round(seconds, 2), "seconds_each": [r["seconds"] for r in runs],
        "docs_s": round(run.rate(docs, seconds), 1), "x_floor": round(seconds / floor_s, 1) if floor_s else None,
        "peak_tree_pss_mb": round(statistics.median(r["peak_tree_pss_mb"] for r in runs)),
        "peak_tree_rss_sum_mb": round(statistics.median(r["peak_tree_rss_sum_mb"] for r in runs)),
        "output_bytes": round(output), "output_per_input": round(output / corpus_bytes, 2),
        "kb_per_input_doc": {name: round(size / docs / 1024, 2) for name, size in runs[0]["file_bytes"].items()},
        "others_cpus": round(max(others), 2) if others else None,
        "exit_codes": sorted({r["exit_code"] for r in runs}),
        "stderr": next((r["stderr"] for r in runs if r["exit_code"] != 0), ""),
    }


def bench(corpus_dir: Path, manifest: dict, args) -> dict:
    command = run.listparse_command()
    if not command:
        raise SystemExit("no listparse executable next to this Python or on PATH")
    items = [(str(path), path.name) for path in sorted(corpus_dir.glob("shard_*/*.txt"))]
    docs, corpus_bytes = len(items), sum(Path(path).stat().st_size for path, _ in items)
    # The floor is measured again after every run and the fastest pass kept: a slow spell during one
    # measurement would otherwise make every ratio look better than it is.
    floors = [measure_floor(items)]
    per_core = measure_per_core(items)
    runs: dict[str, list[dict]] = {kind: [] for kind in args.runs}

    def ingest_then_floor(kind: str, out: Path, cache: Path) -> None:
        extra = ("--no-cache",) if kind == "no_cache" else ()
        runs[kind].append(ingest(command, corpus_dir, out, cache, args.jobs, *extra))
        floors.append(measure_floor(items))

    with tempfile.TemporaryDirectory(prefix=f"listparse-throughput-{docs}-", dir="/tmp") as tmp:
        root = Path(tmp)
        for attempt in range(args.repeat if "cold" in runs else 0):
            cache = root / f"cache-{attempt}"
            cache.mkdir()
            ingest_then_floor("cold", root / f"cold-{attempt}", cache)
            if "warm" in runs:
                ingest_then_floor("warm", root / f"warm-{attempt}", cache)
            shutil.rmtree(cache, ignore_errors=True)
        if "no_cache" in runs:
            empty = root / "cache-unused"
            empty.mkdir()
            ingest_then_floor("no_cache", root / "no-cache", empty)
    floor = min(floors, key=lambda found: found["seconds"])
    floor["seconds_each"] = [found["seconds"] for found in floors]
    reference = next(iter(runs.values()))[0]["digest"]
    return {
        "docs": docs, "bytes": corpus_bytes, "jobs": args.jobs, "repeat": args.repeat,
        "floor": {**floor, "docs_s": round(run.rate(docs, floor["seconds"]), 1),
                  "mb_s": round(run.rate(corpus_bytes / MB, floor["seconds"]), 1)},
        **{kind: summary(value, docs, corpus_bytes, floor["seconds"]) for kind, value in runs.items()},
        "per_core": per_core,
        "outputs_identical": all(r["digest"] == reference for value in runs.values() for r in value),
        "target_x_floor": TARGET_X_FLOOR,
    }


# --------------------------------------------------------------------------- printing

def _cpus(value: float | None) -> str:
    return "?" if value is None else f"{value:.2f}"


def print_report(r: dict, manifest: dict, corpus_dir: Path, how: str) -> None:
    print(f"corpus: {corpus_dir} ({how}); {r['docs']:,} documents, {r['bytes'] / MB:,.1f} MB "
          f"({r['bytes'] / r['docs'] / 1024:,.1f} KB each), {manifest['entries']:,} entries, "
          f"{manifest['distinct_works']:,} distinct works (pool {manifest['pool_works']:,}); largest work "
          f"{manifest['largest_work_appearances']:,} appearances; {manifest['works_in_over_half_the_documents']} "
          f"works in over half the documents")
    print(f"entries found when generating: {manifest['entries_found']:,} / {manifest['entries']:,}; "
          f"documents whose entry count differs from their seed's: {manifest['docs_entry_count_mismatch']:,}")
    print()
    f = r["floor"]
    print(f"{'jobs ' + str(r['jobs']) + ', medians of ' + str(r['repeat']):<34}{'seconds':>9}{'docs/s':>10}"
          f"{'x floor':>9}{'peak PSS':>10}{'out/in':>8}{'busy elsewhere':>16}  exit")
    print(f"{'floor: read+decode+split+regex':<34}{f['seconds']:>9.3f}{f['docs_s']:>10,.0f}{1:>8.1f}x"
          f"{'-':>10}{'-':>8}{_cpus(f['others_cpus']):>11} CPUs")
    for key, label in (("cold", "listparse ingest, cold cache"), ("warm", "listparse ingest, warm cache"),
                       ("no_cache", "listparse ingest --no-cache")):
        if key not in r:
            continue
        x = r[key]
        print(f"{label:<34}{x['seconds']:>9.2f}{x['docs_s']:>10,.1f}{x['x_floor']:>8.1f}x"
              f"{x['peak_tree_pss_mb']:>7,} MB{x['output_per_input']:>7.2f}x{_cpus(x['others_cpus']):>11} CPUs"
              f"  {','.join(map(str, x['exit_codes']))}")
    c = r["per_core"]
    print(f"{'parse, one core (' + format(c['docs'], ',') + ' docs)':<34}{c['seconds']:>9.2f}{c['docs_s']:>10,.1f}"
          f"{'':>9}{'':>10}{'':>8}{_cpus(c['others_cpus']):>11} CPUs  ({c['cpu_docs_s']:,.1f} docs per CPU second)")
    print()
    first = r[next(key for key in RUN_KINDS if key in r)]
    per_doc = first["kb_per_input_doc"]
    print(f"output per input document: {sum(per_doc.values()):,.1f} KB = "
          + ", ".join(f"{name} {kb:,.2f}" for name, kb in sorted(per_doc.items(), key=lambda kv: -kv[1])))
    print(f"floor passes (the fastest is the floor): {', '.join(f'{s:.3f}' for s in f['seconds_each'])} s")
    print(f"outputs of every run byte-identical: {r['outputs_identical']}")
    if "cold" in r:
        verdict = "met" if r["cold"]["x_floor"] <= TARGET_X_FLOOR else "not met"
        print(f"issue 14 target, cold run <= {TARGET_X_FLOOR}x the floor: {r['cold']['x_floor']:.1f}x ({verdict})")
    for key in RUN_KINDS:
        if key in r and r[key]["stderr"]:
            print(f"{key} stderr: {r[key]['stderr']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=4000, help="documents to generate [4000]")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed [1]")
    parser.add_argument("--keep", metavar="DIR", help="generate into (or reuse) DIR/seedvariants-n<N> and keep it")
    parser.add_argument("--jobs", type=int, default=2, help="listparse ingest --jobs [2]")
    parser.add_argument("--repeat", type=int, default=1, help="cold and warm runs each; medians reported [1]")
    parser.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                        help="before each measurement wait up to SECONDS for other processes to use "
                             "< 0.25 CPUs [0: don't wait]")
    parser.add_argument("--runs", default="cold,warm,no-cache",
                        help="which ingest runs, comma-separated; warm needs cold [cold,warm,no-cache]")
    args = parser.parse_args(argv)
    args.runs = [kind.strip().replace("-", "_") for kind in args.runs.split(",") if kind.strip()]
    if not args.runs or set(args.runs) - set(RUN_KINDS) or ("warm" in args.runs and "cold" not in args.runs):
        parser.error(f"--runs takes some of cold, warm, no-cache (warm only with cold), not {args.runs}")
    run.WAIT_IDLE = args.wait_idle  # read by run.measured
    args.repeat = max(args.repeat, 1)
    started = time.perf_counter()
    info = run.machine()
    print(f"machine: {info['nproc']} CPUs, {info['cpu']}; {info['implementation']} {info['python']}; "
          f"listparse {info['listparse']}, {info['build']}")
    load_before = run.load()
    with tempfile.TemporaryDirectory(prefix="listparse-throughput-corpus-", dir="/tmp") as tmp:
        corpus_dir = Path(args.keep) / f"seedvariants-n{args.docs}" if args.keep else Path(tmp)
        manifest, generate_s, reused = corpus(corpus_dir, args.docs, args.seed, args.jobs)
        how = "reused" if reused else f"generated in {generate_s:.1f} s"
        result = bench(corpus_dir, manifest, args)
        print_report(result, manifest, corpus_dir, how)
    total = round(time.perf_counter() - started, 1)
    print(f"load average before: {' '.join(map(str, load_before))}; after: {' '.join(map(str, run.load()))}; "
          f"total wall time {total:,.1f} s")
    print(json.dumps({"machine": info, "seed": args.seed, "corpus": manifest, "corpus_dir": str(corpus_dir),
                      "reused_corpus": reused, "generate_s": round(generate_s, 2), **result, "total_s": total},
                     separators=(",", ":")))
    ok = result["outputs_identical"] and all(result[k]["exit_codes"] == [0] for k in RUN_KINDS if k in result)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
