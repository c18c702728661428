"""Human-readable views for the terminal: a parsed document, a work's provenance, a diff.

Rendered with rich; colour only when the console is a terminal. The command
line chooses between these views and `--json`.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from .check import Difference
    from .models import Dataset, Document, Evidence, MetaField, Work, WorkField

# What must never reach a terminal as it is: C0 and C1 controls (newline, carriage return, ESC, DEL…),
# lone surrogates (undecodable file-name bytes), line and paragraph separators, bidirectional overrides.
UNPRINTABLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u061c\u200e\u200f"
                            "\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text from a document or a file name, safe to show on a terminal: every control character shown as
    its Python escape, so that a title or name cannot forge lines or send escape sequences.

    >>> print(printable("Title\\nlistparse: done\\x1b[2J \\u202eevil\\udcff"))
    Title\\nlistparse: done\\x1b[2J \\u202eevil\\udcff
    """
    return UNPRINTABLE_RE.sub(lambda found: found[0].encode("unicode_escape").decode("ascii"), text)


def _e(value) -> str:
    """Text from a document, made printable and escaped so that rich never reads it as markup."""
    from rich.markup import escape

    return escape(printable(str(value)))


PIPED_WIDTH = 4096  # columns rich may use when not on a terminal: no line is ever wrapped for a pipe


def console(stderr: bool = False) -> Console:
    """A rich console; it writes plain text when not attached to a terminal, and leaves a closed pipe to
    the command line (which ends quietly with exit 0; rich itself would exit 1)."""
    from rich.console import Console

    class PipeFriendlyConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    stream = sys.stderr if stderr else sys.stdout
    if stream.isatty():
        return PipeFriendlyConsole(stderr=stderr, highlight=False, soft_wrap=False)
    # Piped or redirected: one line per line of output, however long, for grep and friends.
    return PipeFriendlyConsole(stderr=stderr, highlight=False, soft_wrap=True, width=PIPED_WIDTH)


def show_document(document: Document, out: Console) -> None:
    """Headline, facts, and every entry with its title (raw → normalized), fields and line."""
    from rich.table import Table

    out.print(f"[bold]{_e(document.source)}[/bold]  ({_e(document.format or '?')}, "
              f"{_e(document.encoding or '?')}, status: {document.status})")
    if document.message:
        out.print(f"  {_e(document.message)}")
    for label in ("headline", "author", "url", "date"):
        found = getattr(document, label)
        if found:
            where = f"line {found.span.line}" if found.span else found.origin
            printed = f", printed {found.raw!r}" if label == "date" and found.raw != found.value else ""
            out.print(f"  {label:<9} {_e(found.value)}  [dim]({_e(where)}{_e(printed)})[/dim]")
    if document.order:
        out.print(f"  order     {document.order}, {len(document.entries)} entries")
    if document.confidence is not None:
        doubts = "; ".join(document.confidence_reasons) or "nothing lowered it"
        out.print(f"  confidence {document.confidence:.2f}  [dim]({_e(doubts)})[/dim]")
    for decision in document.decisions:
        out.print(f"  [cyan]why[/cyan] {_e(decision)}")
    if document.entries:
        table = Table(show_lines=False, pad_edge=False)
        for column in ("rank", "title", "fields", "line"):
            table.add_column(column, overflow="fold")
        for entry in document.entries:
            title = _e(entry.title_raw if entry.title == entry.title_raw else f"{entry.title_raw} → {entry.title}")
            rules = ", ".join(change.rule for change in entry.changes)
            if rules:
                title += f"\n[dim]{rules}[/dim]"
            fields = "\n".join(f"{_e(f.name)}: {_field_value(f)}  [dim](l.{f.span.line})[/dim]"
                               for f in entry.fields)
            table.add_row(str(entry.rank), title, fields, str(entry.span.line))
        out.print(table)
    for warning in document.warnings:
        out.print(f"  [yellow]warning[/yellow] {_e(warning)}")


def find_works(dataset: Dataset, query: str) -> tuple[list[Work], list[Work]]:
    """The works a query names, and the runners-up: the work with that id; else those that had it as a
    previous id; else every work whose title or alias matches best (several when they tie: two films
    of one title), then the close ones."""
    by_id = {work.id: work for work in dataset.works}
    if query in by_id:
        return [by_id[query]], []
    formerly = [work for work in dataset.works if query in work.previous_ids]
    if formerly:
        return formerly, []
    from rapidfuzz import fuzz, process

    from .keys import title_key

    names: dict[str, list[Work]] = {}
    for work in dataset.works:
        for name in {title_key(str(work.title.value)), *(title_key(str(alias.value)) for alias in work.aliases)}:
            names.setdefault(name, []).append(work)
    matches = process.extract(title_key(query), list(names), scorer=fuzz.WRatio, limit=6, score_cutoff=60)
    best: list[Work] = []
    others: list[Work] = []
    top = matches[0][1] if matches else None
    for name, score, _ in matches:
        for work in names[name]:
            chosen = best if score == top else others
            if work not in best and work not in others:
                chosen.append(work)
    return best, others[:3]


def describe_work(work: Work) -> str:
    """One line naming a work: its id, title, and year or kind when it has them."""
    facts = [str(work.fields[name].value) for name in ("year", "kind") if name in work.fields]
    return f"{work.id} ({work.title.value}{', ' + ', '.join(facts) if facts else ''})"


def show_work(work: Work, out: Console) -> None:
    """Where every value of a work came from: documents, lines, raw text, rules, conflicts."""
    out.print(f"[bold]{_e(work.title.value)}[/bold]  [dim]id {work.id}[/dim]")
    if work.previous_ids:
        out.print(f"  previous ids: {_e(', '.join(work.previous_ids))}")
    out.print(f"  appears {len(work.appearances)}×; joined by: {', '.join(work.matched_by) or 'one appearance'}")
    for appearance in work.appearances:
        out.print(f"    {_e(appearance.source)}:{appearance.span.line}  #{appearance.rank}  "
                  f"{_e(repr(appearance.title_raw))}")
    if work.catalogue:
        link = work.catalogue
        ids = ", ".join(f"{k}={v}" for k, v in link.ids.items())
        out.print(_e(f"  catalogue {link.catalogue} entry {link.entry}: {link.title!r} "
                     f"(matched on {link.matched_on!r})" + (f" {ids}" if ids else "")))
    _show_field("title", work.title, out)
    for alias in work.aliases:
        out.print(f"  alias {_e(repr(alias.value))}")
        for evidence in alias.evidence:
            out.print(f"      {_where(evidence)}")
    for name, field in work.fields.items():
        _show_field(name, field, out)
    for person in work.people:
        variants = f" (also spelt {', '.join(person.variants)})" if person.variants else ""
        out.print(f"  person {_e(person.name + variants)}")
        for evidence in person.evidence:
            out.print(f"      {_where(evidence)}")


def show_differences(differences: list[Difference], out: Console) -> None:
    """Added, removed and changed documents, entries and works, field by field."""
    marks = {"added": "[green]+[/green]", "removed": "[red]-[/red]", "changed": "[yellow]~[/yellow]"}
    for difference in differences:
        out.print(f"{marks[difference.status]} {difference.kind} {_e(difference.key)} {difference.status}")
        for name, old, new in difference.changes:
            out.print(_e(f"    {name}: {old!r} → {new!r}"))


def _show_field(name: str, field: WorkField, out: Console) -> None:
    out.print(f"  {_e(name)}: [bold]{_value(field.value)}[/bold]  [dim](chosen by {field.chosen_by})[/dim]")
    for evidence in field.evidence:
        out.print(f"      {_where(evidence)}")
    for conflict in field.conflicts:
        out.print(f"    [yellow]conflict[/yellow] {_value(conflict.value)}")
        for evidence in conflict.evidence:
            out.print(f"      {_where(evidence)}")


def _where(evidence: Evidence) -> str:
    if evidence.catalogue_entry is not None:
        place = f"catalogue {evidence.source}, entry {evidence.catalogue_entry}"
    else:
        line = f":{evidence.span.line}" if evidence.span else ""
        rank = f" #{evidence.rank}" if evidence.rank is not None else ""
        place = f"{evidence.source}{line}{rank}"
    rules = "".join(f"\n        {_e(f'{rule.rule}: {rule.before!r} → {rule.after!r}')}" for rule in evidence.rules)
    return _e(f"{place}  {evidence.raw!r}") + rules


def _field_value(field: MetaField) -> str:
    """The typed value, or the text as printed and why it was not typed (the runtime `22-24 minutes`)."""
    if field.value is None:
        return f"{_e(field.raw)} [dim](not typed: {_e(field.note or '')})[/dim]"
    return _value(field.value)


def _value(value) -> str:
    if isinstance(value, list):
        return _e(", ".join(str(item) for item in value) if value else "[] (none)")
    return _e(value)
