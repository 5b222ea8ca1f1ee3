"""Manifest screening end to end on both store backends: one finding per
traveller, from lists, lost/stolen documents and rules, never from the
travellers' own data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accord.model.finding import Finding
from accord.model.marking import Tlp
from accord.screening.service import ScreeningService
from accord.service import Accord
from accord.store import Actor
from accord.store.findings import FindingFilter
from accord.travel.assess import ManifestReport, ManifestScope, ManifestScreening
from accord.travel.rules import load_rules
from tests.factory import request, write_jsonl
from tests.travel.support import FIXTURES

UN_EXCERPT = FIXTURES.parent / "un_sc_excerpt.xml"
MANIFEST = FIXTURES / "manifest_watchlist.edi"
LISTED_TRAVELLER = "AL-ASIRI"


def _passport(entity_id: str, number: str, country: str, summary: str) -> Any:
    properties = {"number": [number], "country": [country], "summary": [summary]}
    return {"id": entity_id, "schema": "Passport", "properties": properties}


@pytest.fixture
def loaded(service: Accord, tmp_path: Path) -> Accord:
    actor = service.local_actor()
    service.ingest(actor, request(UN_EXCERPT, "un", "unsc", Tlp.CLEAR, fmt="un_sc"))
    stolen = write_jsonl(
        tmp_path / "sltd.jsonl",
        [_passport("sltd-1", "cb 771 203", "pt", "reported stolen 2026-10-02")],
    )
    service.ingest(actor, request(stolen, "sltd", "interpol", Tlp.AMBER))
    # a document list that states no status: only counts when named
    plain = write_jsonl(
        tmp_path / "plain.jsonl",
        [_passport("plain-1", "A09182736", "ng", "issued 2019")],
    )
    service.ingest(actor, request(plain, "registry", "alpha", Tlp.GREEN))
    manifest = request(MANIFEST, "flight", "alpha", Tlp.AMBER_STRICT, fmt="paxlst")
    service.ingest(actor, manifest)
    return service


def _screen(service: Accord, scope: ManifestScope) -> ManifestReport:
    screening = ManifestScreening(ScreeningService(service), load_rules())
    return screening.screen(Actor("analyst", "alpha"), "flight", scope)


def _by_name(report: ManifestReport) -> dict[str, Finding]:
    return {f.summary.split(":")[0].split()[-1]: f for f in report.findings}


def test_every_traveller_is_assessed_and_the_listed_one_matches(loaded: Accord) -> None:
    report = _screen(loaded, ManifestScope(restrict=False))
    assert report.travellers == 3
    listed = _by_name(report)[LISTED_TRAVELLER]
    assert listed.explanation["watchlist"].value >= 0.8
    assert "unsc-2962519" in listed.evidence
    assert listed.explanation["watchlist.identifier"].value > 0  # passport number
    assert listed.subjects == (listed.subjects[0],)  # the traveller alone
    assert "un" in listed.datasets


def test_stolen_passport_is_a_hit_that_names_the_owner_to_confirm_with(
    loaded: Accord,
) -> None:
    finding = _by_name(_screen(loaded, ManifestScope(restrict=False)))["PEREIRA"]
    feature = finding.explanation["document.cb 771 203"]
    assert feature.value == 0.9
    assert "stolen" in feature.detail
    assert "confirm with interpol" in feature.detail
    assert "sltd-1" in finding.evidence
    # the manifest is AMBER+STRICT, the list AMBER: the finding takes the stricter
    assert finding.marking.tlp is Tlp.AMBER_STRICT
    assert "watchlist" not in finding.explanation


def test_documents_without_a_status_count_only_from_a_named_list(
    loaded: Accord,
) -> None:
    unnamed = _by_name(_screen(loaded, ManifestScope(restrict=False)))["OKONJO"]
    assert not any(key.startswith("document.") for key in unnamed.explanation)
    named = _screen(loaded, ManifestScope(documents=("registry",), restrict=False))
    hit = _by_name(named)["OKONJO"].explanation["document.A09182736"]
    assert "is listed in registry" in hit.detail
    assert hit.value == 0.6


def test_travellers_own_documents_and_each_other_never_match(loaded: Accord) -> None:
    report = _screen(loaded, ManifestScope(restrict=False))
    for assessment in report.assessments:
        if assessment.traveller.caption.endswith(LISTED_TRAVELLER):
            continue
        assert assessment.watchlist is None
    listed = _by_name(report)[LISTED_TRAVELLER]
    assert not any(key.startswith("document.") for key in listed.explanation)


def test_rules_fire_per_traveller(loaded: Accord) -> None:
    report = _screen(loaded, ManifestScope(restrict=False))
    assert len(report.findings) == 3  # all three fly to DAM
    for finding in report.findings:
        assert "rule.conflict_zone_route" in finding.explanation


def test_rescreening_updates_the_same_findings(loaded: Accord) -> None:
    first = {f.id for f in _screen(loaded, ManifestScope(restrict=False)).findings}
    second = {f.id for f in _screen(loaded, ManifestScope(restrict=False)).findings}
    assert first == second
    where = FindingFilter(detector="travel_manifest")
    stored = loaded.store.list_findings(
        Actor("analyst", "alpha"), where, restrict=False
    )
    assert {f.id for f in stored} == first


def test_an_agency_screens_only_with_what_it_may_read(loaded: Accord) -> None:
    # interpol's AMBER list is not released to alpha, so alpha's own
    # screening cannot use it, and the stolen passport goes unseen
    report = _screen(loaded, ManifestScope(restrict=True))
    pereira = _by_name(report)["PEREIRA"]
    assert not any(key.startswith("document.") for key in pereira.explanation)
    assert "sltd" not in pereira.datasets
