"""POST /screen and /screen/batch: only against what the caller may see."""

from __future__ import annotations

from tests.api.world import World


def _hits(world: World, user: str, name: str, **extra: object) -> list[str]:
    response = world.post(user, "/screen", {"name": name, "schema": "Person", **extra})
    assert response.status_code == 200, response.text
    return [r["entity_id"] for r in response.json()["results"] if r["match"]]


def test_owner_finds_its_amber_entry(world: World) -> None:
    assert "p1" in _hits(world, "alpha_analyst", "Jane Doe")


def test_other_agency_never_matches_hidden_data(world: World) -> None:
    hits = _hits(world, "bravo_analyst", "Jane Doe")
    assert "p1" not in hits
    assert hits == ["g1"]
    assert "r1" not in _hits(world, "bravo_analyst", "Sam Poe")
    assert "r1" in _hits(world, "alpha_analyst", "Sam Poe")


def test_naming_a_hidden_dataset_is_404(world: World) -> None:
    body = {"name": "Sam Poe", "against": ["alpha_red"]}
    response = world.post("bravo_analyst", "/screen", body)
    assert response.status_code == 404


def test_a_server_path_is_never_read(world: World) -> None:
    body = {"name": "root", "against": ["/etc/passwd"]}
    response = world.post("alpha_analyst", "/screen", body)
    assert response.status_code == 404
    assert "root:" not in response.text


def test_results_explain_themselves(world: World) -> None:
    body = {"name": "Kim Loe", "schema": "Person", "birth_date": "1980"}
    response = world.post("bravo_analyst", "/screen", body)
    [best, *_] = response.json()["results"]
    assert best["explanation"]["name_match"]["value"] > 0.9
    assert "Kim Loe" in best["explanation"]["name_match"]["detail"]


def test_empty_name_and_bad_date_are_refused(world: World) -> None:
    assert world.post("alpha_analyst", "/screen", {"name": ""}).status_code == 422
    bad = world.post("alpha_analyst", "/screen", {"name": "x", "birth_date": "1970-13"})
    assert bad.status_code == 400
    assert bad.json()["error"] == "invalid_data"


def test_batch_keeps_query_ids_and_order(world: World) -> None:
    body = {
        "queries": [
            {"id": "a", "name": "Kim Loe", "schema": "Person"},
            {"id": "b", "name": "Nobody Anywhere", "schema": "Person"},
        ]
    }
    response = world.post("bravo_analyst", "/screen/batch", body)
    assert response.status_code == 200
    first, second = response.json()
    assert (first["query_id"], second["query_id"]) == ("a", "b")
    assert first["results"][0]["entity_id"] in {"a2", "g2"}
    assert not any(r["match"] for r in second["results"])


def test_screening_is_audited(world: World) -> None:
    _hits(world, "alpha_analyst", "Jane Doe")
    records = world.service.store.audit_records("screen")
    assert [(r.actor, r.detail["name"]) for r in records] == [
        ("alpha_analyst", "Jane Doe")
    ]


def test_unauthenticated_screen_is_401(world: World) -> None:
    assert world.client.post("/screen", json={"name": "x"}).status_code == 401
