"""Authentication: every route but /health and the docs needs a valid key."""

from __future__ import annotations

import pytest

from tests.api.world import World

PROTECTED = [
    ("GET", "/me", None),
    ("GET", "/datasets", None),
    ("GET", "/datasets/alpha_green", None),
    ("GET", "/entities/g1", None),
    ("GET", "/findings", None),
    ("GET", "/findings/abc", None),
    ("POST", "/findings/abc/status", {"status": "confirmed"}),
    ("POST", "/run", {}),
    ("GET", "/audit/verify", None),
]


def _call(
    world: World, method: str, url: str, body: object, headers: dict[str, str]
) -> tuple[int, dict[str, object], str | None]:
    response = world.client.request(method, url, json=body, headers=headers)
    return (
        response.status_code,
        response.json(),
        response.headers.get("WWW-Authenticate"),
    )


@pytest.mark.parametrize(("method", "url", "body"), PROTECTED)
def test_protected_route_without_key_is_401(
    world: World, method: str, url: str, body: object
) -> None:
    status, payload, challenge = _call(world, method, url, body, {})
    assert status == 401
    assert payload["error"] == "unauthorized"
    assert set(payload) == {"error", "detail"}
    assert "API key" in str(payload["detail"])
    assert challenge == "Bearer"


@pytest.mark.parametrize(("method", "url", "body"), PROTECTED)
def test_protected_route_with_bad_key_is_401(
    world: World, method: str, url: str, body: object
) -> None:
    headers = {"Authorization": "Bearer acc_000000000000_not-a-real-secret"}
    status, payload, challenge = _call(world, method, url, body, headers)
    assert (status, payload["error"], challenge) == (401, "unauthorized", "Bearer")


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer not-a-key"},
        {"X-API-Key": "acc_only-two-parts"},
        {"Authorization": "Basic YWxpY2U6c2VjcmV0"},
        {"Authorization": "Bearer "},
    ],
)
def test_malformed_credentials_are_401(world: World, headers: dict[str, str]) -> None:
    response = world.client.get("/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"


def test_wrong_secret_for_a_real_key_id_is_401(world: World) -> None:
    prefix, key_id, _secret = world.keys["alpha_analyst"].split("_", 2)
    forged = f"{prefix}_{key_id}_{'x' * 43}"
    response = world.client.get("/me", headers={"X-API-Key": forged})
    assert response.status_code == 401


def test_revoked_key_is_401(world: World) -> None:
    key = world.keys["bravo_analyst"]
    assert world.get("bravo_analyst", "/me").status_code == 200
    world.service.store.revoke_key(world.service.local_actor(), key.split("_")[1])
    response = world.get("bravo_analyst", "/me")
    assert response.status_code == 401
    assert response.json() == {
        "error": "unauthorized",
        "detail": "invalid or revoked API key",
    }


def test_bearer_and_x_api_key_both_authenticate(world: World) -> None:
    key = world.keys["bravo_liaison"]
    for headers in ({"Authorization": f"Bearer {key}"}, {"X-API-Key": key}):
        response = world.client.get("/me", headers=headers)
        assert response.status_code == 200
        assert response.json() == {
            "name": "bravo_liaison",
            "agency": "bravo",
            "role": "liaison",
        }


def test_health_and_docs_need_no_key(world: World) -> None:
    health = world.client.get("/health")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    assert health.json()["version"]
    assert world.client.get("/docs").status_code == 200
    spec = world.client.get("/openapi.json").json()
    assert "security" not in spec["paths"]["/health"]["get"]
    assert spec["paths"]["/me"]["get"]["security"] == [
        {"HTTPBearer": []},
        {"APIKeyHeader": []},
    ]


def test_login_success_and_failure_are_audited(world: World) -> None:
    assert world.get("alpha_liaison", "/me").status_code == 200
    bad_key = "acc_0123456789ab_wrong-secret-value"
    assert world.client.get("/me", headers={"X-API-Key": bad_key}).status_code == 401
    logins = world.service.store.audit_records("login")
    assert any(r.actor == "alpha_liaison" and r.agency == "alpha" for r in logins)
    failed = world.service.store.audit_records("login.failed")
    assert [r.target for r in failed] == ["key:0123456789ab"]
    assert all("wrong-secret-value" not in repr(r) for r in failed)
