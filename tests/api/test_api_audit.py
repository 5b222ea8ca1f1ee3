"""``GET /audit/verify``: admins only, and it reflects the real chain."""

from __future__ import annotations

import pytest

from tests.api.world import World


def test_admin_verifies_an_intact_log(world: World) -> None:
    response = world.get("alpha_admin", "/audit/verify")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["problems"] == []
    assert body["records"] == len(world.service.store.audit_records())
    assert body["records"] > 0


@pytest.mark.parametrize("user", ["alpha_analyst", "bravo_liaison"])
def test_non_admin_is_forbidden(world: World, user: str) -> None:
    response = world.get(user, "/audit/verify")
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_tampering_is_reported(world: World) -> None:
    with world.service.store.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER audit_no_update")
        conn.exec_driver_sql("UPDATE audit SET actor = 'someone-else' WHERE seq = 2")
    body = world.get("alpha_admin", "/audit/verify").json()
    assert body["ok"] is False
    assert {"seq": 2, "reason": "content does not match its hash"} in body["problems"]
