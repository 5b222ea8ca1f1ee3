"""The release decision: may this go to that partner, and why (not).

Every rule fails closed and every decision carries its reasons, so the
dry-run (``accord share explain``) shows exactly what the export does. The
marking rule itself is ``accord.model.marking.may_read``, the one rule the
store also uses; this module adds only what sharing needs on top of it:

* an unknown partner, or one with no agreement in force, gets nothing;
* a value without a known dataset (so without a marking) never goes;
* TLP:RED never goes, and TLP:AMBER+STRICT never leaves the owner's
  organisation, whatever its releasability says;
* data another agency sent us goes on only if that agency allowed re-sharing
  and its marking releases it to the new partner;
* an agreement must cover the dataset, the TLP level and a category (FtM
  schema or topic for entities, detector for findings).

MISP's sharing-group failures (#4200 empty group sent to all, #1720 org
outside the group received events) came from implicit rules; here nothing is
implicit and the property tests check every path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from accord.model.dataset import DatasetInfo
from accord.model.finding import Finding
from accord.model.marking import Marking, Tlp, may_read
from accord.sharing.category import entity_category, finding_category
from accord.sharing.partners import Agreement, AgreementStatus, Partner


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether something may go, every reason that decided it, and under what."""

    allowed: bool
    reasons: tuple[str, ...]
    agreement: str | None = None

    @classmethod
    def deny(cls, reasons: Iterable[str]) -> Decision:
        return cls(False, tuple(dict.fromkeys(reasons)))


@dataclass(frozen=True, slots=True)
class Origin:
    """What the policy must know about a dataset: owner, marking, provenance.

    ``received_from`` names the partner an imported dataset came from, and
    ``reshare`` whether that partner allowed passing it on.
    """

    info: DatasetInfo
    received_from: str | None = None
    reshare: bool = False


@dataclass(frozen=True)
class ReleasePolicy:
    """Decisions for one partner, as seen by agency ``agency`` at ``now``."""

    agency: str
    partner_id: str
    partner: Partner | None
    agreements: Sequence[Agreement] = ()
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def active(self) -> list[Agreement]:
        return [
            a for a in self.agreements if a.status(self.now) is AgreementStatus.ACTIVE
        ]

    def partner_problems(self) -> list[str]:
        """Reasons nothing at all may go to this partner (empty if some may)."""
        if self.partner is None:
            return [f"unknown partner {self.partner_id!r}: nothing goes to it"]
        if self.active():
            return []
        if not self.agreements:
            return [f"no agreement with {self.partner_id}"]
        return [self._inactive_reason(a) for a in self.agreements]

    def _inactive_reason(self, agreement: Agreement) -> str:
        status = agreement.status(self.now)
        if status is AgreementStatus.REVOKED and agreement.revoked_at is not None:
            return (
                f"agreement {agreement.id} was revoked on {_day(agreement.revoked_at)}"
            )
        return f"agreement {agreement.id} expired on {_day(agreement.expires_at)}"

    def marking_problems(self, marking: Marking | None, owner: str) -> list[str]:
        """The marking rules, independent of any agreement."""
        if marking is None:
            return ["no marking: unmarked data never leaves"]
        partner = self.partner_id
        if marking.tlp is Tlp.RED and partner != owner:
            return ["TLP:RED is never released"]
        if marking.tlp is Tlp.AMBER_STRICT and partner != owner:
            return [f"TLP:AMBER+STRICT stays within the owner's organisation ({owner})"]
        if not may_read(marking, owner, partner):
            return [f"marking {marking.label()} does not release to {partner}"]
        return []

    def origin_problems(self, origin: Origin | None) -> list[str]:
        """Marking and provenance of a dataset, before any agreement."""
        if origin is None:
            return ["no marking: the value's dataset is unknown"]
        info = origin.info
        problems = self.marking_problems(info.marking, info.agency)
        if info.agency not in (self.agency, self.partner_id):
            if origin.received_from is None:
                problems.append(
                    f"dataset {info.name} belongs to {info.agency}, not to "
                    f"{self.agency}, and was not received under an agreement"
                )
            elif not origin.reshare:
                problems.append(
                    f"dataset {info.name} came from {origin.received_from}, "
                    "which did not allow re-sharing"
                )
        return problems

    def dataset_decision(self, origin: Origin | None) -> Decision:
        """Whether any value of a dataset could go (categories aside)."""
        problems = self.partner_problems() + self.origin_problems(origin)
        if problems or origin is None:
            return Decision.deny(problems)
        name, tlp = origin.info.name, origin.info.marking.tlp
        reasons: list[str] = []
        for agreement in self.active():
            misses = _coverage(agreement, name, tlp)
            if not misses:
                return Decision(True, (_released(agreement, origin),), agreement.id)
            reasons.extend(misses)
        return Decision.deny(reasons)

    def entity_decision(
        self, origin: Origin | None, schema: str, topics: Iterable[str]
    ) -> Decision:
        """Whether values of one entity from one dataset may go."""
        problems = self.partner_problems() + self.origin_problems(origin)
        if problems or origin is None:
            return Decision.deny(problems)
        topic_list = sorted(set(topics))
        reasons: list[str] = []
        for agreement in self.active():
            misses = _coverage(agreement, origin.info.name, origin.info.marking.tlp)
            category = entity_category(agreement.categories, schema, topic_list)
            if category is None:
                misses.append(_no_category(agreement, schema, topic_list))
            if not misses:
                why = (_released(agreement, origin), f"category {category}")
                return Decision(True, why, agreement.id)
            reasons.extend(misses)
        return Decision.deny(reasons)

    def finding_decision(
        self, finding: Finding, origins: dict[str, Origin]
    ) -> Decision:
        """Whether a finding may go: ours, its marking, its inputs, its detector."""
        problems = self.partner_problems()
        if finding.agency != self.agency:
            problems.append(f"finding belongs to {finding.agency}, not {self.agency}")
        problems += self.marking_problems(finding.marking, finding.agency)
        for name in finding.datasets:
            problems += self.origin_problems(origins.get(name))
        if problems:
            return Decision.deny(problems)
        reasons: list[str] = []
        for agreement in self.active():
            misses = [
                miss
                for name in finding.datasets
                for miss in _coverage(agreement, name, finding.marking.tlp)
            ]
            if finding_category(agreement.categories, finding.detector) is None:
                misses.append(
                    f"agreement {agreement.id} does not cover detector:"
                    f"{finding.detector}"
                )
            if not misses:
                why = (
                    f"released by agreement {agreement.id} ({finding.marking.label()})"
                )
                return Decision(True, (why,), agreement.id)
            reasons.extend(misses)
        return Decision.deny(reasons)


def _coverage(agreement: Agreement, dataset: str, tlp: Tlp) -> list[str]:
    misses = []
    if dataset not in agreement.datasets:
        misses.append(f"agreement {agreement.id} does not cover dataset {dataset}")
    if tlp not in agreement.tlp_levels:
        misses.append(f"agreement {agreement.id} does not release {tlp.label}")
    return misses


def _no_category(agreement: Agreement, schema: str, topics: list[str]) -> str:
    wanted = [f"schema:{schema}", *(f"topic:{t}" for t in topics)]
    return f"agreement {agreement.id} covers none of {', '.join(wanted)}"


def _released(agreement: Agreement, origin: Origin) -> str:
    info = origin.info
    return (
        f"dataset {info.name} ({info.marking.label()}) released by agreement "
        f"{agreement.id}"
    )


def _day(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
