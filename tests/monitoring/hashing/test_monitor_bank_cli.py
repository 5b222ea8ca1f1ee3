"""``accord monitor bank``: the group alone, and mounted under ``accord``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from accord.cli.context import CliContext
from accord.cli.main import cli
from accord.cli.monitor_bank import bank
from accord.settings import Settings

BRIDGE = "f8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22"
OTHER = "98736629670cc19fc9f23862f66cce1f599e32c78e236c78619d202e9e66c157"


def run_group(workspace: Path, *args: str) -> Result:
    state = CliContext(settings=Settings(workspace=workspace, actor="ana"))
    try:
        return CliRunner().invoke(bank, list(args), obj=state, catch_exceptions=False)
    finally:
        state.close()


def test_create_add_match_feedback(tmp_path: Path, fixture_dir: Path) -> None:
    assert "created pdq bank gifct" in run_group(tmp_path, "create", "gifct").output
    added = run_group(
        tmp_path, "add", "gifct", BRIDGE, "--label", "IS", "--source", "hsdb"
    )
    assert "1 added" in added.output
    image = str(fixture_dir / "bridge-shrink-a-lot.jpg")
    result = run_group(tmp_path, "match", "--image", image, OTHER, "--json")
    rows = json.loads(result.output)
    assert rows[0]["matches"] == []
    (match,) = rows[1]["matches"]
    assert (match["key"], match["distance"], match["status"]) == (BRIDGE, 10, "match")
    assert match["provenance"]["label"] == "IS"
    assert rows[1]["query"].startswith("bridge-shrink-a-lot.jpg")
    table = run_group(tmp_path, "match", "--image", image).output
    assert "gifct" in table and "match" in table
    assert "dismiss recorded" in run_group(tmp_path, "dismiss", "gifct", BRIDGE).output
    shown = json.loads(run_group(tmp_path, "show", "gifct").output)
    assert shown["feedback"][BRIDGE] == {"confirmed": 0, "dismissed": 1}


def test_import_export_list_quarantine(tmp_path: Path) -> None:
    source = tmp_path / "hashes.csv"
    source.write_text(f"{BRIDGE},IS\n{OTHER},\n")
    run_group(tmp_path, "create", "gifct", "--flood-max", "5")
    first = run_group(tmp_path, "import", "gifct", str(source), "--agency", "bravo")
    assert "read 2, added 2" in first.output
    assert (
        "added 0, already present 2"
        in run_group(tmp_path, "import", "gifct", str(source)).output
    )
    out = tmp_path / "out.jsonl"
    run_group(tmp_path, "export", "gifct", str(out), "--format", "jsonl")
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["hash"], r["agency"], r["source"]) for r in records] == [
        (BRIDGE, "bravo", "hashes.csv"),
        (OTHER, "bravo", "hashes.csv"),
    ]
    run_group(tmp_path, "quarantine", "gifct", OTHER, "--reason", "meme")
    listed = json.loads(run_group(tmp_path, "list", "--json").output)
    assert listed[0]["count"] == 2 and listed[0]["quarantined"] == 1
    result = json.loads(run_group(tmp_path, "match", OTHER, "--json").output)
    assert result[0]["matches"][0]["status"] == "quarantined"
    assert "released" in run_group(tmp_path, "release", "gifct", OTHER).output


def test_text_bank_from_the_command_line(tmp_path: Path) -> None:
    text = "The committee will meet on Tuesday at the town hall to discuss the budget."
    run_group(tmp_path, "create", "statements", "--kind", "text", "--threshold", "0.5")
    run_group(tmp_path, "add", "statements", text)
    body = tmp_path / "post.txt"
    body.write_text(text.lower() + "!!")
    result = json.loads(
        run_group(tmp_path, "match", "--text-file", str(body), "--json").output
    )
    assert result[0]["query"] == "text #1"
    assert result[0]["matches"][0]["similarity"] > 0.9


def test_errors_are_one_line_through_accord(tmp_path: Path) -> None:
    """Mounted as ``accord monitor bank``; accord errors become exit 1."""
    runner = CliRunner()
    base = ["--workspace", str(tmp_path), "monitor", "bank"]
    if "bank" not in runner.invoke(cli, ["monitor", "--help"]).output:
        pytest.skip("accord monitor does not mount the bank group in this tree")
    assert runner.invoke(cli, [*base, "create", "gifct"]).exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(f"hash\n{BRIDGE}\nnope\n")
    result = runner.invoke(cli, [*base, "import", "gifct", str(bad)])
    assert result.exit_code == 1
    assert "line 3" in str(result.exception)
    listed = runner.invoke(cli, [*base, "list", "--json"])
    assert json.loads(listed.output)[0]["count"] == 0


def test_usage_errors(tmp_path: Path) -> None:
    state = CliContext(settings=Settings(workspace=tmp_path))
    result = CliRunner().invoke(bank, ["match"], obj=state)
    assert result.exit_code == 2
    assert "give hashes" in result.output


def test_configure_changes_threshold_and_policy(tmp_path: Path) -> None:
    run_group(tmp_path, "create", "gifct")
    run_group(tmp_path, "add", "gifct", BRIDGE)
    near = BRIDGE[:-1] + "d"  # last digit 2 -> d: four bits differ
    result = run_group(
        tmp_path, "configure", "gifct", "--threshold", "0", "--flood-max", "7"
    )
    assert "threshold 0, flood limit 7 per 3600 s" in result.output
    matches = json.loads(run_group(tmp_path, "match", near, "--json").output)
    assert matches[0]["matches"] == []
    run_group(tmp_path, "configure", "gifct", "--threshold", "4")
    matches = json.loads(run_group(tmp_path, "match", near, "--json").output)
    assert matches[0]["matches"][0]["distance"] == 4
