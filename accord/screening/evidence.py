"""Secondary evidence: birth dates, countries, gender and identifiers.

Each check returns a feature (a score adjustment with its reason) or None
when either side lacks the data: missing evidence neither helps nor hurts.
The sizes follow logic-v2's qualifiers in spirit, but a birth-year
conflict weighs more here, because many listed people share a name and
the year is what tells them apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from followthemoney import registry

from accord.model.finding import Feature

DOB_DAY_MATCH = 0.08
DOB_YEAR_MATCH = 0.04
DOB_MISMATCH = -0.30
COUNTRY_MATCH = 0.04
COUNTRY_MISMATCH = -0.15
GENDER_MISMATCH = -0.20
IDENTIFIER_MATCH = 0.30

_ID_CLEAN = re.compile(r"[^0-9A-Z]")


def clean_identifier(value: str) -> str:
    return _ID_CLEAN.sub("", value.upper())


def clean_country(value: str | None) -> str | None:
    if not value:
        return None
    return registry.country.clean(value)


def birth_date_feature(query: str | None, listed: Iterable[str]) -> Feature | None:
    """Same day, same year, a near year (±1: listings are often approximate),
    or a conflict."""
    dates = [d for d in listed if len(d) >= 4]
    if not query or not dates:
        return None
    if any(d.startswith(query) or query.startswith(d) for d in dates):
        if len(query) >= 10 and any(len(d) >= 10 for d in dates):
            return Feature(DOB_DAY_MATCH, f"birth date {query} matches the listing")
        return Feature(DOB_YEAR_MATCH, f"birth year {query[:4]} matches the listing")
    year = int(query[:4])
    if any(abs(int(d[:4]) - year) <= 1 for d in dates if d[:4].isdigit()):
        return Feature(0.0, f"birth date {query} is within a year of the listing")
    listed_text = ", ".join(sorted(set(dates))[:4])
    return Feature(
        DOB_MISMATCH, f"birth date {query} conflicts with listed {listed_text}"
    )


def country_feature(query: str | None, listed: Iterable[str]) -> Feature | None:
    countries = set(listed)
    if not query or not countries:
        return None
    if query in countries:
        return Feature(COUNTRY_MATCH, f"country {query} matches the listing")
    listed_text = ", ".join(sorted(countries)[:5])
    return Feature(COUNTRY_MISMATCH, f"country {query} not among listed {listed_text}")


def gender_feature(query: str | None, listed: Iterable[str]) -> Feature | None:
    genders = {g.lower() for g in listed}
    if not query or not genders or query.lower() in genders:
        return None
    return Feature(
        GENDER_MISMATCH, f"gender {query} differs from listed {'/'.join(genders)}"
    )


def identifier_feature(query: Iterable[str], listed: Iterable[str]) -> Feature | None:
    wanted = {clean_identifier(v) for v in query} - {""}
    shared = wanted & set(listed)
    if not shared:
        return None
    return Feature(IDENTIFIER_MATCH, f"document number {min(shared)} is listed")
