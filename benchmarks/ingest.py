"""Ingest and read-back speed of the store, on SQLite and PostgreSQL.

Reads the full UN consolidated list from ../shared/data (or a file given as
the first argument), ingests it into a fresh store on each backend, reads
every entity back, and prints one JSON object. Run:

    .venv/bin/python -m benchmarks.ingest [FILE] [--postgres URL]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from accord.model.marking import Marking, Tlp
from accord.service import Accord, IngestRequest
from accord.settings import Settings

DEFAULT_FILE = (
    Path(__file__).resolve().parents[2]
    / "shared/data/watchlists/un_sc_2026-02/UN_consolidated.xml"
)
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def measure(settings: Settings, path: Path) -> dict[str, Any]:
    service = Accord.open(settings)
    request = IngestRequest(path, "un_sc", "un_sc", "bench", Marking(Tlp.CLEAR))
    start = time.perf_counter()
    result = service.ingest(service.local_actor(), request)
    ingest_s = time.perf_counter() - start
    start = time.perf_counter()
    again = service.ingest(service.local_actor(), request)
    noop_s = time.perf_counter() - start
    start = time.perf_counter()
    read = sum(1 for _ in service.store.entities())
    read_s = time.perf_counter() - start
    service.close()
    return {
        "entities": result.entities,
        "statements": result.statements,
        "ingest_seconds": round(ingest_s, 3),
        "ingest_entities_per_s": round(result.entities / ingest_s),
        "ingest_statements_per_s": round(result.statements / ingest_s),
        "reingest_noop": again.skipped,
        "reingest_seconds": round(noop_s, 3),
        "read_entities": read,
        "read_entities_per_s": round(read / read_s),
    }


def postgres_run(admin_url: str, path: Path) -> dict[str, Any]:
    name = f"accord_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(admin_url).set(database=name).render_as_string(False)
        with tempfile.TemporaryDirectory() as tmp:
            return measure(Settings(workspace=Path(tmp), database_url=url), path)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    args = parser.parse_args()
    if not args.file.is_file():
        raise SystemExit(f"no input file at {args.file}; pass one as an argument")
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = measure(Settings(workspace=Path(tmp)), args.file)
    report = {
        "benchmark": "store_ingest",
        "file": str(args.file),
        "sqlite": sqlite,
        "postgres": postgres_run(args.postgres, args.file),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
