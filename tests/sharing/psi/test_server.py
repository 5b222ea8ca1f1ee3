"""The serving side in process: setup reuse follows the mode, refusals audit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from followthemoney import model

from accord.errors import InvalidData, ReleaseDenied
from accord.model.account import Role, User
from accord.model.marking import Marking, Tlp
from accord.service import Accord, IngestRequest
from accord.settings import Settings
from accord.sharing.psi import (
    KEY_VERSION,
    ConsentRole,
    KeyType,
    PsiRateLimited,
    PsiServer,
    ServeConfig,
    build_key_set,
)
from accord.sharing.psi.protocol import PsiClient
from accord.sharing.psi.wire import PsiQuery
from tests.factory import write_jsonl
from tests.sharing.psi.support import Instance, open_instance, register, traveller

LIAISON = User("alpha_liaison", "alpha", Role.LIAISON)
DOCUMENTS = frozenset({KeyType.DOCUMENT})


@pytest.fixture
def bravo(tmp_path: Path) -> Iterator[Instance]:
    alpha = open_instance(tmp_path, "alpha", "bravo")
    instance = open_instance(tmp_path, "bravo", "alpha")
    instance.ingest(tmp_path, "watchlist", [traveller(i) for i in range(300)])
    register(instance, alpha)
    instance.consent(ConsentRole.SERVE, "watchlist", "alpha", key_types=DOCUMENTS)
    alpha.service.close()
    yield instance
    instance.service.close()


def query(client: PsiClient, cardinality_only: bool = False) -> PsiQuery:
    return PsiQuery(
        session="0123456789abcdef",
        dataset="watchlist",
        key_types=DOCUMENTS,
        key_version=KEY_VERSION,
        cardinality_only=cardinality_only,
        request=client.request(),
    )


def client_keys() -> list[str]:
    entities = []
    for index in range(200, 400):
        data = traveller(index)
        entity = model.make_entity("Person")
        entity.id = data["id"]
        for prop, values in data["properties"].items():
            entity.add(prop, values)
        entities.append(entity)
    return build_key_set(entities, DOCUMENTS).elements


def test_intersection_sessions_reuse_the_setup(bravo: Instance) -> None:
    server = PsiServer(bravo.service)
    elements = client_keys()
    first_client = PsiClient(elements, True, 1)
    first = server.answer(LIAISON, query(first_client))
    second_client = PsiClient(elements, True, 1)
    second = server.answer(LIAISON, query(second_client))
    assert first.answer.setups == second.answer.setups
    assert len(second_client.intersection(second.answer)) == 100


def test_cardinality_sessions_never_reuse_a_key(bravo: Instance) -> None:
    server = PsiServer(bravo.service)
    elements = client_keys()
    replies = []
    for _ in range(2):
        client = PsiClient(elements, False, 1)
        reply = server.answer(LIAISON, query(client, cardinality_only=True))
        assert client.cardinality(reply.answer) == 100
        replies.append(reply)
    assert replies[0].answer.setups != replies[1].answer.setups


def test_reuse_can_be_switched_off(bravo: Instance) -> None:
    server = PsiServer(bravo.service, ServeConfig(reuse_setup_seconds=0))
    elements = client_keys()
    setups = [
        server.answer(LIAISON, query(PsiClient(elements, True, 1))).answer.setups
        for _ in range(2)
    ]
    assert setups[0] != setups[1]


def test_key_types_outside_the_consent_are_refused(bravo: Instance) -> None:
    server = PsiServer(bravo.service)
    client = PsiClient(client_keys(), True, 1)
    asked = PsiQuery(
        "0123456789abcdef",
        "watchlist",
        frozenset(KeyType),
        KEY_VERSION,
        False,
        client.request(),
    )
    with pytest.raises(ReleaseDenied) as refused:
        server.answer(LIAISON, asked)
    assert refused.value.reasons == ["key types not consented: name_dob, skeleton_dob"]


def test_a_dataset_we_do_not_own_is_never_served(
    bravo: Instance, tmp_path: Path
) -> None:
    foreign = [traveller(i) for i in range(5)]
    path = tmp_path / "foreign.jsonl"
    write_jsonl(path, foreign)
    bravo.service.ingest(
        bravo.actor,
        IngestRequest(path, "ftm_jsonl", "theirs", "alpha", Marking(Tlp.GREEN)),
    )
    bravo.consent(ConsentRole.SERVE, "theirs", "alpha", key_types=DOCUMENTS)
    client = PsiClient(client_keys(), True, 1)
    asked = PsiQuery(
        "0123456789abcdef", "theirs", DOCUMENTS, KEY_VERSION, False, client.request()
    )
    with pytest.raises(ReleaseDenied, match="only our own datasets"):
        PsiServer(bravo.service).answer(LIAISON, asked)


def test_rate_limit_counts_audit_records_on_each_backend(
    store_settings: Settings, tmp_path: Path
) -> None:
    settings = store_settings.model_copy(update={"agency": "bravo"})
    service = Accord.open(settings)
    instance = Instance("bravo", service)
    try:
        service.store.ensure_agency(instance.actor, "bravo")
        instance.ingest(tmp_path, "watchlist", [traveller(i) for i in range(300)])
        register(instance, Instance("alpha", service))
        instance.consent(ConsentRole.SERVE, "watchlist", "alpha", key_types=DOCUMENTS)
        instance.limits(sessions_per_hour=1)
        server = PsiServer(service)
        elements = client_keys()
        server.answer(LIAISON, query(PsiClient(elements, True, 1)))
        with pytest.raises(PsiRateLimited):
            server.answer(LIAISON, query(PsiClient(elements, True, 1)))
        outcomes = [
            r.detail["outcome"]
            for r in service.store.audit_records("export")
            if r.detail.get("protocol") == "psi"
        ]
        assert outcomes == ["accepted", "refused"]
        assert service.store.verify_audit() == []
    finally:
        service.close()


def test_a_malformed_query_is_refused_and_audited(bravo: Instance) -> None:
    asked = PsiQuery(
        "0123456789abcdef", "watchlist", DOCUMENTS, KEY_VERSION, False, b"\xff\x00"
    )
    with pytest.raises(InvalidData, match="malformed PSI request"):
        PsiServer(bravo.service).answer(LIAISON, asked)
    [record] = bravo.service.store.audit_records("export")
    assert record.detail["outcome"] == "invalid"
