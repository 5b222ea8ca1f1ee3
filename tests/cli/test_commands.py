"""The CLI end to end, as a user runs it: the real ``accord`` entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from accord.service import Accord
from accord.settings import Settings
from tests.factory import person, write_jsonl


def accord(workspace: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    command = [sys.executable, "-m", "accord", "--workspace", str(workspace), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def ingest(
    workspace: Path, path: Path, fmt: str, dataset: str, tlp: str
) -> subprocess.CompletedProcess[str]:
    args = ["--format", fmt, "--dataset", dataset, "--tlp", tlp]
    return accord(workspace, "ingest", str(path), *args)


def test_ingest_help_lists_every_format(tmp_path: Path) -> None:
    result = accord(tmp_path, "ingest", "--help")
    assert result.returncode == 0
    assert "ftm_jsonl" in result.stdout
    assert "un_sc" in result.stdout
    assert "--tlp" in result.stdout


def test_malformed_xml_is_refused_with_position(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text(
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>\n<DATAID>1</DA", "utf-8"
    )
    result = ingest(tmp_path, bad, "un_sc", "un", "clear")
    assert result.returncode == 1
    assert str(bad) in result.stderr
    assert "line 2" in result.stderr
    assert "Traceback" not in result.stderr
    _assert_empty(tmp_path)


def test_xxe_is_refused_and_nothing_stored(tmp_path: Path) -> None:
    xxe = tmp_path / "xxe.xml"
    xxe.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>"
        "<FIRST_NAME>&x;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",
        "utf-8",
    )
    result = ingest(tmp_path, xxe, "un_sc", "un", "clear")
    assert result.returncode == 1
    assert str(xxe) in result.stderr
    assert "root:" not in result.stdout + result.stderr
    _assert_empty(tmp_path)


def test_truncated_jsonl_is_refused_and_nothing_stored(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [person("p1", "Jane Roe")])
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "p2", "schema": "Person", "propert')
    result = ingest(tmp_path, path, "ftm_jsonl", "people", "amber")
    assert result.returncode == 1
    assert f"{path}: line 2" in result.stderr
    _assert_empty(tmp_path)


def test_unknown_format_names_the_known_ones(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [person("p1", "Jane Roe")])
    result = ingest(tmp_path, path, "nope", "x", "amber")
    assert result.returncode == 1
    assert "known formats: " in result.stderr
    assert "ftm_jsonl" in result.stderr and "ofac_sdn_csv" in result.stderr


def test_run_findings_and_triage(tmp_path: Path) -> None:
    demo = accord(tmp_path, "demo")
    assert demo.returncode == 0, demo.stderr
    listed = accord(tmp_path, "findings", "--json")
    items = json.loads(listed.stdout)
    assert items, "the demo data must produce findings"
    detectors = [item["detector"] for item in items]
    assert {"shared_identifier", "watchlist_match", "travel_manifest"} <= set(detectors)
    top = next(item for item in items if item["detector"] == "watchlist_match")
    assert top["subjects"] == ["cust-0001", "unsc-2962519"]
    shown = accord(tmp_path, "findings", "show", top["id"])
    assert "watchlist_match" in shown.stdout
    assert "document number F654645 is listed" in shown.stdout
    changed = accord(tmp_path, "findings", "set-status", top["id"], "escalated")
    assert changed.returncode == 0
    escalated = json.loads(
        accord(tmp_path, "findings", "--status", "escalated", "--json").stdout
    )
    assert [item["id"] for item in escalated] == [top["id"]]
    log = accord(tmp_path, "audit", "list", "--action", "finding.status").stdout
    assert '"to": "escalated"' in log
    assert accord(tmp_path, "audit", "verify").returncode == 0


def test_demo_twice_changes_nothing(tmp_path: Path) -> None:
    assert accord(tmp_path, "demo").returncode == 0
    second = accord(tmp_path, "demo")
    assert second.returncode == 0
    assert second.stdout.count("already ingested, unchanged") == 6


def test_audit_verify_fails_on_tampering(tmp_path: Path) -> None:
    assert accord(tmp_path, "demo").returncode == 0
    service = Accord.open(Settings(workspace=tmp_path))
    with service.store.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_no_update"))
        conn.execute(text("UPDATE audit SET target = 'forged' WHERE seq = 1"))
    service.close()
    result = accord(tmp_path, "audit", "verify")
    assert result.returncode == 1
    assert "record 1: content does not match its hash" in result.stderr


def _datasets(workspace: Path) -> str:
    return accord(workspace, "datasets").stdout


def _assert_empty(workspace: Path) -> None:
    service = Accord.open(Settings(workspace=workspace))
    try:
        assert service.store.list_datasets() == []
        assert service.store.count_statements() == 0
    finally:
        service.close()


@pytest.mark.parametrize(
    "args", [["--help"], ["findings", "--help"], ["run", "--help"]]
)
def test_help_works_without_a_store(tmp_path: Path, args: list[str]) -> None:
    workspace = tmp_path / "never-created"
    result = accord(workspace, *args)
    assert result.returncode == 0
    assert not workspace.exists()
