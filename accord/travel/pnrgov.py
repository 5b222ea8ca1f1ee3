"""PNRGOV: the reservations (PNRs) a carrier pushes to a government for one flight.

Structure (IATA/WCO/ICAO PNRGOV, versions 10 to 13), as read here:

* message header: MSG, ORG, TVL (the flight the push is for), EQN;
* one group per PNR from SRC: RCI (locators, creation date), DAT+700 (last
  change), then one group per traveller from TIF (surname; given name,
  passenger type, reference) with SSR+DOCS/DOCO (documents), TKT, MON, FOP
  (form of payment), and one group per flight from TVL (legs), whose TRI/TIF
  repeat travellers for seats and check-in and are not new travellers;
* ABI opens the PNR history (SAC +A added / +X cancelled): its TVL and TIF
  are past states and are skipped.

Dates are DDMMYY (TVL, DAT, RCI) and DDMMMYY in SSR DOCS free text. SSR DOCS
is matched to its traveller by surname first, because carriers put the
infant's DOCS under the adult's TIF and line-wrap names mid-word.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from followthemoney import EntityProxy

from accord.travel.edifact import Interchange, Message, Segment
from accord.travel.entities import journey_entities
from accord.travel.journey import Booking, Leg, Traveller, parse_ddmmyy
from accord.travel.message_reader import EdifactMessageReader
from accord.travel.paxlst import pivot_year
from accord.travel.pnr_fields import (
    assign_documents,
    leg_of,
    payment_of,
    rci_created,
    split_title,
)

__all__ = ["PnrPush", "PnrgovReader"]


class PnrgovReader(EdifactMessageReader):
    """UN/EDIFACT PNRGOV reservation pushes (passenger name records).

    ``warnings`` lists what was tolerated in the last ``read()``, each with
    its segment and line.
    """

    MESSAGE_TYPE: ClassVar[str] = "PNRGOV"
    NAME: ClassVar[str] = "pnrgov"
    TITLE: ClassVar[str] = "UN/EDIFACT PNRGOV passenger name records (PNR)"

    def message_entities(
        self, interchange: Interchange, message: Message
    ) -> Iterator[EntityProxy]:
        push = PnrPush(interchange, message)
        yield from journey_entities(push.travellers, push.trips(), push.bookings)


class PnrPush:
    """One PNRGOV message read into bookings, travellers and legs."""

    def __init__(self, interchange: Interchange, message: Message) -> None:
        self.x = interchange
        self.pivot = pivot_year(message.header)
        self.header_legs: list[Leg] = []
        self.bookings: list[Booking] = []
        self._booking: Booking | None = None
        self._state = "header"  # header, travellers, flights, history
        self._docs: list[tuple[Segment, Traveller | None]] = []
        for segment in message.segments[1:-1]:
            self._feed(segment)
        self._close()

    @property
    def travellers(self) -> list[Traveller]:
        return [t for booking in self.bookings for t in booking.travellers]

    def trips(self) -> dict[Leg, list[Traveller]]:
        """Each leg with its travellers: everyone is on the pushed flight."""
        trips: dict[Leg, list[Traveller]] = {}
        for booking in self.bookings:
            for leg in booking.legs:
                trips.setdefault(leg, []).extend(booking.travellers)
        for leg in self.header_legs:
            on_it = trips.setdefault(leg, [])
            seen = {id(t) for t in on_it}
            on_it.extend(t for t in self.travellers if id(t) not in seen)
        return trips

    def _feed(self, segment: Segment) -> None:
        tag = segment.tag
        if tag == "SRC":
            self._close()
            self._booking = Booking("")
            self._state = "travellers"
        elif tag == "ABI":
            self._state = "history"
        elif self._state == "history":
            return
        elif tag == "TVL":
            self._tvl(segment)
        elif tag == "TRI":
            self._state = "flights"
        elif self._booking is not None:
            self._pnr_segment(segment, self._booking)

    def _pnr_segment(self, segment: Segment, booking: Booking) -> None:
        tag = segment.tag
        if tag == "RCI":
            self._rci(segment, booking)
        elif tag == "DAT":
            self._dat(segment, booking)
        elif tag == "TIF" and self._state == "travellers":
            self._tif(segment, booking)
        elif tag == "SSR" and segment.value(0) in ("DOCS", "DOCO"):
            current = booking.travellers[-1] if booking.travellers else None
            self._docs.append((segment, current))
        elif tag == "TKT" and segment.value(0):
            booking.tickets.append(f"ticket {segment.value(0)}")
        elif tag == "FOP":
            booking.payments.extend(payment_of(segment))
        elif tag == "MON":
            self._mon(segment, booking)

    def _close(self) -> None:
        """Finish the current PNR: give each SSR DOCS to its traveller."""
        booking = self._booking
        if booking is None:
            return
        assign_documents(self.x, booking, self._docs, self.pivot)
        scope = (
            "pnrgov",
            booking.carrier,
            booking.locators[0] if booking.locators else "",
        )
        for traveller in booking.travellers:
            traveller.scope = scope
            traveller.bookings = list(booking.locators)
        if booking.travellers or booking.locators:
            self.bookings.append(booking)
        self._booking = None
        self._docs = []

    def _tvl(self, segment: Segment) -> None:
        leg = leg_of(segment, self.pivot)
        if self._booking is None:
            if leg is not None:
                self.header_legs.append(leg)
            return
        self._state = "flights"
        if leg is not None and leg not in self._booking.legs:
            self._booking.legs.append(leg)

    def _rci(self, segment: Segment, booking: Booking) -> None:
        for element in segment.elements:
            carrier, locator = (*element, "", "")[:2]
            if locator and locator not in booking.locators:
                booking.carrier = booking.carrier or carrier
                booking.locators.append(locator)
            booking.created = booking.created or rci_created(element, self.pivot)

    def _dat(self, segment: Segment, booking: Booking) -> None:
        for element in segment.elements:
            qualifier, day, time = (*element, "", "", "")[:3]
            when = parse_ddmmyy(day, self.pivot, time)
            if qualifier == "700" and when:
                booking.last_change = max(filter(None, [booking.last_change, when]))
            elif qualifier == "710" and when:
                booking.tickets.append(f"ticketed {when}")

    def _tif(self, segment: Segment, booking: Booking) -> None:
        surname = segment.value(0).strip()
        raw_given = segment.value(1).strip()
        given, _ = split_title(raw_given)
        traveller = Traveller(surname, given.split())
        traveller.reference = segment.value(1, 2)
        if segment.value(1, 1).upper() in ("IN", "INF"):
            traveller.role = "infant"
        raw = f"{raw_given} {surname}".strip()
        if raw != traveller.name:
            traveller.aliases.append(raw)
        booking.travellers.append(traveller)

    def _mon(self, segment: Segment, booking: Booking) -> None:
        for element in segment.elements:
            qualifier, amount, currency = (*element, "", "", "")[:3]
            if qualifier == "T" and amount:
                booking.tickets.append(f"total {amount} {currency}".strip())
