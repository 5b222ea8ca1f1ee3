"""Eval-set builders on the hand-made list of ``conftest.py``."""

from __future__ import annotations

from followthemoney import EntityProxy

from benchmarks.screening.evalset import (
    CROSS,
    DIFFERENT_NAMES,
    NEGATIVES,
    NEGATIVES_EVIDENCE,
    VARIANTS,
    VARIANTS_EVIDENCE,
    VARIANTS_ORG,
    EvalConfig,
    build_eval_set,
)
from benchmarks.screening.positives import (
    CROSS_SCRIPT,
    DIFFERENT,
    DISJOINT,
    OVERLAP,
    VARIANT,
    collect_aliases,
    hold_out,
)
from benchmarks.screening.queries import NAME_PROPS, sample, values
from benchmarks.screening.text import fold_key, name_key


def kinds(entities: list[EntityProxy]) -> dict[str, tuple[str, str]]:
    aliases, _ = collect_aliases(entities)
    return {a.name: (a.kind, a.group) for a in aliases}


def test_aliases_are_classified(listed: list[EntityProxy]) -> None:
    found = kinds(listed)
    assert found["Frank Kakorere"] == (VARIANT, "")
    assert found["Gaston Iyamuremyi"] == (VARIANT, "")  # weakAlias counts
    assert found["Abu Bakr al-Baghdadi"] == (VARIANT, "")
    assert found["Al Shabab"] == (VARIANT, "")
    assert found["AIGLE BLANC"] == (DIFFERENT, DISJOINT)
    assert found["Mujahideen Youth Movement"] == (DIFFERENT, DISJOINT)
    assert found["Ibrahim Awwad Ibrahim al-Badri"] == (DIFFERENT, OVERLAP)
    assert found["Шамиль Басаев"] == (CROSS_SCRIPT, "CYRILLIC")
    assert found["فرانك كاكوليلي"] == (CROSS_SCRIPT, "ARABIC")


def test_trivial_and_ambiguous_aliases_are_skipped(listed: list[EntityProxy]) -> None:
    aliases, skipped = collect_aliases(listed)
    names = {a.name for a in aliases}
    assert "Frank Kakolele-Bwambale" not in names  # the primary, re-punctuated
    assert "Abu Muhammad" not in names  # listed for two people
    assert "GOLDEN PINE" not in names  # vessels are indexed, not queried
    assert skipped["ambiguous"] == 2
    assert skipped["same_as_kept_name"] == 1


def test_hold_out_removes_the_alias_from_a_copy(listed: list[EntityProxy]) -> None:
    reduced = hold_out(
        listed, [("bt-p1", "FRANK KAKORERE"), ("bt-p4", "Шамиль Басаев")]
    )
    p1 = next(e for e in reduced if e.id == "bt-p1")
    p4 = next(e for e in reduced if e.id == "bt-p4")
    assert "Frank Kakorere" not in p1.get("alias")  # any capitalisation goes
    assert "AIGLE BLANC" in p1.get("alias")
    assert p1.get("name") == ["FRANK KAKOLELE BWAMBALE", "فرانك كاكوليلي"]
    assert p4.get("name") == ["SHAMIL BASAEV"]  # its transliteration stays
    original = next(e for e in listed if e.id == "bt-p1")
    assert "Frank Kakorere" in original.get("alias")
    untouched = [e for e in reduced if e.id not in ("bt-p1", "bt-p4")]
    assert untouched == [e for e in listed if e.id not in ("bt-p1", "bt-p4")]


def test_no_positive_can_find_itself(listed: list[EntityProxy]) -> None:
    eval_set = build_eval_set("t", listed, EvalConfig(negatives=6))
    indexed = {e.id: e for e in eval_set.entities}
    positives = [
        q for s in (VARIANTS, DIFFERENT_NAMES, CROSS) for q in eval_set.slices[s]
    ]
    assert len(positives) == 13
    for query in positives:
        assert query.expected is not None
        keys = {name_key(n) for n in values(indexed[query.expected], NAME_PROPS)}
        assert name_key(query.name) not in keys
        assert indexed[query.expected].get("name")  # the primary stays


def test_slices_and_ids(listed: list[EntityProxy]) -> None:
    eval_set = build_eval_set("t", listed, EvalConfig(negatives=6))
    sizes = eval_set.sizes()
    assert sizes[VARIANTS] == 5
    assert sizes[VARIANTS_ORG] == 2
    assert sizes[CROSS] == 2
    qids = [q.qid for queries in eval_set.slices.values() for q in queries]
    assert len(qids) == len(set(qids))
    for query in eval_set.slices[VARIANTS_EVIDENCE]:
        assert query.birth_date or query.nationality
    by_name = {q.name: q for q in eval_set.slices[VARIANTS_EVIDENCE]}
    assert by_name["Frank Kakorere"].birth_date == "1961"
    assert by_name["Frank Kakorere"].nationality == "cd"
    assert by_name["Al Shabab"].nationality == "so"  # country, for an org


def test_build_is_deterministic(listed: list[EntityProxy]) -> None:
    config = EvalConfig(max_per_slice=3, negatives=6)
    first = build_eval_set("t", listed, config)
    second = build_eval_set("t", listed, config)
    assert first.slices == second.slices
    assert first.sizes()[VARIANTS] == 3
    assert first.available[VARIANTS] == 5
    other = build_eval_set("t", listed, EvalConfig(3, 6, seed="another"))
    assert other.slices != first.slices


def test_negatives_are_not_listed(listed: list[EntityProxy]) -> None:
    eval_set = build_eval_set("t", listed, EvalConfig(negatives=10))
    listed_keys = {fold_key(n) for e in listed for n in values(e, NAME_PROPS)}
    negatives = eval_set.slices[NEGATIVES]
    assert negatives
    for query in negatives:
        assert query.expected is None
        assert fold_key(query.name) not in listed_keys
    for query in eval_set.slices[NEGATIVES_EVIDENCE]:
        assert query.birth_date or query.nationality


def test_sample_keeps_input_order() -> None:
    items = list(range(100))
    picked = sample(items, 10, "seed")
    assert picked == sorted(picked)
    assert len(set(picked)) == 10
    assert sample(items, 10, "seed") == picked
    assert sample(items, 200, "seed") == items
