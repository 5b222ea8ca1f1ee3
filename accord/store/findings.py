"""Findings as stored: one row each, upserted by their stable id.

A finding belongs to the agency whose run produced it: it is that agency's
work product, and reaches partners only through sharing. Even its owner sees
it only while it may read every dataset it was derived from, since a finding
can reveal its inputs and is never looser than the strictest of them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from accord.errors import NotFound
from accord.model.finding import Feature, Finding, FindingStatus
from accord.model.marking import Marking, Tlp
from accord.store import datasets
from accord.store.schema import finding


@dataclass(frozen=True, slots=True)
class FindingFilter:
    """What to list; every field narrows the result."""

    status: FindingStatus | None = None
    detector: str | None = None
    limit: int = 100


def _to_row(item: Finding, agency: str, now: str) -> dict[str, Any]:
    return {
        "id": item.id,
        "detector": item.detector,
        "agency": agency,
        "subjects": json.dumps(list(item.subjects)),
        "evidence": json.dumps(list(item.evidence)),
        "datasets": json.dumps(sorted(item.datasets)),
        "score": item.score,
        "summary": item.summary,
        "explanation": json.dumps(item.explanation_dict(), sort_keys=True),
        "status": item.status.value,
        "tlp": item.marking.tlp.value,
        "releasable_to": json.dumps(sorted(item.marking.releasable_to)),
        "created_at": now,
        "updated_at": now,
    }


def _from_row(row: Any) -> Finding:
    explanation = {
        name: Feature(value=feat["value"], detail=feat["detail"])
        for name, feat in json.loads(row.explanation).items()
    }
    return Finding(
        id=row.id,
        detector=row.detector,
        subjects=tuple(json.loads(row.subjects)),
        evidence=tuple(json.loads(row.evidence)),
        datasets=tuple(json.loads(row.datasets)),
        agency=row.agency,
        score=row.score,
        summary=row.summary,
        explanation=explanation,
        status=FindingStatus(row.status),
        marking=Marking(Tlp(row.tlp), frozenset(json.loads(row.releasable_to))),
    )


def save(conn: Connection, items: Iterable[Finding], agency: str, now: str) -> int:
    """Insert new findings and refresh re-found ones, keeping their status."""
    saved = 0
    for item in items:
        row = _to_row(item, item.agency or agency, now)
        existing = conn.execute(
            select(finding.c.id).where(finding.c.id == item.id)
        ).first()
        if existing:
            keep = ("id", "status", "created_at", "agency")
            values = {k: v for k, v in row.items() if k not in keep}
            conn.execute(finding.update().where(finding.c.id == item.id).values(values))
        else:
            conn.execute(finding.insert().values(row))
        saved += 1
    return saved


def _visible(conn: Connection, item: Finding, reader: str | None) -> bool:
    if reader is None:
        return True
    if item.agency != reader:
        return False
    for name in item.datasets:
        info = datasets.get_or_none(conn, name)
        if info is None or not info.readable_by(reader):
            return False
    return True


def list_findings(
    conn: Connection, where: FindingFilter, reader: str | None = None
) -> list[Finding]:
    """Findings best first, only those ``reader`` may see when given."""
    query = select(finding).order_by(finding.c.score.desc(), finding.c.id)
    if where.status:
        query = query.where(finding.c.status == where.status.value)
    if where.detector:
        query = query.where(finding.c.detector == where.detector)
    result: list[Finding] = []
    for row in conn.execute(query):
        item = _from_row(row)
        if _visible(conn, item, reader):
            result.append(item)
        if len(result) >= where.limit:
            break
    return result


def get(conn: Connection, finding_id: str, reader: str | None = None) -> Finding:
    row = conn.execute(select(finding).where(finding.c.id == finding_id)).first()
    if row is None:
        raise NotFound(f"no finding {finding_id!r}")
    item = _from_row(row)
    if not _visible(conn, item, reader):
        raise NotFound(f"no finding {finding_id!r}")
    return item


def set_status(
    conn: Connection, finding_id: str, status: FindingStatus, now: str
) -> None:
    conn.execute(
        finding.update()
        .where(finding.c.id == finding_id)
        .values(status=status.value, updated_at=now)
    )
