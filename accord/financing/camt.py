"""ISO 20022 bank statements (camt.053, also camt.052 / camt.054) as transactions.

All three list entries (``Ntry``) of one account per statement, report or
notification, so one path reads any version; where v8+ nests deeper (``Sts/Cd``,
``Dbtr/Pty``) both forms are read. Each ``NtryDtls/TxDtls`` is one transaction,
so a batch booking is split into its payments. Only **booked** entries are read:
pending (``PDNG``), information-only (``INFO``) and future (``FUTR``) ones are
skipped unchecked, as they may still change. As with the CSV readers, a file
with any bad record is refused whole, naming each (``Stmt[<Id>]/Ntry[<n>]``):
a ledger with holes would give features that silently differ from the real
flows. The XML walk (``camt_xml``) runs on ``defusedxml`` with DTDs refused,
and streams.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from xml.etree.ElementTree import Element

import polars as pl
from followthemoney import EntityProxy

from accord.errors import ReaderError
from accord.financing import formats as fm
from accord.financing.camt_xml import (
    BANK_IDS,
    CamtProblem,
    Index,
    Statement,
    index_of,
    text_of,
    walk,
)
from accord.financing.ledger import LEDGER_SCHEMA, Transaction
from accord.financing.readers import account_entity, party_entity, payment_entity
from accord.readers.base import Reader

BOOKED = "BOOK"
CREDIT, DEBIT = "CRDT", "DBIT"
NOT_PROVIDED = "NOTPROVIDED"
MAX_REPORTED = 20
# xs:dateTime may carry fractional seconds, which ``parse_timestamp`` (shared
# with the CSV readers) does not take; the ledger counts whole seconds anyway.
_FRACTION = re.compile(r"(T\d{2}:\d{2}:\d{2})\.\d+")


@dataclass(frozen=True, slots=True)
class _Entry:
    """A booked entry and the statement it belongs to."""

    statement: Statement
    index: Index  # the entry without its details
    number: int  # 1-based, within its statement
    batch: bool  # several TxDtls: each must bring its own amount


_Items = list[Transaction | CamtProblem]


def iter_camt_transactions(path: Path) -> Iterator[Transaction]:
    """Each booked transaction in file order, after checking the whole file."""
    raise_problems(path, [i for i in _iter_items(path) if isinstance(i, CamtProblem)])
    yield from (i for i in _iter_items(path) if isinstance(i, Transaction))


def read_camt_ledger(path: Path) -> pl.DataFrame:
    """The whole file as a ledger frame (``LEDGER_SCHEMA``), in file order."""
    items = list(_iter_items(path))
    raise_problems(path, [i for i in items if isinstance(i, CamtProblem)])
    txs = [i for i in items if isinstance(i, Transaction)]  # fields named as columns
    columns = {name: [getattr(tx, name) for tx in txs] for name in LEDGER_SCHEMA}
    return pl.DataFrame(columns, schema=LEDGER_SCHEMA)


def raise_problems(path: Path, problems: list[CamtProblem]) -> None:
    """Refuse the whole file once, naming every bad record (the first 20)."""
    if not problems:
        return
    shown, more = problems[:MAX_REPORTED], len(problems) - MAX_REPORTED
    details = "; ".join(f"{p.position}: {p.reason}" for p in shown)
    suffix = f"; and {more} more" if more > 0 else ""
    reason = f"{len(problems)} bad record(s), nothing read: {details}{suffix}"
    raise ReaderError(path, ", ".join(p.position for p in shown), reason)


class Camt053Reader(Reader):
    """Accounts, holders (the statement owner holds its account) and payments."""

    NAME = "camt053"
    TITLE = "ISO 20022 camt.053 bank statement (XML)"

    def read(self) -> Iterator[EntityProxy]:
        accounts: set[str] = set()
        holders: set[str] = set()
        for tx in iter_camt_transactions(self.path):
            for account, name in ((tx.orig, tx.orig_name), (tx.bene, tx.bene_name)):
                if account not in accounts:
                    accounts.add(account)
                    yield account_entity(account)
                if name and account not in holders:
                    holders.add(account)
                    yield party_entity(account, name)
            # Statement references are only unique per payer (an end-to-end
            # id is the payer's own; bank references are per bank), so two
            # statements may reuse one for different payments. Scoped to
            # the payer, the same payment booked on both sides (a debit in
            # the payer's statement, a credit in the payee's) stays one.
            yield payment_entity(tx, scope=tx.orig)


def _iter_items(path: Path) -> Iterator[Transaction | CamtProblem]:
    """Every transaction (with its file-unique id) or problem, in file order."""
    ids: dict[str, int] = {}
    for statement, element, number in walk(path):
        if isinstance(statement, CamtProblem):
            if number == 1:  # once per statement, not once per entry
                yield statement
            continue
        for item in _entry_items(statement, element, number):
            if isinstance(item, Transaction):
                yield replace(item, tran_id=_unique(item.tran_id, ids))
            else:
                yield item


def _unique(wanted: str, used: dict[str, int]) -> str:
    """``X``, ``X#2``, ``X#3``... in file order (payers pick end-to-end ids)."""
    count, candidate = used.get(wanted, 1), wanted
    while candidate in used:
        count += 1
        candidate = f"{wanted}#{count}"
    used[wanted] = count
    used.setdefault(candidate, 1)
    return candidate


def _entry_items(statement: Statement, element: Element, number: int) -> _Items:
    """An entry's transactions (none unless booked), or the problems with it."""
    where = f"{statement.label}/Ntry[{number}]"
    own, parts = index_of(element, split="NtryDtls/TxDtls")
    status = text_of(own, "Sts/Cd", "Sts/Prtry", "Sts")
    if status != BOOKED:
        return [CamtProblem(where, "missing entry status (Sts)")] if not status else []
    details = [index_of(part)[0] for part in parts]
    entry = _Entry(statement, own, number, batch=len(details) > 1)
    items: _Items = []
    for index, detail in enumerate(details or [{}], start=1):
        try:
            items.append(_transaction(entry, detail, index))
        except fm.ValueProblem as exc:
            at = f"{where}/TxDtls[{index}]" if entry.batch else where
            items.append(CamtProblem(at, str(exc)))
    return items


def _transaction(entry: _Entry, detail: Index, number: int) -> Transaction:
    """One payment; ``ValueProblem`` names the first value that is wrong."""
    statement = entry.statement
    amount, currency = _amount(entry, detail)
    indicator = _indicator(entry.index, detail)
    other = _counterparty(detail, indicator, statement.servicer)
    own = (statement.account, statement.owner)
    orig, bene = (other, own) if indicator == CREDIT else (own, other)
    fallback = f"{statement.ident}:{entry.number}:{number}"
    return Transaction(
        tran_id=_reference(entry.index, detail) or fallback,
        orig=orig[0],
        bene=bene[0],
        amount=amount,
        currency=currency,
        ts=_timestamp(entry.index),
        tx_type=_tx_type(detail) or _tx_type(entry.index),
        orig_name=orig[1],
        bene_name=bene[1],
    )


def _amount(entry: _Entry, detail: Index) -> tuple[float, str]:
    """The transaction's own amount, or the entry's when it is the only one."""
    paths = ("Amt", "AmtDtls/TxAmt/Amt")
    found = next((detail[path] for path in paths if path in detail), None)
    if found is None and entry.batch:
        reason = "a batch transaction without an amount (Amt or AmtDtls/TxAmt/Amt)"
        raise fm.ValueProblem(reason)
    if found is None:
        found = entry.index.get("Amt")
    if found is None or not (found.text or "").strip():
        raise fm.ValueProblem("missing amount (Amt)")
    currency = found.get("Ccy", "").strip()
    if not currency:
        raise fm.ValueProblem("missing currency (the Ccy attribute of Amt)")
    return fm.parse_amount(found.text or ""), fm.parse_currency(currency)


def _indicator(entry: Index, detail: Index) -> str:
    """CRDT or DBIT; a transaction may state its own direction."""
    indicator = text_of(detail, "CdtDbtInd") or text_of(entry, "CdtDbtInd")
    if not indicator:
        raise fm.ValueProblem("missing credit/debit indicator (CdtDbtInd)")
    if indicator not in (CREDIT, DEBIT):
        raise fm.ValueProblem(f"credit/debit indicator {indicator!r} is not CRDT/DBIT")
    return indicator


def _timestamp(entry: Index) -> int:
    """When the entry was booked, or else its value date."""
    text = text_of(entry, "BookgDt/DtTm", "BookgDt/Dt", "ValDt/DtTm", "ValDt/Dt")
    if not text:
        raise fm.ValueProblem("missing booking date (BookgDt) and value date (ValDt)")
    return _seconds(text)


@functools.lru_cache(maxsize=4096)  # dates repeat; strptime tries many formats
def _seconds(text: str) -> int:
    return fm.parse_timestamp(_FRACTION.sub(r"\1", text), fm.TimeFormat.TIMESTAMP)


def _counterparty(detail: Index, indicator: str, servicer: str) -> tuple[str, str]:
    """(account, name) of the debtor of a credit or the creditor of a debit.

    Fees, interest and card settlements name no party: the money goes to or
    comes from a bank, so that bank (the party's agent, else the account's
    own servicer) is the counterparty, as ``bank-<BIC or name>``.
    """
    role = "Dbtr" if indicator == CREDIT else "Cdtr"
    party = f"RltdPties/{role}"
    name = text_of(detail, f"{party}/Nm", f"{party}/Pty/Nm")
    account = text_of(detail, f"{party}Acct/Id/IBAN", f"{party}Acct/Id/Othr/Id")
    if account or name:
        return account or _name_account(name), name
    agent = f"RltdAgts/{role}Agt/FinInstnId"
    bank = text_of(detail, *(f"{agent}/{field}" for field in BANK_IDS)) or servicer
    if bank:
        return f"bank-{bank}", bank
    raise fm.ValueProblem(
        f"no counterparty: no {role}Acct, {role} name, {role}Agt or account servicer"
    )


def _name_account(name: str) -> str:
    """A stand-in account for a party known only by name.

    Every payment needs two accounts; a hash of the normalised name keeps all
    payments of one named party on one node, so fan-in/fan-out still see them.
    """
    normalised = " ".join(name.casefold().split())
    digest = hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:16]  # noqa: S324
    return f"name-{digest}"


def _reference(entry: Index, detail: Index) -> str:
    """The most specific reference the bank gives, skipping ``NOTPROVIDED``."""
    paths = ("Refs/EndToEndId", "Refs/TxId", "Refs/AcctSvcrRef")
    own = [text_of(detail, path) for path in paths]
    shared = [text_of(entry, "AcctSvcrRef"), text_of(entry, "NtryRef")]
    return next((ref for ref in own + shared if ref and ref != NOT_PROVIDED), "")


def _tx_type(element: Index) -> str:
    """The bank transaction code: ``PMNT/RCDT/ESCT``, or the proprietary code."""
    levels = ("Cd", "Fmly/Cd", "Fmly/SubFmlyCd")
    codes = [text_of(element, f"BkTxCd/Domn/{level}") for level in levels]
    if not codes[0]:
        return text_of(element, "BkTxCd/Prtry/Cd")
    return "/".join(code for code in codes if code)
