"""Each release rule, alone: what it refuses and the reason it gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from accord.model.dataset import DatasetInfo
from accord.model.finding import Feature, Finding
from accord.model.marking import Marking, Tlp
from accord.sharing.category import Category
from accord.sharing.partners import Agreement, Partner
from accord.sharing.policy import Origin, ReleasePolicy

KEY = "HVkj3ifLhut+ZLa9YpCn8Ie4oY1VZzv2Wuet5ujVSSU="
NOW = datetime(2026, 11, 24, tzinfo=UTC)
BRAVO = Partner("bravo", "Bravo", KEY, "https://bravo.example")


def agreement(**kwargs: object) -> Agreement:
    values: dict[str, object] = {
        "id": "agr",
        "partner": "bravo",
        "datasets": frozenset({"ds"}),
        "categories": frozenset(
            {Category.parse("schema:Person"), Category.parse("detector:pattern")}
        ),
        "tlp_levels": frozenset(Tlp),
        "expires_at": NOW + timedelta(days=1),
    }
    values.update(kwargs)
    return Agreement(**values)  # type: ignore[arg-type]


def policy(*agreements: Agreement, partner: Partner | None = BRAVO) -> ReleasePolicy:
    return ReleasePolicy("alpha", "bravo", partner, list(agreements), NOW)


def origin(
    tlp: Tlp, rel: frozenset[str] = frozenset({"bravo"}), **kw: object
) -> Origin:
    marking = Marking(tlp, frozenset() if tlp is Tlp.RED else rel)
    owner = str(kw.pop("owner", "alpha"))
    return Origin(DatasetInfo("ds", owner, marking), **kw)  # type: ignore[arg-type]


def test_released_value_says_why() -> None:
    decision = policy(agreement()).entity_decision(origin(Tlp.AMBER), "Person", [])
    assert decision.allowed
    assert decision.agreement == "agr"
    assert decision.reasons == (
        "dataset ds (TLP:AMBER rel. to bravo) released by agreement agr",
        "category schema:Person",
    )


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        (origin(Tlp.RED), "TLP:RED is never released"),
        (
            origin(Tlp.AMBER_STRICT),
            "TLP:AMBER+STRICT stays within the owner's organisation (alpha)",
        ),
        (origin(Tlp.AMBER, frozenset()), "marking TLP:AMBER does not release to bravo"),
        (
            origin(Tlp.GREEN, frozenset({"charlie"})),
            "marking TLP:GREEN rel. to charlie does not release to bravo",
        ),
        (None, "no marking: the value's dataset is unknown"),
        (
            origin(Tlp.GREEN, owner="charlie"),
            (
                "dataset ds belongs to charlie, not to alpha, and was not received "
                "under an agreement"
            ),
        ),
        (
            origin(Tlp.GREEN, owner="charlie", received_from="charlie"),
            "dataset ds came from charlie, which did not allow re-sharing",
        ),
    ],
)
def test_marking_and_provenance_refusals(item: Origin | None, reason: str) -> None:
    decision = policy(agreement()).entity_decision(item, "Person", [])
    assert not decision.allowed
    assert reason in decision.reasons


def test_reshared_data_goes_when_its_sender_allowed_it() -> None:
    item = origin(Tlp.GREEN, owner="charlie", received_from="charlie", reshare=True)
    assert policy(agreement()).entity_decision(item, "Person", []).allowed


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"datasets": frozenset({"other"})}, "agreement agr does not cover dataset ds"),
        (
            {"tlp_levels": frozenset({Tlp.GREEN})},
            "agreement agr does not release TLP:AMBER",
        ),
        (
            {"categories": frozenset({Category.parse("schema:Organization")})},
            "agreement agr covers none of schema:Person, topic:crime.terror",
        ),
    ],
)
def test_agreement_coverage_refusals(kwargs: dict[str, object], reason: str) -> None:
    decision = policy(agreement(**kwargs)).entity_decision(
        origin(Tlp.AMBER), "Person", ["crime.terror"]
    )
    assert not decision.allowed
    assert decision.reasons == (reason,)


def test_topic_category_releases_matching_entities() -> None:
    topical = agreement(categories=frozenset({Category.parse("topic:crime.terror")}))
    item = origin(Tlp.GREEN)
    assert policy(topical).entity_decision(item, "Person", ["crime.terror"]).allowed
    assert not policy(topical).entity_decision(item, "Person", []).allowed


def test_schema_category_covers_descendants() -> None:
    broad = agreement(categories=frozenset({Category.parse("schema:LegalEntity")}))
    assert policy(broad).entity_decision(origin(Tlp.GREEN), "Company", []).allowed
    assert not policy(broad).entity_decision(origin(Tlp.GREEN), "Passport", []).allowed


def test_unknown_partner_expired_and_revoked_agreements_refuse_everything() -> None:
    item = origin(Tlp.CLEAR)
    unknown = policy(agreement(), partner=None).entity_decision(item, "Person", [])
    assert unknown.reasons == ("unknown partner 'bravo': nothing goes to it",)
    expired = agreement(expires_at=NOW - timedelta(days=1))
    assert policy(expired).entity_decision(item, "Person", []).reasons == (
        "agreement agr expired on 2026-11-23 00:00 UTC",
    )
    revoked = agreement(revoked_at=NOW - timedelta(hours=2))
    assert "was revoked on" in policy(revoked).partner_problems()[0]
    assert policy().partner_problems() == ["no agreement with bravo"]


def test_one_agreement_is_enough_when_another_does_not_cover() -> None:
    narrow = agreement(id="narrow", datasets=frozenset({"other"}))
    wide = agreement(id="wide")
    decision = policy(narrow, wide).entity_decision(origin(Tlp.GREEN), "Person", [])
    assert decision.allowed and decision.agreement == "wide"


def finding(**kwargs: object) -> Finding:
    values: dict[str, object] = {
        "detector": "pattern",
        "subjects": ("p1",),
        "score": 0.8,
        "summary": "s",
        "explanation": {"f": Feature(1.0, "d")},
        "marking": Marking(Tlp.AMBER, frozenset({"bravo"})),
        "datasets": ("ds",),
        "agency": "alpha",
    }
    values.update(kwargs)
    return Finding(**values)  # type: ignore[arg-type]


def test_finding_rules() -> None:
    origins = {"ds": origin(Tlp.AMBER)}
    rules = policy(agreement())
    assert rules.finding_decision(finding(), origins).allowed
    other = rules.finding_decision(finding(agency="charlie"), origins)
    assert "finding belongs to charlie, not alpha" in other.reasons
    red = rules.finding_decision(finding(marking=Marking(Tlp.RED)), origins)
    assert "TLP:RED is never released" in red.reasons
    detector = rules.finding_decision(finding(detector="other"), origins)
    assert detector.reasons == ("agreement agr does not cover detector:other",)
    hidden = rules.finding_decision(finding(datasets=("gone",)), origins)
    assert "no marking: the value's dataset is unknown" in hidden.reasons
