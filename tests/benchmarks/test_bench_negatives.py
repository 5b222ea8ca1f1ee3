"""Hard negatives and the contradicting evidence attached to them."""

from __future__ import annotations

from followthemoney import EntityProxy

from benchmarks.screening.evidence import ALL_COUNTRY_PROPS, EvidenceBuilder
from benchmarks.screening.negatives import (
    ListedNames,
    Negative,
    NegativeBuilder,
    org_words,
    person_parts,
)
from benchmarks.screening.queries import values
from benchmarks.screening.text import fold_tokens


def by_id(entities: list[EntityProxy], entity_id: str) -> EntityProxy:
    return next(e for e in entities if e.id == entity_id)


def test_listed_names_are_fuzzy(listed: list[EntityProxy]) -> None:
    names = ListedNames(listed)
    assert names.is_listed("Bwambale, Frank Kakolele")  # reordered
    assert names.is_listed("Gaston Iyamuremie")  # one letter off
    assert names.is_listed("aigle blanc")  # an alias
    assert not names.is_listed("Frank Iyamuremye")


def test_person_parts(listed: list[EntityProxy]) -> None:
    assert person_parts(by_id(listed, "bt-p1")) == ("FRANK KAKOLELE", "BWAMBALE")
    assert person_parts(by_id(listed, "bt-p2")) == ("GASTON", "IYAMUREMYE")


def test_org_words_drop_generic_words(listed: list[EntityProxy]) -> None:
    assert org_words(by_id(listed, "bt-o1")) == ["rahat"]
    assert org_words(by_id(listed, "bt-o2")) == ["shabaab"]


def test_negatives_recombine_real_parts(listed: list[EntityProxy]) -> None:
    negatives = NegativeBuilder(listed, "seed").build(persons=8, orgs=3)
    names = ListedNames(listed)
    assert len(negatives) == 11
    assert len({n.name for n in negatives}) == 11
    for negative in negatives:
        assert not names.is_listed(negative.name)
        first, second = (by_id(listed, d) for d in negative.donors)
        assert first.id != second.id
        tokens = set(fold_tokens(negative.name))
        assert tokens & set(fold_tokens(first.caption))
        assert tokens & set(fold_tokens(second.caption))
    assert {n.schema for n in negatives} == {"Person", "Organization"}


def test_evidence_contradicts_the_colliders(listed: list[EntityProxy]) -> None:
    builder = EvidenceBuilder(listed, "seed")
    negative = Negative("Eric Bwambale", "Person", ("bt-p5", "bt-p1"))
    colliders = builder.colliders(negative)
    assert {e.id for e in colliders} == {"bt-p1", "bt-p5"}
    attached = builder.attach(negative)
    assert attached is not None
    birth, nationality = attached
    assert birth is not None
    assert len(birth) == 10
    assert abs(int(birth[:4]) - 1961) >= 2
    assert abs(int(birth[:4]) - 1971) >= 2
    taken = {c for e in colliders for c in values(e, ALL_COUNTRY_PROPS)}
    assert nationality is not None
    assert nationality not in taken


def test_org_evidence_is_a_country(listed: list[EntityProxy]) -> None:
    builder = EvidenceBuilder(listed, "seed")
    attached = builder.attach(
        Negative("Rahat Shabaab Group", "Organization", ("bt-o1", "bt-o2"))
    )
    assert attached is not None
    birth, country = attached
    assert birth is None
    assert country == "ye"  # the only org country neither donor holds
