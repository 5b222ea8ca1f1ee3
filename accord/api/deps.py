"""Dependencies shared by the routers: the service, the caller and their role.

Authentication is one dependency, so no route can forget it: a router that
asks for ``CurrentUser`` (or ``require(...)``) gets an authenticated user or
the request ends with 401 before the route runs. ``store.login`` audits every
attempt, successful or not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from accord.errors import ConfigError, Unauthorized
from accord.model.account import Role, User
from accord.service import Accord
from accord.store import Actor

bearer_scheme = HTTPBearer(
    auto_error=False,
    description="An accord API key sent as `Authorization: Bearer <key>`.",
)
api_key_scheme = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="An accord API key sent as `X-API-Key: <key>`.",
)


def get_service(request: Request) -> Accord:
    """The service ``create_app`` stored on the application."""
    service = getattr(request.app.state, "service", None)
    if not isinstance(service, Accord):
        raise ConfigError("the API application has no accord service")
    return service


ServiceDep = Annotated[Accord, Depends(get_service)]
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]
ApiKeyDep = Annotated[str | None, Depends(api_key_scheme)]


def current_user(service: ServiceDep, bearer: BearerDep, api_key: ApiKeyDep) -> User:
    """The user the request's API key belongs to; 401 without a valid one.

    A Bearer token wins over ``X-API-Key`` when both are sent.
    """
    key = bearer.credentials if bearer is not None else api_key
    if not key:
        raise Unauthorized(
            "missing API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'"
        )
    return service.store.login(key)


CurrentUser = Annotated[User, Depends(current_user)]


def current_actor(user: CurrentUser) -> Actor:
    """The caller as the store records and filters them."""
    return Actor.of(user)


CurrentActor = Annotated[Actor, Depends(current_actor)]


def require(*roles: Role) -> Callable[[User], User]:
    """A dependency that lets through only users holding one of ``roles``.

    Usage: ``user: Annotated[User, Depends(require(Role.ADMIN))]``; refusals
    are ``Forbidden`` (403), raised by the user model's own rule.
    """

    def check(user: CurrentUser) -> User:
        user.require(*roles)
        return user

    return check
