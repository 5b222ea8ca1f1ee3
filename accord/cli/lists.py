"""``accord lists``: the official lists and downloading them."""

from __future__ import annotations

from pathlib import Path

import click
import httpx
from rich.table import Table

from accord.cli.render import console
from accord.screening.lists.fetch import LIST_SOURCES, fetch_list

DOWNLOAD_TIMEOUT = httpx.Timeout(30.0, read=300.0)


@click.group()
def lists() -> None:
    """Official terrorist and sanctions lists: where they are and how to get them."""


@lists.command("show")
def lists_show() -> None:
    """Every known list, its reader format and its official source."""
    table = Table("name", "format", "official source")
    for name, source in sorted(LIST_SOURCES.items()):
        table.add_row(name, source.reader, "\n".join(source.urls))
    console().print(table)


@lists.command("fetch")
@click.argument("name", type=click.Choice(sorted(LIST_SOURCES)))
@click.option(
    "--dest",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("lists"),
    show_default=True,
    help="Folder to download into.",
)
def lists_fetch(name: str, dest: Path) -> None:
    """Download the official file(s) of a list; then ingest or screen against it."""
    with httpx.Client(timeout=DOWNLOAD_TIMEOUT, follow_redirects=True) as client:
        path = fetch_list(name, dest, client)
    reader = LIST_SOURCES[name].reader
    click.echo(f"{name}: {path}")
    click.echo(
        f"next: accord ingest {path} --format {reader} --dataset {name} --tlp clear"
    )
