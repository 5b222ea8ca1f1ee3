"""Shared rendering for commands: tables, findings, JSON."""

from __future__ import annotations

import json
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from accord.model.finding import Finding


def console() -> Console:
    """A console that keeps tables readable when output is piped or logged."""
    out = Console(highlight=False)
    if not out.is_terminal:
        out = Console(highlight=False, width=160)
    return out


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True))


def finding_dict(item: Finding) -> dict[str, Any]:
    return {
        "id": item.id,
        "detector": item.detector,
        "score": item.score,
        "status": item.status.value,
        "summary": item.summary,
        "subjects": list(item.subjects),
        "evidence": list(item.evidence),
        "datasets": list(item.datasets),
        "marking": item.marking.label(),
        "explanation": item.explanation_dict(),
    }


def findings_table(items: list[Finding]) -> Table:
    table = Table("id", "score", "status", "detector", "marking", "summary")
    for item in items:
        table.add_row(
            item.id,
            f"{item.score:.2f}",
            item.status.value,
            item.detector,
            item.marking.label(),
            item.summary,
        )
    return table


def explanation_table(item: Finding) -> Table:
    table = Table("feature", "value", "why")
    for name, feature in item.explanation.items():
        table.add_row(name, f"{feature.value:+.3f}", feature.detail)
    return table
