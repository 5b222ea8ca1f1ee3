"""A two-agency sharing world: alpha holds data, bravo is its partner.

alpha's datasets:

* ``un_sc``   the real UN excerpt, TLP:GREEN
* ``cases``   ``case_people.jsonl``, TLP:AMBER released to bravo
* ``notes``   more values on ``case-p1``, TLP:AMBER (alpha only)
* ``secret``  more values on ``case-p1``, TLP:RED

alpha's agreement with bravo covers all four datasets, legal entities,
passports and the shared-identifier detector, at GREEN, AMBER and RED, so
every refusal the tests see comes from a rule, not from a missing clause.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from accord.model.finding import Feature, Finding
from accord.model.marking import Marking, Tlp
from accord.service import Accord, IngestRequest
from accord.settings import Settings
from accord.sharing.category import Category
from accord.sharing.partners import Agreement, Partner
from accord.sharing.service import SharingService
from accord.sharing.signing import AgencyKey, generate_key
from accord.store import Actor

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SHARING_FIXTURES = FIXTURES / "sharing"
ALPHA = Actor("alpha-liaison", "alpha")
BRAVO = Actor("bravo-liaison", "bravo")


@dataclass
class Agency:
    """One agency's service, sharing service and signing key."""

    service: Accord
    sharing: SharingService
    key: AgencyKey
    actor: Actor


def open_agency(settings: Settings, actor: Actor) -> Agency:
    service = Accord.open(settings)
    key = generate_key(settings)
    return Agency(service, SharingService(service), key, actor)


def ingest(
    agency: Agency, tmp: Path, name: str, marking: Marking, lines: list[dict[str, Any]]
) -> None:
    path = tmp / f"{name}.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    request = IngestRequest(path, "ftm_jsonl", name, agency.actor.agency, marking)
    agency.service.ingest(agency.actor, request)


def load_alpha(alpha: Agency, tmp: Path) -> None:
    un = IngestRequest(
        FIXTURES / "un_sc_excerpt.xml", "un_sc", "un_sc", "alpha", Marking(Tlp.GREEN)
    )
    alpha.service.ingest(ALPHA, un)
    cases = IngestRequest(
        SHARING_FIXTURES / "case_people.jsonl",
        "ftm_jsonl",
        "cases",
        "alpha",
        Marking(Tlp.AMBER, frozenset({"bravo"})),
    )
    alpha.service.ingest(ALPHA, cases)
    person = {"id": "case-p1", "schema": "Person"}
    notes = [{**person, "properties": {"notes": ["met a courier in May"]}}]
    ingest(alpha, tmp, "notes", Marking(Tlp.AMBER), notes)
    secret = [{**person, "properties": {"birthDate": ["1980-02-03"]}}]
    ingest(alpha, tmp, "secret", Marking(Tlp.RED), secret)


def agree(agency: Agency, partner: str, key: AgencyKey, **kwargs: object) -> Agreement:
    """Register ``partner`` (once) and give it an agreement; kwargs override."""
    registry = agency.sharing.registry
    if registry.get_partner_or_none(partner) is None:
        endpoint = f"https://{partner}.example"
        item = Partner(partner, partner.title(), key.public_b64(), endpoint)
        registry.add_partner(agency.actor, item)
    values: dict[str, object] = {
        "partner": partner,
        "datasets": frozenset({"un_sc", "cases", "notes", "secret"}),
        "categories": frozenset(
            Category.parse(c)
            for c in (
                "schema:LegalEntity",
                "schema:Passport",
                "detector:shared_identifier",
            )
        ),
        "tlp_levels": frozenset({Tlp.GREEN, Tlp.AMBER, Tlp.RED}),
        "reshare": False,
        "expires_at": datetime.now(UTC) + timedelta(days=365),
    }
    values.update(kwargs)
    return registry.add_agreement(agency.actor, Agreement(**values))  # type: ignore[arg-type]


@pytest.fixture
def alpha(store_settings: Settings, tmp_path: Path) -> Iterator[Agency]:
    """alpha on each backend, with data, a key and bravo as partner."""
    agency = open_agency(store_settings, ALPHA)
    yield agency
    agency.service.close()


@pytest.fixture
def bravo(tmp_path: Path) -> Iterator[Agency]:
    """bravo, always on SQLite: the receiving side of the exchange."""
    settings = Settings(workspace=tmp_path / "bravo", agency="bravo")
    agency = open_agency(settings, BRAVO)
    yield agency
    agency.service.close()


@pytest.fixture
def world(alpha: Agency, bravo: Agency, tmp_path: Path) -> tuple[Agency, Agency]:
    load_alpha(alpha, tmp_path)
    agree(alpha, "bravo", bravo.key)
    agree(bravo, "alpha", alpha.key)
    return alpha, bravo


def save_finding(alpha: Agency, datasets: tuple[str, ...]) -> Finding:
    item = Finding(
        detector="shared_identifier",
        subjects=("case-p1",),
        score=0.9,
        summary="shares a passport number with a listed person",
        explanation={"shared_passport": Feature(1.0, "same passport number")},
        marking=Marking(Tlp.AMBER, frozenset({"bravo"})),
        datasets=datasets,
        agency="alpha",
    )
    alpha.service.store.save_findings(alpha.actor, [item], ["shared_identifier"])
    return item
