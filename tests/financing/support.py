"""Builders for financing tests: small ledgers written by hand, and the data paths."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from accord.financing.ledger import Transaction

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "financing"
AMLSIM_EXCERPT = FIXTURES / "amlsim_tf_eval_jan2017.csv.gz"
AMLSIM_2019_EXCERPT = FIXTURES / "amlsim_2019_fanin_cycle_head.csv"
SHARED_FINANCING = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "financing"
)
DAY = 86_400
T0 = 1_700_000_000  # 2023-11-14, a Tuesday


def shared_file(relative: str) -> Path:
    """A file of ../shared/data/financing, or a skip saying it is absent."""
    path = SHARED_FINANCING / relative
    if not path.is_file():
        pytest.skip(f"{path} is absent (the full AMLSim data lives outside the repo)")
    return path


def tx(
    tran_id: str, orig: str, bene: str, amount: float, day: float, **extra: str
) -> Transaction:
    return Transaction(
        tran_id=tran_id,
        orig=orig,
        bene=bene,
        amount=amount,
        currency="EUR",
        ts=T0 + int(day * DAY),
        orig_name=extra.get("orig_name", ""),
        bene_name=extra.get("bene_name", ""),
    )


def write_csv(
    path: Path, rows: list[Transaction], label: list[int] | None = None
) -> Path:
    """A generic-format CSV (the ``csv`` format's default columns)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        header = ["tran_id", "orig", "bene", "amount", "currency", "timestamp"]
        header += ["orig_name", "bene_name"] + (["label"] if label else [])
        writer.writerow(header)
        for index, row in enumerate(rows):
            cells = [row.tran_id, row.orig, row.bene, repr(row.amount), row.currency]
            cells.append(iso(row.ts))
            cells += [row.orig_name, row.bene_name]
            if label:
                cells.append(str(label[index]))
            writer.writerow(cells)
    return path


def iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
