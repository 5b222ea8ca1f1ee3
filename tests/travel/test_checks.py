"""Lost/stolen document index: O(1) lookups, normalisation, reporters."""

from __future__ import annotations

import pytest
from followthemoney import EntityProxy, StatementEntity, model
from followthemoney.dataset import Dataset

from accord.errors import InvalidData
from accord.travel.checks import (
    DocumentHit,
    DocumentIndex,
    DocumentStatus,
    normalize_number,
)


def document(
    number: str, country: str | None = "de", schema: str = "Passport", **props: str
) -> EntityProxy:
    entity = model.make_entity(schema)
    entity.id = f"doc-{number}-{country}"
    entity.add("number", number)
    entity.add("country", country)
    for name, value in props.items():
        entity.add(name, value)
    return entity


def test_hit_carries_status_state_and_dataset() -> None:
    index = DocumentIndex.from_entities(
        [document("C01X00T47", summary="Reported stolen at Frankfurt")],
        dataset="de_bka_sltd",
    )
    hit = index.check("C01X00T47", "DEU")
    assert hit == DocumentHit(
        number="C01X00T47",
        country="de",
        status=DocumentStatus.STOLEN,
        dataset="de_bka_sltd",
        entity_id="doc-C01X00T47-de",
        schema="Passport",
    )


@pytest.mark.parametrize("country", ["D", "DEU", "de", "DE", " deu "])
def test_any_country_code_finds_it(country: str) -> None:
    index = DocumentIndex.from_entities([document("C01X00T47")], dataset="x")
    assert index.check("c01x00t47", country) is not None


@pytest.mark.parametrize(
    "number", ["C01X00T47", "c01x-00t47", " C01 X00 T47<", "C01.X00.T47"]
)
def test_number_is_normalised(number: str) -> None:
    index = DocumentIndex.from_entities([document("C01 X00-T47")], dataset="x")
    assert index.check(number, "DEU") is not None
    assert normalize_number(number) == "C01X00T47"


def test_other_country_or_number_is_no_hit() -> None:
    index = DocumentIndex.from_entities([document("C01X00T47")], dataset="x")
    assert index.check("C01X00T47", "FRA") is None
    assert index.check("C01X00T48", "DEU") is None
    assert index.check("", "DEU") is None
    assert index.check("<<<", "DEU") is None


def test_status_words_and_explicit_status() -> None:
    entities = [
        document("A1", summary="stolen blank booklet"),
        document("A2", type="Passport (lost)"),
        document("A3", description="revoked by issuer"),
        document("A4"),
    ]
    index = DocumentIndex.from_entities(entities, dataset="x")
    statuses = [index.check(n, "de") for n in ("A1", "A2", "A3", "A4")]
    assert [hit.status for hit in statuses if hit] == [
        DocumentStatus.STOLEN_BLANK,
        DocumentStatus.LOST,
        DocumentStatus.REVOKED,
        DocumentStatus.LISTED,
    ]
    forced = DocumentIndex.from_entities(entities, dataset="x", status="invalid")
    assert {h.status for n in ("A1", "A4") if (h := forced.check(n, "de"))} == {
        DocumentStatus.INVALID
    }


def test_every_reporting_dataset_is_kept() -> None:
    index = DocumentIndex()
    index.add(document("X9"), dataset="agency_a")
    index.add(document("X9", summary="lost"), dataset="agency_b")
    assert [hit.dataset for hit in index.hits("X9", "DEU")] == ["agency_a", "agency_b"]
    assert index.check("X9", "DEU") is not None
    assert len(index) == 2


def test_listing_without_country_matches_the_number_alone() -> None:
    index = DocumentIndex.from_entities([document("Z77", country=None)], dataset="x")
    hit = index.check("Z77", "GBR")
    assert hit is not None and hit.country is None


def test_identifications_count_and_other_schemata_do_not() -> None:
    person = model.make_entity("Person")
    person.id = "p1"
    person.add("name", "Someone")
    index = DocumentIndex()
    assert index.add(person, dataset="x") == 0
    assert index.add(document("ID5", schema="Identification"), dataset="x") == 1


def test_dataset_defaults_to_the_statement_entity_datasets() -> None:
    entity = StatementEntity(
        Dataset.make({"name": "uk_hmpo", "title": "HMPO"}),
        {
            "id": "doc-1",
            "schema": "Passport",
            "properties": {"number": ["533219870"], "country": ["gb"]},
        },
    )
    hit = DocumentIndex.from_entities([entity]).check("533219870", "GBR")
    assert hit is not None and hit.dataset == "uk_hmpo"


def test_plain_entities_need_a_dataset() -> None:
    with pytest.raises(InvalidData):
        DocumentIndex.from_entities([document("A1")])
