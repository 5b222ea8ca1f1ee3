"""Financing detectors over store entities (Payment, BankAccount, CryptoWallet).

``FinancingTypologyDetector`` replays the store's payments in time order
through the streaming typology rules; ``MonitoredIdentifierDetector`` finds
payments whose accounts carry a wallet address, IBAN or account number that
another dataset (a monitored channel's fundraising appeal, say) also holds.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from followthemoney import StatementEntity

from accord.detectors.base import Detector
from accord.financing.ledger import Transaction
from accord.financing.typologies import TypologyHit, TypologyMonitor
from accord.model.finding import Feature, Finding

MIN_IDENTIFIER_LENGTH = 6
IDENTIFIER_PROPS = ("iban", "accountNumber", "cryptoAddress", "publicKey")


def payment_transaction(payment: StatementEntity) -> Transaction | None:
    """A stored Payment as a ledger transaction; None if it lacks a field."""
    orig = payment.first("payerAccount")
    bene = payment.first("beneficiaryAccount")
    amount = payment.first("amount")
    date = payment.first("date")
    if not (orig and bene and amount and date and payment.id):
        return None
    try:
        moment = datetime.fromisoformat(date)
        value = float(amount)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return Transaction(
        tran_id=payment.id,
        orig=orig,
        bene=bene,
        amount=value,
        currency=payment.first("currency") or "",
        ts=int(moment.timestamp()),
    )


def _hit_finding(hit: TypologyHit) -> Finding:
    return Finding(
        detector=f"{FinancingTypologyDetector.NAME}.{hit.typology}",
        subjects=(hit.account,),
        evidence=hit.tran_ids,
        score=round(hit.score, 3),
        summary=f"{hit.typology}: {hit.summary}",
        explanation={name: Feature(v, d) for name, (v, d) in hit.explanation.items()},
    )


class FinancingTypologyDetector(Detector):
    NAME = "financing_typologies"
    TITLE = (
        "Terrorist-financing typologies in payments: donation fan-in, funnels, "
        "structuring, scatter-gather, cycles, dormant accounts"
    )

    def detect(self, entities: Sequence[StatementEntity]) -> list[Finding]:
        payments = [e for e in entities if e.schema.name == "Payment"]
        ledger = [tx for tx in map(payment_transaction, payments) if tx is not None]
        ledger.sort(key=lambda tx: (tx.ts, tx.tran_id))
        monitor = TypologyMonitor()
        findings: dict[str, Finding] = {}
        for tx in ledger:
            key = monitor.stream.next_key(tx)
            seen = monitor.stream.last_seen(tx)
            monitor.stream.remember(tx, key)
            for hit in monitor.observe(tx, key, seen):
                finding = _hit_finding(hit)
                findings[finding.id] = finding  # the latest episode per account
        return list(findings.values())


def normalize_identifier(value: str) -> str:
    """Upper-case letters and digits only: ``gb33 bukb-2020`` is ``GB33BUKB2020``."""
    return re.sub(r"[^0-9A-Z]", "", value.upper())


def _identifiers(entity: StatementEntity) -> Iterable[str]:
    for prop in IDENTIFIER_PROPS:
        if entity.schema.get(prop) is None:
            continue
        for raw in entity.get(prop):
            value = normalize_identifier(raw)
            if len(value) >= MIN_IDENTIFIER_LENGTH:
                yield value


class MonitoredIdentifierDetector(Detector):
    NAME = "payment_to_monitored_identifier"
    TITLE = "Payments to or from a wallet, IBAN or account seen in another dataset"

    def detect(self, entities: Sequence[StatementEntity]) -> list[Finding]:
        payments_by_account: dict[str, list[str]] = defaultdict(list)
        for entity in entities:
            if entity.schema.name == "Payment" and entity.id:
                for prop in ("payerAccount", "beneficiaryAccount"):
                    for account in entity.get(prop):
                        payments_by_account[account].append(entity.id)
        holders: dict[str, list[StatementEntity]] = defaultdict(list)
        for entity in entities:
            if entity.schema.name in ("BankAccount", "CryptoWallet"):
                for value in set(_identifiers(entity)):
                    holders[value].append(entity)
        findings = []
        for value, found in sorted(holders.items()):
            findings.extend(_matches(value, found, payments_by_account))
        return findings


def _matches(
    value: str, found: list[StatementEntity], payments: dict[str, list[str]]
) -> list[Finding]:
    """Each paying account that shares ``value`` with an entity of another dataset."""
    findings = []
    for account in found:
        used = payments.get(account.id or "")
        if not used:
            continue
        others = [
            e for e in found if e.id != account.id and e.datasets - account.datasets
        ]
        for other in others:
            sources = ", ".join(sorted(other.datasets))
            findings.append(
                Finding(
                    detector=MonitoredIdentifierDetector.NAME,
                    subjects=(account.id or "", other.id or ""),
                    evidence=tuple(sorted(set(used))),
                    score=0.9 if other.schema.name == "CryptoWallet" else 0.8,
                    summary=f"{len(set(used))} payment(s) use {value}, which "
                    f"{other.schema.name} {other.caption} in {sources} also holds",
                    explanation={
                        "shared_identifier": Feature(
                            1.0, f"{value} on a paying account and in {sources}"
                        ),
                        "payments": Feature(float(len(set(used))), "payments using it"),
                    },
                )
            )
    return findings
