"""Transaction files as FtM entities, for ``accord ingest``.

Each transaction becomes a ``Payment`` between two ``BankAccount``s, with
the same ids the columnar ledger uses (``ledger.account_entity_id``,
``ledger.payment_entity_id``). The file is checked whole before the first
entity is yielded, so a file with any bad row is refused with every bad
row's line, and the store never sees half of it. Labels are not ingested:
they are evaluation data, not facts about the payments.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import ClassVar

from followthemoney import EntityProxy, model
from rigour.ids import IBAN

from accord.financing.formats import ColumnMapping
from accord.financing.ledger import Transaction, account_entity_id, payment_entity_id
from accord.financing.sources import check_file, iter_transactions, open_text
from accord.readers.base import Reader


def iso_time(ts: int) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S")


def account_entity(account: str, holder: str = "") -> EntityProxy:
    entity = model.make_entity("BankAccount")
    entity.id = account_entity_id(account)
    entity.add("accountNumber", account)
    if IBAN.is_valid(account):
        entity.add("iban", account)
    if holder:
        entity.add("name", holder)
    return entity


def party_entity(account: str, name: str) -> EntityProxy:
    """The named holder of an account, so screening can see the name."""
    entity = model.make_entity("LegalEntity")
    entity.id = f"holder-{account_entity_id(account)}"
    entity.add("name", name)
    return entity


def payment_entity(tx: Transaction, scope: str = "") -> EntityProxy:
    """The Payment of ``tx``; its id is the transaction id, within ``scope``
    when the id is only unique there (camt: per payer, see ``camt``)."""
    entity = model.make_entity("Payment")
    entity.id = payment_entity_id(f"{scope}/{tx.tran_id}" if scope else tx.tran_id)
    entity.add("transactionNumber", tx.tran_id)
    entity.add("payerAccount", account_entity_id(tx.orig))
    entity.add("beneficiaryAccount", account_entity_id(tx.bene))
    entity.add("amount", repr(tx.amount))
    entity.add("currency", tx.currency)
    entity.add("date", iso_time(tx.ts))
    if tx.tx_type:
        entity.add("purpose", tx.tx_type)
    if tx.orig_name:
        entity.add("payer", f"holder-{account_entity_id(tx.orig)}")
    if tx.bene_name:
        entity.add("beneficiary", f"holder-{account_entity_id(tx.bene)}")
    return entity


class TransactionReader(Reader):
    """Shared by the transaction formats: check the file, then stream it."""

    FORMAT: ClassVar[str]
    MAPPING: ClassVar[ColumnMapping | None] = None

    def read(self) -> Iterator[EntityProxy]:
        check_file(self.path, self.FORMAT, self.MAPPING)
        seen: set[str] = set()
        with open_text(self.path) as handle:
            for tx in iter_transactions(
                handle, str(self.path), self.FORMAT, self.MAPPING
            ):
                for account, name in ((tx.orig, tx.orig_name), (tx.bene, tx.bene_name)):
                    if account not in seen:
                        seen.add(account)
                        yield account_entity(account)
                        if name:
                            yield party_entity(account, name)
                yield payment_entity(tx)


class AmlsimReader(TransactionReader):
    NAME = "amlsim"
    TITLE = "IBM AMLSim transactions.csv (or its 2019 sample layout)"
    FORMAT = "amlsim"


class AmlworldReader(TransactionReader):
    NAME = "amlworld"
    TITLE = "IBM AMLworld transactions (HI/LI-Small_Trans.csv layout)"
    FORMAT = "amlworld"


class TransactionCsvReader(TransactionReader):
    NAME = "transactions_csv"
    TITLE = (
        "Transactions CSV: tran_id, orig, bene, amount, currency, timestamp "
        "[, tx_type, orig_name, bene_name]"
    )
    FORMAT = "csv"
