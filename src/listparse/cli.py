"""The command line: arguments → pipeline → messages and exit code. Only this module imports click.

Exit codes: 0 every input parsed; 1 some inputs could not be parsed (the rest
were written); 2 usage error; 3 the output could not be written.
"""

from __future__ import annotations

import logging
import sys

import click

from . import __version__

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_WRITE_FAILED = 0, 1, 2, 3


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="listparse")
@click.option("-v", "--verbose", count=True, help="Log the parser's decisions to stderr (-vv for more).")
def main(verbose: int) -> None:
    """Turn scraped "top N" listicles into clean, traceable data.

    \b
    Examples:
      listparse ingest raw/*.txt
      listparse ingest articles/ --out data/
    """
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=max(level, logging.DEBUG), format="listparse: %(message)s", stream=sys.stderr)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", "out", default="output", show_default=True, metavar="DIR",
              type=click.Path(file_okay=False, writable=True),
              help="Directory for entries.csv, documents.csv and documents.json.")
def ingest(paths: tuple[str, ...], out: str) -> None:
    """Parse listicles in PATHS (files, directories or - for stdin) and write the results.

    Directories are searched for *.txt, *.md, *.markdown, *.html and *.htm.
    A file that cannot be parsed gets one line on stderr and a row in
    documents.csv; the rest of the batch still goes through.

    \b
    Examples:
      listparse ingest raw/*.txt
      listparse ingest corpus/ --out out/
      curl -s https://example.com/top-10 | listparse ingest - --out out/
    """
    from pathlib import Path

    from .pipeline import ingest as run_ingest

    try:
        result = run_ingest(paths, out=Path(out))
    except OSError as error:
        click.echo(f"listparse: cannot write to {out}: {error.strerror or error}", err=True)
        sys.exit(EXIT_WRITE_FAILED)
    for document in result.failed:
        click.echo(f"listparse: {document.source}: {document.status}: {document.message}", err=True)
    entries = sum(len(document.entries) for document in result.documents)
    click.echo(f"listparse: {len(result.documents)} document(s), {len(result.failed)} failed, "
               f"{entries} entries → {out}/", err=True)
    sys.exit(EXIT_SOME_FAILED if result.failed else EXIT_OK)
