"""``/monitoring/banks``: list and match over HTTP, authenticated and audited."""

from __future__ import annotations

import json
from typing import Any

import pytest

from accord.monitoring.hashing.bank import BankKind
from accord.monitoring.hashing.formats import ImportDefaults
from accord.monitoring.hashing.results import NewBank
from accord.monitoring.hashing.service import HashBanks
from accord.store.audit import AuditAction
from tests.api.world import SETUP, World

BRIDGE = "f8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22"
OTHER = "98736629670cc19fc9f23862f66cce1f599e32c78e236c78619d202e9e66c157"
TEXT = (
    "The committee will meet on Tuesday at the town hall to discuss the new "
    "bridge, the budget for the library and the summer festival programme."
)
SHARED = ImportDefaults(source="hsdb", agency="gifct", added="2026-01-02", label="IS")


@pytest.fixture
def banked(world: World) -> World:
    """A PDQ bank holding BRIDGE and a text bank holding TEXT."""
    settings, store = world.service.settings, world.service.store
    banks = HashBanks.from_settings(settings, store.record)
    banks.create(SETUP, NewBank("gifct", BankKind.PDQ, description="shared"))
    banks.add(SETUP, "gifct", [BRIDGE], SHARED)
    banks.create(SETUP, NewBank("statements", BankKind.TEXT))
    banks.add(SETUP, "statements", [TEXT], SHARED)
    banks.create(SETUP, NewBank("clips", BankKind.VPDQ))
    banks.add_videos(SETUP, "clips", [[BRIDGE, OTHER]], SHARED)
    return world


def _match(world: World, bank: str, body: dict[str, Any]) -> dict[str, Any]:
    response = world.post("bravo_analyst", f"/monitoring/banks/{bank}/match", body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def test_list_summarises_every_bank(banked: World) -> None:
    response = banked.get("alpha_analyst", "/monitoring/banks")
    assert response.status_code == 200, response.text
    by_name = {bank["name"]: bank for bank in response.json()}
    assert set(by_name) == {"gifct", "statements", "clips"}
    assert (by_name["clips"]["kind"], by_name["clips"]["count"]) == ("vpdq", 1)
    assert by_name["gifct"]["kind"] == "pdq"
    assert by_name["gifct"]["count"] == 1
    assert by_name["gifct"]["description"] == "shared"
    assert by_name["statements"]["kind"] == "text"


def test_pdq_match_returns_matches_with_provenance(banked: World) -> None:
    body = _match(banked, "gifct", {"pdq": [OTHER, BRIDGE.upper()]})
    assert body["bank"] == "gifct"
    first, second = body["results"]
    assert first == {"query": 0, "matches": []}
    (match,) = second["matches"]
    assert (match["key"], match["distance"], match["status"]) == (BRIDGE, 0, "match")
    assert match["provenance"] == {
        "source": "hsdb",
        "agency": "gifct",
        "added": "2026-01-02",
        "label": "IS",
    }


def test_text_match_finds_a_near_duplicate(banked: World) -> None:
    body = _match(banked, "statements", {"texts": [TEXT.upper() + "!!", "hello"]})
    near, unrelated = body["results"]
    (match,) = near["matches"]
    assert match["bank"] == "statements"
    assert match["similarity"] > 0.9
    assert match["provenance"]["source"] == "hsdb"
    assert unrelated["matches"] == []


def test_video_match_reports_shares_of_frames(banked: World) -> None:
    body = _match(banked, "clips", {"videos": [[BRIDGE, BRIDGE], [OTHER, OTHER[::-1]]]})
    known, half = body["results"]
    (match,) = known["matches"]
    assert (match["kind"], match["status"]) == ("vpdq", "match")
    assert (match["query_match"], match["compared_match"]) == (1.0, 0.5)
    assert match["key"].startswith("vpdq:")
    assert half["matches"] == []  # one of two frames: below the 80 % default


def test_a_match_is_audited_as_the_caller_without_content(banked: World) -> None:
    _match(banked, "gifct", {"pdq": [BRIDGE, OTHER]})
    store = banked.service.store
    record = store.audit_records(str(AuditAction.BANK_MATCH))[-1]
    assert (record.actor, record.agency) == ("bravo_analyst", "bravo")
    assert record.target == "bank:gifct"
    assert dict(record.detail) == {
        "operation": "match",
        "queries": 2,
        "hits": 1,
        "matches": 1,
    }
    assert BRIDGE not in json.dumps(dict(record.detail))
    assert store.verify_audit() == []


def test_listing_is_audited_as_the_caller(banked: World) -> None:
    banked.get("alpha_liaison", "/monitoring/banks")
    record = banked.service.store.audit_records(str(AuditAction.BANK_READ))[-1]
    assert (record.actor, record.target) == ("alpha_liaison", "banks")
    assert record.detail["banks"] == 3


def test_unknown_bank_is_404(banked: World) -> None:
    response = banked.post(
        "alpha_analyst", "/monitoring/banks/nope/match", {"pdq": [BRIDGE]}
    )
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert banked.service.store.audit_records(str(AuditAction.BANK_MATCH)) == []


def test_texts_against_a_pdq_bank_are_refused(banked: World) -> None:
    response = banked.post(
        "alpha_analyst", "/monitoring/banks/gifct/match", {"texts": [TEXT]}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_data"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"pdq": [BRIDGE], "texts": [TEXT]},
        {"pdq": [BRIDGE], "videos": [[BRIDGE]]},
        {"videos": [[]]},
        {"videos": [["not-a-hash"]]},
        {"pdq": ["not-a-hash"]},
        {"pdq": []},
    ],
)
def test_malformed_bodies_are_422(banked: World, body: dict[str, Any]) -> None:
    response = banked.post("alpha_analyst", "/monitoring/banks/gifct/match", body)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"


def test_a_key_is_required(banked: World) -> None:
    listed = banked.client.get("/monitoring/banks")
    assert listed.status_code == 401
    assert listed.headers["WWW-Authenticate"] == "Bearer"
    matched = banked.client.post(
        "/monitoring/banks/gifct/match", json={"pdq": [BRIDGE]}
    )
    assert matched.status_code == 401
    assert banked.service.store.audit_records(str(AuditAction.BANK_MATCH)) == []
