"""Two accord instances intersecting over real HTTP on loopback.

bravo serves its ``watchlist``; alpha asks with its ``travellers``. The
expected answers are computed independently, by a plain set intersection of
both sides' keys, so the protocol, the wire and the mapping back to
subjects are all checked against the obvious truth.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from accord.cli.context import CliContext
from accord.cli.share_psi import psi
from accord.errors import ReleaseDenied
from accord.model.marking import Marking, Tlp
from accord.service import IngestRequest
from accord.sharing.psi import ConsentRole, KeyType, build_key_set
from tests.sharing.psi.support import (
    Instance,
    open_instance,
    register,
    serving,
    traveller,
)

SAMPLES = Path(__file__).resolve().parents[3] / "accord" / "samples"


def alpha_travellers() -> list[dict[str, Any]]:
    """alpha's subjects, ids ``a<n>``, overlapping bravo's in known ways."""
    people = []
    for index in range(150, 280):
        entity = traveller(index)
        entity["id"] = f"a{index}"
        props = entity["properties"]
        if 250 <= index < 260:  # same person, another passport
            props["passportNumber"] = [f"Q{index:08d}"]
        elif 260 <= index < 270:  # same passport, a name that is no match
            props["name"] = [f"Someone Else{index}"]
        elif index >= 270:  # surname first, upper case, punctuated
            props["name"] = [f"EXAMPLE{index}, Person{index}"]
        people.append(entity)
    people.extend({**traveller(i), "id": f"a{i}"} for i in range(1000, 1200))
    return people


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Instance, Instance]]:
    alpha = open_instance(tmp_path, "alpha", "bravo")
    bravo = open_instance(tmp_path, "bravo", "alpha")
    alpha.ingest(tmp_path, "travellers", alpha_travellers())
    bravo.ingest(tmp_path, "watchlist", [traveller(i) for i in range(300)])
    with serving(bravo):
        register(alpha, bravo)
        register(bravo, alpha)
        alpha.consent(
            ConsentRole.REQUEST, "travellers", "bravo", remote_dataset="watchlist"
        )
        yield alpha, bravo
    alpha.service.close()
    bravo.service.close()


def run_psi(alpha: Instance, key: str, *args: str) -> Result:
    command = ["bravo", "--dataset", "travellers", "--api-key", key, "--json", *args]
    state = CliContext(settings=alpha.settings)
    try:
        return CliRunner().invoke(psi, command, obj=state)
    finally:
        state.close()


def psi_records(instance: Instance, action: str) -> list[dict[str, Any]]:
    return [
        dict(r.detail)
        for r in instance.service.store.audit_records(action)
        if r.detail.get("protocol") == "psi"
    ]


def expected_common_keys(alpha: Instance, bravo: Instance) -> set[str]:
    types = frozenset(KeyType)
    mine = build_key_set(alpha.service.store.entities(None, ["travellers"]), types)
    theirs = build_key_set(bravo.service.store.entities(None, ["watchlist"]), types)
    return set(mine.elements) & set(theirs.elements)


def test_intersection_is_exact_and_names_the_matching_keys(
    pair: tuple[Instance, Instance],
) -> None:
    alpha, bravo = pair
    bravo.consent(ConsentRole.SERVE, "watchlist", "alpha")
    result = run_psi(alpha, bravo.partner_key)
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    matched = {s["subject_id"]: s["key_types"] for s in body["subjects"]}
    assert set(matched) == {f"a{i}" for i in range(150, 280)}
    everything = ["document", "name_dob", "skeleton_dob"]
    assert matched["a150"] == everything
    assert matched["a255"] == ["name_dob", "skeleton_dob"]
    assert matched["a265"] == ["document"]
    assert matched["a275"] == everything
    assert body["common_keys"] == len(expected_common_keys(alpha, bravo))
    assert body["mode"] == "intersection"
    [served] = psi_records(bravo, "export")
    [asked] = psi_records(alpha, "screen")
    assert served["session"] == asked["session"] == body["session"]
    assert served["outcome"] == "accepted"
    assert served["client_size"] == body["client_size"]
    assert asked["outcome"] == "completed"
    assert asked["common_subjects"] == 130


def test_cardinality_only_reveals_only_the_count(
    pair: tuple[Instance, Instance],
) -> None:
    alpha, bravo = pair
    bravo.consent(ConsentRole.SERVE, "watchlist", "alpha", cardinality_only=True)
    refused = run_psi(alpha, bravo.partner_key)
    assert isinstance(refused.exception, ReleaseDenied)
    assert "reveals only the intersection size" in " ".join(refused.exception.reasons)
    result = run_psi(alpha, bravo.partner_key, "--cardinality-only")
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["mode"] == "cardinality"
    assert body["subjects"] == []
    assert body["common_keys"] == len(expected_common_keys(alpha, bravo))
    assert "a150" not in result.output


def test_no_serving_consent_is_refused_and_audited_on_both_sides(
    pair: tuple[Instance, Instance],
) -> None:
    alpha, bravo = pair
    result = run_psi(alpha, bravo.partner_key)
    assert isinstance(result.exception, ReleaseDenied)
    assert (
        "no serve consent record for watchlist with alpha" in result.exception.reasons
    )
    [served] = psi_records(bravo, "export")
    [asked] = psi_records(alpha, "screen")
    assert served["outcome"] == asked["outcome"] == "refused"


def test_expired_request_consent_sends_nothing(pair: tuple[Instance, Instance]) -> None:
    alpha, bravo = pair
    bravo.consent(ConsentRole.SERVE, "watchlist", "alpha")
    alpha.consent(
        ConsentRole.REQUEST,
        "travellers",
        "bravo",
        remote_dataset="watchlist",
        expires_at=datetime(2020, 1, 1, tzinfo=UTC),
    )
    result = run_psi(alpha, bravo.partner_key)
    assert isinstance(result.exception, ReleaseDenied)
    assert "expired" in result.exception.detail
    assert psi_records(bravo, "export") == []


def test_rate_limit_stops_the_third_session(pair: tuple[Instance, Instance]) -> None:
    alpha, bravo = pair
    bravo.consent(ConsentRole.SERVE, "watchlist", "alpha")
    bravo.limits(sessions_per_hour=2)
    for _ in range(2):
        assert run_psi(alpha, bravo.partner_key).exit_code == 0
    third = run_psi(alpha, bravo.partner_key)
    assert isinstance(third.exception, ReleaseDenied)
    assert "HTTP 429" in third.exception.detail
    assert third.exception.reasons == ["rate limit: 2 sessions per hour"]
    outcomes = [r["outcome"] for r in psi_records(bravo, "export")]
    assert outcomes == ["accepted", "accepted", "refused"]


def test_minimum_set_size_on_each_side(pair: tuple[Instance, Instance]) -> None:
    alpha, bravo = pair
    bravo.consent(ConsentRole.SERVE, "watchlist", "alpha")
    bravo.limits(min_set_size=1000)  # alpha sends about 990 keys, bravo has 900
    served = run_psi(alpha, bravo.partner_key)
    assert isinstance(served.exception, ReleaseDenied)
    reasons = served.exception.reasons
    assert any(r.startswith("the query holds") for r in reasons)
    assert "the served set is below the minimum of 1000 keys" in reasons
    alpha.limits(min_set_size=5000)
    asked = run_psi(alpha, bravo.partner_key)
    assert isinstance(asked.exception, ReleaseDenied)
    assert "the minimum is 5000" in asked.exception.reasons[0]
    assert len(psi_records(bravo, "export")) == 1  # the second never left alpha


def test_a_key_of_another_role_or_agency_is_refused(
    pair: tuple[Instance, Instance],
) -> None:
    alpha, bravo = pair
    bravo.consent(ConsentRole.SERVE, "watchlist", "alpha")
    analyst_key = bravo.service.store.create_key(bravo.actor, "alpha_analyst")
    result = run_psi(alpha, analyst_key)
    assert isinstance(result.exception, ReleaseDenied)
    assert result.exception.reasons == ["the caller is not a liaison officer"]


def test_real_list_excerpt_finds_the_listed_customer(tmp_path: Path) -> None:
    """The UN excerpt against the sample customers: one shares a passport.

    ``cust-0003``'s passport number is listed too, but issued by another
    state, so it is no match: the issuing state is part of the key.
    """
    alpha = open_instance(tmp_path, "alpha", "bravo")
    bravo = open_instance(tmp_path, "bravo", "alpha")
    customers = SAMPLES / "customers.jsonl"
    alpha.service.ingest(
        alpha.actor,
        IngestRequest(customers, "ftm_jsonl", "travellers", "alpha", Marking(Tlp.RED)),
    )
    listed = SAMPLES / "un_sc_excerpt.xml"
    bravo.service.ingest(
        bravo.actor,
        IngestRequest(listed, "un_sc", "watchlist", "bravo", Marking(Tlp.CLEAR)),
    )
    with serving(bravo):
        register(alpha, bravo)
        register(bravo, alpha)
        alpha.consent(
            ConsentRole.REQUEST, "travellers", "bravo", remote_dataset="watchlist"
        )
        bravo.consent(ConsentRole.SERVE, "watchlist", "alpha")
        alpha.limits(min_set_size=1)
        bravo.limits(min_set_size=1)
        result = run_psi(alpha, bravo.partner_key)
    alpha.service.close()
    bravo.service.close()
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["subjects"] == [
        {
            "subject_id": "cust-0001",
            "caption": "Ibrahim Hasan Al-Tali",
            "key_types": ["document"],
        }
    ]


def test_offers_list_only_the_callers_consents(
    pair: tuple[Instance, Instance],
) -> None:
    alpha, bravo = pair
    bravo.consent(ConsentRole.SERVE, "watchlist", "alpha", cardinality_only=True)
    bravo.consent(ConsentRole.SERVE, "watchlist", "charlie")
    bravo.consent(
        ConsentRole.SERVE, "old", "alpha", expires_at=datetime(2020, 1, 1, tzinfo=UTC)
    )
    state = CliContext(settings=alpha.settings)
    try:
        args = ["offers", "bravo", "--api-key", bravo.partner_key]
        result = CliRunner().invoke(psi, args, obj=state)
    finally:
        state.close()
    assert result.exit_code == 0, result.output
    [offer] = json.loads(result.output)
    assert offer["dataset"] == "watchlist"
    assert offer["cardinality_only"] is True
    assert offer["min_set_size"] == 100
