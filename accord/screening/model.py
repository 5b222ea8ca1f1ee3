"""What a screening request asks and what it answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from accord.errors import InvalidData
from accord.model.finding import Feature

SCHEMAS = ("Person", "Organization", "LegalEntity")


@dataclass(frozen=True, slots=True)
class ScreeningQuery:
    """One name to screen, with whatever secondary evidence the caller has.

    ``birth_date`` is ISO (``1970``, ``1970-05`` or ``1970-05-17``);
    ``nationality`` an ISO country code or name; ``id_numbers`` passport or
    national ID numbers. Missing evidence neither helps nor hurts a match.
    """

    name: str
    schema: str = "LegalEntity"
    birth_date: str | None = None
    nationality: str | None = None
    gender: str | None = None
    id_numbers: tuple[str, ...] = ()
    id: str = ""

    def __post_init__(self) -> None:
        if not self.name or not self.name.strip():
            raise InvalidData("an empty name cannot be screened", {"name": "empty"})
        if self.schema not in SCHEMAS:
            choices = ", ".join(SCHEMAS)
            raise InvalidData(
                f"unknown schema {self.schema!r}; use one of {choices}",
                {"schema": "unknown"},
            )


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    """One candidate list entry, scored and explained feature by feature."""

    entity_id: str
    caption: str
    score: float
    match: bool
    explanation: dict[str, Feature] = field(default_factory=dict)
    datasets: tuple[str, ...] = ()
    matched_name: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "caption": self.caption,
            "score": self.score,
            "match": self.match,
            "matched_name": self.matched_name,
            "datasets": list(self.datasets),
            "explanation": {k: v.to_dict() for k, v in self.explanation.items()},
        }
