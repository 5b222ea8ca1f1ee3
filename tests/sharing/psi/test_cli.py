"""``accord share psi`` consent commands, run through click as a user would."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from accord.cli.context import CliContext
from accord.cli.share_psi import psi
from accord.settings import Settings
from accord.sharing.psi import ConsentBook, ConsentRole


def invoke(settings: Settings, *args: str) -> Result:
    state = CliContext(settings=settings)
    try:
        return CliRunner().invoke(psi, list(args), obj=state)
    finally:
        state.close()


def test_allow_ask_list_and_revoke(tmp_path: Path) -> None:
    settings = Settings(workspace=tmp_path, agency="alpha")
    allowed = invoke(
        settings,
        "allow",
        "watchlist",
        "bravo",
        "--key-type",
        "document",
        "--expires",
        "2099-01-01",
        "--cardinality-only",
    )
    assert allowed.exit_code == 0, allowed.output
    asked = invoke(
        settings,
        "ask",
        "travellers",
        "bravo",
        "--remote-dataset",
        "their_list",
        "--key-type",
        "name_dob",
        "--key-type",
        "skeleton_dob",
        "--expires",
        "2099-01-01T00:00:00+00:00",
    )
    assert asked.exit_code == 0, asked.output
    listed = json.loads(invoke(settings, "consents", "--json").output)
    by_role = {c["role"]: c for c in listed["consents"]}
    assert by_role["serve"]["cardinality_only"] is True
    assert by_role["serve"]["key_types"] == ["document"]
    assert by_role["request"]["remote_dataset"] == "their_list"
    assert by_role["request"]["key_types"] == ["name_dob", "skeleton_dob"]
    assert invoke(settings, "revoke", "serve", "watchlist", "bravo").exit_code == 0
    book = ConsentBook.for_settings(settings)
    serve = next(r for r in book.records if r.role is ConsentRole.SERVE)
    assert serve.expires_at.year < 2099


def test_consent_changes_are_audited(tmp_path: Path) -> None:
    settings = Settings(workspace=tmp_path, agency="alpha", actor="liaison-1")
    invoke(
        settings,
        "allow",
        "watchlist",
        "bravo",
        "--key-type",
        "document",
        "--expires",
        "2099-01-01",
    )
    invoke(settings, "revoke", "serve", "watchlist", "bravo")
    state = CliContext(settings=settings)
    records = state.service().store.audit_records("share.agreement")
    state.close()
    assert [r.detail["change"] for r in records] == ["granted", "revoked"]
    assert {r.actor for r in records} == {"liaison-1"}
    assert records[0].target == "psi:serve:watchlist:bravo"


def test_a_past_expiry_is_refused(tmp_path: Path) -> None:
    settings = Settings(workspace=tmp_path)
    args = ["allow", "watchlist", "bravo", "--key-type", "document"]
    result = invoke(settings, *args, "--expires", "2001-01-01")
    assert result.exit_code == 2
    assert "in the past" in result.output
    assert not (tmp_path / "psi_consent.json").exists()


def test_limits_are_written(tmp_path: Path) -> None:
    settings = Settings(workspace=tmp_path)
    args = ["limits", "--min-set-size", "500", "--sessions-per-hour", "4"]
    assert invoke(settings, *args).exit_code == 0
    limits = ConsentBook.for_settings(settings).limits
    assert (limits.min_set_size, limits.sessions_per_hour) == (500, 4)


def test_an_unknown_partner_is_refused_before_anything_is_sent(tmp_path: Path) -> None:
    settings = Settings(workspace=tmp_path, agency="alpha")
    result = invoke(
        settings, "nobody", "--dataset", "travellers", "--api-key", "acc_x_y"
    )
    assert result.exit_code == 1
    assert "'nobody' is not a registered partner" in str(result.exception)
