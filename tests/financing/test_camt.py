"""ISO 20022 camt.053 (and camt.052/054) statements as ledger transactions."""

from __future__ import annotations

import re
import tracemalloc
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import AccordError, ReaderError
from accord.financing.camt import (
    Camt053Reader,
    iter_camt_transactions,
    read_camt_ledger,
)
from accord.financing.ledger import (
    Transaction,
    account_entity_id,
    empty_ledger,
    payment_entity_id,
    transactions_of,
)
from accord.plugins import load_registry
from accord.screening.sources import detect_format
from tests.financing.support import AMLSIM_2019_EXCERPT, FIXTURES

V02 = FIXTURES / "camt053_v02_batch_pending.xml"
V08 = FIXTURES / "camt053_v08_nested.xml"
OWN = "DE89370400440532013000"
OTHER_OWN = "GB29NWBK60161331926819"
NOV_14 = int(datetime(2023, 11, 14, tzinfo=UTC).timestamp())


def document(entries: str, message: str = "053.001.02", account: str = "") -> bytes:
    """A one-statement camt document around the given ``Ntry`` elements."""
    container, statement = {
        "053": ("BkToCstmrStmt", "Stmt"),
        "052": ("BkToCstmrAcctRpt", "Rpt"),
        "054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn"),
    }[message[:3]]
    acct = account or f"<Acct><Id><IBAN>{OWN}</IBAN></Id></Acct>"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.{message}">'
        f"<{container}><GrpHdr><MsgId>M1</MsgId></GrpHdr>"
        f"<{statement}><Id>S1</Id>{acct}{entries}</{statement}>"
        f"</{container}></Document>"
    ).encode()


def entry(
    amount: str = '<Amt Ccy="EUR">10.00</Amt>',
    indicator: str = "<CdtDbtInd>CRDT</CdtDbtInd>",
    status: str = "<Sts>BOOK</Sts>",
    date: str = "<BookgDt><Dt>2023-11-14</Dt></BookgDt>",
    details: str | None = None,
) -> str:
    if details is None:
        details = (
            "<TxDtls><RltdPties><Dbtr><Nm>Jane Roe</Nm></Dbtr>"
            "<DbtrAcct><Id><IBAN>GB33BUKB20201555555555</IBAN></Id></DbtrAcct>"
            "</RltdPties></TxDtls>"
        )
    inner = f"<NtryDtls>{details}</NtryDtls>" if details else ""
    return f"<Ntry>{amount}{indicator}{status}{date}{inner}</Ntry>"


def write(tmp_path: Path, data: bytes, name: str = "statement.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_reads_the_values_of_a_v2_credit() -> None:
    first = next(iter_camt_transactions(V02))
    assert first == Transaction(
        tran_id="INV-2023-117",
        orig="GB33BUKB20201555555555",
        bene=OWN,
        amount=1250.0,
        currency="EUR",
        ts=NOV_14,
        tx_type="PMNT/RCDT/ESCT",
        orig_name="Acme Trading Ltd",
        bene_name="Meier Import GmbH",
    )


def test_a_debit_flows_from_the_statement_account_to_the_creditor() -> None:
    debits = list(iter_camt_transactions(V02))[1:]
    assert {tx.orig for tx in debits} == {OWN}
    assert {tx.orig_name for tx in debits} == {"Meier Import GmbH"}
    assert debits[0].bene == "FR1420041010050500013M02606"
    assert debits[0].bene_name == "Dupont Logistique SARL"


def test_a_batch_booking_is_split_into_its_payments() -> None:
    batch = list(iter_camt_transactions(V02))[1:]
    assert [tx.amount for tx in batch] == [980.0, 514.5, 250.0]
    assert sum(tx.amount for tx in batch) == pytest.approx(1744.50)
    # EndToEndId, then TxId past NOTPROVIDED, then the entry's AcctSvcrRef
    assert [tx.tran_id for tx in batch] == [
        "SUP-4471",
        "PAYRUN-2023-46-2",
        "2023111400012399",
    ]
    assert {tx.tx_type for tx in batch} == {"PMNT/ICDT/ESCT"}


def test_a_counterparty_known_only_by_name_gets_a_stable_account() -> None:
    huber = list(iter_camt_transactions(V02))[-1]
    assert huber.bene_name == "Karl Huber"
    assert huber.bene.startswith("name-")
    again = list(iter_camt_transactions(V02))[-1]
    assert again.bene == huber.bene


def test_a_fee_with_no_party_is_paid_to_the_bank(tmp_path: Path) -> None:
    fee = entry(indicator="<CdtDbtInd>DBIT</CdtDbtInd>", details="")
    agent = "<RltdAgts><CdtrAgt><FinInstnId><BICFI>AGNTDEFF</BICFI></FinInstnId></CdtrAgt></RltdAgts>"
    card = entry(
        indicator="<CdtDbtInd>DBIT</CdtDbtInd>", details=f"<TxDtls>{agent}</TxDtls>"
    )
    servicer = (
        f"<Acct><Id><IBAN>{OWN}</IBAN></Id>"
        "<Svcr><FinInstnId><BIC>COBADEFF</BIC></FinInstnId></Svcr></Acct>"
    )
    path = write(tmp_path, document(fee + card, account=servicer))
    by_servicer, by_agent = iter_camt_transactions(path)
    assert (by_servicer.orig, by_servicer.bene) == (OWN, "bank-COBADEFF")
    assert by_servicer.bene_name == "COBADEFF"
    assert by_agent.bene == "bank-AGNTDEFF"


def test_pending_entries_are_skipped() -> None:
    transactions = list(iter_camt_transactions(V02))
    assert len(transactions) == 4
    assert "REFUND-0093" not in {tx.tran_id for tx in transactions}
    assert "AT611904300234573201" not in {tx.orig for tx in transactions}


def test_v8_reads_status_codes_party_nesting_and_date_times() -> None:
    donation, transfer, euro = iter_camt_transactions(V08)
    assert donation.orig == "POSTFINANCE-30-12345-6"  # DbtrAcct/Id/Othr/Id
    assert donation.orig_name == "Anna Keller"  # Dbtr/Pty/Nm
    assert donation.bene_name == "Verein Bergsicht"
    # 09:30:00.250 at UTC+1, whole seconds
    assert donation.ts == int(datetime(2024, 3, 15, 8, 30, tzinfo=UTC).timestamp())
    assert transfer.bene == "BE68539007547034"
    assert transfer.bene_name == "Hilfswerk Sonnenhang"  # Cdtr/Pty/Nm
    assert transfer.tx_type == "ZV-AUSL"  # BkTxCd/Prtry/Cd
    assert euro.bene == "0762011623852-EUR"  # the second statement's account
    assert euro.currency == "EUR"


def test_the_value_date_stands_in_for_a_missing_booking_date(tmp_path: Path) -> None:
    value_dated = entry(date="<ValDt><Dt>2023-11-15</Dt></ValDt>")
    [tx] = iter_camt_transactions(write(tmp_path, document(value_dated)))
    assert tx.ts == NOV_14 + 86_400


def test_ids_are_unique_within_the_file_and_stable() -> None:
    ids = [tx.tran_id for tx in iter_camt_transactions(V08)]
    # the same end-to-end id twice; no reference at all -> statement:entry:tx
    assert ids == ["DON-2024-031", "DON-2024-031#2", "S-20240315-EUR:1:1"]
    assert ids == [tx.tran_id for tx in iter_camt_transactions(V08)]


def credit_from(payer: str, reference: str) -> str:
    refs = f"<Refs><EndToEndId>{reference}</EndToEndId></Refs>"
    party = (
        f"<RltdPties><Dbtr><Nm>Payer</Nm></Dbtr>"
        f"<DbtrAcct><Id><IBAN>{payer}</IBAN></Id></DbtrAcct></RltdPties>"
    )
    return entry(details=f"<TxDtls>{refs}{party}</TxDtls>")


def payment_ids(path: Path) -> set[str]:
    entities = Camt053Reader(path).read()
    return {e.id or "" for e in entities if e.schema.name == "Payment"}


def test_one_reference_from_two_payers_is_two_payments(tmp_path: Path) -> None:
    """Payers choose end-to-end ids: two statements may both hold "INV-1"."""
    first = write(tmp_path, document(credit_from("NL91ABNA0417164300", "INV-1")))
    other = f"<Acct><Id><IBAN>{OTHER_OWN}</IBAN></Id></Acct>"
    second = document(
        credit_from("FR1420041010050500013M02606", "INV-1"), account=other
    )
    ids = payment_ids(first) | payment_ids(write(tmp_path, second, "other.xml"))
    assert len(ids) == 2


def test_one_payment_on_both_statements_is_one_payment(tmp_path: Path) -> None:
    """The payer's debit and the payee's credit name the same payment."""
    credit = document(credit_from(OTHER_OWN, "INV-7"))
    refs = "<Refs><EndToEndId>INV-7</EndToEndId></Refs>"
    party = (
        f"<RltdPties><Cdtr><Nm>Payee</Nm></Cdtr>"
        f"<CdtrAcct><Id><IBAN>{OWN}</IBAN></Id></CdtrAcct></RltdPties>"
    )
    debit = document(
        entry(
            indicator="<CdtDbtInd>DBIT</CdtDbtInd>",
            details=f"<TxDtls>{refs}{party}</TxDtls>",
        ),
        account=f"<Acct><Id><IBAN>{OTHER_OWN}</IBAN></Id></Acct>",
    )
    payee_side = payment_ids(write(tmp_path, credit))
    payer_side = payment_ids(write(tmp_path, debit, "debit.xml"))
    assert payee_side == payer_side
    assert len(payee_side) == 1


def test_a_suffixed_id_never_collides_with_a_real_one(tmp_path: Path) -> None:
    def referenced(ref: str) -> str:
        refs = f"<Refs><EndToEndId>{ref}</EndToEndId></Refs>"
        party = "<RltdPties><Dbtr><Nm>A</Nm></Dbtr></RltdPties>"
        return entry(details=f"<TxDtls>{refs}{party}</TxDtls>")

    refs = ["X", "X", "X#2", "X"]
    path = write(tmp_path, document("".join(referenced(ref) for ref in refs)))
    ids = [tx.tran_id for tx in iter_camt_transactions(path)]
    assert ids == ["X", "X#2", "X#2#2", "X#3"]


def test_the_ledger_has_the_ledger_schema_and_the_streamed_values() -> None:
    ledger = read_camt_ledger(V02)
    assert ledger.schema == empty_ledger().schema
    # the frame has no name columns; everything else is the same
    assert transactions_of(ledger) == [
        replace(tx, orig_name="", bene_name="") for tx in iter_camt_transactions(V02)
    ]


def test_an_empty_statement_gives_an_empty_ledger(tmp_path: Path) -> None:
    ledger = read_camt_ledger(write(tmp_path, document("")))
    assert ledger.height == 0
    assert ledger.schema == empty_ledger().schema


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (entry(amount=""), "missing amount"),
        (entry(amount="<Amt>10.00</Amt>"), "missing currency"),
        (entry(amount='<Amt Ccy="EUR">-5.00</Amt>'), "negative amount '-5.00'"),
        (entry(amount='<Amt Ccy="EUR">ten</Amt>'), "amount 'ten' is not a number"),
        (entry(amount='<Amt Ccy="XYZ">5.00</Amt>'), "unknown currency 'XYZ'"),
        (entry(date=""), "missing booking date"),
        (entry(date="<BookgDt><Dt>2023-13-45</Dt></BookgDt>"), "cannot be parsed"),
        (entry(indicator=""), "missing credit/debit indicator"),
        (entry(indicator="<CdtDbtInd>CRED</CdtDbtInd>"), "'CRED' is not CRDT/DBIT"),
        (entry(status=""), "missing entry status"),
        (entry(details=""), "no counterparty"),
        (entry(details="<TxDtls><RltdPties/></TxDtls>"), "no counterparty"),
    ],
)
def test_each_bad_record_is_named_by_its_position(
    tmp_path: Path, bad: str, reason: str
) -> None:
    path = write(tmp_path, document(entry() + bad))
    with pytest.raises(ReaderError) as info:
        list(iter_camt_transactions(path))
    assert info.value.position.startswith("Stmt[S1]/Ntry[2]")
    assert "Ntry[1]" not in info.value.position
    assert reason in info.value.reason
    assert info.value.path == str(path)


def test_a_batch_payment_without_its_own_amount_is_named(tmp_path: Path) -> None:
    party = "<RltdPties><Dbtr><Nm>A</Nm></Dbtr></RltdPties>"
    details = (
        f'<TxDtls><Amt Ccy="EUR">4.00</Amt>{party}</TxDtls><TxDtls>{party}</TxDtls>'
    )
    path = write(tmp_path, document(entry(details=details)))
    with pytest.raises(ReaderError) as info:
        read_camt_ledger(path)
    assert info.value.position == "Stmt[S1]/Ntry[1]/TxDtls[2]"
    assert "without an amount" in info.value.reason


def test_a_statement_without_an_account_is_named_once(tmp_path: Path) -> None:
    data = document(entry() + entry(), account="<Acct><Ccy>EUR</Ccy></Acct>")
    with pytest.raises(ReaderError) as info:
        read_camt_ledger(write(tmp_path, data))
    assert info.value.position == "Stmt[S1]"
    assert info.value.reason.startswith("1 bad record(s)")


def test_a_bad_record_refuses_the_whole_file_naming_every_one(tmp_path: Path) -> None:
    entries = [entry(), entry(amount=""), entry(), entry(date="")]
    path = write(tmp_path, document("".join(entries)))
    for read in (
        lambda: list(iter_camt_transactions(path)),
        lambda: read_camt_ledger(path),
        lambda: list(Camt053Reader(path).read()),
    ):
        with pytest.raises(ReaderError) as info:
            read()
        assert info.value.position == "Stmt[S1]/Ntry[2], Stmt[S1]/Ntry[4]"
        assert "2 bad record(s), nothing read" in info.value.reason


def test_nothing_is_yielded_before_the_whole_file_is_checked(tmp_path: Path) -> None:
    path = write(tmp_path, document(entry() + entry(amount="")))
    entities = Camt053Reader(path).read()
    with pytest.raises(ReaderError, match="Ntry\\[2\\]"):
        next(entities)


@pytest.mark.parametrize(
    ("data", "position", "reason"),
    [
        (b"tran_id,orig\n1,a\n", "line 1, column 1", "not well-formed XML"),
        (b"", "line 1, column 1", "no element found"),
        (b"<Document><BkToCstmrStmt/></Document>", "root", "not an ISO 20022"),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"/>',
            "root",
            "not an ISO 20022",
        ),
        (
            (
                b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">'
                b"<BkToCstmrAcctRpt/></Document>"
            ),
            "root",
            "expected BkToCstmrStmt",
        ),
        (
            (
                b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM '
                b'"file:///etc/passwd">]>\n<Document>&x;</Document>'
            ),
            "line 2",
            "refused: DTDForbidden",
        ),
        (b'<?xml version="1.0" encoding="bogus"?><Document/>', "line 1", "bogus"),
    ],
)
def test_files_that_are_no_camt_statement_are_refused(
    tmp_path: Path, data: bytes, position: str, reason: str
) -> None:
    path = write(tmp_path, data)
    with pytest.raises(ReaderError) as info:
        read_camt_ledger(path)
    assert info.value.position.startswith(position)
    assert reason in info.value.reason


def test_a_truncated_statement_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, V02.read_bytes()[:4000])
    with pytest.raises(ReaderError, match="not well-formed XML"):
        list(iter_camt_transactions(path))


@pytest.mark.parametrize(
    ("message", "tag"), [("052.001.08", "Rpt"), ("054.001.08", "Ntfctn")]
)
def test_reports_and_notifications_share_the_statement_path(
    tmp_path: Path, message: str, tag: str
) -> None:
    good = document(entry(), message=message)
    [tx] = iter_camt_transactions(write(tmp_path, good))
    assert (tx.orig, tx.bene, tx.amount) == ("GB33BUKB20201555555555", OWN, 10.0)
    bad = write(tmp_path, document(entry(amount=""), message=message), "bad.xml")
    with pytest.raises(ReaderError) as info:
        list(iter_camt_transactions(bad))
    assert info.value.position == f"{tag}[S1]/Ntry[1]"


def test_memory_stays_below_the_file_size(tmp_path: Path) -> None:
    path = write(tmp_path, document(entry() * 5_000))
    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_camt_transactions(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 5_000
    # the whole tree would take about eight times the file; read entries are dropped
    assert peak < path.stat().st_size


def test_reader_yields_accounts_holders_and_payments() -> None:
    assert Camt053Reader.NAME == "camt053"
    entities = list(Camt053Reader(V02).read())
    by_schema: dict[str, list[str]] = {}
    for entity in entities:
        by_schema.setdefault(entity.schema.name, []).append(entity.id or "")
    assert len(by_schema["Payment"]) == 4
    assert len(by_schema["BankAccount"]) == 5  # own + 4 counterparties
    holders = {e.id: e.get("name") for e in entities if e.schema.name == "LegalEntity"}
    assert holders[f"holder-{account_entity_id(OWN)}"] == ["Meier Import GmbH"]
    # ids are scoped to the payer: an end-to-end id is only the payer's own
    scoped = payment_entity_id("GB33BUKB20201555555555/INV-2023-117")
    payment = next(e for e in entities if e.id == scoped)
    assert payment.get("transactionNumber") == ["INV-2023-117"]
    assert payment.get("payerAccount") == [account_entity_id("GB33BUKB20201555555555")]
    assert payment.get("beneficiaryAccount") == [account_entity_id(OWN)]
    assert payment.get("beneficiary") == [f"holder-{account_entity_id(OWN)}"]
    assert payment.get("date") == ["2023-11-14T00:00:00"]


def is_camt(path: Path) -> bool:
    """What format sniffing (``screening.sources.detect_format``) makes of it."""
    try:
        return detect_format(path, load_registry()) == "camt053"
    except AccordError:
        return False


def test_sniffing_tells_camt_from_other_files(tmp_path: Path) -> None:
    assert is_camt(V02)
    assert is_camt(V08)
    assert is_camt(write(tmp_path, document("", message="054.001.02")))
    assert not is_camt(AMLSIM_2019_EXCERPT)
    pain = b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"/>'
    assert not is_camt(write(tmp_path, pain, "pain.xml"))
    assert not is_camt(tmp_path / "absent.xml")


def parses_or_reader_error(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        transactions = list(iter_camt_transactions(path))
    except ReaderError as error:
        assert error.path == str(path)
        assert error.position
        return
    assert all(tx.amount >= 0 and tx.orig and tx.bene for tx in transactions)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_fuzz_random_bytes(tmp_path: Path, data: bytes) -> None:
    parses_or_reader_error(tmp_path / "fuzz.xml", data)


V08_BYTES = V08.read_bytes()
V08_VALUES = [m.span(1) for m in re.finditer(rb">([^<>]+)<", V08_BYTES)]


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cut=st.integers(min_value=1, max_value=len(V08_BYTES)),
    edits=st.lists(
        st.tuples(st.integers(0, len(V08_BYTES)), st.binary(min_size=1, max_size=3)),
        max_size=6,
    ),
)
def test_fuzz_garbled_statements(
    tmp_path: Path, cut: int, edits: list[tuple[int, bytes]]
) -> None:
    data = bytearray(V08_BYTES)
    for at, replacement in edits:
        data[at : at + len(replacement)] = replacement
    parses_or_reader_error(tmp_path / "fuzz.xml", bytes(data[:cut]))


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    which=st.integers(0, len(V08_VALUES) - 1),
    value=st.text(st.characters(codec="utf-8", exclude_characters="<&"), max_size=12),
)
def test_fuzz_element_values(tmp_path: Path, which: int, value: str) -> None:
    start, end = V08_VALUES[which]
    data = V08_BYTES[:start] + value.encode("utf-8") + V08_BYTES[end:]
    parses_or_reader_error(tmp_path / "fuzz.xml", data)
