"""The error mapping: one body shape, and nothing leaked on a crash."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from accord.api.app import create_app
from accord.service import Accord
from tests.api.world import TestClient, World


def _raise(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("secret detail: /srv/agency/data.sqlite")


def test_unexpected_error_is_an_opaque_500(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    key = world.keys["alpha_analyst"]
    monkeypatch.setattr(world.service.store, "list_datasets", _raise)
    app = create_app(world.service.settings, world.service)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/datasets", headers={"X-API-Key": key})
    assert response.status_code == 500
    assert response.json() == {"error": "internal_error", "detail": "internal error"}
    assert "secret" not in response.text
    assert any("secret detail" in str(r.exc_info) for r in caplog.records)


def test_health_reports_an_unreachable_store(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down() -> None:
        raise OperationalError("select", {}, Exception("connection refused"))

    monkeypatch.setattr(world.service.store, "list_agencies", down)
    response = world.client.get("/health")
    assert response.status_code == 503
    assert response.json() == {
        "error": "backend_error",
        "detail": "the server could not complete this",
    }
    assert "connection refused" not in response.text


def test_unknown_route_uses_the_common_shape(world: World) -> None:
    response = world.client.get("/nowhere")
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "detail": "Not Found"}


def test_wrong_method_uses_the_common_shape(world: World) -> None:
    response = world.client.delete("/me")
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"


def test_invalid_query_is_422(world: World) -> None:
    response = world.get("alpha_analyst", "/findings?limit=0")
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_request"
    assert body["errors"][0]["loc"] == ["query", "limit"]
    assert body["detail"].startswith("query.limit:")


def test_accord_error_keeps_its_own_fields(world: World) -> None:
    response = world.post("alpha_analyst", "/run", {"detectors": ["no_such"]})
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert "no_such" in response.json()["detail"]


def test_app_opens_and_closes_its_own_service(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(world.service.settings)
    owned = app.state.service
    assert isinstance(owned, Accord)
    assert owned is not world.service
    closed: list[bool] = []
    monkeypatch.setattr(owned, "close", lambda: closed.append(True))
    key = world.keys["bravo_liaison"]
    with TestClient(app) as client:
        assert client.get("/me", headers={"X-API-Key": key}).status_code == 200
        assert not closed
    assert closed == [True]


def test_app_leaves_a_given_service_open(world: World) -> None:
    closed: list[bool] = []
    app = create_app(world.service.settings, world.service)
    original = world.service.close
    world.service.close = lambda: closed.append(True)  # type: ignore[method-assign]
    try:
        with TestClient(app) as client:
            assert client.get("/health").status_code == 200
    finally:
        world.service.close = original  # type: ignore[method-assign]
    assert closed == []
