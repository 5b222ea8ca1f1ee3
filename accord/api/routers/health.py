"""``GET /health``: liveness for load balancers, the one route without a key."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.exc import SQLAlchemyError

from accord import __version__
from accord.api.deps import ServiceDep
from accord.api.routers.responses import errors
from accord.api.schemas import HealthOut
from accord.errors import BackendError

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthOut, responses=errors(503))
def health(service: ServiceDep) -> HealthOut:
    """Answer ok only if the store answers, so a dead database fails the probe.

    The check reads the (small) agency table rather than counting statements,
    which would scan the largest table on every probe.
    """
    try:
        service.store.list_agencies()
    except SQLAlchemyError as exc:
        raise BackendError("store unreachable") from exc
    return HealthOut(status="ok", version=__version__)
