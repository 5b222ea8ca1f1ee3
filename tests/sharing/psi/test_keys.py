"""Key derivation: equal subjects give equal keys, different ones do not."""

from __future__ import annotations

from typing import Any

import pytest
from followthemoney import EntityProxy, model
from hypothesis import given
from hypothesis import strategies as st

from accord.errors import InvalidData
from accord.screening.names import NAME_PARTICLES, SUFFIX_PARTICLES
from accord.sharing.psi.keys import (
    KeyType,
    build_key_set,
    document_keys,
    key_type_of,
    name_keys,
)

ALL = frozenset(KeyType)
DOB = ["1982-04-19"]


def entity(schema: str, entity_id: str, **props: str | list[str]) -> EntityProxy:
    proxy = model.make_entity(schema)
    proxy.id = entity_id
    for prop, values in props.items():
        proxy.add(prop, values)
    return proxy


def test_document_key_normalises_number_and_issuing_state() -> None:
    assert document_keys(["GBR"], ["x 12-34<"]) == {"document:gb:X1234"}
    assert document_keys(["D"], ["C01X00T47"]) == {"document:de:C01X00T47"}
    assert document_keys(["gb"], ["123"]) == document_keys(["GB"], ["1 2 3"])


def test_document_without_issuing_state_gives_no_key() -> None:
    assert document_keys([], ["X1234"]) == set()


def test_passport_entity_keys_belong_to_its_holder() -> None:
    holder = entity("Person", "p1", name="Jane Doe")
    passport = entity("Passport", "d1", holder="p1", number="X1234", country="fr")
    keys = build_key_set([holder, passport], frozenset({KeyType.DOCUMENT}))
    assert keys.elements == ["document:fr:X1234"]
    assert keys.subjects["document:fr:X1234"] == {"p1"}
    assert keys.captions == {"p1": "Jane Doe"}


def test_person_document_uses_nationality_as_issuing_state() -> None:
    person = entity(
        "Person",
        "p1",
        name="Jane Doe",
        passportNumber="X1234",
        nationality=["fr", "de"],
    )
    keys = build_key_set([person], frozenset({KeyType.DOCUMENT}))
    assert keys.elements == ["document:de:X1234", "document:fr:X1234"]


def test_name_order_case_and_punctuation_do_not_matter() -> None:
    assert name_keys(["Jane Doe"], DOB, ALL) == name_keys(["DOE, Jane"], DOB, ALL)


def test_birth_date_is_part_of_the_key() -> None:
    assert not name_keys(["Jane Doe"], DOB, ALL) & name_keys(
        ["Jane Doe"], ["1982-04-20"], ALL
    )


def test_transliterations_meet_only_in_the_skeleton() -> None:
    arabic = name_keys(["محمد عبد الله"], DOB, ALL)
    latin = name_keys(["Mohammed Abdullah"], DOB, ALL)
    common = arabic & latin
    assert common
    assert {key_type_of(key) for key in common} == {KeyType.SKELETON_DOB}


def test_single_token_names_and_missing_dates_give_no_name_keys() -> None:
    assert name_keys(["Mohammed"], DOB, ALL) == set()
    assert name_keys(["Jane Doe"], [], ALL) == set()


def test_only_requested_key_types_are_built() -> None:
    person = entity(
        "Person",
        "p1",
        name="Jane Doe",
        birthDate="1982-04-19",
        passportNumber="X1234",
        nationality="fr",
    )
    keys = build_key_set([person], frozenset({KeyType.NAME_DOB}))
    assert keys.elements == ["name_dob:doe jane:1982-04-19"]


def test_unknown_or_empty_key_types_are_refused() -> None:
    with pytest.raises(InvalidData, match="unknown PSI key type"):
        KeyType.parse_many(["surname"])
    with pytest.raises(InvalidData, match="at least one"):
        KeyType.parse_many([])


PARTICLES = NAME_PARTICLES | SUFFIX_PARTICLES
words = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8),
    min_size=2,
    max_size=4,
)


@given(words, st.randoms())
def test_token_order_never_loses_the_plain_key(tokens: list[str], rng: Any) -> None:
    """Glued particle forms depend on order (``abd al``); the plain one never."""
    shuffled = list(tokens)
    rng.shuffle(shuffled)
    plain = f"name_dob:{' '.join(sorted(tokens))}:1982-04-19"
    assert plain in name_keys([" ".join(tokens)], DOB, ALL)
    assert plain in name_keys([" ".join(shuffled).upper()], DOB, ALL)


@given(words.filter(lambda ws: not PARTICLES & set(ws)), st.randoms())
def test_without_particles_order_changes_no_key(tokens: list[str], rng: Any) -> None:
    shuffled = list(tokens)
    rng.shuffle(shuffled)
    forward = name_keys([" ".join(tokens)], DOB, ALL)
    assert forward == name_keys([" ".join(shuffled).upper()], DOB, ALL)
