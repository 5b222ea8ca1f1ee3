"""The service layer every edge calls: CLI, HTTP API and web console.

``Accord`` holds the settings, the store and the plugin registry, built once
by an edge and passed to nothing global. Its methods are the platform's
operations; each edge only parses input, calls one of them and renders the
result.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from accord.detectors.runner import resource_reads, run_detectors
from accord.errors import InvalidData, NotFound
from accord.model.dataset import DatasetInfo, check_name
from accord.model.finding import Finding
from accord.model.marking import Marking
from accord.plugins import Registry, load_registry
from accord.settings import Settings
from accord.store import Actor, IngestResult, SourceFile, Store

HASH_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class IngestRequest:
    """One file to ingest into one dataset under one marking."""

    path: Path
    format: str
    dataset: str
    agency: str
    marking: Marking
    title: str = ""


@dataclass(frozen=True, slots=True)
class RunResult:
    detectors: list[str]
    entities: int
    findings: list[Finding]


class Accord:
    """The platform's operations over one store."""

    def __init__(self, settings: Settings, store: Store, registry: Registry) -> None:
        self.settings = settings
        self.store = store
        self.registry = registry

    @classmethod
    def open(cls, settings: Settings) -> Accord:
        return cls(settings, Store.open(settings), load_registry(settings.plugins))

    def close(self) -> None:
        self.store.close()

    def local_actor(self) -> Actor:
        """The operator at the console of this store, acting for its agency."""
        return Actor(self.settings.actor, self.settings.agency)

    def ingest(
        self,
        actor: Actor,
        request: IngestRequest,
        progress: Callable[[int], None] | None = None,
    ) -> IngestResult:
        """Read a file with its format's reader and store it atomically."""
        reader_class = self.registry.reader(request.format)
        if not request.path.is_file():
            raise NotFound(f"no such file: {request.path}")
        info = DatasetInfo(
            name=check_name("dataset", request.dataset),
            agency=check_name("agency", request.agency),
            marking=request.marking,
            title=request.title,
        )
        source = SourceFile(request.path, file_sha256(request.path), request.format)
        reader = reader_class(request.path)
        return self.store.ingest(actor, info, reader.read(), source, progress)

    def run(
        self,
        actor: Actor,
        datasets: list[str] | None = None,
        detectors: list[str] | None = None,
        *,
        restrict: bool = True,
    ) -> RunResult:
        """Run detectors over the datasets ``actor`` may see; store findings.

        ``restrict=False`` is for the local operator, who holds the store file
        and so sees every dataset in it.
        """
        names = detectors or sorted(self.registry.detectors)
        instances = [
            self.registry.detector(name).from_settings(self.settings) for name in names
        ]
        reader = actor.agency if restrict else None
        entities = list(self.store.entities(reader, datasets))
        if not entities:
            raise InvalidData("no entities to run detectors on; ingest a file first")
        infos = {info.name: info for info in self.store.list_datasets(reader)}
        findings = run_detectors(instances, entities, infos, actor.agency)
        reads = resource_reads(instances)
        self.store.save_findings(actor, findings, names, reads)
        return RunResult(names, len(entities), findings)


def file_sha256(path: Path) -> str:
    """Content hash of a file, read in chunks so large files stay cheap."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
