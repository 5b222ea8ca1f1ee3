"""Wire models of the API, and their construction from domain objects.

The domain types (``DatasetInfo``, ``Finding``, FtM entities) stay free of
web concerns; these pydantic models are the public contract, so the OpenAPI
document describes exactly what clients receive and a domain change cannot
leak new fields onto the wire unnoticed.
"""

from __future__ import annotations

from typing import Literal

from followthemoney import Statement, StatementEntity
from pydantic import BaseModel, ConfigDict, Field

from accord.model.account import Role, User
from accord.model.dataset import DatasetInfo
from accord.model.finding import Finding, FindingStatus
from accord.model.marking import Tlp
from accord.service import RunResult
from accord.store.audit import AuditProblem


class ErrorOut(BaseModel):
    """The body of every error response."""

    model_config = ConfigDict(extra="allow")

    error: str = Field(description="Stable machine code, e.g. `not_found`.")
    detail: str = Field(description="Human-readable explanation.")


class HealthOut(BaseModel):
    status: Literal["ok"]
    version: str


class UserOut(BaseModel):
    name: str
    agency: str
    role: Role

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(name=user.name, agency=user.agency, role=user.role)


class DatasetOut(BaseModel):
    name: str
    agency: str = Field(description="The owning agency.")
    marking: str = Field(description="TLP label, e.g. `TLP:AMBER rel. to bravo`.")
    tlp: Tlp
    releasable_to: list[str]
    title: str

    @classmethod
    def of(cls, info: DatasetInfo) -> DatasetOut:
        return cls(
            name=info.name,
            agency=info.agency,
            marking=info.marking.label(),
            tlp=info.marking.tlp,
            releasable_to=sorted(info.marking.releasable_to),
            title=info.title,
        )


class StatementOut(BaseModel):
    """Where one value of an entity comes from."""

    prop: str
    value: str
    dataset: str
    first_seen: str | None
    last_seen: str | None

    @classmethod
    def of(cls, stmt: Statement) -> StatementOut:
        return cls(
            prop=stmt.prop,
            value=stmt.value,
            dataset=stmt.dataset,
            first_seen=stmt.first_seen,
            last_seen=stmt.last_seen,
        )


class EntityOut(BaseModel):
    """An FtM entity (its ``to_dict()`` form) plus per-value provenance."""

    model_config = ConfigDict(serialize_by_alias=True)

    id: str
    schema_: str = Field(alias="schema", description="FtM schema name.")
    caption: str
    properties: dict[str, list[str]]
    datasets: list[str]
    referents: list[str]
    first_seen: str | None = None
    last_seen: str | None = None
    statements: list[StatementOut] = Field(
        description="One per value: the dataset it was read from and when."
    )

    @classmethod
    def of(cls, entity: StatementEntity) -> EntityOut:
        data = entity.to_dict()
        data["datasets"] = sorted(data.get("datasets", []))
        data["referents"] = sorted(ref for ref in data.get("referents", []) if ref)
        data["statements"] = [StatementOut.of(s) for s in _value_statements(entity)]
        return cls.model_validate(data)


def _value_statements(entity: StatementEntity) -> list[Statement]:
    """The statements behind the entity's values, without FtM's id checksum."""
    found = [
        stmt for prop in entity.iterprops() for stmt in entity.get_statements(prop)
    ]
    return sorted(found, key=lambda s: (s.prop, s.value, s.dataset))


class FeatureOut(BaseModel):
    value: float
    detail: str


class FindingOut(BaseModel):
    id: str
    detector: str
    score: float
    status: FindingStatus
    summary: str
    subjects: list[str]
    evidence: list[str]
    datasets: list[str] = Field(description="Datasets the finding rests on.")
    marking: str = Field(description="TLP label: the strictest of its datasets'.")
    tlp: Tlp
    explanation: dict[str, FeatureOut] = Field(
        description="Why the score: one feature per name."
    )

    @classmethod
    def of(cls, item: Finding) -> FindingOut:
        return cls(
            id=item.id,
            detector=item.detector,
            score=item.score,
            status=item.status,
            summary=item.summary,
            subjects=list(item.subjects),
            evidence=list(item.evidence),
            datasets=list(item.datasets),
            marking=item.marking.label(),
            tlp=item.marking.tlp,
            explanation={
                name: FeatureOut(value=feat.value, detail=feat.detail)
                for name, feat in item.explanation.items()
            },
        )


class StatusIn(BaseModel):
    """A triage decision; ``new`` is for detectors only."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["confirmed", "dismissed", "escalated"]


class RunIn(BaseModel):
    """What to run; omitted lists mean every visible dataset / every detector."""

    model_config = ConfigDict(extra="forbid")

    datasets: list[str] | None = None
    detectors: list[str] | None = None


class RunOut(BaseModel):
    detectors: list[str]
    entities: int = Field(description="Entities the detectors were given.")
    findings: int
    finding_ids: list[str]

    @classmethod
    def of(cls, result: RunResult) -> RunOut:
        ids = [item.id for item in result.findings]
        return cls(
            detectors=result.detectors,
            entities=result.entities,
            findings=len(ids),
            finding_ids=ids,
        )


class AuditProblemOut(BaseModel):
    seq: int
    reason: str


class AuditVerifyOut(BaseModel):
    ok: bool
    records: int
    problems: list[AuditProblemOut]

    @classmethod
    def of(cls, records: int, problems: list[AuditProblem]) -> AuditVerifyOut:
        return cls(
            ok=not problems,
            records=records,
            problems=[AuditProblemOut(seq=p.seq, reason=p.reason) for p in problems],
        )
