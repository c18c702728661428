"""The command line: arguments → pipeline → messages and exit code. Only this module imports click.

Exit codes: 0 success (for `check`: no difference); 1 some inputs could not be
parsed, or `check` found differences; 2 usage or configuration error (bad
option, a catalogue or aliases file that cannot be read or holds a mistake, a
cache directory that is a file, unknown work, no document read, an output
directory another run is writing or that holds files listparse did not write);
3 the output, or the temporary store under TMPDIR, could not be written; 128 +
the signal's number when interrupted (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP), the
message saying whether the previous or the new output is in place.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast

import click

from . import __version__, compiled

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_WRITE_FAILED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
FORMATS = ("json", "jsonl", "csv", "sqlite", "parquet")


class _Commands(click.Group):
    """The command group; a reader that stops early (`| head`) ends a command quietly with exit 0."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # As the Python docs advise (signal module, "Note on SIGPIPE"): point stdout at devnull, so
            # that flushing it at exit cannot fail a second time.
            with contextlib.suppress(AttributeError, OSError, ValueError):  # not a real file (a test runner)
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(EXIT_OK)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="listparse", message="%(prog)s, version %(version)s, "
                      + ("parser compiled with mypyc" if compiled() else "pure Python"))
@click.option("-v", "--verbose", count=True, help="Log each phase and its time to stderr (-vv: the parser's "
              "decisions too). Also accepted after the command name.")
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
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_PrintableFormatter("listparse: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    signal.signal(signal.SIGTERM, _interrupt)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, _interrupt)


def _verbosity(command):
    """-v/--verbose after the command name too (`listparse ingest raw/ -v`), adding to any before it."""
    def raise_level(ctx: click.Context, param: click.Parameter, count: int) -> None:
        if count:
            total = count + (ctx.parent.params.get("verbose", 0) if ctx.parent else 0)
            logging.getLogger().setLevel(logging.INFO if total == 1 else logging.DEBUG)

    return click.option("-v", "--verbose", count=True, expose_value=False, callback=raise_level,
                        help="Log each phase and its time to stderr (-vv: the parser's decisions too).")(command)


class _PrintableFormatter(logging.Formatter):
    """Log messages name documents and quote their titles: shown printable (a traceback stays as it is)."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return _printable(super().formatMessage(record))


def _printable(text: str) -> str:
    """Text from documents or file names, with control characters escaped for the terminal."""
    from .report import printable

    return printable(text)


class _Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP, unwinding like Ctrl-C; the exit code is 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _interrupt(signum, frame) -> None:
    """SIGTERM and SIGHUP unwind like Ctrl-C, so that half-written outputs are cleaned away."""
    raise _Interrupted(signum)


def _interrupted_exit_code(interruption: KeyboardInterrupt) -> int:
    """128 + the signal's number, as a shell reports it: 130 Ctrl-C, 143 SIGTERM, 129 SIGHUP."""
    return 128 + getattr(interruption, "signum", signal.SIGINT)


def _knowledge_options(command):
    """--catalogue, --aliases, --jobs, the cache switches and --follow-symlinks, shared by ingest and check."""
    command = click.option("--follow-symlinks", is_flag=True,
                           help="Read links found in a directory that point out of it (a link named in "
                                "PATHS is always read).")(command)
    command = click.option("--cache-dir", metavar="DIR", type=click.Path(file_okay=False),
                           help="Where parsed documents are cached [default: $LISTPARSE_CACHE_DIR, "
                                "else ~/.cache/listparse].")(command)
    command = click.option("--no-cache", is_flag=True,
                           help="Parse every document afresh; neither read nor write the cache.")(command)
    command = click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True,
                           help="Worker processes for parsing and merging (and a second "
                                "writer); 0 means one per core, 1 runs all in this process.")(command)
    command = click.option("--aliases", metavar="FILE", type=click.Path(dir_okay=False),
                           help="TOML file forcing or forbidding merges "
                                "[default: ./listparse-aliases.toml if present].")(command)
    return click.option("--catalogue", metavar="FILE", type=click.Path(dir_okay=False),
                        help="Known works to link titles to: JSON Lines, CSV, or anime-offline-database JSON.")(command)


@main.command()
@_verbosity
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", "out", default="output", show_default=True, metavar="DIR",
              help="Output directory, or - to stream JSON Lines (entries, then works) to stdout.")
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS),
              help="Output format; repeat for several [default: json and csv].")
@click.option("--indent", type=click.IntRange(min=1, max=8), metavar="N",
              help="Indent documents.json and works.json by N spaces, for people [default: compact, one "
                   "document or work a line].")
@_knowledge_options
@click.option("--progress/--no-progress", default=None, help="Force the progress bar on or off "
              "[default: on when stderr is a terminal].")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary; errors only.")
@click.option("--limit", type=click.IntRange(min=1), metavar="N",
              help="Read only the first N documents found (to try a big corpus).")
@click.option("--engine", type=click.Choice(("local", "spark")), default="local", show_default=True,
              help="Run in this process (and its workers), or on Apache Spark (needs listparse[spark] and Java).")
@click.option("--master", metavar="URL", help="Spark master for --engine spark [default: local[*]].")
@click.option("--previous", metavar="DIR", type=click.Path(file_okay=False),
              help="Carry ids over from the run in DIR to the works that persist [default: the run --out "
                   "holds].")
@click.option("--fresh-ids", is_flag=True, help="Give every work a fresh id; carry none from a previous run.")
def ingest(paths: tuple[str, ...], out: str, formats: tuple[str, ...], indent: int | None, catalogue: str | None,
           aliases: str | None, jobs: int, no_cache: bool, cache_dir: str | None, follow_symlinks: bool,
           progress: bool | None, quiet: bool, limit: int | None, engine: str, master: str | None,
           previous: str | None, fresh_ids: bool) -> None:
    """Parse listicles in PATHS (files, directories or - for stdin), merge works, write the results.

    Directories are searched for *.txt, *.md, *.markdown, *.html, *.htm and
    web archives (*.warc, *.warc.gz: each HTML response record is a document).
    A file that cannot be parsed gets one line on stderr and a row in
    documents.csv; the rest of the batch still goes through. Works that
    persist from the run --out holds (or --previous DIR) keep their ids.

    \b
    Examples:
      listparse ingest raw/*.txt
      listparse ingest corpus/ --out out/ --format jsonl
      listparse ingest corpus/ --catalogue anime-offline-database.json --aliases fixes.toml
      listparse ingest corpus/ --jobs 4 --no-cache
      listparse ingest crawl/ --limit 100 --out /tmp/try
      curl -s https://example.com/top-10 | listparse ingest - --out - | jq .title
      listparse ingest crawl/*.warc.gz --engine spark --master local[2]
      listparse ingest corpus/ --out new/ --previous published/
      listparse ingest raw/ --indent 2
    """
    from .pipeline import Formats, IngestOptions, output_files, run

    _refuse_urls(paths)
    if previous is not None and fresh_ids:
        raise click.UsageError("--previous and --fresh-ids exclude each other")
    started = time.perf_counter()
    stream = out == "-"
    if stream and set(formats) - {"jsonl"}:
        raise click.UsageError("--out - streams JSON Lines (entries, then works); "
                               "--format json, csv, sqlite or parquet needs an output directory")
    if "parquet" in formats:
        _require_pyarrow()
    settings = IngestOptions(catalogue=_path(catalogue), aliases=_path(_aliases_file(aliases)),
                             formats=("jsonl",) if stream else cast(Formats, formats or ("json", "csv")),
                             jobs=jobs, cache_dir=_cache_dir(no_cache, cache_dir), follow_symlinks=follow_symlinks,
                             limit=limit, previous=_previous(previous, None if stream else Path(out)),
                             fresh_ids=fresh_ids, indent=indent)
    bars = PhaseBars() if not quiet and (progress if progress is not None else sys.stderr.isatty()) else None
    if engine == "spark" and limit is not None:  # it would read everything, and run.json would say otherwise
        raise click.UsageError("--limit is not supported with --engine spark; try the corpus with --engine local")
    if engine == "spark":
        run = _spark_run(master)
    with _claimed(None if stream else Path(out)) as directory, \
            _run_reporting_errors(run, paths, settings, bars) as result:
        _require_something_read(result, "nothing was written" if stream else f"{out} was left as it was")
        if directory is None:
            files = output_files(result, ("jsonl",))
            for chunk in (*cast(Iterable[str], files["entries.jsonl"]), *cast(Iterable[str], files["works.jsonl"])):
                click.echo(chunk, nl=False)
        else:
            if bars:
                click.echo(f"listparse: writing {_printable(out)}…", err=True)
            _write(directory, output_files(result, settings.formats), result.ids_from, bars, result.forked_reader)
    for document in result.failed:
        click.echo(_printable(f"listparse: {document.source}: {document.status}: {document.message}"), err=True)
    _report_skipped(result, quiet)
    if not quiet:
        _summary(result, time.perf_counter() - started, "stdout" if stream else f"{out.rstrip('/')}/")
    sys.exit(EXIT_SOME_FAILED if result.failed else EXIT_OK)


@main.command()
@_verbosity
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
@_verbosity
@click.argument("query")
@click.option("--out", "out", default="output", show_default=True, metavar="DIR",
              help="The output directory to look in (its works.json).")
@click.option("--json", "as_json", is_flag=True, help="Print the work as JSON.")
def explain(query: str, out: str, as_json: bool) -> None:
    """Find a work by id or title (fuzzy) and show where every value came from.

    When the query names several works equally well (two films of one title),
    they are listed, and the exit code is 1: ask again by id.

    \b
    Examples:
      listparse explain your-lie-in-april
      listparse explain "steins gate" --out data/
      listparse explain anohana --json | jq .title.evidence
    """
    import json

    from .models import Dataset
    from .report import console, describe_work, find_works, show_work

    path = Path(out) / "works.json"
    try:
        dataset = Dataset.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        click.echo(_printable(f"listparse: {path} does not exist: run `listparse ingest PATHS --out {out}` first"),
                   err=True)
        sys.exit(EXIT_USAGE)
    works, others = find_works(dataset, query)
    if not works:
        click.echo(_printable(f"listparse: no work matches {query!r} in {path}"), err=True)
        sys.exit(EXIT_USAGE)
    if len(works) > 1:
        if as_json:
            click.echo(json.dumps([{"id": work.id, "title": work.title.value} for work in works], indent=2))
        else:
            click.echo(_printable(f"{query!r} matches {len(works)} works; give one id:"))
            for work in works:
                click.echo(_printable(f"  {describe_work(work)}"))
        sys.exit(EXIT_SOME_FAILED)
    if as_json:
        click.echo(works[0].model_dump_json(indent=2))
        return
    show_work(works[0], console())
    if others:
        click.echo("\nalso close: " + _printable(", ".join(describe_work(work) for work in others)))


@main.command()
@_verbosity
@click.argument("paths", nargs=-1, required=True)
@click.option("--against", required=True, metavar="DIR", type=click.Path(file_okay=False),
              help="An output directory written before by `listparse ingest`.")
@click.option("--json", "as_json", is_flag=True, help="Print the differences as JSON (on stdout) instead of a list.")
@click.option("--fresh-ids", is_flag=True, help="Compare with fresh ids, not those carried from DIR.")
@_knowledge_options
def check(paths: tuple[str, ...], against: str, as_json: bool, fresh_ids: bool, catalogue: str | None,
          aliases: str | None, jobs: int, no_cache: bool, cache_dir: str | None, follow_symlinks: bool) -> None:
    """Re-ingest PATHS and compare with DIR: exit 0 when identical, 1 with a field-level diff.

    Use it in CI to catch parsing changes: commit the output directory, then
    run `listparse check` on the same inputs. Ids are carried from DIR, as an
    ingest into DIR would carry them. Documents are named relative to the
    input they were found under, so it works from any directory
    (`cd raw && listparse check . --against ../output`).

    \b
    Examples:
      listparse check raw/ --against output/
      listparse check corpus/ --against expected/ --catalogue works.jsonl
      listparse check raw/ --against output/ --json | jq '.differences[].key'
    """
    from .check import compare_outputs
    from .pipeline import IngestOptions, output_files, run
    from .report import console, show_differences

    settings = IngestOptions(catalogue=_path(catalogue), aliases=_path(_aliases_file(aliases)), jobs=jobs,
                             cache_dir=_cache_dir(no_cache, cache_dir), follow_symlinks=follow_symlinks,
                             previous=_previous(None, Path(against)), fresh_ids=fresh_ids)
    with _run_reporting_errors(run, paths, settings, None) as result:
        files = {name: "".join(cast(Iterable[str], chunks))
                 for name, chunks in output_files(result, ("json", "csv")).items()}
    from .errors import ListparseError

    try:
        differences = compare_outputs(Path(against), files)
    except ListparseError as error:
        click.echo(_printable(f"listparse: {error}"), err=True)
        sys.exit(EXIT_USAGE)
    if as_json:
        import json

        counts = result.counts
        report = {"against": against, "documents": counts["documents"], "works": counts["works"],
                  "differences": [{"kind": d.kind, "key": d.key, "status": d.status,
                                   "changes": [{"field": name, "old": old, "new": new}
                                               for name, old, new in d.changes]} for d in differences]}
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        sys.exit(EXIT_SOME_FAILED if differences else EXIT_OK)
    if not differences:
        counts = result.counts
        click.echo(f"listparse: no differences with {against.rstrip('/')}/ "
                   f"({counts['documents']} document(s), {counts['works']} works)", err=True)
        sys.exit(EXIT_OK)
    show_differences(differences, console())
    click.echo(f"listparse: {len(differences)} difference(s) with {against.rstrip('/')}/", err=True)
    sys.exit(EXIT_SOME_FAILED)


@main.command()
@_verbosity
@click.option("--out", "out", default="output", show_default=True, metavar="DIR",
              help="The output directory to show; the site is written into DIR/view/.")
@click.option("--sources", metavar="DIR", type=click.Path(file_okay=False),
              help="The directory ingest ran in: run.json's relative inputs are found from it "
                   "[default: the working directory].")
@click.option("--serve", is_flag=True, help="Then serve the site on localhost until Ctrl-C.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port for --serve (0: any free one).")
def view(out: str, sources: str | None, serve: bool, port: int) -> None:
    """Write a static HTML site of the works and their provenance into DIR/view/ (no server needed).

    \b
    Examples:
      listparse view                      # then open output/view/index.html
      listparse view --out data/ --serve --port 8123
    """
    from .errors import ListparseError
    from .view import serve as serve_site
    from .view import write_view

    try:
        site = write_view(Path(out), _path(sources))
    except ListparseError as error:
        click.echo(f"listparse: {error}", err=True)
        sys.exit(EXIT_USAGE)
    except OSError as error:
        click.echo(f"listparse: cannot write the view into {out}: {error.strerror or error}", err=True)
        sys.exit(EXIT_WRITE_FAILED)
    click.echo(f"listparse: wrote {site / 'index.html'}", err=True)
    if serve:
        try:
            serve_site(site, port, lambda url: click.echo(f"listparse: serving {url} (Ctrl-C to stop)", err=True))
        except KeyboardInterrupt:
            pass
        except OSError as error:
            click.echo(f"listparse: cannot serve on port {port}: {error.strerror or error}", err=True)
            sys.exit(EXIT_WRITE_FAILED)


@main.command()
@_verbosity
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


def _refuse_urls(paths: tuple[str, ...]) -> None:
    """A web address is not a file: say how to fetch it, instead of reporting it missing."""
    for given in paths:
        if given.lower().startswith(("http://", "https://")):
            click.echo(_printable(f"listparse: {given} is a web address; listparse reads files. Fetch the page "
                                  f"first: curl -sL '{given}' | listparse ingest - (or save it and give the file)"),
                       err=True)
            sys.exit(EXIT_USAGE)


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


def _require_pyarrow() -> None:
    """--format parquet without pyarrow: a usage error saying what to install, before any parsing."""
    from .errors import ListparseError
    from .parquet import require_pyarrow

    try:
        require_pyarrow()
    except ListparseError as error:
        click.echo(f"listparse: {error}", err=True)
        sys.exit(EXIT_USAGE)


def _aliases_file(aliases: str | None) -> str | None:
    from .aliases import DEFAULT_ALIASES_FILE

    if aliases is None and Path(DEFAULT_ALIASES_FILE).is_file():
        return DEFAULT_ALIASES_FILE
    return aliases


def _previous(previous: str | None, out: Path | None) -> Path | None:
    """The run to carry ids from: --previous DIR, else the output directory when it holds one."""
    from .previous import holds_run

    if previous is not None:
        return Path(previous)
    return out if out is not None and holds_run(out) else None


def _path(value: str | None) -> Path | None:
    return Path(value) if value is not None else None


def _cache_dir(no_cache: bool, cache_dir: str | None) -> Path | None:
    from .cache import default_cache_dir

    return None if no_cache else Path(cache_dir) if cache_dir else default_cache_dir()


class PhaseBars:
    """One progress bar on stderr per phase that counts (documents parsed, works built, files written),
    each closed when it is full."""

    def __init__(self) -> None:
        self.bars: dict[str, Any] = {}

    def advance(self, done: int, total: int, what: str) -> None:
        bar = self.bars.get(what)
        if bar is None:
            bar = self.bars[what] = click.progressbar(length=total, label=what, file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)
        if done == total:
            bar.__exit__(None, None, None)


def _run_reporting_errors(run, paths, settings, bars: PhaseBars | None):
    """Run the pipeline; a bad catalogue or aliases file is a usage error with its message."""
    from .errors import ListparseError, WorkspaceError

    def announce(what: str) -> None:
        click.echo(f"listparse: {_printable(what)}…", err=True)

    try:
        return run(paths, settings, progress=bars and bars.advance, phase=announce if bars else None)
    except WorkspaceError as error:
        click.echo(_printable(f"listparse: {error}"), err=True)
        sys.exit(EXIT_WRITE_FAILED)
    except ListparseError as error:
        click.echo(_printable(f"listparse: {error}"), err=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt as interruption:
        click.echo("\nlistparse: interrupted; the previous output was left as it was", err=True)
        sys.exit(_interrupted_exit_code(interruption))


@contextlib.contextmanager
def _claimed(out: Path | None):
    """The output directory, locked for this run before any parsing: a directory another run is writing,
    or one holding files listparse did not write, fails at once (exit 2). None for --out -."""
    if out is None:
        yield None
        return
    from .errors import OutputError
    from .outdir import OutputDirectory

    directory = OutputDirectory(out)
    try:
        directory.claim()
    except OutputError as error:
        click.echo(_printable(f"listparse: {error}"), err=True)
        sys.exit(EXIT_USAGE)
    except OSError as error:
        _cannot_write(out, error)
    try:
        yield directory
    finally:
        directory.release()


def _write(directory, files, ids_from: dict[str, str] | None = None, bars: PhaseBars | None = None,
           in_child: Callable[[], None] | None = None) -> None:
    """Write and swap in the new output; an interruption says which output a reader now sees."""
    started = time.perf_counter()
    writing = None if bars is None else lambda done, total: bars.advance(done, total, "writing")
    try:
        directory.write(files, ids_from, writing, in_child)
        logging.getLogger("listparse").info("wrote %s in %.2fs", directory.out, time.perf_counter() - started)
    except KeyboardInterrupt as interruption:
        if directory.committed:
            kept = f"the new output in {directory.out} is complete"
        else:
            kept = "the previous output was left as it was" if directory.existed else "nothing was written"
        click.echo(f"\nlistparse: interrupted; {kept}", err=True)
        sys.exit(_interrupted_exit_code(interruption))
    except OSError as error:
        _cannot_write(directory.out, error)


def _cannot_write(out: Path, error: OSError) -> None:
    click.echo(_printable(f"listparse: cannot write to {out}: {error.strerror or error}"), err=True)
    sys.exit(EXIT_WRITE_FAILED)


def _require_something_read(result, kept: str) -> None:
    """A batch that read no document writes nothing: exit 2, saying what was kept."""
    from .errors import NothingReadError

    try:
        result.require_something_read()
    except NothingReadError as error:
        click.echo(_printable(f"listparse: {error}; {kept}"), err=True)
        sys.exit(EXIT_USAGE)


def _report_skipped(result, quiet: bool) -> None:
    """Web archives' records that were not documents: one line per archive; truncated ones even when quiet."""
    from .warc import report_skipped

    for name, skipped in sorted(result.skipped.items()):
        if skipped and (not quiet or skipped.get("truncated")):
            click.echo(_printable(f"listparse: {report_skipped(name, skipped)}"), err=True)


def _summary(result, seconds: float, destination: str) -> None:
    counts = result.counts
    click.echo(f"listparse: {counts['documents']} document(s), {counts['failed']} failed, "
               f"{counts['entries']} entries, {counts['works']} works, {counts['conflicts']} conflicts, "
               f"{counts['warnings']} warnings in {seconds:.2f}s → {_printable(destination)}", err=True)
