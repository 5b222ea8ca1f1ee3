"""Error responses declared on routes, so the OpenAPI lists what can fail."""

from __future__ import annotations

from typing import Any

from accord.api.schemas import ErrorOut

Responses = dict[int | str, dict[str, Any]]


def errors(*statuses: int) -> Responses:
    """The ``responses=`` argument for routes that may answer ``statuses``."""
    return {status: {"model": ErrorOut} for status in statuses}


AUTHENTICATED = errors(401)
"""Every route that takes a key may refuse it."""
