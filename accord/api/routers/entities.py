"""``/entities``: one FtM entity, reduced to what the caller may read."""

from __future__ import annotations

from fastapi import APIRouter

from accord.api.deps import CurrentActor, ServiceDep
from accord.api.routers.responses import AUTHENTICATED, errors
from accord.api.schemas import EntityOut

router = APIRouter(prefix="/entities", tags=["entities"], responses=AUTHENTICATED)


@router.get("/{entity_id}", response_model=EntityOut, responses=errors(404))
def get_entity(entity_id: str, service: ServiceDep, actor: CurrentActor) -> EntityOut:
    """The entity with only the values of datasets the caller's agency may read.

    The store filters and audits the read; 404 when no value is visible, so
    the answer does not reveal whether another agency holds the entity.
    """
    return EntityOut.of(service.store.get_entity(actor, entity_id))
