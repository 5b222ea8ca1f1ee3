"""Every export passes the third parties' own checks: OASIS validator, stix2, PyMISP."""

from __future__ import annotations

import json
from typing import Any

import pytest
import stix2
from pymisp import MISPEvent
from stix2validator import ValidationOptions, validate_string

from accord.sharing.stix import ACCORD_EXTENSION, ENTITY_TYPE, agency_identity_id
from accord.sharing.tlp import TLP2_EXTENSION, TLP2_IDS
from tests.sharing.conftest import Agency, save_finding


def stix_bundle(alpha: Agency) -> dict[str, Any]:
    signed = alpha.sharing.export(alpha.actor, "bravo", "stix")
    bundle: dict[str, Any] = json.loads(signed.payload)
    return bundle


def test_stix_export_passes_the_oasis_validator(world: tuple[Agency, Agency]) -> None:
    alpha, _ = world
    save_finding(alpha, ("cases",))
    bundle = stix_bundle(alpha)
    assert "sighting" in {o["type"] for o in bundle["objects"]}
    text = json.dumps(bundle)
    result = validate_string(text, ValidationOptions(version="2.1"))
    assert [str(e) for e in result.errors] == []
    assert result.is_valid
    assert [str(w) for w in result.warnings] == []


def test_stix_export_loads_in_stix2(world: tuple[Agency, Agency]) -> None:
    alpha, _ = world
    bundle = stix2.parse(json.dumps(stix_bundle(alpha)), allow_custom=True)
    kinds = {obj["type"] for obj in bundle.objects}
    assert {"identity", "threat-actor", "indicator", "observed-data"} <= kinds
    assert {"relationship", "marking-definition", ENTITY_TYPE} <= kinds


def test_stix_markings_are_the_oasis_tlp2_definitions(
    world: tuple[Agency, Agency],
) -> None:
    alpha, _ = world
    objects = stix_bundle(alpha)["objects"]
    markings = [o for o in objects if o["type"] == "marking-definition"]
    assert {m["id"] for m in markings} == {
        TLP2_IDS[tlp] for tlp in TLP2_IDS if tlp.value in ("green", "amber")
    }
    for marking in markings:
        assert marking["extensions"][TLP2_EXTENSION]["tlp_2_0"] in ("green", "amber")
    content = [
        o for o in objects if o.get("created_by_ref") == agency_identity_id("alpha")
    ]
    assert all(o.get("object_marking_refs") for o in content)


def test_stix_objects_carry_values_with_their_markings(
    world: tuple[Agency, Agency],
) -> None:
    alpha, _ = world
    objects = {o["id"]: o for o in stix_bundle(alpha)["objects"]}
    [actor] = [
        o
        for o in objects.values()
        if o["type"] == "threat-actor" and o["name"] == "Jane Roe"
    ]
    payload = actor["extensions"][ACCORD_EXTENSION]
    assert payload["entity_id"] == "case-p1"
    assert actor["threat_actor_types"] == ["terrorist"]
    props = {v["prop"] for v in payload["values"]}
    assert "notes" not in props and "birthDate" not in props
    assert {v["tlp"] for v in payload["values"]} == {"amber"}
    definition = objects[ACCORD_EXTENSION]
    assert definition["extension_types"] == ["new-sdo", "property-extension"]


def test_misp_export_loads_in_pymisp(world: tuple[Agency, Agency]) -> None:
    alpha, _ = world
    signed = alpha.sharing.export(alpha.actor, "bravo", "misp")
    event = MISPEvent()
    event.load(signed.payload.decode("utf-8"))
    assert event.distribution == 0  # the agreement does not allow re-sharing
    assert [t.name for t in event.tags] == ["tlp:amber"]
    [jane] = [o for o in event.objects if o.comment == "FtM Person case-p1"]
    assert jane.name == "person"
    relations = {a.object_relation: a.value for a in jane.attributes}
    assert relations["full-name"] == "Jane Roe"
    assert all("tlp:amber" in [t.name for t in a.tags] for a in jane.attributes)
    un_objects = [o for o in event.objects if o.comment.startswith("FtM Person")]
    assert len(un_objects) > 10


@pytest.mark.parametrize("fmt", ["stix", "misp", "ftm"])
def test_round_trip_loses_no_released_value(
    world: tuple[Agency, Agency], fmt: str
) -> None:
    alpha, bravo = world
    release = alpha.sharing.release("bravo")
    sent = {
        (e.id, v.prop, v.value, v.marking.tlp)
        for e in release.entities
        for v in e.values
    }
    signed = alpha.sharing.export(alpha.actor, "bravo", fmt)
    bravo.sharing.import_bundle(bravo.actor, "alpha", signed.payload, signed.signature)
    tlp = {i.name: i.marking.tlp for i in bravo.service.store.list_datasets()}
    got = {
        (entity.id, stmt.prop, stmt.value, tlp[stmt.dataset])
        for entity in list(bravo.service.store.entities(None))
        for stmt in entity.statements
        if stmt.prop != "id"
    }
    assert got == sent
