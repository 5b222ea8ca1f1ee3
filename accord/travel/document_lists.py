"""Lost/stolen document lists in the store, as one warm SLTD-style index.

Both the single-document check (``accord travel document``, ``GET
/travel/documents/check``) and manifest screening ask the same question of
the same datasets, so the index is built here once per set of sources and
their versions, and rebuilt only when one of them changes.

Which datasets count: those named, with every document in them; or, when
none is named, every dataset the reader may see except those excluded,
keeping only documents whose own text says lost, stolen, revoked or invalid,
so a passenger's passport in another manifest never reads as "listed".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from followthemoney import EntityProxy

from accord.detectors.runner import stamp
from accord.model.dataset import DatasetInfo
from accord.model.finding import Feature, Finding
from accord.store import Actor, Store
from accord.store.audit import AuditAction
from accord.travel.checks import DocumentHit, DocumentIndex, DocumentStatus
from accord.travel.checks import document_status as stated_status

__all__ = [
    "CHECK_DETECTOR",
    "DocumentCheck",
    "DocumentLists",
    "DocumentScope",
    "owners",
]

CHECK_DETECTOR = "document_check"


@dataclass(frozen=True, slots=True)
class DocumentScope:
    """Which lists to check: ``named`` datasets, or every visible one.

    ``restrict`` is off only for the local operator, who sees the store whole.
    """

    named: tuple[str, ...] = ()
    restrict: bool = True


@dataclass(frozen=True, slots=True)
class DocumentCheck:
    """An SLTD answer: the listings (none is a no-hit) and who to confirm with."""

    number: str
    country: str | None
    hits: tuple[DocumentHit, ...]
    owners: dict[str, str]

    @property
    def hit(self) -> bool:
        return bool(self.hits)

    def to_dict(self) -> dict[str, object]:
        return {
            "number": self.number,
            "country": self.country,
            "result": "hit" if self.hit else "no-hit",
            "listings": [
                {
                    "number": h.number,
                    "issuing_state": h.country,
                    "status": h.status.value,
                    "dataset": h.dataset,
                    "reporting_agency": self.owners.get(h.dataset, ""),
                    "entity_id": h.entity_id,
                    "confirm_with": self.owners.get(h.dataset, h.dataset),
                }
                for h in self.hits
            ],
        }


class DocumentLists:
    """A cache of one ``DocumentIndex`` over the store's document lists."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._key: tuple[object, ...] | None = None
        self._index = DocumentIndex()

    def index(
        self,
        reader: str | None,
        named: Sequence[str] = (),
        exclude: Sequence[str] = (),
    ) -> DocumentIndex:
        """The index over ``named`` datasets, or over every visible one but
        ``exclude`` (stated statuses only)."""
        sources = self._sources(reader, named, exclude)
        key = (reader, bool(named), tuple(f"{i.name}@{i.version}" for i in sources))
        if key != self._key:
            index = DocumentIndex()
            if sources:
                names = [info.name for info in sources]
                for entity in self.store.entities(reader, names):
                    _add_listed(index, entity, keep_unstated=bool(named))
            self._key, self._index = key, index
        return self._index

    def check(
        self,
        actor: Actor,
        number: str,
        country: str | None,
        scope: DocumentScope,
    ) -> DocumentCheck:
        """Hit or no-hit for one document; audited, and a hit leaves a
        "confirm with owner" finding, because SLTD hits need confirming
        with the reporting country before anyone acts on them."""
        reader = actor.agency if scope.restrict else None
        hits = self.index(reader, scope.named).hits(number, country)
        infos = {info.name: info for info in self.store.list_datasets(reader)}
        result = DocumentCheck(number, country, hits, owners(infos.values()))
        detail = {"country": country, "result": "hit" if hits else "no-hit"}
        self.store.record(actor, AuditAction.SCREEN, f"document:{number}", detail)
        if hits:
            finding = stamp(_confirm_finding(result), {}, infos, actor.agency)
            self.store.save_findings(actor, [finding], [CHECK_DETECTOR])
        return result

    def _sources(
        self, reader: str | None, named: Sequence[str], exclude: Sequence[str]
    ) -> tuple[DatasetInfo, ...]:
        if named:
            return tuple(self.store.get_dataset(name, reader) for name in named)
        return tuple(
            info
            for info in self.store.list_datasets(reader)
            if info.name not in exclude
        )


def owners(infos: Iterable[DatasetInfo]) -> dict[str, str]:
    """Dataset name → owning agency: whom a hit must be confirmed with."""
    return {info.name: info.agency for info in infos}


def _add_listed(index: DocumentIndex, entity: EntityProxy, keep_unstated: bool) -> None:
    if not entity.schema.is_a("Identification"):
        return
    if keep_unstated or stated_status(entity) is not DocumentStatus.LISTED:
        index.add(entity)


def _confirm_finding(result: DocumentCheck) -> Finding:
    explanation = {
        f"listing.{hit.dataset}": Feature(
            1.0,
            f"{hit.schema.lower()} {hit.number} ({hit.country or 'any state'}) "
            f"listed {hit.status.value} by {result.owners.get(hit.dataset, hit.dataset)}"
            "; confirm with the reporting agency before acting",
        )
        for hit in result.hits
    }
    statuses = ", ".join(sorted({hit.status.value for hit in result.hits}))
    return Finding(
        detector=CHECK_DETECTOR,
        subjects=tuple(sorted({hit.entity_id for hit in result.hits})),
        score=1.0,
        summary=f"document {result.number} is listed ({statuses}): confirm with owner",
        explanation=explanation,
        datasets=tuple(sorted({hit.dataset for hit in result.hits})),
    )
