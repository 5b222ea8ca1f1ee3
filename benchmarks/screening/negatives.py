"""Hard negatives: names nobody listed, built from the list's own name parts.

A random name ("Jane Smith") is an easy negative; screening fails on names
that share real parts with listed names. So:

* **Persons**: the given name of one listed person (``firstName``, else the
  first token of the primary name) plus the family name of another
  (``lastName``, else the last token), e.g. "Frank Iyamuremye".
* **Organisations**: a distinctive word from one listed organisation's name,
  one from another's, and a generic type ("Trading Company", "Brigade"),
  e.g. "Rahat Houthis Foundation".

A draft is rejected if it is (fuzzily) a listed name: equal token sets, or
rapidfuzz ``token_sort_ratio`` >= 90 against any name or alias of the list
(ASCII-folded, lower case). Duplicates are rejected too.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from followthemoney import EntityProxy
from rapidfuzz import fuzz, process

from benchmarks.screening.queries import NAME_PROPS, primary_name, query_schema, values
from benchmarks.screening.text import bag_key, content_tokens, fold_key, is_latin

LISTED_RATIO = 90.0
MAX_TRIES_PER_NAME = 50
GENERIC_TYPES = (
    "Company",
    "Trading Company",
    "Group",
    "Foundation",
    "Organization",
    "Brigade",
    "Front",
    "Network",
    "Ltd",
    "Corporation",
    "Exchange",
    "Charitable Society",
    "Battalion",
    "Movement",
)
# Words that say what kind of organisation it is, not which one.
GENERIC_WORDS = frozenset(
    word.lower()
    for phrase in GENERIC_TYPES
    for word in phrase.split()
) | frozenset(
    {
        "the", "and", "for", "ltd", "limited", "llc", "inc", "corp", "co",
        "bank", "international", "trading", "establishment", "army",
        "islamic", "organisation", "society", "committee", "institute",
        "industries", "industrial", "enterprise", "enterprises", "services",
        "shipping", "import", "export", "general", "state", "national",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Negative:
    """A non-listed name and the listed entities its parts came from."""

    name: str
    schema: str
    donors: tuple[str, str]


DraftFunction = Callable[[], Negative | None]


class ListedNames:
    """Every name of a list, for the "is this draft a listed name?" test."""

    def __init__(self, entities: Sequence[EntityProxy]) -> None:
        names = [name for entity in entities for name in values(entity, NAME_PROPS)]
        self.bags = {bag_key(name) for name in names}
        self.keys = sorted({fold_key(name) for name in names} - {""})

    def is_listed(self, name: str) -> bool:
        """Equal tokens in any order, or token_sort_ratio >= 90."""
        if bag_key(name) in self.bags:
            return True
        found = process.extractOne(
            fold_key(name),
            self.keys,
            scorer=fuzz.token_sort_ratio,
            score_cutoff=LISTED_RATIO,
        )
        return found is not None


def _title(text: str) -> str:
    """Title case, as a caller would type a name into a screening form."""
    return " ".join(word.capitalize() for word in text.split())


def person_parts(entity: EntityProxy) -> tuple[str, str] | None:
    """(given name, family name) of a listed person with a two-part name."""
    primary = primary_name(entity)
    if primary is None or len(primary.split()) < 2:
        return None
    tokens = primary.split()
    given = next((v for v in entity.get("firstName") if is_latin(v)), tokens[0])
    family = next((v for v in entity.get("lastName") if is_latin(v)), tokens[-1])
    if fold_key(given) == fold_key(family):
        return None
    return given, family


def org_words(entity: EntityProxy) -> list[str]:
    """The distinctive words of an organisation's primary name."""
    primary = primary_name(entity)
    if primary is None:
        return []
    return [tok for tok in content_tokens(primary) if tok not in GENERIC_WORDS]


class NegativeBuilder:
    """Draws hard negatives from one list with one seeded generator."""

    def __init__(self, entities: Sequence[EntityProxy], seed: str) -> None:
        self.listed = ListedNames(entities)
        self.rng = random.Random(seed)
        self.seen: set[str] = set()
        self.persons: list[tuple[str, tuple[str, str]]] = []
        self.orgs: list[tuple[str, list[str]]] = []
        for entity in entities:
            self._add_donor(entity)

    def _add_donor(self, entity: EntityProxy) -> None:
        schema = query_schema(entity)
        if entity.id is None or schema is None:
            return
        if schema == "Person":
            parts = person_parts(entity)
            if parts is not None:
                self.persons.append((entity.id, parts))
        else:
            words = org_words(entity)
            if words:
                self.orgs.append((entity.id, words))

    def build(self, persons: int, orgs: int) -> list[Negative]:
        """Up to ``persons`` + ``orgs`` negatives (fewer if the list runs dry)."""
        found = self._draw(persons, self._person_draft)
        found += self._draw(orgs, self._org_draft)
        return found

    def _draw(self, wanted: int, draft: DraftFunction) -> list[Negative]:
        found: list[Negative] = []
        for _ in range(wanted * MAX_TRIES_PER_NAME):
            if len(found) >= wanted:
                break
            negative = draft()
            if negative is not None and self._accept(negative.name):
                found.append(negative)
        return found

    def _accept(self, name: str) -> bool:
        key = bag_key(name)
        if key in self.seen or self.listed.is_listed(name):
            return False
        self.seen.add(key)
        return True

    def _person_draft(self) -> Negative | None:
        if len(self.persons) < 2:
            return None
        (a_id, (given, _)), (b_id, (_, family)) = self.rng.sample(self.persons, 2)
        return Negative(_title(f"{given} {family}"), "Person", (a_id, b_id))

    def _org_draft(self) -> Negative | None:
        if len(self.orgs) < 2:
            return None
        (a_id, a_words), (b_id, b_words) = self.rng.sample(self.orgs, 2)
        first, second = self.rng.choice(a_words), self.rng.choice(b_words)
        if first == second:
            return None
        kind = self.rng.choice(GENERIC_TYPES)
        name = f"{_title(first)} {_title(second)} {kind}"
        return Negative(name, "Organization", (a_id, b_id))
