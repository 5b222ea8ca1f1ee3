"""Feeds detectors and stamps each finding with its provenance and marking.

The runner, not the detector, decides a finding's marking: it is the
strictest marking among the datasets of every entity the finding names, so
a finding is never looser than its inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from followthemoney import StatementEntity

from accord.detectors.base import Detector
from accord.model.dataset import DatasetInfo
from accord.model.finding import Finding, finding_id
from accord.model.marking import strictest
from accord.model.resource import ResourceRead


def run_detectors(
    detectors: Sequence[Detector],
    entities: Sequence[StatementEntity],
    datasets: Mapping[str, DatasetInfo],
    agency: str,
) -> list[Finding]:
    """Every detector over the same entities; findings stamped for ``agency``."""
    by_id = {entity.id: entity for entity in entities if entity.id}
    findings: list[Finding] = []
    for detector in detectors:
        for finding in detector.detect(entities):
            findings.append(stamp(finding, by_id, datasets, agency))
    return findings


def resource_reads(detectors: Sequence[Detector]) -> list[ResourceRead]:
    """What the detectors of a run consulted beyond the store, to audit."""
    return [read for detector in detectors for read in detector.reads()]


def stamp(
    finding: Finding,
    by_id: Mapping[str, StatementEntity],
    datasets: Mapping[str, DatasetInfo],
    agency: str,
) -> Finding:
    """Attach the running agency, the datasets the finding rests on, and the
    marking they imply."""
    names: set[str] = set(finding.datasets)
    for entity_id in (*finding.subjects, *finding.evidence):
        entity = by_id.get(entity_id)
        if entity is not None:
            names.update(entity.datasets)
    markings = [datasets[name].marking for name in names if name in datasets]
    return replace(
        finding,
        agency=agency,
        id=finding_id(finding.detector, finding.subjects, agency),
        datasets=tuple(sorted(names)),
        marking=strictest(markings),
    )
