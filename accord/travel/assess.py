"""Manifest screening: every traveller against lists, lost/stolen documents
and the analyst's risk rules, one finding per traveller.

Three checks, each with its own source of truth:

* **persons** go through the screening service (name, birth date,
  nationality and document numbers), against list entries only, so a
  traveller never "matches" a passenger of another flight;
* **documents** go through an SLTD-style ``DocumentIndex``; a hit is not a
  verdict, so its explanation names the reporting agency to confirm with;
* **rules** are the analyst's (``accord.travel.rules``).

What fired for one traveller becomes one finding whose subject is the
traveller, so re-screening the same manifest updates it (and keeps its
triage status) instead of adding another.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from accord.detectors.runner import stamp
from accord.model.finding import Feature, Finding
from accord.screening.detector import subject_query
from accord.screening.model import ScreeningQuery, ScreeningResult
from accord.screening.service import ScreeningService, ScreenScope
from accord.store import Actor
from accord.travel.checks import DocumentHit, DocumentIndex, DocumentStatus
from accord.travel.document_lists import DocumentLists, owners
from accord.travel.manifest import TravellerRecord, build_travellers
from accord.travel.rules import RuleHit, RuleSet

__all__ = ["DETECTOR", "ManifestReport", "ManifestScope", "ManifestScreening"]

DETECTOR = "travel_manifest"

# How much a listed document says on its own: a stolen blank in use is
# near-certain fraud; a "listed" entry from a list that states no status is
# a lead to check.
_DOCUMENT_WEIGHT = {
    DocumentStatus.STOLEN_BLANK: 0.95,
    DocumentStatus.STOLEN: 0.9,
    DocumentStatus.REVOKED: 0.85,
    DocumentStatus.LOST: 0.8,
    DocumentStatus.INVALID: 0.75,
    DocumentStatus.LISTED: 0.6,
}


@dataclass(frozen=True, slots=True)
class ManifestScope:
    """What to screen a manifest dataset against.

    ``lists`` are datasets holding list entries (none: every visible
    dataset, list entries only). ``documents`` are lost/stolen document
    lists (none: every other visible dataset, keeping only documents whose
    status is stated, so passengers' own passports never count as listed).
    """

    lists: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    restrict: bool = True


@dataclass
class TravellerAssessment:
    """What every check said about one traveller."""

    traveller: TravellerRecord
    watchlist: ScreeningResult | None = None
    documents: list[DocumentHit] = field(default_factory=list)
    rules: list[RuleHit] = field(default_factory=list)

    def flagged(self) -> bool:
        return bool(self.watchlist or self.documents or self.rules)


@dataclass(frozen=True)
class ManifestReport:
    dataset: str
    travellers: int
    assessments: list[TravellerAssessment]
    findings: list[Finding]


class ManifestScreening:
    """Screens stored manifests; built once per rule set, like the screening
    service it wraps, so a server keeps its indexes warm."""

    def __init__(self, screening: ScreeningService, rules: RuleSet) -> None:
        self.screening = screening
        self.rules = rules
        self.documents = DocumentLists(screening.accord.store)

    def screen(
        self, actor: Actor, dataset: str, scope: ManifestScope
    ) -> ManifestReport:
        """Screen every traveller of ``dataset``; store one finding per flagged one."""
        store = self.screening.accord.store
        reader = actor.agency if scope.restrict else None
        manifest = store.get_dataset(dataset, reader)
        travellers = build_travellers(store.entities(reader, [manifest.name]))
        assessments = {t.id: TravellerAssessment(t) for t in travellers}
        self._screen_persons(actor, travellers, scope, assessments)
        documents = self.documents.index(reader, scope.documents, [manifest.name])
        for assessment in assessments.values():
            assessment.documents = _document_hits(documents, assessment.traveller)
            assessment.rules = self.rules.evaluate(assessment.traveller)
        infos = {info.name: info for info in store.list_datasets(reader)}
        agencies = owners(infos.values())
        # Each finding lists every dataset it rests on, so stamping needs no
        # entities to derive the marking from.
        findings = [
            stamp(_finding(a, manifest.name, agencies), {}, infos, actor.agency)
            for a in assessments.values()
            if a.flagged()
        ]
        store.save_findings(actor, findings, [DETECTOR])
        return ManifestReport(
            manifest.name, len(travellers), list(assessments.values()), findings
        )

    def _screen_persons(
        self,
        actor: Actor,
        travellers: list[TravellerRecord],
        scope: ManifestScope,
        assessments: dict[str, TravellerAssessment],
    ) -> None:
        screen_scope = ScreenScope(
            scope.lists, limit=1, restrict=scope.restrict, listed_only=True
        )
        queries = _queries(travellers)
        for query, results in self.screening.screen_many(actor, queries, screen_scope):
            best = assessments[query.id].watchlist
            for result in results:
                if result.match and (best is None or result.score > best.score):
                    best = result
            assessments[query.id].watchlist = best


def _queries(travellers: Iterable[TravellerRecord]) -> Iterator[ScreeningQuery]:
    """Each traveller's names, with their birth date, nationality and documents."""
    for traveller in travellers:
        numbers = traveller.document_numbers()
        for query in subject_query(traveller.person):
            yield replace(query, schema="Person", id_numbers=numbers, id=traveller.id)


def _document_hits(
    index: DocumentIndex, traveller: TravellerRecord
) -> list[DocumentHit]:
    hits: list[DocumentHit] = []
    own = {str(doc.id) for doc in traveller.documents}
    for document in traveller.documents:
        countries: list[str | None] = [*document.get("country")] or [None]
        for number in document.get("number"):
            for country in countries:
                hits.extend(
                    h for h in index.hits(number, country) if h.entity_id not in own
                )
    return list(dict.fromkeys(hits))


def _finding(
    assessment: TravellerAssessment, manifest: str, agencies: dict[str, str]
) -> Finding:
    explanation: dict[str, Feature] = {}
    weights: list[float] = []
    evidence: list[str] = []
    datasets = {manifest}
    match = assessment.watchlist
    if match is not None:
        weights.append(match.score)
        evidence.append(match.entity_id)
        datasets.update(match.datasets)
        explanation["watchlist"] = Feature(
            match.score, f"matches listed {match.caption} ({', '.join(match.datasets)})"
        )
        for name, feature in match.explanation.items():
            explanation[f"watchlist.{name}"] = feature
    for hit in assessment.documents:
        weight = _DOCUMENT_WEIGHT[hit.status]
        weights.append(weight)
        evidence.append(hit.entity_id)
        datasets.add(hit.dataset)
        owner = agencies.get(hit.dataset, "the reporting agency")
        explanation[f"document.{hit.number}"] = Feature(
            weight,
            f"{hit.schema.lower()} {hit.number} ({hit.country or 'any state'}) "
            f"is {_status_phrase(hit.status)} in {hit.dataset}; "
            f"confirm with {owner} before acting",
        )
    for rule in assessment.rules:
        weights.append(rule.weight)
        evidence.extend(rule.evidence)
        detail = (
            f"{rule.detail} ({rule.description})" if rule.description else rule.detail
        )
        explanation[f"rule.{rule.rule}"] = Feature(rule.weight, detail)
    traveller = assessment.traveller
    return Finding(
        detector=DETECTOR,
        subjects=(traveller.id,),
        score=_combined(weights),
        summary=_summary(assessment),
        explanation=explanation,
        evidence=tuple(dict.fromkeys(evidence)),
        datasets=tuple(sorted(datasets)),
    )


def _status_phrase(status: DocumentStatus) -> str:
    if status is DocumentStatus.LISTED:
        return "listed"
    return f"reported {status.value.replace('_', ' ')}"


def _combined(weights: list[float]) -> float:
    """Independent indicators combined: 1 - Π(1 - w), which stays in [0, 1]."""
    remaining = 1.0
    for weight in weights:
        remaining *= 1.0 - weight
    return round(1.0 - remaining, 4)


def _summary(assessment: TravellerAssessment) -> str:
    parts: list[str] = []
    if assessment.watchlist is not None:
        parts.append(f"matches {assessment.watchlist.caption}")
    parts.extend(
        f"document {h.number} listed {h.status.value}" for h in assessment.documents
    )
    parts.extend(rule.rule for rule in assessment.rules)
    return f"{assessment.traveller.caption}: {'; '.join(parts)}"
