"""Risk indicators an analyst configures, in the manner of UN goTravel.

goTravel lets each passenger-information unit write its own targeting rules
(routes, booking behaviour, payment) next to watchlist matching; what counts
as a risky route is policy, not code. So rules live in a TOML file the
analyst owns, and the code only knows three kinds of test:

``route_airport``
    a leg departs from or arrives at one of ``airports`` (IATA codes);
``late_one_way``
    a one-way journey booked less than ``hours`` before its first departure;
``payment_form``
    a booking paid by one of ``forms`` (``cash``, ``cc``...).

Each rule has a ``name``, a ``weight`` in (0, 1] (its share of a traveller's
risk score), and a ``description`` that becomes the finding's explanation.
``accord/travel/default_rules.toml`` is a starting point, not advice.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from accord.errors import ReaderError
from accord.travel.manifest import Flight, TravellerRecord

__all__ = ["RuleHit", "RuleSet", "load_rules"]

DEFAULT_RULES = "default_rules.toml"


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    weight: float = Field(gt=0.0, le=1.0)
    description: str = ""


class RouteAirportRule(_Rule):
    kind: Literal["route_airport"]
    airports: frozenset[str] = Field(min_length=1)

    def hits(self, traveller: TravellerRecord) -> list[RuleHit]:
        codes = {code.upper() for code in self.airports}
        legs = [
            f
            for f in traveller.flights
            if f.origin.upper() in codes or f.destination.upper() in codes
        ]
        if not legs:
            return []
        names = ", ".join(f.name for f in legs)
        return [_hit(self, f"route through a listed airport: {names}", legs)]


class LateOneWayRule(_Rule):
    kind: Literal["late_one_way"]
    hours: float = Field(default=24.0, gt=0.0)

    def hits(self, traveller: TravellerRecord) -> list[RuleHit]:
        itinerary = traveller.itinerary()
        if not itinerary or _returns_home(itinerary):
            return []
        departure = _parse_time(itinerary[0].departure)
        found: list[RuleHit] = []
        for booking in traveller.bookings:
            created = _parse_time(booking.first("date"))
            if departure is None or created is None or created > departure:
                continue
            lead = (departure - created).total_seconds() / 3600
            if lead < self.hours:
                detail = f"one-way, booked {lead:.1f} h before departure"
                found.append(_hit(self, detail, itinerary, booking.id))
        return found


class PaymentFormRule(_Rule):
    kind: Literal["payment_form"]
    forms: frozenset[str] = Field(min_length=1)

    def hits(self, traveller: TravellerRecord) -> list[RuleHit]:
        wanted = {f"payment:{form.lower()}" for form in self.forms}
        found: list[RuleHit] = []
        for booking in traveller.bookings:
            paid = {k.lower() for k in booking.get("keywords")} & wanted
            if paid:
                forms = ", ".join(sorted(p.split(":", 1)[1] for p in paid))
                found.append(_hit(self, f"paid by {forms}", [], booking.id))
        return found


Rule = Annotated[
    RouteAirportRule | LateOneWayRule | PaymentFormRule, Field(discriminator="kind")
]


class _RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: list[Rule] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RuleHit:
    """One rule that fired for one traveller, with the entities that made it."""

    rule: str
    weight: float
    detail: str
    description: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class RuleSet:
    """The analyst's rules, applied to one traveller at a time."""

    rules: tuple[Rule, ...]
    source: str

    def evaluate(self, traveller: TravellerRecord) -> list[RuleHit]:
        return [hit for rule in self.rules for hit in rule.hits(traveller)]

    def names(self) -> list[str]:
        return [rule.name for rule in self.rules]


def load_rules(path: Path | None = None) -> RuleSet:
    """The rules in ``path``, or the shipped defaults; refuses a bad file.

    A malformed file is refused whole, naming the rule and the field, so an
    analyst never screens a flight with half of their rules silently gone.
    """
    if path is None:
        text = resources.files("accord.travel").joinpath(DEFAULT_RULES).read_text()
        source = f"accord/travel/{DEFAULT_RULES}"
    else:
        text = path.read_text(encoding="utf-8")
        source = str(path)
    try:
        parsed = _RuleFile.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11's TOMLDecodeError puts the line and column in its text
        raise ReaderError(source, "file", str(exc)) from exc
    except ValidationError as exc:
        raise ReaderError(source, *_first_problem(exc)) from exc
    _check_unique(parsed.rules, source)
    return RuleSet(tuple(parsed.rules), source)


def _first_problem(exc: ValidationError) -> tuple[str, str]:
    error = exc.errors()[0]
    where = list(error["loc"])
    if len(where) >= 2 and where[0] == "rules" and isinstance(where[1], int):
        position = f"rule {where[1] + 1}"
        fields = [str(part) for part in where[2:] if part not in _KINDS]
    else:
        position, fields = "file", [str(part) for part in where]
    field = ".".join(fields)
    return position, f"{field}: {error['msg']}" if field else error["msg"]


_KINDS = {"route_airport", "late_one_way", "payment_form"}


def _check_unique(rules: Sequence[Rule], source: str) -> None:
    seen: set[str] = set()
    for number, rule in enumerate(rules, start=1):
        if rule.name in seen:
            raise ReaderError(source, f"rule {number}", f"duplicate name {rule.name!r}")
        seen.add(rule.name)


def _hit(
    rule: _Rule, detail: str, legs: Sequence[Flight], *others: str | None
) -> RuleHit:
    evidence = [leg.entity_id for leg in legs] + [o for o in others if o]
    return RuleHit(rule.name, rule.weight, detail, rule.description, tuple(evidence))


def _returns_home(itinerary: list[Flight]) -> bool:
    """True when some later leg arrives where the journey began."""
    home = itinerary[0].origin
    return bool(home) and any(f.destination == home for f in itinerary[1:])


def _parse_time(value: str | None) -> datetime | None:
    """Naive ISO times, as the readers write them (messages give local time)."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        return None
