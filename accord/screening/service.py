"""The screening service that the CLI, the API and other capabilities call.

Indexes are cached per set of sources and their versions, so an API server
builds each one once and rebuilds it only after a source changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from followthemoney import EntityProxy

from accord.errors import NotFound
from accord.screening.detector import is_listed
from accord.screening.index import DEFAULT_THRESHOLD, ScreeningIndex
from accord.screening.model import ScreeningQuery, ScreeningResult
from accord.screening.sources import read_file
from accord.service import Accord
from accord.store import Actor
from accord.store.audit import AuditAction

MAX_CACHED_INDEXES = 8


@dataclass(frozen=True, slots=True)
class Targets:
    """What one screening runs against: store datasets and list files."""

    datasets: tuple[str, ...]
    files: tuple[Path, ...]

    def describe(self) -> str:
        return ", ".join([*self.datasets, *(str(f) for f in self.files)])


@dataclass(frozen=True, slots=True)
class ScreenScope:
    """Where and how to screen.

    ``restrict`` limits sources to what the actor's agency may read (off only
    for the local operator); ``allow_files`` lets ``against`` name local list
    files (the CLI only); ``listed_only`` indexes list entries alone (the
    ``sanction`` topic), for callers that screen against every dataset but
    must not match, say, passengers against other passengers.
    """

    against: tuple[str, ...] = ()
    limit: int = 10
    restrict: bool = True
    allow_files: bool = False
    listed_only: bool = False


class ScreeningService:
    def __init__(self, accord: Accord, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.accord = accord
        self.threshold = threshold
        self._indexes: dict[str, ScreeningIndex] = {}

    def resolve(
        self, against: Sequence[str], reader: str | None, *, allow_files: bool = False
    ) -> Targets:
        """Split ``against`` into visible datasets and existing files.

        Nothing given means every dataset the reader may see. Files are only
        for local callers (the CLI): a remote caller naming a server path
        must never make the server read it, so by default every name is a
        dataset.
        """
        store = self.accord.store
        if not against:
            names = tuple(info.name for info in store.list_datasets(reader))
            if not names:
                raise NotFound("nothing to screen against; ingest a list first")
            return Targets(names, ())
        datasets: list[str] = []
        files: list[Path] = []
        for item in against:
            path = Path(item)
            if allow_files and path.is_file():
                files.append(path)
            else:
                datasets.append(store.get_dataset(item, reader).name)
        return Targets(tuple(datasets), tuple(files))

    def index(
        self, targets: Targets, reader: str | None, *, listed_only: bool = False
    ) -> ScreeningIndex:
        key = self._cache_key(targets, reader, listed_only)
        if key not in self._indexes:
            if len(self._indexes) >= MAX_CACHED_INDEXES:
                self._indexes.pop(next(iter(self._indexes)))
            entities = self._entities(targets, reader)
            if listed_only:
                entities = (entity for entity in entities if is_listed(entity))
            self._indexes[key] = ScreeningIndex.build(entities, self.threshold)
        return self._indexes[key]

    def _cache_key(self, targets: Targets, reader: str | None, listed: bool) -> str:
        parts = [str(reader), f"listed={listed}"]
        for name in targets.datasets:
            parts.append(f"{name}@{self.accord.store.get_dataset(name).version}")
        for path in targets.files:
            stat = path.stat()
            parts.append(f"{path.resolve()}@{stat.st_mtime_ns}:{stat.st_size}")
        return hashlib.sha256("|".join(parts).encode()).hexdigest()

    def _entities(self, targets: Targets, reader: str | None) -> Iterator[EntityProxy]:
        if targets.datasets:
            yield from self.accord.store.entities(reader, list(targets.datasets))
        for path in targets.files:
            yield from read_file(path, self.accord.registry)

    def screen(
        self, actor: Actor, query: ScreeningQuery, scope: ScreenScope
    ) -> list[ScreeningResult]:
        """Screen one name; audited with the name, since that is what was asked."""
        reader = actor.agency if scope.restrict else None
        targets = self.resolve(scope.against, reader, allow_files=scope.allow_files)
        index = self.index(targets, reader, listed_only=scope.listed_only)
        results = index.search(query, scope.limit)
        detail = {
            "name": query.name,
            "against": targets.describe(),
            "hits": len(results),
        }
        self.accord.store.record(
            actor, AuditAction.SCREEN, query.id or query.name, detail
        )
        return results

    def screen_many(
        self,
        actor: Actor,
        queries: Iterable[ScreeningQuery],
        scope: ScreenScope,
        progress: Callable[[int], None] | None = None,
    ) -> Iterator[tuple[ScreeningQuery, list[ScreeningResult]]]:
        """Screen many queries against one index; one audit record for the run."""
        reader = actor.agency if scope.restrict else None
        targets = self.resolve(scope.against, reader, allow_files=scope.allow_files)
        index = self.index(targets, reader, listed_only=scope.listed_only)
        count = matches = 0
        for query in queries:
            results = index.search(query, scope.limit)
            count += 1
            matches += any(result.match for result in results)
            if progress:
                progress(count)
            yield query, results
        detail = {
            "queries": count,
            "with_match": matches,
            "against": targets.describe(),
        }
        self.accord.store.record(actor, AuditAction.SCREEN, "batch", detail)
