"""Transaction file layouts, and the one set of rules that checks their values.

A layout is a ``ColumnMapping``: which column holds what, how time is
written, and which currency to assume when the file names none. AMLSim and
IBM AMLworld are two fixed mappings; any other CSV brings its own.

The same value rules (``parse_amount``, ``parse_timestamp``,
``parse_currency``) serve the row-at-a-time path (streaming, FtM ingest) and
the bulk path (Polars): the bulk path applies them to each *distinct* value
of a column, which is cheap because timestamps and currencies repeat, and
guarantees both paths accept and refuse exactly the same rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from accord.financing.ledger import KNOWN_CURRENCIES

SECONDS_PER_DAY = 86_400
# AMLSim's 2019 samples count time in integer simulation steps of one day;
# they are placed on the same calendar AMLSim's own converter uses.
STEP_EPOCH = int(datetime(2017, 1, 1, tzinfo=UTC).timestamp())
_AMOUNT = re.compile(r"^\s*\+?(\d+(\.\d*)?|\.\d+)\s*$")
_NEGATIVE = re.compile(r"^\s*-(\d+(\.\d*)?|\.\d+)\s*$")
_TIME_FORMATS = (
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
)
# IBM AMLworld spells currencies out in English; these are its 15 names.
AMLWORLD_CURRENCIES = {
    "US Dollar": "USD",
    "Euro": "EUR",
    "UK Pound": "GBP",
    "Yuan": "CNY",
    "Yen": "JPY",
    "Rupee": "INR",
    "Ruble": "RUB",
    "Canadian Dollar": "CAD",
    "Australian Dollar": "AUD",
    "Swiss Franc": "CHF",
    "Mexican Peso": "MXN",
    "Brazil Real": "BRL",
    "Saudi Riyal": "SAR",
    "Shekel": "ILS",
    "Bitcoin": "BTC",
}


class TimeFormat(StrEnum):
    """How a file writes time: calendar timestamps, or AMLSim day steps."""

    TIMESTAMP = "timestamp"
    STEP = "step"


class ValueProblem(ValueError):
    """A cell that breaks a value rule; the message says which and why."""


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which column of a CSV holds each ledger field.

    ``tran_id`` may be empty: the row's line number then names the
    transaction. ``orig_bank``/``bene_bank`` qualify account numbers that
    are only unique within a bank (AMLworld). ``label`` is read for training
    and evaluation, never as a feature.
    """

    orig: str
    bene: str
    amount: str
    timestamp: str
    tran_id: str = ""
    currency: str = ""
    default_currency: str = "USD"
    tx_type: str = ""
    label: str = ""
    orig_bank: str = ""
    bene_bank: str = ""
    time_format: TimeFormat = TimeFormat.TIMESTAMP
    orig_name: str = ""  # optional: account holders' names, for screening
    bene_name: str = ""

    def required(self) -> list[str]:
        """Columns a file must have; the others are used when present."""
        names = [self.orig, self.bene, self.amount, self.timestamp]
        names += [self.orig_bank, self.bene_bank]
        return [name for name in names if name]


AMLSIM = ColumnMapping(
    tran_id="tran_id",
    orig="orig_acct",
    bene="bene_acct",
    amount="base_amt",
    timestamp="tran_timestamp",
    tx_type="tx_type",
    label="is_sar",
)
AMLSIM_2019 = ColumnMapping(
    orig="sourceNodeId",
    bene="targetNodeId",
    amount="value",
    timestamp="time",
    time_format=TimeFormat.STEP,
)
# AMLworld repeats the header "Account"; readers rename the two columns by
# position to these names before mapping.
AMLWORLD_HEADER = (
    "Timestamp",
    "From Bank",
    "From Account",
    "To Bank",
    "To Account",
    "Amount Received",
    "Receiving Currency",
    "Amount Paid",
    "Payment Currency",
    "Payment Format",
    "Is Laundering",
)
AMLWORLD = ColumnMapping(
    orig="From Account",
    bene="To Account",
    orig_bank="From Bank",
    bene_bank="To Bank",
    amount="Amount Paid",
    currency="Payment Currency",
    timestamp="Timestamp",
    tx_type="Payment Format",
    label="Is Laundering",
)
GENERIC = ColumnMapping(
    tran_id="tran_id",
    orig="orig",
    bene="bene",
    amount="amount",
    currency="currency",
    timestamp="timestamp",
    tx_type="tx_type",
    label="label",
    orig_name="orig_name",
    bene_name="bene_name",
)


def parse_amount(text: str) -> float:
    """A non-negative decimal amount; anything else says what is wrong."""
    if _AMOUNT.match(text):
        return float(text)
    if _NEGATIVE.match(text):
        raise ValueProblem(f"negative amount {text.strip()!r}")
    raise ValueProblem(f"amount {text!r} is not a number")


def parse_timestamp(text: str, time_format: TimeFormat) -> int:
    """Seconds since the epoch, UTC; naive timestamps are taken as UTC."""
    value = text.strip()
    if time_format is TimeFormat.STEP:
        if not value.isdigit():
            raise ValueProblem(f"time step {text!r} is not a whole number")
        return STEP_EPOCH + int(value) * SECONDS_PER_DAY
    for pattern in _TIME_FORMATS:
        try:
            moment = datetime.strptime(value, pattern)  # noqa: DTZ007 - UTC below
        except ValueError:
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return int(moment.timestamp())
    raise ValueProblem(f"timestamp {text!r} cannot be parsed")


def parse_currency(text: str) -> str:
    """An ISO 4217 code (or a crypto ticker); AMLworld's names are mapped."""
    value = text.strip()
    code = AMLWORLD_CURRENCIES.get(value, value.upper())
    if code not in KNOWN_CURRENCIES:
        raise ValueProblem(f"unknown currency {text!r}")
    return code


def parse_label(text: str) -> int:
    """A 0/1 label from ``True``/``False``, ``1``/``0`` or ``yes``/``no``."""
    value = text.strip().lower()
    if value in {"1", "true", "yes", "t"}:
        return 1
    if value in {"0", "false", "no", "f", ""}:
        return 0
    raise ValueProblem(f"label {text!r} is not true or false")


def account_key(bank: str, account: str) -> str:
    """An account number qualified by its bank when the file has banks."""
    return f"{bank.strip()}-{account.strip()}" if bank else account.strip()
