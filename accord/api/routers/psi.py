"""``POST /psi/query``: the serving side of private set intersection.

A partner's liaison officer, authenticated with the key we issued them,
sends their blinded set; we answer only what our PSI consent for that
partner and dataset allows (see ``accord.sharing.psi.server``). The
``PsiServer`` lives on the application, so a dataset's keys are derived once
per version rather than per query.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, Request

from accord.api.deps import CurrentUser, ServiceDep
from accord.api.routers.responses import AUTHENTICATED, errors
from accord.service import Accord
from accord.sharing.psi.server import PsiServer
from accord.sharing.psi.wire import PsiAnswerOut, PsiQueryIn

router = APIRouter(tags=["sharing"], responses=AUTHENTICATED)
_CREATE_LOCK = threading.Lock()


def _psi_server(request: Request, service: Accord) -> PsiServer:
    with _CREATE_LOCK:
        existing = getattr(request.app.state, "psi_server", None)
        if not isinstance(existing, PsiServer):
            existing = PsiServer(service)
            request.app.state.psi_server = existing
        return existing


@router.get("/psi/offers", responses=errors(403))
def psi_offers(
    request: Request, service: ServiceDep, user: CurrentUser
) -> list[dict[str, Any]]:
    """The datasets the caller's agency may intersect with now, and the terms."""
    server = _psi_server(request, service)
    return [offer.to_dict() for offer in server.offers(user)]


@router.post(
    "/psi/query",
    response_model=PsiAnswerOut,
    responses=errors(400, 403, 422, 429),
)
def psi_query(
    request: Request, service: ServiceDep, user: CurrentUser, body: PsiQueryIn
) -> PsiAnswerOut:
    """Answer a partner's PSI query: setup and re-blinded set, or a refusal."""
    server = _psi_server(request, service)
    return PsiAnswerOut.of(server.answer(user, body.to_query()))
