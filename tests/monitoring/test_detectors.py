"""Rule-based detectors: the combination fires, a single cue does not.

Every post here is synthetic; the negatives are the hard kind (news and
discussion that use the same words without the behaviour).
"""

from __future__ import annotations

import pytest
from followthemoney import StatementEntity
from followthemoney.dataset import Dataset

from accord.detectors.base import Detector
from accord.monitoring.detectors import (
    CallToAttackDetector,
    FundraisingDetector,
    InstructionsDetector,
    RecruitmentDetector,
    noisy_or,
)

DATASET = Dataset.make({"name": "channel", "title": "Channel"})


def post(entity_id: str, text: str) -> StatementEntity:
    entity = StatementEntity(DATASET, {"schema": "Message", "id": entity_id})
    entity.add("bodyText", text)
    entity.add("messageId", entity_id)
    entity.add("publisher", "Test Channel")
    return entity


def fired(detector: Detector, text: str) -> list[str]:
    return [f.detector for f in detector.detect([post("m1", text)])]


@pytest.mark.parametrize(
    "text",
    [
        "[synthetic] Brothers, go and attack them at the stadium.",
        "[synthetic] Убивайте их на вокзале.",
        "[synthetic] Tuez-les à la gare.",
        "[synthetic] اقتلوهم في الأسواق",
    ],
)
def test_call_to_attack_fires_on_imperative_and_target(text: str) -> None:
    assert fired(CallToAttackDetector(), text) == ["call_to_attack"]


@pytest.mark.parametrize(
    "text",
    [
        "Police say the attack at the station killed two people.",
        "Analysts discuss why the caliphate collapsed; the stadium reopened.",
        "[synthetic] kill them all",  # no target
    ],
)
def test_call_to_attack_stays_quiet_without_the_combination(text: str) -> None:
    assert fired(CallToAttackDetector(), text) == []


def test_target_list_is_recognised_and_explained() -> None:
    text = (
        "[synthetic] Targets for the soldiers of the caliphate:\n"
        "1. Central station, 12 Example Street\n"
        "2. The festival on 5 Sample Road\n"
        "3. The shopping centre on 40 Demo Avenue"
    )
    (finding,) = CallToAttackDetector().detect([post("m1", text)])
    assert finding.summary.startswith("target list in message m1")
    assert finding.explanation["target_list"].detail.startswith("3 listed targets")
    assert "group_reference" in finding.explanation
    expected = noisy_or([CallToAttackDetector.WEIGHTS[k] for k in finding.explanation])
    assert finding.score == expected


def test_recruitment_needs_a_way_in() -> None:
    detector = RecruitmentDetector()
    assert fired(detector, "[synthetic] Join us. Contact us on Threema.") == [
        "recruitment"
    ]
    assert fired(detector, "Join us for the bake sale on Sunday.") == []


def test_fundraising_names_the_wallets_as_subjects() -> None:
    text = "[synthetic] Donate now: bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
    (finding,) = FundraisingDetector().detect([post("m1", text)])
    assert finding.subjects == (
        "m1",
        "crypto-btc-bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
    )
    assert "checksum valid" in finding.explanation["crypto_wallet"].detail


def test_a_wallet_alone_is_not_an_appeal() -> None:
    text = "My address for the invoice: bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
    assert fired(FundraisingDetector(), text) == []


def test_instructions_need_a_weapon_and_a_recipe() -> None:
    detector = InstructionsDetector()
    recipe = "[synthetic] How to make a detonator: parts withheld"
    assert fired(detector, recipe) == ["weapon_instructions"]
    assert (
        fired(detector, "Bomb squad cleared the street after a detonator was found")
        == []
    )


def test_findings_carry_spans_of_the_trigger() -> None:
    text = "[synthetic] go and attack them at the airport"
    (finding,) = CallToAttackDetector().detect([post("m1", text)])
    detail = finding.explanation["imperative_violence"].detail
    start = text.index("go and attack")
    assert f"at {start}-{start + len('go and attack')}" in detail
    assert finding.evidence == ("m1",)


def test_entities_without_text_are_ignored() -> None:
    account = StatementEntity(DATASET, {"schema": "UserAccount", "id": "u1"})
    empty = StatementEntity(DATASET, {"schema": "Message", "id": "m2"})
    assert CallToAttackDetector().detect([account, empty]) == []
