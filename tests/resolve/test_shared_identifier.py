"""The shared-identifier detector on hand-built entities (no store, no I/O)."""

from __future__ import annotations

from typing import Any

from followthemoney import Dataset, Statement, StatementEntity, model

from accord.resolve.shared_identifier import (
    SharedIdentifierDetector,
    normalize_identifier,
)


def entity(dataset: str, entity_id: str, schema: str, **props: Any) -> StatementEntity:
    proxy = model.make_entity(schema)
    proxy.id = entity_id
    for prop, value in props.items():
        proxy.add(prop, value)
    view = Dataset.make({"name": "view", "title": "view"})
    return StatementEntity.from_statements(view, Statement.from_entity(proxy, dataset))


def test_normalize_identifier_ignores_spacing_and_case() -> None:
    assert normalize_identifier("f 654-645") == normalize_identifier("F654645")


def test_same_passport_in_two_datasets_is_found() -> None:
    left = entity("a", "a1", "Person", name="Jane Roe", passportNumber="X1234567")
    right = entity("b", "b1", "Person", name="Jane Roe", passportNumber="x 123 4567")
    [finding] = SharedIdentifierDetector().detect([left, right])
    assert finding.subjects == ("a1", "b1")
    assert finding.score == 0.95
    assert set(finding.explanation) == {"shared_identifier", "name_agreement"}
    total = sum(feature.value for feature in finding.explanation.values())
    assert round(total, 3) == finding.score


def test_same_dataset_is_not_a_cross_source_link() -> None:
    left = entity("a", "a1", "Person", name="Jane Roe", passportNumber="X1234567")
    right = entity("a", "a2", "Person", name="Jane Roe", passportNumber="X1234567")
    assert SharedIdentifierDetector().detect([left, right]) == []


def test_short_numbers_are_ignored() -> None:
    left = entity("a", "a1", "Person", name="Jane Roe", idNumber="1234")
    right = entity("b", "b1", "Person", name="Jane Roe", idNumber="1234")
    assert SharedIdentifierDetector().detect([left, right]) == []


def test_birth_year_conflict_lowers_the_score() -> None:
    left = entity(
        "a",
        "a1",
        "Person",
        name="Jane Roe",
        birthDate="1970",
        passportNumber="X1234567",
    )
    right = entity(
        "b", "b1", "Person", name="Ann Poe", birthDate="1990", passportNumber="X1234567"
    )
    [finding] = SharedIdentifierDetector().detect([left, right])
    assert finding.score == 0.5
    assert finding.explanation["birth_date_conflict"].value == -0.4
    assert finding.explanation["name_agreement"].value == 0.0


def test_passport_document_links_its_holder() -> None:
    holder = entity("un", "un-1", "Person", name="Listed Person")
    passport = entity("un", "un-1-pp", "Passport", holder="un-1", number="P7654321")
    customer = entity(
        "bank", "c1", "Person", name="Listed Person", passportNumber="P7654321"
    )
    [finding] = SharedIdentifierDetector().detect([holder, passport, customer])
    assert finding.subjects == ("c1", "un-1")
