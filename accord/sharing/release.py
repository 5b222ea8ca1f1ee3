"""What goes to a partner: entities value by value, and findings.

The store assembles entities from statements, each statement keeping its
dataset; this module asks the policy about each statement and keeps only the
released ones, so a merged entity exported to P carries only the values P
may receive, each with the marking of the dataset it came from.
``release_entity`` is pure (statements and origins in, released values out):
the export, the explain command and the property tests all go through it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import reduce

from followthemoney import EntityProxy, Statement, StatementEntity, model
from followthemoney.exc import InvalidData as FtmInvalidData
from followthemoney.schema import Schema
from sqlalchemy import select

from accord.model.finding import Finding
from accord.model.marking import Marking, strictest
from accord.sharing.partners import PartnerRegistry
from accord.sharing.policy import Decision, Origin, ReleasePolicy
from accord.store import Store
from accord.store import findings as finding_rows
from accord.store import sharing as rows
from accord.store.findings import FindingFilter
from accord.store.schema import finding as finding_table

ALL_FINDINGS = 1_000_000


@dataclass(frozen=True, slots=True)
class ReleasedValue:
    """One released statement: a value and the marking it travels under."""

    prop: str
    value: str
    marking: Marking
    first_seen: str
    last_seen: str
    lang: str | None = None


@dataclass(frozen=True)
class ReleasedEntity:
    """An entity as one partner may see it."""

    id: str
    schema: str
    values: tuple[ReleasedValue, ...]

    @property
    def first_seen(self) -> str:
        return min(v.first_seen for v in self.values)

    @property
    def changed(self) -> str:
        """When the newest released value first appeared: the object's version."""
        return max(v.first_seen for v in self.values)

    def marking(self) -> Marking:
        """The strictest marking of the values: the object's overall marking."""
        return strictest(v.marking for v in self.values)

    def proxy(self) -> EntityProxy:
        """All released values as one FtM entity."""
        entity = model.make_entity(self.schema)
        entity.id = self.id
        for value in self.values:
            entity.add(value.prop, value.value, cleaned=True, quiet=True)
        return entity

    def by_marking(self) -> dict[Marking, list[ReleasedValue]]:
        groups: dict[Marking, list[ReleasedValue]] = {}
        for value in self.values:
            groups.setdefault(value.marking, []).append(value)
        return groups


@dataclass
class StatementVerdict:
    """One statement and the decision about it, for ``explain``."""

    statement: Statement
    decision: Decision


@dataclass
class Release:
    """Everything one partner may receive now, and under which agreements."""

    partner: str
    entities: list[ReleasedEntity] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    agreements: set[str] = field(default_factory=set)
    withheld: int = 0
    reshare: bool = False

    def object_count(self) -> int:
        return len(self.entities) + len(self.findings)


def release_entity(
    entity: StatementEntity, policy: ReleasePolicy, origins: dict[str, Origin]
) -> tuple[ReleasedEntity | None, list[StatementVerdict]]:
    """The values of ``entity`` the policy releases, and a verdict for each."""
    statements = [s for s in entity.statements if s.prop != Statement.BASE]
    topics = _topics(statements, policy, origins)
    verdicts = []
    for stmt in statements:
        origin = origins.get(stmt.dataset)
        decision = policy.entity_decision(origin, stmt.schema, topics)
        verdicts.append(StatementVerdict(stmt, decision))
    released = [v.statement for v in verdicts if v.decision.allowed]
    if not released or entity.id is None:
        return None, verdicts
    values = tuple(
        ReleasedValue(
            prop=stmt.prop,
            value=stmt.value,
            marking=origins[stmt.dataset].info.marking,
            first_seen=stmt.first_seen or "",
            last_seen=stmt.last_seen or "",
            lang=stmt.lang,
        )
        for stmt in released
    )
    schema = _common_schema(stmt.schema for stmt in released)
    return ReleasedEntity(entity.id, schema.name, values), verdicts


def _topics(
    statements: list[Statement], policy: ReleasePolicy, origins: dict[str, Origin]
) -> list[str]:
    """Topics from datasets that may go at all: a withheld topic decides nothing."""
    return sorted(
        {
            stmt.value
            for stmt in statements
            if stmt.prop == "topics"
            and policy.dataset_decision(origins.get(stmt.dataset)).allowed
        }
    )


def _common_schema(names: Iterable[str]) -> Schema:
    schemata = [model.get(name) for name in set(names)]
    known = [s for s in schemata if s is not None]
    try:
        return reduce(model.common_schema, known)
    except FtmInvalidData:
        # Incompatible schemata cannot come from the store (it merged them);
        # the broadest one keeps every released value valid.
        return min(known, key=lambda s: len(s.schemata))


def load_origins(store: Store) -> dict[str, Origin]:
    """Every dataset with its owner, marking and (if imported) provenance."""
    infos = store.list_datasets()
    with store.engine.connect() as conn:
        received = {row["dataset"]: row for row in rows.dataset_origins(conn)}
    origins = {}
    for info in infos:
        row = received.get(info.name)
        if row is None:
            origins[info.name] = Origin(info)
        else:
            origins[info.name] = Origin(info, row["partner"], row["reshare"])
    return origins


def build_policy(
    store: Store, agency: str, partner_id: str, now: datetime | None = None
) -> ReleasePolicy:
    """The policy for one partner from the registry's current state."""
    registry = PartnerRegistry(store)
    partner = registry.get_partner_or_none(partner_id)
    agreements = registry.list_agreements(partner_id) if partner else []
    if now is None:
        return ReleasePolicy(agency, partner_id, partner, agreements)
    return ReleasePolicy(agency, partner_id, partner, agreements, now)


def releasable_datasets(policy: ReleasePolicy, origins: dict[str, Origin]) -> list[str]:
    """Datasets with at least some values that may go: the only ones read."""
    return sorted(
        name
        for name, origin in origins.items()
        if policy.dataset_decision(origin).allowed
    )


def iter_released(
    store: Store, policy: ReleasePolicy, origins: dict[str, Origin]
) -> Iterator[tuple[ReleasedEntity | None, list[StatementVerdict]]]:
    names = releasable_datasets(policy, origins)
    if not names:
        return
    for entity in store.entities(None, names):
        yield release_entity(entity, policy, origins)


def collect_release(store: Store, policy: ReleasePolicy) -> Release:
    """Everything the policy releases now: entities value by value, findings."""
    origins = load_origins(store)
    result = Release(policy.partner_id)
    refused = sorted(set(origins) - set(releasable_datasets(policy, origins)))
    with store.engine.connect() as conn:
        result.withheld = sum(rows.current_value_counts(conn, refused).values())
    for entity, verdicts in iter_released(store, policy, origins):
        for verdict in verdicts:
            if verdict.decision.allowed and verdict.decision.agreement:
                result.agreements.add(verdict.decision.agreement)
            else:
                result.withheld += 1
        if entity is not None:
            result.entities.append(entity)
    for finding in _own_findings(store, policy.agency):
        decision = policy.finding_decision(finding, origins)
        if decision.allowed and decision.agreement:
            result.findings.append(finding)
            result.agreements.add(decision.agreement)
    used = [a for a in policy.active() if a.id in result.agreements]
    result.reshare = bool(used) and all(a.reshare for a in used)
    return result


def _own_findings(store: Store, agency: str) -> list[Finding]:
    """Our agency's findings, read without an audit record per export."""
    with store.engine.connect() as conn:
        where = FindingFilter(limit=ALL_FINDINGS)
        items = [
            item
            for item in finding_rows.list_findings(conn, where, None)
            if item.agency == agency
        ]
        query = select(finding_table.c.id, finding_table.c.updated_at)
        updated = {row.id: row.updated_at for row in conn.execute(query)}
    return [
        replace(item, updated_at=_parse_stamp(updated[item.id]))
        if item.id in updated
        else item
        for item in items
    ]


def _parse_stamp(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp).replace(tzinfo=UTC)
