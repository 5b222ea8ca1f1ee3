"""One OFAC listing mapped to FtM, whichever OFAC format it came from.

The mapping follows OpenSanctions' ``us_ofac_sdn`` crawler so that entities
from these readers and from an OpenSanctions export line up:

* Individual becomes ``Person``, Entity ``Organization``, Vessel ``Vessel``
  and Aircraft ``Airplane``. Ids are ``ofac-<ent_num>`` (OFAC's "uid"), the
  slug OpenSanctions uses; SDN and consolidated lists share OFAC's numbering,
  so one party keeps one id on both.
* Individuals' names are written "LAST, First" by OFAC; the name becomes
  "First LAST" with ``firstName`` and ``lastName``, as OpenSanctions builds
  it from OFAC's name parts. Organisations' names are kept as written
  ("CIMEX, S.A." is not a surname and a first name).
* One ``Sanction`` per listing (``ofac-<ent_num>-sanction``) carries every
  programme tag ("SDGT", "IRGC") as ``program``; OFAC's programme is what
  analysts filter on. Topics: ``sanction``, plus ``crime.terror`` for
  the terrorism programmes SDGT, SDT (the older Terrorism Sanctions
  Regulations) and FTO (Foreign Terrorist Organizations).
* Passports and national IDs of individuals become ``Passport`` and
  ``Identification`` entities; other registration numbers go to the
  matching FtM property (``taxNumber``, ``registrationNumber``, ``swiftBic``,
  ``imoNumber``...). Digital currency addresses become ``CryptoWallet``
  entities held by the party, which the monitoring side can match on.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from followthemoney import EntityProxy, model
from followthemoney.util import make_entity_id

from accord.errors import ReaderError
from accord.screening.lists.mapping import (
    Document,
    EntityBag,
    add,
    entity_id,
    make_document,
    make_sanction,
    topics,
)
from accord.screening.lists.ofac_remarks import (
    ID_DOCUMENTS,
    PASSPORTS,
    REGISTRY_LABELS,
    TAX_LABELS,
    Fact,
    ofac_date,
    parse_dob,
)

__all__ = ["OfacParty", "person_name"]

log = logging.getLogger(__name__)

AUTHORITY = "Office of Foreign Assets Control"
DETAILS_URL = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={}"
SCHEMATA = {
    "individual": "Person",
    "entity": "Organization",
    "vessel": "Vessel",
    "aircraft": "Airplane",
}
TERROR_PROGRAMS = frozenset({"SDGT", "SDT", "FTO"})
ALIAS_TYPES = {
    "aka": "alias",
    "a.k.a.": "alias",
    "fka": "previousName",
    "f.k.a.": "previousName",
    "nka": "name",
    "n.k.a.": "name",
}
PROPERTIES = {
    "POB": "birthPlace",
    "nationality": "nationality",
    "citizen": "citizenship",
    "Gender": "gender",
    "Email Address": "email",
    "Website": "website",
    "Telephone": "phone",
    "Phone Number": "phone",
    "SWIFT/BIC": "swiftBic",
    "V.A.T. Number": "vatCode",
    "Legal Entity Number": "registrationNumber",
    "D-U-N-S Number": "dunsCode",
    "Trade License No.": "licenseNumber",
    "MMSI": "mmsi",
    "Other Vessel Call Sign": "callSign",
    "Former Vessel Flag": "pastFlags",
    "Other Vessel Flag": "flag",
    "Vessel Year of Build": "buildDate",
    "Aircraft Model": "model",
    "Aircraft Manufacturer's Serial Number (MSN)": "serialNumber",
    "Aircraft Tail Number": "registrationNumber",
    "Aircraft Manufacture Date": "buildDate",
    "Organization Established Date": "incorporationDate",
    "Nationality of Registration": "country",
    "Listing Date": "listingDate",
    "Effective Date": "startDate",
}
PROPERTIES.update(dict.fromkeys(TAX_LABELS, "taxNumber"))
PROPERTIES.update(dict.fromkeys(REGISTRY_LABELS, "registrationNumber"))
# A party schema without the property gets the value here instead.
FALLBACKS = {"nationality": "country", "citizenship": "country"}
DATE_PROPS = frozenset({"buildDate", "incorporationDate", "listingDate", "startDate"})
SANCTION_PROPS = frozenset({"listingDate", "startDate"})
SANCTION_NOTES = ("Additional Sanctions Information -", "Secondary sanctions risk:")
NOT_VALUES = frozenset({"None Identified", "undetermined"})
_IMO = re.compile(r"IMO\s*([0-9]{7})")


def person_name(text: str) -> tuple[str, str | None, str | None]:
    """OFAC's "LAST, First" as the full name "First LAST", first and last."""
    last, comma, first = text.partition(",")
    last, first = last.strip(), first.strip()
    if not comma or not last or not first:
        return text, None, None
    return f"{first} {last}", first, last


class OfacParty:
    """One listing in the making: the party, its sanction, its documents."""

    def __init__(self, path: Path, where: str, uid: str, kind: str) -> None:
        self.path = path
        self.where = where
        schema = SCHEMATA.get(kind.strip().lower())
        if schema is None:
            known = ", ".join(sorted(SCHEMATA))
            raise self.fail(f"unknown entry type {kind!r} (known: {known})")
        party_id = entity_id("ofac", uid) if uid.isascii() and uid.isdigit() else None
        if party_id is None:
            raise self.fail(f"uid {uid!r} is not a number")
        self.uid = uid
        self.party = model.make_entity(schema)
        self.party.id = party_id
        self.party.add("sourceUrl", DETAILS_URL.format(uid))
        self.sanction = make_sanction(self.party, AUTHORITY, DETAILS_URL.format(uid))
        self.sanction.add("authorityId", uid)
        self.extra = EntityBag()

    @property
    def origin(self) -> str:
        return f"{self.path}: {self.where}"

    @property
    def is_person(self) -> bool:
        return self.party.schema.is_a("Person")

    def fail(self, reason: str) -> ReaderError:
        return ReaderError(self.path, self.where, reason)

    def add(self, prop: str, values: Iterable[str | None]) -> None:
        add(self.party, prop, values, self.origin)

    def add_name(self, prop: str, text: str | None, primary: bool = False) -> None:
        """A name as OFAC writes it; individuals' names are reordered."""
        if text is None or not text.strip():
            return
        if not self.is_person:
            self.add(prop, [text])
            return
        full, first, last = person_name(text.strip())
        self.add(prop, [full])
        if primary:
            self.add("firstName", [first])
            self.add("lastName", [last])

    def add_programs(self, programs: Iterable[str], list_title: str) -> None:
        tags = [tag.strip(" []") for tag in programs if tag.strip(" []")]
        add(self.sanction, "program", tags, self.origin)
        add(self.sanction, "description", [list_title], self.origin)
        self.add("topics", topics(any(tag in TERROR_PROGRAMS for tag in tags)))

    def apply(self, fact: Fact) -> None:
        """Map one fact to the party, its sanction or a new entity."""
        if fact.label == "DOB":
            self.add("birthDate", parse_dob(fact.value))
        elif fact.label == "a.k.a.":
            self.add_name("weakAlias", fact.value)
        elif fact.label.startswith("Digital Currency Address - "):
            self._wallet(fact.label.rsplit(" ", 1)[-1], fact.value)
        elif fact.label in PASSPORTS or fact.label in ID_DOCUMENTS:
            self._document(fact)
        elif fact.label in SANCTION_NOTES:
            summary = f"{fact.label.rstrip(' -:')}: {fact.value}"
            add(self.sanction, "summary", [summary], self.origin)
        elif (imo := _IMO.fullmatch(fact.value)) is not None:
            self.add("imoNumber", [f"IMO{imo[1]}"])
        elif fact.label in PROPERTIES:
            self._property(PROPERTIES[fact.label], fact)

    def _property(self, prop: str, fact: Fact) -> None:
        value: str | None = fact.value
        if prop in DATE_PROPS:
            value = ofac_date(fact.value)
        if prop in ("nationality", "citizenship"):
            value = fact.value.removeprefix("possibly ")
        if prop == "phone" and fact.value.isdigit():
            # OFAC writes international numbers without their "+".
            value = f"+{fact.value}"
        if value in NOT_VALUES:
            return
        if prop in SANCTION_PROPS:
            add(self.sanction, prop, [value], self.origin)
            return
        if self.party.schema.get(prop) is None:
            prop = FALLBACKS.get(prop, prop)
        self.add(prop, [value])
        if fact.country is not None:
            self.add("country", [fact.country])

    def _document(self, fact: Fact) -> None:
        """A passport or ID: a document entity for a person, a number otherwise."""
        passport = fact.label in PASSPORTS
        if not self.is_person:
            self.add("idNumber", [fact.value])
            return
        doc = Document(
            number=fact.value,
            passport=passport,
            countries=(fact.country,),
            kind=fact.label,
            issued=fact.issued,
            expires=fact.expires,
        )
        self.extra.put(make_document(self.party, doc, self.origin))

    def _wallet(self, currency: str, address: str) -> None:
        wallet = model.make_entity("CryptoWallet")
        wallet.id = f"{self.party.id}-wallet-{make_entity_id(currency, address)}"
        wallet.add("holder", self.party.id)
        add(wallet, "currency", [currency], self.origin)
        add(wallet, "publicKey", [address], self.origin)
        wallet.add("topics", "sanction")
        self.extra.put(wallet)

    def entities(self) -> Iterator[EntityProxy]:
        """The party, its sanction, then its documents and wallets."""
        if not self.party.has("name"):
            raise self.fail("entry has no name")
        yield self.party
        yield self.sanction
        yield from self.extra
