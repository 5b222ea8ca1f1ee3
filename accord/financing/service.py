"""The financing operations the CLI and the API call.

Training and scoring work on files through the columnar ledger (Polars);
counterparty screening works on the store, through the screening service,
because the lists live there.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np
import numpy.typing as npt
import polars as pl

from accord.detectors.runner import stamp
from accord.errors import InvalidData
from accord.financing.batch import feature_rows
from accord.financing.camt import iter_camt_transactions, read_camt_ledger
from accord.financing.formats import ColumnMapping
from accord.financing.ledger import LABEL, TRAN_ID, Transaction, in_time_order
from accord.financing.scorer import ScoringModel, TrainingParams, train
from accord.financing.sources import CAMT, iter_transactions, read_ledger
from accord.financing.watch import Alert, Watcher
from accord.model.finding import Feature, Finding
from accord.screening.model import ScreeningQuery, ScreeningResult
from accord.screening.service import ScreeningService, ScreenScope
from accord.service import Accord
from accord.store import Actor

LISTED_PARTY = "payment_listed_party"


@dataclass(frozen=True, slots=True)
class TrainReport:
    transactions: int
    positives: int
    threshold: float
    validation: dict[str, float]


def load(path: Path, fmt: str, mapping: ColumnMapping | None = None) -> pl.DataFrame:
    """A transaction file as a checked ledger in time order."""
    if fmt == CAMT:
        return in_time_order(read_camt_ledger(path))
    return in_time_order(read_ledger(path, fmt, mapping))


def feature_matrix(ledger: pl.DataFrame) -> tuple[pl.Series, npt.NDArray[np.float64]]:
    """Transaction ids and the feature matrix, rows in the ledger's order."""
    return feature_rows(ledger)


def train_model(
    path: Path,
    fmt: str,
    out: Path,
    params: TrainingParams | None = None,
    mapping: ColumnMapping | None = None,
) -> TrainReport:
    """Train on a labelled file and save the model with its threshold."""
    ledger = load(path, fmt, mapping)
    if LABEL not in ledger.columns:
        raise InvalidData(f"{path} has no label column to train on")
    _, matrix = feature_matrix(ledger)
    labels = ledger[LABEL].to_numpy().astype(np.int8)
    model = train(matrix, labels, params)
    model.save(out)
    return TrainReport(
        len(labels), int(labels.sum()), model.threshold, model.validation
    )


def score_ledger(model: ScoringModel, ledger: pl.DataFrame) -> pl.DataFrame:
    """One row per transaction: tran_id, score, flagged (0/1)."""
    ids, matrix = feature_matrix(ledger)
    scores = model.predict(matrix) if len(ids) else np.zeros(0)
    return pl.DataFrame(
        {
            TRAN_ID: ids,
            "score": scores,
            "flagged": (scores >= model.threshold).astype(np.int8),
        }
    )


def score_file(
    model_path: Path,
    path: Path,
    fmt: str,
    out: Path,
    mapping: ColumnMapping | None = None,
) -> pl.DataFrame:
    """Score every transaction of a file (labels, if any, are ignored)."""
    model = ScoringModel.load(model_path)
    scores = score_ledger(model, load(path, fmt, mapping))
    scores.write_csv(out)
    return scores


def watch(
    handle: TextIO,
    name: str,
    fmt: str,
    model: ScoringModel | None = None,
    batch_size: int = 256,
) -> Iterator[Alert]:
    """Alerts from a stream of transactions in time order."""
    transactions: Iterator[Transaction] = iter_transactions(handle, name, fmt)
    yield from Watcher(model, batch_size=batch_size).run(transactions)


def watch_statement(
    path: Path, model: ScoringModel | None = None, batch_size: int = 256
) -> Iterator[Alert]:
    """Alerts from a camt.053 file's booked entries, in time order.

    A file may hold several accounts' statements one after another, so its
    entries are put in time order first (a statement file is bounded and is
    read whole to be checked anyway).
    """
    entries = sorted(iter_camt_transactions(path), key=lambda tx: tx.ts)
    yield from Watcher(model, batch_size=batch_size).run(entries)


def write_alert_csv(alerts: list[Alert], handle: TextIO) -> None:
    writer = csv.writer(handle)
    writer.writerow(["typology", "account", "score", "tran_ids", "summary"])
    for alert in alerts:
        tran_ids = " ".join(alert.tran_ids)
        writer.writerow(
            [alert.typology, alert.account, alert.score, tran_ids, alert.summary]
        )


def screen_counterparties(
    accord: Accord,
    actor: Actor,
    datasets: list[str] | None,
    against: tuple[str, ...] = (),
) -> list[Finding]:
    """Payments to or from holders whose names match a list; findings stored.

    Payment holders come from the payments' ``payer``/``beneficiary``
    entities in ``datasets``; lists are ``against`` (all visible datasets if
    empty), as for ``accord screen``.
    """
    entities = {e.id: e for e in accord.store.entities(None, datasets) if e.id}
    payments: dict[str, list[str]] = {}
    for entity in entities.values():
        if entity.schema.name == "Payment":
            for holder in (*entity.get("payer"), *entity.get("beneficiary")):
                payments.setdefault(holder, []).append(entity.id or "")
    queries = [
        ScreeningQuery(name=name, id=holder)
        for holder in sorted(payments)
        if holder in entities
        for name in entities[holder].get("name")
    ]
    screening = ScreeningService(accord)
    scope = ScreenScope(against=against, limit=1, restrict=False)
    findings = []
    for query, results in screening.screen_many(actor, queries, scope):
        best = next((r for r in results if r.match), None)
        if best is not None:
            findings.append(_listed_finding(query, best, payments))
    infos = {info.name: info for info in accord.store.list_datasets(None)}
    stamped = [stamp(f, entities, infos, actor.agency) for f in findings]
    accord.store.save_findings(actor, stamped, [LISTED_PARTY])
    return stamped


def _listed_finding(
    query: ScreeningQuery, result: ScreeningResult, payments: dict[str, list[str]]
) -> Finding:
    used = tuple(sorted(set(payments[query.id])))
    explanation: dict[str, Feature] = dict(result.explanation)
    explanation["payments"] = Feature(float(len(used)), "payments by or to this party")
    return Finding(
        detector=LISTED_PARTY,
        subjects=(query.id, result.entity_id),
        evidence=used,
        score=result.score,
        summary=f"{len(used)} payment(s) involve {query.name}, who matches "
        f"listed {result.caption}",
        explanation=explanation,
        datasets=result.datasets,  # the list's marking binds the finding too
    )
