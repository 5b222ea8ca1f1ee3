"""Read the FCDO's UK Sanctions List XML (``Designations/Designation``).

Since 28 January 2026 the UK Sanctions List is the UK's one list (OFSI's
ConList is frozen; ``uk_ofsi`` reads it, and its reader is re-exported here
so both UK formats are found in one place). Each ``Designation`` carries
everything about one party inline: ``UniqueID`` (e.g. "AFG0001"),
``Names/Name`` (Name1..Name5, ``Name6`` the surname or whole name,
``NameType`` "Primary Name", "Primary Name Variation" or "Alias", and an
``AliasStrength``), ``NonLatinNames``, ``RegimeName``, ``DateDesignated``,
``IndividualEntityShip`` (written ``EntityType`` in some copies), addresses,
and ``IndividualDetails``, ``EntityDetails`` or ``ShipDetails``.

The mapping follows OpenSanctions' ``gb_fcdo_sanctions`` crawler: ids are
``gb-fcdo-<UniqueID>``; Individual is ``Person``, Entity ``Organization``,
Ship ``Vessel``. Names follow the same rules as the ConList reader (a "low"
alias strength is ``weakAlias``; non-Latin names are ``name``). Detail
leaves are found anywhere under their section ("DOB" under
``IndividualDetails``), so a renamed wrapper element does not lose them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import ClassVar
from xml.etree.ElementTree import Element

from followthemoney import EntityProxy, model

from accord.errors import ReaderError
from accord.readers.base import Reader
from accord.readers.xmlsafe import XmlRecord, iter_elements
from accord.screening.lists.mapping import (
    Document,
    EntityBag,
    add,
    dmy_date,
    entity_id,
    find_path,
    join,
    join_name,
    make_document,
    make_sanction,
    record_tag,
    slug,
    squash,
    topics,
)
from accord.screening.lists.uk_ofsi import UkOfsiCsvReader, is_terror_regime

__all__ = ["UkOfsiCsvReader", "UkSanctionsXmlReader"]

AUTHORITY = "Foreign, Commonwealth & Development Office"
SOURCE_URL = "https://www.gov.uk/government/publications/the-uk-sanctions-list"
SCHEMATA = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}
NAME_TYPES = {
    "primary name": "name",
    "primary name variation": "alias",
    "alias": "alias",
}
ADDRESS = [f"AddressLine{n}" for n in range(1, 7)]
ADDRESS += ["AddressPostalCode", "AddressCountry"]
# Detail leaves, by the section they are found under.
PERSON_LEAVES = {
    "DOB": "birthDate",
    "Nationality": "nationality",
    "Position": "position",
    "Gender": "gender",
    "Title": "title",
}
ENTITY_LEAVES = {
    "BusinessRegistrationNumber": "registrationNumber",
    "TypeOfEntity": "legalForm",
}
SHIP_LEAVES = {
    "IMONumber": "imoNumber",
    "TypeOfShip": "type",
    "CurrentBelievedFlagOfShip": "flag",
    "PreviousFlag": "pastFlags",
    "YearBuilt": "buildDate",
}
_EMAIL_SPLIT = re.compile(r"[;,\s]+")


def _text(node: Element, path: str) -> str | None:
    return squash(node.findtext(find_path(path)))


def _texts(node: Element, path: str) -> list[str]:
    values = (squash(child.text) for child in node.findall(find_path(path)))
    return [value for value in values if value]


class UkSanctionsXmlReader(Reader):
    """Persons, organisations and ships of the UK Sanctions List XML."""

    NAME: ClassVar[str] = "uk_sanctions_xml"
    TITLE: ClassVar[str] = "UK Sanctions List (FCDO), XML"

    def read(self) -> Iterator[EntityProxy]:
        """Yield each designation's entities, one designation in memory."""
        for record in iter_elements(self.path, record_tag(self.path, "Designation")):
            yield from _Designation(self.path, record).entities()


class _Designation:
    """One Designation and the entities it becomes."""

    def __init__(self, path: Path, record: XmlRecord) -> None:
        self.path = path
        self.node = record.element
        self.where = f"line {record.line}"
        unique_id = _text(self.node, "UniqueID")
        if unique_id is None:
            raise self.fail("Designation has no UniqueID")
        kind = _text(self.node, "IndividualEntityShip") or _text(
            self.node, "EntityType"
        )
        schema = SCHEMATA.get((kind or "").lower())
        if schema is None:
            reason = f"unknown IndividualEntityShip {kind!r} (known: Individual, Entity, Ship)"
            raise self.fail(reason)
        party_id = entity_id("gb-fcdo", slug(unique_id))
        if party_id is None or not slug(unique_id):
            raise self.fail(f"UniqueID {unique_id!r} cannot form an entity id")
        self.where = f"record UniqueID={unique_id}"
        self.party = model.make_entity(schema)
        self.party.id = party_id
        self.sanction = make_sanction(self.party, AUTHORITY, SOURCE_URL)
        self.sanction.add("authorityId", unique_id)
        self.documents = EntityBag()

    @property
    def origin(self) -> str:
        return f"{self.path}: {self.where}"

    def fail(self, reason: str) -> ReaderError:
        return ReaderError(self.path, self.where, reason)

    def add(self, prop: str, values: Iterable[str | None]) -> None:
        add(self.party, prop, values, self.origin)

    def entities(self) -> Iterator[EntityProxy]:
        """The party, its sanction, then its documents."""
        self._names()
        if not self.party.has("name"):
            raise self.fail("Designation has no primary name")
        self._contacts()
        self._details()
        self._sanction()
        yield self.party
        yield self.sanction
        yield from self.documents

    def _names(self) -> None:
        for name in self.node.findall(find_path("Names/Name")):
            parts = [_text(name, f"Name{n}") for n in range(1, 7)]
            name_type = (_text(name, "NameType") or "").lower()
            prop = NAME_TYPES.get(name_type, "alias")
            strength = (_text(name, "AliasStrength") or "").lower()
            if prop == "alias" and "low" in strength:
                prop = "weakAlias"
            self.add(prop, [join_name(parts)])
            if prop == "name" and self.party.schema.is_a("Person"):
                self.add("firstName", parts[:1])
                self.add("lastName", parts[5:])
        self.add("name", _texts(self.node, ".//NameNonLatinScript"))

    def _contacts(self) -> None:
        for address in self.node.findall(find_path("Addresses/Address")):
            country = _text(address, "AddressCountry")
            self.add("country", [country])
            if any(_text(address, tag) for tag in ADDRESS[:-1]):
                self.add("address", [join(_text(address, tag) for tag in ADDRESS)])
        self.add("phone", _texts(self.node, ".//PhoneNumber"))
        for emails in _texts(self.node, ".//EmailAddress"):
            self.add("email", _EMAIL_SPLIT.split(emails))
        self.add("website", _texts(self.node, ".//Website"))
        self.add("notes", _texts(self.node, "OtherInformation"))

    def _details(self) -> None:
        sections = (
            ("IndividualDetails", PERSON_LEAVES),
            ("EntityDetails", ENTITY_LEAVES),
            ("ShipDetails", SHIP_LEAVES),
        )
        for section, leaves in sections:
            for detail in self.node.findall(find_path(section)):
                for leaf, prop in leaves.items():
                    values = _texts(detail, f".//{leaf}")
                    if prop == "birthDate":
                        values = [d for d in map(dmy_date, values) if d]
                    self.add(prop, values)
                self._births(detail)
                self._documents(detail)

    def _births(self, detail: Element) -> None:
        for location in detail.findall(find_path(".//BirthDetails/Location")):
            country = _text(location, "CountryOfBirth")
            self.add("birthPlace", [join((_text(location, "TownOfBirth"), country))])
            self.add("birthCountry", [country])

    def _documents(self, detail: Element) -> None:
        kinds = (
            ("PassportNumber", "PassportAdditionalInformation", True),
            (
                "NationalIdentifierNumber",
                "NationalIdentifierAdditionalInformation",
                False,
            ),
        )
        for number_tag, info_tag, passport in kinds:
            for holder in detail.findall(find_path(f".//{number_tag}/..")):
                number = _text(holder, number_tag)
                if number is None:
                    continue
                info = _text(holder, info_tag)
                label = "Passport" if passport else "National Identifier"
                doc = Document(number, passport, kind=label, summary=info)
                self.documents.put(make_document(self.party, doc, self.origin))

    def _sanction(self) -> None:
        origin = self.origin
        regimes = _texts(self.node, "RegimeName")
        add(self.sanction, "program", regimes, origin)
        designated = dmy_date(_text(self.node, "DateDesignated"))
        add(self.sanction, "listingDate", [designated], origin)
        add(self.sanction, "startDate", [designated], origin)
        add(
            self.sanction,
            "modifiedAt",
            [dmy_date(_text(self.node, "LastUpdated"))],
            origin,
        )
        add(self.sanction, "unscId", _texts(self.node, "UNReferenceNumber"), origin)
        add(self.sanction, "reason", _texts(self.node, "UKStatementofReasons"), origin)
        for imposed in _texts(self.node, "SanctionsImposed"):
            add(self.sanction, "provisions", imposed.split("|"), origin)
        sources = _texts(self.node, "DesignationSource")
        summaries = [f"Designation source: {source}" for source in sources]
        add(self.sanction, "summary", summaries, origin)
        self.add("topics", topics(any(is_terror_regime(r) for r in regimes)))
