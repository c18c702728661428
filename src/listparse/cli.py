"""The command line: arguments → pipeline → messages and exit code. Only this module imports click.

Exit codes: 0 success (for `check`: no difference); 1 some inputs could not be
parsed, or `check` found differences; 2 usage error (bad option, unreadable
catalogue or aliases file, unknown work); 3 the output, or the temporary store
under TMPDIR, could not be written; 130 interrupted (Ctrl-C or SIGTERM), the
previous output left as it was.
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from pathlib import Path
from typing import cast

import click

from . import __version__

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_WRITE_FAILED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
FORMATS = ("json", "jsonl", "csv")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="listparse")
@click.option("-v", "--verbose", count=True, help="Log the parser's decisions to stderr (-vv for more).")
def main(verbose: int) -> None:
    """Turn scraped "top N" listicles into clean, traceable data.

    \b
    Examples:
      listparse ingest raw/
      listparse inspect raw/000_72c65715ee277755.txt
      listparse explain "your lie in april"
      listparse check raw/ --against output/
    """
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="listparse: %(message)s", stream=sys.stderr, force=True)
    signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum, frame) -> None:
    """SIGTERM unwinds like Ctrl-C, so that half-written outputs are cleaned away."""
    raise KeyboardInterrupt


def _knowledge_options(command):
    """--catalogue, --aliases, --jobs and the cache switches, shared by ingest and check."""
    command = click.option("--cache-dir", metavar="DIR", type=click.Path(file_okay=False),
                           help="Where parsed documents are cached [default: $LISTPARSE_CACHE_DIR, "
                                "else ~/.cache/listparse].")(command)
    command = click.option("--no-cache", is_flag=True,
                           help="Parse every document afresh; neither read nor write the cache.")(command)
    command = click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True,
                           help="Worker processes for parsing; 0 means one per core.")(command)
    command = click.option("--aliases", metavar="FILE", type=click.Path(dir_okay=False),
                           help="TOML file forcing or forbidding merges "
                                "[default: ./listparse-aliases.toml if present].")(command)
    return click.option("--catalogue", metavar="FILE", type=click.Path(dir_okay=False),
                        help="Known works to link titles to: JSON Lines, CSV, or anime-offline-database JSON.")(command)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", "out", default="output", show_default=True, metavar="DIR",
              help="Output directory, or - to stream JSON Lines (entries, then works) to stdout.")
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS),
              help="Output format; repeat for several [default: json and csv].")
@_knowledge_options
@click.option("--progress/--no-progress", default=None, help="Force the progress bar on or off "
              "[default: on when stderr is a terminal].")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary; errors only.")
@click.option("--engine", type=click.Choice(("local", "spark")), default="local", show_default=True,
              help="Run in this process (and its workers), or on Apache Spark (needs listparse[spark] and Java).")
@click.option("--master", metavar="URL", help="Spark master for --engine spark [default: local[*]].")
def ingest(paths: tuple[str, ...], out: str, formats: tuple[str, ...], catalogue: str | None,
           aliases: str | None, jobs: int, no_cache: bool, cache_dir: str | None, progress: bool | None,
           quiet: bool, engine: str, master: str | None) -> None:
    """Parse listicles in PATHS (files, directories or - for stdin), merge works, write the results.

    Directories are searched for *.txt, *.md, *.markdown, *.html, *.htm and
    web archives (*.warc, *.warc.gz: each HTML response record is a document).
    A file that cannot be parsed gets one line on stderr and a row in
    documents.csv; the rest of the batch still goes through.

    \b
    Examples:
      listparse ingest raw/*.txt
      listparse ingest corpus/ --out out/ --format jsonl
      listparse ingest corpus/ --catalogue anime-offline-database.json --aliases fixes.toml
      listparse ingest corpus/ --jobs 4 --no-cache
      curl -s https://example.com/top-10 | listparse ingest - --out - | jq .title
      listparse ingest crawl/*.warc.gz --engine spark --master local[2]
    """
    from .pipeline import Formats, IngestOptions, output_files, run

    started = time.perf_counter()
    stream = out == "-"
    settings = IngestOptions(catalogue=_path(catalogue), aliases=_path(_aliases_file(aliases)),
                             formats=("jsonl",) if stream else cast(Formats, formats or ("json", "csv")),
                             jobs=jobs, cache_dir=_cache_dir(no_cache, cache_dir))
    show_bar = not quiet and (progress if progress is not None else sys.stderr.isatty())
    if engine == "spark":
        run = _spark_run(master)
    with _run_reporting_errors(run, paths, settings, show_bar) as result:
        if stream:
            files = output_files(result, ("jsonl",))
            for chunk in (*files["entries.jsonl"], *files["works.jsonl"]):
                click.echo(chunk, nl=False)
        else:
            from .export import write_outputs

            try:
                write_outputs(output_files(result, settings.formats), Path(out))
            except KeyboardInterrupt:
                click.echo("\nlistparse: interrupted; the previous output was left as it was", err=True)
                sys.exit(EXIT_INTERRUPTED)
            except OSError as error:
                click.echo(f"listparse: cannot write to {out}: {error.strerror or error}", err=True)
                sys.exit(EXIT_WRITE_FAILED)
    for document in result.failed:
        click.echo(f"listparse: {document.source}: {document.status}: {document.message}", err=True)
    _report_skipped(result, quiet)
    if not quiet:
        _summary(result, time.perf_counter() - started, "stdout" if stream else f"{out.rstrip('/')}/")
    sys.exit(EXIT_SOME_FAILED if result.failed else EXIT_OK)


@main.command()
@click.argument("file")
@click.option("--json", "as_json", is_flag=True, help="Print the parse as JSON instead of a table.")
def inspect(file: str, as_json: bool) -> None:
    """Show how one document was parsed: facts, entries, fields, the lines they came from, warnings.

    \b
    Examples:
      listparse inspect raw/000_72c65715ee277755.txt
      listparse inspect page.html --json | jq '.entries[].title'
    """
    from .pipeline import find_sources, parse_source
    from .report import console, show_document

    sources = find_sources([file])
    if len(sources) != 1:
        raise click.UsageError(f"{file} is not one document; give a single file")
    document = parse_source(sources[0])
    if as_json:
        click.echo(document.model_dump_json(indent=2))
    else:
        show_document(document, console())
    sys.exit(EXIT_OK if document.status == "ok" else EXIT_SOME_FAILED)


@main.command()
@click.argument("query")
@click.option("--out", "out", default="output", show_default=True, metavar="DIR",
              help="The output directory to look in (its works.json).")
@click.option("--json", "as_json", is_flag=True, help="Print the work as JSON.")
def explain(query: str, out: str, as_json: bool) -> None:
    """Find a work by id or title (fuzzy) and show where every value came from.

    \b
    Examples:
      listparse explain your-lie-in-april
      listparse explain "steins gate" --out data/
      listparse explain anohana --json | jq .title.evidence
    """
    from .models import Dataset
    from .report import console, find_work, show_work

    path = Path(out) / "works.json"
    try:
        dataset = Dataset.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        click.echo(f"listparse: {path} does not exist: run `listparse ingest PATHS --out {out}` first", err=True)
        sys.exit(EXIT_USAGE)
    work, others = find_work(dataset, query)
    if work is None:
        click.echo(f"listparse: no work matches {query!r} in {path}", err=True)
        sys.exit(EXIT_USAGE)
    if as_json:
        click.echo(work.model_dump_json(indent=2))
        return
    show_work(work, console())
    if others:
        click.echo("\nalso close: " + ", ".join(f"{w.id} ({w.title.value})" for w in others))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--against", required=True, metavar="DIR", type=click.Path(file_okay=False),
              help="An output directory written before by `listparse ingest`.")
@_knowledge_options
def check(paths: tuple[str, ...], against: str, catalogue: str | None, aliases: str | None, jobs: int,
          no_cache: bool, cache_dir: str | None) -> None:
    """Re-ingest PATHS and compare with DIR: exit 0 when identical, 1 with a field-level diff.

    Use it in CI to catch parsing changes: commit the output directory, then
    run `listparse check` on the same inputs.

    \b
    Examples:
      listparse check raw/ --against output/
      listparse check corpus/ --against expected/ --catalogue works.jsonl
    """
    from .check import compare_outputs
    from .pipeline import IngestOptions, output_files, run
    from .report import console, show_differences

    settings = IngestOptions(catalogue=_path(catalogue), aliases=_path(_aliases_file(aliases)), jobs=jobs,
                             cache_dir=_cache_dir(no_cache, cache_dir))
    with _run_reporting_errors(run, paths, settings, False) as result:
        files = {name: "".join(chunks) for name, chunks in output_files(result, ("json", "csv")).items()}
    from .errors import ListparseError

    try:
        differences = compare_outputs(Path(against), files)
    except ListparseError as error:
        click.echo(f"listparse: {error}", err=True)
        sys.exit(EXIT_USAGE)
    if not differences:
        counts = result.counts
        click.echo(f"listparse: no differences with {against.rstrip('/')}/ "
                   f"({counts['documents']} document(s), {counts['works']} works)", err=True)
        sys.exit(EXIT_OK)
    show_differences(differences, console())
    click.echo(f"listparse: {len(differences)} difference(s) with {against.rstrip('/')}/", err=True)
    sys.exit(EXIT_SOME_FAILED)


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


def _spark_run(master: str | None):
    """The Spark engine's run, or a usage error saying what to install."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        click.echo("listparse: --engine spark needs pyspark: pip install 'listparse[spark]' (and Java 17+)", err=True)
        sys.exit(EXIT_USAGE)
    from functools import partial

    from .spark import run_spark

    return partial(run_spark, master=master)


def _aliases_file(aliases: str | None) -> str | None:
    from .aliases import DEFAULT_ALIASES_FILE

    if aliases is None and Path(DEFAULT_ALIASES_FILE).is_file():
        return DEFAULT_ALIASES_FILE
    return aliases


def _path(value: str | None) -> Path | None:
    return Path(value) if value is not None else None


def _cache_dir(no_cache: bool, cache_dir: str | None) -> Path | None:
    from .cache import default_cache_dir

    return None if no_cache else Path(cache_dir) if cache_dir else default_cache_dir()


def _run_reporting_errors(run, paths, settings, show_bar: bool):
    """Run the pipeline; a bad catalogue or aliases file is a usage error with its message."""
    from .errors import ListparseError, WorkspaceError

    bars: list = []

    def advance(done: int, total: int) -> None:
        if not bars:
            bars.append(click.progressbar(length=total, label="parsing", file=sys.stderr))
            bars[0].__enter__()
        bars[0].update(1)
        if done == total:
            bars[0].__exit__(None, None, None)

    try:
        return run(paths, settings, progress=advance if show_bar else None)
    except WorkspaceError as error:
        click.echo(f"listparse: {error}", err=True)
        sys.exit(EXIT_WRITE_FAILED)
    except ListparseError as error:
        click.echo(f"listparse: {error}", err=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        click.echo("\nlistparse: interrupted; the previous output was left as it was", err=True)
        sys.exit(EXIT_INTERRUPTED)


def _report_skipped(result, quiet: bool) -> None:
    """Web archives' records that were not documents: one line per archive; truncated ones even when quiet."""
    from .warc import report_skipped

    for name, skipped in sorted(result.skipped.items()):
        if skipped and (not quiet or skipped.get("truncated")):
            click.echo(f"listparse: {report_skipped(name, skipped)}", err=True)


def _summary(result, seconds: float, destination: str) -> None:
    counts = result.counts
    click.echo(f"listparse: {counts['documents']} document(s), {counts['failed']} failed, "
               f"{counts['entries']} entries, {counts['works']} works, {counts['conflicts']} conflicts, "
               f"{counts['warnings']} warnings in {seconds:.2f}s → {destination}", err=True)
