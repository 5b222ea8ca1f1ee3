"""``GET /audit/verify``: check the hash chain of the audit log (admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from accord.api.deps import ServiceDep, require
from accord.api.routers.responses import AUTHENTICATED, errors
from accord.api.schemas import AuditVerifyOut
from accord.model.account import Role, User

router = APIRouter(prefix="/audit", tags=["audit"], responses=AUTHENTICATED)

Admin = Annotated[User, Depends(require(Role.ADMIN))]


@router.get("/verify", response_model=AuditVerifyOut, responses=errors(403))
def verify(service: ServiceDep, _admin: Admin) -> AuditVerifyOut:
    """Whether the log is intact, and each record where the chain breaks."""
    problems = service.store.verify_audit()
    records = len(service.store.audit_records())
    return AuditVerifyOut.of(records, problems)
