"""The requesting side: which of our subjects does a partner also hold?

Before anything leaves, the partner must be registered, we must hold an
active ``request`` consent for the dataset and partner, the dataset must be
ours, and our set must reach the minimum size. Only blinded keys leave; what
comes back is either the keys in common (mapped here to our subjects and the
key types that matched) or, in cardinality mode, only how many keys are in
common. Every run, finished, refused or failed, leaves one audit record
(``screen`` with ``protocol: psi``), carrying the session id the partner's
log records too.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from accord.errors import AccordError, InvalidData, ReleaseDenied
from accord.service import Accord
from accord.sharing.partners import Partner, PartnerRegistry
from accord.sharing.psi.consent import ConsentBook, ConsentRole, PsiConsent
from accord.sharing.psi.keys import KEY_VERSION, KeySet, build_key_set, key_type_of
from accord.sharing.psi.protocol import PsiClient, default_workers
from accord.sharing.psi.transport import PsiTransport
from accord.sharing.psi.wire import PsiQuery, PsiReply
from accord.store import Actor
from accord.store.audit import AuditAction

PSI_REQUEST_ACTION = AuditAction.SCREEN


@dataclass(frozen=True, slots=True)
class PsiRun:
    """What the requester asks: intersect our ``dataset`` with ``partner``."""

    partner: str
    dataset: str
    cardinality_only: bool = False


@dataclass(frozen=True, slots=True)
class CommonSubject:
    """One of our subjects the partner also holds, and which keys matched."""

    subject_id: str
    caption: str
    key_types: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject_id": self.subject_id,
            "caption": self.caption,
            "key_types": list(self.key_types),
        }


@dataclass(frozen=True, slots=True)
class PsiOutcome:
    """A finished session; ``subjects`` stays empty in cardinality mode.

    ``common_keys`` counts keys, not subjects: in cardinality mode that is all
    anyone can know, and a subject matching on two keys counts twice.
    """

    session: str
    partner: str
    dataset: str
    remote_dataset: str
    cardinality_only: bool
    client_size: int
    server_size: int
    common_keys: int
    subjects: tuple[CommonSubject, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "session": self.session,
            "partner": self.partner,
            "dataset": self.dataset,
            "remote_dataset": self.remote_dataset,
            "mode": "cardinality" if self.cardinality_only else "intersection",
            "client_size": self.client_size,
            "server_size": self.server_size,
            "common_keys": self.common_keys,
            "subjects": [subject.to_dict() for subject in self.subjects],
        }


class PsiRequester:
    """Runs PSI sessions against partners from one service."""

    def __init__(self, service: Accord, workers: int = 0) -> None:
        self.service = service
        self.workers = workers or default_workers()

    def partner(self, partner_id: str) -> Partner:
        """The registered partner, or a refusal: we query only known partners."""
        found = PartnerRegistry(self.service.store).get_partner_or_none(partner_id)
        if found is None:
            raise ReleaseDenied(
                f"{partner_id!r} is not a registered partner",
                [f"{partner_id} is not a registered partner"],
            )
        return found

    def run(self, actor: Actor, run: PsiRun, transport: PsiTransport) -> PsiOutcome:
        """One session end to end; audited whether it finishes or not."""
        session = uuid.uuid4().hex
        try:
            outcome = self._run(session, run, transport)
        except AccordError as exc:
            self._audit(actor, session, run, _failure(exc))
            raise
        detail = {
            "outcome": "completed",
            "remote_dataset": outcome.remote_dataset,
            "client_size": outcome.client_size,
            "server_size": outcome.server_size,
            "common_keys": outcome.common_keys,
            "common_subjects": len(outcome.subjects),
        }
        self._audit(actor, session, run, detail)
        return outcome

    def _run(self, session: str, run: PsiRun, transport: PsiTransport) -> PsiOutcome:
        self.partner(run.partner)
        book = ConsentBook.for_settings(self.service.settings)
        consent = book.require(
            ConsentRole.REQUEST, run.dataset, run.partner, datetime.now(UTC)
        )
        if consent.cardinality_only and not run.cardinality_only:
            raise ReleaseDenied(
                "our consent for this partner allows cardinality only; "
                "ask with --cardinality-only",
                ["request consent is cardinality-only"],
            )
        keys = self._key_set(consent, book.limits.min_set_size)
        client = PsiClient(keys.elements, not run.cardinality_only, self.workers)
        query = PsiQuery(
            session=session,
            dataset=consent.remote_dataset,
            key_types=consent.key_types,
            key_version=KEY_VERSION,
            cardinality_only=run.cardinality_only,
            request=client.request(),
        )
        reply = transport.send(query)
        if reply.session != session:
            raise InvalidData("the partner answered a different PSI session")
        return _outcome(run, consent, keys, reply, client)

    def _key_set(self, consent: PsiConsent, minimum: int) -> KeySet:
        store = self.service.store
        info = store.get_dataset(consent.dataset)
        if info.agency != self.service.settings.agency:
            raise ReleaseDenied(
                f"dataset {consent.dataset!r} belongs to {info.agency!r}; only our "
                "own datasets are sent to PSI",
                [f"{consent.dataset} is not ours to send"],
            )
        keys = build_key_set(store.entities(None, [consent.dataset]), consent.key_types)
        if len(keys) < minimum:
            raise ReleaseDenied(
                f"dataset {consent.dataset!r} gives {len(keys)} keys; PSI needs at "
                f"least {minimum}",
                [f"our set holds {len(keys)} keys; the minimum is {minimum}"],
            )
        return keys

    def _audit(
        self, actor: Actor, session: str, run: PsiRun, extra: dict[str, Any]
    ) -> None:
        detail = {
            "protocol": "psi",
            "role": "client",
            "session": session,
            "partner": run.partner,
            "mode": "cardinality" if run.cardinality_only else "intersection",
            **extra,
        }
        target = f"psi:{run.dataset}"
        self.service.store.record(actor, PSI_REQUEST_ACTION, target, detail)


def _failure(exc: AccordError) -> dict[str, Any]:
    """Audit detail of a run that did not finish: refused by a rule, or failed."""
    if isinstance(exc, ReleaseDenied):
        return {"outcome": "refused", "reasons": exc.reasons}
    return {"outcome": "failed", "reasons": [exc.detail]}


def _outcome(
    run: PsiRun, consent: PsiConsent, keys: KeySet, reply: PsiReply, client: PsiClient
) -> PsiOutcome:
    subjects: tuple[CommonSubject, ...] = ()
    if run.cardinality_only:
        common = client.cardinality(reply.answer)
    else:
        hits = [keys.elements[index] for index in client.intersection(reply.answer)]
        common = len(hits)
        subjects = common_subjects(keys, hits)
    return PsiOutcome(
        session=reply.session,
        partner=run.partner,
        dataset=run.dataset,
        remote_dataset=consent.remote_dataset,
        cardinality_only=run.cardinality_only,
        client_size=len(keys),
        server_size=reply.server_size,
        common_keys=common,
        subjects=subjects,
    )


def common_subjects(keys: KeySet, hits: list[str]) -> tuple[CommonSubject, ...]:
    """Our subjects behind the keys in common, each with the types that matched."""
    matched: dict[str, set[str]] = defaultdict(set)
    for element in hits:
        for subject in keys.subjects[element]:
            matched[subject].add(key_type_of(element).value)
    return tuple(
        CommonSubject(
            subject, keys.captions.get(subject, subject), tuple(sorted(types))
        )
        for subject, types in sorted(matched.items())
    )
