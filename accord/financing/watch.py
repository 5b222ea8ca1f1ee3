"""Streaming: transactions in time order in, alerts out.

Rules fire on the transaction that completes their pattern. The learned
scorer runs in small batches (LightGBM's per-call overhead dwarfs one row),
so a transaction's score waits for at most ``batch_size - 1`` later ones or
``max_wait_s`` seconds, whichever comes first; ``batch_size=1`` scores each
transaction on arrival.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.financing.ledger import Transaction
from accord.financing.scorer import ScoringModel
from accord.financing.stream import FeatureStream
from accord.financing.typologies import TypologyHit, TypologyMonitor

LEARNED = "learned_score"
TOP_REASONS = 3


@dataclass(frozen=True, slots=True)
class Alert:
    """One streaming finding: a typology, an account and its evidence."""

    typology: str
    account: str
    tran_ids: tuple[str, ...]
    score: float
    summary: str
    explanation: dict[str, tuple[float, str]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "typology": self.typology,
            "account": self.account,
            "tran_ids": list(self.tran_ids),
            "score": round(self.score, 4),
            "summary": self.summary,
            "explanation": {
                name: {"value": round(value, 4), "detail": detail}
                for name, (value, detail) in self.explanation.items()
            },
        }

    @classmethod
    def of_hit(cls, hit: TypologyHit) -> Alert:
        return cls(
            hit.typology,
            hit.account,
            hit.tran_ids,
            hit.score,
            hit.summary,
            hit.explanation,
        )


@dataclass
class Pending:
    transactions: list[Transaction] = field(default_factory=list)
    rows: list[list[float]] = field(default_factory=list)
    arrived: list[float] = field(default_factory=list)


class Watcher:
    """Feeds one stream through the features, the rules and the scorer."""

    def __init__(
        self,
        model: ScoringModel | None = None,
        *,
        batch_size: int = 256,
        max_wait_s: float = 0.01,
    ) -> None:
        self.stream = FeatureStream()
        self.monitor = TypologyMonitor(self.stream)
        self.model = model
        self.batch_size = max(1, batch_size)
        self.max_wait_s = max_wait_s
        self.pending = Pending()
        self.latencies: list[float] = []
        self.scores: dict[str, float] = {}

    def feed(self, tx: Transaction) -> list[Alert]:
        """Alerts that are ready once ``tx`` has been seen."""
        arrived = time.perf_counter()
        key = self.stream.next_key(tx)
        seen = self.stream.last_seen(tx)
        row = self.stream.row(tx, key)
        self.stream.remember(tx, key)
        alerts = [Alert.of_hit(hit) for hit in self.monitor.observe(tx, key, seen)]
        if self.model is None:
            self.latencies.append(time.perf_counter() - arrived)
            return alerts
        self.pending.transactions.append(tx)
        self.pending.rows.append(row)
        self.pending.arrived.append(arrived)
        full = len(self.pending.rows) >= self.batch_size
        if full or arrived - self.pending.arrived[0] >= self.max_wait_s:
            alerts.extend(self.flush())
        return alerts

    def flush(self) -> list[Alert]:
        """Score what is waiting; alerts for those over the model's threshold."""
        if self.model is None or not self.pending.rows:
            return []
        pending, self.pending = self.pending, Pending()
        width = len(pending.rows[0])
        # One flat pass: much cheaper than numpy discovering a list of lists.
        flat = itertools.chain.from_iterable(pending.rows)
        matrix = np.fromiter(flat, np.float64, len(pending.rows) * width)
        matrix = matrix.reshape(len(pending.rows), width)
        scores = self.model.predict(matrix, threads=1)
        done = time.perf_counter()
        self.latencies.extend(done - arrived for arrived in pending.arrived)
        flagged = np.flatnonzero(scores >= self.model.threshold)
        for tx, score in zip(pending.transactions, scores, strict=True):
            self.scores[tx.tran_id] = float(score)
        if not len(flagged):
            return []
        reasons = self.model.explain_rows(matrix[flagged])
        return [
            _learned_alert(pending.transactions[i], float(scores[i]), why)
            for i, why in zip(flagged, reasons, strict=True)
        ]

    def run(self, transactions: Iterable[Transaction]) -> Iterator[Alert]:
        for tx in transactions:
            yield from self.feed(tx)
        yield from self.flush()


def _learned_alert(tx: Transaction, score: float, reasons: dict[str, float]) -> Alert:
    top = sorted(reasons.items(), key=lambda item: -item[1])[:TOP_REASONS]
    explanation = {
        name: (delta, "score drop if this feature were typical") for name, delta in top
    }
    return Alert(
        LEARNED,
        tx.orig,
        (tx.tran_id,),
        score,
        f"payment {tx.tran_id} {tx.orig} -> {tx.bene} ({tx.amount:.2f} {tx.currency}) "
        f"scores {score:.3f}",
        explanation,
    )
