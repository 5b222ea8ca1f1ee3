"""The blocker, the two adapters and the runner, on the hand-made list."""

from __future__ import annotations

import pytest
from followthemoney import EntityProxy

from benchmarks.screening.adapters import (
    LOGIC_V2_THRESHOLD,
    AccordAdapter,
    LogicV2Adapter,
    query_entity,
)
from benchmarks.screening.blocking import NameBlocker, fuzziness, grams
from benchmarks.screening.evalset import NEGATIVES, VARIANTS, EvalConfig, build_eval_set
from benchmarks.screening.queries import EvalQuery
from benchmarks.screening.runner import run_matcher, summarise, warmup_queries


def test_fuzziness_follows_elasticsearch_auto() -> None:
    assert [fuzziness("ab"), fuzziness("abc"), fuzziness("abcde")] == [0, 1, 1]
    assert fuzziness("abcdef") == 2


def test_grams() -> None:
    assert grams("al qa") == {"alq", "lqa"}


def test_blocker_finds_misspelt_and_reordered_names(listed: list[EntityProxy]) -> None:
    blocker = NameBlocker(listed)
    assert blocker.candidates("Bwambale Frank Kakorere", "Person", 3)[0] == "bt-p1"
    assert blocker.candidates("Gastone Iyamuremie", "Person", 3)[0] == "bt-p2"
    assert blocker.candidates("Shabaab", "Organization", 3)[0] == "bt-o2"


def test_blocker_filters_by_schema(listed: list[EntityProxy]) -> None:
    blocker = NameBlocker(listed)
    assert "bt-p1" not in blocker.candidates("Frank Kakolele", "Organization", 10)
    assert "bt-v1" not in blocker.candidates("Golden Pine", "Person", 10)
    assert blocker.candidates("Zzyzx Qwvbn", "Person", 10) == []


def test_query_entity_carries_id_and_evidence() -> None:
    person = query_entity(EvalQuery("q-1", "Jane Roe", "Person", None, "1970", "gb"))
    assert person.id == "q-1"
    assert person.get("birthDate") == ["1970"]
    assert person.get("nationality") == ["gb"]
    org = query_entity(EvalQuery("q-2", "Acme", "Organization", None, None, "gb"))
    assert org.get("country") == ["gb"]


def test_logic_v2_adapter(listed: list[EntityProxy]) -> None:
    adapter = LogicV2Adapter()
    adapter.build(listed)
    query = EvalQuery("bt-q-1", "Frank Kakorere Bwambale", "Person", "bt-p1")
    ranking = adapter.search(query, 10)
    assert ranking[0][0] == "bt-p1"
    assert ranking[0][1] >= LOGIC_V2_THRESHOLD
    assert [score for _, score in ranking] == sorted(
        (score for _, score in ranking), reverse=True
    )
    assert "bt-p1" in (adapter.last_candidates() or ())
    stranger = EvalQuery("bt-q-2", "Zzyzx Qwvbn", "Person", None)
    assert adapter.search(stranger, 10) == []


def test_logic_v2_weighs_a_contradicting_birth_date(
    listed: list[EntityProxy],
) -> None:
    adapter = LogicV2Adapter()
    adapter.build(listed)
    plain = EvalQuery("bt-q-3", "Gaston Iyamuremye", "Person", "bt-p2")
    wrong_dob = EvalQuery(
        "bt-q-4", "Gaston Iyamuremye", "Person", "bt-p2", "1990-05-05"
    )
    assert adapter.search(plain, 1)[0][1] > adapter.search(wrong_dob, 1)[0][1]


def test_accord_adapter(listed: list[EntityProxy]) -> None:
    pytest.importorskip("accord.screening.index")
    adapter = AccordAdapter()
    adapter.build(listed)
    assert 0.0 < adapter.threshold <= 1.0
    query = EvalQuery("bt-q-5", "Frank Kakorere Bwambale", "Person", "bt-p1")
    ranking = adapter.search(query, 10)
    assert ranking[0][0] == "bt-p1"
    assert adapter.last_candidates() is None


def test_runner_summarises_every_slice(listed: list[EntityProxy]) -> None:
    eval_set = build_eval_set("t", listed, EvalConfig(negatives=6))
    run = run_matcher("logic-v2", eval_set.entities, eval_set.slices)
    assert set(run.outcomes) == set(eval_set.slices)
    summary = summarise(run)
    assert summary["threshold"] == LOGIC_V2_THRESHOLD
    assert summary["slices"][VARIANTS]["n"] == 5
    assert summary["slices"][VARIANTS]["recall_at_10"] > 0.5
    assert "false_alert_rate" in summary["slices"][NEGATIVES]
    assert "variants" in summary["tpr_at_fpr_1pct"]
    assert "different_names:disjoint" in summary["slices"]
    assert summary["speed"]["queries"] == sum(eval_set.sizes().values())


def test_warmup_queries_have_their_own_ids(listed: list[EntityProxy]) -> None:
    warmups = warmup_queries(listed)
    assert warmups
    assert all(q.qid.startswith("warmup-") for q in warmups)
