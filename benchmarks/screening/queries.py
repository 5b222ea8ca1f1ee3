"""What one benchmark query is, and how entities yield names and evidence."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from followthemoney import EntityProxy

from benchmarks.screening.text import LATIN, is_latin

# Name-typed properties a listed entity can carry (FtM 4).
ALIAS_PROPS = ("alias", "weakAlias", "previousName", "abbreviation")
NAME_PROPS = ("name", *ALIAS_PROPS)
BIRTH_PROPS = ("birthDate",)
PERSON_COUNTRY_PROPS = ("nationality", "citizenship")
ORG_COUNTRY_PROPS = ("country", "jurisdiction", "mainCountry")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class EvalQuery:
    """One screening request of the benchmark, with its right answer.

    ``qid`` is unique per query: nomenklatura caches name analysis by entity
    id, so two queries under one id would silently share an analysis.
    ``expected`` is the listed entity id, or None for a non-listed name.
    ``group`` subdivides a slice for reporting (``overlap``/``disjoint``
    different names, the script of a cross-script name).
    """

    qid: str
    name: str
    schema: str
    expected: str | None
    birth_date: str | None = None
    nationality: str | None = None
    script: str = LATIN
    group: str = ""


def query_schema(entity: EntityProxy) -> str | None:
    """The ``ScreeningQuery`` schema a query for this entity would use.

    Vessels and aircraft are indexed but not queried: screening requests
    are about people and organisations.
    """
    schema = entity.schema
    if schema.is_a("Person"):
        return "Person"
    if schema.is_a("Organization"):
        return "Organization"
    if schema.name == "LegalEntity":
        return "LegalEntity"
    return None


def values(entity: EntityProxy, props: Sequence[str]) -> list[str]:
    """Values of the props the entity's schema has, in reader order."""
    found: list[str] = []
    for prop in props:
        if prop in entity.schema.properties:
            found.extend(entity.get(prop))
    return found


def primary_name(entity: EntityProxy) -> str | None:
    """The first Latin ``name`` in reader order: the listed spelling.

    The UN reader adds the FIRST..FOURTH_NAME form before the original
    script form, so this is the name the UN prints first.
    """
    for name in entity.get("name"):
        if is_latin(name):
            return name
    return None


def country_props(schema: str) -> tuple[str, ...]:
    return PERSON_COUNTRY_PROPS if schema == "Person" else ORG_COUNTRY_PROPS


def evidence(entity: EntityProxy, schema: str) -> tuple[str | None, str | None]:
    """The entity's first birth date and nationality (or country, for an
    organisation): the secondary evidence a caller would supply."""
    births = values(entity, BIRTH_PROPS) if schema == "Person" else []
    countries = values(entity, country_props(schema))
    return (births[0] if births else None, countries[0] if countries else None)


def sample(items: Sequence[T], limit: int, seed: str) -> list[T]:
    """At most ``limit`` items, chosen with a fixed seed, in input order.

    Seeding with a string (the list, the slice and the run seed) keeps each
    slice's draw independent of the others and stable across Python runs.
    """
    if len(items) <= limit:
        return list(items)
    rng = random.Random(seed)
    chosen = sorted(rng.sample(range(len(items)), limit))
    return [items[i] for i in chosen]
