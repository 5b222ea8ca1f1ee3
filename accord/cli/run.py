"""``accord run``: detectors over stored entities."""

from __future__ import annotations

import click

from accord.cli.context import CliContext, pass_cli
from accord.cli.render import console, findings_table


@click.command()
@click.option("--dataset", "datasets", multiple=True, help="Only these datasets.")
@click.option("--detector", "detectors", multiple=True, help="Only these detectors.")
@click.option("--top", default=10, show_default=True, help="Findings to print.")
@pass_cli
def run(
    state: CliContext, datasets: tuple[str, ...], detectors: tuple[str, ...], top: int
) -> None:
    """Run detectors over the stored entities and store their findings.

    Without --detector every registered detector runs. Re-running updates
    existing findings and keeps their triage status.
    """
    service = state.service()
    result = service.run(
        service.local_actor(),
        list(datasets) or None,
        list(detectors) or None,
        restrict=False,
    )
    click.echo(
        f"ran {', '.join(result.detectors)} over {result.entities} entities: "
        f"{len(result.findings)} findings"
    )
    best = sorted(result.findings, key=lambda f: -f.score)[:top]
    if best:
        console().print(findings_table(best))
