"""Screening as a detector: every subject in the store against every list.

List entries are the entities that carry the ``sanction`` topic (every list
reader sets it); everything else of a screenable schema is a subject. Each
subject is screened with all the evidence it carries, and a match becomes a
finding whose explanation is the screening explanation, feature by feature.
"""

from __future__ import annotations

from collections.abc import Sequence

from followthemoney import EntityProxy, StatementEntity

from accord.detectors.base import Detector
from accord.model.finding import Finding
from accord.screening.entry import SCREENED_SCHEMATA
from accord.screening.index import ScreeningIndex
from accord.screening.model import ScreeningQuery, ScreeningResult

LIST_TOPIC = "sanction"


def is_listed(entity: EntityProxy) -> bool:
    return LIST_TOPIC in entity.get("topics", quiet=True)


def subject_query(entity: EntityProxy) -> list[ScreeningQuery]:
    """One query per name of the subject, with all of its evidence."""
    schema = "Person" if entity.schema.is_a("Person") else "Organization"
    birth = entity.first("birthDate", quiet=True)
    countries = entity.get("nationality", quiet=True) or entity.get(
        "country", quiet=True
    )
    numbers = tuple(entity.get("passportNumber", quiet=True)) + tuple(
        entity.get("idNumber", quiet=True)
    )
    return [
        ScreeningQuery(
            name=name,
            schema=schema,
            birth_date=birth[:10] if birth else None,
            nationality=countries[0] if countries else None,
            gender=entity.first("gender", quiet=True),
            id_numbers=numbers,
            id=entity.id or "",
        )
        for name in entity.get("name")
        if name.strip()
    ]


class WatchlistMatchDetector(Detector):
    NAME = "watchlist_match"
    TITLE = (
        "People and organisations that match an entry of a terrorist or sanctions list"
    )

    def detect(self, entities: Sequence[StatementEntity]) -> list[Finding]:
        listed = [entity for entity in entities if is_listed(entity)]
        subjects = [
            entity
            for entity in entities
            if not is_listed(entity) and entity.schema.name in SCREENED_SCHEMATA
        ]
        if not listed or not subjects:
            return []
        index = ScreeningIndex.build(listed)
        findings: list[Finding] = []
        for subject in subjects:
            best = _best_match(index, subject)
            if best is not None:
                findings.append(_finding(subject, best))
        return findings


def _best_match(
    index: ScreeningIndex, subject: StatementEntity
) -> ScreeningResult | None:
    best: ScreeningResult | None = None
    for query in subject_query(subject):
        for result in index.search(query, 1):
            if result.match and (best is None or result.score > best.score):
                best = result
    return best


def _finding(subject: StatementEntity, match: ScreeningResult) -> Finding:
    return Finding(
        detector=WatchlistMatchDetector.NAME,
        subjects=(subject.id or "", match.entity_id),
        evidence=(match.entity_id,),
        score=match.score,
        summary=f"{subject.caption} matches listed {match.caption}",
        explanation=match.explanation,
    )
