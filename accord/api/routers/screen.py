"""``POST /screen`` and ``POST /screen/batch``: names against visible lists."""

from __future__ import annotations

from fastapi import APIRouter, Request

from accord.api.deps import CurrentUser, ServiceDep
from accord.api.routers.responses import AUTHENTICATED, errors
from accord.api.screen_schemas import BatchRequest, MatchOut, ScreenOut, ScreenRequest
from accord.screening.service import ScreeningService, ScreenScope
from accord.service import Accord
from accord.store import Actor

router = APIRouter(tags=["screening"], responses=AUTHENTICATED)


def _screening(request: Request, service: Accord) -> ScreeningService:
    """One screening service per app, so its index cache outlives a request."""
    existing = getattr(request.app.state, "screening", None)
    if not isinstance(existing, ScreeningService):
        existing = ScreeningService(service)
        request.app.state.screening = existing
    return existing


@router.post("/screen", response_model=ScreenOut, responses=errors(400, 404, 422))
def screen(
    request: Request, service: ServiceDep, user: CurrentUser, body: ScreenRequest
) -> ScreenOut:
    """Screen one name against the datasets the caller's agency may see."""
    screening = _screening(request, service)
    scope = ScreenScope(tuple(body.against), body.limit)
    results = screening.screen(Actor.of(user), body.to_query(), scope)
    return ScreenOut(query_id=body.id, results=[MatchOut.of(r) for r in results])


@router.post(
    "/screen/batch", response_model=list[ScreenOut], responses=errors(400, 404, 422)
)
def screen_batch(
    request: Request, service: ServiceDep, user: CurrentUser, body: BatchRequest
) -> list[ScreenOut]:
    """Screen up to 10,000 names in one call, one index for all of them."""
    screening = _screening(request, service)
    queries = [item.to_query() for item in body.queries]
    scope = ScreenScope(tuple(body.against), body.limit)
    pairs = screening.screen_many(Actor.of(user), queries, scope)
    return [
        ScreenOut(query_id=query.id, results=[MatchOut.of(r) for r in results])
        for query, results in pairs
    ]
