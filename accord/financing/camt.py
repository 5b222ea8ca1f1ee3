"""ISO 20022 bank statements (camt.053, also camt.052 / camt.054) as transactions.

All three list entries (``Ntry``) of one account per statement, report or
notification, so one path reads any version; where v8+ nests deeper (``Sts/Cd``,
``Dbtr/Pty``) both forms are read. Each ``NtryDtls/TxDtls`` is one transaction,
so a batch booking is split into its payments. Only **booked** entries are read:
pending (``PDNG``), information-only (``INFO``) and future (``FUTR``) ones are
skipped unchecked, as they may still change. As with the CSV readers, a file
with any bad record is refused whole, naming each (``Stmt[<Id>]/Ntry[<n>]``):
a ledger with holes would give features that silently differ from the real
flows. Parsing runs on ``defusedxml`` with DTDs refused, and streams.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from xml.etree.ElementTree import Element
from xml.parsers.expat import ErrorString

import polars as pl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError, iterparse
from followthemoney import EntityProxy

from accord.errors import ReaderError, SourceError
from accord.financing import formats as fm
from accord.financing.ledger import LEDGER_SCHEMA, Transaction
from accord.financing.readers import account_entity, party_entity, payment_entity
from accord.readers.base import Reader

_DOCUMENT = re.compile(r"^\{urn:iso:std:iso:20022:tech:xsd:camt\.(05[234])\.001\.")
_SNIFF = re.compile(rb"urn:iso:std:iso:20022:tech:xsd:camt\.05[234]\.001\.")
SNIFF_BYTES = 4096
_MESSAGES = {  # message number -> (the element under Document, its per-account one)
    "052": ("BkToCstmrAcctRpt", "Rpt"),
    "053": ("BkToCstmrStmt", "Stmt"),
    "054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn"),
}
BOOKED = "BOOK"
CREDIT, DEBIT = "CRDT", "DBIT"
NOT_PROVIDED = "NOTPROVIDED"
_BANK_IDS = ("BICFI", "BIC", "Nm")  # how FinInstnId names a bank, v8+ and v2
MAX_REPORTED = 20
# xs:dateTime may carry fractional seconds, which ``parse_timestamp`` (shared
# with the CSV readers) does not take; the ledger counts whole seconds anyway.
_FRACTION = re.compile(r"(T\d{2}:\d{2}:\d{2})\.\d+")


@dataclass(frozen=True, slots=True)
class CamtProblem:
    """A bad record: where it is (``Stmt[S1]/Ntry[3]``) and what is wrong."""

    position: str
    reason: str


@dataclass(frozen=True, slots=True)
class _Statement:
    """The account a statement (report, notification) is about, and its label
    (``Stmt[STMT-1]``), which starts every position inside it."""

    label: str
    ident: str
    account: str
    owner: str
    servicer: str  # the account's bank (BIC or name), for entries with no party


@dataclass(frozen=True, slots=True)
class _Entry:
    """A booked entry and the statement it belongs to."""

    statement: _Statement
    index: _Index  # the entry without its details
    number: int  # 1-based, within its statement
    batch: bool  # several TxDtls: each must bring its own amount


_Index = dict[str, Element]  # descendants by local-name path: see ``_index``
_Items = list[Transaction | CamtProblem]
_RawEntry = tuple[_Statement | CamtProblem, Element, int]


def is_camt(path: Path) -> bool:
    """Whether the file opens like a camt.052/053/054 document (format sniffing)."""
    try:
        with path.open("rb") as handle:
            return _SNIFF.search(handle.read(SNIFF_BYTES)) is not None
    except OSError:
        return False


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
            yield payment_entity(tx)


def _iter_items(path: Path) -> Iterator[Transaction | CamtProblem]:
    """Every transaction (with its file-unique id) or problem, in file order."""
    ids: dict[str, int] = {}
    for statement, element, number in _walk(path):
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


def _entry_items(statement: _Statement, element: Element, number: int) -> _Items:
    """An entry's transactions (none unless booked), or the problems with it."""
    where = f"{statement.label}/Ntry[{number}]"
    own, parts = _index(element, split="NtryDtls/TxDtls")
    status = _text(own, "Sts/Cd", "Sts/Prtry", "Sts")
    if status != BOOKED:
        return [CamtProblem(where, "missing entry status (Sts)")] if not status else []
    details = [_index(part)[0] for part in parts]
    entry = _Entry(statement, own, number, batch=len(details) > 1)
    items: _Items = []
    for index, detail in enumerate(details or [{}], start=1):
        try:
            items.append(_transaction(entry, detail, index))
        except fm.ValueProblem as exc:
            at = f"{where}/TxDtls[{index}]" if entry.batch else where
            items.append(CamtProblem(at, str(exc)))
    return items


def _transaction(entry: _Entry, detail: _Index, number: int) -> Transaction:
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


def _amount(entry: _Entry, detail: _Index) -> tuple[float, str]:
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


def _indicator(entry: _Index, detail: _Index) -> str:
    """CRDT or DBIT; a transaction may state its own direction."""
    indicator = _text(detail, "CdtDbtInd") or _text(entry, "CdtDbtInd")
    if not indicator:
        raise fm.ValueProblem("missing credit/debit indicator (CdtDbtInd)")
    if indicator not in (CREDIT, DEBIT):
        raise fm.ValueProblem(f"credit/debit indicator {indicator!r} is not CRDT/DBIT")
    return indicator


def _timestamp(entry: _Index) -> int:
    """When the entry was booked, or else its value date."""
    text = _text(entry, "BookgDt/DtTm", "BookgDt/Dt", "ValDt/DtTm", "ValDt/Dt")
    if not text:
        raise fm.ValueProblem("missing booking date (BookgDt) and value date (ValDt)")
    return _seconds(text)


@functools.lru_cache(maxsize=4096)  # dates repeat; strptime tries many formats
def _seconds(text: str) -> int:
    return fm.parse_timestamp(_FRACTION.sub(r"\1", text), fm.TimeFormat.TIMESTAMP)


def _counterparty(detail: _Index, indicator: str, servicer: str) -> tuple[str, str]:
    """(account, name) of the debtor of a credit or the creditor of a debit.

    Fees, interest and card settlements name no party: the money goes to or
    comes from a bank, so that bank (the party's agent, else the account's
    own servicer) is the counterparty, as ``bank-<BIC or name>``.
    """
    role = "Dbtr" if indicator == CREDIT else "Cdtr"
    party = f"RltdPties/{role}"
    name = _text(detail, f"{party}/Nm", f"{party}/Pty/Nm")
    account = _text(detail, f"{party}Acct/Id/IBAN", f"{party}Acct/Id/Othr/Id")
    if account or name:
        return account or _name_account(name), name
    agent = f"RltdAgts/{role}Agt/FinInstnId"
    bank = _text(detail, *(f"{agent}/{field}" for field in _BANK_IDS)) or servicer
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


def _reference(entry: _Index, detail: _Index) -> str:
    """The most specific reference the bank gives, skipping ``NOTPROVIDED``."""
    paths = ("Refs/EndToEndId", "Refs/TxId", "Refs/AcctSvcrRef")
    own = [_text(detail, path) for path in paths]
    shared = [_text(entry, "AcctSvcrRef"), _text(entry, "NtryRef")]
    return next((ref for ref in own + shared if ref and ref != NOT_PROVIDED), "")


def _tx_type(element: _Index) -> str:
    """The bank transaction code: ``PMNT/RCDT/ESCT``, or the proprietary code."""
    levels = ("Cd", "Fmly/Cd", "Fmly/SubFmlyCd")
    codes = [_text(element, f"BkTxCd/Domn/{level}") for level in levels]
    if not codes[0]:
        return _text(element, "BkTxCd/Prtry/Cd")
    return "/".join(code for code in codes if code)


def _index(element: Element, split: str = "") -> tuple[_Index, list[Element]]:
    """Descendants by local-name path (``Refs/EndToEndId``; the first wins), and
    apart those at ``split``. One walk beats an ElementPath search per value on
    defusedxml's pure-Python elements, and matches any namespace (version)."""
    found: _Index = {}
    parts: list[Element] = []
    todo = [(child, "") for child in reversed(element)]
    while todo:
        node, prefix = todo.pop()
        path = prefix + _local(node.tag)
        if path == split:
            parts.append(node)
        else:
            found.setdefault(path, node)
            todo.extend((child, f"{path}/") for child in reversed(node))
    return found, parts


def _text(index: _Index, *paths: str) -> str:
    """The stripped text at the first of ``paths`` that has any."""
    texts = ((index[path].text or "").strip() for path in paths if path in index)
    return next((text for text in texts if text), "")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _walk(path: Path) -> Iterator[_RawEntry]:
    """Each ``Ntry`` with its statement, streamed; XML faults are ReaderErrors.

    Not ``readers.xmlsafe``: its records may not nest, yet an entry needs its
    statement's account. The defusedxml settings are the same.
    """
    parser = DefusedXMLParser(forbid_dtd=True)
    walker = _Walker(path)
    try:
        with path.open("rb") as handle:
            events = iterparse(handle, events=("start", "end"), parser=parser)
            for event, element in events:
                if event == "start":
                    walker.enter(element)
                else:
                    yield from walker.leave(element)
    except ParseError as exc:
        line, column = exc.position
        reason = f"not well-formed XML: {ErrorString(exc.code)}"
        raise ReaderError(path, f"line {line}, column {column + 1}", reason) from exc
    except (DefusedXmlException, LookupError, ValueError) as exc:
        # A DTD (XXE, entity bombs), or a declared encoding codecs do not know.
        expat = parser.parser
        line, column = expat.CurrentLineNumber, expat.CurrentColumnNumber
        reason = f"refused: {type(exc).__name__}: {exc}"
        raise ReaderError(path, f"line {line}, column {column + 1}", reason) from exc
    except OSError as exc:
        raise SourceError(f"{path}: cannot read the file: {exc}") from exc


class _Walker:
    """The open elements and statement; what is finished leaves the tree."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.container = self.statement_tag = ""
        self.open: list[Element] = []
        self.statements = self.entries = 0  # finished ones; of the open one
        self.statement: _Statement | CamtProblem | None = None

    def enter(self, element: Element) -> None:
        if not self.open:
            self.container, self.statement_tag = _message(self.path, element.tag)
        elif len(self.open) == 1 and _local(element.tag) != self.container:
            reason = f"expected {self.container} under Document"
            raise ReaderError(self.path, "root", reason)
        self.open.append(element)

    def leave(self, element: Element) -> Iterator[_RawEntry]:
        self.open.pop()
        parent = self.open[-1] if self.open else element
        if len(self.open) == 2:  # a finished statement (or header): drop it
            parent.remove(element)
            if _local(element.tag) == self.statement_tag:
                self.statements += 1
                self.entries, self.statement = 0, None
        elif len(self.open) == 3 and self._is_entry(element, parent):
            self.entries += 1
            if self.statement is None:
                self.statement = self._statement(parent)
            yield self.statement, element, self.entries
            parent.remove(element)

    def _is_entry(self, element: Element, parent: Element) -> bool:
        return (_local(element.tag), _local(parent.tag)) == ("Ntry", self.statement_tag)

    def _statement(self, element: Element) -> _Statement | CamtProblem:
        header = _index(element, split="Ntry")[0]
        ident = _text(header, "Id") or f"#{self.statements + 1}"
        label = f"{self.statement_tag}[{ident}]"
        account = _text(header, "Acct/Id/IBAN", "Acct/Id/Othr/Id")
        if not account:
            reason = "missing statement account (Acct/Id/IBAN or Acct/Id/Othr/Id)"
            return CamtProblem(label, reason)
        owner = _text(header, "Acct/Ownr/Nm")
        servicer = _text(header, *(f"Acct/Svcr/FinInstnId/{f}" for f in _BANK_IDS))
        return _Statement(label, ident, account, owner, servicer)


def _message(path: Path, tag: str) -> tuple[str, str]:
    """The container and per-account element names for the root's namespace."""
    match = _DOCUMENT.match(tag)
    if match is None or _local(tag) != "Document":
        reason = f"not an ISO 20022 camt.052/053/054 document: root {tag!r}"
        raise ReaderError(path, "root", reason)
    return _MESSAGES[match.group(1)]
