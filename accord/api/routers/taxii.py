"""TAXII 2.1 under ``/taxii2/``: discovery, one API root, a collection per agreement.

Partners' liaison users authenticate like every API caller (Bearer or
``X-API-Key``) and see only the collections of their own agency's
agreements. Responses use the TAXII media type; object pages carry a
detached signature in ``X-Accord-Signature``. Pushed objects must carry one
too, made with the pushing agency's registered key.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from accord.api.deps import ServiceDep, require
from accord.api.routers.responses import AUTHENTICATED, errors
from accord.errors import NotFound, Unauthorized
from accord.model.account import Role, User
from accord.sharing.partners import parse_time
from accord.sharing.service import SharingService
from accord.sharing.taxii import (
    SIGNATURE_HEADER,
    TAXII_MEDIA,
    CollectionCache,
    NotAcceptable,
    PageQuery,
    TaxiiService,
)
from accord.store import Actor

ROOT = "/taxii2/"
API_ROOT = "api"
Liaison = Annotated[User, Depends(require(Role.LIAISON))]


class TaxiiResponse(JSONResponse):
    media_type = TAXII_MEDIA


def _taxii(request: Request, service: ServiceDep) -> TaxiiService:
    state = request.app.state
    cache = getattr(state, "taxii_cache", None)
    if cache is None:
        cache = CollectionCache()
        state.taxii_cache = cache
    return TaxiiService(SharingService(service), cache)


Taxii = Annotated[TaxiiService, Depends(_taxii)]


def check_accept(request: Request) -> None:
    """TAXII clients must accept the TAXII media type (406 otherwise)."""
    accept = request.headers.get("accept", "*/*")
    if not any(
        kind in accept for kind in ("application/taxii+json", "*/*", "application/*")
    ):
        raise NotAcceptable(f"unsupported Accept {accept!r}; use {TAXII_MEDIA}")


router = APIRouter(
    prefix="/taxii2",
    tags=["taxii"],
    responses={**AUTHENTICATED, **errors(406)},
    dependencies=[Depends(check_accept)],
)


@router.get("/", response_class=TaxiiResponse)
def discovery(request: Request, _user: Liaison) -> TaxiiResponse:
    """The TAXII server: one API root."""
    root = str(request.url_for("api_root", api_root=API_ROOT))
    body = {
        "title": "accord TAXII 2.1",
        "description": "Collections of what each agreement releases.",
        "default": root,
        "api_roots": [root],
    }
    return TaxiiResponse(body)


@router.get("/{api_root}/", response_class=TaxiiResponse, responses=errors(404))
def api_root(api_root: str, _user: Liaison) -> TaxiiResponse:
    _root(api_root)
    body = {
        "title": "accord",
        "versions": [TAXII_MEDIA],
        "max_content_length": 100 * 1024 * 1024,
    }
    return TaxiiResponse(body)


@router.get("/{api_root}/collections/", response_class=TaxiiResponse)
def collections(api_root: str, user: Liaison, taxii: Taxii) -> TaxiiResponse:
    """One collection per agreement in force with the caller's agency."""
    _root(api_root)
    items = [taxii.describe(a) for a in taxii.collections(user.agency)]
    return TaxiiResponse({"collections": items} if items else {})


@router.get(
    "/{api_root}/collections/{collection_id}/",
    response_class=TaxiiResponse,
    responses=errors(404),
)
def collection(
    api_root: str, collection_id: str, user: Liaison, taxii: Taxii
) -> TaxiiResponse:
    _root(api_root)
    return TaxiiResponse(taxii.describe(taxii.collection(user.agency, collection_id)))


def page_query(
    added_after: str | None = None,
    limit: Annotated[int | None, Query(ge=1)] = None,
    next_token: Annotated[str | None, Query(alias="next")] = None,
    types: Annotated[str | None, Query(alias="match[type]")] = None,
    ids: Annotated[str | None, Query(alias="match[id]")] = None,
) -> PageQuery:
    """TAXII's filters and paging parameters."""
    after = None
    if added_after:
        after = parse_time(added_after).astimezone(UTC)
    return PageQuery(
        added_after=after.strftime("%Y-%m-%dT%H:%M:%S.%fZ") if after else None,
        limit=limit or 1000,
        next=next_token,
        types=frozenset(filter(None, (types or "").split(","))),
        ids=frozenset(filter(None, (ids or "").split(","))),
    )


@router.get(
    "/{api_root}/collections/{collection_id}/objects/",
    response_class=TaxiiResponse,
    responses=errors(404),
)
def objects(
    api_root: str,
    collection_id: str,
    user: Liaison,
    taxii: Taxii,
    query: Annotated[PageQuery, Depends(page_query)],
) -> TaxiiResponse:
    """Objects of a collection, oldest first, signed, one page at a time."""
    _root(api_root)
    return _signed_page(user, taxii, collection_id, query)


def _signed_page(
    user: User,
    taxii: TaxiiService,
    collection_id: str,
    query: PageQuery,
    *,
    must_exist: bool = False,
) -> TaxiiResponse:
    """One page of a collection, signed and audited as a release; with
    ``must_exist``, a page with nothing on it is a 404 (one object asked)."""
    agreement = taxii.collection(user.agency, collection_id)
    page = taxii.page(agreement, query)
    if must_exist and not page.entries:
        raise NotFound(f"no {sorted(query.ids)} in collection {collection_id!r}")
    envelope = page.envelope()
    signature = taxii.sign_and_audit(Actor.of(user), agreement, page, envelope)
    return TaxiiResponse(envelope, headers=_page_headers(page, signature))


def _page_headers(page: Any, signature: str | None = None) -> dict[str, str]:
    headers = {}
    if page.entries:
        headers["X-TAXII-Date-Added-First"] = page.entries[0].date_added
        headers["X-TAXII-Date-Added-Last"] = page.entries[-1].date_added
    if signature:
        headers[SIGNATURE_HEADER] = signature
    return headers


@router.get(
    "/{api_root}/collections/{collection_id}/objects/{object_id}/",
    response_class=TaxiiResponse,
    responses=errors(404),
)
def get_object(
    api_root: str, collection_id: str, object_id: str, user: Liaison, taxii: Taxii
) -> TaxiiResponse:
    _root(api_root)
    query = PageQuery(ids=frozenset({object_id}))
    return _signed_page(user, taxii, collection_id, query, must_exist=True)


@router.get(
    "/{api_root}/collections/{collection_id}/manifest/",
    response_class=TaxiiResponse,
    responses=errors(404),
)
def manifest(
    api_root: str,
    collection_id: str,
    user: Liaison,
    taxii: Taxii,
    query: Annotated[PageQuery, Depends(page_query)],
) -> TaxiiResponse:
    """Ids, versions and dates of a collection's objects, without content."""
    _root(api_root)
    agreement = taxii.collection(user.agency, collection_id)
    page = taxii.page(agreement, query)
    return TaxiiResponse(page.manifest(), headers=_page_headers(page))


@router.post(
    "/{api_root}/collections/{collection_id}/objects/",
    response_class=TaxiiResponse,
    status_code=202,
    responses=errors(400, 404),
)
async def add_objects(
    request: Request, api_root: str, collection_id: str, user: Liaison, taxii: Taxii
) -> TaxiiResponse:
    """Import a partner's signed envelope; the status is complete on return."""
    _root(api_root)
    signature = request.headers.get(SIGNATURE_HEADER)
    if not signature:
        raise Unauthorized(f"pushed objects need a {SIGNATURE_HEADER} header")
    body = await request.body()
    agreement = await run_in_threadpool(taxii.collection, user.agency, collection_id)
    result = await run_in_threadpool(
        taxii.sharing.import_bundle,
        Actor.of(user),
        agreement.partner,
        body,
        signature,
        f"TAXII push to {collection_id}",
    )
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    status = {
        "id": str(uuid.uuid4()),
        "status": "complete",
        "request_timestamp": now,
        "total_count": result.entities,
        "success_count": result.entities,
        "failure_count": 0,
        "pending_count": 0,
    }
    taxii.cache.keep_status(user.agency, status)
    return TaxiiResponse(status, status_code=202)


@router.get(
    "/{api_root}/status/{status_id}/",
    response_class=TaxiiResponse,
    responses=errors(404),
)
def get_status(
    api_root: str, status_id: str, user: Liaison, taxii: Taxii
) -> TaxiiResponse:
    """The status of one of the caller's agency's pushes."""
    _root(api_root)
    return TaxiiResponse(taxii.cache.status(user.agency, status_id))


@router.get(
    "/{api_root}/collections/{collection_id}/objects/{object_id}/versions/",
    response_class=TaxiiResponse,
    responses=errors(404),
)
def object_versions(
    api_root: str, collection_id: str, object_id: str, user: Liaison, taxii: Taxii
) -> TaxiiResponse:
    """Versions of an object: a collection holds only each object's current one."""
    _root(api_root)
    agreement = taxii.collection(user.agency, collection_id)
    page = taxii.page(agreement, PageQuery(ids=frozenset({object_id})))
    if not page.entries:
        raise NotFound(f"no object {object_id!r} in collection {collection_id!r}")
    return TaxiiResponse({"more": False, "versions": [page.entries[0].version]})


def _root(api_root: str) -> None:
    if api_root != API_ROOT:
        raise NotFound(f"no API root {api_root!r}")
