"""Released entities as a MISP event, and MISP events back into entities.

Each entity becomes a MISP object from MISP's own template library (as
PyMISP ships it): people ``person``, legal entities ``legal-entity``, bank
accounts ``bank-account``, wallets ``coin-address``; other schemata use the
``person``/``legal-entity`` ``text`` relation-free form as ``text``
attributes. Every attribute carries its value's ``tlp:`` tag, the object's
comment names the FtM schema and id (``FtM Person p1``) and each
attribute's comment the FtM property, so an accord receiver rebuilds the
entity exactly. The event's distribution is "your organisation only" unless
the agreement allows re-sharing ("this community only"): MISP then enforces
on the partner's side what the agreement says.
"""

from __future__ import annotations

import json
import uuid
from types import ModuleType
from typing import TYPE_CHECKING, Any

from accord.errors import ConfigError, ReaderError
from accord.model.marking import Marking, Tlp, strictest
from accord.sharing.received import EntityBuilder, Received, for_recipient
from accord.sharing.release import Release, ReleasedEntity
from accord.sharing.stix import NAMESPACE
from accord.sharing.tlp import level_of_tags, misp_tag

if TYPE_CHECKING:
    from pymisp import MISPAttribute, MISPObject

# MISP's own numbers (PyMISP's Distribution, ThreatLevel and Analysis enums).
YOUR_ORGANISATION_ONLY = 0
THIS_COMMUNITY_ONLY = 1
INHERIT = 5
THREAT_LEVEL_UNDEFINED = 4
ANALYSIS_COMPLETED = 2

TEMPLATES: dict[str, tuple[str, dict[str, str]]] = {
    "Person": (
        "person",
        {
            "name": "full-name",
            "alias": "alias",
            "firstName": "first-name",
            "lastName": "last-name",
            "birthDate": "date-of-birth",
            "birthPlace": "place-of-birth",
            "nationality": "nationality",
            "passportNumber": "passport-number",
            "email": "e-mail",
            "phone": "phone-number",
            "gender": "gender",
        },
    ),
    "LegalEntity": (
        "legal-entity",
        {
            "name": "name",
            "registrationNumber": "registration-number",
            "website": "website",
            "phone": "phone-number",
            "legalForm": "legal-form",
        },
    ),
    "BankAccount": (
        "bank-account",
        {"iban": "iban", "accountNumber": "account", "bankName": "institution-name"},
    ),
    "CryptoWallet": ("coin-address", {"publicKey": "address", "currency": "symbol"}),
}
OBJECT_COMMENT = "FtM"
FALLBACK_TEMPLATE = "legal-entity"


def _pymisp() -> ModuleType:
    """PyMISP, imported on first use: it takes half a second to import."""
    try:
        import pymisp  # noqa: PLC0415
    except ImportError:
        raise ConfigError("the MISP format needs PyMISP: pip install pymisp") from None
    return pymisp


def _template(schema: str) -> tuple[str, dict[str, str]]:
    if schema in TEMPLATES:
        return TEMPLATES[schema]
    if schema in ("Organization", "Company", "PublicBody"):
        return TEMPLATES["LegalEntity"]
    return FALLBACK_TEMPLATE, {}


def misp_event(release: Release, agency: str) -> dict[str, Any]:
    """The release as MISP event JSON (``{"Event": {...}}``)."""
    event = _pymisp().MISPEvent()
    event.info = f"accord release from {agency} to {release.partner}"
    event.distribution = (
        THIS_COMMUNITY_ONLY if release.reshare else YOUR_ORGANISATION_ONLY
    )
    event.threat_level_id = THREAT_LEVEL_UNDEFINED
    event.analysis = ANALYSIS_COMPLETED
    markings = [e.marking() for e in release.entities]
    event.add_tag(misp_tag(strictest(markings).tlp if markings else Tlp.RED))
    for entity in release.entities:
        event.add_object(_object(entity))
    data: dict[str, Any] = json.loads(event.to_json())
    return {"Event": data}


def _object(entity: ReleasedEntity) -> MISPObject:
    template, relations = _template(entity.schema)
    obj: MISPObject = _pymisp().MISPObject(template, standalone=False)
    obj.uuid = str(uuid.uuid5(NAMESPACE, f"misp:{entity.id}"))
    obj.comment = f"{OBJECT_COMMENT} {entity.schema} {entity.id}"
    for value in sorted(entity.values, key=lambda v: (v.prop, v.value)):
        relation = relations.get(value.prop, "text")
        attribute = obj.add_attribute(
            relation,
            value=value.value,
            comment=value.prop,
            distribution=INHERIT,
        )
        if attribute is not None:
            attribute.add_tag(misp_tag(value.marking.tlp))
            for partner in sorted(value.marking.releasable_to):
                attribute.add_tag(f'accord:releasable-to="{partner}"')
    return obj


def read_misp(data: bytes, source: str, recipient: str | None) -> Received:
    """Entities from a MISP event; objects accord wrote come back exactly."""
    pymisp = _pymisp()
    event = pymisp.MISPEvent()
    try:
        event.load(data.decode("utf-8"))
    except (
        UnicodeDecodeError,
        ValueError,
        KeyError,
        TypeError,
        pymisp.exceptions.PyMISPError,
    ) as exc:
        raise ReaderError(source, "event", f"not a MISP event: {exc}") from None
    event_tlp = level_of_tags([t.name for t in event.tags])
    received = Received()
    for index, obj in enumerate(event.objects):
        position = f"object {index} ({obj.uuid})"
        builder = _builder(obj, source, position)
        _, relations = _template(builder.schema.name)
        by_relation = {relation: prop for prop, relation in relations.items()}
        for attribute in obj.attributes:
            marking = _attribute_marking(attribute, event_tlp)
            prop = str(attribute.comment or "")
            if builder.schema.get(prop) is None:
                prop = by_relation.get(str(attribute.object_relation), "notes")
            builder.add(prop, str(attribute.value), for_recipient(marking, recipient))
        entity = builder.build()
        if entity is None:
            received.skipped["no importable values"] += 1
        else:
            received.entities.append(entity)
    if event.attributes:
        received.skipped["attribute outside an object"] += len(event.attributes)
    return received


def _builder(obj: MISPObject, source: str, position: str) -> EntityBuilder:
    parts = str(obj.comment or "").split(" ")
    if len(parts) == 3 and parts[0] == OBJECT_COMMENT:
        return EntityBuilder.start(source, position, parts[1], parts[2])
    schema = "Person" if obj.name == "person" else "LegalEntity"
    return EntityBuilder.start(source, position, schema, f"misp-{obj.uuid}")


def _attribute_marking(
    attribute: MISPAttribute, event_tlp: Tlp | None
) -> Marking | None:
    names = [t.name for t in attribute.tags]
    tlp = level_of_tags(names) or event_tlp
    if tlp is None:
        return None
    if tlp is Tlp.RED:
        return Marking(Tlp.RED)
    prefix = 'accord:releasable-to="'
    partners = frozenset(
        n.removeprefix(prefix).rstrip('"') for n in names if n.startswith(prefix)
    )
    return Marking(tlp, partners)
