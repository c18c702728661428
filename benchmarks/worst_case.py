"""Time listparse on hostile inputs of growing size and print each pattern's growth exponent.

    python benchmarks/worst_case.py [--patterns NAME,...] [--timeout 60] [--memory-gb 3]

Every pattern of issue 11 ("Hangs and memory blow-ups from small inputs") is
generated at 3-4 sizes; each size is ingested (read, parse, normalize, merge;
no output written, no cache) in a fresh child process under a wall clock
(`--timeout`) and an address-space cap (`--memory-gb`), so that a blow-up
shows as `>60s` or `MemoryError` instead of taking the machine down. The
per-document time limit is switched off in the child: the figures are the
parser's own cost, not the limit's.

The exponent is the log-log slope of seconds against input size, fitted over
the sizes that finished (1 is linear, 2 quadratic, 3 cubic; a pattern whose
time is dominated by start-up costs shows a slope near 0). To compare two
versions of the code, run the script against each with `PYTHONPATH`:

    PYTHONPATH=/tmp/base/src python benchmarks/worst_case.py > before.txt
    python benchmarks/worst_case.py > after.txt
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

LIST = "\n\n1. Alpha\n\nA fine one.\n\n2. Beta\n\nAnother.\n\n3. Gamma\n\nThe last.\n"


@dataclass(frozen=True)
class Pattern:
    name: str
    suffix: str
    sizes: tuple[int, ...]
    unit: str
    make: Callable[[int], str]


def _labelled_chains(styles: int, layers: int = 6) -> str:
    """Lines like `Qab 1: …`: `styles` labels, each printing ranks that continue the others' (6 layers)."""
    labels = [f"Q{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(styles)]
    lines = []
    for layer in range(layers):
        for label in labels:
            lines.append(f"{label} {2 * layer + 1}: x\n{label} {2 * layer + 2}: y\n")
    return "Top list\n\n" + "".join(lines)


PATTERNS = [
    Pattern("comment lines (.txt)", ".txt", (14, 18, 22, 26), "lines", lambda n: "<!-- -->\n" * n),
    Pattern("heading spaces (.md)", ".md", (250, 500, 1000, 2000), "spaces",
            lambda n: "# a" + " " * n + "b\n" + LIST),
    Pattern("emphasis *a*a… (.txt)", ".txt", (2500, 5000, 10000, 20000), "pairs",
            lambda n: "Top two\n\n1. Alpha\n\n" + "*a" * n + "\n\n2. Beta\n\nText.\n"),
    Pattern("author line By … x … y", ".txt", (625, 1250, 2500, 5000), "spaces",
            lambda n: "Top three\n\nBy" + " " * n + "x" + " " * n + "y\n" + LIST),
    Pattern("names Aaa Bbb Ccc.", ".txt", (2500, 5000, 10000, 20000), "sentences",
            lambda n: "Top two\n\n1. Alpha\n\n" + "Aaa Bbb Ccc. " * n + "\n\n2. Beta\n\nText.\n"),
    Pattern("title of many words", ".txt", (100, 200, 400, 800), "words",
            lambda n: "Top two\n\n1. " + " ".join(f"w{i}" for i in range(n)) + "\n\nText.\n\n2. Beta\n\nText.\n"),
    Pattern("one long word as title", ".txt", (12500, 25000, 50000, 100000), "chars",
            lambda n: "Top two\n\n1. " + "x" * n + "\n\nText.\n\n2. Beta\n\nText.\n"),
    Pattern("labelled chains Qab 1:", ".txt", (3, 6, 12, 18), "styles", _labelled_chains),
    Pattern("div with many attributes", ".html", (37500, 75000, 150000, 300000), "attributes",
            lambda n: "<html><body><div " + " ".join(f"a{i}=\"\"" for i in range(n)) + ">x</div>"
                      "<ol><li>Alpha</li><li>Beta</li></ol></body></html>"),
    Pattern("huge alt attribute", ".html", (2_500_000, 5_000_000, 10_000_000, 20_000_000), "bytes",
            lambda n: "<html><body><ol><li><img alt=\"" + "x" * n + "\"></li><li>Beta</li><li>Gamma</li></ol>"
                      "</body></html>"),
]

CHILD = """
import json, sys, time
try:
    import listparse.limits as limits
    limits.TIME_LIMIT = None
except ImportError:
    pass
from listparse.pipeline import IngestOptions, run
started = time.perf_counter()
with run([sys.argv[1]], IngestOptions()) as result:
    statuses = [document.status for document in result.documents()]
print(json.dumps({"seconds": time.perf_counter() - started, "status": statuses[0]}))
"""


def measure(pattern: Pattern, size: int, timeout: float, memory_gb: float) -> tuple[float | None, str]:
    """Seconds to ingest the pattern at `size` in a child process, or None with what went wrong."""
    with tempfile.TemporaryDirectory(prefix="listparse-worst-") as folder:
        path = Path(folder) / f"hostile{pattern.suffix}"
        path.write_text(pattern.make(size), encoding="utf-8")
        limit = int(memory_gb * 2**30)

        def cap_memory() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        try:
            done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True,
                                  timeout=timeout, preexec_fn=cap_memory, env=os.environ)
        except subprocess.TimeoutExpired:
            return None, f">{timeout:.0f}s"
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return None, "MemoryError" if "MemoryError" in done.stderr else f"failed: {last[:40]}"
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return report["seconds"], report["status"]


def growth_exponent(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(seconds) against log(size)."""
    if len(points) < 2:
        return None
    xs = [math.log(size) for size, _ in points]
    ys = [math.log(max(seconds, 1e-4)) for _, seconds in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patterns", help="comma-separated substrings of pattern names to run")
    parser.add_argument("--timeout", type=float, default=60.0, help="wall clock per size, seconds")
    parser.add_argument("--memory-gb", type=float, default=3.0, help="address-space cap per child")
    args = parser.parse_args()
    chosen = [p for p in PATTERNS if not args.patterns or any(s in p.name for s in args.patterns.split(","))]
    print(f"{'pattern':26} {'sizes':34} {'seconds':40} exponent")
    for pattern in chosen:
        points, cells = [], []
        for size in pattern.sizes:
            seconds, status = measure(pattern, size, args.timeout, args.memory_gb)
            if seconds is None:
                cells.append(status)
                break  # a larger size can only be worse
            points.append((size, seconds))
            cells.append(f"{seconds:.2f}" + ("" if status in ("ok", "no-list") else f" ({status})"))
        exponent = growth_exponent(points)
        sizes = ", ".join(_short(size) for size in pattern.sizes) + f" {pattern.unit}"
        print(f"{pattern.name:26} {sizes:34} {' / '.join(cells):40} "
              f"{'-' if exponent is None else f'{exponent:.2f}'}", flush=True)


def _short(size: int) -> str:
    return f"{size // 1_000_000}M" if size >= 1_000_000 and size % 1_000_000 == 0 else (
        f"{size / 1000:g}k" if size >= 10_000 else str(size))


if __name__ == "__main__":
    main()
