"""``GET /travel/documents/check``: the SLTD-style hit/no-hit over HTTP."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from accord.api.deps import CurrentActor, ServiceDep
from accord.api.routers.responses import AUTHENTICATED, errors
from accord.service import Accord
from accord.travel.document_lists import DocumentLists, DocumentScope

router = APIRouter(tags=["travel"], responses=AUTHENTICATED)


def _lists(request: Request, service: Accord) -> DocumentLists:
    """One warm index per app: a border post asks thousands of times a day."""
    existing = getattr(request.app.state, "document_lists", None)
    if not isinstance(existing, DocumentLists):
        existing = DocumentLists(service.store)
        request.app.state.document_lists = existing
    return existing


@router.get("/travel/documents/check", responses=errors(404, 422))
def check_document(
    request: Request,
    service: ServiceDep,
    actor: CurrentActor,
    number: Annotated[str, Query(min_length=1, max_length=64)],
    state: Annotated[str | None, Query(max_length=3)] = None,
    documents: Annotated[list[str] | None, Query()] = None,
) -> dict[str, Any]:
    """Is this document listed lost, stolen or revoked in a list the caller's
    agency may read? A hit names the reporting agency to confirm with."""
    scope = DocumentScope(tuple(documents or ()))
    return _lists(request, service).check(actor, number, state, scope).to_dict()
