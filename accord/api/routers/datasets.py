"""``/datasets``: the datasets the caller's agency may read."""

from __future__ import annotations

from fastapi import APIRouter

from accord.api.deps import CurrentActor, ServiceDep
from accord.api.routers.responses import AUTHENTICATED, errors
from accord.api.schemas import DatasetOut

router = APIRouter(prefix="/datasets", tags=["datasets"], responses=AUTHENTICATED)


@router.get("", response_model=list[DatasetOut])
def list_datasets(service: ServiceDep, actor: CurrentActor) -> list[DatasetOut]:
    """Datasets the caller's agency may read; others are simply absent."""
    infos = service.store.list_datasets(actor.agency)
    return [DatasetOut.of(info) for info in infos]


@router.get("/{name}", response_model=DatasetOut, responses=errors(404))
def get_dataset(name: str, service: ServiceDep, actor: CurrentActor) -> DatasetOut:
    """One dataset; 404 both when it does not exist and when it is not visible."""
    return DatasetOut.of(service.store.get_dataset(name, actor.agency))
