"""Entities from different sources that share a strong identifier.

The same passport number on a customer record and on a UN listing, or the
same IBAN in two agencies' data, is the strongest link resolution can find
and needs no fuzzy name matching to be worth an analyst's look. Names and
birth dates are then compared only to raise or lower confidence, never to
create a link on their own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from followthemoney import StatementEntity, registry
from rigour.names import normalize_name
from rigour.text import ascii_text, levenshtein_similarity

from accord.detectors.base import Detector
from accord.model.finding import Feature, Finding

# How strongly a shared value of each property ties two records together.
# Document and account numbers are issued to one holder; phones and e-mails
# are shared in families and offices, so they weigh less.
IDENTIFIER_WEIGHTS: dict[str, float] = {
    "passportNumber": 0.9,
    "number": 0.9,
    "idNumber": 0.85,
    "socialSecurityNumber": 0.9,
    "taxNumber": 0.85,
    "innCode": 0.9,
    "ogrnCode": 0.9,
    "leiCode": 0.95,
    "imoNumber": 0.95,
    "registrationNumber": 0.75,
    "iban": 0.95,
    "accountNumber": 0.7,
    "cryptoAddress": 0.95,
    "publicKey": 0.95,
    "email": 0.75,
    "phone": 0.6,
}
MIN_IDENTIFIER_LENGTH = 5
NAME_AGREEMENT_BONUS = 0.05
BIRTH_DATE_CONFLICT_PENALTY = 0.4
NAME_SIMILAR = 0.8


@dataclass(frozen=True, slots=True)
class Holder:
    """An entity that holds an identifier, possibly through a document."""

    entity: StatementEntity
    prop: str
    raw: str


def normalize_identifier(value: str) -> str:
    """Upper-case letters and digits only, so ``ab 12-345`` equals ``AB12345``."""
    return re.sub(r"[^0-9A-Z]", "", ascii_text(value).upper())


class SharedIdentifierDetector(Detector):
    NAME = "shared_identifier"
    TITLE = "Records in different datasets that share a document, account or handle"

    def detect(self, entities: Sequence[StatementEntity]) -> list[Finding]:
        by_id = {entity.id: entity for entity in entities if entity.id}
        groups: dict[tuple[str, str], list[Holder]] = defaultdict(list)
        for entity in entities:
            for key, holder in _identifiers(entity, by_id):
                groups[key].append(holder)
        findings = []
        for (prop_type, value), holders in sorted(groups.items()):
            finding = _finding(prop_type, value, holders)
            if finding is not None:
                findings.append(finding)
        return findings


def _identifiers(
    entity: StatementEntity, by_id: dict[str, StatementEntity]
) -> Iterable[tuple[tuple[str, str], Holder]]:
    """Each (type, normalised value) the entity, or the holder of it, carries."""
    owner = _holder_of(entity, by_id)
    for prop_name in IDENTIFIER_WEIGHTS:
        prop = entity.schema.get(prop_name)
        if prop is None:
            continue
        for raw in entity.get(prop):
            value = normalize_identifier(raw)
            if len(value) >= MIN_IDENTIFIER_LENGTH:
                yield (prop.type.name, value), Holder(owner, prop_name, raw)


def _holder_of(
    entity: StatementEntity, by_id: dict[str, StatementEntity]
) -> StatementEntity:
    """A passport's number identifies its holder, not the document record."""
    if entity.schema.get("holder") is None:
        return entity
    for holder_id in entity.get("holder"):
        if holder_id in by_id:
            return by_id[holder_id]
    return entity


def _finding(prop_type: str, value: str, holders: list[Holder]) -> Finding | None:
    subjects = {h.entity.id: h for h in holders if h.entity.id}
    datasets = {ds for h in subjects.values() for ds in h.entity.datasets}
    if len(subjects) < 2 or len(datasets) < 2:
        return None
    weight = max(IDENTIFIER_WEIGHTS[h.prop] for h in subjects.values())
    names = _name_similarity([h.entity for h in subjects.values()])
    conflict = _birth_years_conflict([h.entity for h in subjects.values()])
    explanation = {
        f"shared_{prop_type}": Feature(
            weight,
            f"{prop_type} {value} appears on {len(subjects)} records in "
            f"{len(datasets)} datasets ({', '.join(sorted(datasets))})",
        ),
        "name_agreement": _name_feature(names),
    }
    if conflict:
        explanation["birth_date_conflict"] = Feature(
            -BIRTH_DATE_CONFLICT_PENALTY, "the records' birth years do not overlap"
        )
    score = sum(feature.value for feature in explanation.values())
    captions = " / ".join(sorted({h.entity.caption for h in subjects.values()}))
    return Finding(
        detector=SharedIdentifierDetector.NAME,
        subjects=tuple(sorted(subjects)),
        evidence=tuple(sorted(subjects)),
        score=round(min(max(score, 0.0), 1.0), 3),
        summary=f"{captions} share {prop_type} {value}",
        explanation=explanation,
    )


def _name_feature(similarity: float) -> Feature:
    """Agreeing names add a little confidence; differing ones add none."""
    if similarity >= NAME_SIMILAR:
        detail = f"the names agree (similarity {similarity:.2f})"
        return Feature(NAME_AGREEMENT_BONUS, detail)
    return Feature(0.0, f"the names differ (similarity {similarity:.2f})")


def _name_similarity(entities: list[StatementEntity]) -> float:
    """The highest similarity between names of two different records."""
    best = 0.0
    for i, left in enumerate(entities):
        for right in entities[i + 1 :]:
            for a in _names(left):
                for b in _names(right):
                    best = max(best, levenshtein_similarity(a, b))
    return best


def _names(entity: StatementEntity) -> set[str]:
    names = set()
    for name in entity.get_type_values(registry.name):
        normalized = normalize_name(ascii_text(name))
        if normalized:
            names.add(normalized)
    return names


def _birth_years_conflict(entities: list[StatementEntity]) -> bool:
    """True when two records both give birth years and none agree."""
    year_sets = []
    for entity in entities:
        if entity.schema.get("birthDate") is None:
            continue
        years = {value[:4] for value in entity.get("birthDate") if len(value) >= 4}
        if years:
            year_sets.append(years)
    return any(not (a & b) for i, a in enumerate(year_sets) for b in year_sets[i + 1 :])
