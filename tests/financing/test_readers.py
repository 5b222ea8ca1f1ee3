"""Transaction files into the store as FtM Payment and BankAccount entities."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import ReaderError
from accord.financing.ledger import account_entity_id, payment_entity_id
from accord.financing.readers import AmlsimReader, TransactionCsvReader
from accord.service import Accord
from tests.factory import request
from tests.financing.support import AMLSIM_2019_EXCERPT, tx, write_csv


def test_payments_link_accounts_with_the_ledger_ids(tmp_path: Path) -> None:
    rows = [
        tx("p1", "GB33BUKB20201555555555", "acct-9", 120.5, 0, orig_name="Jane Roe"),
        tx("p2", "acct-9", "GB33BUKB20201555555555", 20.0, 1),
    ]
    entities = list(TransactionCsvReader(write_csv(tmp_path / "t.csv", rows)).read())
    by_schema = {}
    for entity in entities:
        by_schema.setdefault(entity.schema.name, []).append(entity)
    assert len(by_schema["BankAccount"]) == 2
    assert len(by_schema["Payment"]) == 2
    [holder] = by_schema["LegalEntity"]
    assert holder.get("name") == ["Jane Roe"]
    payment = by_schema["Payment"][0]
    assert payment.id == payment_entity_id("p1")
    assert payment.get("payerAccount") == [account_entity_id("GB33BUKB20201555555555")]
    assert payment.get("amount") == ["120.5"]
    assert payment.get("currency") == ["EUR"]
    assert payment.get("payer") == [holder.id]
    iban_account = by_schema["BankAccount"][0]
    assert iban_account.get("iban") == ["GB33BUKB20201555555555"]


def test_a_bad_row_stops_the_reader_before_any_entity(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "tran_id,orig,bene,amount,currency,timestamp\n"
        "1,a,b,5,EUR,2024-01-01\n2,a,b,5,EUR,2024-13-45\n",
        encoding="utf-8",
    )
    entities = TransactionCsvReader(path).read()
    with pytest.raises(ReaderError, match="line 3"):
        next(entities)


def test_ingest_is_all_or_nothing(service: Accord, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "good.csv", [tx("p1", "a", "b", 10.0, 0)])
    result = service.ingest(
        service.local_actor(), request(good, "payments", fmt="transactions_csv")
    )
    assert result.entities == 3
    bad = tmp_path / "bad.csv"
    bad.write_text(good.read_text() + "p2,a,c,ten,EUR,2024-01-01,,\n", encoding="utf-8")
    with pytest.raises(ReaderError, match="line 3: amount 'ten' is not a number"):
        service.ingest(
            service.local_actor(), request(bad, "payments", fmt="transactions_csv")
        )
    ids = {e.id for e in service.store.entities(None, ["payments"])}
    assert ids == {
        payment_entity_id("p1"),
        account_entity_id("a"),
        account_entity_id("b"),
    }


def test_amlsim_reader_is_registered_and_reads_the_2019_layout() -> None:
    entities = list(AmlsimReader(AMLSIM_2019_EXCERPT).read())
    payments = [e for e in entities if e.schema.name == "Payment"]
    assert len(payments) == 300
    assert payments[0].get("date") == ["2017-01-02T00:00:00"]
