"""Secondary evidence that contradicts the listed names a negative collides with.

The question the evidence slices answer: when a caller supplies a birth date
or nationality, does a name collision still raise an alert? That only tests
something if the evidence disagrees with the entities the name collides
with. The **colliders** of a negative are its two donor entities plus every
listed entity with at least ``min(2, tokens)`` of its content tokens. Then:

* birth date (persons): a full date whose year is at least two years away
  from every birth year of every collider (1940-2000);
* nationality (persons) or country (organisations): a two-letter country
  code the list uses for that kind of entity, held by no collider in any
  country property.

A negative whose colliders leave no such value gets no evidence of that kind;
one with neither is left out of the evidence slice.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence

from followthemoney import EntityProxy

from benchmarks.screening.negatives import Negative
from benchmarks.screening.queries import (
    BIRTH_PROPS,
    NAME_PROPS,
    ORG_COUNTRY_PROPS,
    PERSON_COUNTRY_PROPS,
    country_props,
    query_schema,
    values,
)
from benchmarks.screening.text import content_tokens

ALL_COUNTRY_PROPS = (*PERSON_COUNTRY_PROPS, *ORG_COUNTRY_PROPS, "birthCountry")
BIRTH_YEARS = range(1940, 2001)
MIN_YEAR_GAP = 2


class EvidenceBuilder:
    """Picks contradicting birth dates and countries with a seeded generator."""

    def __init__(self, entities: Sequence[EntityProxy], seed: str) -> None:
        self.rng = random.Random(seed)
        self.by_id = {entity.id: entity for entity in entities if entity.id}
        self.owners: dict[str, set[str]] = defaultdict(set)
        self.countries: dict[str, list[str]] = {}
        pools: dict[str, set[str]] = defaultdict(set)
        for entity in entities:
            schema = query_schema(entity)
            if entity.id is None or schema is None:
                continue
            for name in values(entity, NAME_PROPS):
                for token in content_tokens(name):
                    self.owners[token].add(entity.id)
            countries = values(entity, country_props(schema))
            # Only current ISO codes: "suhh" (USSR) is listed but not what a
            # caller would type.
            pools[schema].update(c for c in countries if len(c) == 2)
        self.countries = {schema: sorted(pool) for schema, pool in pools.items()}

    def colliders(self, negative: Negative) -> list[EntityProxy]:
        """The donors and every entity sharing enough of the negative's tokens."""
        tokens = set(content_tokens(negative.name))
        need = min(2, len(tokens))
        shared: Counter[str] = Counter()
        for token in tokens:
            shared.update(self.owners.get(token, ()))
        ids = {eid for eid, count in shared.items() if count >= need}
        ids.update(negative.donors)
        return [self.by_id[eid] for eid in sorted(ids) if eid in self.by_id]

    def attach(self, negative: Negative) -> tuple[str | None, str | None] | None:
        """(birth date, nationality) contradicting the colliders, or None."""
        colliders = self.colliders(negative)
        birth = self._birth_date(colliders) if negative.schema == "Person" else None
        country = self._country(colliders, negative.schema)
        if birth is None and country is None:
            return None
        return birth, country

    def _birth_date(self, colliders: list[EntityProxy]) -> str | None:
        years = {
            int(value[:4])
            for entity in colliders
            for value in values(entity, BIRTH_PROPS)
            if value[:4].isdigit()
        }
        options = [
            year
            for year in BIRTH_YEARS
            if all(abs(year - taken) >= MIN_YEAR_GAP for taken in years)
        ]
        if not options:
            return None
        year = self.rng.choice(options)
        return f"{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"

    def _country(self, colliders: list[EntityProxy], schema: str) -> str | None:
        taken = {c for entity in colliders for c in values(entity, ALL_COUNTRY_PROPS)}
        options = [c for c in self.countries.get(schema, []) if c not in taken]
        return self.rng.choice(options) if options else None
