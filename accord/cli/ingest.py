"""``accord ingest`` and ``accord datasets``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.table import Table

from accord.cli.context import CliContext, pass_cli
from accord.cli.render import console
from accord.model.marking import Marking, Tlp
from accord.plugins import load_registry
from accord.service import IngestRequest
from accord.store import Actor

TLP_CHOICES = [t.value for t in Tlp]


class FormatListingCommand(click.Command):
    """Appends the registered formats, plugins included, to ``--help``."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        state = ctx.find_object(CliContext)
        plugins = state.settings.plugins if state else []
        registry = load_registry(plugins)
        rows = [
            (name, reader.TITLE) for name, reader in sorted(registry.readers.items())
        ]
        with formatter.section("Formats"):
            formatter.write_dl(rows)


@click.command(cls=FormatListingCommand)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", required=True, help="Input format (see Formats).")
@click.option("--dataset", required=True, help="Dataset name, e.g. un_sc.")
@click.option("--agency", help="Owning agency [default: ACCORD_AGENCY].")
@click.option(
    "--tlp",
    required=True,
    type=click.Choice(TLP_CHOICES, case_sensitive=False),
    help="TLP 2.0 marking of the dataset.",
)
@click.option(
    "--releasable-to",
    multiple=True,
    help="Partner agency the dataset is released to; repeat for several.",
)
@click.option("--title", default="", help="Human title of the dataset.")
@pass_cli
def ingest(
    state: CliContext,
    file: Path,
    fmt: str,
    dataset: str,
    agency: str | None,
    tlp: str,
    releasable_to: tuple[str, ...],
    title: str,
) -> None:
    """Read FILE in the given format into a dataset, all or nothing.

    Re-ingesting the same file is a no-op; a newer version of a source
    replaces the dataset's current values and keeps the old ones as history.
    """
    service = state.service()
    request = IngestRequest(
        path=file,
        format=fmt,
        dataset=dataset,
        agency=agency or state.settings.agency,
        marking=Marking(Tlp.parse(tlp), frozenset(releasable_to)),
        title=title,
    )
    result = service.ingest(service.local_actor(), request, _report_progress)
    if result.skipped:
        click.echo(f"{file}: already ingested into {dataset}; nothing changed")
        return
    click.echo(
        f"{file}: {result.entities} entities, {result.statements} statements "
        f"into {dataset} ({request.marking.label()})"
    )


def _report_progress(entities: int) -> None:
    """Progress on stderr, so piped stdout stays clean."""
    sys.stderr.write(f"\ringested {entities} entities")
    if not sys.stderr.isatty():
        sys.stderr.write("\n")
    sys.stderr.flush()


@click.group(invoke_without_command=True)
@click.pass_context
def datasets(ctx: click.Context) -> None:
    """List datasets with their owner and marking."""
    if ctx.invoked_subcommand is not None:
        return
    state = ctx.find_object(CliContext)
    if state is None:
        raise click.UsageError("no context")
    service = state.service()
    table = Table("dataset", "agency", "marking", "statements", "title")
    for info in service.store.list_datasets():
        count = service.store.count_statements(info.name)
        table.add_row(
            info.name, info.agency, info.marking.label(), str(count), info.title
        )
    console().print(table)


@datasets.command("set-marking")
@click.argument("name")
@click.option(
    "--tlp",
    required=True,
    type=click.Choice(TLP_CHOICES, case_sensitive=False),
    help="The new TLP 2.0 level.",
)
@click.option("--releasable-to", multiple=True, help="Partner agency; repeatable.")
@click.option(
    "--agency", help="The owning agency you act for [default: ACCORD_AGENCY]."
)
@pass_cli
def set_marking(
    state: CliContext,
    name: str,
    tlp: str,
    releasable_to: tuple[str, ...],
    agency: str | None,
) -> None:
    """Change a dataset's marking (owner only; audited with old and new)."""
    service = state.service()
    local = service.local_actor()
    actor = Actor(local.name, agency or local.agency)
    marking = Marking(Tlp.parse(tlp), frozenset(releasable_to))
    info = service.store.set_marking(actor, name, marking)
    click.echo(f"{info.name}: {info.marking.label()}")
