"""Released entities as FtM JSON lines, one line per entity and marking.

Plain FtM consumers read the lines as entities and merge them by id (the
way ``ftm`` tools and nomenklatura treat fragments); the extra ``marking``
key carries the TLP level and releasability of the values on that line, so
a merged entity keeps per-value markings. The signed form is the canonical
JSON of each line.
"""

from __future__ import annotations

import json
from typing import Any

from accord.errors import ReaderError
from accord.model.marking import Marking
from accord.sharing.received import EntityBuilder, Received, for_recipient
from accord.sharing.release import Release
from accord.sharing.stix import marking_of


def ftm_lines(release: Release) -> list[dict[str, Any]]:
    """One JSON object per (entity, marking) of the release."""
    lines = []
    for entity in release.entities:
        groups = sorted(
            entity.by_marking().items(),
            key=lambda item: (item[0].tlp.rank, sorted(item[0].releasable_to)),
        )
        for marking, values in groups:
            properties: dict[str, list[str]] = {}
            for value in values:
                properties.setdefault(value.prop, []).append(value.value)
            lines.append(
                {
                    "id": entity.id,
                    "schema": entity.schema,
                    "properties": {k: sorted(v) for k, v in properties.items()},
                    "marking": _marking_dict(marking),
                }
            )
    return lines


def _marking_dict(marking: Marking) -> dict[str, Any]:
    return {"tlp": marking.tlp.value, "releasable_to": sorted(marking.releasable_to)}


def parse_lines(data: bytes, source: str) -> list[dict[str, Any]]:
    """The JSON objects of a JSON-lines file, each checked to be an object."""
    documents = []
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            doc = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ReaderError(source, f"line {number}", f"not JSON: {exc}") from None
        if not isinstance(doc, dict):
            raise ReaderError(source, f"line {number}", "expected a JSON object")
        documents.append(doc)
    return documents


def read_ftm(data: bytes, source: str, recipient: str | None) -> Received:
    """Entities from accord FtM JSON lines; unmarked lines stay with us alone."""
    received = Received()
    for number, doc in enumerate(parse_lines(data, source), start=1):
        position = f"line {number}"
        builder = EntityBuilder.start(
            source, position, doc.get("schema"), doc.get("id")
        )
        marking = _line_marking(doc, source, position)
        properties = doc.get("properties", {})
        if not isinstance(properties, dict):
            raise ReaderError(source, position, "'properties' must be an object")
        for name, values in properties.items():
            if not isinstance(values, list):
                raise ReaderError(source, position, f"{name!r} must be a list")
            for value in values:
                builder.add(name, value, for_recipient(marking, recipient))
        entity = builder.build()
        if entity is None:
            received.skipped["no importable values"] += 1
        else:
            received.entities.append(entity)
    return received


def _line_marking(doc: dict[str, Any], source: str, position: str) -> Marking | None:
    raw = doc.get("marking")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ReaderError(source, position, "'marking' must be an object")
    try:
        return marking_of(raw)
    except (KeyError, ValueError) as exc:
        raise ReaderError(source, position, f"bad marking: {exc}") from None
