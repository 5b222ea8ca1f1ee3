"""Read the UN Security Council Consolidated List (``consolidated.xml``).

The mapping follows OpenSanctions' ``un_sc_sanctions`` crawler, so that
entities from this reader and from an OpenSanctions export line up:

* ``INDIVIDUAL`` becomes a ``Person``, ``ENTITY`` an ``Organization`` (the UN
  lists groups, companies and state bodies; all are organisations, and FtM
  merges ``Organization`` with OpenSanctions' ``LegalEntity`` without loss).
* Ids are ``unsc-<DATAID>``, the same slug OpenSanctions uses, so the same
  listing keeps the same id across runs and across the two sources. Each
  listing also yields a ``Sanction`` (``unsc-<DATAID>-sanction``) and one
  ``Passport`` or ``Identification`` per numbered document (id hashed from
  holder, kind, number and country, so it survives re-ordering).
* Names: FIRST_NAME..FOURTH_NAME joined make ``name``; FIRST and SECOND also
  fill ``firstName`` and ``secondName``. THIRD and FOURTH stay in the full
  name only: the UN numbers name parts, it does not say which is a father's
  or family name, and guessing would mislead matching. NAME_ORIGINAL_SCRIPT is
  a ``name`` too: the Arabic, Cyrillic or Chinese form is the one a screening
  query in that script must hit.
* Aliases: QUALITY "Good" and "a.k.a." go to ``alias``, "Low" to
  ``weakAlias`` (the UN's own "low quality" marker, which matchers weigh
  down), "f.k.a." to ``previousName``; an unknown quality counts as
  ``alias``. Empty alias elements are skipped; "A; B" lists are split.
* Dates of birth: DATE or YEAR as given (FtM dates may be partial, so
  "1971" stays a year). APPROXIMATELY keeps the stated value: FtM has no
  notion of approximation. BETWEEN emits **every year** from FROM_YEAR to
  TO_YEAR (spans are 1-6 years in practice), so a query with any year in the
  range matches exactly; a range wider than ``_MAX_SPAN`` years, or one that
  is not two years in order, keeps only its endpoints. A date only given as a
  NOTE ("Nov. 1973") is parsed with FtM's date type when it is a month and a
  year, and ignored otherwise (e.g. Hijri dates). DOBs listed on an alias are
  the person's too.
* Countries (nationality, address, birth and issuing countries) are cleaned
  by FtM's country type to ISO codes. A value that does not clean is dropped
  and logged rather than forced in: a non-code in a country property breaks
  filters and matching. All 77 country spellings of the 2026-02 list clean.
* Topics: ``sanction`` always; ``crime.terror`` for UN_LIST_TYPE "Al-Qaida",
  which is the ISIL (Da'esh) and Al-Qaida list. The Taliban (1988) list is a
  separate regime about Afghanistan's peace and is not tagged as terrorism.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import ClassVar
from xml.etree.ElementTree import Element

from followthemoney import EntityProxy, model
from followthemoney.types import registry
from followthemoney.util import make_entity_id

from accord.errors import ReaderError
from accord.readers.base import Reader
from accord.readers.xmlsafe import XmlRecord, iter_elements

__all__ = ["UnScReader"]

log = logging.getLogger(__name__)

AUTHORITY = "United Nations Security Council"
SOURCE_URL = "https://www.un.org/securitycouncil/content/un-sc-consolidated-list"
ID_PREFIX = "unsc"
SCHEMATA = {"INDIVIDUAL": "Person", "ENTITY": "Organization"}
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
ALIAS_PROPS = {
    "Good": "alias",
    "a.k.a.": "alias",
    "Low": "weakAlias",
    "f.k.a.": "previousName",
}
TERROR_PROGRAMS = frozenset({"Al-Qaida"})
PASSPORT_WORDS = ("passport", "passeport", "pasaporte")
ADDRESS_PARTS = ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")
NOTE_DATE_FORMATS = ("%B %Y", "%b. %Y", "%b %Y")
_MAX_SPAN = 10
_YEAR = re.compile(r"[0-9]{4}")


class UnScReader(Reader):
    """Persons, organisations, sanctions and identity documents of the UN list."""

    NAME: ClassVar[str] = "un_sc"
    TITLE: ClassVar[str] = "UN Security Council Consolidated List XML"

    def read(self) -> Iterator[EntityProxy]:
        """Yield each listing's entities, one listing in memory at a time."""
        for record in iter_elements(self.path, SCHEMATA.keys()):
            yield from _Listing(self.path, record).entities()


def _text(node: Element, path: str) -> str | None:
    """The text at ``path`` with runs of whitespace squashed, or None if empty."""
    value = node.findtext(path)
    if value is None:
        return None
    return " ".join(value.split()) or None


def _texts(node: Element, path: str) -> list[str]:
    """Every non-empty text matching ``path`` (e.g. ``NATIONALITY/VALUE``)."""
    values = (" ".join((child.text or "").split()) for child in node.findall(path))
    return [value for value in values if value]


def _split(value: str | None) -> list[str]:
    """Split the UN's "A; B" name lists into their names."""
    if value is None:
        return []
    return [name.strip() for name in value.split(";") if name.strip()]


def _join(node: Element, tags: Iterable[str]) -> str | None:
    """Join the non-empty parts of an address or place, without repeats.

    Hand-joined rather than rigour's ``format_address_line``: its country
    templates drop the state or province whenever a city is present, and for
    screening every listed part of a place matters.
    """
    parts: list[str] = []
    for tag in tags:
        value = _text(node, tag)
        if value is not None and value not in parts:
            parts.append(value)
    return ", ".join(parts) or None


def _birth_dates(node: Element) -> list[str]:
    """The raw date values of one INDIVIDUAL_DATE_OF_BIRTH."""
    if _text(node, "TYPE_OF_DATE") == "BETWEEN":
        return _year_range(_text(node, "FROM_YEAR"), _text(node, "TO_YEAR"))
    value = _text(node, "DATE") or _text(node, "YEAR")
    if value is not None:
        return [value]
    note = _note_date(_text(node, "NOTE"))
    return [note] if note is not None else []


def _year_range(start: str | None, end: str | None) -> list[str]:
    """Every year of a BETWEEN range, or its endpoints if it is not a range."""
    first, last = _year(start), _year(end)
    if first is not None and last is not None and 0 <= last - first <= _MAX_SPAN:
        return [str(year) for year in range(first, last + 1)]
    return [year for year in (start, end) if year]


def _year(value: str | None) -> int | None:
    """A four-digit year, or None. ASCII only: ``int`` rejects "²", which
    ``str.isdigit`` accepts."""
    if value is None or _YEAR.fullmatch(value) is None:
        return None
    return int(value)


def _note_date(note: str | None) -> str | None:
    """A month and year written out in a NOTE ("Nov. 1973"), via FtM dates."""
    if note is None:
        return None
    for fmt in NOTE_DATE_FORMATS:
        value = registry.date.clean(note, format=fmt)
        if value is not None:
            return value
    return None


def _is_passport(kinds: Iterable[str]) -> bool:
    """Whether TYPE_OF_DOCUMENT or its refinement names a passport.

    The UN writes "Passport", but also "Numéro de passeport", "Número de
    pasaporte", and "National Identification Number" refined to "national
    passport" in TYPE_OF_DOCUMENT2.
    """
    text = " ".join(kinds).casefold()
    return any(word in text for word in PASSPORT_WORDS)


class _Listing:
    """One INDIVIDUAL or ENTITY record and the entities it becomes."""

    def __init__(self, path: Path, record: XmlRecord) -> None:
        self.path = path
        self.node = record.element
        self.kind = record.element.tag
        # Until the DATAID is known an error can only point at the line; from
        # then on the DATAID is what a person fixing the file searches for.
        self.where = f"line {record.line}"
        self.id = self._entity_id()
        self.where = f"record DATAID={self.id.removeprefix(ID_PREFIX + '-')}"

    def entities(self) -> Iterator[EntityProxy]:
        """The listed party, its sanction, then its identity documents.

        Everything is built before anything is yielded: documents add their
        numbers to the person, and a consumer may store the person at once.
        """
        party = self._party()
        documents = list(self._documents(party)) if self.kind == "INDIVIDUAL" else []
        yield party
        yield self._sanction(party)
        yield from documents

    def _fail(self, reason: str) -> ReaderError:
        return ReaderError(self.path, self.where, reason)

    def _add(self, proxy: EntityProxy, name: str, values: Iterable[str | None]) -> None:
        """Add values through FtM's cleaning, logging any it rejects."""
        prop = proxy.schema.properties[name]
        for value in values:
            if value and proxy.unsafe_add(prop, value) is None:
                log.warning("%s: %s: dropped %s %r", self.path, self.where, name, value)

    def _entity_id(self) -> str:
        dataid = _text(self.node, "DATAID")
        if dataid is None:
            raise self._fail(f"{self.kind} has no DATAID")
        entity_id = registry.entity.clean_text(f"{ID_PREFIX}-{dataid}")
        if entity_id is None:
            raise self._fail(f"DATAID {dataid!r} cannot form an entity id")
        return entity_id

    def _party(self) -> EntityProxy:
        proxy = model.make_entity(SCHEMATA[self.kind])
        proxy.id = self.id
        self._names(proxy)
        self._aliases(proxy)
        self._addresses(proxy)
        self._add(proxy, "notes", [_text(self.node, "COMMENTS1")])
        self._add(proxy, "topics", self._topics())
        if self.kind == "INDIVIDUAL":
            self._person(proxy)
        return proxy

    def _names(self, proxy: EntityProxy) -> None:
        parts = [_text(self.node, tag) for tag in NAME_PARTS]
        full = " ".join(part for part in parts if part)
        self._add(proxy, "name", _split(full))
        self._add(proxy, "name", _split(_text(self.node, "NAME_ORIGINAL_SCRIPT")))
        if not proxy.has("name"):
            reason = "FIRST_NAME..FOURTH_NAME and NAME_ORIGINAL_SCRIPT are empty"
            raise self._fail(f"{self.kind} has no name: {reason}")
        if self.kind == "INDIVIDUAL":
            self._add(proxy, "firstName", parts[:1])
            self._add(proxy, "secondName", parts[1:2])

    def _aliases(self, proxy: EntityProxy) -> None:
        for node in self.node.findall(f"{self.kind}_ALIAS"):
            quality = _text(node, "QUALITY") or ""
            prop = ALIAS_PROPS.get(quality, "alias")
            self._add(proxy, prop, _split(_text(node, "ALIAS_NAME")))
            if self.kind == "INDIVIDUAL":
                self._alias_birth(proxy, node)

    def _alias_birth(self, proxy: EntityProxy, node: Element) -> None:
        """Birth details the UN attaches to one alias belong to the person."""
        self._add(proxy, "birthDate", [_text(node, "DATE_OF_BIRTH")])
        self._add(
            proxy, "birthPlace", [_join(node, ("CITY_OF_BIRTH", "COUNTRY_OF_BIRTH"))]
        )
        self._add(proxy, "birthCountry", [_text(node, "COUNTRY_OF_BIRTH")])

    def _addresses(self, proxy: EntityProxy) -> None:
        for node in self.node.findall(f"{self.kind}_ADDRESS"):
            self._add(proxy, "country", [_text(node, "COUNTRY")])
            # An address that is only a country is already in ``country``.
            if _join(node, ADDRESS_PARTS[:-1]) is not None:
                self._add(proxy, "address", [_join(node, ADDRESS_PARTS)])

    def _topics(self) -> list[str]:
        topics = ["sanction"]
        if _text(self.node, "UN_LIST_TYPE") in TERROR_PROGRAMS:
            topics.append("crime.terror")
        return topics

    def _person(self, proxy: EntityProxy) -> None:
        self._add(proxy, "title", _texts(self.node, "TITLE/VALUE"))
        self._add(proxy, "position", _texts(self.node, "DESIGNATION/VALUE"))
        self._add(proxy, "nationality", _texts(self.node, "NATIONALITY/VALUE"))
        self._add(proxy, "gender", [_text(self.node, "GENDER")])
        for node in self.node.findall("INDIVIDUAL_DATE_OF_BIRTH"):
            self._add(proxy, "birthDate", _birth_dates(node))
        for node in self.node.findall("INDIVIDUAL_PLACE_OF_BIRTH"):
            place = ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")
            self._add(proxy, "birthPlace", [_join(node, place)])
            self._add(proxy, "birthCountry", [_text(node, "COUNTRY")])

    def _sanction(self, party: EntityProxy) -> EntityProxy:
        sanction = model.make_entity("Sanction")
        sanction.id = f"{self.id}-sanction"
        sanction.add("entity", party.id)
        sanction.add("authority", AUTHORITY)
        sanction.add("sourceUrl", SOURCE_URL)
        self._add(sanction, "program", [_text(self.node, "UN_LIST_TYPE")])
        self._add(sanction, "unscId", [_text(self.node, "REFERENCE_NUMBER")])
        listed = _text(self.node, "LISTED_ON")
        self._add(sanction, "listingDate", [listed])
        self._add(sanction, "startDate", [listed])
        self._add(sanction, "modifiedAt", _texts(self.node, "LAST_DAY_UPDATED/VALUE"))
        return sanction

    def _documents(self, person: EntityProxy) -> Iterator[EntityProxy]:
        """Each numbered document once, merging repeats.

        The UN sometimes lists one passport several times, once per language
        ("Passport", "Numéro de passeport", "Número de pasaporte"); they share
        an id here, and merging keeps the note only one of them carries.
        """
        documents: dict[str, EntityProxy] = {}
        for node in self.node.findall("INDIVIDUAL_DOCUMENT"):
            document = self._document(person, node)
            if document is None or document.id is None:
                continue
            if document.id in documents:
                documents[document.id].merge(document)
            else:
                documents[document.id] = document
        yield from documents.values()

    def _document(self, person: EntityProxy, node: Element) -> EntityProxy | None:
        """A Passport or Identification, or None for a document with no number.

        Some documents give their number only inside a NOTE sentence ("Tunisian
        passport number L 191609 issued on ..."); rather than guess a number
        out of prose, that note is kept on the person's ``notes``.
        """
        kinds = _texts(node, "TYPE_OF_DOCUMENT") + _texts(node, "TYPE_OF_DOCUMENT2")
        number = _text(node, "NUMBER")
        note = _text(node, "NOTE")
        if number is None:
            label = kinds[0] if kinds else "Document"
            self._add(person, "notes", [f"{label}: {note}" if note else None])
            return None
        passport = _is_passport(kinds)
        self._add(person, "passportNumber" if passport else "idNumber", [number])
        countries = [_text(node, "COUNTRY_OF_ISSUE"), _text(node, "ISSUING_COUNTRY")]
        schema = "Passport" if passport else "Identification"
        document = model.make_entity(schema)
        document.id = f"{self.id}-{make_entity_id(schema, number, *countries)}"
        document.add("holder", person.id)
        self._add(document, "number", [number])
        self._add(document, "type", kinds)
        self._add(document, "country", countries)
        self._add(document, "startDate", [_text(node, "DATE_OF_ISSUE")])
        self._add(document, "summary", [note])
        # FtM has no place of issue; the UN's CITY_OF_ISSUE names the issuing
        # office by its town ("Stadt Bonn"), so ``authority`` is the nearest.
        self._add(document, "authority", [_text(node, "CITY_OF_ISSUE")])
        return document
