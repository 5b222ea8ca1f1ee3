"""Walking an ISO 20022 camt.052/053/054 file: each entry with its statement.

The XML half of ``camt``: it streams ``Ntry`` elements together with the
account they belong to, drops what is finished so memory stays flat, and
turns XML faults into ``ReaderError``s. What an entry means is ``camt``'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError, iterparse

from accord.errors import ReaderError, SourceError

_DOCUMENT = re.compile(r"^\{urn:iso:std:iso:20022:tech:xsd:camt\.(05[234])\.001\.")
_MESSAGES = {  # message number -> (the element under Document, its per-account one)
    "052": ("BkToCstmrAcctRpt", "Rpt"),
    "053": ("BkToCstmrStmt", "Stmt"),
    "054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn"),
}
BANK_IDS = ("BICFI", "BIC", "Nm")  # how FinInstnId names a bank, v8+ and v2


@dataclass(frozen=True, slots=True)
class CamtProblem:
    """A bad record: where it is (``Stmt[S1]/Ntry[3]``) and what is wrong."""

    position: str
    reason: str


@dataclass(frozen=True, slots=True)
class Statement:
    """The account a statement (report, notification) is about, and its label
    (``Stmt[STMT-1]``), which starts every position inside it."""

    label: str
    ident: str
    account: str
    owner: str
    servicer: str  # the account's bank (BIC or name), for entries with no party


Index = dict[str, Element]  # descendants by local-name path: see ``_index``
RawEntry = tuple[Statement | CamtProblem, Element, int]


def index_of(element: Element, split: str = "") -> tuple[Index, list[Element]]:
    """Descendants by local-name path (``Refs/EndToEndId``; the first wins), and
    apart those at ``split``. One walk beats an ElementPath search per value on
    defusedxml's pure-Python elements, and matches any namespace (version)."""
    found: Index = {}
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


def text_of(index: Index, *paths: str) -> str:
    """The stripped text at the first of ``paths`` that has any."""
    texts = ((index[path].text or "").strip() for path in paths if path in index)
    return next((text for text in texts if text), "")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def walk(path: Path) -> Iterator[RawEntry]:
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
        self.statement: Statement | CamtProblem | None = None

    def enter(self, element: Element) -> None:
        if not self.open:
            self.container, self.statement_tag = _message(self.path, element.tag)
        elif len(self.open) == 1 and _local(element.tag) != self.container:
            reason = f"expected {self.container} under Document"
            raise ReaderError(self.path, "root", reason)
        self.open.append(element)

    def leave(self, element: Element) -> Iterator[RawEntry]:
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

    def _statement(self, element: Element) -> Statement | CamtProblem:
        header = index_of(element, split="Ntry")[0]
        ident = text_of(header, "Id") or f"#{self.statements + 1}"
        label = f"{self.statement_tag}[{ident}]"
        account = text_of(header, "Acct/Id/IBAN", "Acct/Id/Othr/Id")
        if not account:
            reason = "missing statement account (Acct/Id/IBAN or Acct/Id/Othr/Id)"
            return CamtProblem(label, reason)
        owner = text_of(header, "Acct/Ownr/Nm")
        servicer = text_of(header, *(f"Acct/Svcr/FinInstnId/{f}" for f in BANK_IDS))
        return Statement(label, ident, account, owner, servicer)


def _message(path: Path, tag: str) -> tuple[str, str]:
    """The container and per-account element names for the root's namespace."""
    match = _DOCUMENT.match(tag)
    if match is None or _local(tag) != "Document":
        reason = f"not an ISO 20022 camt.052/053/054 document: root {tag!r}"
        raise ReaderError(path, "root", reason)
    return _MESSAGES[match.group(1)]
