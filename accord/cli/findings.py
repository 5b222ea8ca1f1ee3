"""``accord findings``: list, show and triage findings."""

from __future__ import annotations

import click

from accord.cli.context import CliContext, pass_cli
from accord.cli.render import (
    console,
    echo_json,
    explanation_table,
    finding_dict,
    findings_table,
)
from accord.model.finding import FindingStatus
from accord.store.findings import FindingFilter

STATUS_CHOICES = [s.value for s in FindingStatus]


@click.group(invoke_without_command=True)
@click.option("--status", type=click.Choice(STATUS_CHOICES), help="Only this status.")
@click.option("--detector", help="Only this detector's findings.")
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def findings(
    ctx: click.Context,
    status: str | None,
    detector: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """List findings, best first (reading them is audited)."""
    if ctx.invoked_subcommand is not None:
        return
    service = ctx.find_object(CliContext)
    if service is None:
        raise click.UsageError("no context")
    accord = service.service()
    where = FindingFilter(
        status=FindingStatus(status) if status else None, detector=detector, limit=limit
    )
    items = accord.store.list_findings(accord.local_actor(), where, restrict=False)
    if as_json:
        echo_json([finding_dict(item) for item in items])
    elif items:
        console().print(findings_table(items))
    else:
        click.echo("no findings")


@findings.command()
@click.argument("finding_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def show(state: CliContext, finding_id: str, as_json: bool) -> None:
    """Show one finding with its explanation, feature by feature."""
    service = state.service()
    item = service.store.get_finding(service.local_actor(), finding_id, restrict=False)
    if as_json:
        echo_json(finding_dict(item))
        return
    out = console()
    out.print(f"[bold]{item.summary}[/bold]")
    out.print(f"id {item.id}  detector {item.detector}  score {item.score:.3f}")
    out.print(f"status {item.status.value}  marking {item.marking.label()}")
    out.print(f"subjects: {', '.join(item.subjects)}")
    out.print(f"evidence: {', '.join(item.evidence)}")
    out.print(f"datasets: {', '.join(item.datasets)}")
    out.print(explanation_table(item))


@findings.command("set-status")
@click.argument("finding_id")
@click.argument("status", type=click.Choice(STATUS_CHOICES[1:]))
@pass_cli
def set_status(state: CliContext, finding_id: str, status: str) -> None:
    """Triage a finding: confirmed, dismissed or escalated (audited)."""
    service = state.service()
    item = service.store.set_finding_status(
        service.local_actor(), finding_id, FindingStatus(status), restrict=False
    )
    click.echo(f"{item.id}: {item.status.value}")
