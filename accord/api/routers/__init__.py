"""One router per resource; ``ROUTERS`` is what ``create_app`` mounts."""

from __future__ import annotations

from fastapi import APIRouter

from accord.api.routers import (
    audit,
    banks,
    datasets,
    entities,
    findings,
    health,
    me,
    psi,
    run,
    screen,
    sharing,
    taxii,
    travel,
)

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    me.router,
    datasets.router,
    entities.router,
    findings.router,
    run.router,
    screen.router,
    travel.router,
    banks.router,
    audit.router,
    psi.router,
    sharing.router,
    taxii.router,
)
