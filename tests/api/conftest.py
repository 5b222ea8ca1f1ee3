"""Fixtures: a fresh SQLite workspace, the API over it, and the shared world."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from accord.api.app import create_app
from accord.service import Accord
from accord.settings import Settings
from tests.api.world import DATASETS, SETUP, USERS, TestClient, World


@pytest.fixture
def api_service(tmp_path: Path) -> Iterator[Accord]:
    """A fresh SQLite workspace with agencies and users, but no data."""
    accord = Accord.open(Settings(workspace=tmp_path / "workspace"))
    for agency in ("alpha", "bravo"):
        accord.store.ensure_agency(SETUP, agency)
    for name, (agency, role) in USERS.items():
        accord.store.add_user(SETUP, name, agency, role)
    yield accord
    accord.close()


@pytest.fixture
def world(api_service: Accord, tmp_path: Path) -> Iterator[World]:
    """The API over the service, with every dataset of the module docstring."""
    service = api_service
    app = create_app(service.settings, service)
    with TestClient(app) as client:
        built = World(service, client, tmp_path)
        built.keys = {name: service.store.create_key(SETUP, name) for name in USERS}
        for name, (tlp, rel, entities) in DATASETS.items():
            built.ingest(name, tlp, rel, entities)
        yield built


@pytest.fixture
def run_all(world: World) -> dict[str, Any]:
    """alpha's analyst runs the shared-identifier detector over everything."""
    response = world.post("alpha_analyst", "/run", {"detectors": ["shared_identifier"]})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result
