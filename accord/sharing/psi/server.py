"""The serving side: answer a partner's PSI query, or refuse and say why.

A query is answered only when every rule says yes, checked in this order:
the caller is a liaison of a registered partner agency; we consent to serve
that dataset to that partner; the requested key types are all consented; a
cardinality-only consent is not asked to reveal; both sides derive keys the
same way; the partner has sessions left this hour; the dataset is ours; and
both sets reach the minimum size. Every query, answered or refused, leaves
one audit record (``export`` with ``protocol: psi``); answered ones are what
the hourly limit counts.

The key type rule is enforced by what we put in our own set: the client's
elements are blinded, so we cannot see their types, but only consented
types can ever match because only those are in our set.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from accord.errors import AccordError, NotFound, ReleaseDenied
from accord.model.account import Role, User
from accord.service import Accord
from accord.sharing.partners import PartnerRegistry
from accord.sharing.psi.consent import (
    ConsentBook,
    ConsentRole,
    ProbingLimits,
    PsiConsent,
)
from accord.sharing.psi.keys import KEY_VERSION, KeySet, KeyType, build_key_set
from accord.sharing.psi.protocol import (
    DEFAULT_FPR,
    PreparedSet,
    ServerOptions,
    SetupStructure,
    answer,
    default_workers,
    request_size,
)
from accord.sharing.psi.wire import PsiQuery, PsiReply
from accord.store import Actor
from accord.store.audit import AuditAction

PSI_SERVE_ACTION = AuditAction.EXPORT
KEY_SET_CACHE = 4
KEPT_SETUPS = 8
RATE_WINDOW = timedelta(hours=1)


class PsiRateLimited(ReleaseDenied):
    """The partner used up its PSI sessions for this hour."""

    status = 429
    code = "psi_rate_limited"


@dataclass(frozen=True, slots=True)
class ServeConfig:
    """How this instance answers: accuracy, setup structure, threads, reuse.

    ``reuse_setup_seconds`` keeps a partner's blinded setup of a dataset
    version for that long, in intersection mode only (see ``PsiServer``);
    0 blinds afresh for every session. ``setup_capacity`` is the client size
    a kept setup is built for.
    """

    fpr: float = DEFAULT_FPR
    structure: SetupStructure = SetupStructure.GCS
    workers: int = 0
    reuse_setup_seconds: float = 3600.0
    setup_capacity: int = 100_000

    def thread_count(self) -> int:
        return self.workers or default_workers()


@dataclass(frozen=True, slots=True)
class PsiOffer:
    """One dataset a partner may intersect with, and on what terms."""

    consent: PsiConsent
    limits: ProbingLimits

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.consent.dataset,
            "key_types": sorted(k.value for k in self.consent.key_types),
            "cardinality_only": self.consent.cardinality_only,
            "expires_at": self.consent.expires_at.isoformat(),
            "min_set_size": self.limits.min_set_size,
            "sessions_per_hour": self.limits.sessions_per_hour,
            "key_version": KEY_VERSION,
        }


KeySource = Callable[[str, frozenset[KeyType]], KeySet]
"""Where a served dataset's keys come from: ``(dataset, key types) -> keys``."""


class PsiServer:
    """Answers PSI queries over one service; one per application.

    The server's key set is derived once per dataset version and key types
    and kept (a few at a time), since deriving it reads every entity of the
    dataset; the consent file is read on every query, so a revoked consent
    takes effect at once. ``key_source`` replaces derivation from the store,
    for sets prepared elsewhere (a bulk job over a national list, say); the
    dataset must still exist in the store and be ours.

    Blinding a big set is most of a session's cost, so in intersection mode
    the blinded setup is kept per partner, dataset version and key types for
    ``reuse_setup_seconds``, and later sessions only re-blind the query. The
    partner then sees the same blinded set again, which tells it nothing it
    could not learn by asking the same question twice: that mode reveals each
    of its elements' membership anyway, and a new dataset version, another
    partner or another key type mix gets a new key. Cardinality mode never
    reuses a key, because fixed blinded values would let a partner tell which
    of its elements changed the count between two sessions.
    """

    def __init__(
        self,
        service: Accord,
        config: ServeConfig | None = None,
        key_source: KeySource | None = None,
    ) -> None:
        self.service = service
        self.config = config or ServeConfig()
        self.key_source = key_source or self._keys_from_store
        self._limit_lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._key_sets: OrderedDict[tuple[Any, ...], KeySet] = OrderedDict()
        self._setups: OrderedDict[tuple[Any, ...], tuple[float, PreparedSet]] = (
            OrderedDict()
        )

    def offers(self, user: User) -> list[PsiOffer]:
        """What this partner may query now: so it can configure its side.

        Only consents in force for the caller's own agency are listed, so a
        partner learns nothing about datasets it has no consent for.
        """
        _require_liaison(user)
        self._require_partner(user.agency)
        book = ConsentBook.for_settings(self.service.settings)
        now = datetime.now(UTC)
        return [
            PsiOffer(record, book.limits)
            for record in book.records
            if record.role is ConsentRole.SERVE
            and record.partner == user.agency
            and record.active(now)
        ]

    def answer(self, user: User, query: PsiQuery) -> PsiReply:
        """Answer ``query`` for ``user`` or raise ``ReleaseDenied``; audited."""
        actor = Actor.of(user)
        try:
            consent, keys, version = self._admit(user, query)
        except AccordError as exc:
            if isinstance(exc, ReleaseDenied):
                refusal = {"outcome": "refused", "reasons": exc.reasons}
            else:
                refusal = {"outcome": "invalid", "reasons": [exc.detail]}
            self._audit(actor, query, refusal)
            raise
        options = ServerOptions(
            reveal=not query.cardinality_only,
            fpr=self.config.fpr,
            structure=self.config.structure,
            workers=self.config.thread_count(),
            setup_capacity=self.config.setup_capacity,
        )
        slot = (user.agency, consent.dataset, version, query.key_types)
        result, prepared = answer(
            keys.elements, query.request, options, self._kept_setup(slot, options)
        )
        self._keep_setup(slot, prepared)
        return PsiReply(
            session=query.session,
            dataset=consent.dataset,
            server_size=len(keys),
            fpr=self.config.fpr if options.structure is SetupStructure.GCS else 0.0,
            structure=options.structure.value,
            answer=result,
        )

    def _kept_setup(
        self, slot: tuple[Any, ...], options: ServerOptions
    ) -> PreparedSet | None:
        """A setup kept for this partner and dataset version, if still fresh."""
        if not options.reveal or self.config.reuse_setup_seconds <= 0:
            return None
        with self._cache_lock:
            kept = self._setups.get(slot)
        if kept is None or time.monotonic() - kept[0] > self.config.reuse_setup_seconds:
            return None
        return kept[1]

    def _keep_setup(self, slot: tuple[Any, ...], prepared: PreparedSet) -> None:
        if not prepared.reveal or self.config.reuse_setup_seconds <= 0:
            return
        with self._cache_lock:
            kept = self._setups.get(slot)
            if kept is None or kept[1].key != prepared.key:
                self._setups[slot] = (time.monotonic(), prepared)
            while len(self._setups) > KEPT_SETUPS:
                self._setups.popitem(last=False)

    def _admit(self, user: User, query: PsiQuery) -> tuple[PsiConsent, KeySet, str]:
        """Every check before any work; the accepted session is audited here."""
        _require_liaison(user)
        self._require_partner(user.agency)
        book = ConsentBook.for_settings(self.service.settings)
        now = datetime.now(UTC)
        consent = book.require(ConsentRole.SERVE, query.dataset, user.agency, now)
        _check_query(consent, query)
        client_size = request_size(query.request)
        self._check_rate(user.agency, book.limits.sessions_per_hour, now)
        keys, version = self._key_set(query.dataset, frozenset(query.key_types))
        _check_sizes(book.limits.min_set_size, client_size, len(keys))
        with self._limit_lock:
            # Checked again under the lock: two sessions may have raced here.
            self._check_rate(user.agency, book.limits.sessions_per_hour, now)
            detail = {
                "outcome": "accepted",
                "client_size": client_size,
                "server_size": len(keys),
            }
            self._audit(Actor.of(user), query, detail)
        return consent, keys, version

    def _check_rate(self, partner: str, per_hour: int, now: datetime) -> None:
        used = self._sessions_since(partner, now - RATE_WINDOW)
        if used >= per_hour:
            raise PsiRateLimited(
                f"partner {partner!r} used its {used} PSI sessions this hour",
                [f"rate limit: {per_hour} sessions per hour"],
            )

    def _require_partner(self, agency: str) -> None:
        if PartnerRegistry(self.service.store).get_partner_or_none(agency) is None:
            raise ReleaseDenied(
                f"agency {agency!r} is not a registered partner",
                [f"{agency} is not a registered partner"],
            )

    def _key_set(self, dataset: str, types: frozenset[KeyType]) -> tuple[KeySet, str]:
        """Our own keys of ``dataset`` and its version; only our own are served."""
        store = self.service.store
        try:
            info = store.get_dataset(dataset)
        except NotFound:
            raise ReleaseDenied(
                f"dataset {dataset!r} is not available",
                [f"{dataset} is not available"],
            ) from None
        if info.agency != self.service.settings.agency:
            raise ReleaseDenied(
                f"dataset {dataset!r} belongs to {info.agency!r}; only our own "
                "datasets are served by PSI",
                [f"{dataset} is not ours to serve"],
            )
        cache_key = (dataset, info.version, types)
        with self._cache_lock:
            cached = self._key_sets.get(cache_key)
            if cached is None:
                cached = self.key_source(dataset, types)
                self._key_sets[cache_key] = cached
                while len(self._key_sets) > KEY_SET_CACHE:
                    self._key_sets.popitem(last=False)
            return cached, info.version

    def _keys_from_store(self, dataset: str, types: frozenset[KeyType]) -> KeySet:
        return build_key_set(self.service.store.entities(None, [dataset]), types)

    def _sessions_since(self, partner: str, since: datetime) -> int:
        cutoff = since.strftime("%Y-%m-%dT%H:%M:%S.%f")
        return sum(
            1
            for record in self.service.store.audit_records(str(PSI_SERVE_ACTION))
            if record.agency == partner
            and record.ts >= cutoff
            and record.detail.get("protocol") == "psi"
            and record.detail.get("outcome") == "accepted"
        )

    def _audit(self, actor: Actor, query: PsiQuery, extra: dict[str, Any]) -> None:
        detail = {
            "protocol": "psi",
            "role": "server",
            "session": query.session,
            "partner": actor.agency,
            "key_types": sorted(k.value for k in query.key_types),
            "mode": "cardinality" if query.cardinality_only else "intersection",
            **extra,
        }
        target = f"psi:{query.dataset}"
        self.service.store.record(actor, PSI_SERVE_ACTION, target, detail)


def _require_liaison(user: User) -> None:
    if user.role is not Role.LIAISON:
        raise ReleaseDenied(
            f"user {user.name!r} has role {user.role.value}; PSI needs a liaison",
            ["the caller is not a liaison officer"],
        )


def _check_query(consent: PsiConsent, query: PsiQuery) -> None:
    reasons = []
    extra = sorted(k.value for k in query.key_types - consent.key_types)
    if extra:
        reasons.append(f"key types not consented: {', '.join(extra)}")
    if consent.cardinality_only and not query.cardinality_only:
        reasons.append("this consent reveals only the intersection size")
    if query.key_version != KEY_VERSION:
        reasons.append(
            f"key derivation {query.key_version!r} differs from ours {KEY_VERSION!r}"
        )
    if reasons:
        raise ReleaseDenied(f"PSI query refused: {'; '.join(reasons)}", reasons)


def _check_sizes(minimum: int, client_size: int, server_size: int) -> None:
    reasons = []
    if client_size < minimum:
        reasons.append(f"the query holds {client_size} keys; the minimum is {minimum}")
    if server_size < minimum:
        reasons.append(f"the served set is below the minimum of {minimum} keys")
    if reasons:
        raise ReleaseDenied(f"PSI query refused: {'; '.join(reasons)}", reasons)
