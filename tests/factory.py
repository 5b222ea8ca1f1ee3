"""Builders shared by tests: small FtM files and ingest requests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from accord.model.marking import Marking, Tlp
from accord.service import IngestRequest


def person(entity_id: str, name: str, **props: str) -> dict[str, Any]:
    properties = {"name": [name], **{key: [value] for key, value in props.items()}}
    return {"id": entity_id, "schema": "Person", "properties": properties}


def write_jsonl(path: Path, entities: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8")
    return path


def request(
    path: Path,
    dataset: str,
    agency: str = "alpha",
    tlp: Tlp = Tlp.AMBER,
    releasable_to: frozenset[str] = frozenset(),
    fmt: str = "ftm_jsonl",
) -> IngestRequest:
    return IngestRequest(path, fmt, dataset, agency, Marking(tlp, releasable_to))
