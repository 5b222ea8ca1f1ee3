"""``accord finance`` end to end through click."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from click.testing import CliRunner

from accord.cli.main import cli
from accord.errors import ReaderError
from tests.financing.support import AMLSIM_2019_EXCERPT, AMLSIM_EXCERPT, tx, write_csv


def invoke(tmp_path: Path, *args: str, stdin: str | None = None) -> str:
    result = CliRunner().invoke(
        cli, ["--workspace", str(tmp_path / "ws"), *args], input=stdin
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_train_score_and_watch(tmp_path: Path) -> None:
    model = tmp_path / "m.json"
    out = invoke(
        tmp_path,
        "finance", "train", "--transactions", str(AMLSIM_EXCERPT),
        "--format", "amlsim", "--model", str(model), "--rounds", "30",
    )  # fmt: skip
    assert "trained on 32032 transactions (240 positive)" in out
    scores = tmp_path / "scores.csv"
    invoke(
        tmp_path,
        "finance", "score", "--model", str(model), "--transactions",
        str(AMLSIM_2019_EXCERPT), "--format", "amlsim", "--out", str(scores),
    )  # fmt: skip
    assert pl.read_csv(scores).height == 300
    rows = [tx(f"d{i}", f"donor{i}", "appeal", 30.0, i * 0.2) for i in range(6)]
    rows.append(tx("w", "appeal", "courier", 170.0, 2))
    ledger = write_csv(tmp_path / "t.csv", rows)
    watched = invoke(
        tmp_path, "finance", "watch", "--format", "csv", stdin=ledger.read_text()
    )
    alerts = [json.loads(line) for line in watched.splitlines() if line.startswith("{")]
    [donation] = [a for a in alerts if a["typology"] == "small_donation_fan_in"]
    assert donation["account"] == "appeal"
    assert "w" in donation["tran_ids"]


def test_bad_input_names_the_row(tmp_path: Path) -> None:
    text = "tran_id,orig,bene,amount,currency,timestamp\n1,a,b,-4,EUR,2024-01-01\n"
    result = CliRunner().invoke(
        cli, ["finance", "watch", "--format", "csv"], input=text
    )
    assert isinstance(result.exception, ReaderError)
    assert result.exception.position == "line 2"
    assert "negative amount" in result.exception.reason
