"""The command line's pure parts, and matcher isolation in a child process."""

from __future__ import annotations

import pytest
from followthemoney import EntityProxy

from benchmarks.screening.__main__ import headline, main, rounded
from benchmarks.screening.evalset import EvalConfig, build_eval_set
from benchmarks.screening.lists import list_names
from benchmarks.screening.runner import run_isolated


def test_unknown_matcher_is_a_usage_error() -> None:
    assert main(["--matchers", "logic-v2,bogus"]) == 2


def test_rounded() -> None:
    assert rounded({"a": [0.123456, 2], "b": {"c": 1.0 / 3}}) == {
        "a": [0.1235, 2],
        "b": {"c": 0.3333},
    }


def test_list_names() -> None:
    assert list_names("both") == ["un", "sdn"]
    assert list_names("sdn") == ["sdn"]


def test_headline() -> None:
    summary = {
        "slices": {
            "variants": {"recall_at_1": 0.5},
            "negatives": {"false_alert_rate": 0.25},
        },
        "speed": {"queries_per_s": 99.6},
    }
    assert headline(summary) == "variants R@1 0.500, FPR 0.250, 100 q/s"


@pytest.mark.slow  # spawns a Python process that imports nomenklatura
def test_run_isolated_matches_in_process(listed: list[EntityProxy]) -> None:
    eval_set = build_eval_set("t", listed, EvalConfig(negatives=4))
    run = run_isolated("logic-v2", eval_set)
    assert set(run.outcomes) == set(eval_set.slices)
    variants = run.outcomes["variants"]
    assert [o.expected for o in variants] == [
        q.expected for q in eval_set.slices["variants"]
    ]
    assert any(o.ranking for o in variants)
