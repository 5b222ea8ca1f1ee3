"""Match keys: the exact strings two agencies compare without showing them.

PSI finds only *equal* elements, so everything fuzzy must happen before the
protocol, in how keys are made. Both sides derive keys from their FtM
entities the same way, so a subject is in common when any one of its keys is:

* ``document``: issuing state + document number. The state is an FtM
  country (ICAO, alpha-3 and alpha-2 codes all map to it) and the number is
  upper case, letters and digits only, so ``"X 12-34<"`` is ``X1234``. A
  Person's own ``passportNumber``/``idNumber`` has no issuing state in FtM, so
  its nationality stands in for it; ``Passport``/``Identification`` entities
  give their ``country`` and point at their ``holder``.
* ``name_dob``: a romanised name form (screening's ``name_forms``: ICU
  romanisation, particles glued and apart) with its tokens sorted, so name
  order does not matter, plus the birth date exactly as given.
* ``skeleton_dob``: the same with every token reduced to screening's
  consonant skeleton, which makes ``Mohammed``/``Muhammad``/``محمد`` agree.
  Looser, so a consent lists it explicitly.

Name keys need at least two name tokens: one given name and a birth date
would put unrelated people in common. Elements carry their type as a prefix
(``document:gb:X1234``), so keys of different types never collide and a hit
says which kind of key matched. ``KEY_VERSION`` changes whenever any of this
changes; both sides must use the same one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from followthemoney import EntityProxy

from accord.errors import InvalidData
from accord.screening.names import name_forms, skeleton
from accord.travel.checks import normalize_number
from accord.travel.codes import country_code

KEY_VERSION = "psi-keys-1"
NAME_PROPS = ("name", "alias", "previousName")
DOCUMENT_PROPS = ("passportNumber", "idNumber")
STATE_PROPS = ("nationality", "citizenship")
MIN_NAME_TOKENS = 2


class KeyType(StrEnum):
    """The kinds of key a consent may allow."""

    DOCUMENT = "document"
    NAME_DOB = "name_dob"
    SKELETON_DOB = "skeleton_dob"

    @classmethod
    def parse_many(cls, values: Iterable[str]) -> frozenset[KeyType]:
        """Key types from text, refusing unknown ones and empty lists."""
        parsed: set[KeyType] = set()
        for value in values:
            try:
                parsed.add(cls(str(value).strip().lower()))
            except ValueError:
                choices = ", ".join(k.value for k in cls)
                raise InvalidData(
                    f"unknown PSI key type {value!r}; use one of {choices}",
                    {"key_types": f"unknown: {value}"},
                ) from None
        if not parsed:
            raise InvalidData("name at least one PSI key type", {"key_types": "empty"})
        return frozenset(parsed)


def key_type_of(element: str) -> KeyType:
    """The type of an element, read from its prefix."""
    return KeyType(element.split(":", 1)[0])


@dataclass
class KeySet:
    """A side's PSI elements and, for the client, which subjects they stand for.

    ``elements`` is sorted and unique, so a position in it is stable and the
    protocol's intersection indices map straight back to keys.
    """

    elements: list[str]
    subjects: dict[str, frozenset[str]]
    captions: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.elements)


def build_key_set(entities: Iterable[EntityProxy], types: frozenset[KeyType]) -> KeySet:
    """Every key of ``types`` for the subjects among ``entities``.

    Subjects are people (and other legal entities with names); a document
    entity's keys belong to its holder, or to the document itself when it
    names none.
    """
    if not types:
        raise InvalidData("name at least one PSI key type", {"key_types": "empty"})
    by_key: dict[str, set[str]] = defaultdict(set)
    captions: dict[str, str] = {}
    for entity in entities:
        if not entity.id:
            continue
        for subject, key in _entity_keys(entity, types):
            by_key[key].add(subject)
        if entity.schema.is_a("LegalEntity"):
            captions[entity.id] = entity.caption
    subjects = {key: frozenset(ids) for key, ids in by_key.items()}
    return KeySet(sorted(subjects), subjects, captions)


def _entity_keys(
    entity: EntityProxy, types: frozenset[KeyType]
) -> Iterable[tuple[str, str]]:
    entity_id = str(entity.id)
    if entity.schema.is_a("Identification"):
        if KeyType.DOCUMENT in types:
            holders = entity.get("holder") or [entity_id]
            for key in document_keys(entity.get("country"), entity.get("number")):
                yield from ((holder, key) for holder in holders)
        return
    if not entity.schema.is_a("LegalEntity"):
        return
    if KeyType.DOCUMENT in types:
        states = _values(entity, STATE_PROPS)
        for key in document_keys(states, _values(entity, DOCUMENT_PROPS)):
            yield entity_id, key
    dates = entity.get("birthDate", quiet=True)
    names = _values(entity, NAME_PROPS)
    for key in name_keys(names, dates, types):
        yield entity_id, key


def document_keys(states: Iterable[str], numbers: Iterable[str]) -> set[str]:
    """``document:<country>:<NUMBER>`` for each state and number given."""
    countries = {country_code(state) or _fallback_state(state) for state in states}
    cleaned = {normalize_number(number) for number in numbers}
    return {
        f"{KeyType.DOCUMENT}:{country}:{number}"
        for country in countries
        if country
        for number in cleaned
        if number
    }


def _fallback_state(state: str) -> str:
    """FtM already stores countries as codes; keep any other code as written."""
    return state.strip().lower()


def name_keys(
    names: Iterable[str], dates: Iterable[str], types: frozenset[KeyType]
) -> set[str]:
    """Name + birth date keys for every form of every name and every date."""
    wanted = [t for t in (KeyType.NAME_DOB, KeyType.SKELETON_DOB) if t in types]
    births = {date.strip() for date in dates if date.strip()}
    if not wanted or not births:
        return set()
    keys: set[str] = set()
    for name in names:
        for form in name_forms(name):
            if len(form.tokens) < MIN_NAME_TOKENS:
                continue
            for key_type in wanted:
                text = _name_text(form.tokens, key_type)
                keys.update(f"{key_type}:{text}:{birth}" for birth in births)
    return keys


def _name_text(tokens: tuple[str, ...], key_type: KeyType) -> str:
    if key_type is KeyType.SKELETON_DOB:
        tokens = tuple(skeleton(token) or token for token in tokens)
    return " ".join(sorted(tokens))


def _values(entity: EntityProxy, props: Iterable[str]) -> list[str]:
    values: list[str] = []
    for prop in props:
        values.extend(entity.get(prop, quiet=True))
    return values
