"""Who sees what: datasets and per-statement values by marking."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import Forbidden, NotFound
from accord.model.marking import Marking, Tlp
from accord.service import Accord
from accord.store import Actor
from tests.factory import person, request, write_jsonl


@pytest.fixture
def loaded(service: Accord, tmp_path: Path) -> Accord:
    actor = service.local_actor()
    cases = {
        "a_amber": (Tlp.AMBER, frozenset()),
        "a_amber_rel": (Tlp.AMBER, frozenset({"bravo"})),
        "a_red": (Tlp.RED, frozenset()),
        "a_green": (Tlp.GREEN, frozenset()),
        "a_clear": (Tlp.CLEAR, frozenset()),
    }
    for name, (tlp, rel) in cases.items():
        path = write_jsonl(tmp_path / f"{name}.jsonl", [person("shared", name)])
        service.ingest(actor, request(path, name, tlp=tlp, releasable_to=rel))
    return service


def test_other_agency_sees_only_released_datasets(loaded: Accord) -> None:
    visible = {info.name for info in loaded.store.list_datasets("bravo")}
    assert visible == {"a_amber_rel", "a_green", "a_clear"}
    assert {info.name for info in loaded.store.list_datasets("alpha")} == {
        "a_amber",
        "a_amber_rel",
        "a_red",
        "a_green",
        "a_clear",
    }


def test_merged_entity_carries_only_released_values(loaded: Accord) -> None:
    entity = loaded.store.get_entity(Actor("bob", "bravo"), "shared")
    assert sorted(entity.get("name")) == ["a_amber_rel", "a_clear", "a_green"]
    own = loaded.store.get_entity(Actor("ann", "alpha"), "shared")
    assert len(own.get("name")) == 5


def test_hidden_dataset_is_not_found(loaded: Accord) -> None:
    with pytest.raises(NotFound):
        loaded.store.get_dataset("a_red", "bravo")
    with pytest.raises(NotFound):
        loaded.store.get_dataset("a_amber", "charlie")


def test_entity_only_in_hidden_data_is_not_found(
    loaded: Accord, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "secret.jsonl", [person("secret", "Hidden Person")])
    loaded.ingest(loaded.local_actor(), request(path, "a_secret", tlp=Tlp.RED))
    with pytest.raises(NotFound):
        loaded.store.get_entity(Actor("bob", "bravo"), "secret")


def test_owner_re_marks_a_dataset_and_it_is_audited(loaded: Accord) -> None:
    owner = Actor("ann", "alpha")
    loaded.store.set_marking(owner, "a_amber", Marking(Tlp.AMBER, frozenset({"bravo"})))
    assert "a_amber" in {info.name for info in loaded.store.list_datasets("bravo")}
    [record] = loaded.store.audit_records("dataset.marking")
    assert record.detail == {"from": "TLP:AMBER", "to": "TLP:AMBER rel. to bravo"}


def test_only_the_owner_may_re_mark(loaded: Accord) -> None:
    with pytest.raises(Forbidden, match="belongs to agency 'alpha'"):
        loaded.store.set_marking(Actor("bob", "bravo"), "a_red", Marking(Tlp.CLEAR))
    assert loaded.store.get_dataset("a_red").marking == Marking(Tlp.RED)
    assert loaded.store.audit_records("dataset.marking") == []
