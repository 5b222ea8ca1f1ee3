"""``/sharing`` over HTTP: the server agency's staff only, readable values only."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpx import Response

from accord.api.app import create_app
from accord.model.account import Role
from accord.settings import Settings
from tests.sharing.conftest import ALPHA, BRAVO, Agency, agree, load_alpha, open_agency

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette")
    from fastapi.testclient import TestClient


@pytest.fixture
def api(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    alpha = open_agency(Settings(workspace=tmp_path / "a", agency="alpha"), ALPHA)
    bravo: Agency = open_agency(
        Settings(workspace=tmp_path / "b", agency="bravo"), BRAVO
    )
    load_alpha(alpha, tmp_path)
    agree(alpha, "bravo", bravo.key)
    store = alpha.service.store
    store.ensure_agency(ALPHA, "bravo")
    keys = {}
    for name, agency, role in [
        ("alpha_liaison", "alpha", Role.LIAISON),
        ("alpha_analyst", "alpha", Role.ANALYST),
        ("bravo_liaison", "bravo", Role.LIAISON),
    ]:
        store.add_user(ALPHA, name, agency, role)
        keys[name] = store.create_key(ALPHA, name)
    with TestClient(create_app(alpha.service.settings, alpha.service)) as client:
        yield client, keys
    alpha.service.close()
    bravo.service.close()


def get(api: tuple[TestClient, dict[str, str]], user: str, url: str) -> Response:
    client, keys = api
    response: Response = client.get(url, headers={"X-API-Key": keys[user]})
    return response


def test_staff_see_partners_and_agreements(
    api: tuple[TestClient, dict[str, str]],
) -> None:
    partners = get(api, "alpha_liaison", "/sharing/partners")
    assert [p["id"] for p in partners.json()] == ["bravo"]
    agreements = get(api, "alpha_liaison", "/sharing/agreements?partner=bravo")
    assert [a["status"] for a in agreements.json()] == ["active"]


def test_explain_over_http_gives_reasons(
    api: tuple[TestClient, dict[str, str]],
) -> None:
    response = get(
        api, "alpha_liaison", "/sharing/explain?partner=bravo&entity=case-p1"
    )
    verdicts = {v["prop"]: v for v in response.json()}
    assert verdicts["name"]["allowed"] is True
    assert verdicts["birthDate"]["reasons"] == ["TLP:RED is never released"]


@pytest.mark.parametrize(
    ("user", "status"), [("alpha_analyst", 403), ("bravo_liaison", 403)]
)
def test_others_are_refused(
    api: tuple[TestClient, dict[str, str]], user: str, status: int
) -> None:
    assert get(api, user, "/sharing/partners").status_code == status
