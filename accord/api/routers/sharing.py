"""``/sharing``: partners, agreements and the release dry run over HTTP.

For the server agency's own liaison officers and admins: other agencies'
users (partners' liaisons) reach their data through TAXII, not here. The
explanation shows only values of datasets the caller's agency may read, so
the dry run reveals nothing the caller could not already see.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from accord.api.deps import ServiceDep, require
from accord.api.routers.responses import AUTHENTICATED, errors
from accord.errors import Forbidden, InvalidData, NotFound
from accord.model.account import Role, User
from accord.service import Accord
from accord.sharing.policy import Decision
from accord.sharing.service import SharingService

router = APIRouter(prefix="/sharing", tags=["sharing"], responses=AUTHENTICATED)
Staff = Annotated[User, Depends(require(Role.LIAISON, Role.ADMIN))]


class PartnerOut(BaseModel):
    id: str
    name: str
    endpoint: str
    public_key: str


class AgreementOut(BaseModel):
    id: str
    partner: str
    datasets: list[str]
    categories: list[str]
    tlp_levels: list[str]
    reshare: bool
    expires_at: str
    status: str


class VerdictOut(BaseModel):
    """One value (or one finding) and whether it would go, with every reason."""

    prop: str | None = None
    value: str | None = None
    dataset: str | None = None
    allowed: bool
    reasons: list[str]

    @classmethod
    def of(cls, decision: Decision, **fields: str) -> VerdictOut:
        return cls(allowed=decision.allowed, reasons=list(decision.reasons), **fields)


def _own_staff(user: User, service: Accord) -> SharingService:
    if user.agency != service.settings.agency:
        raise Forbidden(
            f"sharing is managed by {service.settings.agency}'s own staff; "
            "partners read their collections over TAXII"
        )
    return SharingService(service)


@router.get("/partners", response_model=list[PartnerOut])
def list_partners(service: ServiceDep, user: Staff) -> list[PartnerOut]:
    partners = _own_staff(user, service).registry.list_partners()
    return [
        PartnerOut(id=p.id, name=p.name, endpoint=p.endpoint, public_key=p.public_key)
        for p in partners
    ]


@router.get("/agreements", response_model=list[AgreementOut])
def list_agreements(
    service: ServiceDep, user: Staff, partner: str | None = None
) -> list[AgreementOut]:
    """Every agreement, with its status (active, expired, revoked)."""
    items = _own_staff(user, service).registry.list_agreements(partner)
    return [AgreementOut(**item.to_dict()) for item in items]


@router.get(
    "/explain", response_model=list[VerdictOut], responses=errors(400, 403, 404)
)
def explain(
    service: ServiceDep,
    user: Staff,
    partner: str,
    entity: Annotated[str | None, Query()] = None,
    finding: Annotated[str | None, Query()] = None,
) -> list[VerdictOut]:
    """Why each value of an entity (or a finding) would or would not go."""
    sharing = _own_staff(user, service)
    if finding:
        decision = sharing.explain_finding(service.local_actor(), partner, finding)
        return [VerdictOut.of(decision)]
    if not entity:
        raise InvalidData("name an entity or a finding to explain")
    readable = {info.name for info in service.store.list_datasets(user.agency)}
    explanation = sharing.explain_entity(partner, entity)
    verdicts = [
        VerdictOut.of(
            v.decision,
            prop=v.statement.prop,
            value=v.statement.value,
            dataset=v.statement.dataset,
        )
        for v in explanation.verdicts
        if v.statement.dataset in readable
    ]
    if not verdicts:
        raise NotFound(f"no entity {entity!r}")
    return verdicts
