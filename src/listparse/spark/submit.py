"""The entry point of a spark-submit job: `spark-submit "$(python -m listparse.spark.where)" PATHS --out DIR`.

Takes the same PATHS as `listparse ingest` (local paths, or URIs such as
s3a://bucket/crawl/ and hdfs:///crawl/ that Spark can read), and writes the
local run's files to `--out` (a local directory on the driver) and, with
`--tables DIR`, keeps the Parquet tables there: `documents` and `entries` (as
parsed), `works` (id, Work JSON) and `documents_out` (source, Document JSON
with work ids); `--no-files` writes only those.
The master and resources come from spark-submit's own options.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    from ..export import write_outputs
    from ..pipeline import IngestOptions, output_files
    from .engine import run_spark

    parser = argparse.ArgumentParser(prog="listparse.spark", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--out", default="output", help="output directory on the driver [default: output]")
    parser.add_argument("--tables", help="keep the Parquet tables here (any Hadoop file system URI)")
    parser.add_argument("--no-files", action="store_true",
                        help="write only the Parquet tables (with --tables), not the files on the driver")
    parser.add_argument("--format", dest="formats", action="append",
                        choices=("json", "jsonl", "csv", "sqlite", "parquet"))
    parser.add_argument("--catalogue")
    parser.add_argument("--aliases")
    parser.add_argument("--master", help="Spark master [default: spark-submit's, else local[*]]")
    parser.add_argument("--previous", help="carry ids from the run in this directory [default: the one --out "
                                           "holds]")
    parser.add_argument("--fresh-ids", action="store_true", help="give every work a fresh id")
    options = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="listparse: %(message)s", stream=sys.stderr)
    settings = IngestOptions(formats=tuple(options.formats or ("json", "csv")),
                             catalogue=Path(options.catalogue) if options.catalogue else None,
                             aliases=Path(options.aliases) if options.aliases else None,
                             previous=_previous(options), fresh_ids=options.fresh_ids)
    if options.no_files and not options.tables:
        parser.error("--no-files needs --tables: the tables would be the only output")
    with run_spark(options.paths, settings, master=options.master, tables=options.tables) as result:
        if not options.no_files:
            write_outputs(output_files(result, settings.formats), Path(options.out), result.ids_from)
        counts = result.counts
    print(f"listparse: {counts['documents']} document(s), {counts['failed']} failed, {counts['entries']} entries, "
          f"{counts['works']} works → {options.tables if options.no_files else options.out}", file=sys.stderr)
    sys.exit(1 if counts["failed"] else 0)


def _previous(options: argparse.Namespace) -> Path | None:
    from ..previous import holds_run

    if options.previous:
        return Path(options.previous)
    out = Path(options.out)
    return out if not options.no_files and holds_run(out) else None


if __name__ == "__main__":
    main()
