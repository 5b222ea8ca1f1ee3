"""The audit log: chained, append-only, and tamper-evident on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from accord.service import Accord
from tests.factory import person, request, write_jsonl


@pytest.fixture
def logged(service: Accord, tmp_path: Path) -> Accord:
    path = write_jsonl(tmp_path / "a.jsonl", [person("p1", "Jane Roe")])
    service.ingest(service.local_actor(), request(path, "people"))
    service.ingest(service.local_actor(), request(path, "people"))
    service.store.ensure_agency(service.local_actor(), "bravo")
    assert len(service.store.audit_records()) >= 3
    return service


def _bypass_append_only(service: Accord, sql: str) -> None:
    """Tamper as a database owner would: switch the guard off, then write."""
    with service.store.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_no_update"))
            conn.execute(text("DROP TRIGGER audit_no_delete"))
        else:
            conn.execute(text("ALTER TABLE audit DISABLE TRIGGER audit_append_only"))
        conn.execute(text(sql))


def test_intact_log_verifies(logged: Accord) -> None:
    assert logged.store.verify_audit() == []
    seqs = [r.seq for r in logged.store.audit_records()]
    assert seqs == list(range(1, len(seqs) + 1))


def test_database_refuses_update_and_delete(logged: Accord) -> None:
    for sql in ("UPDATE audit SET actor = 'x'", "DELETE FROM audit"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            logged.store.engine.begin() as conn,
        ):
            conn.execute(text(sql))


def test_edited_record_is_caught(logged: Accord) -> None:
    _bypass_append_only(logged, "UPDATE audit SET actor = 'mallory' WHERE seq = 2")
    problems = logged.store.verify_audit()
    assert [(p.seq, p.reason) for p in problems] == [
        (2, "content does not match its hash")
    ]


def test_deleted_record_is_caught(logged: Accord) -> None:
    _bypass_append_only(logged, "DELETE FROM audit WHERE seq = 2")
    problems = [(p.seq, p.reason) for p in logged.store.verify_audit()]
    assert problems == [
        (3, "records 2..2 are missing"),
        (3, "does not link to the previous record"),
    ]


def test_deleted_tail_is_caught(logged: Accord) -> None:
    last = len(logged.store.audit_records())
    _bypass_append_only(logged, f"DELETE FROM audit WHERE seq = {last:d}")  # noqa: S608 - an int
    problems = logged.store.verify_audit()
    assert problems
    assert "deleted from the end" in problems[-1].reason


def test_rewritten_chain_is_caught_by_its_head(logged: Accord) -> None:
    """Even recomputing the hash of an edited record leaves the next link broken."""
    records = logged.store.audit_records()
    forged = f"UPDATE audit SET hash = '{'f' * 64}' WHERE seq = {records[0].seq:d}"  # noqa: S608 - constants
    _bypass_append_only(logged, forged)
    reasons = [p.reason for p in logged.store.verify_audit()]
    assert "does not link to the previous record" in reasons
