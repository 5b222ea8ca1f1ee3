"""Reading transaction files: row by row for streaming, whole for bulk work.

Both paths check every value with the rules in ``formats`` and refuse a file
with bad rows as a whole, naming each bad row's line: a ledger with holes
would give features (and scores) that silently differ from the real flows.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import polars as pl

from accord.errors import InvalidData, ReaderError, SourceError
from accord.financing import formats as fm
from accord.financing.bulk_parse import RowProblem, ledger_from_strings
from accord.financing.ledger import LABEL, Transaction

MAX_REPORTED = 20
CAMT = "camt053"  # XML: ``service.load`` reads it with ``accord.financing.camt``
FORMATS = ("amlsim", "amlworld", "csv", CAMT)


def open_text(path: Path) -> TextIO:
    """A file as text; ``.gz`` files are decompressed on the fly."""
    try:
        if path.suffix == ".gz":
            return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
        return path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise SourceError(f"{path}: cannot read the file: {exc}") from exc


def mapping_for(
    fmt: str, header: list[str], custom: fm.ColumnMapping | None = None
) -> fm.ColumnMapping:
    """The layout of a file of format ``fmt`` with this header."""
    if fmt == "amlsim":
        return fm.AMLSIM_2019 if "sourceNodeId" in header else fm.AMLSIM
    if fmt == "amlworld":
        return fm.AMLWORLD
    if fmt == "csv":
        return custom or fm.GENERIC
    raise InvalidData(f"unknown transaction format {fmt!r}; use one of {FORMATS}")


def normalise_header(fmt: str, header: list[str]) -> list[str]:
    """AMLworld names two columns "Account"; name them by position instead."""
    if fmt == "amlworld" and len(header) in (10, 11):
        return list(fm.AMLWORLD_HEADER[: len(header)])
    return [name.strip().removeprefix("\ufeff") for name in header]


def check_header(name: str, header: list[str], mapping: fm.ColumnMapping) -> None:
    missing = [column for column in mapping.required() if column not in header]
    if missing:
        reason = f"missing column(s) {', '.join(missing)}; found {', '.join(header)}"
        raise ReaderError(name, "line 1", reason)


def parse_row(row: dict[str, str], line: int, mapping: fm.ColumnMapping) -> Transaction:
    """One CSV row as a transaction; ``ValueProblem`` names the first bad cell.

    Cells are checked in the order the bulk path reports them: accounts,
    amount, time, currency, label.
    """
    orig = fm.account_key(_cell(row, mapping.orig_bank), _cell(row, mapping.orig))
    bene = fm.account_key(_cell(row, mapping.bene_bank), _cell(row, mapping.bene))
    if not orig or not bene:
        raise fm.ValueProblem("empty account")
    amount = fm.parse_amount(_cell(row, mapping.amount))
    ts = fm.parse_timestamp(_cell(row, mapping.timestamp), mapping.time_format)
    currency = fm.parse_currency(
        _cell(row, mapping.currency) or mapping.default_currency
    )
    has_label = bool(mapping.label) and mapping.label in row
    label = fm.parse_label(row[mapping.label]) if has_label else None
    return Transaction(
        tran_id=_cell(row, mapping.tran_id).strip() or str(line),
        orig=orig,
        bene=bene,
        amount=amount,
        currency=currency,
        ts=ts,
        tx_type=_cell(row, mapping.tx_type).strip(),
        label=label,
        orig_name=_cell(row, mapping.orig_name).strip(),
        bene_name=_cell(row, mapping.bene_name).strip(),
    )


def _cell(row: dict[str, str], column: str) -> str:
    return (row.get(column) or "") if column else ""


def iter_rows(
    handle: TextIO, name: str, fmt: str, custom: fm.ColumnMapping | None = None
) -> Iterator[Transaction | RowProblem]:
    """Each data row as a transaction, or as the problem that spoils it."""
    reader = csv.reader(handle)
    try:
        header = normalise_header(fmt, next(reader))
    except StopIteration:
        raise ReaderError(name, "line 1", "the file is empty") from None
    mapping = mapping_for(fmt, header, custom)
    check_header(name, header, mapping)
    for line, cells in enumerate(reader, start=2):
        if not cells:
            continue
        if len(cells) != len(header):
            yield RowProblem(line, f"{len(cells)} cells, the header has {len(header)}")
            continue
        try:
            yield parse_row(dict(zip(header, cells, strict=True)), line, mapping)
        except fm.ValueProblem as exc:
            yield RowProblem(line, str(exc))


def iter_transactions(
    handle: TextIO, name: str, fmt: str, custom: fm.ColumnMapping | None = None
) -> Iterator[Transaction]:
    """Transactions in file order; the first bad row stops the stream."""
    for item in iter_rows(handle, name, fmt, custom):
        if isinstance(item, RowProblem):
            raise ReaderError(name, f"line {item.line}", item.reason)
        yield item


def check_file(path: Path, fmt: str, custom: fm.ColumnMapping | None = None) -> None:
    """Read the whole file once and refuse it if any row is bad, naming them all."""
    with open_text(path) as handle:
        problems = [
            item
            for item in iter_rows(handle, str(path), fmt, custom)
            if isinstance(item, RowProblem)
        ]
    raise_problems(str(path), problems)


def raise_problems(name: str, problems: list[RowProblem]) -> None:
    if not problems:
        return
    shown = "; ".join(f"line {p.line}: {p.reason}" for p in problems[:MAX_REPORTED])
    more = len(problems) - MAX_REPORTED
    suffix = f"; and {more} more" if more > 0 else ""
    lines = ", ".join(str(p.line) for p in problems[:MAX_REPORTED])
    reason = f"{len(problems)} bad row(s), nothing read: {shown}{suffix}"
    raise ReaderError(name, f"line {lines}", reason)


def _line(problem: RowProblem) -> int:
    return problem.line


def ragged_rows(path: Path, width: int) -> list[RowProblem]:
    """Rows with another number of cells than the header, as the row path sees them.

    Polars pads short rows with nulls, which would hide them; lines are
    counted here in bulk, and only lines with quotes go through ``csv``.
    """
    lines = pl.read_csv(
        path,
        has_header=False,
        separator="\x1f",
        quote_char=None,
        new_columns=["text"],
        infer_schema=False,
        skip_rows=1,
    ).with_row_index("n", offset=2)
    suspects = lines.filter(
        (pl.col("text").str.count_matches(",", literal=True) != width - 1)
        | pl.col("text").str.contains('"', literal=True)
    )
    problems = []
    for number, text in suspects.iter_rows():
        cells = next(csv.reader([text or ""]), [])
        if cells and len(cells) != width:
            problems.append(
                RowProblem(number, f"{len(cells)} cells, the header has {width}")
            )
    return problems


def read_ledger(
    path: Path, fmt: str, custom: fm.ColumnMapping | None = None
) -> pl.DataFrame:
    """A whole file as a ledger frame, in file order, checked in bulk."""
    with open_text(path) as handle:
        header = normalise_header(fmt, next(csv.reader(handle), []))
    mapping = mapping_for(fmt, header, custom)
    check_header(str(path), header, mapping)
    try:
        raw = pl.read_csv(path, infer_schema=False, new_columns=header)
    except pl.exceptions.PolarsError as exc:
        # Polars refuses ragged or garbled CSV without a line number; the row
        # reader finds and names the lines.
        check_file(path, fmt, custom)
        raise ReaderError(path, "file", f"not a readable CSV: {exc}") from exc
    ledger, problems = ledger_from_strings(raw, mapping)
    ragged = ragged_rows(path, len(header))
    if ragged:
        lines = {p.line for p in ragged}
        problems = sorted(
            [*ragged, *(p for p in problems if p.line not in lines)], key=_line
        )
    raise_problems(str(path), problems)
    if mapping.label and mapping.label in raw.columns:
        return ledger
    return ledger.drop(LABEL, strict=False)
