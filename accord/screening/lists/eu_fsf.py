"""Read the EU Financial Sanctions Files (FSF) XML, ``xmlFullSanctionsList_1_1``.

The root is ``export`` in the ``http://eu.europa.ec/fpi/fsd/export``
namespace; each ``sanctionEntity`` is one listing, its data in attributes:
``logicalId``, ``euReferenceNumber``, ``unitedNationId``,
``designationDetails``; children ``regulation`` (``programme``,
``publicationDate``, ``entryIntoForceDate``, ``numberTitle``, a
``publicationUrl``), ``subjectType code="person|enterprise"``, ``nameAlias``,
``birthdate``, ``citizenship``, ``identification``, ``address``, ``remark``.

The mapping follows OpenSanctions' ``eu_fsf`` crawler (``zavod.shed.fsf``):

* person is ``Person``, enterprise ``Organization``; ids are
  ``eu-fsf-<euReferenceNumber>`` slugged ("eu-fsf-eu-27-28"), or
  ``eu-fsf-logical-<logicalId>`` for the rare entry without one.
* ``strong="false"`` names are ``weakAlias``. Of the strong ones, the first
  is ``name`` and the rest ``alias``; OpenSanctions keeps all as ``name``,
  but the EU lists a name's transliterations as further strong names
  (``nameLanguage``), and one caption per party reads better in alerts.
  firstName/middleName/lastName come from the first strong name; ``gender``
  (M/F), ``title`` and ``function`` (``position``) from any.
* Birth dates come from ``birthdate`` or the year/month/day parts; ``circa``
  keeps the stated date (FtM has no approximation), as the UN reader does.
* Countries prefer ``countryDescription`` cleaned by FtM over the ISO code,
  as OpenSanctions does, because the EU still writes "CS" for Serbia and
  Montenegro; "00"/"UNKNOWN" is no country.
* ``identification`` of type passport becomes a ``Passport``, other personal
  documents an ``Identification``; swiftbic, imo, regnumber and fiscalcode
  go to the matching property.
* One ``Sanction`` per listing, every regulation's programme as ``program``;
  topics add ``crime.terror`` for the EU terrorist lists: TERR (Common
  Position 2001/931), TAQA (ISIL/Al-Qaida, UN-based) and EUAQ (the EU's own
  ISIL/Al-Qaida regime).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import ClassVar
from xml.etree.ElementTree import Element

from followthemoney import EntityProxy, model
from followthemoney.types import registry

from accord.errors import ReaderError
from accord.readers.base import Reader
from accord.readers.xmlsafe import XmlRecord, iter_elements
from accord.screening.lists.mapping import (
    Document,
    EntityBag,
    add,
    entity_id,
    find_path,
    join,
    make_document,
    make_sanction,
    record_tag,
    slug,
    squash,
    topics,
)

__all__ = ["EuFsfXmlReader"]

AUTHORITY = "Council of the European Union"
SOURCE_URL = (
    "https://data.europa.eu/data/datasets/"
    "consolidated-list-of-persons-groups-and-entities-subject-to-eu-financial-sanctions"
)
SCHEMATA = {"person": "Person", "enterprise": "Organization"}
TERROR_PROGRAMMES = frozenset({"TERR", "TAQA", "EUAQ"})
PROPERTY_DOCUMENTS = {
    "swiftbic": "swiftBic",
    "imo": "imoNumber",
    "regnumber": "registrationNumber",
    "fiscalcode": "taxNumber",
}
CONTACTS = {"PHONE": "phone", "FAX": "phone", "EMAIL": "email", "WEB": "website"}
PLACE_PARTS = ("place", "city", "region")
ADDRESS_PARTS = ("street", "poBox", "place", "city", "zipCode", "region")
_NO_COUNTRY = frozenset({"00", "UNKNOWN", ""})


def country_of(node: Element) -> str | None:
    """The ISO code of a node's country: description first, code second."""
    description = (node.get("countryDescription") or "").strip()
    code = (node.get("countryIso2Code") or "").strip()
    if description.upper() in _NO_COUNTRY and code.upper() in _NO_COUNTRY:
        return None
    if code.upper() == "CS":
        code = "RS"  # the EU's "CS" is Serbia and Montenegro, not Czechoslovakia
    return registry.country.clean(description) or registry.country.clean(code)


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


class EuFsfXmlReader(Reader):
    """Persons and organisations of the EU consolidated financial sanctions list."""

    NAME: ClassVar[str] = "eu_fsf_xml"
    TITLE: ClassVar[str] = "EU Financial Sanctions Files (FSF), full XML (1.1)"

    def read(self) -> Iterator[EntityProxy]:
        """Yield each listing's entities, one sanctionEntity in memory."""
        tag = record_tag(self.path, "sanctionEntity")
        for record in iter_elements(self.path, tag):
            yield from _Listing(self.path, record).entities()


class _Listing:
    """One sanctionEntity and the entities it becomes."""

    def __init__(self, path: Path, record: XmlRecord) -> None:
        self.path = path
        self.node = record.element
        self.where = f"line {record.line}"
        self.party = model.make_entity(self._schema())
        self.party.id = self._entity_id()
        self.sanction = make_sanction(self.party, AUTHORITY, SOURCE_URL)
        self.documents = EntityBag()

    @property
    def origin(self) -> str:
        return f"{self.path}: {self.where}"

    def fail(self, reason: str) -> ReaderError:
        return ReaderError(self.path, self.where, reason)

    def add(self, prop: str, values: Iterable[str | None]) -> None:
        add(self.party, prop, values, self.origin)

    def _schema(self) -> str:
        subject = self.node.find(find_path("subjectType"))
        code = "" if subject is None else (subject.get("code") or "")
        schema = SCHEMATA.get(code.strip().lower())
        if schema is None:
            raise self.fail(
                f"unknown subjectType code {code!r} (known: person, enterprise)"
            )
        return schema

    def _entity_id(self) -> str:
        reference = squash(self.node.get("euReferenceNumber"))
        logical = squash(self.node.get("logicalId"))
        key = slug(reference) if reference else ""
        party_id = entity_id("eu-fsf", key) if key else None
        if party_id is None and logical is not None and slug(logical):
            party_id = entity_id("eu-fsf-logical", slug(logical))
        if party_id is None:
            raise self.fail(
                "sanctionEntity has neither euReferenceNumber nor logicalId"
            )
        self.where = f"record logicalId={logical}" if logical else f"record {reference}"
        return party_id

    def entities(self) -> Iterator[EntityProxy]:
        """The party, its sanction, then its documents."""
        self._names()
        if not self.party.has("name"):
            raise self.fail("sanctionEntity has no strong name (nameAlias wholeName)")
        self._births()
        self.add("nationality", [country_of(c) for c in self._all("citizenship")])
        self._identifications()
        self._addresses()
        self.add("notes", [squash(r.text) for r in self._all("remark")])
        self._sanction()
        yield self.party
        yield self.sanction
        yield from self.documents

    def _all(self, tag: str) -> list[Element]:
        return self.node.findall(find_path(tag))

    def _names(self) -> None:
        person = self.party.schema.is_a("Person")
        for alias in self._all("nameAlias"):
            whole = squash(alias.get("wholeName")) or join_parts(alias)
            if not _true(alias.get("strong") or "true"):
                self.add("weakAlias", [whole])
                continue
            first = not self.party.has("name")
            self.add("name" if first else "alias", [whole])
            if first and person:
                self.add("firstName", [alias.get("firstName")])
                self.add("middleName", [alias.get("middleName")])
                self.add("lastName", [alias.get("lastName")])
            self.add("gender", [alias.get("gender")])
            self.add("title", [alias.get("title")])
            self.add("position" if person else "notes", [alias.get("function")])

    def _births(self) -> None:
        for birth in self._all("birthdate"):
            self.add("birthDate", [birth.get("birthdate") or _date_parts(birth)])
            place = join(birth.get(part) for part in PLACE_PARTS)
            description = birth.get("countryDescription")
            country = country_of(birth)
            if place is not None or country is not None:
                self.add(
                    "birthPlace", [join((place, description if country else None))]
                )
            self.add("birthCountry", [country])

    def _identifications(self) -> None:
        for node in self._all("identification"):
            number = squash(node.get("number")) or squash(node.get("latinNumber"))
            code = (node.get("identificationTypeCode") or "").strip().lower()
            if number is None:
                continue
            country = country_of(node)
            if code in PROPERTY_DOCUMENTS:
                self.add(PROPERTY_DOCUMENTS[code], [number])
                continue
            remarks = [squash(r.text) for r in node.findall(find_path("remark"))]
            doc = Document(
                number=number,
                passport=code == "passport",
                countries=(country,),
                kind=squash(node.get("identificationTypeDescription")),
                issued=node.get("issueDate"),
                summary="; ".join(filter(None, remarks)) or None,
                authority=squash(node.get("issuedBy")),
            )
            self.documents.put(make_document(self.party, doc, self.origin))

    def _addresses(self) -> None:
        for node in self._all("address"):
            country = country_of(node)
            self.add("country", [country])
            parts = [node.get(part) for part in ADDRESS_PARTS]
            if any(squash(part) for part in parts):
                described = node.get("countryDescription") if country else None
                self.add("address", [join([*parts, described])])
            for contact in node.findall(find_path("contactInfo")):
                prop = CONTACTS.get((contact.get("key") or "").upper())
                if prop is not None:
                    self.add(prop, [contact.get("value")])

    def _sanction(self) -> None:
        regulations = self._all("regulation")
        programmes = [squash(r.get("programme")) for r in regulations]
        add(self.sanction, "program", programmes, self.origin)
        add(
            self.sanction,
            "authorityId",
            [self.node.get("euReferenceNumber")],
            self.origin,
        )
        add(self.sanction, "unscId", [self.node.get("unitedNationId")], self.origin)
        published = sorted(
            filter(None, (r.get("publicationDate") for r in regulations))
        )
        listed = self.node.get("designationDate") or (
            published[0] if published else None
        )
        add(self.sanction, "listingDate", [listed], self.origin)
        add(self.sanction, "startDate", [listed], self.origin)
        add(
            self.sanction,
            "reason",
            [r.get("numberTitle") for r in regulations],
            self.origin,
        )
        add(
            self.sanction, "summary", [self.node.get("designationDetails")], self.origin
        )
        for regulation in regulations:
            url = regulation.findtext(find_path("publicationUrl"))
            add(self.sanction, "sourceUrl", [url], self.origin)
        terror = any(p in TERROR_PROGRAMMES for p in programmes)
        self.add("topics", topics(terror))


def join_parts(alias: Element) -> str | None:
    """A name from its parts, when the EU gives no wholeName."""
    parts = (alias.get(part) for part in ("firstName", "middleName", "lastName"))
    return " ".join(filter(None, (squash(part) for part in parts))) or None


def _date_parts(birth: Element) -> str | None:
    """A date prefix from year, monthOfYear and dayOfMonth, as far as given."""
    year = (birth.get("year") or "").strip()
    month = (birth.get("monthOfYear") or "").strip()
    day = (birth.get("dayOfMonth") or "").strip()
    if not (year.isascii() and year.isdigit() and len(year) == 4):
        return None
    if not (month.isascii() and month.isdigit()):
        return year
    if not (day.isascii() and day.isdigit()):
        return registry.date.clean(f"{year}-{int(month):02d}") or year
    return registry.date.clean(f"{year}-{int(month):02d}-{int(day):02d}") or year
