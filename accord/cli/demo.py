"""``accord demo``: the whole flow on bundled sample data."""

from __future__ import annotations

from collections import Counter

import click

from accord.cli.context import CliContext, pass_cli
from accord.cli.render import console, explanation_table, findings_table
from accord.demo import run_demo


@click.command()
@click.option("--top", default=5, show_default=True, help="Findings to show.")
@pass_cli
def demo(state: CliContext, top: int) -> None:
    """Ingest the bundled samples, run every detector and show the top findings."""
    service = state.service()
    out = console()
    out.print(f"[bold]Accord demo[/bold] — workspace {state.settings.workspace}")
    report = run_demo(service)
    for source, result in report.ingests:
        status = (
            "already ingested, unchanged"
            if result.skipped
            else f"{result.entities} entities, {result.statements} statements"
        )
        out.print(
            f"  ingest {source.dataset:<20} {source.marking.label():<32} "
            f"owner {source.agency:<12} {status}"
        )
    run = report.run
    out.print(
        f"  ran {', '.join(run.detectors)} over {run.entities} entities: "
        f"{len(run.findings)} findings"
    )
    by_detector = Counter(item.detector for item in run.findings)
    out.print(
        "  findings by detector: "
        + ", ".join(f"{name} {count}" for name, count in sorted(by_detector.items()))
    )
    best = sorted(run.findings, key=lambda f: -f.score)[:top]
    if best:
        out.print(findings_table(best))
        out.print(f"[bold]Why the top finding scored {best[0].score:.2f}[/bold]")
        out.print(explanation_table(best[0]))
        out.print(f"Next: accord findings show {best[0].id}")
    manifest = report.manifest
    out.print(
        f"  screened manifest {manifest.dataset}: {manifest.travellers} travellers, "
        f"{len(manifest.findings)} with findings (lists, lost/stolen, risk rules)"
    )
    if manifest.findings:
        out.print(findings_table(sorted(manifest.findings, key=lambda f: -f.score)))
