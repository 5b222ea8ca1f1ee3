"""The audit log: append-only and hash-chained.

Each record's hash covers its content and the previous record's hash, so
editing any record breaks its own hash and deleting one breaks the link of
the next. ``audit_head`` keeps the newest (seq, hash), so deleting the tail
is caught as well. The database refuses UPDATE and DELETE on the table
(triggers installed by the migrations), so tampering needs an owner who drops
the trigger first; the chain is what still catches that.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from accord.store.clock import now_iso
from accord.store.schema import audit, audit_head

GENESIS = "0" * 64


class AuditAction(StrEnum):
    """Every kind of event the log records."""

    INGEST = "ingest"
    INGEST_SKIPPED = "ingest.skipped"
    INGEST_FAILED = "ingest.failed"
    RUN = "run"
    FINDINGS_READ = "findings.read"
    FINDING_STATUS = "finding.status"
    ENTITY_READ = "entity.read"
    SCREEN = "screen"
    DATASET_MARKING = "dataset.marking"
    EXPORT = "export"
    IMPORT = "import"
    IMPORT_SKIPPED = "import.skipped"
    SHARE_PARTNER = "share.partner"
    SHARE_AGREEMENT = "share.agreement"
    SHARE_KEY = "share.key"
    LOGIN = "login"
    LOGIN_FAILED = "login.failed"
    ACCOUNT = "account"
    BANK_READ = "bank.read"
    BANK_CHANGE = "bank.change"
    BANK_MATCH = "bank.match"


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One line of the log, as stored."""

    seq: int
    ts: str
    actor: str
    agency: str
    action: str
    target: str
    detail: Mapping[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class AuditProblem:
    """A place where the chain does not hold."""

    seq: int
    reason: str


def record_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """SHA-256 over the previous hash and the record's canonical JSON."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def _content(record: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("seq", "ts", "actor", "agency", "action", "target", "detail")
    return {key: record[key] for key in keys}


def append(
    conn: Connection,
    *,
    actor: str,
    agency: str,
    action: AuditAction,
    target: str = "",
    detail: Mapping[str, Any] | None = None,
) -> AuditRecord:
    """Append one record inside the caller's transaction.

    The head row is read ``FOR UPDATE`` so concurrent writers on PostgreSQL
    serialise on it; SQLite's ``BEGIN IMMEDIATE`` already serialises them.
    """
    head = conn.execute(
        select(audit_head.c.seq, audit_head.c.hash)
        .where(audit_head.c.id == 1)
        .with_for_update()
    ).first()
    seq, prev = (head.seq + 1, head.hash) if head else (1, GENESIS)
    content: dict[str, Any] = {
        "seq": seq,
        "ts": now_iso(),
        "actor": actor,
        "agency": agency,
        "action": str(action),
        "target": target,
        "detail": dict(detail or {}),
    }
    digest = record_hash(prev, content)
    row = {**content, "detail": json.dumps(content["detail"], sort_keys=True)}
    conn.execute(audit.insert().values(**row, prev_hash=prev, hash=digest))
    if head:
        conn.execute(audit_head.update().values(seq=seq, hash=digest))
    else:
        conn.execute(audit_head.insert().values(id=1, seq=seq, hash=digest))
    return AuditRecord(prev_hash=prev, hash=digest, **content)


def iter_records(conn: Connection, action: str | None = None) -> Iterator[AuditRecord]:
    """Every record in order, optionally of one action."""
    query = select(audit).order_by(audit.c.seq)
    if action:
        query = query.where(audit.c.action == action)
    for row in conn.execute(query).mappings():
        yield AuditRecord(**{**row, "detail": json.loads(row["detail"])})


def verify(conn: Connection) -> list[AuditProblem]:
    """Walk the chain and report every record that does not hold."""
    problems: list[AuditProblem] = []
    prev_hash, expected_seq = GENESIS, 1
    for record in iter_records(conn):
        problems.extend(_check_record(record, prev_hash, expected_seq))
        prev_hash, expected_seq = record.hash, record.seq + 1
    problems.extend(_check_head(conn, expected_seq - 1, prev_hash))
    return problems


def _check_record(
    record: AuditRecord, prev_hash: str, expected_seq: int
) -> list[AuditProblem]:
    problems = []
    if record.seq != expected_seq:
        missing = f"{expected_seq}..{record.seq - 1}"
        problems.append(AuditProblem(record.seq, f"records {missing} are missing"))
    if record.prev_hash != prev_hash:
        problems.append(
            AuditProblem(record.seq, "does not link to the previous record")
        )
    content = _content({**_as_mapping(record), "detail": dict(record.detail)})
    if record_hash(record.prev_hash, content) != record.hash:
        problems.append(AuditProblem(record.seq, "content does not match its hash"))
    return problems


def _as_mapping(record: AuditRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in AuditRecord.__slots__}


def _check_head(conn: Connection, last_seq: int, last_hash: str) -> list[AuditProblem]:
    head = conn.execute(select(audit_head).where(audit_head.c.id == 1)).first()
    if head is None:
        if last_seq > 0:
            return [AuditProblem(last_seq, "the chain head record is missing")]
        return []
    if head.seq != last_seq or head.hash != last_hash:
        return [
            AuditProblem(
                head.seq,
                f"the log ends at record {last_seq} but its head says {head.seq}: "
                "records were deleted from the end",
            )
        ]
    return []
