"""``accord audit``: read and verify the hash-chained log."""

from __future__ import annotations

import json
import sys

import click

from accord.cli.context import CliContext, pass_cli


@click.group()
def audit() -> None:
    """The append-only, hash-chained audit log."""


@audit.command()
@pass_cli
def verify(state: CliContext) -> None:
    """Check every record's hash and link; exit 1 on any tampering."""
    store = state.service().store
    problems = store.verify_audit()
    total = len(store.audit_records())
    if not problems:
        click.echo(f"audit log intact: {total} records, chain and head verified")
        return
    for problem in problems:
        click.echo(f"record {problem.seq}: {problem.reason}", err=True)
    click.echo(f"audit log TAMPERED: {len(problems)} problem(s)", err=True)
    sys.exit(1)


@audit.command("list")
@click.option("--action", help="Only this action, e.g. ingest or finding.status.")
@click.option("--last", default=20, show_default=True, help="How many records.")
@pass_cli
def list_records(state: CliContext, action: str | None, last: int) -> None:
    """Print the newest records as JSON lines."""
    records = state.service().store.audit_records(action)[-last:]
    for record in records:
        line = {
            "seq": record.seq,
            "ts": record.ts,
            "actor": record.actor,
            "agency": record.agency,
            "action": record.action,
            "target": record.target,
            "detail": dict(record.detail),
        }
        click.echo(json.dumps(line, ensure_ascii=False))
