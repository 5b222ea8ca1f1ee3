"""Read OFAC's classic ``sdn.xml`` (``sdnList`` of ``sdnEntry`` records).

The classic XML carries the same listings as the legacy CSV, with structure
where the CSV has remarks: ``akaList`` (each alias with its ``category``,
"strong" or "weak"), ``idList`` (``idType``/``idNumber``/``idCountry`` plus
issue and expiry dates), ``dateOfBirthList``, ``placeOfBirthList``,
``nationalityList``, ``citizenshipList``, ``addressList`` and ``vesselInfo``.
Each of those becomes an ``ofac_remarks.Fact`` with OFAC's own label, so the
mapping is ``ofac_party``'s and an entry reads the same from either format.

The records live in the root's default namespace, which OFAC has changed
(``http://tempuri.org/sdnList.xsd``, then a ``sanctionslistservice`` URL);
the reader takes whatever the root declares, and child paths match in any
namespace.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar
from xml.etree.ElementTree import Element

from followthemoney import EntityProxy

from accord.errors import ReaderError
from accord.readers.base import Reader
from accord.readers.xmlsafe import XmlRecord, iter_elements
from accord.screening.lists.mapping import find_path, join, record_tag, squash
from accord.screening.lists.ofac_party import ALIAS_TYPES, OfacParty
from accord.screening.lists.ofac_remarks import Fact, ofac_date

__all__ = ["OfacSdnXmlReader"]

LIST_TITLE = "OFAC SDN List"
ADDRESS_PARTS = (
    "address1",
    "address2",
    "address3",
    "city",
    "stateOrProvince",
    "postalCode",
    "country",
)
LIST_FACTS = (
    ("dateOfBirthList/dateOfBirthItem/dateOfBirth", "DOB"),
    ("placeOfBirthList/placeOfBirthItem/placeOfBirth", "POB"),
    ("nationalityList/nationality/country", "nationality"),
    ("citizenshipList/citizenship/country", "citizen"),
)


def _text(node: Element, path: str) -> str | None:
    return squash(node.findtext(find_path(path)))


def _all(node: Element, path: str) -> list[Element]:
    return node.findall(find_path(path))


class OfacSdnXmlReader(Reader):
    """Persons, organisations, vessels and aircraft of OFAC's ``sdn.xml``."""

    NAME: ClassVar[str] = "ofac_sdn_xml"
    TITLE: ClassVar[str] = "OFAC SDN list, classic XML (sdn.xml)"

    def read(self) -> Iterator[EntityProxy]:
        """Yield each entry's entities, one entry in memory at a time."""
        tag = record_tag(self.path, "sdnEntry")
        for record in iter_elements(self.path, tag):
            yield from _entry(self.path, record).entities()


def _entry(path: Path, record: XmlRecord) -> OfacParty:
    node = record.element
    where = f"line {record.line}"
    uid = _text(node, "uid")
    if uid is None:
        raise ReaderError(path, where, "sdnEntry has no uid")
    party = OfacParty(path, where, uid, _text(node, "sdnType") or "")
    # From here on the uid is what a person fixing the file searches for.
    party.where = f"record uid={uid}"
    _names(party, node)
    party.add_programs(
        (p.text or "" for p in _all(node, "programList/program")), LIST_TITLE
    )
    party.add("notes", [_text(node, "remarks")])
    for address in _all(node, "addressList/address"):
        _address(party, address)
    for fact in _facts(node):
        party.apply(fact)
    _vessel(party, node)
    return party


def _full_name(node: Element) -> str | None:
    """ "First LAST", the order OpenSanctions builds from OFAC's name parts."""
    parts = (_text(node, "firstName"), _text(node, "lastName"))
    return " ".join(part for part in parts if part) or None


def _names(party: OfacParty, node: Element) -> None:
    """The entry's name, then each aka; "weak" akas are ``weakAlias``."""
    party.add("name", [_full_name(node)])
    if party.is_person:
        party.add("position", [_text(node, "title")])
        party.add("firstName", [_text(node, "firstName")])
        party.add("lastName", [_text(node, "lastName")])
    for aka in _all(node, "akaList/aka"):
        kind = (_text(aka, "type") or "a.k.a.").lower()
        prop = ALIAS_TYPES.get(kind, "alias")
        if (_text(aka, "category") or "").lower() == "weak":
            prop = "weakAlias"
        party.add(prop, [_full_name(aka)])


def _address(party: OfacParty, node: Element) -> None:
    country = _text(node, "country")
    party.add("country", [country])
    parts = [_text(node, tag) for tag in ADDRESS_PARTS[:-1]]
    if any(parts):
        party.add("address", [join([*parts, country])])


def _facts(node: Element) -> Iterator[Fact]:
    """Every structured detail as the fact its remarks clause would be."""
    for path, label in LIST_FACTS:
        for element in _all(node, path):
            text = squash(element.text)
            if text is not None:
                yield Fact(label, text)
    for item in _all(node, "idList/id"):
        id_type, number = _text(item, "idType"), _text(item, "idNumber")
        if id_type is None or number is None:
            continue
        yield Fact(
            id_type,
            number,
            country=_text(item, "idCountry"),
            issued=ofac_date(_text(item, "issueDate") or ""),
            expires=ofac_date(_text(item, "expirationDate") or ""),
        )


def _vessel(party: OfacParty, node: Element) -> None:
    info = node.find(find_path("vesselInfo"))
    if info is None:
        return
    party.add("callSign", [_text(info, "callSign")])
    party.add("type", [_text(info, "vesselType")])
    party.add("flag", [_text(info, "vesselFlag")])
    party.add("tonnage", [(_text(info, "tonnage") or "").replace(",", "")])
    grt = (_text(info, "grossRegisteredTonnage") or "").replace(",", "")
    party.add("grossRegisteredTonnage", [grt])
    owner = _text(info, "vesselOwner")
    party.add("notes", [f"Vessel owner: {owner}" if owner else None])
