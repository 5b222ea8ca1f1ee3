"""The demo: ingest the bundled samples, run every detector, summarise.

It plays four agencies on one embedded store, so the markings matter: a
financial-intelligence unit's AMBER customer file, a border agency's
passenger data and lost/stolen list, a counter-terrorism unit's watched
channel, and the public UN list. Running it twice shows idempotent
ingest: the second run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import as_file, files

from accord.model.marking import Marking, Tlp
from accord.screening.service import ScreeningService
from accord.service import Accord, IngestRequest, RunResult
from accord.store import Actor, IngestResult
from accord.travel.assess import ManifestReport, ManifestScope, ManifestScreening
from accord.travel.rules import load_rules


@dataclass(frozen=True, slots=True)
class DemoSource:
    filename: str
    format: str
    dataset: str
    agency: str
    marking: Marking
    title: str


MANIFEST_DATASET = "border_flight_xa101"

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
    DemoSource(
        "monitoring/demo_channel.json",
        "telegram",
        "ctu_channel_watch",
        "demo_ctu",
        Marking(Tlp.AMBER),
        "A public messaging channel under watch (fictional, neutral text)",
    ),
    DemoSource(
        "lost_stolen.jsonl",
        "ftm_jsonl",
        "border_sltd",
        "demo_border",
        Marking(Tlp.GREEN),
        "Lost and stolen travel documents (fictional)",
    ),
    DemoSource(
        "flight_manifest.edi",
        "paxlst",
        MANIFEST_DATASET,
        "demo_border",
        Marking(Tlp.AMBER_STRICT),
        "API manifest of flight XA101 IST-DAM (fictional)",
    ),
)


@dataclass(frozen=True, slots=True)
class DemoReport:
    ingests: list[tuple[DemoSource, IngestResult]]
    run: RunResult
    manifest: ManifestReport


def run_demo(service: Accord) -> DemoReport:
    """Ingest every demo source, run all detectors over everything, then
    screen the flight manifest as a passenger-information unit would."""
    actor = service.local_actor()
    ingests = [(source, _ingest(service, actor, source)) for source in DEMO_SOURCES]
    result = service.run(actor, restrict=False)
    screening = ManifestScreening(ScreeningService(service), load_rules())
    scope = ManifestScope(documents=("border_sltd",), restrict=False)
    manifest = screening.screen(actor, MANIFEST_DATASET, scope)
    return DemoReport(ingests, result, manifest)


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
