"""Is a document's confidence informative? Compare it with the errors on labelled documents.

    python benchmarks/confidence.py ../shared/corpus/dev tests/fixtures [--show]

Each directory holds documents with their labels: `NAME.truth.json` (the dev
corpus: "file", entries with "rank" and "title_as_printed") or
`NAME.expected.json` (the test fixtures: entries with "rank" and "title"). A
document has errors when its (rank, title as printed) pairs differ from the
labelled ones, compared loosely (case, punctuation and white space ignored,
as ../shared/tools/score.py does). Prints the confidence of documents with and
without errors, and the AUC: the chance that a document without errors scores
above one with errors (ties count half). Informative means well above 0.5.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import unicodedata
from pathlib import Path

from listparse.pipeline import Source, parse_source


def loose(text: str) -> str:
    text = unicodedata.normalize("NFKC", html.unescape(text or ""))
    return re.sub(r"[\W_]+", "", text.casefold())


def labelled(directory: Path) -> list[tuple[Path, set[tuple[int, str]]]]:
    found = []
    for label in sorted(directory.glob("*.truth.json")):
        truth = json.loads(label.read_text(encoding="utf-8"))
        found.append((directory / truth["file"], {(e["rank"], loose(e["title_as_printed"])) for e in truth["entries"]}))
    for label in sorted(directory.glob("*.expected.json")):
        stem = label.name.removesuffix(".expected.json")
        document = next(p for p in directory.glob(stem + ".*") if not p.name.endswith(".json"))
        expected = json.loads(label.read_text(encoding="utf-8"))
        found.append((document, {(e["rank"], loose(e["title"])) for e in expected["entries"]}))
    return found


def auc(good: list[float], bad: list[float]) -> float:
    pairs = [(1.0 if g > b else 0.5 if g == b else 0.0) for g in good for b in bad]
    return sum(pairs) / len(pairs) if pairs else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directories", nargs="+", type=Path)
    parser.add_argument("--show", action="store_true", help="list every document with its confidence")
    args = parser.parse_args()
    good: list[float] = []
    bad: list[float] = []
    for directory in args.directories:
        for path, expected in labelled(directory):
            document = parse_source(Source(path, path.name))
            # Saved-page fixtures label normalized titles, the others titles as printed: either matches.
            got = {(entry.rank, loose(entry.title_raw)) for entry in document.entries}
            normalized = {(entry.rank, loose(entry.title)) for entry in document.entries}
            right = len(got) == len(expected) and (got == expected or normalized == expected)
            confidence = document.confidence if document.confidence is not None else 0.0
            (good if right else bad).append(confidence)
            if args.show:
                flag = "ok " if right else "ERR"
                print(f"{flag} {confidence:.2f}  {path.name}  {'; '.join(document.confidence_reasons)}")
    if not good or not bad:
        sys.exit(f"need documents with and without errors: {len(good)} without, {len(bad)} with")
    print(f"documents without errors: {len(good)}, confidence mean {sum(good) / len(good):.3f}, "
          f"min {min(good):.2f}; below 0.8: {sum(c < 0.8 for c in good)}")
    print(f"documents with errors:    {len(bad)}, confidence mean {sum(bad) / len(bad):.3f}, "
          f"max {max(bad):.2f}; below 0.8: {sum(c < 0.8 for c in bad)}")
    print(f"AUC (a document without errors scores above one with errors): {auc(good, bad):.3f}")


if __name__ == "__main__":
    main()
