"""The watchlist detector: subjects against list entries, both from the store."""

from __future__ import annotations

from followthemoney import Dataset, Statement, StatementEntity, model

from accord.readers.un_sc import UnScReader
from accord.screening.detector import WatchlistMatchDetector
from tests.conftest import FIXTURES


def _as_stored(proxy: object, dataset: str) -> StatementEntity:
    view = Dataset.make({"name": "view", "title": "view"})
    return StatementEntity.from_statements(view, Statement.from_entity(proxy, dataset))  # type: ignore[arg-type]


def _customer(entity_id: str, name: str, **props: str) -> StatementEntity:
    proxy = model.make_entity("Person")
    proxy.id = entity_id
    proxy.add("name", name)
    for prop, value in props.items():
        proxy.add(prop, value)
    return _as_stored(proxy, "customers")


def _listed() -> list[StatementEntity]:
    return [
        _as_stored(e, "un") for e in UnScReader(FIXTURES / "un_sc_excerpt.xml").read()
    ]


def test_customer_on_the_list_is_found_with_its_evidence() -> None:
    customer = _customer("c1", "Aqsa Mahmud", birthDate="1994-05-11")
    [finding] = WatchlistMatchDetector().detect([*_listed(), customer])
    assert finding.subjects == ("c1", "unsc-6908473")
    assert finding.explanation["birth_date"].value > 0
    assert finding.score >= 0.8


def test_customer_with_conflicting_birth_date_is_not_a_finding() -> None:
    customer = _customer("c1", "Aqsa Mahmood", birthDate="1950")
    assert WatchlistMatchDetector().detect([*_listed(), customer]) == []


def test_list_entries_are_not_screened_against_each_other() -> None:
    assert WatchlistMatchDetector().detect(_listed()) == []
