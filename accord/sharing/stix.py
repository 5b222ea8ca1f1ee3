"""Released entities and findings as a STIX 2.1 bundle.

Mapping (FtM → STIX), chosen so standard consumers get standard objects:

* people and organisations with a terrorism or crime topic → ``threat-actor``
  (``threat_actor_types`` ``terrorist`` or ``criminal``); other legal
  entities → ``identity``; FtM ``Event`` → ``campaign``;
* e-mail addresses and URLs → SCOs (``email-addr``, ``url``) inside an
  ``observed-data``; for threat actors also an ``indicator`` that
  ``indicates`` the actor;
* references between entities (a passport's holder, an ownership's owner)
  → ``related-to`` relationships; findings → ``sighting`` of their subject;
* every FtM entity STIX has no object for (passports, bank accounts,
  wallets, payments, ownerships...) → ``x-accord-entity``, a new SDO defined
  by the ``x-accord`` extension definition shipped in every bundle.

Every SDO also carries its full FtM form in the ``x-accord`` property
extension: each value with its own TLP level and releasability, so a merged
entity keeps per-value markings through the exchange. The object itself is
marked with the strictest of its values (TLP 2.0 marking definitions).

Objects are built as plain dicts rather than ``stix2`` objects: building
thousands of ``stix2`` objects costs more than the export itself, and the
tests check every bundle with the OASIS validator and ``stix2.parse``.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from followthemoney import model
from followthemoney.types import registry

from accord.model.finding import Finding
from accord.model.marking import Marking, Tlp
from accord.sharing.release import Release, ReleasedEntity, ReleasedValue
from accord.sharing.tlp import TLP2_IDS, marking_definition

ACCORD_EXTENSION = "extension-definition--ee7fe306-49fc-47b0-a271-6f20feb2cfb1"
ENTITY_TYPE = "x-accord-entity"
NAMESPACE = uuid.UUID("e56c5157-0dc7-4484-af92-085250f54642")
# STIX 2.1 section 2.9: SCO ids are UUIDv5 in this namespace over their
# identifying properties, so every producer names the same address alike.
SCO_NAMESPACE = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")
PROJECT_IDENTITY = "identity--13a47524-4491-481b-b4d7-8b626e22442c"
DEFINED = "2026-11-01T00:00:00.000Z"
ACTOR_TOPICS = {"crime.terror": "terrorist", "crime": "criminal"}
SCO_TYPES = {registry.email.name: "email-addr", registry.url.name: "url"}


def stix_id(kind: str, key: str) -> str:
    """A stable id: the same entity is the same object in every export.

    STIX asks SDOs and SROs for UUIDv4 ids; these are v4-laid-out UUIDs drawn
    from a hash instead of a random source, so a re-export is a new version
    of the same object (what TAXII ``versions`` and ``added_after`` rely on)
    rather than a duplicate.
    """
    digest = hashlib.sha256(f"{NAMESPACE}|{kind}|{key}".encode()).digest()
    return f"{kind}--{uuid.UUID(bytes=digest[:16], version=4)}"


def agency_identity_id(agency: str) -> str:
    return stix_id("identity", f"agency:{agency}")


def stix_time(stamp: str) -> str:
    """The store's UTC stamp as a STIX timestamp (``...Z``)."""
    return f"{stamp}Z" if stamp and not stamp.endswith("Z") else stamp


def extension_definition() -> dict[str, Any]:
    """The ``x-accord`` extension: FtM entities with per-value markings."""
    return {
        "type": "extension-definition",
        "spec_version": "2.1",
        "id": ACCORD_EXTENSION,
        "created_by_ref": PROJECT_IDENTITY,
        "created": DEFINED,
        "modified": DEFINED,
        "name": "x-accord FtM entity",
        "description": (
            "FollowTheMoney entities with per-value TLP 2.0 markings: a new "
            "SDO (x-accord-entity) for entities STIX has no object for, and a "
            "property extension carrying the FtM form of mapped SDOs."
        ),
        "schema": "https://followthemoney.tech/explorer/",
        "version": "1.0.0",
        "extension_types": ["new-sdo", "property-extension"],
    }


def project_identity() -> dict[str, Any]:
    return {
        "type": "identity",
        "spec_version": "2.1",
        "id": PROJECT_IDENTITY,
        "created": DEFINED,
        "modified": DEFINED,
        "name": "accord project",
        "identity_class": "organization",
    }


def value_dict(value: ReleasedValue) -> dict[str, Any]:
    data: dict[str, Any] = {
        "prop": value.prop,
        "value": value.value,
        "tlp": value.marking.tlp.value,
        "releasable_to": sorted(value.marking.releasable_to),
    }
    if value.lang:
        data["lang"] = value.lang
    return data


def entity_payload(entity: ReleasedEntity) -> dict[str, Any]:
    values = sorted(
        (value_dict(v) for v in entity.values),
        key=lambda d: (d["prop"], d["value"], d["tlp"]),
    )
    return {"entity_id": entity.id, "schema": entity.schema, "values": values}


def stix_kind(entity: ReleasedEntity) -> str:
    schema = model.get(entity.schema)
    if schema is None:
        return ENTITY_TYPE
    if schema.is_a("LegalEntity"):
        return "threat-actor" if _actor_type(entity) else "identity"
    if schema.is_a("Event"):
        return "campaign"
    return ENTITY_TYPE


def _actor_type(entity: ReleasedEntity) -> str | None:
    topics = {v.value for v in entity.values if v.prop == "topics"}
    for topic, actor_type in ACTOR_TOPICS.items():
        if topic in topics:
            return actor_type
    return None


@dataclass
class StixWriter:
    """Builds one bundle for one partner; ids are stable across exports."""

    agency: str
    now: str = field(
        default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    )
    ids: dict[str, str] = field(default_factory=dict)

    @property
    def identity_id(self) -> str:
        return agency_identity_id(self.agency)

    def bundle(self, release: Release) -> dict[str, Any]:
        objects = list(self.objects(release))
        return {
            "type": "bundle",
            "id": f"bundle--{uuid.uuid4()}",
            "objects": objects,
        }

    def objects(self, release: Release) -> Iterator[dict[str, Any]]:
        """Header objects (identities, markings, extension), then content."""
        yield project_identity()
        yield self.agency_identity()
        yield extension_definition()
        content = list(self.content(release))
        levels = {
            tlp
            for obj in content
            for ref in obj.get("object_marking_refs", [])
            for tlp, marking_id in TLP2_IDS.items()
            if marking_id == ref
        }
        for tlp in sorted(levels, key=lambda t: t.rank):
            yield marking_definition(tlp)
        yield from content

    def agency_identity(self) -> dict[str, Any]:
        return {
            "type": "identity",
            "spec_version": "2.1",
            "id": self.identity_id,
            "created": DEFINED,
            "modified": DEFINED,
            "name": self.agency,
            "identity_class": "organization",
        }

    def content(self, release: Release) -> Iterator[dict[str, Any]]:
        self.ids = {e.id: stix_id(stix_kind(e), e.id) for e in release.entities}
        for entity in release.entities:
            yield from self.entity_objects(entity)
        for finding in release.findings:
            sighting = self.sighting(finding)
            if sighting is not None:
                yield sighting

    def entity_objects(self, entity: ReleasedEntity) -> Iterator[dict[str, Any]]:
        kind = stix_kind(entity)
        sdo = self.sdo(entity, kind)
        yield sdo
        for value in entity.values:
            yield from self.value_objects(entity, sdo, value)

    def common(self, kind: str, key: str, marking: Marking) -> dict[str, Any]:
        return {
            "type": kind,
            "spec_version": "2.1",
            "id": stix_id(kind, key),
            "created_by_ref": self.identity_id,
            "object_marking_refs": [TLP2_IDS[marking.tlp]],
        }

    def sdo(self, entity: ReleasedEntity, kind: str) -> dict[str, Any]:
        obj = self.common(kind, entity.id, entity.marking())
        obj["created"] = stix_time(entity.first_seen) or self.now
        obj["modified"] = stix_time(entity.changed) or self.now
        caption = entity.proxy().caption or entity.id
        payload = entity_payload(entity)
        if kind == ENTITY_TYPE:
            obj.update(name=caption, **payload)
            obj["extensions"] = {ACCORD_EXTENSION: {"extension_type": "new-sdo"}}
            return obj
        obj["name"] = caption
        if kind == "identity":
            person = entity.schema == "Person"
            obj["identity_class"] = "individual" if person else "organization"
        elif kind == "threat-actor":
            obj["threat_actor_types"] = [_actor_type(entity) or "unknown"]
            aliases = sorted({v.value for v in entity.values if v.prop == "alias"})
            if aliases:
                obj["aliases"] = aliases
        obj["extensions"] = {
            ACCORD_EXTENSION: {"extension_type": "property-extension", **payload}
        }
        return obj

    def value_objects(
        self, entity: ReleasedEntity, sdo: dict[str, Any], value: ReleasedValue
    ) -> Iterator[dict[str, Any]]:
        prop = model.get(entity.schema)
        prop_obj = prop.get(value.prop) if prop else None
        if prop_obj is None:
            return
        if prop_obj.type == registry.entity and value.value in self.ids:
            yield self.relationship(
                sdo, self.ids[value.value], value, "related-to", prop_obj.label
            )
        sco_type = SCO_TYPES.get(prop_obj.type.name)
        if sco_type is not None:
            yield from self.observation(sdo, sco_type, value)

    def relationship(
        self,
        source: dict[str, Any],
        target: str,
        value: ReleasedValue,
        kind: str,
        description: str,
    ) -> dict[str, Any]:
        key = f"{source['id']}|{kind}|{target}|{value.prop}"
        obj = self.common("relationship", key, value.marking)
        stamp = stix_time(value.first_seen) or self.now
        obj.update(
            created=stamp,
            modified=stamp,
            relationship_type=kind,
            source_ref=source["id"],
            target_ref=target,
            description=description,
        )
        return obj

    def observation(
        self, sdo: dict[str, Any], sco_type: str, value: ReleasedValue
    ) -> Iterator[dict[str, Any]]:
        sco_key = json.dumps({"value": value.value}, sort_keys=True)
        sco_id = f"{sco_type}--{uuid.uuid5(SCO_NAMESPACE, sco_key)}"
        tlp_ref = [TLP2_IDS[value.marking.tlp]]
        yield {
            "type": sco_type,
            "spec_version": "2.1",
            "id": sco_id,
            "value": value.value,
            "object_marking_refs": tlp_ref,
        }
        first = stix_time(value.first_seen) or self.now
        last = stix_time(value.last_seen) or first
        observed = self.common("observed-data", f"{sdo['id']}|{sco_id}", value.marking)
        observed.update(
            created=first,
            modified=first,
            first_observed=first,
            last_observed=max(first, last),
            number_observed=1,
            object_refs=[sco_id],
        )
        yield observed
        yield self.relationship(observed, sdo["id"], value, "related-to", "observed")
        if sdo["type"] == "threat-actor":
            yield from self.indicator(sdo, sco_type, value, first)

    def indicator(
        self, sdo: dict[str, Any], sco_type: str, value: ReleasedValue, first: str
    ) -> Iterator[dict[str, Any]]:
        escaped = value.value.replace("\\", "\\\\").replace("'", "\\'")
        indicator = self.common(
            "indicator", f"{sdo['id']}|{sco_type}|{value.value}", value.marking
        )
        indicator.update(
            created=first,
            modified=first,
            name=f"{sco_type} of {sdo['name']}",
            description=f"{value.prop} of a {sdo['threat_actor_types'][0]} actor",
            indicator_types=["attribution"],
            pattern=f"[{sco_type}:value = '{escaped}']",
            pattern_type="stix",
            valid_from=first,
        )
        yield indicator
        yield self.relationship(indicator, sdo["id"], value, "indicates", value.prop)

    def sighting(self, finding: Finding) -> dict[str, Any] | None:
        subjects = [self.ids[s] for s in finding.subjects if s in self.ids]
        if not subjects:
            return None
        obj = self.common("sighting", f"finding:{finding.id}", finding.marking)
        stamp = self.now
        if finding.updated_at is not None:
            stamp = finding.updated_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        obj.update(
            created=stamp,
            modified=stamp,
            count=1,
            sighting_of_ref=subjects[0],
            where_sighted_refs=[self.identity_id],
            description=finding.summary,
        )
        obj["extensions"] = {
            ACCORD_EXTENSION: {
                "extension_type": "property-extension",
                "finding": finding_payload(finding),
            }
        }
        return obj


def finding_payload(finding: Finding) -> dict[str, Any]:
    """A finding in the extension; scores as strings (canonical JSON has no floats)."""
    return {
        "id": finding.id,
        "detector": finding.detector,
        "score": f"{finding.score:.4f}",
        "subjects": list(finding.subjects),
        "tlp": finding.marking.tlp.value,
        "releasable_to": sorted(finding.marking.releasable_to),
        "explanation": {
            name: {"value": f"{feat.value:.4f}", "detail": feat.detail}
            for name, feat in finding.explanation.items()
        },
    }


def marking_of(value: dict[str, Any]) -> Marking:
    """A value's marking as the extension carries it."""
    tlp = Tlp(value["tlp"])
    releasable = frozenset(value.get("releasable_to", []))
    return Marking(tlp) if tlp is Tlp.RED else Marking(tlp, releasable)
