"""Travellers, documents, flights and bookings as FtM entities.

Mapping decisions:

* A flight leg is an FtM ``Trip`` (FtM 4.11 has it: an ``Event`` with
  ``startLocation``/``endLocation``, ``startDate``/``endDate``, ``vehicle``
  and ``involved``). Its id hashes carrier, flight number, departure date and
  airports, so the same flight read from a PAXLST and from a PNRGOV push is
  one entity, and everyone on it is in its ``involved``: co-travel is a graph
  edge without any extra schema.
* ``Trip`` locations must be entities, so each airport is an ``Address``
  whose ``name`` is its IATA code (one id per code, shared by every trip).
* A booking (PNR) is an ``Event`` (FtM has no reservation schema): ``date``
  is when it was made, ``modifiedAt`` its last change, ``recordId`` its
  locators, ``involved`` who travels on it, ``summary`` how it was paid and
  ticketed. The same locator from PAXLST (RFF+AVF) and PNRGOV gives the same
  id. Payment stays text: a PNR names the form of payment, not a payer and a
  beneficiary, which FtM's ``Payment`` needs.
* A document is a ``Passport`` when its type code starts with P, otherwise an
  ``Identification`` with a readable ``type``. Its id includes its holder:
  carriers and test data reuse numbers (all 260 GTAS Test3 passports read
  12345678), and one document entity with 260 holders would be wrong; the
  ``shared_identifier`` detector is what links holders of one number.
* Person ids hash the name, birth date and documents within a scope (the
  flight, or the PNR), so re-ingesting a file changes nothing and entity
  resolution, not the reader, decides who is the same person across files.
"""

from __future__ import annotations

from collections.abc import Iterable

from followthemoney import EntityProxy, model
from followthemoney.util import make_entity_id

from accord.travel.codes import country_code
from accord.travel.journey import Booking, Leg, TravelDocument, Traveller
from accord.travel.mrz import MrzResult

__all__ = [
    "airport_entity",
    "booking_entity",
    "document_entity",
    "journey_entities",
    "mrz_to_entities",
    "person_entity",
    "trip_entity",
]

_GENDERS = {"M": "male", "F": "female", "X": "other", "MI": "male", "FI": "female"}
_DOCUMENT_TYPES = {
    "A": "Identity card",
    "AC": "Crew member certificate",
    "C": "Identity card",
    "F": "Facilitation document",
    "I": "Identity card",
    "ID": "Identity card",
    "IP": "Passport card",
    "M": "Military identification",
    "V": "Visa",
}


def _id(kind: str, *parts: str | None) -> str:
    return f"{kind}-{make_entity_id(kind, *parts)}"


def person_entity(traveller: Traveller, scope: Iterable[str]) -> EntityProxy:
    """A ``Person`` from a traveller; ``scope`` (flight or PNR) keeps ids apart."""
    person = model.make_entity("Person")
    numbers = sorted(f"{d.country}{d.number}" for d in traveller.documents)
    person.id = _id(
        "person",
        *scope,
        traveller.surname,
        *traveller.given_names,
        traveller.birth_date,
        *numbers,
    )
    person.add("name", traveller.name or traveller.surname)
    person.add("lastName", traveller.surname)
    person.add("firstName", traveller.given_names[:1])
    person.add("middleName", traveller.given_names[1:])
    person.add("alias", [a for a in traveller.aliases if a != traveller.name])
    person.add("gender", _GENDERS.get(traveller.gender.upper()))
    person.add("birthDate", traveller.birth_date)
    person.add("nationality", country_code(traveller.nationality))
    person.add("country", country_code(traveller.residence))
    person.add("birthPlace", traveller.birth_place or None)
    if traveller.role != "passenger":
        person.add("position", traveller.role)
    return person


def document_entity(document: TravelDocument, holder: EntityProxy) -> EntityProxy:
    """A ``Passport`` or ``Identification`` held by ``holder``."""
    kind = document.kind.upper()
    schema = "Passport" if kind.startswith("P") and kind != "PC" else "Identification"
    entity = model.make_entity(schema)
    country = country_code(document.country) or document.country.upper()
    entity.id = _id("document", kind, country, document.number, holder.id)
    entity.add("number", document.number)
    entity.add(
        "type", "Passport" if schema == "Passport" else _DOCUMENT_TYPES.get(kind, kind)
    )
    entity.add("country", country_code(document.country))
    entity.add("holder", holder)
    entity.add("startDate", document.issued)
    entity.add("endDate", document.expiry)
    return entity


def airport_entity(code: str) -> EntityProxy:
    """An ``Address`` standing for an airport, by IATA code."""
    airport = model.make_entity("Address")
    airport.id = _id("airport", code.upper())
    airport.add("name", code.upper())
    airport.add("full", f"{code.upper()} (IATA location)")
    return airport


def trip_id(leg: Leg) -> str:
    day = (leg.departure or "")[:10]
    return _id("trip", leg.carrier, leg.flight, day, leg.origin, leg.destination)


def trip_entity(leg: Leg, involved: Iterable[str]) -> EntityProxy:
    """A ``Trip`` for one flight leg, with everyone on it in ``involved``."""
    trip = model.make_entity("Trip")
    trip.id = trip_id(leg)
    day = (leg.departure or "")[:10]
    trip.add(
        "name",
        " ".join(filter(None, [leg.flight, f"{leg.origin}-{leg.destination}", day])),
    )
    trip.add("startLocation", airport_entity(leg.origin).id)
    trip.add("endLocation", airport_entity(leg.destination).id)
    trip.add("startDate", leg.departure)
    trip.add("endDate", leg.arrival)
    trip.add("involved", sorted(set(involved)))
    trip.add(
        "keywords", ["flight", f"carrier:{leg.carrier}"] if leg.carrier else ["flight"]
    )
    return trip


def booking_id(carrier: str, locator: str) -> str:
    return _id("booking", carrier.upper(), locator.upper())


def booking_entity(booking: Booking, involved: Iterable[str]) -> EntityProxy:
    """An ``Event`` for a reservation; its id comes from the first locator."""
    event = model.make_entity("Event")
    locator = booking.locators[0] if booking.locators else ""
    event.id = booking_id(booking.carrier, locator)
    event.add("name", f"Booking {booking.carrier} {locator}".strip())
    event.add("recordId", booking.locators)
    event.add("date", booking.created)
    event.add("modifiedAt", booking.last_change)
    event.add("involved", sorted(set(involved)))
    facts = dict.fromkeys([*booking.payments, *booking.tickets])  # ordered, unique
    event.add("summary", "; ".join(facts) or None)
    event.add(
        "keywords", ["booking", *(f"payment:{p.split()[0]}" for p in booking.payments)]
    )
    return event


def journey_entities(
    travellers: list[Traveller],
    legs: dict[Leg, list[Traveller]],
    bookings: list[Booking],
) -> list[EntityProxy]:
    """Every entity of one message, duplicates merged (same id, one entity).

    ``legs`` maps each flight leg to the travellers on it; each booking
    lists its own travellers.
    """
    out: dict[str, EntityProxy] = {}
    person_ids: dict[int, str] = {}
    for traveller in travellers:
        person = person_entity(traveller, traveller.scope)
        person_ids[id(traveller)] = str(person.id)
        _keep(out, person)
        for document in traveller.documents:
            if document.number:
                _keep(out, document_entity(document, person))
    for leg, people in legs.items():
        _keep(out, airport_entity(leg.origin))
        _keep(out, airport_entity(leg.destination))
        _keep(out, trip_entity(leg, [person_ids[id(t)] for t in people]))
    for booking in bookings:
        ids = [person_ids[id(t)] for t in booking.travellers if id(t) in person_ids]
        _keep(out, booking_entity(booking, ids))
    return list(out.values())


def travelled(traveller: Traveller, legs: list[Leg]) -> list[Leg]:
    """The legs between the traveller's embarkation and debarkation airports.

    All legs when those are not given or not on the route (PAXLST lists the
    whole flight; a passenger may join or leave it part-way).
    """
    origins = [leg.origin for leg in legs]
    destinations = [leg.destination for leg in legs]
    if traveller.embark not in origins or traveller.debark not in destinations:
        return legs
    first = origins.index(traveller.embark)
    for last in range(first, len(legs)):
        if destinations[last] == traveller.debark:
            return legs[first : last + 1]
    return legs


def _keep(out: dict[str, EntityProxy], entity: EntityProxy) -> None:
    key = str(entity.id)
    if key in out:
        out[key].merge(entity)
    else:
        out[key] = entity


def mrz_to_entities(result: MrzResult) -> list[EntityProxy]:
    """A ``Person`` and the ``Passport``/``Identification`` an MRZ describes."""
    given = result.given_names.split()
    traveller = Traveller(
        surname=result.surname,
        given_names=given,
        gender=result.sex if result.sex in ("M", "F", "X") else "",
        birth_date=result.birth.isoformat() if result.birth else None,
        nationality=result.nationality,
    )
    document = TravelDocument(
        kind=_mrz_kind(result.document_code),
        number=result.document_number,
        country=result.issuing_state,
        expiry=result.expiry.isoformat() if result.expiry else None,
    )
    traveller.documents.append(document)
    person = person_entity(traveller, ("mrz",))  # an MRZ is its own scope
    return [person, document_entity(document, person)]


def _mrz_kind(code: str) -> str:
    if code.startswith("P"):
        return "P"
    return "V" if code.startswith("V") else "I"
