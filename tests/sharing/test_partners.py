"""Partners and agreements as the store keeps them, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from accord.errors import InvalidData, NotFound
from accord.model.marking import Tlp
from accord.service import Accord
from accord.sharing.category import Category
from accord.sharing.partners import Agreement, Partner, PartnerRegistry
from accord.store import Actor

KEY = "HVkj3ifLhut+ZLa9YpCn8Ie4oY1VZzv2Wuet5ujVSSU="
ACTOR = Actor("test", "alpha")


def agreement(partner: str = "bravo", **kwargs: object) -> Agreement:
    values: dict[str, object] = {
        "partner": partner,
        "datasets": frozenset({"watch"}),
        "categories": frozenset({Category.parse("schema:Person")}),
        "tlp_levels": frozenset({Tlp.GREEN, Tlp.AMBER}),
        "expires_at": datetime.now(UTC) + timedelta(days=30),
    }
    values.update(kwargs)
    return Agreement(**values)  # type: ignore[arg-type]


@pytest.fixture
def registry(service: Accord) -> PartnerRegistry:
    reg = PartnerRegistry(service.store)
    reg.add_partner(
        service.local_actor(), Partner("bravo", "Bravo", KEY, "https://bravo.test")
    )
    return reg


def test_partner_round_trips_and_is_audited(
    registry: PartnerRegistry, service: Accord
) -> None:
    assert registry.get_partner("bravo").endpoint == "https://bravo.test"
    assert [p.id for p in registry.list_partners()] == ["bravo"]
    [record] = service.store.audit_records("share.partner")
    assert record.target == "bravo"


def test_unknown_partner_is_not_found(registry: PartnerRegistry) -> None:
    with pytest.raises(NotFound, match="unknown partner 'charlie'"):
        registry.get_partner("charlie")
    with pytest.raises(NotFound):
        registry.add_agreement(ACTOR, agreement("charlie"))


def test_duplicate_partner_is_refused(registry: PartnerRegistry) -> None:
    with pytest.raises(InvalidData, match="already exists"):
        registry.add_partner(ACTOR, Partner("bravo", "Other", KEY, "https://x.test"))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("public_key", "not-a-key", "base64 of 32 raw Ed25519 bytes"),
        ("endpoint", "ftp://bravo", "not an http"),
        ("id", "Bravo Agency", "invalid partner name"),
    ],
)
def test_malformed_partner_is_refused(field: str, value: str, message: str) -> None:
    values = {"id": "bravo", "name": "B", "public_key": KEY, "endpoint": "https://b"}
    values[field] = value
    with pytest.raises(InvalidData, match=message):
        Partner(**values)


def test_agreement_round_trips(registry: PartnerRegistry) -> None:
    made = registry.add_agreement(ACTOR, agreement(reshare=True))
    loaded = registry.get_agreement(made.id)
    assert loaded.datasets == frozenset({"watch"})
    assert loaded.categories == frozenset({Category.parse("schema:Person")})
    assert loaded.tlp_levels == frozenset({Tlp.GREEN, Tlp.AMBER})
    assert loaded.reshare is True
    assert loaded.status() == "active"
    assert [a.id for a in registry.active_agreements("bravo")] == [made.id]


def test_revoked_and_expired_agreements_are_not_active(
    registry: PartnerRegistry, service: Accord
) -> None:
    live = registry.add_agreement(ACTOR, agreement())
    past = datetime.now(UTC) - timedelta(days=1)
    expired = registry.add_agreement(ACTOR, agreement(expires_at=past))
    assert registry.get_agreement(expired.id).status() == "expired"
    revoked = registry.revoke_agreement(ACTOR, live.id)
    assert revoked.status() == "revoked"
    assert registry.active_agreements("bravo") == []
    with pytest.raises(NotFound):
        registry.revoke_agreement(ACTOR, live.id)
    actions = [r.detail for r in service.store.audit_records("share.agreement")]
    assert actions[-1] == {"revoked": True}


@pytest.mark.parametrize("empty", ["datasets", "categories", "tlp_levels"])
def test_agreement_that_releases_nothing_is_refused(empty: str) -> None:
    with pytest.raises(InvalidData, match=f"must name its {empty}"):
        agreement(**{empty: frozenset()})


@pytest.mark.parametrize(
    "text", ["schema:Nope", "topic:nope", "colour:red", "schema", "detector:"]
)
def test_bad_category_is_refused(text: str) -> None:
    with pytest.raises(InvalidData):
        Category.parse(text)
