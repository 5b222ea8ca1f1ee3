"""Two accord instances for PSI tests: stores, partners, consents, servers.

``alpha`` and ``bravo`` each get a workspace of their own. Each registers
the other as a partner, and each issues the other's liaison officer an API
key, exactly as two agencies would set up before their first session.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import uvicorn

from accord.api.app import create_app
from accord.model.account import Role
from accord.model.marking import Marking, Tlp
from accord.service import Accord, IngestRequest
from accord.settings import Settings
from accord.sharing.partners import Partner, PartnerRegistry
from accord.sharing.psi import (
    ConsentBook,
    ConsentRole,
    KeyType,
    PsiConsent,
    PsiServer,
)
from accord.sharing.psi.consent import ProbingLimits
from accord.store import Actor
from tests.factory import write_jsonl

PUBLIC_KEY = "HVkj3ifLhut+ZLa9YpCn8Ie4oY1VZzv2Wuet5ujVSSU="
ALL_KEYS = frozenset(KeyType)


def traveller(index: int, *, surname: str = "Example") -> dict[str, Any]:
    """A made-up person with a document, a nationality and a birth date."""
    year = 1950 + index % 50
    properties = {
        "name": [f"Person{index} {surname}{index}"],
        "birthDate": [f"{year}-{1 + index % 12:02d}-{1 + index % 28:02d}"],
        "nationality": ["gb" if index % 2 else "fr"],
        "passportNumber": [f"P{index:08d}"],
    }
    return {"id": f"t{index}", "schema": "Person", "properties": properties}


@dataclass
class Instance:
    """One agency's accord: its service, and the key it issued its partner."""

    agency: str
    service: Accord
    partner_key: str = ""
    url: str = ""

    @property
    def settings(self) -> Settings:
        return self.service.settings

    @property
    def actor(self) -> Actor:
        return self.service.local_actor()

    def ingest(self, tmp: Path, dataset: str, entities: list[dict[str, Any]]) -> None:
        path = write_jsonl(tmp / f"{self.agency}-{dataset}.jsonl", entities)
        marking = Marking(Tlp.AMBER)
        request = IngestRequest(path, "ftm_jsonl", dataset, self.agency, marking)
        self.service.ingest(self.actor, request)

    def consent(
        self,
        role: ConsentRole,
        dataset: str,
        partner: str,
        **options: Any,
    ) -> None:
        defaults: dict[str, Any] = {
            "key_types": ALL_KEYS,
            "expires_at": datetime.now(UTC) + timedelta(days=1),
        }
        if role is ConsentRole.REQUEST:
            defaults["remote_dataset"] = options.pop("remote_dataset")
        record = PsiConsent(role, dataset, partner, **{**defaults, **options})
        ConsentBook.for_settings(self.settings).grant(record)

    def limits(self, min_set_size: int = 100, sessions_per_hour: int = 10) -> None:
        book = ConsentBook.for_settings(self.settings)
        book.limits = ProbingLimits(min_set_size, sessions_per_hour)
        book.save()


def open_instance(root: Path, agency: str, partner: str) -> Instance:
    """A fresh workspace for ``agency`` that knows ``partner``."""
    settings = Settings(workspace=root / agency, agency=agency, actor=f"{agency}-op")
    service = Accord.open(settings)
    actor = service.local_actor()
    service.store.ensure_agency(actor, agency)
    service.store.ensure_agency(actor, partner)
    service.store.add_user(actor, f"{partner}_liaison", partner, Role.LIAISON)
    service.store.add_user(actor, f"{partner}_analyst", partner, Role.ANALYST)
    return Instance(
        agency, service, service.store.create_key(actor, f"{partner}_liaison")
    )


def register(instance: Instance, partner: Instance) -> None:
    """``instance`` registers ``partner`` with the URL it serves on."""
    registry = PartnerRegistry(instance.service.store)
    endpoint = partner.url or f"http://{partner.agency}.invalid"
    record = Partner(partner.agency, partner.agency.title(), PUBLIC_KEY, endpoint)
    registry.add_partner(instance.actor, record)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(instance: Instance, psi_server: PsiServer | None = None) -> Iterator[str]:
    """The instance's API on a free loopback port, in a thread; yields its URL.

    ``psi_server`` replaces the one the app would build (the benchmark gives
    it a prepared key set).
    """
    port = free_port()
    app = create_app(instance.settings, instance.service)
    if psi_server is not None:
        app.state.psi_server = psi_server
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test API server did not start")
        time.sleep(0.01)
    instance.url = f"http://127.0.0.1:{port}"
    try:
        yield instance.url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
