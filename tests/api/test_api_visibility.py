"""Who sees which datasets and values, through the API."""

from __future__ import annotations

import pytest

from tests.api.world import DATASETS, World


def _names(world: World, user: str) -> set[str]:
    response = world.get(user, "/datasets")
    assert response.status_code == 200
    return {item["name"] for item in response.json()}


def test_alpha_lists_all_its_own_datasets(world: World) -> None:
    assert _names(world, "alpha_liaison") == set(DATASETS)


def test_bravo_lists_only_released_and_green_datasets(world: World) -> None:
    assert _names(world, "bravo_liaison") == {"alpha_amber_rel", "alpha_green"}


@pytest.mark.parametrize("name", ["alpha_amber", "alpha_red"])
def test_bravo_cannot_read_hidden_dataset(world: World, name: str) -> None:
    response = world.get("bravo_analyst", f"/datasets/{name}")
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "detail": f"no dataset {name!r}"}


def test_hidden_and_missing_datasets_look_the_same(world: World) -> None:
    hidden = world.get("bravo_analyst", "/datasets/alpha_red").json()
    missing = world.get("bravo_analyst", "/datasets/no_such").json()
    assert hidden["error"] == missing["error"] == "not_found"


def test_released_dataset_shows_its_marking(world: World) -> None:
    response = world.get("bravo_liaison", "/datasets/alpha_amber_rel")
    assert response.status_code == 200
    assert response.json() == {
        "name": "alpha_amber_rel",
        "agency": "alpha",
        "marking": "TLP:AMBER rel. to bravo",
        "tlp": "amber",
        "releasable_to": ["bravo"],
        "title": "",
    }


@pytest.mark.parametrize(
    ("entity_id", "status"),
    [("p1", 404), ("r1", 404), ("a2", 200), ("g1", 200), ("m1", 200)],
)
def test_bravo_reads_entities_only_from_visible_data(
    world: World, entity_id: str, status: int
) -> None:
    response = world.get("bravo_liaison", f"/entities/{entity_id}")
    assert response.status_code == status
    if status == 404:
        assert response.json()["error"] == "not_found"


@pytest.mark.parametrize("entity_id", ["p1", "r1", "a2", "g1", "m1"])
def test_alpha_reads_all_its_own_entities(world: World, entity_id: str) -> None:
    response = world.get("alpha_liaison", f"/entities/{entity_id}")
    assert response.status_code == 200
    assert response.json()["id"] == entity_id


def test_shared_entity_shows_bravo_only_green_values(world: World) -> None:
    body = world.get("bravo_liaison", "/entities/m1").json()
    assert body["schema"] == "Person"
    assert body["properties"] == {"name": ["A. Roe"], "nationality": ["fr"]}
    assert body["datasets"] == ["alpha_green"]
    assert "amber-only note" not in str(body)
    statements = body["statements"]
    assert {(s["prop"], s["value"]) for s in statements} == {
        ("name", "A. Roe"),
        ("nationality", "fr"),
    }
    assert {s["dataset"] for s in statements} == {"alpha_green"}
    assert all(s["first_seen"] and s["last_seen"] for s in statements)


def test_shared_entity_shows_alpha_both_datasets(world: World) -> None:
    body = world.get("alpha_analyst", "/entities/m1").json()
    assert sorted(body["properties"]["name"]) == ["A. Roe", "Alex Roe"]
    assert body["properties"]["notes"] == ["amber-only note"]
    assert body["datasets"] == ["alpha_amber", "alpha_green"]
    provenance = {(s["value"], s["dataset"]) for s in body["statements"]}
    assert ("Alex Roe", "alpha_amber") in provenance
    assert ("A. Roe", "alpha_green") in provenance


def test_entity_reads_are_audited(world: World) -> None:
    world.get("bravo_liaison", "/entities/g1")
    reads = world.service.store.audit_records("entity.read")
    assert [(r.actor, r.target) for r in reads] == [("bravo_liaison", "g1")]
