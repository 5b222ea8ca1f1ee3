"""``/findings``: list, read and triage findings the caller may see."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from accord.api.deps import CurrentActor, ServiceDep, require
from accord.api.routers.responses import AUTHENTICATED, errors
from accord.api.schemas import FindingOut, StatusIn
from accord.model.account import Role, User
from accord.model.finding import FindingStatus
from accord.store import Actor
from accord.store.findings import FindingFilter

router = APIRouter(prefix="/findings", tags=["findings"], responses=AUTHENTICATED)

MAX_LIMIT = 1000
Triager = Annotated[User, Depends(require(Role.ANALYST, Role.ADMIN))]


@router.get("", response_model=list[FindingOut])
def list_findings(
    service: ServiceDep,
    actor: CurrentActor,
    status: FindingStatus | None = None,
    detector: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
) -> list[FindingOut]:
    """Findings best first, only those resting on datasets the caller may read."""
    where = FindingFilter(status=status, detector=detector, limit=limit)
    items = service.store.list_findings(actor, where, restrict=True)
    return [FindingOut.of(item) for item in items]


@router.get("/{finding_id}", response_model=FindingOut, responses=errors(404))
def get_finding(
    finding_id: str, service: ServiceDep, actor: CurrentActor
) -> FindingOut:
    """One finding; 404 when it does not exist or is not visible."""
    return FindingOut.of(service.store.get_finding(actor, finding_id, restrict=True))


@router.post(
    "/{finding_id}/status",
    response_model=FindingOut,
    responses=errors(403, 404, 422),
)
def set_status(
    finding_id: str, body: StatusIn, service: ServiceDep, user: Triager
) -> FindingOut:
    """Triage a finding (analysts and admins); the store audits the change."""
    item = service.store.set_finding_status(
        Actor.of(user), finding_id, FindingStatus(body.status), restrict=True
    )
    return FindingOut.of(item)
