"""No statement ever reaches a partner its markings and agreements don't allow.

Hypothesis builds a chain of agencies (a → b → c → d), random data at the
first one (every TLP level, random releasability, some datasets owned by
other agencies), and at every hop a random agreement (levels, datasets,
categories, re-share flag, expired or revoked) and a random format. Each hop
runs the real release (``release_entity``), the real writer and the real
reader (STIX, MISP or FtM), and the real grouping into received datasets.

The oracle is deliberately simpler than the policy: a value may be at agency
X only if an original copy of it, owned by the first agency, has a marking
that is neither RED nor AMBER+STRICT and releases to X; every hop that
carried it had an agreement in force at its level; every agency that passed
it on had received it under an agreement allowing re-sharing; and it is
marked at X no looser than at the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from followthemoney import Dataset, Statement, StatementEntity
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from accord.model.dataset import DatasetInfo
from accord.model.marking import Marking, Tlp, may_read
from accord.sharing.category import Category
from accord.sharing.ftm import ftm_lines, read_ftm
from accord.sharing.misp import misp_event, read_misp
from accord.sharing.partners import Agreement, Partner
from accord.sharing.policy import Origin, ReleasePolicy
from accord.sharing.received import Received
from accord.sharing.release import Release, release_entity
from accord.sharing.service import received_batches
from accord.sharing.signing import canonical_json, canonical_lines
from accord.sharing.stix import StixWriter
from accord.sharing.stix_read import read_stix

T = TypeVar("T")
AGENCIES = ["a", "b", "c", "d"]
KEY = "HVkj3ifLhut+ZLa9YpCn8Ie4oY1VZzv2Wuet5ujVSSU="
NOW = datetime.now(UTC)
VIEW = Dataset.make({"name": "view", "title": "view"})
PERSON_VALUES = {
    "name": ["Jane Roe", "Ali Khan", "Ivan Petrov"],
    "notes": ["seen in May", "courier"],
    "email": ["x@example.org", "y@example.net"],
    "topics": ["crime.terror", "sanction"],
}
CATEGORIES = [
    "schema:Person",
    "schema:LegalEntity",
    "schema:Thing",
    "topic:crime.terror",
]


@dataclass
class AgencyState:
    name: str
    origins: dict[str, Origin] = field(default_factory=dict)
    statements: list[Statement] = field(default_factory=list)

    def entities(self) -> list[StatementEntity]:
        groups: dict[str, list[Statement]] = {}
        for stmt in self.statements:
            groups.setdefault(stmt.entity_id, []).append(stmt)
        return [StatementEntity.from_statements(VIEW, s) for s in groups.values()]


@dataclass(frozen=True)
class Copy:
    """One original copy of a value at the source agency."""

    owner: str
    marking: Marking
    dataset: str


markings = st.builds(
    lambda tlp, rel: Marking(tlp, frozenset() if tlp is Tlp.RED else rel),
    st.sampled_from([Tlp.CLEAR, Tlp.GREEN, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER, *Tlp]),
    st.one_of(
        st.just(frozenset(AGENCIES[1:])),
        st.frozensets(st.sampled_from(AGENCIES), max_size=3),
    ),
)


@st.composite
def source_state(draw: st.DrawFn) -> AgencyState:
    state = AgencyState("a")
    for index in range(draw(st.integers(1, 4))):
        owner = draw(st.sampled_from(["a", "a", "a", "z"]))
        info = DatasetInfo(f"d{index}", owner, draw(markings))
        state.origins[info.name] = Origin(info)
        entities = st.lists(st.sampled_from(["e0", "e1", "e2"]), min_size=1, max_size=3)
        for entity in draw(entities):
            prop = draw(st.sampled_from(sorted(PERSON_VALUES)))
            value = draw(st.sampled_from(PERSON_VALUES[prop]))
            state.statements.append(
                Statement(
                    entity_id=entity,
                    prop=prop,
                    schema="Person",
                    value=value,
                    dataset=info.name,
                    first_seen="2026-01-01T00:00:00.000000",
                    last_seen="2026-01-01T00:00:00.000000",
                )
            )
    return state


def mostly(
    data: st.DataObject, everything: frozenset[T], some: st.SearchStrategy[frozenset[T]]
) -> frozenset[T]:
    """Everything three times in four, so values do travel down the chain."""
    if data.draw(st.sampled_from([True, True, True, False])):
        return everything
    return data.draw(some)


def draw_agreement(data: st.DataObject, sender: AgencyState, partner: str) -> Agreement:
    names = sorted(sender.origins) or ["none"]
    status = data.draw(st.sampled_from(["active"] * 6 + ["expired", "revoked"]))
    expires = NOW + timedelta(days=30 if status != "expired" else -1)
    categories = mostly(
        data,
        frozenset({"schema:Thing"}),
        st.frozensets(st.sampled_from(CATEGORIES), min_size=1),
    )
    return Agreement(
        partner=partner,
        datasets=mostly(
            data, frozenset(names), st.frozensets(st.sampled_from(names), min_size=1)
        ),
        categories=frozenset(Category.parse(c) for c in categories),
        tlp_levels=mostly(
            data, frozenset(Tlp), st.frozensets(st.sampled_from(list(Tlp)), min_size=1)
        ),
        reshare=data.draw(st.sampled_from([True, True, False])),
        expires_at=expires,
        revoked_at=NOW - timedelta(hours=1) if status == "revoked" else None,
    )


def hop(
    sender: AgencyState, recipient: str, agreement: Agreement, fmt: str, known: bool
) -> AgencyState:
    """Release, write, read and store: what ``recipient`` holds afterwards."""
    partner = Partner(recipient, recipient, KEY, "https://x.example") if known else None
    policy = ReleasePolicy(sender.name, recipient, partner, [agreement], NOW)
    release = Release(recipient)
    for entity in sender.entities():
        released, _ = release_entity(entity, policy, sender.origins)
        if released is not None:
            release.entities.append(released)
    state = AgencyState(recipient)
    if not release.entities:
        return state
    received = transfer(release, sender.name, recipient, fmt)
    reshare = agreement.reshare
    for info, proxies in received_batches(sender.name, received):
        state.origins[info.name] = Origin(info, sender.name, reshare)
        for proxy in proxies:
            for stmt in Statement.from_entity(proxy, info.name):
                state.statements.append(stmt)
    return state


def transfer(release: Release, sender: str, recipient: str, fmt: str) -> Received:
    if fmt == "stix":
        data = canonical_json(StixWriter(sender).bundle(release))
        return read_stix(data, "bundle", recipient)
    if fmt == "misp":
        return read_misp(
            canonical_json(misp_event(release, sender)), "event", recipient
        )
    return read_ftm(canonical_lines(ftm_lines(release)), "lines", recipient)


def copies(source: AgencyState) -> dict[tuple[str, str, str], list[Copy]]:
    found: dict[tuple[str, str, str], list[Copy]] = {}
    for stmt in source.statements:
        info = source.origins[stmt.dataset].info
        key = (stmt.entity_id, stmt.prop, stmt.value)
        found.setdefault(key, []).append(Copy(info.agency, info.marking, info.name))
    return found


def allowed(copy: Copy, chain: list[tuple[str, Agreement, bool]], upto: int) -> bool:
    """The oracle: may this original copy be at the agency after hop ``upto``?"""
    target = chain[upto][0]
    releasable = (
        copy.owner == "a"
        and copy.marking.tlp not in (Tlp.RED, Tlp.AMBER_STRICT)
        and may_read(copy.marking, "a", target)
        and copy.dataset in chain[0][1].datasets
    )
    if not releasable:
        return False
    for index in range(upto + 1):
        _, agreement, known = chain[index]
        if not known or agreement.status(NOW) != "active":
            return False
        if copy.marking.tlp not in agreement.tlp_levels:
            return False
        if index > 0 and not chain[index - 1][1].reshare:
            return False
    return True


@settings(
    max_examples=3000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(source=source_state(), data=st.data())
def test_no_value_reaches_an_agency_it_was_not_released_to(
    source: AgencyState, data: st.DataObject
) -> None:
    originals = copies(source)
    chain: list[tuple[str, Agreement, bool]] = []
    current = source
    for recipient in AGENCIES[1 : 1 + data.draw(st.integers(1, 3))]:
        agreement = draw_agreement(data, current, recipient)
        known = data.draw(st.sampled_from([True] * 9 + [False]))
        fmt = data.draw(st.sampled_from(["stix", "misp", "ftm"]))
        chain.append((recipient, agreement, known))
        current = hop(current, recipient, agreement, fmt, known)
        upto = len(chain) - 1
        event(f"values delivered at hop {upto + 1}: {bool(current.statements)}")
        for stmt in current.statements:
            if stmt.prop == Statement.BASE:
                continue
            key = (stmt.entity_id, stmt.prop, stmt.value)
            assert key in originals, f"{key} appeared from nowhere at {recipient}"
            held = current.origins[stmt.dataset].info.marking
            assert any(
                allowed(c, chain, upto)
                and held.tlp == c.marking.tlp
                and held.releasable_to <= c.marking.releasable_to | {recipient}
                for c in originals[key]
            ), f"{key} reached {recipient} under {held.label()}: {originals[key]}"
