"""Export throughput, bundle validity and a TAXII sync of 10,000 objects.

Builds a store with 11,000 synthetic people in three datasets (TLP:GREEN,
TLP:AMBER released to the partner, TLP:RED), gives the partner an agreement
over all three, then measures:

* export throughput per format (release + write + sign), objects/s;
* OASIS stix2-validator errors and warnings on the STIX export;
* releasability violations in every export (values the marking rules refuse);
* a TAXII 2.1 sync of the partner's collection over real HTTP (uvicorn on
  loopback): fetch-only with taxii2-client, and ``accord share pull``'s path
  (fetch, verify each page's signature, import);
* the anchor: taxii2-client fetching 1,000 of the same objects from
  medallion 3.0.0, the OASIS reference TAXII server (memory backend), when
  it is installed.

Run: ``.venv/bin/python -m benchmarks.sharing.exchange [--people N]``
"""

from __future__ import annotations

import argparse
import json
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
import uvicorn
from stix2validator import ValidationOptions, validate_string
from taxii2client.v21 import Server, as_pages

from accord.api.app import create_app
from accord.model.account import Role
from accord.model.marking import Marking, Tlp, may_read
from accord.service import Accord, IngestRequest
from accord.settings import Settings
from accord.sharing.category import Category
from accord.sharing.partners import Agreement, Partner
from accord.sharing.service import SharingService
from accord.sharing.signing import generate_key
from accord.sharing.taxii_client import TaxiiClient, pull

RESULTS = Path(__file__).resolve().parents[1] / "results" / "sharing_exchange.json"
SPLIT = {"green": (Tlp.GREEN, 0.55), "amber": (Tlp.AMBER, 0.36), "red": (Tlp.RED, 0.09)}
PAGE = 1000
ANCHOR_OBJECTS = 1000


def people(count: int, prefix: str) -> Iterator[dict[str, Any]]:
    for index in range(count):
        props: dict[str, list[str]] = {
            "name": [f"Person {prefix} {index}"],
            "nationality": [["gb", "fr", "de", "ru"][index % 4]],
            "birthDate": [f"19{50 + index % 50}-01-{1 + index % 28:02d}"],
        }
        if index % 10 == 0:
            props["topics"] = ["crime.terror"]
        yield {"id": f"{prefix}-{index}", "schema": "Person", "properties": props}


def build_store(alpha: Accord, tmp: Path, total: int) -> None:
    actor = alpha.local_actor()
    for name, (tlp, share) in SPLIT.items():
        path = tmp / f"{name}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for entity in people(round(total * share), name):
                handle.write(json.dumps(entity) + "\n")
        rel = frozenset({"bravo"}) if tlp is Tlp.AMBER else frozenset()
        alpha.ingest(
            actor, IngestRequest(path, "ftm_jsonl", name, "alpha", Marking(tlp, rel))
        )


def timed(action: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def violations(sharing: SharingService) -> int:
    """Values in the release the marking rules alone would refuse."""
    release = sharing.release("bravo")
    return sum(
        1
        for entity in release.entities
        for value in entity.values
        if value.marking.tlp in (Tlp.RED, Tlp.AMBER_STRICT)
        or not may_read(value.marking, "alpha", "bravo")
    )


def exports(sharing: SharingService) -> tuple[dict[str, Any], bytes]:
    actor = sharing.accord.local_actor()
    results: dict[str, Any] = {}
    stix_payload = b""
    for fmt in ("stix", "misp", "ftm"):
        signed, seconds = timed(lambda fmt=fmt: sharing.export(actor, "bravo", fmt))
        objects = signed.receipt["entities"]
        results[fmt] = {
            "entities": objects,
            "values": signed.receipt["values"],
            "withheld_values": signed.receipt["withheld"],
            "seconds": round(seconds, 3),
            "objects_per_s": round(objects / seconds),
            "bytes": len(signed.payload),
        }
        if fmt == "stix":
            stix_payload = signed.payload
    return results, stix_payload


def validate(payload: bytes) -> dict[str, Any]:
    result, seconds = timed(
        lambda: validate_string(payload.decode(), ValidationOptions(version="2.1"))
    )
    return {
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "valid": bool(result.is_valid),
        "seconds": round(seconds, 1),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serving(app: Any) -> Iterator[str]:
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        server.force_exit = True
        thread.join(timeout=10)


class Bearer(requests.auth.AuthBase):
    def __init__(self, key: str) -> None:
        self.key = key

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.key}"
        return request


def fetch_all(collection: Any) -> list[dict[str, Any]]:
    return [
        obj
        for envelope in as_pages(collection.get_objects, per_request=PAGE)
        for obj in envelope.get("objects", [])
    ]


def taxii_sync(
    alpha: Accord, bravo: SharingService, alpha_public: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    store = alpha.store
    setup = alpha.local_actor()
    store.ensure_agency(setup, "bravo")
    store.add_user(setup, "bravo_liaison", "bravo", Role.LIAISON)
    key = store.create_key(setup, "bravo_liaison")
    with serving(create_app(alpha.settings, alpha)) as url:
        server = Server(f"{url}/taxii2/", auth=Bearer(key))
        [collection] = server.api_roots[0].collections
        cold, cold_s = timed(lambda: fetch_all(collection))
        warm, warm_s = timed(lambda: fetch_all(collection))
        partner = Partner("alpha", "Alpha", alpha_public, url)
        bravo.registry.add_partner(bravo.accord.local_actor(), partner)
        client = TaxiiClient(partner, key)
        try:
            pulled, pull_s = timed(
                lambda: pull(bravo, bravo.accord.local_actor(), client)
            )
        finally:
            client.close()
    count = len(warm)
    return {
        "objects": count,
        "pages": pulled.pages,
        "taxii2_client_first_fetch_s": round(cold_s, 3),
        "taxii2_client_fetch_s": round(warm_s, 3),
        "fetch_s_per_1000": round(warm_s / count * 1000, 3),
        "pull_verify_import_s": round(pull_s, 3),
        "pull_s_per_1000": round(pull_s / count * 1000, 3),
        "imported_entities": pulled.entities,
        "first_fetch_objects": len(cold),
    }, warm


def medallion_anchor(objects: list[dict[str, Any]], tmp: Path) -> dict[str, Any]:
    """taxii2-client reading the same objects from the OASIS reference server."""
    try:
        from medallion import application_instance, set_config  # noqa: PLC0415
        from werkzeug.serving import make_server  # noqa: PLC0415
    except ImportError:
        return {"skipped": "medallion is not installed"}
    # medallion reads an object's "version" property as its timestamp, and
    # extension-definition objects have a "version" of their own ("1.0.0"),
    # which crashes it; the anchor serves every other object.
    objects = [o for o in objects if o["type"] != "extension-definition"]
    # medallion's memory backend pages in O(manifest x objects) with a date
    # parse per comparison, so it gets 1,000 objects: its best case per 1,000.
    objects = objects[:ANCHOR_OBJECTS]
    port = free_port()
    root = f"http://127.0.0.1:{port}/api1/"
    added = datetime.now(UTC) - timedelta(days=1)
    manifest = [
        {
            "id": obj["id"],
            "date_added": (added + timedelta(microseconds=i)).strftime(
                "%Y-%m-%dT%H:%M:%S.%fZ"
            ),
            "version": obj.get("modified", obj.get("created", "")),
            "media_type": "application/stix+json;version=2.1",
        }
        for i, obj in enumerate(objects)
    ]
    data = {
        "/discovery": {"title": "anchor", "default": root, "api_roots": [root]},
        "api1": {
            "information": {
                "title": "anchor",
                "versions": ["application/taxii+json;version=2.1"],
                "max_content_length": 100 * 1024 * 1024,
            },
            "status": [],
            "collections": [
                {
                    "id": "472c94ae-3113-4e3e-a4dd-a9f4ac7471d4",
                    "title": "anchor",
                    "can_read": True,
                    "can_write": False,
                    "media_types": ["application/stix+json;version=2.1"],
                    "objects": objects,
                    "manifest": manifest,
                }
            ],
        },
    }
    path = tmp / "medallion.json"
    path.write_text(json.dumps(data))
    config = {
        "backend": {
            "module": "medallion.backends.memory_backend",
            "module_class": "MemoryBackend",
            "filename": str(path),
        },
        "users": {"user": "pass"},
        "taxii": {"max_page_size": PAGE},
    }
    for part in ("users", "taxii", "backend"):
        set_config(application_instance, part, config)
    from medallion import register_blueprints  # noqa: PLC0415

    register_blueprints(application_instance)
    server = make_server("127.0.0.1", port, application_instance, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{port}/taxii2/"
        # The anchor's own demo credentials, on a loopback-only server.
        taxii = Server(url, user="user", password="pass")  # noqa: S106
        [collection] = taxii.api_roots[0].collections
        fetched, seconds = timed(lambda: fetch_all(collection))
    finally:
        server.shutdown()
    return {
        "server": "medallion 3.0.0 (memory backend)",
        "objects": len(fetched),
        "taxii2_client_fetch_s": round(seconds, 3),
        "fetch_s_per_1000": round(seconds / max(1, len(fetched)) * 1000, 3),
    }


def run(total: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        alpha = Accord.open(Settings(workspace=tmp / "alpha", agency="alpha"))
        bravo = Accord.open(Settings(workspace=tmp / "bravo", agency="bravo"))
        alpha_key = generate_key(alpha.settings)
        bravo_key = generate_key(bravo.settings)
        build_store(alpha, tmp, total)
        sharing = SharingService(alpha)
        endpoint = "https://bravo.example"
        sharing.registry.add_partner(
            alpha.local_actor(),
            Partner("bravo", "Bravo", bravo_key.public_b64(), endpoint),
        )
        agreement = Agreement(
            partner="bravo",
            datasets=frozenset(SPLIT),
            categories=frozenset({Category.parse("schema:Person")}),
            tlp_levels=frozenset(Tlp),
            expires_at=datetime.now(UTC) + timedelta(days=30),
        )
        sharing.registry.add_agreement(alpha.local_actor(), agreement)
        export_results, stix_payload = exports(sharing)
        result: dict[str, Any] = {
            "people": total,
            "export": export_results,
            "stix_validator": validate(stix_payload),
            "releasability_violations": violations(sharing),
        }
        bravo_sharing = SharingService(bravo)
        sync, objects = taxii_sync(alpha, bravo_sharing, alpha_key.public_b64())
        result["taxii_sync"] = sync
        result["anchor"] = medallion_anchor(objects, tmp)
        alpha.close()
        bravo.close()
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=11000)
    args = parser.parse_args()
    result = run(args.people)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
