"""GET /travel/documents/check: hit or no-hit, only from lists the caller
may read."""

from __future__ import annotations

from typing import Any

import pytest

from accord.model.marking import Tlp
from tests.api.world import World

STOLEN = {
    "id": "sltd-1",
    "schema": "Passport",
    "properties": {
        "number": ["K 0011223"],
        "country": ["fr"],
        "summary": ["reported stolen"],
    },
}


@pytest.fixture
def listed(world: World) -> World:
    world.ingest("alpha_sltd", Tlp.AMBER, frozenset(), [STOLEN])
    return world


def _check(world: World, user: str, **params: Any) -> dict[str, Any]:
    response = world.get(user, "/travel/documents/check", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_owner_gets_a_hit_naming_the_reporting_agency(listed: World) -> None:
    body = _check(listed, "alpha_analyst", number="k0011223", state="FRA")
    assert body["result"] == "hit"
    (listing,) = body["listings"]
    assert listing["status"] == "stolen"
    assert listing["issuing_state"] == "fr"
    assert listing["reporting_agency"] == listing["confirm_with"] == "alpha"


def test_wrong_state_is_a_no_hit(listed: World) -> None:
    body = _check(listed, "alpha_analyst", number="K0011223", state="DEU")
    assert body == {
        "number": "K0011223",
        "country": "DEU",
        "result": "no-hit",
        "listings": [],
    }


def test_an_agency_that_may_not_read_the_list_gets_no_hit(listed: World) -> None:
    assert _check(listed, "bravo_analyst", number="K0011223")["result"] == "no-hit"
    response = listed.get(
        "bravo_analyst",
        "/travel/documents/check",
        params={"number": "K0011223", "documents": "alpha_sltd"},
    )
    assert response.status_code == 404


def test_a_hit_leaves_a_confirm_with_owner_finding(listed: World) -> None:
    _check(listed, "alpha_analyst", number="K0011223", state="FR")
    response = listed.get("alpha_analyst", "/findings")
    found = [f for f in response.json() if f["detector"] == "document_check"]
    assert len(found) == 1
    assert "confirm with owner" in found[0]["summary"]
    assert found[0]["subjects"] == ["sltd-1"]


def test_a_key_is_required(listed: World) -> None:
    response = listed.client.get("/travel/documents/check", params={"number": "1"})
    assert response.status_code == 401
