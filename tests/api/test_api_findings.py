"""Findings: owned by the agency that ran them, visible while their datasets
are; triage is for analysts."""

from __future__ import annotations

from typing import Any

import pytest

from accord.model.finding import finding_id
from tests.api.world import World

ALPHA_ONLY = finding_id("shared_identifier", ["p1", "g1"], "alpha")
SHARED = finding_id("shared_identifier", ["a2", "g2"], "alpha")
BRAVO_SHARED = finding_id("shared_identifier", ["a2", "g2"], "bravo")


def _ids(world: World, user: str, query: str = "") -> set[str]:
    response = world.get(user, f"/findings{query}")
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()}


def test_run_reports_counts_and_ids(run_all: dict[str, Any]) -> None:
    assert run_all["detectors"] == ["shared_identifier"]
    assert run_all["entities"] == 6
    assert run_all["findings"] == 2
    assert set(run_all["finding_ids"]) == {ALPHA_ONLY, SHARED}


def test_finding_visibility_follows_datasets(
    world: World, run_all: dict[str, Any]
) -> None:
    assert _ids(world, "alpha_liaison") == {ALPHA_ONLY, SHARED}
    assert _ids(world, "bravo_liaison") == set()
    for finding in (ALPHA_ONLY, SHARED):
        assert world.get("bravo_liaison", f"/findings/{finding}").status_code == 404
    assert world.get("alpha_liaison", f"/findings/{ALPHA_ONLY}").status_code == 200


def test_finding_body_explains_itself(world: World, run_all: dict[str, Any]) -> None:
    body = world.get("alpha_liaison", f"/findings/{SHARED}").json()
    assert body["detector"] == "shared_identifier"
    assert body["subjects"] == ["a2", "g2"]
    assert body["datasets"] == ["alpha_amber_rel", "alpha_green"]
    assert body["marking"] == "TLP:AMBER rel. to bravo"
    assert body["status"] == "new"
    assert 0 < body["score"] <= 1
    assert "Y7654321" in body["summary"]
    assert body["explanation"]["shared_identifier"]["value"] > 0


def test_findings_filters(world: World, run_all: dict[str, Any]) -> None:
    assert _ids(world, "alpha_analyst", "?limit=1") <= {ALPHA_ONLY, SHARED}
    assert len(_ids(world, "alpha_analyst", "?limit=1")) == 1
    assert _ids(world, "alpha_analyst", "?detector=other") == set()
    assert _ids(world, "alpha_analyst", "?status=confirmed") == set()
    bad = world.get("alpha_analyst", "/findings?status=bogus")
    assert bad.status_code == 422
    assert bad.json()["error"] == "invalid_request"


def test_bravo_run_covers_only_what_bravo_sees(world: World) -> None:
    response = world.post("bravo_analyst", "/run", {})
    assert response.status_code == 200
    assert response.json()["finding_ids"] == [BRAVO_SHARED]
    assert response.json()["entities"] == 4  # a2, g1, g2, m1
    assert _ids(world, "bravo_liaison") == {BRAVO_SHARED}
    assert _ids(world, "alpha_liaison") == set()


def test_another_agencys_run_never_touches_our_finding(
    world: World, run_all: dict[str, Any]
) -> None:
    """Two agencies reaching the same subjects get separate findings."""
    url = f"/findings/{SHARED}/status"
    assert world.post("alpha_analyst", url, {"status": "escalated"}).status_code == 200
    before = world.get("alpha_analyst", f"/findings/{SHARED}").json()
    assert world.post("bravo_analyst", "/run", {}).status_code == 200
    after = world.get("alpha_analyst", f"/findings/{SHARED}").json()
    assert after == before
    theirs = world.get("bravo_analyst", f"/findings/{BRAVO_SHARED}").json()
    assert theirs["status"] == "new"
    assert world.get("bravo_analyst", f"/findings/{SHARED}").status_code == 404


def test_run_over_a_hidden_dataset_is_404(world: World) -> None:
    body = {"datasets": ["alpha_amber"], "detectors": ["shared_identifier"]}
    response = world.post("bravo_analyst", "/run", body)
    assert response.status_code == 404


@pytest.mark.parametrize("user", ["alpha_liaison", "bravo_liaison"])
def test_liaison_may_not_run(world: World, user: str) -> None:
    response = world.post(user, "/run", {})
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_liaison_may_not_set_status(world: World, run_all: dict[str, Any]) -> None:
    url = f"/findings/{SHARED}/status"
    response = world.post("alpha_liaison", url, {"status": "confirmed"})
    assert response.status_code == 403
    assert set(response.json()) == {"error", "detail"}
    assert world.service.store.audit_records("finding.status") == []
    after = world.get("alpha_liaison", f"/findings/{SHARED}").json()
    assert after["status"] == "new"


def test_analyst_sets_status_and_it_is_audited(
    world: World, run_all: dict[str, Any]
) -> None:
    url = f"/findings/{ALPHA_ONLY}/status"
    response = world.post("alpha_analyst", url, {"status": "escalated"})
    assert response.status_code == 200
    assert response.json()["status"] == "escalated"
    records = world.service.store.audit_records("finding.status")
    assert [(r.actor, r.target) for r in records] == [("alpha_analyst", ALPHA_ONLY)]
    assert records[0].detail == {"from": "new", "to": "escalated"}
    listed = _ids(world, "alpha_analyst", "?status=escalated")
    assert listed == {ALPHA_ONLY}


def test_analyst_cannot_triage_a_finding_they_cannot_see(
    world: World, run_all: dict[str, Any]
) -> None:
    url = f"/findings/{ALPHA_ONLY}/status"
    response = world.post("bravo_analyst", url, {"status": "dismissed"})
    assert response.status_code == 404
    assert world.service.store.audit_records("finding.status") == []


@pytest.mark.parametrize("body", [{"status": "new"}, {"status": "x"}, {}, None])
def test_invalid_status_body_is_422(
    world: World, run_all: dict[str, Any], body: Any
) -> None:
    response = world.post("alpha_analyst", f"/findings/{SHARED}/status", body)
    assert response.status_code == 422
    payload = response.json()
    assert payload["error"] == "invalid_request"
    assert payload["detail"]
    assert payload["errors"] and "loc" in payload["errors"][0]
