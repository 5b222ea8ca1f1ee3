"""Every bank operation leaves one audit record: who, what, which bank, counts.

The records never carry a hash or a text, and after a run of bank operations
through the real store the hash chain still verifies, from the Python API and
from ``accord audit verify``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from accord.cli.main import cli
from accord.errors import BackendError, InvalidData, NotFound
from accord.model.marking import Marking, Tlp
from accord.monitoring.hashing.bank import BankKind
from accord.monitoring.hashing.formats import BankFileFormat, ImportDefaults
from accord.monitoring.hashing.results import NewBank
from accord.monitoring.hashing.service import HashBanks
from accord.monitoring.hashing.state import Verdict
from accord.monitoring.hashing.storage import BankStorage
from accord.monitoring.service import MonitoringService, ScanRequest
from accord.service import Accord
from accord.settings import Settings
from accord.store.audit import AuditAction
from tests.monitoring.hashing.trail import ACTOR, AuditTrail

H1 = "f8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22"
H2 = "98736629670cc19fc9f23862f66cce1f599e32c78e236c78619d202e9e66c157"
TEXT = (
    "The committee will meet on Tuesday at the town hall to discuss the new "
    "bridge, the budget for the library and the summer festival programme."
)
CHANGE, MATCH, READ = (
    AuditAction.BANK_CHANGE,
    AuditAction.BANK_MATCH,
    AuditAction.BANK_READ,
)

DEFAULTS = ImportDefaults(source="test", agency="alpha", added="2026-11-24")
Step = Callable[[HashBanks, Path], Any]
# (operation, expected action, expected target, expected detail subset)
STEPS: list[tuple[Step, AuditAction, str, dict[str, Any]]] = [
    (
        lambda b, _: b.create(ACTOR, NewBank("gifct")),
        CHANGE,
        "bank:gifct",
        {"operation": "create", "kind": "pdq"},
    ),
    (
        lambda b, _: b.create(ACTOR, NewBank("statements", BankKind.TEXT)),
        CHANGE,
        "bank:statements",
        {"operation": "create", "kind": "text"},
    ),
    (
        lambda b, _: b.configure(
            ACTOR, "gifct", threshold=20, policy={"max_matches": 9}
        ),
        CHANGE,
        "bank:gifct",
        {"operation": "configure", "changed": ["max_matches", "threshold"]},
    ),
    (
        lambda b, _: b.add(ACTOR, "gifct", [H1, H1], DEFAULTS),
        CHANGE,
        "bank:gifct",
        {"operation": "add", "read": 2, "added": 1, "skipped": 1},
    ),
    (
        lambda b, _: b.add(ACTOR, "statements", [TEXT], DEFAULTS),
        CHANGE,
        "bank:statements",
        {"operation": "add", "added": 1},
    ),
    (
        lambda b, tmp: b.import_file(ACTOR, "gifct", _csv(tmp), DEFAULTS),
        CHANGE,
        "bank:gifct",
        {"operation": "import", "file": "in.csv", "read": 2, "added": 1},
    ),
    (
        lambda b, tmp: b.export(ACTOR, "gifct", tmp / "out.csv", BankFileFormat.CSV),
        AuditAction.EXPORT,
        "bank:gifct",
        {"operation": "export", "entries": 2, "format": "csv"},
    ),
    (
        lambda b, _: b.match_hashes(ACTOR, [H1, H2, "0" * 64]),
        MATCH,
        "banks",
        {"queries": 3, "hits": 2, "matches": 2},
    ),
    (
        lambda b, _: b.match_texts(ACTOR, [TEXT], "statements"),
        MATCH,
        "bank:statements",
        {"queries": 1, "hits": 1, "matches": 1},
    ),
    (
        lambda b, _: b.feedback(ACTOR, "gifct", H1, Verdict.CONFIRM, note=TEXT),
        CHANGE,
        "bank:gifct",
        {"operation": "feedback", "verdict": "confirm", "quarantined": False},
    ),
    (
        lambda b, _: b.quarantine(ACTOR, "gifct", H2, reason=TEXT),
        CHANGE,
        "bank:gifct",
        {"operation": "quarantine"},
    ),
    (
        lambda b, _: b.release(ACTOR, "gifct", H2),
        CHANGE,
        "bank:gifct",
        {"operation": "release"},
    ),
    (lambda b, _: b.summaries(ACTOR), READ, "banks", {"banks": 2}),
    (lambda b, _: b.report(ACTOR, "gifct"), READ, "bank:gifct", {}),
    (lambda b, _: b.get(ACTOR, "statements"), READ, "bank:statements", {}),
]


def _csv(directory: Path) -> Path:
    path = directory / "in.csv"
    path.write_text(f"hash,label\n{H1},IS\n{H2},IS\n", encoding="utf-8")
    return path


def _run_all(banks: HashBanks, tmp_path: Path) -> None:
    for step, *_ in STEPS:
        step(banks, tmp_path)


def _leaks(text: str) -> bool:
    """Whether a serialised record holds a banked hash or any of the text."""
    return any(secret in text.lower() for secret in (H1, H2, "committee", "0" * 64))


def test_each_operation_leaves_one_record_without_content(
    banks: HashBanks, trail: AuditTrail, tmp_path: Path
) -> None:
    _run_all(banks, tmp_path)
    assert len(trail.entries) == len(STEPS)
    for entry, (_, action, target, expected) in zip(trail.entries, STEPS, strict=True):
        assert entry.actor == ACTOR
        assert (entry.action, entry.target) == (action, target)
        assert expected.items() <= entry.detail.items(), entry.detail
        assert not _leaks(json.dumps(entry.detail) + entry.target)


def test_a_refused_operation_changes_nothing_and_is_not_recorded(
    banks: HashBanks, trail: AuditTrail
) -> None:
    banks.create(ACTOR, NewBank("gifct"))
    with pytest.raises(NotFound):
        banks.match_hashes(ACTOR, [H1], "nope")
    with pytest.raises(InvalidData, match="holds pdq"):
        banks.match_texts(ACTOR, [TEXT], "gifct")
    assert [entry.detail["operation"] for entry in trail.entries] == ["create"]


@pytest.fixture
def accord_service(tmp_path: Path) -> Iterator[Accord]:
    service = Accord.open(Settings(workspace=tmp_path / "ws", actor="ana"))
    yield service
    service.close()


def test_the_store_chain_holds_after_bank_operations(
    accord_service: Accord, tmp_path: Path
) -> None:
    store = accord_service.store
    before = len(store.audit_records())
    banks = HashBanks.from_settings(accord_service.settings, store.record)
    _run_all(banks, tmp_path)
    records = store.audit_records()[before:]
    assert [r.action for r in records] == [str(step[1]) for step in STEPS]
    assert {(r.actor, r.agency) for r in records} == {(ACTOR.name, ACTOR.agency)}
    assert not any(_leaks(json.dumps(dict(r.detail)) + r.target) for r in records)
    assert store.verify_audit() == []
    assert len(store.audit_records(str(AuditAction.BANK_MATCH))) == 2


def test_cli_bank_commands_are_audited_and_the_log_verifies(tmp_path: Path) -> None:
    runner = CliRunner(env={"ACCORD_ACTOR": "ana"})
    base = ["--workspace", str(tmp_path)]
    steps = [
        ["monitor", "bank", "create", "gifct"],
        ["monitor", "bank", "add", "gifct", H1],
        ["monitor", "bank", "match", H1, "--json"],
        ["monitor", "bank", "list", "--json"],
    ]
    for step in steps:
        result = runner.invoke(cli, [*base, *step])
        assert result.exit_code == 0, result.output
    listed = runner.invoke(cli, [*base, "audit", "list", "--last", "4"])
    records = [json.loads(line) for line in listed.output.splitlines()]
    assert [r["action"] for r in records] == [
        "bank.change",
        "bank.change",
        "bank.match",
        "bank.read",
    ]
    assert {r["actor"] for r in records} == {"ana"}
    assert not _leaks(listed.output)
    verified = runner.invoke(cli, [*base, "audit", "verify"])
    assert verified.exit_code == 0
    assert "audit log intact" in verified.output


def test_a_scan_records_each_bank_it_matched_against(
    accord_service: Accord, tmp_path: Path
) -> None:
    """Detectors do no I/O, so the run records their bank reads for them."""
    store = accord_service.store
    banks = HashBanks.from_settings(accord_service.settings, store.record)
    banks.create(ACTOR, NewBank("statements", BankKind.TEXT))
    banks.add(ACTOR, "statements", [TEXT], DEFAULTS)
    banks.create(ACTOR, NewBank("gifct"))  # no media in the posts: not consulted
    posts = tmp_path / "posts.csv"
    posts.write_text(
        "id,author,date,text\n"
        f'p1,ann,2024-01-02T10:00:00Z,"{TEXT}"\n'
        "p2,bob,2024-01-02T11:00:00Z,The market opens at nine tomorrow.\n",
        encoding="utf-8",
    )
    before = len(store.audit_records())
    request = ScanRequest(posts, "forum", ACTOR.agency, Marking(Tlp.AMBER))
    report = MonitoringService(accord_service).scan(ACTOR, request)
    assert any(f.detector == "known_content" for f in report.findings)
    records = store.audit_records()[before:]
    matched = [r for r in records if r.action == str(AuditAction.BANK_MATCH)]
    assert [(r.target, dict(r.detail)) for r in matched] == [
        (
            "bank:statements",
            {"operation": "run", "queries": 2, "hits": 1, "matches": 1},
        )
    ]
    assert not _leaks(json.dumps([dict(r.detail) for r in records]))
    assert store.verify_audit() == []


class FailingLog(AuditTrail):
    """An audit log that refuses to write (a full disk, a lost database)."""

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        raise BackendError("the audit log is unavailable")


def test_no_change_lands_when_its_record_cannot_be_written(tmp_path: Path) -> None:
    working = HashBanks(BankStorage(tmp_path / "banks"), AuditTrail())
    working.create(ACTOR, NewBank("gifct"))
    working.add(ACTOR, "gifct", [H1], DEFAULTS)
    before = working.report(ACTOR, "gifct")
    failing = HashBanks(working.storage, FailingLog())
    attempts: list[Callable[[], Any]] = [
        lambda: failing.create(ACTOR, NewBank("other")),
        lambda: failing.configure(ACTOR, "gifct", threshold=5),
        lambda: failing.add(ACTOR, "gifct", [H2], DEFAULTS),
        lambda: failing.import_file(ACTOR, "gifct", _csv(tmp_path), DEFAULTS),
        lambda: failing.feedback(ACTOR, "gifct", H1, Verdict.CONFIRM),
        lambda: failing.quarantine(ACTOR, "gifct", H1, reason="logo"),
        lambda: failing.match_hashes(ACTOR, [H1]),
    ]
    for attempt in attempts:
        with pytest.raises(BackendError):
            attempt()
    assert working.storage.names() == ["gifct"]
    assert working.report(ACTOR, "gifct") == before
    assert len(working.get(ACTOR, "gifct")) == 1
