"""Bulk checking of a CSV read as strings, with the row-at-a-time rules.

Each rule runs once per distinct value of its column (timestamps and
currencies repeat a lot), and the result is joined back, so the bulk path
cannot drift from the streaming one and stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from accord.financing import formats as fm
from accord.financing.ledger import (
    AMOUNT,
    BENE,
    CURRENCY,
    LABEL,
    LEDGER_SCHEMA,
    ORIG,
    TRAN_ID,
    TS,
    TX_TYPE,
)

_LINE = "__line"
FIRST_DATA_LINE = 2


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A bad row: its line in the file (the header is line 1) and why."""

    line: int
    reason: str


def _checked(
    column: pl.Series, rule: Callable[[str], object], dtype: pl.DataType
) -> tuple[pl.Series, pl.Series]:
    """``rule`` over each distinct value: (parsed values, problem or null)."""
    values: list[object] = []
    problems: list[str | None] = []
    distinct = column.unique(maintain_order=True)
    for text in distinct.to_list():
        try:
            values.append(rule(text))
            problems.append(None)
        except fm.ValueProblem as exc:
            values.append(None)
            problems.append(str(exc))
    table = pl.DataFrame(
        {
            "key": distinct,
            "value": pl.Series(values, dtype=dtype),
            "problem": pl.Series(problems, dtype=pl.String),
        }
    )
    joined = column.to_frame("key").join(
        table, on="key", how="left", maintain_order="left"
    )
    return joined["value"], joined["problem"]


def _tran_ids(raw: pl.DataFrame, column: str, lines: pl.Series) -> pl.Series:
    """The id column, or the line number where it is missing or blank."""
    numbers = lines.cast(pl.String)
    if column not in raw.columns:
        return numbers
    ids = raw[column].str.strip_chars()
    return pl.select(pl.when(ids == "").then(numbers).otherwise(ids)).to_series()


def _account(raw: pl.DataFrame, bank: str, account: str) -> pl.Expr:
    number = pl.col(account).str.strip_chars()
    if not bank:
        return number
    return pl.col(bank).str.strip_chars() + pl.lit("-") + number


def ledger_from_strings(
    raw: pl.DataFrame, mapping: fm.ColumnMapping
) -> tuple[pl.DataFrame, list[RowProblem]]:
    """The checked ledger (with ``label``) and every bad row's problems."""
    raw = raw.with_columns(pl.all().fill_null(""))
    lines = pl.int_range(FIRST_DATA_LINE, raw.height + FIRST_DATA_LINE, eager=True)
    present = set(raw.columns)
    currency = (
        raw[mapping.currency]
        if mapping.currency in present
        else pl.Series([mapping.default_currency] * raw.height, dtype=pl.String)
    )
    currency = currency.fill_null("").replace("", mapping.default_currency)
    amount, amount_problem = _checked(
        raw[mapping.amount], fm.parse_amount, pl.Float64()
    )
    ts, ts_problem = _checked(
        raw[mapping.timestamp],
        lambda text: fm.parse_timestamp(text, mapping.time_format),
        pl.Int64(),
    )
    code, currency_problem = _checked(currency, fm.parse_currency, pl.String())
    columns = {
        TRAN_ID: _tran_ids(raw, mapping.tran_id, lines),
        AMOUNT: amount,
        CURRENCY: code,
        TS: ts,
        TX_TYPE: raw[mapping.tx_type].str.strip_chars()
        if mapping.tx_type in present
        else pl.Series([""] * raw.height, dtype=pl.String),
    }
    problems = [amount_problem, ts_problem, currency_problem]  # the row path's order
    if mapping.label and mapping.label in raw.columns:
        label, label_problem = _checked(raw[mapping.label], fm.parse_label, pl.Int8())
        columns[LABEL] = label
        problems.append(label_problem)
    accounts = raw.select(
        _account(raw, mapping.orig_bank, mapping.orig).alias(ORIG),
        _account(raw, mapping.bene_bank, mapping.bene).alias(BENE),
    )
    empty = pl.Series(
        ["empty account" if bad else None for bad in _empty_accounts(accounts)],
        dtype=pl.String,
    )
    problems.insert(0, empty)
    ledger = pl.DataFrame({**columns, ORIG: accounts[ORIG], BENE: accounts[BENE]})
    order = [*LEDGER_SCHEMA, *([LABEL] if LABEL in columns else [])]
    return ledger.select(order), _collect(lines, problems)


def _empty_accounts(accounts: pl.DataFrame) -> list[bool]:
    bad = (pl.col(ORIG).fill_null("") == "") | (pl.col(BENE).fill_null("") == "")
    return accounts.select(bad.alias("bad"))["bad"].to_list()


def _collect(lines: pl.Series, problems: list[pl.Series]) -> list[RowProblem]:
    """The first problem of each bad row, in line order."""
    named = {f"p{i}": problem for i, problem in enumerate(problems)}
    frame = pl.DataFrame({_LINE: lines, **named}).select(
        _LINE, pl.coalesce(list(named)).alias("why")
    )
    bad = frame.filter(pl.col("why").is_not_null())
    return [RowProblem(line, why) for line, why in bad.iter_rows()]
