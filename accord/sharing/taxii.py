"""TAXII 2.1 collections: one per agreement, seen only by its partner.

A partner's liaison user reads the collections of the agreements made with
its agency; each collection holds the STIX objects that agreement releases
now (the same release as a file export, restricted to that agreement). The
objects are built once per store revision and cached, so paging through ten
thousand objects does not rebuild them per page.

``date_added`` of an entity object is when its newest released value first
appeared, so ``added_after`` returns exactly what changed since a client's
last sync. Pages are keyset-paginated (``next`` names the last object
returned), so a page boundary never skips or repeats an object even if the
store changes between pages.

Every page is an export: it is signed (``X-Accord-Signature``, a detached
JWS over the canonical envelope) and audited with a receipt.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from accord.errors import InvalidData, NotFound
from accord.sharing.partners import Agreement, PartnerRegistry, record_action
from accord.sharing.policy import ReleasePolicy
from accord.sharing.release import collect_release
from accord.sharing.service import SharingService
from accord.sharing.signing import canonical_json, load_key
from accord.sharing.stix import DEFINED, StixWriter
from accord.store import Actor
from accord.store.audit import AuditAction
from accord.store.schema import dataset, finding, share_agreement, statement

TAXII_MEDIA = "application/taxii+json;version=2.1"
STIX_MEDIA = "application/stix+json;version=2.1"
DEFAULT_LIMIT = 1000
MAX_LIMIT = 10000
SIGNATURE_HEADER = "X-Accord-Signature"


class NotAcceptable(InvalidData):
    """The client accepts no media type a TAXII 2.1 server can answer with."""

    status = 406
    code = "not_acceptable"


@dataclass(frozen=True, slots=True)
class Entry:
    """One object of a collection with the time it was added."""

    date_added: str
    id: str
    version: str
    obj: dict[str, Any]


@dataclass(frozen=True)
class Page:
    """One page of a collection, ready to be sent."""

    entries: list[Entry]
    more: bool
    next: str | None

    def envelope(self) -> dict[str, Any]:
        data: dict[str, Any] = {"more": self.more}
        if self.next:
            data["next"] = self.next
        if self.entries:
            data["objects"] = [e.obj for e in self.entries]
        return data

    def manifest(self) -> dict[str, Any]:
        data: dict[str, Any] = {"more": self.more}
        if self.next:
            data["next"] = self.next
        if self.entries:
            data["objects"] = [
                {
                    "id": e.id,
                    "date_added": e.date_added,
                    "version": e.version,
                    "media_type": STIX_MEDIA,
                }
                for e in self.entries
            ]
        return data


@dataclass(frozen=True)
class PageQuery:
    """Filters and paging a client asked for."""

    added_after: str | None = None
    limit: int = DEFAULT_LIMIT
    next: str | None = None
    types: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()


MAX_STATUSES = 1000


@dataclass
class CollectionCache:
    """Built collections keyed by (agreement, store revision), and the status
    resources of recent pushes keyed by id (with the agency that pushed)."""

    entries: dict[tuple[str, str], list[Entry]] = field(default_factory=dict)
    statuses: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def keep_status(self, agency: str, status: dict[str, Any]) -> None:
        with self.lock:
            self.statuses[status["id"]] = (agency, status)
            while len(self.statuses) > MAX_STATUSES:
                del self.statuses[next(iter(self.statuses))]

    def status(self, agency: str, status_id: str) -> dict[str, Any]:
        """A push's status, only for the agency that pushed."""
        with self.lock:
            found = self.statuses.get(status_id)
        if found is None or found[0] != agency:
            raise NotFound(f"no status {status_id!r}")
        return found[1]


def stix_date(stamp: str) -> str:
    return stamp if stamp.endswith("Z") else f"{stamp}Z"


class TaxiiService:
    """Collections, objects and manifests for one partner's users."""

    def __init__(self, sharing: SharingService, cache: CollectionCache) -> None:
        self.sharing = sharing
        self.cache = cache
        self.registry = PartnerRegistry(sharing.store)

    def collections(self, partner: str) -> list[Agreement]:
        """The partner's agreements in force: one collection each."""
        if self.registry.get_partner_or_none(partner) is None:
            return []
        return self.registry.active_agreements(partner)

    def collection(self, partner: str, collection_id: str) -> Agreement:
        for agreement in self.collections(partner):
            if agreement.id == collection_id:
                return agreement
        raise NotFound(f"no collection {collection_id!r}")

    def describe(self, agreement: Agreement) -> dict[str, Any]:
        return {
            "id": agreement.id,
            "title": f"{self.sharing.agency} to {agreement.partner}",
            "description": agreement.describe(),
            "can_read": True,
            "can_write": True,
            "media_types": [STIX_MEDIA],
        }

    def entries(self, agreement: Agreement) -> list[Entry]:
        key = (agreement.id, self.revision())
        with self.cache.lock:
            cached = self.cache.entries.get(key)
            if cached is None:
                cached = self._build(agreement)
                stale = [k for k in self.cache.entries if k[0] == agreement.id]
                for old in stale:
                    del self.cache.entries[old]
                self.cache.entries[key] = cached
        return cached

    def _build(self, agreement: Agreement) -> list[Entry]:
        partner = self.registry.get_partner(agreement.partner)
        policy = ReleasePolicy(
            self.sharing.agency, agreement.partner, partner, [agreement]
        )
        release = collect_release(self.sharing.store, policy)
        writer = StixWriter(self.sharing.agency)
        entries = []
        for obj in writer.objects(release):
            version = obj.get("modified") or obj.get("created") or DEFINED
            added = stix_date(str(version))
            entries.append(Entry(added, obj["id"], stix_date(str(version)), obj))
        entries.sort(key=lambda e: (e.date_added, e.id))
        return entries

    def revision(self) -> str:
        """Changes whenever anything a collection is built from changes."""
        queries = [
            select(func.count(), func.max(statement.c.last_seen)).select_from(
                statement
            ),
            select(func.max(dataset.c.updated_at), func.max(dataset.c.current_since)),
            select(func.count(), func.max(finding.c.updated_at)).select_from(finding),
            select(func.count(), func.max(share_agreement.c.revoked_at)).select_from(
                share_agreement
            ),
        ]
        parts: list[str] = []
        with self.sharing.store.engine.connect() as conn:
            for query in queries:
                parts.extend(str(value) for value in conn.execute(query).one())
        return hashlib.sha256("|".join(parts).encode()).hexdigest()

    def page(self, agreement: Agreement, query: PageQuery) -> Page:
        selected = [e for e in self.entries(agreement) if _matches(e, query)]
        start = 0
        if query.next:
            after = _decode_next(query.next)
            start = next(
                (i for i, e in enumerate(selected) if (e.date_added, e.id) > after),
                len(selected),
            )
        limit = max(1, min(query.limit, MAX_LIMIT))
        chunk = selected[start : start + limit]
        more = start + limit < len(selected)
        token = _encode_next(chunk[-1]) if more and chunk else None
        return Page(chunk, more, token)

    def sign_and_audit(
        self, actor: Actor, agreement: Agreement, page: Page, envelope: dict[str, Any]
    ) -> str:
        """Sign an objects page for its partner and record the receipt."""
        key = load_key(self.sharing.accord.settings)
        payload = canonical_json(envelope)
        claims = {
            "aud": agreement.partner,
            "format": "taxii",
            "reshare": agreement.reshare,
            "collection": agreement.id,
        }
        signature = key.sign(payload, claims)
        receipt = {
            "partner": agreement.partner,
            "format": "taxii",
            "collection": agreement.id,
            "objects": len(page.entries),
            "sha256": hashlib.sha256(payload).hexdigest(),
        }
        with self.sharing.store.transaction() as conn:
            record_action(conn, actor, AuditAction.EXPORT, agreement.partner, receipt)
        return signature


def _matches(entry: Entry, query: PageQuery) -> bool:
    if query.added_after and entry.date_added <= query.added_after:
        return False
    if query.types and entry.obj["type"] not in query.types:
        return False
    return not query.ids or entry.id in query.ids


def _encode_next(entry: Entry) -> str:
    raw = f"{entry.date_added}|{entry.id}".encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode_next(token: str) -> tuple[str, str]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise InvalidData(f"invalid next token {token!r}") from None
    added, sep, object_id = raw.partition("|")
    if not sep:
        raise InvalidData(f"invalid next token {token!r}")
    return added, object_id
