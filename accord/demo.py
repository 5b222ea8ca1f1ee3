"""The demo: ingest the bundled samples, run every detector, summarise.

It plays three agencies on one embedded store, so the markings matter: a
financial-intelligence unit's AMBER customer file, a border agency's GREEN
passenger list, and the public UN list. Running it twice shows idempotent
ingest: the second run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import as_file, files

from accord.model.marking import Marking, Tlp
from accord.service import Accord, IngestRequest, RunResult
from accord.store import Actor, IngestResult


@dataclass(frozen=True, slots=True)
class DemoSource:
    filename: str
    format: str
    dataset: str
    agency: str
    marking: Marking
    title: str


DEMO_SOURCES = (
    DemoSource(
        "un_sc_excerpt.xml",
        "un_sc",
        "un_sc",
        "demo_fiu",
        Marking(Tlp.CLEAR),
        "UN Security Council Consolidated List (excerpt)",
    ),
    DemoSource(
        "customers.jsonl",
        "ftm_jsonl",
        "fiu_customers",
        "demo_fiu",
        Marking(Tlp.AMBER, frozenset({"demo_border"})),
        "Bank customers reported to the FIU (fictional)",
    ),
    DemoSource(
        "travellers.jsonl",
        "ftm_jsonl",
        "border_pax",
        "demo_border",
        Marking(Tlp.GREEN),
        "Passenger records (fictional)",
    ),
)


@dataclass(frozen=True, slots=True)
class DemoReport:
    ingests: list[tuple[DemoSource, IngestResult]]
    run: RunResult


def run_demo(service: Accord) -> DemoReport:
    """Ingest every demo source, then run all detectors over everything."""
    actor = service.local_actor()
    ingests = [(source, _ingest(service, actor, source)) for source in DEMO_SOURCES]
    result = service.run(actor, restrict=False)
    return DemoReport(ingests, result)


def _ingest(service: Accord, actor: Actor, source: DemoSource) -> IngestResult:
    resource = files("accord.samples") / source.filename
    with as_file(resource) as path:
        request = IngestRequest(
            path=path,
            format=source.format,
            dataset=source.dataset,
            agency=source.agency,
            marking=source.marking,
            title=source.title,
        )
        return service.ingest(actor, request)
