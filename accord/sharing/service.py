"""The sharing operations every edge calls: explain, export, import.

An export collects what the partner's agreements release now, writes it in
one format as canonical JSON, signs it with the agency key and leaves a
receipt in the audit log (partner, format, content hash, key id, counts,
agreements). An import verifies the detached signature against the sender's
registered key and the claims against the bundle (sender, recipient,
format), then stores the entities in datasets owned by the sender, one per
marking, all in one transaction with its receipt. The same bundle twice is a
recorded no-op.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from followthemoney import StatementEntity

from accord.errors import InvalidData, NotFound, ReleaseDenied
from accord.model.dataset import DatasetInfo
from accord.model.marking import Marking
from accord.service import Accord
from accord.sharing.ftm import ftm_lines, parse_lines, read_ftm
from accord.sharing.misp import misp_event, read_misp
from accord.sharing.partners import Partner, PartnerRegistry, record_action
from accord.sharing.policy import Decision, ReleasePolicy
from accord.sharing.received import Received
from accord.sharing.release import (
    Release,
    ReleasedEntity,
    StatementVerdict,
    build_policy,
    collect_release,
    load_origins,
    release_entity,
)
from accord.sharing.signing import (
    AgencyKey,
    canonical_json,
    canonical_lines,
    generate_key,
    key_fingerprint,
    load_key,
    unverified_header,
    verify,
)
from accord.sharing.stix import StixWriter
from accord.sharing.stix_read import read_stix
from accord.store import Actor
from accord.store import sharing as rows
from accord.store.audit import AuditAction
from accord.store.clock import now_iso

FORMATS = ("stix", "misp", "ftm")
TAXII = "taxii"


def read_taxii(data: bytes, source: str, recipient: str) -> Received:
    """A signed TAXII envelope (one page of a collection) read as a bundle."""
    try:
        envelope = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidData(f"{source}: not JSON: {exc}") from None
    objects = envelope.get("objects", []) if isinstance(envelope, dict) else None
    bundle = {"type": "bundle", "id": "bundle--envelope", "objects": objects}
    return read_stix(canonical_json(bundle), source, recipient)


READERS = {"stix": read_stix, "misp": read_misp, "ftm": read_ftm, TAXII: read_taxii}


@dataclass(frozen=True)
class SignedExport:
    """A signed export and the receipt that went into the audit log."""

    partner: str
    format: str
    payload: bytes
    signature: str
    receipt: dict[str, Any]


@dataclass(frozen=True)
class ImportResult:
    partner: str
    format: str
    sha256: str
    entities: int
    statements: int
    datasets: list[str]
    skipped: dict[str, int] = field(default_factory=dict)
    already_imported: bool = False


@dataclass(frozen=True)
class EntityExplanation:
    """Why each value of one entity would or would not go to a partner."""

    entity_id: str
    partner: str
    verdicts: list[StatementVerdict]


def document_bytes(fmt: str, document: Any) -> bytes:
    """The canonical, signed form of a document in ``fmt``."""
    if fmt == "ftm":
        return canonical_lines(list(document))
    return canonical_json(document)


def signed_bytes(fmt: str, payload: bytes, source: str) -> bytes:
    """Re-canonicalise received bytes, so layout changes do not break signatures."""
    if fmt == "ftm":
        return canonical_lines(parse_lines(payload, source))
    try:
        return canonical_json(json.loads(payload))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidData(f"{source}: not JSON: {exc}") from None


def check_format(fmt: str, *, received: bool = False) -> str:
    """A known export format; received bundles may also be TAXII envelopes."""
    if fmt not in FORMATS and not (received and fmt == TAXII):
        raise InvalidData(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return fmt


def received_dataset(partner: str, marking: Marking) -> str:
    """The dataset a partner's values under one marking land in."""
    name = f"{partner[:40]}.{marking.tlp.value.replace('+', '-')}"
    if marking.releasable_to:
        key = ",".join(sorted(marking.releasable_to)).encode("utf-8")
        name += "." + hashlib.sha256(key).hexdigest()[:10]
    return name


class SharingService:
    """Sharing over one ``Accord`` service, acting for its agency."""

    def __init__(self, accord: Accord) -> None:
        self.accord = accord
        self.store = accord.store
        self.agency = accord.settings.agency
        self.registry = PartnerRegistry(accord.store)

    def keygen(self, actor: Actor, *, overwrite: bool = False) -> AgencyKey:
        """Create the agency signing key in the workspace; audited by key id."""
        key = generate_key(self.accord.settings, overwrite=overwrite)
        detail = {"kid": key_fingerprint(key.public_raw()), "replaced": overwrite}
        with self.store.transaction() as conn:
            record_action(conn, actor, AuditAction.SHARE_KEY, self.agency, detail)
        return key

    def policy(self, partner: str) -> ReleasePolicy:
        return build_policy(self.store, self.agency, partner)

    def release(self, partner: str) -> Release:
        """What may go now; ``ReleaseDenied`` with every reason if nothing may."""
        policy = self.policy(partner)
        problems = policy.partner_problems()
        if problems:
            raise ReleaseDenied(f"nothing may go to {partner}", problems)
        release = collect_release(self.store, policy)
        if not release.object_count():
            reasons = self.dataset_reasons(policy)
            raise ReleaseDenied(f"nothing may go to {partner}", reasons)
        return release

    def dataset_reasons(self, policy: ReleasePolicy) -> list[str]:
        origins = load_origins(self.store)
        reasons = []
        for name, origin in sorted(origins.items()):
            decision = policy.dataset_decision(origin)
            verdict = "may go" if decision.allowed else "withheld"
            reasons.append(f"{name}: {verdict}: {'; '.join(decision.reasons)}")
        return reasons or ["no datasets in the store"]

    def export(self, actor: Actor, partner: str, fmt: str) -> SignedExport:
        """Sign and audit an export of everything ``partner`` may receive."""
        check_format(fmt)
        key = load_key(self.accord.settings)
        release = self.release(partner)
        payload = document_bytes(fmt, self.document(release, fmt))
        claims = self.claims(release, fmt)
        signature = key.sign(payload, claims)
        receipt = self.receipt(release, fmt, payload, key)
        with self.store.transaction() as conn:
            record_action(conn, actor, AuditAction.EXPORT, partner, receipt)
        return SignedExport(partner, fmt, payload, signature, receipt)

    def document(self, release: Release, fmt: str) -> Any:
        if fmt == "stix":
            return StixWriter(self.agency).bundle(release)
        if fmt == "misp":
            return misp_event(release, self.agency)
        return ftm_lines(release)

    def claims(self, release: Release, fmt: str) -> dict[str, Any]:
        return {
            "aud": release.partner,
            "format": fmt,
            "reshare": release.reshare,
            "iat": now_iso(),
            "agreements": sorted(release.agreements),
        }

    def receipt(
        self, release: Release, fmt: str, payload: bytes, key: AgencyKey
    ) -> dict[str, Any]:
        return {
            "partner": release.partner,
            "format": fmt,
            "sha256": hashlib.sha256(payload).hexdigest(),
            "kid": key_fingerprint(key.public_raw()),
            "entities": len(release.entities),
            # Only STIX (sightings) carries findings; MISP and FtM carry entities.
            "findings": len(release.findings) if fmt in ("stix", TAXII) else 0,
            "values": sum(len(e.values) for e in release.entities),
            "withheld": release.withheld,
            "agreements": sorted(release.agreements),
            "reshare": release.reshare,
        }

    # -- import --------------------------------------------------------------

    def import_bundle(
        self,
        actor: Actor,
        partner_id: str,
        payload: bytes,
        signature: str,
        source: str = "<bundle>",
    ) -> ImportResult:
        """Verify, then store a partner's bundle; the same bundle twice is a no-op."""
        partner = self.registry.get_partner(partner_id)
        header = self.verify(partner, payload, signature, source)
        fmt = check_format(str(header.get("format")), received=True)
        signed = signed_bytes(fmt, payload, source)
        digest = hashlib.sha256(signed).hexdigest()
        with self.store.engine.connect() as conn:
            seen = rows.import_seen(conn, partner.id, digest)
        if seen:
            detail = {"partner": partner.id, "sha256": digest, "format": fmt}
            with self.store.transaction() as conn:
                record_action(
                    conn, actor, AuditAction.IMPORT_SKIPPED, partner.id, detail
                )
            return ImportResult(partner.id, fmt, digest, 0, 0, [], {}, True)
        received = READERS[fmt](payload, source, self.agency)
        reshare = header.get("reshare") is True
        return self.store_received(actor, partner, received, (fmt, digest, reshare))

    def verify(
        self, partner: Partner, payload: bytes, signature: str, source: str
    ) -> dict[str, Any]:
        """The signed claims, once signature, sender and recipient all check out."""
        header = unverified_header(signature)
        fmt = check_format(str(header.get("format")), received=True)
        signed = signed_bytes(fmt, payload, source)
        claims = verify(signature, signed, partner.public_key_bytes())
        if claims.get("iss") != partner.id:
            raise InvalidData(
                f"{source}: signed by {claims.get('iss')!r}, not by {partner.id!r}"
            )
        if claims.get("aud") != self.agency:
            raise InvalidData(
                f"{source}: addressed to {claims.get('aud')!r}, not to {self.agency!r}"
            )
        return claims

    def store_received(
        self,
        actor: Actor,
        partner: Partner,
        received: Received,
        bundle: tuple[str, str, bool],
    ) -> ImportResult:
        fmt, digest, reshare = bundle
        batches = received_batches(partner.id, received)
        with self.store.transaction() as conn:
            counts = rows.write_import(
                conn,
                partner=partner.id,
                batches=batches,
                reshare=reshare,
                now=now_iso(),
            )
            names = [info.name for info, _ in batches]
            rows.record_import(
                conn,
                {
                    "partner": partner.id,
                    "sha256": digest,
                    "format": fmt,
                    "datasets": names,
                    "statements": counts[1],
                    "imported_at": now_iso(),
                },
            )
            receipt = {
                "partner": partner.id,
                "format": fmt,
                "sha256": digest,
                "entities": counts[0],
                "statements": counts[1],
                "datasets": names,
                "reshare": reshare,
                "skipped": dict(received.skipped),
            }
            record_action(conn, actor, AuditAction.IMPORT, partner.id, receipt)
        return ImportResult(
            partner.id, fmt, digest, counts[0], counts[1], names, dict(received.skipped)
        )

    # -- explain -------------------------------------------------------------

    def explain_entity(self, partner: str, entity_id: str) -> EntityExplanation:
        with self.store.engine.connect() as conn:
            found: list[StatementEntity] = rows.current_entity(conn, entity_id)
        if not found:
            raise NotFound(f"no entity {entity_id!r}")
        policy = self.policy(partner)
        _, verdicts = release_entity(found[0], policy, load_origins(self.store))
        return EntityExplanation(entity_id, partner, verdicts)

    def explain_finding(self, actor: Actor, partner: str, finding_id: str) -> Decision:
        finding = self.store.get_finding(actor, finding_id, restrict=False)
        policy = self.policy(partner)
        return policy.finding_decision(finding, load_origins(self.store))


def received_batches(
    partner: str, received: Received
) -> list[tuple[DatasetInfo, list[Any]]]:
    """Group received values into one dataset per marking, owned by the sender."""
    groups: dict[Marking, list[Any]] = {}
    for entity in received.entities:
        for marking, values in entity.by_marking().items():
            proxy = ReleasedEntity(entity.id, entity.schema, tuple(values)).proxy()
            groups.setdefault(marking, []).append(proxy)
    batches = []
    for marking, proxies in sorted(
        groups.items(), key=lambda item: received_dataset(partner, item[0])
    ):
        name = received_dataset(partner, marking)
        title = f"received from {partner} ({marking.label()})"
        batches.append((DatasetInfo(name, partner, marking, title), proxies))
    return batches
