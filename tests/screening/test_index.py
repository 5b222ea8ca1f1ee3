"""The matcher on a real excerpt of the UN list: ranking, thresholds, evidence."""

from __future__ import annotations

from pathlib import Path

import pytest
from followthemoney import model

from accord.errors import InvalidData
from accord.readers.un_sc import UnScReader
from accord.screening.index import ScreeningIndex
from accord.screening.model import ScreeningQuery
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def index() -> ScreeningIndex:
    return ScreeningIndex.build(UnScReader(FIXTURES / "un_sc_excerpt.xml").read())


def top(index: ScreeningIndex, name: str, **evidence: str) -> tuple[str, float, bool]:
    [best, *_] = index.search(ScreeningQuery(name, "Person", **evidence), 5)  # type: ignore[arg-type]
    return best.entity_id, best.score, best.match


def test_spelling_variant_finds_the_listing(index: ScreeningIndex) -> None:
    entity, score, match = top(index, "Ibrahim Hasan Tali al-Asiri")
    assert entity == "unsc-2962519"
    assert match and score >= index.threshold


def test_reordered_name_still_matches(index: ScreeningIndex) -> None:
    entity, _, match = top(index, "Mahmood Aqsa")
    assert entity == "unsc-6908473"
    assert match


def test_original_script_query_finds_the_latin_listing(index: ScreeningIndex) -> None:
    # A query written in Arabic script, against a listing that has an Arabic name.
    results = index.search(ScreeningQuery("إبراهيم حسن طالع العسيري", "Person"), 3)
    assert results[0].entity_id == "unsc-2962519"


def test_common_given_name_alone_is_not_a_match(index: ScreeningIndex) -> None:
    results = index.search(ScreeningQuery("Ibrahim Johnson", "Person"), 5)
    assert not any(result.match for result in results)


def test_generic_org_words_alone_are_not_a_match(index: ScreeningIndex) -> None:
    results = index.search(
        ScreeningQuery("International Trading Company Ltd", "Organization"), 5
    )
    assert not any(result.match for result in results)


def test_birth_year_conflict_removes_the_match(index: ScreeningIndex) -> None:
    _, plain, _ = top(index, "Aqsa Mahmood")
    entity, conflicted, match = top(index, "Aqsa Mahmood", birth_date="1950")
    assert entity == "unsc-6908473"
    assert conflicted == pytest.approx(plain - 0.30, abs=0.01)
    assert not match


def test_matching_birth_date_raises_the_score(index: ScreeningIndex) -> None:
    _, plain, _ = top(index, "Aqsa Mahmud")
    _, dated, _ = top(index, "Aqsa Mahmud", birth_date="1994-05-11")
    assert dated > plain


def test_passport_number_is_evidence(index: ScreeningIndex) -> None:
    results = index.search(
        ScreeningQuery("A Mahmood", "Person", id_numbers=("720 134 834",)), 3
    )
    assert results[0].entity_id == "unsc-6908473"
    assert "identifier" in results[0].explanation


def test_explanation_adds_up_to_the_score(index: ScreeningIndex) -> None:
    [result, *_] = index.search(
        ScreeningQuery("Aqsa Mahmood", "Person", birth_date="1994"), 1
    )
    total = sum(feature.value for feature in result.explanation.values())
    assert result.score == pytest.approx(min(max(total, 0.0), 1.0), abs=1e-3)
    assert set(result.explanation) == {"name_match", "birth_date"}


def test_person_query_does_not_return_organisations(index: ScreeningIndex) -> None:
    for result in index.search(ScreeningQuery("Al Qaida", "Person"), 10):
        assert result.entity_id in {
            e.entity_id for e in index.entries if e.schema == "Person"
        }


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_name_is_an_error(name: str) -> None:
    with pytest.raises(InvalidData, match="empty"):
        ScreeningQuery(name)


def test_unknown_schema_is_an_error() -> None:
    with pytest.raises(InvalidData, match="schema"):
        ScreeningQuery("x", "Vessel")


def test_index_holds_every_name_and_alias(index: ScreeningIndex) -> None:
    names = sum(len(entry.names) for entry in index.entries)
    assert len(index.entries) == 26
    assert names > 26 * 2
    assert all(entry.names for entry in index.entries)


def test_score_is_always_within_unit_interval(
    index: ScreeningIndex, tmp_path: Path
) -> None:
    for name in ("a", "al al al", "Mohammed Mohammed Mohammed", "Qaida"):
        for result in index.search(ScreeningQuery(name), 10):
            assert 0.0 <= result.score <= 1.0


def test_organisation_found_by_its_initials() -> None:
    org = model.make_entity("Organization")
    org.id = "org-1"
    org.add("name", "Northern Coastal Liberation Front")
    org.add("topics", "sanction")
    index = ScreeningIndex.build([org])
    [result] = index.search(ScreeningQuery("NCLF", "Organization"), 3)
    assert result.entity_id == "org-1"
    assert result.matched_name == "nclf"
    assert not index.search(ScreeningQuery("NCLF", "Person"), 3)
