"""Every error the API can answer with, mapped once.

Routers never catch exceptions: an ``AccordError`` raised anywhere below
them carries its own HTTP status and wire form, and the few framework
exceptions get the same ``{"error", "detail"}`` shape, so clients parse one
error format. Anything else is a bug: it is logged in full and answered with
an opaque 500, because its message may hold paths, SQL or data.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from accord.errors import AccordError, Unauthorized

logger = logging.getLogger(__name__)

BEARER_CHALLENGE = {"WWW-Authenticate": "Bearer"}
INTERNAL_ERROR = {"error": "internal_error", "detail": "internal error"}
UNPROCESSABLE = 422  # HTTPStatus renamed this member in 3.13; the number is stable


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``; the only place errors become responses."""
    app.add_exception_handler(AccordError, accord_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, unexpected_error)


async def accord_error(request: Request, exc: Exception) -> JSONResponse:
    """A deliberate error: its own status and wire form.

    Every 401 carries the Bearer challenge (RFC 9110), whichever layer raised
    it, so clients learn how to authenticate.
    """
    if not isinstance(exc, AccordError):
        return await unexpected_error(request, exc)
    headers = BEARER_CHALLENGE if isinstance(exc, Unauthorized) else None
    if exc.status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        # Server-side failures may name paths, hosts or SQL: log, don't echo.
        logger.error("%s on %s %s: %s", exc.code, request.method, request.url.path, exc)
        body = {"error": exc.code, "detail": "the server could not complete this"}
        return JSONResponse(body, status_code=exc.status, headers=headers)
    return JSONResponse(exc.to_dict(), status_code=exc.status, headers=headers)


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    """A request that does not match its schema: 422 with each field's problem.

    Only location, message and type are returned: pydantic's ``input`` and
    ``ctx`` may echo back large or unserialisable values.
    """
    if not isinstance(exc, RequestValidationError):
        return await unexpected_error(request, exc)
    errors = [_field_error(error) for error in exc.errors()]
    body = {"error": "invalid_request", "detail": _summary(errors), "errors": errors}
    return JSONResponse(body, status_code=UNPROCESSABLE)


def _field_error(error: Any) -> dict[str, Any]:
    return {
        "loc": [str(part) for part in error.get("loc", ())],
        "msg": str(error.get("msg", "")),
        "type": str(error.get("type", "")),
    }


def _summary(errors: list[dict[str, Any]]) -> str:
    if not errors:
        return "invalid request"
    first = errors[0]
    where = ".".join(first["loc"])
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first['msg']}{more}"


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    """Framework errors (unknown route, wrong method) in the common shape."""
    if not isinstance(exc, HTTPException):
        return await unexpected_error(request, exc)
    code = _status_code_name(exc.status_code)
    body = {"error": code, "detail": str(exc.detail)}
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


def _status_code_name(status: int) -> str:
    """``404`` -> ``not_found``: a stable code for statuses we did not name."""
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "http_error"


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    """A bug: log everything, tell the client nothing."""
    logger.error(
        "unhandled error on %s %s", request.method, request.url.path, exc_info=exc
    )
    return JSONResponse(INTERNAL_ERROR, status_code=HTTPStatus.INTERNAL_SERVER_ERROR)
