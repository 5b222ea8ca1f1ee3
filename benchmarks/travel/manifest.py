"""Manifest screening time for a flight (300) and a day's arrivals (10,000).

A synthetic PAXLST interchange (flights of up to 300 travellers) is written
with planted cases: 1 in 100 travellers carries the name, birth date and
nationality of a listed person, 1 in 200 a passport on the lost/stolen list,
and 1 in 20 flies to an airport the default rules watch. The rest have
generated names. The store holds the UN list (the full one from
../shared/data when present, else the bundled excerpt) and a lost/stolen
list of 50,000 passports.

Timed per manifest: ingest of the file, then screening cold (indexes built,
as one ``accord travel manifest`` run pays) and warm (as a server pays).
Planted cases found are counted, so speed is never bought with misses.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from followthemoney import EntityProxy
from normality import ascii_text

from accord.model.marking import Marking, Tlp
from accord.readers.un_sc import UnScReader
from accord.screening.service import ScreeningService
from accord.service import Accord, IngestRequest
from accord.settings import Settings
from accord.travel.assess import ManifestReport, ManifestScope, ManifestScreening
from accord.travel.rules import load_rules

SHARED_UN = (
    Path(__file__).resolve().parents[3]
    / "shared/data/watchlists/un_sc_2026-02/UN_consolidated.xml"
)
SAMPLE_UN = Path(__file__).resolve().parents[2] / "accord/samples/un_sc_excerpt.xml"
FLIGHT_SIZE = 300
SLTD_SIZE = 50_000
_SYLLABLES = ("an", "bel", "cor", "da", "el", "fin", "gar", "hol", "is", "jon", "ka")
_ORIGINS = ("LHR", "CDG", "FRA", "IST", "AMS", "MAD")


def _listed_people(path: Path) -> list[EntityProxy]:
    return [
        e
        for e in UnScReader(path).read()
        if e.schema.name == "Person" and e.get("birthDate") and e.get("name")
    ]


def _word(rng: random.Random) -> str:
    return "".join(rng.choices(_SYLLABLES, k=rng.randint(2, 4))).upper()


def _released(text: str) -> str:
    """EDIFACT release: ``?`` before each service character inside data."""
    return "".join(f"?{char}" if char in "?'+:" else char for char in text)


def _yymmdd(iso: str) -> str:
    full = (iso + "-01-01")[:10] if len(iso) == 4 else (iso + "-01")[:10]
    return full[2:4] + full[5:7] + full[8:10]


def _traveller_segments(
    number: int, rng: random.Random, listed: list[EntityProxy]
) -> tuple[list[str], str]:
    """PAXLST segments of one traveller, and what was planted."""
    planted = ""
    surname, given, birth, nationality = _word(rng), _word(rng), "850101", "GBR"
    passport = f"P{number:08d}"
    if number % 100 == 0:
        person = listed[number // 100 % len(listed)]
        # the full listed name: first token as given name, the rest as surname
        # carriers send UNOA: upper-case ASCII, so the name is transliterated
        name = ascii_text(person.first("name") or "") or ""
        given, _, surname = _released(name.upper().replace(",", " ")).partition(" ")
        birth = _yymmdd(person.first("birthDate") or "1970")
        nationality = "XXX"
        planted = f"listed:{person.id}"
    elif number % 200 == 1:
        passport = f"S{number:08d}"
        planted = "stolen"
    segments = [
        f"NAD+FL+++{surname}:{given}",
        f"ATT+2++{'MF'[number % 2]}",
        f"DTM+329:{birth}",
        f"NAT+2+{nationality}",
        f"DOC+P:110:111+{passport}",
        "DTM+36:300101",
        "LOC+91+GBR",
    ]
    return segments, planted


def write_manifest(path: Path, size: int, listed: list[EntityProxy]) -> dict[str, str]:
    """A PAXLST file of ``size`` travellers; returns traveller number → plant."""
    rng = random.Random(size)
    plants: dict[str, str] = {}
    lines = ["UNA:+.? '", "UNB+UNOA:4+BENCH+PIU+261124:0600+1++APIS'"]
    for flight in range(0, size, FLIGHT_SIZE):
        reference = f"M{flight}"
        destination = "DAM" if flight // FLIGHT_SIZE % 20 == 19 else "JFK"
        body = [
            "BGM+745",
            f"TDT+20+XA{flight // FLIGHT_SIZE:04d}+++XA",
            f"LOC+125+{_ORIGINS[flight % len(_ORIGINS)]}",
            "DTM+189:2611251040:201",
            f"LOC+87+{destination}",
            "DTM+232:2611251830:201",
        ]
        count = min(FLIGHT_SIZE, size - flight)
        for number in range(flight, flight + count):
            segments, planted = _traveller_segments(number, rng, listed)
            body.extend(segments)
            if planted:
                plants[str(number)] = planted
        body.append(f"CNT+42:{count}")
        lines.append(f"UNH+{reference}+PAXLST:D:05B:UN:IATA'")
        lines.extend(f"{segment}'" for segment in body)
        lines.append(f"UNT+{len(body) + 2}+{reference}'")
    lines.append(f"UNZ+{len(range(0, size, FLIGHT_SIZE))}+1'")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return plants


def write_sltd(path: Path, size: int) -> None:
    """Lost/stolen passports: every planted S-number, plus unrelated ones."""
    with path.open("w", encoding="utf-8") as out:
        for number in range(size):
            props = {
                "number": [f"S{number:08d}"],
                "country": ["gb"],
                "summary": ["reported stolen"],
            }
            entity = {"id": f"sltd-{number}", "schema": "Passport", "properties": props}
            out.write(json.dumps(entity) + "\n")


def _recall(report: ManifestReport, plants: dict[str, str]) -> dict[str, Any]:
    listed_expected = sum(p.startswith("listed:") for p in plants.values())
    stolen_expected = sum(p == "stolen" for p in plants.values())
    listed_found = sum(1 for a in report.assessments if a.watchlist is not None)
    stolen_found = sum(1 for a in report.assessments if a.documents)
    return {
        "planted_listed": listed_expected,
        "watchlist_flagged": listed_found,
        "planted_stolen": stolen_expected,
        "stolen_flagged": stolen_found,
    }


def measure(
    accord: Accord, workdir: Path, size: int, listed: list[EntityProxy]
) -> dict[str, Any]:
    path = workdir / f"manifest_{size}.edi"
    plants = write_manifest(path, size, listed)
    actor = accord.local_actor()
    dataset = f"flight{size}"
    request = IngestRequest(path, "paxlst", dataset, "piu", Marking(Tlp.AMBER_STRICT))
    start = time.perf_counter()
    accord.ingest(actor, request)
    ingest_s = time.perf_counter() - start
    screening = ManifestScreening(ScreeningService(accord), load_rules())
    scope = ManifestScope(lists=("un",), documents=("sltd",), restrict=False)
    start = time.perf_counter()
    report = screening.screen(actor, dataset, scope)
    cold_s = time.perf_counter() - start
    start = time.perf_counter()
    screening.screen(actor, dataset, scope)
    warm_s = time.perf_counter() - start
    return {
        "travellers": report.travellers,
        "findings": len(report.findings),
        "ingest_seconds": round(ingest_s, 2),
        "screen_cold_seconds": round(cold_s, 2),
        "screen_warm_seconds": round(warm_s, 2),
        "travellers_per_s_warm": round(report.travellers / warm_s),
        **_recall(report, plants),
    }


def run(sizes: tuple[int, ...] = (300, 10_000)) -> dict[str, Any]:
    un_file = SHARED_UN if SHARED_UN.is_file() else SAMPLE_UN
    listed = _listed_people(un_file)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        accord = Accord.open(Settings(workspace=workdir / "ws"))
        actor = accord.local_actor()
        accord.ingest(
            actor, IngestRequest(un_file, "un_sc", "un", "unsc", Marking(Tlp.CLEAR))
        )
        sltd = workdir / "sltd.jsonl"
        write_sltd(sltd, SLTD_SIZE)
        accord.ingest(
            actor,
            IngestRequest(sltd, "ftm_jsonl", "sltd", "interpol", Marking(Tlp.AMBER)),
        )
        results = {str(size): measure(accord, workdir, size, listed) for size in sizes}
        accord.close()
    return {"list": un_file.name, "sltd_documents": SLTD_SIZE, "manifests": results}
