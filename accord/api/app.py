"""``create_app``: the FastAPI application over one ``Accord`` service.

Everything the app needs arrives as arguments and lives on ``app.state``;
nothing is read from the environment or opened at import time, so tests and
servers can build as many independent apps as they like.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI

from accord import __version__
from accord.api.errors import install_error_handlers
from accord.api.routers import ROUTERS
from accord.service import Accord
from accord.settings import Settings

DESCRIPTION = (
    "Counter-terrorism data sharing over FtM entities. Every route except "
    "`/health` and the docs needs an API key, sent as `Authorization: Bearer "
    "<key>` or `X-API-Key: <key>`; callers see only what their agency may read."
)

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def create_app(settings: Settings, service: Accord | None = None) -> FastAPI:
    """Build the API; open the service from ``settings`` unless one is given.

    A service the app opened is closed when the app shuts down; one passed in
    belongs to the caller, who closes it.
    """
    accord = service if service is not None else Accord.open(settings)
    app = FastAPI(
        title="accord",
        version=__version__,
        description=DESCRIPTION,
        docs_url="/docs",
        openapi_url="/openapi.json",
        redoc_url=None,
        lifespan=_lifespan(accord, owned=service is None),
    )
    app.state.settings = settings
    app.state.service = accord
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    return app


def _lifespan(service: Accord, *, owned: bool) -> Lifespan:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            if owned:
                service.close()

    return lifespan
