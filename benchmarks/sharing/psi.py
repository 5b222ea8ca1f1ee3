"""Private set intersection speed: the library alone, in process, and over HTTP.

Scenarios (client set x server set, elements are keys):

* ``library_50k``: openmined-psi's plain API on one thread, as its README
  uses it: the anchor;
* ``protocol_50k``: accord's wrapper in process (threads, shards), no HTTP;
* ``http_50k`` and ``http_10k_1m``: two accord instances on loopback, the
  requester's blinded set POSTed to the serving instance's real API (key
  authentication, partner and consent checks, rate limit, audit), timed from
  the client's plain keys to its decoded intersection; ``seconds`` is the
  first session (the server blinds its set), ``warm_seconds`` a second one
  that reuses the kept setup;
* ``derive_keys``: key derivation from FtM Person entities, per second.

The serving side's keys come from a ``key_source`` (as a bulk job would
provide them) so a million-key list need not be ingested first. Every
scenario shares 10 % of the client's keys with the server and checks that
the intersection found is exactly that. Run:

    .venv/bin/python -m benchmarks.sharing.psi [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from followthemoney import model

from accord.sharing.psi import ConsentRole, KeySet, KeyType, PsiServer
from accord.sharing.psi.keys import KEY_VERSION, build_key_set
from accord.sharing.psi.protocol import (
    DEFAULT_FPR,
    PsiClient,
    ServerOptions,
    answer,
    default_workers,
)
from accord.sharing.psi.transport import HttpPsiTransport
from accord.sharing.psi.wire import PsiQuery
from tests.sharing.psi.support import open_instance, register, serving, traveller

RESULTS = Path(__file__).resolve().parents[1] / "results" / "sharing_psi.json"
OVERLAP = 0.10


class Stopwatch:
    """Wall time and this process's CPU time (both sides run in it) since start.

    CPU time is what a busy shared machine cannot inflate: wall time there
    depends on who else is running.
    """

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = time.process_time()

    def read(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def keys(count: int, start: int) -> list[str]:
    """Keys shaped like real document keys."""
    return [f"document:gb:P{index:09d}" for index in range(start, start + count)]


def sets(client_size: int, server_size: int) -> tuple[list[str], list[str], int]:
    """A client and a server set sharing ``OVERLAP`` of the client's keys."""
    common = int(client_size * OVERLAP)
    client = keys(client_size, 0)
    server = keys(server_size, client_size - common)
    return client, server, common


def library_run(client_size: int, server_size: int) -> dict[str, Any]:
    """The library's own API, one thread, no accord code."""
    from private_set_intersection.python import (  # type: ignore[import-untyped]  # noqa: PLC0415
        DataStructure,
        client,
        server,
    )

    mine, theirs, common = sets(client_size, server_size)
    clock = Stopwatch()
    psi_client = client.CreateWithNewKey(True)
    psi_server = server.CreateWithNewKey(True)
    setup = psi_server.CreateSetupMessage(
        DEFAULT_FPR, len(mine), theirs, DataStructure.GCS
    )
    request = psi_client.CreateRequest(mine)
    response = psi_server.ProcessRequest(request)
    found = psi_client.GetIntersection(setup, response)
    seconds, cpu = clock.read()
    return _row(client_size, server_size, seconds, len(found) == common) | {
        "cpu_seconds": round(cpu, 3),
        "threads": 1,
        "setup_bytes": len(setup.SerializeToString()),
        "request_bytes": len(request.SerializeToString()),
    }


def protocol_run(client_size: int, server_size: int) -> dict[str, Any]:
    """accord's wrapper in one process: both sides' threads, no HTTP."""
    mine, theirs, common = sets(client_size, server_size)
    workers = default_workers()
    clock = Stopwatch()
    psi_client = PsiClient(mine, True, workers)
    options = ServerOptions(True, workers=workers)
    reply, _ = answer(theirs, psi_client.request(), options)
    found = psi_client.intersection(reply)
    seconds, cpu = clock.read()
    return _row(client_size, server_size, seconds, len(found) == common) | {
        "cpu_seconds": round(cpu, 3),
        "threads": workers,
        "shards": len(reply.setups),
    }


def http_run(root: Path, client_size: int, server_size: int) -> dict[str, Any]:
    """Two instances on loopback; the session goes through the real API."""
    mine, theirs, common = sets(client_size, server_size)
    alpha = open_instance(root, "alpha", "bravo")
    bravo = open_instance(root, "bravo", "alpha")
    bravo.ingest(root, "watchlist", [traveller(0)])
    bravo.consent(ConsentRole.SERVE, "watchlist", "alpha")
    server_keys = KeySet(sorted(theirs), {})
    psi_server = PsiServer(bravo.service, key_source=lambda *_: server_keys)
    try:
        with serving(bravo, psi_server) as url:
            register(bravo, alpha)
            seconds, found, sizes = _timed_session(url, bravo.partner_key, mine)
            warm, found_again, again = _timed_session(url, bravo.partner_key, mine)
    finally:
        alpha.service.close()
        bravo.service.close()
    exact = found == found_again == common
    return (
        _row(client_size, server_size, seconds, exact)
        | sizes
        | {
            "warm_seconds": round(warm, 3),
            "warm_cpu_seconds": again["cpu_seconds"],
        }
    )


def _timed_session(url: str, api_key: str, mine: list[str]) -> tuple[float, int, Any]:
    transport = HttpPsiTransport(url, api_key)
    workers = default_workers()
    clock = Stopwatch()
    psi_client = PsiClient(mine, True, workers)
    query = PsiQuery(
        session=os.urandom(8).hex(),
        dataset="watchlist",
        key_types=frozenset({KeyType.DOCUMENT}),
        key_version=KEY_VERSION,
        cardinality_only=False,
        request=psi_client.request(),
    )
    reply = transport.send(query)
    found = len(psi_client.intersection(reply.answer))
    seconds, cpu = clock.read()
    sizes = {
        "cpu_seconds": round(cpu, 3),
        "threads": workers,
        "shards": len(reply.answer.setups),
        "request_bytes": len(query.request),
        "answer_bytes": len(reply.answer.response)
        + sum(len(s) for s in reply.answer.setups),
    }
    return seconds, found, sizes


def derive_run(count: int) -> dict[str, Any]:
    """Keys per second from FtM Person entities (all three key types)."""
    people = []
    for index in range(count):
        entity = model.make_entity("Person")
        data = traveller(index)
        entity.id = data["id"]
        for prop, values in data["properties"].items():
            entity.add(prop, values)
        people.append(entity)
    clock = Stopwatch()
    derived = build_key_set(people, frozenset(KeyType))
    seconds, cpu = clock.read()
    return {
        "subjects": count,
        "keys": len(derived),
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "subjects_per_s": round(count / seconds),
    }


def _row(client: int, server: int, seconds: float, exact: bool) -> dict[str, Any]:
    return {
        "client_set": client,
        "server_set": server,
        "seconds": round(seconds, 3),
        "exact": exact,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Sets 10x smaller.")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    big, small, huge = 50_000 // scale, 10_000 // scale, 1_000_000 // scale
    results: dict[str, Any] = {
        "benchmark": "sharing_psi",
        "cpu_count": os.cpu_count(),
        "fpr": DEFAULT_FPR,
        "structure": "gcs",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    runs: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("library_50k", lambda: library_run(big, big)),
        ("protocol_50k", lambda: protocol_run(big, big)),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        runs += [
            ("http_50k", lambda: http_run(root / "a", big, big)),
            ("http_10k_1m", lambda: http_run(root / "b", small, huge)),
        ]
        runs.append(("derive_keys", lambda: derive_run(big)))
        for name, run in runs:
            results[name] = run()
    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, indent=2)
    RESULTS.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
