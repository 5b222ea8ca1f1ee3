"""The ledger: transactions in one shape, whichever file they came from.

Every reader (AMLSim, IBM AMLworld, generic CSV) turns its rows into
``Transaction`` values for streaming, or into a Polars frame with the columns
of ``LEDGER_SCHEMA`` for bulk work. Both carry the same ids, so a score
computed in bulk names the same FtM Payment and BankAccount entities a
reader ingests into the store.

Labels (``is_sar``, ``Is Laundering``) are kept in their own ``label`` column
for training and evaluation only; ``accord.financing.features`` never reads
it, and ``alert_id`` is not read at all.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import polars as pl
from babel.numbers import list_currencies

TRAN_ID = "tran_id"
ORIG = "orig"
BENE = "bene"
AMOUNT = "amount"
CURRENCY = "currency"
TS = "ts"
TX_TYPE = "tx_type"
LABEL = "label"

LEDGER_SCHEMA: dict[str, pl.DataType] = {
    TRAN_ID: pl.String(),
    ORIG: pl.String(),
    BENE: pl.String(),
    AMOUNT: pl.Float64(),
    CURRENCY: pl.String(),
    TS: pl.Int64(),
    TX_TYPE: pl.String(),
}

# Virtual assets are no ISO 4217 currency, yet they are exactly where FATF
# sees terrorist financing move (crowdfunding report, 2023); accept the
# common tickers alongside every ISO code babel knows.
CRYPTO_CURRENCIES = frozenset(
    {"BTC", "XBT", "ETH", "USDT", "USDC", "XMR", "LTC", "TRX"}
)
KNOWN_CURRENCIES = frozenset(list_currencies()) | CRYPTO_CURRENCIES
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,60}$")


@dataclass(frozen=True, slots=True)
class Transaction:
    """One payment, as the streaming path sees it (the same fields as a row)."""

    tran_id: str
    orig: str
    bene: str
    amount: float
    currency: str
    ts: int
    tx_type: str = ""
    label: int | None = None
    orig_name: str = ""
    bene_name: str = ""


def _slug(value: str) -> str:
    """An id-safe form of a source identifier; long or odd ones are hashed."""
    if _SAFE_ID.match(value):
        return value
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:20]  # noqa: S324 - an id


def account_entity_id(account: str) -> str:
    """The FtM BankAccount id of a ledger account."""
    return f"acct-{_slug(account)}"


def payment_entity_id(tran_id: str) -> str:
    """The FtM Payment id of a ledger transaction."""
    return f"pay-{_slug(tran_id)}"


def empty_ledger(with_label: bool = False) -> pl.DataFrame:
    schema = dict(LEDGER_SCHEMA)
    if with_label:
        schema[LABEL] = pl.Int8()
    return pl.DataFrame(schema=schema)


def in_time_order(ledger: pl.DataFrame) -> pl.DataFrame:
    """Sort by time, keeping file order among equal timestamps.

    Streaming sees transactions in this order, so batch features computed
    over this order are the ones a live system would have computed.
    """
    return ledger.sort(TS, maintain_order=True)


def transactions_of(ledger: pl.DataFrame) -> list[Transaction]:
    """The ledger as streaming values, in its row order."""
    has_label = LABEL in ledger.columns
    rows = []
    for row in ledger.iter_rows(named=True):
        label = row[LABEL] if has_label else None
        rows.append(
            Transaction(
                tran_id=row[TRAN_ID],
                orig=row[ORIG],
                bene=row[BENE],
                amount=row[AMOUNT],
                currency=row[CURRENCY],
                ts=row[TS],
                tx_type=row[TX_TYPE] or "",
                label=None if label is None else int(label),
            )
        )
    return rows
