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
              help="Directory for entries.csv, documents.csv, documents.json, works.json and works.csv.")
@click.option("--catalogue", metavar="FILE", type=click.Path(dir_okay=False),
              help="Known works to link titles to: JSON Lines, CSV, or anime-offline-database JSON.")
@click.option("--aliases", metavar="FILE", type=click.Path(dir_okay=False),
              help="TOML file forcing or forbidding merges [default: ./listparse-aliases.toml if present].")
def ingest(paths: tuple[str, ...], out: str, catalogue: str | None, aliases: str | None) -> None:
    """Parse listicles in PATHS (files, directories or - for stdin), merge works, write the results.

    Directories are searched for *.txt, *.md, *.markdown, *.html and *.htm.
    A file that cannot be parsed gets one line on stderr and a row in
    documents.csv; the rest of the batch still goes through.

    \b
    Examples:
      listparse ingest raw/*.txt
      listparse ingest corpus/ --out out/
      listparse ingest corpus/ --catalogue anime-offline-database.json --aliases fixes.toml
      curl -s https://example.com/top-10 | listparse ingest - --out out/
    """
    from pathlib import Path

    from .aliases import DEFAULT_ALIASES_FILE
    from .errors import ListparseError
    from .pipeline import ingest as run_ingest

    if aliases is None and Path(DEFAULT_ALIASES_FILE).is_file():
        aliases = DEFAULT_ALIASES_FILE
    try:
        result = run_ingest(paths, out=Path(out), catalogue=catalogue, aliases=aliases)
    except ListparseError as error:
        click.echo(f"listparse: {error}", err=True)
        sys.exit(EXIT_USAGE)
    except OSError as error:
        click.echo(f"listparse: cannot write to {out}: {error.strerror or error}", err=True)
        sys.exit(EXIT_WRITE_FAILED)
    for document in result.failed:
        click.echo(f"listparse: {document.source}: {document.status}: {document.message}", err=True)
    entries = sum(len(document.entries) for document in result.documents)
    click.echo(f"listparse: {len(result.documents)} document(s), {len(result.failed)} failed, "
               f"{entries} entries, {len(result.dataset.works)} works → {out}/", err=True)
    sys.exit(EXIT_SOME_FAILED if result.failed else EXIT_OK)


@main.command()
def schema() -> None:
    """Print the JSON Schema of works.json, generated from the models.

    \b
    Examples:
      listparse schema > works.schema.json
      listparse schema | python -m json.tool
    """
    import json

    from .models import Dataset

    click.echo(json.dumps(Dataset.model_json_schema(), indent=2, sort_keys=True))
