"""``POST /run``: detectors over what the caller's agency may see."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from accord.api.deps import ServiceDep, require
from accord.api.routers.responses import AUTHENTICATED, errors
from accord.api.schemas import RunIn, RunOut
from accord.model.account import Role, User
from accord.store import Actor

router = APIRouter(tags=["findings"], responses=AUTHENTICATED)

Runner = Annotated[User, Depends(require(Role.ANALYST, Role.ADMIN))]


@router.post("/run", response_model=RunOut, responses=errors(400, 403, 404, 422))
def run(service: ServiceDep, user: Runner, body: RunIn | None = None) -> RunOut:
    """Run detectors and store their findings (analysts and admins).

    Always restricted to the caller's visible datasets: naming one the agency
    may not read is a 404, exactly as if it did not exist.
    """
    request = body or RunIn()
    result = service.run(
        Actor.of(user), request.datasets, request.detectors, restrict=True
    )
    return RunOut.of(result)
