"""Financing detectors over stored entities, and counterparty screening."""

from __future__ import annotations

from pathlib import Path

from accord.financing.ledger import account_entity_id, payment_entity_id
from accord.financing.service import screen_counterparties
from accord.service import Accord
from tests.factory import request, write_jsonl
from tests.financing.support import tx, write_csv

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_typologies_run_over_stored_payments(service: Accord, tmp_path: Path) -> None:
    rows = [tx(f"d{i}", f"donor{i}", "appeal", 35.0, i * 0.3) for i in range(7)]
    rows.append(tx("out", "appeal", "courier", 240.0, 2.5))
    path = write_csv(tmp_path / "p.csv", rows)
    actor = service.local_actor()
    service.ingest(actor, request(path, "bank", fmt="transactions_csv"))
    result = service.run(actor, detectors=["financing_typologies"], restrict=False)
    [finding] = [
        f for f in result.findings if f.detector.endswith("small_donation_fan_in")
    ]
    assert finding.subjects == (account_entity_id("appeal"),)
    assert payment_entity_id("out") in finding.evidence
    assert len(finding.evidence) == 8
    assert "distinct_donors" in finding.explanation
    assert finding.datasets == ("bank",)


def test_payments_to_a_wallet_from_a_monitored_channel(
    service: Accord, tmp_path: Path
) -> None:
    wallet = "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"
    rows = [tx("p1", "donor", wallet, 150.0, 0), tx("p2", "donor", "shop", 9.0, 1)]
    actor = service.local_actor()
    service.ingest(
        actor,
        request(write_csv(tmp_path / "p.csv", rows), "bank", fmt="transactions_csv"),
    )
    appeal = {
        "id": "wallet-appeal-1",
        "schema": "CryptoWallet",
        "properties": {"publicKey": [wallet], "currencySymbol": ["BTC"]},
    }
    channel = write_jsonl(tmp_path / "channel.jsonl", [appeal])
    service.ingest(actor, request(channel, "channel"))
    result = service.run(
        actor, detectors=["payment_to_monitored_identifier"], restrict=False
    )
    [finding] = result.findings
    assert set(finding.subjects) == {account_entity_id(wallet), "wallet-appeal-1"}
    assert finding.evidence == (payment_entity_id("p1"),)
    assert finding.datasets == ("bank", "channel")


def test_no_finding_without_a_second_dataset(service: Accord, tmp_path: Path) -> None:
    rows = [tx("p1", "donor", "GB33BUKB20201555555555", 150.0, 0)]
    actor = service.local_actor()
    service.ingest(
        actor,
        request(write_csv(tmp_path / "p.csv", rows), "bank", fmt="transactions_csv"),
    )
    result = service.run(
        actor, detectors=["payment_to_monitored_identifier"], restrict=False
    )
    assert result.findings == []


def test_payments_to_a_listed_party(sqlite_service: Accord, tmp_path: Path) -> None:
    service = sqlite_service
    actor = service.local_actor()
    un = request(FIXTURES / "un_sc_excerpt.xml", "un", fmt="un_sc")
    service.ingest(actor, un)
    rows = [
        tx("p1", "a1", "a2", 400.0, 0, bene_name="Eric Badege"),
        tx("p2", "a1", "a3", 400.0, 1, bene_name="Maria Lopez Garcia"),
    ]
    service.ingest(
        actor,
        request(write_csv(tmp_path / "p.csv", rows), "bank", fmt="transactions_csv"),
    )
    found = screen_counterparties(service, actor, ["bank"], ("un",))
    [finding] = found
    assert finding.evidence == (payment_entity_id("p1"),)
    assert "Eric Badege" in finding.summary
    assert finding.datasets == ("bank", "un")
