"""Reading bundles: foreign STIX, malformed input, and fuzzing every reader."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
import stix2
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import InvalidData, ReaderError
from accord.model.marking import Marking, Tlp
from accord.sharing.ftm import read_ftm
from accord.sharing.misp import read_misp
from accord.sharing.received import for_recipient
from accord.sharing.release import Release, ReleasedEntity, ReleasedValue
from accord.sharing.stix import StixWriter
from accord.sharing.stix_read import read_stix

READERS = [read_stix, read_ftm, read_misp]


def foreign_bundle() -> bytes:
    """A bundle another producer would write, with the stix2 library."""
    actor = stix2.ThreatActor(
        name="Example Front",
        threat_actor_types=["terrorist"],
        aliases=["EF"],
        object_marking_refs=[stix2.TLP_AMBER],
    )
    group = stix2.IntrusionSet(name="Cell 9", object_marking_refs=[stix2.TLP_GREEN])
    campaign = stix2.Campaign(name="Spring drive")
    red = stix2.Identity(name="Source X", object_marking_refs=[stix2.TLP_RED])
    link = stix2.Relationship(actor, "related-to", group)
    bundle = stix2.Bundle(actor, group, campaign, red, link)
    return bundle.serialize().encode()


def test_foreign_stix_maps_to_ftm_with_recipient_markings() -> None:
    received = read_stix(foreign_bundle(), "foreign.json", "alpha")
    entities = {e.schema: e for e in received.entities}
    actor = entities["LegalEntity"]
    assert {(v.prop, v.value) for v in actor.values} >= {
        ("name", "Example Front"),
        ("alias", "EF"),
        ("topics", "crime.terror"),
    }
    assert {v.marking for v in actor.values} == {
        Marking(Tlp.AMBER, frozenset({"alpha"}))
    }
    assert {v.marking for v in entities["Organization"].values} == {Marking(Tlp.GREEN)}
    # No marking at all: kept for the recipient alone, never passed on.
    assert {v.marking for v in entities["Event"].values} == {
        Marking(Tlp.AMBER_STRICT, frozenset({"alpha"}))
    }
    # TLP:RED is refused: the identity arrives with nothing importable.
    assert "Person" not in entities and "Organization" in entities
    assert received.skipped["relationship"] == 1
    assert received.skipped["no importable values"] == 1


def test_for_recipient_never_loosens() -> None:
    assert for_recipient(Marking(Tlp.RED), "alpha") is None
    assert for_recipient(Marking(Tlp.CLEAR), "alpha") == Marking(Tlp.CLEAR)
    green = Marking(Tlp.GREEN, frozenset({"bravo"}))
    assert for_recipient(green, "alpha") == Marking(
        Tlp.GREEN, frozenset({"alpha", "bravo"})
    )


@pytest.mark.parametrize(
    ("data", "position"),
    [
        (b"not json", "bundle"),
        (b'{"type": "report"}', "bundle"),
        (b'{"type": "bundle", "objects": [3]}', "object 0"),
        (
            b'{"type":"bundle","objects":[{"type":"threat-actor","id":"x"}]}',
            "object 0 (x)",
        ),
    ],
)
def test_malformed_stix_names_the_position(data: bytes, position: str) -> None:
    with pytest.raises(ReaderError) as error:
        read_stix(data, "in.json", "alpha")
    assert error.value.position == position
    assert error.value.path == "in.json"


def test_malformed_ftm_line_is_located() -> None:
    data = b'{"id":"a","schema":"Person","properties":{"name":["A"]}}\n{oops\n'
    with pytest.raises(ReaderError) as error:
        read_ftm(data, "in.jsonl", "alpha")
    assert error.value.position == "line 2"
    bad_prop = b'{"id":"a","schema":"Person","properties":{"wings":["2"]}}\n'
    with pytest.raises(ReaderError, match="wings"):
        read_ftm(bad_prop, "in.jsonl", "alpha")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


def stix_like(obj: Any) -> bytes:
    return json.dumps({"type": "bundle", "id": "bundle--x", "objects": [obj]}).encode()


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=300), reader=st.sampled_from(READERS))
def test_any_bytes_are_read_or_refused_cleanly(data: bytes, reader: Any) -> None:
    with contextlib.suppress(ReaderError, InvalidData):
        reader(data, "fuzz", "alpha")


@settings(max_examples=300, deadline=None)
@given(obj=json_values, reader=st.sampled_from(READERS))
def test_any_json_is_read_or_refused_cleanly(obj: Any, reader: Any) -> None:
    for data in (json.dumps(obj).encode(), stix_like(obj)):
        with contextlib.suppress(ReaderError, InvalidData):
            reader(data, "fuzz", "alpha")


def accord_objects() -> list[dict[str, Any]]:
    value = ReleasedValue(
        "name", "Jane Roe", Marking(Tlp.GREEN), "2026-01-01T00:00:00.000000", ""
    )
    release = Release("bravo", [ReleasedEntity("p1", "Passport", (value,))])
    release.entities.append(ReleasedEntity("p2", "Person", (value,)))
    bundle = StixWriter("alpha").bundle(release)
    return [o for o in bundle["objects"] if o["id"].startswith(("x-", "identity--"))]


OBJECTS = accord_objects()


@settings(max_examples=400, deadline=None)
@given(
    index=st.integers(0, len(OBJECTS) - 1),
    key=st.sampled_from(
        ["schema", "entity_id", "values", "name", "type", "extensions"]
    ),
    value=json_values,
)
def test_damaged_accord_objects_are_read_or_refused_cleanly(
    index: int, key: str, value: Any
) -> None:
    obj = json.loads(json.dumps(OBJECTS[index]))
    obj[key] = value
    with contextlib.suppress(ReaderError, InvalidData):
        read_stix(stix_like(obj), "fuzz", "alpha")
