"""The matchers under test, behind one small interface.

Each adapter builds its own index from the same held-out entities and
answers the same ``EvalQuery`` objects; the runner times ``search`` only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from followthemoney import EntityProxy, model
from nomenklatura.matching import LogicV2

from benchmarks.screening.blocking import NameBlocker
from benchmarks.screening.metrics import Ranking
from benchmarks.screening.queries import EvalQuery

if TYPE_CHECKING:
    from accord.screening.index import ScreeningIndex

LOGIC_V2_THRESHOLD = 0.70  # yente's default match threshold for logic-v2
YENTE_CANDIDATES = 50  # yente: limit 5 x YENTE_MATCH_CANDIDATES 10


class MatcherAdapter(Protocol):
    """What the runner needs from a matcher."""

    name: str
    threshold: float

    def build(self, entities: Sequence[EntityProxy]) -> None: ...

    def search(self, query: EvalQuery, limit: int) -> Ranking: ...

    def last_candidates(self) -> tuple[str, ...] | None:
        """Ids the last search scored in full, if the matcher exposes them."""
        ...


def query_entity(query: EvalQuery) -> EntityProxy:
    """The query as the FtM entity yente would build from a /match request.

    Its id is the query's own: nomenklatura caches name analysis by id.
    Organisations carry the nationality as ``country``.
    """
    entity = model.make_entity(query.schema)
    entity.id = query.qid
    entity.add("name", query.name)
    if query.birth_date and "birthDate" in entity.schema.properties:
        entity.add("birthDate", query.birth_date)
    if query.nationality:
        prop = "nationality" if query.schema == "Person" else "country"
        entity.add(prop, query.nationality)
    return entity


class LogicV2Adapter:
    """nomenklatura logic-v2 over yente-style candidates (``blocking.py``)."""

    name = "logic-v2"
    threshold = LOGIC_V2_THRESHOLD

    def __init__(self, candidates: int = YENTE_CANDIDATES) -> None:
        self.candidates = candidates
        self.config = LogicV2.default_config()
        self.entities: dict[str, EntityProxy] = {}
        self.blocker: NameBlocker | None = None
        self._last: tuple[str, ...] = ()

    def build(self, entities: Sequence[EntityProxy]) -> None:
        self.entities = {entity.id: entity for entity in entities if entity.id}
        self.blocker = NameBlocker(entities)

    def search(self, query: EvalQuery, limit: int) -> Ranking:
        if self.blocker is None:
            raise RuntimeError("build() the adapter before searching")
        entity = query_entity(query)
        ids = self.blocker.candidates(query.name, query.schema, self.candidates)
        self._last = tuple(ids)
        scored = [
            (cid, LogicV2.compare(entity, self.entities[cid], self.config).score)
            for cid in ids
        ]
        # Stable: equal scores keep the blocker's order, as yente keeps
        # Elasticsearch's order when it sorts by the matcher's score.
        scored.sort(key=lambda pair: -pair[1])
        return scored[:limit]

    def last_candidates(self) -> tuple[str, ...] | None:
        return self._last


class AccordAdapter:
    """accord's ``ScreeningIndex``; imported on build, so a checkout without
    it can still run the anchor."""

    name = "accord"

    def __init__(self) -> None:
        self.threshold = 0.0
        self.index: ScreeningIndex | None = None

    def build(self, entities: Sequence[EntityProxy]) -> None:
        # Lazy: the anchor must run even where accord's index is broken.
        from accord.screening.index import ScreeningIndex  # noqa: PLC0415

        self.index = ScreeningIndex.build(entities)
        self.threshold = float(self.index.threshold)

    def search(self, query: EvalQuery, limit: int) -> Ranking:
        from accord.screening.model import ScreeningQuery  # noqa: PLC0415

        if self.index is None:
            raise RuntimeError("build() the adapter before searching")
        request = ScreeningQuery(
            name=query.name,
            schema=query.schema,
            birth_date=query.birth_date,
            nationality=query.nationality,
            id=query.qid,
        )
        return [(r.entity_id, r.score) for r in self.index.search(request, limit)]

    def last_candidates(self) -> tuple[str, ...] | None:
        return None


ADAPTERS: dict[str, type[LogicV2Adapter | AccordAdapter]] = {
    "accord": AccordAdapter,
    "logic-v2": LogicV2Adapter,
}
