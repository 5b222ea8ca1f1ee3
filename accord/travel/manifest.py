"""A passenger manifest as travellers: each person with their documents,
flights and bookings.

The readers write a graph (``Person`` ← ``Passport.holder``, ``Trip.involved``
and booking ``Event.involved`` → ``Person``); screening and risk rules want
the opposite view, one record per traveller holding everything about them.
This module turns the one into the other and does nothing else, so the same
view serves the ``manifest`` command and the tests on plain entity lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from followthemoney import EntityProxy

__all__ = ["Flight", "TravellerRecord", "build_travellers"]


@dataclass(frozen=True, slots=True)
class Flight:
    """One leg as the rules read it: airports by IATA code, ISO times."""

    entity_id: str
    name: str
    origin: str
    destination: str
    departure: str | None


@dataclass
class TravellerRecord:
    """Everything a manifest says about one person."""

    person: EntityProxy
    documents: list[EntityProxy] = field(default_factory=list)
    flights: list[Flight] = field(default_factory=list)
    bookings: list[EntityProxy] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.person.id)

    @property
    def caption(self) -> str:
        return self.person.caption

    def document_numbers(self) -> tuple[str, ...]:
        return tuple(n for doc in self.documents for n in doc.get("number"))

    def itinerary(self) -> list[Flight]:
        """Flights in departure order (undated legs last, in file order)."""
        return sorted(self.flights, key=lambda f: (f.departure is None, f.departure))


def build_travellers(entities: Iterable[EntityProxy]) -> list[TravellerRecord]:
    """One record per ``Person``, in the order persons appear."""
    items = list(entities)
    airports = {
        str(e.id): e.first("name") or "" for e in items if e.schema.name == "Address"
    }
    records = {str(e.id): TravellerRecord(e) for e in items if e.schema.is_a("Person")}
    for entity in items:
        if entity.schema.is_a("Identification"):
            _attach(records, entity.get("holder"), entity, "documents")
        elif entity.schema.name == "Trip":
            flight = _flight(entity, airports)
            for person_id in entity.get("involved"):
                if person_id in records:
                    records[person_id].flights.append(flight)
        elif entity.schema.is_a("Event") and "booking" in entity.get("keywords"):
            _attach(records, entity.get("involved"), entity, "bookings")
    return list(records.values())


def _attach(
    records: dict[str, TravellerRecord],
    person_ids: list[str],
    entity: EntityProxy,
    kind: str,
) -> None:
    for person_id in person_ids:
        record = records.get(person_id)
        if record is not None:
            getattr(record, kind).append(entity)


def _flight(trip: EntityProxy, airports: dict[str, str]) -> Flight:
    start = trip.first("startLocation") or ""
    end = trip.first("endLocation") or ""
    return Flight(
        entity_id=str(trip.id),
        name=trip.first("name") or "",
        origin=airports.get(start, ""),
        destination=airports.get(end, ""),
        departure=trip.first("startDate"),
    )
