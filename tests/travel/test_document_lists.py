"""The warm document-list index: rebuilt when a list changes, never stale."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accord.model.marking import Tlp
from accord.service import Accord
from accord.store import Actor
from accord.travel.document_lists import DocumentLists, DocumentScope
from tests.factory import request, write_jsonl

ACTOR = Actor("desk", "alpha")


def _passport(number: str, summary: str) -> dict[str, Any]:
    props = {"number": [number], "country": ["fr"], "summary": [summary]}
    return {"id": f"doc-{number}", "schema": "Passport", "properties": props}


def test_a_new_list_version_is_seen_on_the_next_check(
    service: Accord, tmp_path: Path
) -> None:
    lists = DocumentLists(service.store)
    first = write_jsonl(tmp_path / "v1.jsonl", [_passport("A1", "stolen")])
    service.ingest(ACTOR, request(first, "sltd"))
    assert lists.check(ACTOR, "B2", "fr", DocumentScope()).hit is False
    second = write_jsonl(
        tmp_path / "v2.jsonl", [_passport("A1", "stolen"), _passport("B2", "lost")]
    )
    service.ingest(ACTOR, request(second, "sltd"))
    result = lists.check(ACTOR, "B2", "fr", DocumentScope())
    assert [hit.status.value for hit in result.hits] == ["lost"]


def test_unstated_documents_count_only_from_a_named_list(
    service: Accord, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "reg.jsonl", [_passport("C3", "issued 2020")])
    service.ingest(ACTOR, request(path, "registry", tlp=Tlp.GREEN))
    lists = DocumentLists(service.store)
    assert not lists.check(ACTOR, "C3", "fr", DocumentScope()).hit
    named = lists.check(ACTOR, "C3", "fr", DocumentScope(named=("registry",)))
    assert [hit.status.value for hit in named.hits] == ["listed"]
