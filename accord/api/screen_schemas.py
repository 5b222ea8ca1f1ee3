"""Request and response bodies of the screening routes."""

from __future__ import annotations

from pydantic import BaseModel, Field

from accord.api.schemas import FeatureOut
from accord.screening.model import ScreeningQuery, ScreeningResult

MAX_BATCH = 10_000


class ScreenIn(BaseModel):
    """One name to screen, with optional secondary evidence."""

    name: str = Field(min_length=1, max_length=500)
    schema_: str = Field("LegalEntity", alias="schema")
    birth_date: str | None = None
    nationality: str | None = None
    gender: str | None = None
    id_numbers: list[str] = Field(default_factory=list, max_length=20)
    id: str = ""

    def to_query(self) -> ScreeningQuery:
        from accord.screening.queries import check_birth_date  # noqa: PLC0415 - small

        return ScreeningQuery(
            name=self.name,
            schema=self.schema_,
            birth_date=check_birth_date(self.birth_date) if self.birth_date else None,
            nationality=self.nationality,
            gender=self.gender,
            id_numbers=tuple(self.id_numbers),
            id=self.id,
        )


class ScreenRequest(ScreenIn):
    against: list[str] = Field(default_factory=list, description="Dataset names.")
    limit: int = Field(5, ge=1, le=100)


class BatchRequest(BaseModel):
    queries: list[ScreenIn] = Field(min_length=1, max_length=MAX_BATCH)
    against: list[str] = Field(default_factory=list, description="Dataset names.")
    limit: int = Field(5, ge=1, le=100)


class MatchOut(BaseModel):
    entity_id: str
    caption: str
    score: float
    match: bool
    matched_name: str
    datasets: list[str]
    explanation: dict[str, FeatureOut]

    @classmethod
    def of(cls, result: ScreeningResult) -> MatchOut:
        return cls(
            entity_id=result.entity_id,
            caption=result.caption,
            score=result.score,
            match=result.match,
            matched_name=result.matched_name,
            datasets=list(result.datasets),
            explanation={
                key: FeatureOut(value=f.value, detail=f.detail)
                for key, f in result.explanation.items()
            },
        )


class ScreenOut(BaseModel):
    query_id: str
    results: list[MatchOut]
