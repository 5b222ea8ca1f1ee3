"""What every official list reader maps the same way.

Each list module keeps its source's own knowledge. What lives here is what all
of them need done identically, so that a person listed by the UN, OFAC, the UK
and the EU comes out shaped the same whichever list named them:

* values go through FtM's cleaning, and a value FtM rejects (a country that is
  not a country) is dropped and logged with the file and position it came
  from, never forced in and never silently lost;
* a property the schema lacks is skipped: OFAC writes "DOB" on a vessel's
  remarks now and then, and that is not a reason to refuse the list;
* one ``Sanction`` per listing, with the same topics rule everywhere:
  ``sanction`` always, ``crime.terror`` when the programme is a terrorism one;
* documents (``Passport``/``Identification``) get ids hashed from holder,
  kind, number and country, so they survive re-ordering and repeats merge;
* ranges of birth dates expand to every year, as the UN reader does, so a
  query with any year in the range matches exactly.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError, iterparse
from followthemoney import EntityProxy, model
from followthemoney.types import registry
from followthemoney.util import make_entity_id

log = logging.getLogger(__name__)

TERROR_TOPIC = "crime.terror"
MAX_YEAR_SPAN = 10
_NUMBERED = re.compile(r"\([0-9]{1,2}\)")
_DMY = re.compile(r"([0-9]{1,2}|dd|DD)/([0-9]{1,2}|mm|MM)/([0-9]{4})")
_SLUG = re.compile(r"[^a-z0-9]+")


def squash(value: str | None) -> str | None:
    """``value`` with runs of whitespace made one space, or None if empty."""
    if value is None:
        return None
    return " ".join(value.split()) or None


def add(
    proxy: EntityProxy, prop: str, values: Iterable[str | None], origin: str
) -> None:
    """Add values through FtM's cleaning, logging each one it rejects."""
    prop_ = proxy.schema.get(prop)
    if prop_ is None:
        return
    for value in values:
        text = squash(value)
        if text is not None and proxy.unsafe_add(prop_, text) is None:
            log.warning("%s: dropped %s %r", origin, prop, text)


def entity_id(*parts: str) -> str | None:
    """An FtM-valid id made of ``parts``, or None if they cannot form one."""
    return registry.entity.clean_text("-".join(parts))


def slug(value: str) -> str:
    """A lower-case, dash-separated form of ``value`` (e.g. "EU.27.28")."""
    return _SLUG.sub("-", value.lower()).strip("-")


def topics(terror: bool) -> list[str]:
    """Every listed party is sanctioned; terrorism listings say so too."""
    return ["sanction", TERROR_TOPIC] if terror else ["sanction"]


def make_sanction(party: EntityProxy, authority: str, source_url: str) -> EntityProxy:
    """The listing of ``party``, one per listing, id ``<party>-sanction``."""
    sanction = model.make_entity("Sanction")
    sanction.id = f"{party.id}-sanction"
    sanction.add("entity", party.id)
    sanction.add("authority", authority)
    sanction.add("sourceUrl", source_url)
    return sanction


@dataclass(frozen=True, slots=True)
class Document:
    """A numbered identity document as a list states it."""

    number: str
    passport: bool
    countries: tuple[str | None, ...] = ()
    kind: str | None = None
    issued: str | None = None
    expires: str | None = None
    summary: str | None = None
    authority: str | None = None


def make_document(holder: EntityProxy, doc: Document, origin: str) -> EntityProxy:
    """A ``Passport`` or ``Identification`` held by ``holder``.

    The holder also gets the number as ``passportNumber`` (or ``idNumber``):
    matchers compare numbers on the party itself, the document entity carries
    the detail (issuing country, dates) an analyst needs to judge a hit.
    """
    add(holder, "passportNumber" if doc.passport else "idNumber", [doc.number], origin)
    schema = "Passport" if doc.passport else "Identification"
    document = model.make_entity(schema)
    document.id = f"{holder.id}-{make_entity_id(schema, doc.number, *doc.countries)}"
    document.add("holder", holder.id)
    add(document, "number", [doc.number], origin)
    add(document, "type", [doc.kind], origin)
    add(document, "country", doc.countries, origin)
    add(document, "startDate", [doc.issued], origin)
    add(document, "endDate", [doc.expires], origin)
    add(document, "summary", [doc.summary], origin)
    add(document, "authority", [doc.authority], origin)
    return document


class EntityBag:
    """Secondary entities of one listing by id, merging repeats.

    Lists repeat a passport (once per language, or once per alias row); the
    repeats share an id and merging keeps the detail only one of them has.
    """

    def __init__(self) -> None:
        self._entities: dict[str, EntityProxy] = {}

    def put(self, entity: EntityProxy) -> None:
        key = str(entity.id)
        if key in self._entities:
            self._entities[key].merge(entity)
        else:
            self._entities[key] = entity

    def __iter__(self) -> Iterator[EntityProxy]:
        return iter(self._entities.values())


def year_span(first: str, last: str) -> list[str]:
    """Every year from ``first`` to ``last`` (ISO date prefixes).

    Within one year the common prefix is kept ("1970-10" for two days of
    October). A span wider than ``MAX_YEAR_SPAN`` or in the wrong order
    keeps only its endpoints: a "range" of forty years is a typo or a
    guess, not a birth date.
    """
    if first[:4] == last[:4]:
        return [first[:7] if first[:7] == last[:7] else first[:4]]
    start, end = int(first[:4]), int(last[:4])
    if 0 < end - start <= MAX_YEAR_SPAN:
        return [str(year) for year in range(start, end + 1)]
    return [first, last]


def dmy_date(value: str | None) -> str | None:
    """An ISO date prefix from the UK's "dd/mm/yyyy" (unknown parts as 00 or dd).

    "00/00/1959" and "dd/mm/1959" are the year 1959; "00/05/1959" is May 1959.
    """
    match = _DMY.fullmatch((value or "").strip())
    if match is None:
        return None
    day, month, year = match.groups()
    if not month.isdigit() or int(month) == 0:
        return registry.date.clean(year)
    if not day.isdigit() or int(day) == 0:
        return registry.date.clean(f"{year}-{int(month):02d}")
    return registry.date.clean(f"{year}-{int(month):02d}-{int(day):02d}")


def split_numbered(value: str | None) -> list[str]:
    """Split the UK's "(1) A (2) B" lists; anything else is one value."""
    text = squash(value)
    if text is None:
        return []
    parts = [squash(part) for part in _NUMBERED.split(text)]
    return [part for part in parts if part]


def join(parts: Iterable[str | None]) -> str | None:
    """Join the non-empty parts of an address or place, without repeats."""
    seen: list[str] = []
    for part in parts:
        text = squash(part)
        if text is not None and text not in seen:
            seen.append(text)
    return ", ".join(seen) or None


def join_name(parts: Iterable[str | None]) -> str | None:
    """Name parts in order, space-separated: "Ana Maria EXAMPLE"."""
    return " ".join(part for part in parts if part) or None


def find_path(path: str) -> str:
    """An ElementTree path that matches ``path`` in any namespace or none.

    "a/b" becomes "{*}a/{*}b"; ".", ".." and the empty step of ".//" stay.
    """
    steps = path.split("/")
    return "/".join(s if s in ("", ".", "..") else f"{{*}}{s}" for s in steps)


def record_tag(path: Path, local: str) -> str:
    """The tag of a list's records, in whatever namespace its root declares.

    OFAC has moved its XML from ``http://tempuri.org/sdnList.xsd`` to a
    ``sanctionslistservice`` namespace, and may move it again; the records
    are in the root's default namespace, so that is read first. Any failure
    here is left to the real pass, which reports it with file and position.
    """
    parser = DefusedXMLParser(forbid_dtd=True)
    try:
        with path.open("rb") as handle:
            for _event, root in iterparse(handle, events=("start",), parser=parser):
                tag = str(root.tag)
                if tag.startswith("{"):
                    return f"{tag[: tag.index('}') + 1]}{local}"
                return local
    except (ParseError, DefusedXmlException, LookupError, ValueError, OSError):
        pass
    return local
