"""PAXLST (API): the passenger or crew list a carrier sends for one flight.

Structure (WCO/IATA/ICAO API guidelines, D:02B and D:05B), as read here:

* header: BGM (745 passengers, 250 crew), NAD+MS (who reports);
* flight: TDT+20 (flight number, carrier), then LOC with DTM pairs for each
  stop: LOC+125/87 or LOC+92, DTM+189 (departure) or DTM+232 (arrival);
* one group per traveller from NAD+FL (passenger), FM (crew), DDT/DDU (in
  transit): ATT (sex), DTM+329 (birth), LOC+178/179 (embark, debark),
  LOC+174 (residence), LOC+180 (birthplace), NAT, RFF+AVF (booking);
  DOC opens a document sub-group with DTM+36 (expiry), DTM+182 (issue) and
  LOC+91 (issuing state);
* CNT+42 (passengers) or CNT+41 (crew): the count, checked against the
  travellers read (a mismatch is a warning: the travellers are all there).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from followthemoney import EntityProxy

from accord.travel.edifact import Interchange, Message, Segment
from accord.travel.entities import journey_entities, travelled
from accord.travel.journey import (
    Booking,
    Leg,
    TravelDocument,
    Traveller,
    digits,
    edifact_datetime,
    flight_code,
    parse_yymmdd,
)
from accord.travel.message_reader import EdifactMessageReader

__all__ = ["PaxlstReader", "pivot_year"]

_ROLES = {
    "FL": "passenger",
    "FM": "crew",
    "DDT": "in-transit passenger",
    "DDU": "in-transit crew",
}


class PaxlstReader(EdifactMessageReader):
    """UN/EDIFACT PAXLST passenger and crew lists (advance passenger information).

    ``warnings`` lists what was tolerated in the last ``read()``: odd bytes,
    whitespace, wrong trailer counts, each with its segment and line.
    """

    MESSAGE_TYPE: ClassVar[str] = "PAXLST"
    NAME: ClassVar[str] = "paxlst"
    TITLE: ClassVar[str] = "UN/EDIFACT PAXLST passenger and crew lists (API)"

    def message_entities(
        self, interchange: Interchange, message: Message
    ) -> Iterator[EntityProxy]:
        manifest = Manifest(interchange, message)
        yield from journey_entities(
            manifest.travellers, manifest.trips(), manifest.bookings()
        )


def pivot_year(header: Segment | None) -> int:
    """The interchange's year (UNB date), for two-digit years; else this year."""
    text = header.value(3) if header else ""
    if len(text) == 6 and digits(text):
        return 2000 + int(text[:2])
    return datetime.now(UTC).year


@dataclass
class _Stop:
    qualifier: str
    airport: str
    departure: str | None = None
    arrival: str | None = None


class Manifest:
    """One PAXLST message read into travellers and legs."""

    def __init__(self, interchange: Interchange, message: Message) -> None:
        self.x = interchange
        self.pivot = pivot_year(message.header)
        self.legs: list[Leg] = []
        self.travellers: list[Traveller] = []
        self._flight = ("", "")
        self._stops: list[_Stop] = []
        self._traveller: Traveller | None = None
        self._document: TravelDocument | None = None
        self._counts: list[tuple[Segment, int]] = []
        handlers = self._handlers()
        for segment in message.segments[1:-1]:
            handler = handlers.get(segment.tag)
            if handler is not None:
                handler(segment)
        self._close_flight()
        self._check_counts()
        scope = self._scope(message)
        for traveller in self.travellers:
            traveller.scope = scope

    def trips(self) -> dict[Leg, list[Traveller]]:
        trips: dict[Leg, list[Traveller]] = {leg: [] for leg in self.legs}
        for traveller in self.travellers:
            for leg in travelled(traveller, self.legs):
                trips[leg].append(traveller)
        return trips

    def bookings(self) -> list[Booking]:
        carrier = self.legs[0].carrier if self.legs else self._flight[0]
        by_locator: dict[str, Booking] = {}
        for traveller in self.travellers:
            for locator in traveller.bookings:
                booking = by_locator.setdefault(locator, Booking(carrier, [locator]))
                booking.travellers.append(traveller)
        return list(by_locator.values())

    def _handlers(self) -> dict[str, Callable[[Segment], None]]:
        return {
            "TDT": self._tdt,
            "LOC": self._loc,
            "DTM": self._dtm,
            "NAD": self._nad,
            "ATT": self._att,
            "NAT": self._nat,
            "RFF": self._rff,
            "DOC": self._doc,
            "CNT": self._cnt,
        }

    def _scope(self, message: Message) -> tuple[str, ...]:
        if self.legs:
            leg = self.legs[0]
            return ("paxlst", leg.carrier, leg.flight, (leg.departure or "")[:10])
        return ("paxlst", message.reference)

    def _tdt(self, segment: Segment) -> None:
        self._close_flight()
        number = segment.value(1).replace(" ", "").upper()
        carrier = segment.value(4).strip().upper() or number[:2]
        self._flight = (carrier, flight_code(carrier, number))

    def _loc(self, segment: Segment) -> None:
        qualifier, place = segment.value(0), segment.value(1)
        traveller = self._traveller
        if traveller is None:
            self._stops.append(_Stop(qualifier, place.upper()))
        elif qualifier == "91" and self._document is not None:
            self._document.country = place
        elif qualifier == "178":
            traveller.embark = place.upper()
        elif qualifier == "179":
            traveller.debark = place.upper()
        elif qualifier == "174":
            traveller.residence = place
        elif qualifier == "180":
            traveller.birth_place = place or segment.value(1, 3)

    def _dtm(self, segment: Segment) -> None:
        qualifier, text, format = (segment.value(0, i) for i in range(3))
        when = edifact_datetime(text, format, self.pivot)
        if self._traveller is None:
            if self._stops and qualifier == "189":
                self._stops[-1].departure = when
            elif self._stops and qualifier == "232":
                self._stops[-1].arrival = when
        elif qualifier == "329":
            self._traveller.birth_date = parse_yymmdd(text, self.pivot, past=True)
        elif qualifier in ("36", "182") and self._document is not None:
            if qualifier == "36":
                self._document.expiry = when
            else:
                self._document.issued = when

    def _nad(self, segment: Segment) -> None:
        role = _ROLES.get(segment.value(0))
        if role is None:
            return  # NAD+MS: the reporting party, not a traveller
        self._close_flight()
        names = segment.elements[3] if len(segment.elements) > 3 else ()
        names = names or (segment.elements[2] if len(segment.elements) > 2 else ())
        surname = names[0].strip() if names else ""
        given = [n.strip() for n in names[1:] if n.strip()]
        if not surname:
            self.x.warn(segment, "traveller without a surname")
        self._traveller = Traveller(surname, given, role=role)
        self._document = None
        self.travellers.append(self._traveller)

    def _att(self, segment: Segment) -> None:
        if self._traveller is not None and segment.value(0) == "2":
            self._traveller.gender = segment.value(2)

    def _nat(self, segment: Segment) -> None:
        if self._traveller is not None:
            self._traveller.nationality = segment.value(1)

    def _rff(self, segment: Segment) -> None:
        if self._traveller is not None and segment.value(0) == "AVF":
            locator = segment.value(0, 1).strip()
            if locator and locator not in self._traveller.bookings:
                self._traveller.bookings.append(locator)

    def _doc(self, segment: Segment) -> None:
        if self._traveller is None:
            self.x.warn(segment, "document before any traveller; skipped")
            return
        number = segment.value(1).strip()
        if not number:
            self.x.warn(segment, "document without a number")
        self._document = TravelDocument(segment.value(0).strip(), number)
        self._traveller.documents.append(self._document)

    def _cnt(self, segment: Segment) -> None:
        text = segment.value(0, 1)
        if not text and digits(segment.value(1)):
            self.x.warn(segment, "count in the second element, not after ':'")
            text = segment.value(1)
        if digits(text):
            self._counts.append((segment, int(text)))
        else:
            self.x.warn(segment, f"count {text!r} is not a number")

    def _close_flight(self) -> None:
        """Turn the stops of the current TDT group into legs."""
        carrier, number = self._flight
        start: _Stop | None = None
        for stop in self._stops:
            routing = stop.qualifier == "92"  # direction told by its DTM or order
            arrives = bool(stop.arrival) or stop.qualifier == "87"
            arrives = arrives or (routing and not stop.departure and start is not None)
            if arrives and start is not None:
                self.legs.append(
                    Leg(
                        carrier,
                        number,
                        start.airport,
                        stop.airport,
                        start.departure,
                        stop.arrival,
                    )
                )
                start = None
            if stop.departure or stop.qualifier == "125" or (routing and not arrives):
                start = stop
        self._stops = []

    def _check_counts(self) -> None:
        for segment, declared in self._counts:
            if declared != len(self.travellers):
                reason = f"CNT says {declared}, but the message lists"
                self.x.warn(segment, f"{reason} {len(self.travellers)} travellers")
