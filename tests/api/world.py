"""A small two-agency world for API tests: alpha owns the data, bravo reads it.

Datasets (all owned by alpha):

* ``alpha_amber``      TLP:AMBER, alpha only
* ``alpha_red``        TLP:RED, alpha only
* ``alpha_amber_rel``  TLP:AMBER released to bravo
* ``alpha_green``      TLP:GREEN, every agency

Entity ``m1`` has values in both ``alpha_amber`` and ``alpha_green``.
Passport ``X1234567`` links ``p1`` (AMBER) and ``g1`` (GREEN), so its finding
is alpha's only; ``Y7654321`` links ``a2`` (AMBER rel. bravo) and ``g2``
(GREEN), so bravo may see that one.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from accord.model.account import Role
from accord.model.marking import Marking, Tlp
from accord.service import Accord, IngestRequest
from accord.store import Actor

with warnings.catch_warnings():
    # Starlette asks for httpx2 but still works with the httpx the project pins.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette")
    from fastapi.testclient import TestClient

__all__ = ["DATASETS", "SETUP", "USERS", "TestClient", "World", "person"]

SETUP = Actor("test-setup", "alpha")
USERS = {
    "alpha_admin": ("alpha", Role.ADMIN),
    "alpha_analyst": ("alpha", Role.ANALYST),
    "alpha_liaison": ("alpha", Role.LIAISON),
    "bravo_admin": ("bravo", Role.ADMIN),
    "bravo_analyst": ("bravo", Role.ANALYST),
    "bravo_liaison": ("bravo", Role.LIAISON),
}


def person(entity_id: str, **props: str) -> dict[str, Any]:
    """A Person entity in the FtM JSON-lines form."""
    properties = {key: [value] for key, value in props.items()}
    return {"id": entity_id, "schema": "Person", "properties": properties}


DATASETS: dict[str, tuple[Tlp, frozenset[str], list[dict[str, Any]]]] = {
    "alpha_amber": (
        Tlp.AMBER,
        frozenset(),
        [
            person("p1", name="Jane Doe", passportNumber="X1234567"),
            person("m1", name="Alex Roe", notes="amber-only note"),
        ],
    ),
    "alpha_red": (Tlp.RED, frozenset(), [person("r1", name="Sam Poe")]),
    "alpha_amber_rel": (
        Tlp.AMBER,
        frozenset({"bravo"}),
        [person("a2", name="Kim Loe", passportNumber="Y7654321")],
    ),
    "alpha_green": (
        Tlp.GREEN,
        frozenset(),
        [
            person("g1", name="Jane Doe", passportNumber="X1234567"),
            person("g2", name="Kim Loe", passportNumber="Y7654321"),
            person("m1", name="A. Roe", nationality="fr"),
        ],
    ),
}


@dataclass
class World:
    """The service, a client of its API and a key per user."""

    service: Accord
    client: TestClient
    tmp: Path
    keys: dict[str, str] = field(default_factory=dict)

    def auth(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[user]}"}

    def get(self, user: str, url: str, **kwargs: Any) -> httpx.Response:
        response: httpx.Response = self.client.get(
            url, headers=self.auth(user), **kwargs
        )
        return response

    def post(self, user: str, url: str, body: Any = None) -> httpx.Response:
        response: httpx.Response = self.client.post(
            url, headers=self.auth(user), json=body
        )
        return response

    def ingest(
        self, name: str, tlp: Tlp, rel: frozenset[str], entities: list[dict[str, Any]]
    ) -> None:
        path = self.tmp / f"{name}.jsonl"
        path.write_text("".join(json.dumps(e) + "\n" for e in entities), "utf-8")
        marking = Marking(tlp, rel)
        request = IngestRequest(path, "ftm_jsonl", name, "alpha", marking)
        self.service.ingest(SETUP, request)
