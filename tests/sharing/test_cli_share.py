"""``accord share`` end to end: two workspaces exchanging signed files."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from accord.cli.main import cli
from accord.errors import ReleaseDenied
from tests.sharing.conftest import FIXTURES, SHARING_FIXTURES


def run(workspace: Path, agency: str, *args: str) -> Result:
    runner = CliRunner()
    env = {"ACCORD_AGENCY": agency, "ACCORD_DATABASE_URL": ""}
    return runner.invoke(cli, ["--workspace", str(workspace), *args], env=env)


def ok(workspace: Path, agency: str, *args: str) -> str:
    result = run(workspace, agency, *args)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def public_key(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("public key"))[
        len("public key: ") :
    ]


def test_two_agencies_exchange_signed_bundles(tmp_path: Path) -> None:
    alpha, bravo = tmp_path / "alpha", tmp_path / "bravo"
    alpha_key = public_key(ok(alpha, "alpha", "share", "keygen"))
    bravo_key = public_key(ok(bravo, "bravo", "share", "keygen"))
    ok(
        alpha,
        "alpha",
        "ingest",
        str(FIXTURES / "un_sc_excerpt.xml"),
        "--format",
        "un_sc",
        "--dataset",
        "un_sc",
        "--tlp",
        "green",
    )
    ok(
        alpha,
        "alpha",
        "ingest",
        str(SHARING_FIXTURES / "case_people.jsonl"),
        "--format",
        "ftm_jsonl",
        "--dataset",
        "cases",
        "--tlp",
        "amber",
        "--releasable-to",
        "bravo",
    )
    ok(
        alpha,
        "alpha",
        "share",
        "partner",
        "add",
        "bravo",
        "--name",
        "Bravo",
        "--public-key",
        bravo_key,
        "--endpoint",
        "https://bravo.example",
    )
    made = ok(
        alpha,
        "alpha",
        "share",
        "agreement",
        "add",
        "--partner",
        "bravo",
        "--dataset",
        "un_sc",
        "--dataset",
        "cases",
        "--category",
        "schema:LegalEntity",
        "--tlp",
        "green",
        "--tlp",
        "amber",
        "--expires",
        "2099-01-01",
    )
    assert "re-share not allowed" in made
    listed = json.loads(ok(alpha, "alpha", "share", "agreement", "list", "--json"))
    assert [a["status"] for a in listed] == ["active"]

    explained = ok(
        alpha, "alpha", "share", "explain", "--partner", "bravo", "--entity", "case-p1"
    )
    assert "goes" in explained and "Jane Roe" in explained
    datasets = ok(alpha, "alpha", "share", "explain", "--partner", "bravo")
    assert "dataset cases: goes" in datasets
    as_json = ok(
        alpha,
        "alpha",
        "share",
        "explain",
        "--partner",
        "bravo",
        "--entity",
        "case-p1",
        "--json",
    )
    assert {v["prop"] for v in json.loads(as_json) if v["allowed"]} >= {"name"}

    out = tmp_path / "to_bravo.json"
    ok(
        alpha,
        "alpha",
        "share",
        "export",
        "--partner",
        "bravo",
        "--format",
        "stix",
        "--out",
        str(out),
    )
    assert (tmp_path / "to_bravo.json.jws").is_file()

    ok(
        bravo,
        "bravo",
        "share",
        "partner",
        "add",
        "alpha",
        "--name",
        "Alpha",
        "--public-key",
        alpha_key,
        "--endpoint",
        "https://alpha.example",
    )
    key = ok(alpha, "alpha", "share", "partner", "liaison", "bravo", "bravo_liaison")
    assert key.startswith("acc_")
    first = ok(bravo, "bravo", "share", "import", str(out), "--from", "alpha")
    assert "alpha.green" in first
    again = ok(bravo, "bravo", "share", "import", str(out), "--from", "alpha")
    assert "already imported" in again


def test_refusals_are_explained(tmp_path: Path) -> None:
    alpha = tmp_path / "alpha"
    ok(alpha, "alpha", "share", "keygen")
    denied = run(
        alpha,
        "alpha",
        "share",
        "export",
        "--partner",
        "nobody",
        "--format",
        "ftm",
        "--out",
        str(tmp_path / "x.jsonl"),
    )
    assert isinstance(denied.exception, ReleaseDenied)
    assert denied.exception.reasons == ["unknown partner 'nobody': nothing goes to it"]
    unsigned = tmp_path / "unsigned.json"
    unsigned.write_text("{}")
    refused = run(alpha, "alpha", "share", "import", str(unsigned), "--from", "x")
    assert refused.exit_code == 1
    assert "unsigned bundles are refused" in refused.output
