"""Read a STIX 2.1 bundle into FtM entities with per-value markings.

Objects accord wrote carry their FtM form in the ``x-accord`` extension and
come back value for value. Objects from other producers (MISP's misp-stix,
OpenCTI) are mapped where FtM has a place for them: identities, threat
actors and intrusion sets become legal entities, campaigns become events;
their TLP (2.0 or 1.0) marking applies to every value. Observables,
indicators, relationships and sightings are counted as skipped: the FtM form
of what they describe travels in the entities themselves.

Each object is first checked by ``stix2.parse`` (with custom content
allowed, as MISP's output needs), so a malformed object is reported with its
position and id instead of half-imported.
"""

from __future__ import annotations

import json
from typing import Any

from accord.errors import ReaderError
from accord.model.marking import Marking
from accord.sharing.received import EntityBuilder, Received, for_recipient
from accord.sharing.stix import ACCORD_EXTENSION, ENTITY_TYPE, marking_of
from accord.sharing.tlp import level_of_refs

ACTOR_TOPICS = {
    "terrorist": "crime.terror",
    "criminal": "crime",
    "crime-syndicate": "crime",
}
IDENTITY_SCHEMA = {"individual": "Person", "organization": "Organization"}


def read_stix(data: bytes, source: str, recipient: str | None) -> Received:
    """Every entity in a bundle; ``ReaderError`` names the bad object."""
    bundle = _load(data, source)
    received = Received()
    producers = _producers(bundle["objects"])
    for index, obj in enumerate(bundle["objects"]):
        position = f"object {index}"
        if not isinstance(obj, dict) or not isinstance(obj.get("type"), str):
            raise ReaderError(source, position, "not a STIX object")
        position = f"object {index} ({obj.get('id', '?')})"
        if not _is_accord(obj):
            _check(obj, source, position)
        if obj.get("id") in producers:
            received.skipped["producer identity"] += 1
            continue
        builder = _entity(obj, source, position, recipient)
        if builder is None:
            received.skipped[obj["type"]] += 1
            continue
        entity = builder.build()
        if entity is None:
            received.skipped["no importable values"] += 1
        else:
            received.entities.append(entity)
    return received


def _producers(objects: list[Any]) -> set[str]:
    """Identities that produced or sighted content: the senders, not subjects."""
    ids: set[str] = set()
    for obj in objects:
        if isinstance(obj, dict):
            ids.add(str(obj.get("created_by_ref", "")))
            ids.update(str(ref) for ref in obj.get("where_sighted_refs", []))
    return ids


def _load(data: bytes, source: str) -> dict[str, Any]:
    try:
        bundle = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReaderError(source, "bundle", f"not JSON: {exc}") from None
    if not isinstance(bundle, dict) or bundle.get("type") != "bundle":
        raise ReaderError(source, "bundle", "not a STIX bundle (type must be bundle)")
    if not isinstance(bundle.get("objects", []), list):
        raise ReaderError(source, "bundle", "'objects' must be a list")
    bundle.setdefault("objects", [])
    return bundle


def _is_accord(obj: dict[str, Any]) -> bool:
    """Objects whose content is the x-accord payload, checked value by value.

    Only their payload is read, and ``EntityBuilder`` checks every field of
    it, so the generic ``stix2.parse`` (80 % of import time) adds nothing.
    """
    if obj["type"] == ENTITY_TYPE:
        return True
    extensions = obj.get("extensions")
    if not isinstance(extensions, dict):
        return False
    extension = extensions.get(ACCORD_EXTENSION)
    return isinstance(extension, dict) and "entity_id" in extension


def _check(obj: dict[str, Any], source: str, position: str) -> None:
    # Imported here: stix2 adds a tenth of a second to every CLI start.
    import stix2  # type: ignore[import-untyped]  # noqa: PLC0415 - no type hints
    from stix2.exceptions import STIXError  # type: ignore[import-untyped]  # noqa: PLC0415

    try:
        stix2.parse(obj, allow_custom=True, version="2.1")
    # stix2 lets AttributeError and KeyError escape on some malformed
    # extensions; they mean the same as its own errors here.
    except (STIXError, ValueError, TypeError, AttributeError, KeyError) as exc:
        raise ReaderError(source, position, f"invalid STIX: {exc}") from None


def _entity(
    obj: dict[str, Any], source: str, position: str, recipient: str | None
) -> EntityBuilder | None:
    extensions = obj.get("extensions", {})
    extension = (
        extensions.get(ACCORD_EXTENSION) if isinstance(extensions, dict) else None
    )
    if obj["type"] == ENTITY_TYPE:
        return _from_payload(obj, source, position, recipient)
    if isinstance(extension, dict) and "entity_id" in extension:
        return _from_payload(extension, source, position, recipient)
    return _foreign(obj, source, position, recipient)


def _from_payload(
    payload: dict[str, Any], source: str, position: str, recipient: str | None
) -> EntityBuilder:
    builder = EntityBuilder.start(
        source, position, payload.get("schema"), payload.get("entity_id")
    )
    values = payload.get("values")
    if not isinstance(values, list):
        raise ReaderError(source, position, "x-accord 'values' must be a list")
    for value in values:
        marking = _value_marking(value, source, position)
        builder.add(
            value.get("prop"),
            value.get("value"),
            for_recipient(marking, recipient),
            value.get("lang"),
        )
    return builder


def _value_marking(value: Any, source: str, position: str) -> Marking:
    if not isinstance(value, dict):
        raise ReaderError(source, position, "each x-accord value must be an object")
    try:
        return marking_of(value)
    except (KeyError, ValueError) as exc:
        raise ReaderError(source, position, f"bad value marking: {exc}") from None


def _foreign(
    obj: dict[str, Any], source: str, position: str, recipient: str | None
) -> EntityBuilder | None:
    schema = _foreign_schema(obj)
    if schema is None:
        return None
    tlp = level_of_refs(list(obj.get("object_marking_refs", [])))
    marking = for_recipient(Marking(tlp) if tlp else None, recipient)
    builder = EntityBuilder.start(source, position, schema, obj["id"])
    builder.add("name", obj.get("name", ""), marking)
    for alias in obj.get("aliases", []):
        builder.add("alias", alias, marking)
    if isinstance(obj.get("description"), str):
        builder.add("notes", obj["description"], marking)
    for actor_type in obj.get("threat_actor_types", []):
        if actor_type in ACTOR_TOPICS:
            builder.add("topics", ACTOR_TOPICS[actor_type], marking)
    return builder


def _foreign_schema(obj: dict[str, Any]) -> str | None:
    kind = obj["type"]
    if kind == "identity":
        return IDENTITY_SCHEMA.get(obj.get("identity_class", ""), "LegalEntity")
    if kind == "threat-actor":
        individual = obj.get("resource_level") == "individual"
        return "Person" if individual else "LegalEntity"
    if kind == "intrusion-set":
        return "Organization"
    if kind == "campaign":
        return "Event"
    return None
