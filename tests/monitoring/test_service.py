"""``MonitoringService.scan``: ingest + every monitoring detector + summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.errors import ReaderError
from accord.model.finding import FindingStatus
from accord.model.marking import Marking, Tlp
from accord.monitoring.detectors import MonitoringDetector
from accord.monitoring.service import (
    MonitoringService,
    ScanRequest,
    default_dataset_name,
    monitoring_detectors,
)
from accord.service import Accord
from accord.store.findings import FindingFilter

SAMPLE = Path(__file__).resolve().parents[2] / "accord" / "samples" / "monitoring"
DEMO = SAMPLE / "demo_channel.json"


def scan_request(path: Path = DEMO, dataset: str = "demo") -> ScanRequest:
    return ScanRequest(path, dataset, "alpha", Marking(Tlp.AMBER))


def test_scan_stores_findings_of_every_monitoring_detector(service: Accord) -> None:
    monitor = MonitoringService(service)
    report = monitor.scan(service.local_actor(), scan_request())
    detectors = {finding.detector for finding in report.findings}
    assert {
        "call_to_attack",
        "recruitment",
        "fundraising",
        "weapon_instructions",
    } <= detectors
    stored = service.store.list_findings(service.local_actor(), FindingFilter())
    assert {f.id for f in stored} == {f.id for f in report.findings}
    assert all(f.marking.tlp is Tlp.AMBER for f in stored)


def test_hard_negatives_in_the_demo_are_not_flagged(service: Accord) -> None:
    report = MonitoringService(service).scan(service.local_actor(), scan_request())
    flagged = {subject for f in report.findings for subject in f.subjects}
    for number in (2, 3, 12, 13):  # weather, news of an attack, notices
        assert f"telegram-channel1000001-msg-{number}" not in flagged


def test_summary_counts_posters_and_forwards(service: Accord) -> None:
    summary = (
        MonitoringService(service).scan(service.local_actor(), scan_request()).summary
    )
    assert summary.messages == 13
    assert summary.posters["Example Channel"] == 13
    assert summary.forwards[("Relay Channel A", "Example Channel")] == 2
    assert summary.forwards[("Relay Channel B", "Example Channel")] == 2
    assert summary.flagged_forwards[("Relay Channel A", "Example Channel")] == 2
    sources = [source for (source, _), _ in summary.forwards_ranked()]
    assert sorted(sources) == ["Relay Channel A", "Relay Channel B"]
    assert summary.payment_accounts == {"CryptoWallet": 1, "BankAccount": 2}
    top = summary.top_findings
    assert [f.score for f in top] == sorted((f.score for f in top), reverse=True)
    assert "synthetic" not in json.dumps(summary.to_dict())


def test_rescan_keeps_triage_and_ingests_nothing_new(service: Accord) -> None:
    monitor = MonitoringService(service)
    actor = service.local_actor()
    first = monitor.scan(actor, scan_request())
    chosen = first.findings[0]
    service.store.set_finding_status(actor, chosen.id, FindingStatus.CONFIRMED)
    again = monitor.scan(actor, scan_request())
    assert again.ingest.skipped
    assert {f.id for f in again.findings} == {f.id for f in first.findings}
    kept = service.store.get_finding(actor, chosen.id)
    assert kept.status is FindingStatus.CONFIRMED


def test_failed_scan_leaves_the_store_unchanged(
    service: Accord, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    text = DEMO.read_text(encoding="utf-8")
    broken.write_text(text[: len(text) * 2 // 3], encoding="utf-8")
    with pytest.raises(ReaderError):
        MonitoringService(service).scan(
            service.local_actor(), scan_request(broken, "broken")
        )
    assert service.store.count_statements() == 0
    assert service.store.list_findings(service.local_actor(), FindingFilter()) == []


def test_every_monitoring_detector_is_selected(sqlite_service: Accord) -> None:
    names = monitoring_detectors(sqlite_service.registry)
    assert {"propaganda_classifier", "call_to_attack", "fundraising"} <= set(names)
    for name in names:
        detector = sqlite_service.registry.detector(name)
        assert issubclass(
            detector, MonitoringDetector
        ) or detector.__module__.startswith("accord.monitoring.")
    assert "shared_identifier" not in names


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Some Channel.json", "some-channel"),
        ("result.json", "result"),
        ("__.json", "channel"),
    ],
)
def test_default_dataset_names_are_valid(name: str, expected: str) -> None:
    assert default_dataset_name(Path(name)) == expected


def test_post_files_scan_like_telegram_exports(sqlite_service: Accord) -> None:
    posts = (
        Path(__file__).resolve().parents[1] / "fixtures" / "monitoring" / "posts.csv"
    )
    report = MonitoringService(sqlite_service).scan(
        sqlite_service.local_actor(), scan_request(posts, "forum")
    )
    assert report.summary.messages == 3
    assert report.summary.forwards[("Far Away Channel", "town-forum")] == 1
    fundraising = [f for f in report.findings if f.detector == "fundraising"]
    assert len(fundraising) == 1
    assert "crypto-btc-3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy" in fundraising[0].subjects
