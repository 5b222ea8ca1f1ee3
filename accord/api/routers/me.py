"""``GET /me``: who the key belongs to, so clients can check their setup."""

from __future__ import annotations

from fastapi import APIRouter

from accord.api.deps import CurrentUser
from accord.api.routers.responses import AUTHENTICATED
from accord.api.schemas import UserOut

router = APIRouter(tags=["account"], responses=AUTHENTICATED)


@router.get("/me", response_model=UserOut)
def me(user: CurrentUser) -> UserOut:
    """The caller's name, agency and role."""
    return UserOut.of(user)
