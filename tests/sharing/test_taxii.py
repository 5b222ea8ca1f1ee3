"""TAXII 2.1: our server read by the OASIS client, and our client both ways.

The server runs in-process (uvicorn on a free loopback port in a thread), so
taxii2-client talks real HTTP to it.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import uvicorn
from taxii2client.v21 import ApiRoot, Collection, Server, as_pages

from accord.api.app import create_app
from accord.model.account import Role
from accord.model.marking import Marking, Tlp
from accord.service import IngestRequest
from accord.settings import Settings
from accord.sharing.partners import Partner
from accord.sharing.signing import canonical_json, verify
from accord.sharing.taxii import SIGNATURE_HEADER
from accord.sharing.taxii_client import TaxiiClient, pull, push
from tests.sharing.conftest import (
    ALPHA,
    BRAVO,
    SHARING_FIXTURES,
    Agency,
    agree,
    ingest,
    load_alpha,
    open_agency,
)


class BearerAuth(requests.auth.AuthBase):
    def __init__(self, key: str) -> None:
        self.key = key

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.key}"
        return request


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Agency, Agency, str, str]]:
    """alpha's API served on loopback; bravo's liaison holds a key to it."""
    alpha = open_agency(Settings(workspace=tmp_path / "alpha", agency="alpha"), ALPHA)
    bravo = open_agency(Settings(workspace=tmp_path / "bravo", agency="bravo"), BRAVO)
    load_alpha(alpha, tmp_path)
    agree(alpha, "bravo", bravo.key)
    alpha.service.store.ensure_agency(ALPHA, "bravo")
    alpha.service.store.add_user(ALPHA, "bravo_liaison", "bravo", Role.LIAISON)
    key = alpha.service.store.create_key(ALPHA, "bravo_liaison")
    port = free_port()
    app = create_app(alpha.service.settings, alpha.service)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
    yield alpha, bravo, url, key
    server.should_exit = True
    server.force_exit = True
    thread.join(timeout=10)
    alpha.service.close()
    bravo.service.close()


def collection_of(url: str, key: str) -> Collection:
    server = Server(f"{url}/taxii2/", auth=BearerAuth(key))
    [root] = server.api_roots
    assert isinstance(root, ApiRoot)
    [collection] = root.collections
    return collection


def test_taxii2_client_discovers_one_collection_per_agreement(
    served: tuple[Agency, Agency, str, str],
) -> None:
    alpha, _, url, key = served
    server = Server(f"{url}/taxii2/", auth=BearerAuth(key))
    assert server.title == "accord TAXII 2.1"
    [root] = server.api_roots
    assert root.versions == ["application/taxii+json;version=2.1"]
    [collection] = root.collections
    [agreement] = alpha.sharing.registry.active_agreements("bravo")
    assert collection.id == agreement.id
    assert collection.can_read and collection.can_write


def test_taxii2_client_pages_through_every_object(
    served: tuple[Agency, Agency, str, str],
) -> None:
    alpha, _, url, key = served
    collection = collection_of(url, key)
    whole = collection.get_objects()
    ids = [o["id"] for o in whole["objects"]]
    paged = [
        o["id"]
        for envelope in as_pages(collection.get_objects, per_request=7)
        for o in envelope.get("objects", [])
    ]
    assert paged == ids
    assert len(ids) == len(set(ids)) > 40
    manifest = collection.get_manifest()
    assert [m["id"] for m in manifest["objects"]] == ids
    first = manifest["objects"][-1]
    versions = collection.object_versions(first["id"])
    assert versions["versions"] == [first["version"]]
    assert collection.get_object(first["id"])["objects"][0]["id"] == first["id"]
    exports = alpha.service.store.audit_records("export")
    assert {r.detail["format"] for r in exports} == {"taxii"}


def test_added_after_returns_only_newer_objects(
    served: tuple[Agency, Agency, str, str], tmp_path: Path
) -> None:
    alpha, _, url, key = served
    collection = collection_of(url, key)
    last_added = max(m["date_added"] for m in collection.get_manifest()["objects"])
    assert collection.get_objects(added_after=last_added) == {"more": False}
    newer = tmp_path / "cases_v2.jsonl"
    newer.write_bytes(
        (SHARING_FIXTURES / "case_people.jsonl").read_bytes()
        + b'{"id":"case-p2","schema":"Person","properties":{"name":["Ann Other"]}}\n'
    )
    marking = Marking(Tlp.AMBER, frozenset({"bravo"}))
    alpha.service.ingest(
        ALPHA, IngestRequest(newer, "ftm_jsonl", "cases", "alpha", marking)
    )
    fresh = collection.get_objects(added_after=last_added)
    names = [o.get("name") for o in fresh["objects"]]
    assert names == ["Ann Other"]


def test_pages_are_signed_by_the_server_agency(
    served: tuple[Agency, Agency, str, str],
) -> None:
    alpha, _, url, key = served
    collection = collection_of(url, key)
    response = requests.get(
        f"{collection.url}objects/",
        headers={
            "Authorization": f"Bearer {key}",
            "Accept": "application/taxii+json;version=2.1",
        },
        timeout=10,
    )
    assert response.headers["content-type"] == "application/taxii+json;version=2.1"
    claims = verify(
        response.headers[SIGNATURE_HEADER],
        canonical_json(response.json()),
        alpha.key.public_raw(),
    )
    assert claims["aud"] == "bravo" and claims["iss"] == "alpha"


def test_a_client_that_accepts_no_taxii_media_type_gets_406(
    served: tuple[Agency, Agency, str, str],
) -> None:
    _, _, url, key = served
    headers = {"Authorization": f"Bearer {key}", "Accept": "text/html"}
    response = requests.get(f"{url}/taxii2/", headers=headers, timeout=10)
    assert response.status_code == 406
    assert response.json()["error"] == "not_acceptable"


def test_without_a_key_nothing_is_served(
    served: tuple[Agency, Agency, str, str],
) -> None:
    _, _, url, _ = served
    response = requests.get(f"{url}/taxii2/", timeout=10)
    assert response.status_code == 401


def test_accord_pulls_from_and_pushes_to_a_partner(
    served: tuple[Agency, Agency, str, str], tmp_path: Path
) -> None:
    alpha, bravo, url, key = served
    alpha_partner = Partner("alpha", "Alpha", alpha.key.public_b64(), url)
    bravo.sharing.registry.add_partner(BRAVO, alpha_partner)
    client = TaxiiClient(alpha_partner, key)
    try:
        result = pull(bravo.sharing, BRAVO, client)
        assert result.pages >= 1 and result.entities > 0
        entity = bravo.service.store.get_entity(BRAVO, "case-p1")
        assert entity.get("name") == ["Jane Roe"]
        assert entity.get("birthDate") == []
        again = pull(bravo.sharing, BRAVO, client)
        assert again.entities == 0
        lead = {"id": "lead-1", "schema": "Person", "properties": {"name": ["Al Lead"]}}
        ingest(bravo, tmp_path, "leads", Marking(Tlp.GREEN), [lead])
        agree(bravo, "alpha", alpha.key, datasets=frozenset({"leads"}))
        status = push(bravo.sharing, BRAVO, client)
    finally:
        client.close()
    assert status["status"] == "complete" and status["success_count"] == 1
    again = requests.get(
        f"{url}/taxii2/api/status/{status['id']}/",
        headers={"Authorization": f"Bearer {key}"},
        timeout=10,
    )
    assert again.json() == status
    [imported] = alpha.service.store.audit_records("import")
    assert imported.target == "bravo"
    assert alpha.service.store.get_entity(ALPHA, "lead-1").get("name") == ["Al Lead"]


def test_only_the_partners_liaisons_see_its_collections(
    served: tuple[Agency, Agency, str, str],
) -> None:
    alpha, _, url, _ = served
    store = alpha.service.store
    store.add_user(ALPHA, "bravo_analyst", "bravo", Role.ANALYST)
    store.ensure_agency(ALPHA, "charlie")
    store.add_user(ALPHA, "charlie_liaison", "charlie", Role.LIAISON)
    analyst = store.create_key(ALPHA, "bravo_analyst")
    charlie = store.create_key(ALPHA, "charlie_liaison")
    headers = {"Accept": "application/taxii+json;version=2.1"}
    collections = f"{url}/taxii2/api/collections/"
    refused = requests.get(
        collections, headers={**headers, "X-API-Key": analyst}, timeout=10
    )
    assert refused.status_code == 403
    empty = requests.get(
        collections, headers={**headers, "X-API-Key": charlie}, timeout=10
    )
    assert empty.status_code == 200 and empty.json() == {}
    [agreement] = alpha.sharing.registry.active_agreements("bravo")
    hidden = requests.get(
        f"{collections}{agreement.id}/objects/",
        headers={**headers, "X-API-Key": charlie},
        timeout=10,
    )
    assert hidden.status_code == 404


def test_unsigned_push_is_refused(served: tuple[Agency, Agency, str, str]) -> None:
    alpha, _, url, key = served
    [agreement] = alpha.sharing.registry.active_agreements("bravo")
    response = requests.post(
        f"{url}/taxii2/api/collections/{agreement.id}/objects/",
        headers={
            "Authorization": f"Bearer {key}",
            "Content-Type": "application/taxii+json;version=2.1",
        },
        data=b'{"objects": []}',
        timeout=10,
    )
    assert response.status_code == 401
    assert alpha.service.store.audit_records("import") == []


TAXII_ROUTES = [
    ("GET", "/taxii2/"),
    ("GET", "/taxii2/api/"),
    ("GET", "/taxii2/api/collections/"),
    ("GET", "/taxii2/api/collections/c/"),
    ("GET", "/taxii2/api/collections/c/objects/"),
    ("GET", "/taxii2/api/collections/c/objects/o/"),
    ("GET", "/taxii2/api/collections/c/manifest/"),
    ("GET", "/taxii2/api/collections/c/objects/o/versions/"),
    ("GET", "/taxii2/api/status/s/"),
    ("POST", "/taxii2/api/collections/c/objects/"),
]


def test_every_taxii_route_needs_a_key(
    served: tuple[Agency, Agency, str, str],
) -> None:
    _, _, url, _ = served
    for method, path in TAXII_ROUTES:
        response = requests.request(method, f"{url}{path}", timeout=10)
        assert response.status_code == 401, (method, path)
        assert response.headers["WWW-Authenticate"] == "Bearer"
