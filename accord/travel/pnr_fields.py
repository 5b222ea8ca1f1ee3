"""PNRGOV field parsing: flights (TVL), payments (FOP), names, SSR DOCS/DOCO.

Kept apart from ``pnrgov`` so the message walker stays short; everything
here turns one segment or one free-text string into plain values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accord.travel.edifact import Interchange, Segment
from accord.travel.journey import (
    Booking,
    Leg,
    TravelDocument,
    Traveller,
    digits,
    flight_code,
    parse_ddmmmyy,
    parse_ddmmyy,
)

__all__ = ["assign_documents", "leg_of", "payment_of", "rci_created", "split_title"]

# Titles airlines append to given names. Glued ones ("JOHNMR") are only
# stripped for titles no given name ends with: not MS (WILLIAMS) nor DR
# (ALEXANDR).
_TITLES = ("MSTR", "MISS", "MRS", "MR", "MS", "DR")
_GLUED_TITLES = ("MSTR", "MISS", "MRS", "MR")
_PAYMENTS = {
    "CA": "cash",
    "CC": "credit-card",
    "CK": "cheque",
    "DB": "debit-card",
    "GR": "government-request",
    "IN": "invoice",
    "MS": "miscellaneous",
}
_INFANT_GENDERS = ("FI", "MI")


def split_title(given: str) -> tuple[str, str]:
    """``"JOHNMR"`` -> ``("JOHN", "MR")``; ``"KONG CHUN MRS"`` -> ``("KONG CHUN", "MRS")``."""
    parts = given.split()
    if len(parts) > 1 and parts[-1] in _TITLES:
        return " ".join(parts[:-1]), parts[-1]
    for title in _GLUED_TITLES:
        if given.endswith(title) and len(given) - len(title) >= 3:
            return given[: -len(title)], title
    return given, ""


def leg_of(segment: Segment, pivot: int) -> Leg | None:
    """A TVL flight segment as a leg; ``None`` for non-flights (hotels, blanks)."""
    origin, destination = segment.value(1).strip(), segment.value(2).strip()
    if not (_airport(origin) and _airport(destination)):
        return None
    carrier = (segment.value(3, 1) or segment.value(3, 0)).strip()  # operating first
    dates = (*(segment.elements[0] if segment.elements else ()), "", "", "", "")
    departure = parse_ddmmyy(dates[0], pivot, dates[1])
    if len(dates[2]) == 4 and not dates[3]:  # a time where the arrival date belongs
        arrival = parse_ddmmyy(dates[0], pivot, dates[2])
    elif dates[3]:
        arrival = parse_ddmmyy(dates[2] or dates[0], pivot, dates[3])
    else:
        arrival = None
    flight = flight_code(carrier, segment.value(4, 0))
    return Leg(carrier, flight, origin.upper(), destination.upper(), departure, arrival)


def _airport(code: str) -> bool:
    return len(code) == 3 and code.isalpha()


def payment_of(segment: Segment) -> list[str]:
    """FOP forms of payment as short text: ``"cash 250.00"``, ``"credit-card VI ..."``."""
    out = []
    for element in segment.elements:
        parts = (*element, "", "", "", "", "")
        kind = _PAYMENTS.get(parts[0].upper(), parts[0].lower() or "unknown")
        out.append(" ".join(filter(None, [kind, parts[2], parts[3], parts[4]])))
    return out


def rci_created(element: tuple[str, ...], pivot: int) -> str | None:
    """The creation date of one RCI locator (component 4, time in 5).

    GTAS's pnrWithDoco sample shifts the date one component left, into the
    reservation-control-type slot; a six-digit value there is read as one.
    """
    parts = (*element, "", "", "", "", "")
    if len(parts[3]) == 6:
        return parse_ddmmyy(parts[3], pivot, parts[4])
    if len(parts[2]) == 6 and digits(parts[2]):
        return parse_ddmmyy(parts[2], pivot, parts[3])
    return None


@dataclass
class _Docs:
    """SSR DOCS free text: /type/issuer/number/nationality/birth/gender/expiry/names."""

    kind: str = ""
    country: str = ""
    number: str = ""
    nationality: str = ""
    birth: str | None = None
    gender: str = ""
    expiry: str | None = None
    issued: str | None = None
    surname: str = ""
    given: list[str] = field(default_factory=list)
    birth_place: str = ""


def _docs(text: str, pivot: int) -> _Docs:
    parts = [*text.removeprefix("/").split("/"), *([""] * 10)]
    return _Docs(
        kind=parts[0].strip(),
        country=parts[1].strip(),
        number=parts[2].strip(),
        nationality=parts[3].strip(),
        birth=parse_ddmmmyy(parts[4], pivot, past=True),
        gender=parts[5].strip().upper(),
        expiry=parse_ddmmmyy(parts[6], pivot),
        surname=parts[7].strip(),
        given=[p.strip() for p in parts[8:10] if p.strip()],
    )


def _doco(text: str, pivot: int) -> _Docs:
    """SSR DOCO (other documents, mostly visas): birthplace/type/number/place/date."""
    parts = [*text.split("/"), *([""] * 6)]
    return _Docs(
        kind=parts[1].strip() or "V",
        number=parts[2].strip(),
        issued=parse_ddmmmyy(parts[4], pivot, past=True),
        birth_place=parts[0].strip(),
    )


def assign_documents(
    interchange: Interchange,
    booking: Booking,
    ssrs: list[tuple[Segment, Traveller | None]],
    pivot: int,
) -> None:
    """Give each SSR DOCS/DOCO of a PNR to the traveller it describes."""
    for segment, current in ssrs:
        # C334: type, status, quantity, carrier, ..., board, off point, text
        text = ":".join(segment.elements[0][8:]) if segment.elements else ""
        if not text.strip():
            interchange.warn(segment, f"SSR {segment.value(0)} without free text")
            continue
        info = _docs(text, pivot) if segment.value(0) == "DOCS" else _doco(text, pivot)
        owner = _owner(booking, info, segment.value(1, 2), current)
        if owner is None:
            owner = Traveller(info.surname, list(info.given), role="infant")
            booking.travellers.append(owner)
        _apply(info, owner)


def _letters(text: str) -> str:
    return "".join(char for char in text.upper() if char.isalpha())


def _owner(
    booking: Booking, info: _Docs, reference: str, current: Traveller | None
) -> Traveller | None:
    """Match by surname (spaces from line wrapping ignored), then reference.

    An infant's DOCS (gender FI/MI) that matches no traveller by name is a
    traveller of its own, not the adult it was filed under; ``None`` says so.
    """
    key = _letters(info.surname)
    named = [t for t in booking.travellers if key and _letters(t.surname) == key]
    if len(named) > 1 and info.given:  # same surname: compare given names
        first = _letters(info.given[0])[:3]
        named = [
            t for t in named if _letters(" ".join(t.given_names))[:3] == first
        ] or named
    if named:
        return named[0]
    if info.gender in _INFANT_GENDERS and key:
        return None
    for traveller in booking.travellers:
        if reference and traveller.reference == reference:
            return traveller
    return current or (booking.travellers[0] if booking.travellers else None)


def _apply(info: _Docs, traveller: Traveller) -> None:
    if info.number:
        document = TravelDocument(
            info.kind, info.number, info.country, info.expiry, info.issued
        )
        if document not in traveller.documents:
            traveller.documents.append(document)
    traveller.birth_date = traveller.birth_date or info.birth
    traveller.gender = traveller.gender or info.gender
    traveller.nationality = traveller.nationality or info.nationality
    traveller.birth_place = traveller.birth_place or info.birth_place
    alias = " ".join([*info.given, info.surname]).strip()
    if info.surname and alias != traveller.name and alias not in traveller.aliases:
        traveller.aliases.append(alias)
