"""``/monitoring/banks``: the workspace's hash banks, and matching against one.

Banks are workspace files beside the store, found from the settings the app
was built with. Every call acts as the caller and is audited by
``HashBanks`` itself; an unknown bank is a 404 from the service, mapped once
by the app's error handlers like every other ``AccordError``.
"""

from __future__ import annotations

from typing import Annotated, Any, Self

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field, StringConstraints, model_validator

from accord.api.deps import CurrentActor, ServiceDep
from accord.api.routers.responses import AUTHENTICATED, errors
from accord.errors import ConfigError
from accord.monitoring.hashing.matcher import BankMatch
from accord.monitoring.hashing.service import HashBanks
from accord.settings import Settings

router = APIRouter(
    prefix="/monitoring/banks", tags=["monitoring"], responses=AUTHENTICATED
)

MAX_QUERIES = 1000
MAX_TEXT = 100_000
PdqHex = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9a-fA-F]{64}$")
]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]


MAX_FRAMES = 10_000
Frames = Annotated[list[PdqHex], Field(min_length=1, max_length=MAX_FRAMES)]


class BankMatchIn(BaseModel):
    """PDQ hashes (64 hex digits), videos (each the PDQ hashes of its
    frames, as vPDQ gives them) or texts: exactly one of the three."""

    pdq: list[PdqHex] | None = Field(None, min_length=1, max_length=MAX_QUERIES)
    videos: list[Frames] | None = Field(None, min_length=1, max_length=MAX_QUERIES)
    texts: list[Text] | None = Field(None, min_length=1, max_length=MAX_QUERIES)

    @model_validator(mode="after")
    def one_kind(self) -> Self:
        given = [self.pdq, self.videos, self.texts]
        if sum(value is not None for value in given) != 1:
            raise ValueError("send exactly one of 'pdq', 'videos' or 'texts'")
        return self


def hash_banks(request: Request, service: ServiceDep) -> HashBanks:
    """The banks of the app's workspace, audited in the app's store."""
    settings = getattr(request.app.state, "settings", None)
    if not isinstance(settings, Settings):
        raise ConfigError("the API application has no settings")
    return HashBanks.from_settings(settings, service.store.record)


BanksDep = Annotated[HashBanks, Depends(hash_banks)]


@router.get("")
def list_banks(banks: BanksDep, actor: CurrentActor) -> list[dict[str, Any]]:
    """Every bank: kind, size, threshold, role and quarantine/feedback tallies."""
    return [summary.to_dict() for summary in banks.summaries(actor)]


@router.post("/{name}/match", responses=errors(400, 404, 422))
def match_bank(
    name: str, body: BankMatchIn, banks: BanksDep, actor: CurrentActor
) -> dict[str, Any]:
    """Match against one bank (the workspace's negative banks still apply).

    ``results`` follows the order of the queries; each match carries its
    status, closeness and the provenance of the bank entry it hit.
    """
    if body.pdq is not None:
        found = banks.match_hashes(actor, [h.lower() for h in body.pdq], name)
    elif body.videos is not None:
        found = banks.match_videos(actor, body.videos, name)
    else:
        found = banks.match_texts(actor, body.texts or [], name)
    return {"bank": name, "results": [_result(n, m) for n, m in enumerate(found)]}


def _result(index: int, matches: list[BankMatch]) -> dict[str, Any]:
    return {"query": index, "matches": [match.to_dict() for match in matches]}
