"""Pull from and push to a partner's accord TAXII 2.1 server over httpx.

httpx rather than taxii2-client because every page must be checked against
its ``X-Accord-Signature`` header before it is imported, and taxii2-client
does not expose response headers; the tests read our server with
taxii2-client to show that any TAXII 2.1 consumer can.

Pull verifies and imports page by page (each page is an idempotent import,
so an interrupted pull can simply run again). Push sends everything the
partner's agreement releases as one signed envelope and audits it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from accord.errors import NotFound, SourceError
from accord.sharing.partners import Partner, record_action
from accord.sharing.service import ImportResult, SharingService
from accord.sharing.signing import canonical_json, load_key
from accord.sharing.stix import StixWriter
from accord.sharing.taxii import SIGNATURE_HEADER, TAXII_MEDIA
from accord.store import Actor
from accord.store.audit import AuditAction

PAGE_SIZE = 1000
TIMEOUT = 60.0


@dataclass
class PullResult:
    partner: str
    pages: int = 0
    entities: int = 0
    statements: int = 0
    datasets: set[str] = field(default_factory=set)


class TaxiiClient:
    """The TAXII endpoints of one partner's server, with our API key."""

    def __init__(
        self,
        partner: Partner,
        api_key: str,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        base = partner.endpoint.rstrip("/") + "/taxii2/"
        headers = {"Authorization": f"Bearer {api_key}", "Accept": TAXII_MEDIA}
        self.partner = partner
        self.http = httpx.Client(
            base_url=base, headers=headers, timeout=TIMEOUT, transport=transport
        )

    def close(self) -> None:
        self.http.close()

    def get(self, path: str, params: dict[str, Any] | None = None) -> httpx.Response:
        try:
            response = self.http.get(path, params=params)
        except httpx.HTTPError as exc:
            raise SourceError(f"TAXII server of {self.partner.id}: {exc}") from exc
        _raise_for_status(response, self.partner.id)
        return response

    def collections(self) -> list[dict[str, Any]]:
        data = self.get("api/collections/").json()
        return list(data.get("collections", []))

    def pages(
        self, collection_id: str, added_after: str | None = None
    ) -> Iterator[httpx.Response]:
        """Every objects page of a collection, following ``next``."""
        params: dict[str, Any] = {"limit": PAGE_SIZE}
        if added_after:
            params["added_after"] = added_after
        while True:
            response = self.get(f"api/collections/{collection_id}/objects/", params)
            yield response
            envelope = response.json()
            if not envelope.get("more") or not envelope.get("next"):
                return
            params = {"limit": PAGE_SIZE, "next": envelope["next"]}

    def push(self, collection_id: str, payload: bytes, signature: str) -> Any:
        headers = {"Content-Type": TAXII_MEDIA, SIGNATURE_HEADER: signature}
        url = f"api/collections/{collection_id}/objects/"
        try:
            response = self.http.post(url, content=payload, headers=headers)
        except httpx.HTTPError as exc:
            raise SourceError(f"TAXII server of {self.partner.id}: {exc}") from exc
        _raise_for_status(response, self.partner.id)
        return response.json()


def _raise_for_status(response: httpx.Response, partner: str) -> None:
    if response.is_success:
        return
    raise SourceError(
        f"TAXII server of {partner} answered {response.status_code} for "
        f"{response.request.method} {response.request.url.path}: {response.text[:300]}"
    )


def pull(
    sharing: SharingService,
    actor: Actor,
    client: TaxiiClient,
    added_after: str | None = None,
) -> PullResult:
    """Import every collection the partner offers us, verifying each page."""
    partner = client.partner.id
    result = PullResult(partner)
    for collection in client.collections():
        for response in client.pages(collection["id"], added_after):
            signature = response.headers.get(SIGNATURE_HEADER)
            if not signature:
                raise SourceError(f"unsigned TAXII page from {partner}: refused")
            source = f"TAXII {partner}/{collection['id']}"
            imported = sharing.import_bundle(
                actor, partner, response.content, signature, source
            )
            _add(result, imported)
    return result


def _add(result: PullResult, imported: ImportResult) -> None:
    result.pages += 1
    result.entities += imported.entities
    result.statements += imported.statements
    result.datasets.update(imported.datasets)


def push(sharing: SharingService, actor: Actor, client: TaxiiClient) -> dict[str, Any]:
    """Send what the partner may receive to its first writable collection."""
    partner = client.partner.id
    writable = [c for c in client.collections() if c.get("can_write")]
    if not writable:
        raise NotFound(f"{partner} offers us no collection to write to")
    release = sharing.release(partner)
    objects = list(StixWriter(sharing.agency).objects(release))
    payload = canonical_json({"objects": objects})
    claims = {"aud": partner, "format": "taxii", "reshare": release.reshare}
    key = load_key(sharing.accord.settings)
    signature = key.sign(payload, claims)
    status: dict[str, Any] = client.push(writable[0]["id"], payload, signature)
    receipt = {
        **sharing.receipt(release, "taxii", payload, key),
        "collection": writable[0]["id"],
        "status": status.get("status"),
    }
    with sharing.store.transaction() as conn:
        record_action(conn, actor, AuditAction.EXPORT, partner, receipt)
    return status
