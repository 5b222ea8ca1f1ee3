"""List entries flattened for matching: names, dates, countries, documents.

FtM keeps a listed person's passports as separate Passport entities that
point at their holder; screening needs them on the person, so entries are
built in two passes: documents first, then the people and organisations
that hold them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from followthemoney import EntityProxy

from accord.screening.evidence import clean_identifier
from accord.screening.names import GENERIC_TOKENS, NameForm, name_forms, token_keys

SCREENED_SCHEMATA = frozenset(
    {
        "Person",
        "Organization",
        "Company",
        "LegalEntity",
        "PublicBody",
        "Vessel",
        "Airplane",
    }
)
DOCUMENT_SCHEMATA = ("Passport", "Identification")
NAME_PROPS = {"name": 1.0, "alias": 1.0, "previousName": 0.95, "weakAlias": 0.9}
COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction")
ACRONYM_MIN_WORDS = 3
ACRONYM_FACTOR = 0.9
ID_PROPS = (
    "passportNumber",
    "idNumber",
    "registrationNumber",
    "taxNumber",
    "imoNumber",
)


@dataclass(frozen=True, slots=True)
class ListedName:
    """One name or alias of an entry, with its comparison forms.

    ``weak_factor`` discounts names the list itself calls low quality.
    """

    text: str
    prop: str
    forms: tuple[NameForm, ...]
    weak_factor: float
    keys: frozenset[str]


@dataclass(frozen=True, slots=True)
class Entry:
    entity_id: str
    schema: str
    caption: str
    datasets: tuple[str, ...]
    names: tuple[ListedName, ...]
    birth_dates: tuple[str, ...]
    countries: frozenset[str]
    genders: tuple[str, ...]
    identifiers: frozenset[str]


def build_entries(entities: Iterable[EntityProxy]) -> list[Entry]:
    """Entries for every screenable entity, documents folded into holders."""
    documents: dict[str, set[str]] = defaultdict(set)
    screened: dict[str, EntityProxy] = {}
    for entity in entities:
        if entity.schema.name in DOCUMENT_SCHEMATA:
            for holder in entity.get("holder"):
                for number in entity.get("number"):
                    documents[holder].add(clean_identifier(number))
        elif entity.schema.name in SCREENED_SCHEMATA and entity.id:
            # A list file may give one party in several fragments (UK ConList
            # rows of one group that are not adjacent): merge them by id.
            known = screened.get(entity.id)
            screened[entity.id] = entity if known is None else known.merge(entity)
    entries = [
        _entry(entity, documents.get(entity_id, set()))
        for entity_id, entity in screened.items()
    ]
    return [entry for entry in entries if entry.names]


def _entry(entity: EntityProxy, documents: set[str]) -> Entry:
    return Entry(
        entity_id=entity.id or "",
        schema=entity.schema.name,
        caption=entity.caption,
        datasets=tuple(sorted(getattr(entity, "datasets", ()) or ())),
        names=_names(entity),
        birth_dates=tuple(entity.get("birthDate", quiet=True)),
        countries=frozenset(_values(entity, COUNTRY_PROPS)),
        genders=tuple(entity.get("gender", quiet=True)),
        identifiers=frozenset(
            {clean_identifier(v) for v in _values(entity, ID_PROPS)} | documents
        )
        - {""},
    )


def _names(entity: EntityProxy) -> tuple[ListedName, ...]:
    names: list[ListedName] = []
    seen: set[str] = set()
    for prop, factor in NAME_PROPS.items():
        for text in entity.get(prop, quiet=True):
            if text in seen:
                continue
            seen.add(text)
            listed = _listed_name(text, prop, factor)
            if listed is not None:
                names.append(listed)
    if not entity.schema.is_a("Person"):
        names.extend(_acronyms(names, seen))
    return tuple(names)


def _listed_name(text: str, prop: str, factor: float) -> ListedName | None:
    forms = name_forms(text)
    if not forms:
        return None
    keys = frozenset(k for f in forms for t in f.tokens for k in token_keys(t))
    return ListedName(text, prop, forms, factor, keys)


def _acronyms(names: list[ListedName], seen: set[str]) -> list[ListedName]:
    """Organisations are known by their initials: IMU, TTP, LeT.

    The initials of a name's distinctive words (not legal forms, not "of" or
    "the") become an extra name, unless the list already gives it.
    """
    found: list[ListedName] = []
    for name in list(names):
        words = [t for t in name.forms[0].tokens if t not in GENERIC_TOKENS]
        if len(words) < ACRONYM_MIN_WORDS:
            continue
        acronym = "".join(word[0] for word in words)
        if acronym in seen:
            continue
        seen.add(acronym)
        listed = _listed_name(acronym, "acronym", ACRONYM_FACTOR)
        if listed is not None:
            found.append(listed)
    return found


def _values(entity: EntityProxy, props: Iterable[str]) -> list[str]:
    values: list[str] = []
    for prop in props:
        values.extend(entity.get(prop, quiet=True))
    return values
