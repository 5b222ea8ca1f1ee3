"""The monitoring operations every edge calls: scan, train, classify.

``scan`` is ingest + run + summary over one export: the export becomes a
dataset through ``Accord.ingest`` (atomic, idempotent, audited), every
registered monitoring detector runs over it through the shared runner, and
the findings are stored like any other detector's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from accord.detectors.base import Detector
from accord.detectors.runner import resource_reads, run_detectors
from accord.errors import InvalidData
from accord.model.dataset import name_from_file
from accord.model.finding import Finding
from accord.model.marking import Marking
from accord.monitoring.channel import ChannelSummary, summarise
from accord.monitoring.classifier import PropagandaModel
from accord.monitoring.detectors import MonitoringDetector
from accord.monitoring.propaganda import PropagandaDetector
from accord.plugins import Registry
from accord.service import Accord, IngestRequest
from accord.store import Actor, IngestResult

FORMAT_BY_SUFFIX = {".json": "telegram", ".csv": "posts_csv", ".jsonl": "posts_jsonl"}


@dataclass(frozen=True, slots=True)
class ScanRequest:
    path: Path
    dataset: str
    agency: str
    marking: Marking
    format: str | None = None
    model: PropagandaModel | None = None
    top: int = 10


@dataclass(frozen=True, slots=True)
class ScanReport:
    ingest: IngestResult
    detectors: list[str]
    findings: list[Finding]
    summary: ChannelSummary


def default_dataset_name(path: Path) -> str:
    """``Some Channel.json`` -> ``some-channel``: a valid dataset name."""
    return name_from_file(path.stem, "channel")


def format_for(path: Path) -> str:
    try:
        return FORMAT_BY_SUFFIX[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMAT_BY_SUFFIX))
        raise InvalidData(
            f"{path}: cannot tell the format from the suffix ({known}); pass --format"
        ) from None


def is_monitoring(detector: type[Detector]) -> bool:
    """Monitoring detectors: subclasses of ``MonitoringDetector`` and any
    detector that lives in ``accord.monitoring`` (the hash-bank matcher)."""
    return issubclass(detector, MonitoringDetector) or detector.__module__.startswith(
        "accord.monitoring."
    )


def monitoring_detectors(registry: Registry) -> list[str]:
    return sorted(
        name for name, cls in registry.detectors.items() if is_monitoring(cls)
    )


class MonitoringService:
    """Monitoring over one ``Accord`` service (its store and registry)."""

    def __init__(self, accord: Accord) -> None:
        self.accord = accord

    def scan(
        self,
        actor: Actor,
        request: ScanRequest,
        progress: Callable[[int], None] | None = None,
        *,
        restrict: bool = True,
    ) -> ScanReport:
        ingest = self.accord.ingest(
            actor,
            IngestRequest(
                path=request.path,
                format=request.format or format_for(request.path),
                dataset=request.dataset,
                agency=request.agency,
                marking=request.marking,
            ),
            progress,
        )
        names = monitoring_detectors(self.accord.registry)
        instances = list(self._instances(names, request.model))
        store = self.accord.store
        reader = actor.agency if restrict else None
        entities = list(store.entities(reader, [request.dataset]))
        infos = {info.name: info for info in store.list_datasets(reader)}
        findings = run_detectors(instances, entities, infos, actor.agency)
        store.save_findings(actor, findings, names, resource_reads(instances))
        summary = summarise(entities, findings, request.top)
        return ScanReport(ingest, names, findings, summary)

    def _instances(
        self, names: Sequence[str], model: PropagandaModel | None
    ) -> Iterator[Detector]:
        for name in names:
            if name == PropagandaDetector.NAME and model is not None:
                yield PropagandaDetector(model)
            else:
                detector = self.accord.registry.detector(name)
                yield detector.from_settings(self.accord.settings)
