"""The serving route: authenticated, documented, refusing unknown agencies."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.api.app import create_app
from accord.sharing.psi import KEY_VERSION
from accord.sharing.psi.protocol import PsiClient
from tests.api.world import TestClient
from tests.sharing.psi.support import Instance, open_instance


@pytest.fixture
def bravo(tmp_path: Path) -> Iterator[Instance]:
    instance = open_instance(tmp_path, "bravo", "alpha")
    yield instance
    instance.service.close()


def body() -> dict[str, object]:
    request = PsiClient([f"k{i}" for i in range(200)], True, 1).request()
    return {
        "session": "0123456789abcdef",
        "dataset": "watchlist",
        "key_types": ["document"],
        "key_version": KEY_VERSION,
        "cardinality_only": False,
        "request": base64.b64encode(request).decode(),
    }


def test_route_needs_a_key_and_is_in_the_openapi(bravo: Instance) -> None:
    with TestClient(create_app(bravo.settings, bravo.service)) as client:
        assert client.post("/psi/query", json=body()).status_code == 401
        assert "/psi/query" in client.get("/openapi.json").json()["paths"]


def test_an_agency_that_is_not_a_registered_partner_is_refused(
    bravo: Instance,
) -> None:
    headers = {"X-API-Key": bravo.partner_key}
    with TestClient(create_app(bravo.settings, bravo.service)) as client:
        response = client.post("/psi/query", json=body(), headers=headers)
    assert response.status_code == 403
    assert response.json()["reasons"] == ["alpha is not a registered partner"]
    [record] = bravo.service.store.audit_records("export")
    assert record.detail["outcome"] == "refused"
    assert record.agency == "alpha"


def test_a_request_that_is_not_base64_is_refused(bravo: Instance) -> None:
    headers = {"X-API-Key": bravo.partner_key}
    with TestClient(create_app(bravo.settings, bravo.service)) as client:
        response = client.post(
            "/psi/query", json={**body(), "request": "%%%"}, headers=headers
        )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_data"
