"""The root ``accord`` group, and the one place CLI errors are mapped."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from accord import __version__
from accord.cli.admin import admin_commands
from accord.cli.audit import audit
from accord.cli.context import CliContext
from accord.cli.demo import demo
from accord.cli.finance import finance
from accord.cli.findings import findings
from accord.cli.ingest import datasets, ingest
from accord.cli.lists import lists
from accord.cli.monitor import monitor
from accord.cli.run import run
from accord.cli.screen import screen
from accord.cli.serve import serve
from accord.cli.share import share
from accord.cli.travel import travel
from accord.errors import AccordError
from accord.settings import Settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="accord")
@click.option(
    "--workspace",
    type=click.Path(path_type=Path, file_okay=False),
    help="Workspace directory of the embedded store [env ACCORD_WORKSPACE].",
)
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.pass_context
def cli(ctx: click.Context, workspace: Path | None, debug: bool) -> None:
    """Accord: counter-terrorism cooperation over FtM entities.

    Data lives in a workspace (an embedded SQLite file) unless
    ACCORD_DATABASE_URL names a PostgreSQL server.
    """
    settings = Settings() if workspace is None else Settings(workspace=workspace)
    state = CliContext(settings=settings, debug=debug)
    ctx.obj = state
    ctx.call_on_close(state.close)


for command in (
    ingest,
    datasets,
    run,
    findings,
    screen,
    lists,
    travel,
    monitor,
    finance,
    share,
    audit,
    serve,
    demo,
    *admin_commands,
):
    cli.add_command(command)


def main() -> None:
    """Entry point: run the CLI, turning accord errors into one clear line."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except AccordError as exc:
        if "--debug" in sys.argv:
            raise
        click.echo(f"Error: {exc.detail}", err=True)
        sys.exit(1)
