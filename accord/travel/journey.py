"""What passenger messages say, before it becomes FtM: travellers, legs, bookings.

PAXLST and PNRGOV describe the same things in different segments, so both
readers fill these plain records and one module (``entities``) maps them to
FtM. Dates are ISO strings here, already past the two-digit-year guesswork in
``parse_*`` below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "Booking",
    "Leg",
    "TravelDocument",
    "Traveller",
    "digits",
    "edifact_datetime",
    "flight_code",
    "parse_ddmmmyy",
    "parse_ddmmyy",
    "parse_yymmdd",
]

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN")
        + ("JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
        start=1,
    )
}


@dataclass
class TravelDocument:
    """A document a traveller presented: DOC in PAXLST, SSR DOCS/DOCO in PNR."""

    kind: str  # P passport, V visa, I identity card, AC crew certificate...
    number: str
    country: str = ""  # issuing state, as coded in the message
    expiry: str | None = None
    issued: str | None = None


@dataclass
class Traveller:
    """One passenger or crew member as a message describes them."""

    surname: str
    given_names: list[str] = field(default_factory=list)
    role: str = "passenger"  # passenger, crew, infant, in-transit passenger...
    gender: str = ""  # as coded: M, F, X, U, MI, FI
    birth_date: str | None = None
    nationality: str = ""
    residence: str = ""
    birth_place: str = ""
    embark: str = ""
    debark: str = ""
    reference: str = ""  # the PNR's traveller reference number
    scope: tuple[str, ...] = ()  # what keeps person ids apart: flight or PNR
    bookings: list[str] = field(default_factory=list)
    documents: list[TravelDocument] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return " ".join([*self.given_names, self.surname]).strip()


@dataclass(frozen=True)
class Leg:
    """One flight from one airport to the next."""

    carrier: str
    flight: str
    origin: str
    destination: str
    departure: str | None = None
    arrival: str | None = None


@dataclass
class Booking:
    """A reservation (PNR): who booked together, when, and how they paid."""

    carrier: str
    locators: list[str] = field(default_factory=list)
    created: str | None = None
    last_change: str | None = None
    payments: list[str] = field(default_factory=list)
    tickets: list[str] = field(default_factory=list)
    travellers: list[Traveller] = field(default_factory=list)
    legs: list[Leg] = field(default_factory=list)


def digits(text: str) -> bool:
    """ASCII digits only: ``str.isdigit`` also accepts "²", which ``int`` refuses."""
    return text.isascii() and text.isdigit()


def flight_code(carrier: str, number: str) -> str:
    """``("UA", "0989")`` and ``("UA", "UA0989")`` both become ``"UA989"``.

    PAXLST writes the carrier into the flight number and pads it, PNRGOV
    does neither; one spelling lets both name the same trip.
    """
    carrier, number = carrier.strip().upper(), number.strip().upper().replace(" ", "")
    if carrier and number.startswith(carrier):
        number = number[len(carrier) :]
    return carrier + (number.lstrip("0") or number)


def _year(two_digits: int, pivot: int, past: bool) -> int:
    """Century guess: a birth is never after ``pivot``; anything else is at
    most 50 years after it."""
    year = 2000 + two_digits
    limit = pivot if past else pivot + 50
    return year if year <= limit else year - 100


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_yymmdd(text: str, pivot: int, *, past: bool = False) -> str | None:
    """``YYMMDD`` (PAXLST DTM 101) or ``CCYYMMDD`` (DTM 102) to an ISO date."""
    text = text.strip()
    if not digits(text):
        return None
    if len(text) == 8:
        return _iso(int(text[:4]), int(text[4:6]), int(text[6:8]))
    if len(text) != 6:
        return None
    year = _year(int(text[:2]), pivot, past)
    return _iso(year, int(text[2:4]), int(text[4:6]))


def parse_ddmmyy(text: str, pivot: int, time: str = "") -> str | None:
    """PNRGOV's ``DDMMYY`` date (and ``HHMM`` time) to ISO."""
    text = text.strip()
    if len(text) != 6 or not digits(text):
        return None
    year = _year(int(text[4:6]), pivot, past=False)
    day = _iso(year, int(text[2:4]), int(text[0:2]))
    return _with_time(day, time)


def parse_ddmmmyy(text: str, pivot: int, *, past: bool = False) -> str | None:
    """SSR DOCS dates such as ``12JUL64`` to ISO."""
    text = text.strip().upper()
    month = _MONTHS.get(text[2:5])
    if len(text) != 7 or month is None or not digits(text[:2] + text[5:]):
        return None
    return _iso(_year(int(text[5:7]), pivot, past), month, int(text[:2]))


def edifact_datetime(text: str, format: str, pivot: int) -> str | None:
    """A DTM value by its format code: 201 ``YYMMDDHHMM``, 203 ``CCYYMMDDHHMM``,
    101/102 dates; without a code, guessed from the length."""
    text = text.strip()
    if not digits(text):
        return None
    if format == "203" or (not format and len(text) == 12):
        return _with_time(parse_yymmdd(text[:8], pivot), text[8:12])
    if format == "201" or (not format and len(text) == 10):
        return _with_time(parse_yymmdd(text[:6], pivot), text[6:10])
    return parse_yymmdd(text, pivot)


def _with_time(day: str | None, time: str) -> str | None:
    time = time.strip()[:4]
    if day is None or len(time) != 4 or not digits(time):
        return day
    if int(time[:2]) > 23 or int(time[2:]) > 59:
        return day
    return f"{day}T{time[:2]}:{time[2:]}"
