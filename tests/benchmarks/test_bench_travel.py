"""The travel benchmark's generators make what they claim, so its numbers
measure real work."""

from __future__ import annotations

from pathlib import Path

from accord.travel.manifest import build_travellers
from accord.travel.paxlst import PaxlstReader
from benchmarks.travel import manifest, sltd


def test_generated_manifest_parses_cleanly_with_its_plants(tmp_path: Path) -> None:
    listed = manifest._listed_people(manifest.SAMPLE_UN)
    path = tmp_path / "m.edi"
    plants = manifest.write_manifest(path, 650, listed)
    reader = PaxlstReader(path)
    travellers = build_travellers(reader.read())
    assert len(travellers) == 650
    assert reader.warnings == []
    assert sum(p.startswith("listed:") for p in plants.values()) == 7
    assert sum(p == "stolen" for p in plants.values()) == 4  # 1, 201, 401, 601


def test_sltd_lookups_find_exactly_the_planted_hits() -> None:
    result = sltd.run(size=5_000, lookups=3_000)
    assert result["listed_documents"] == 5_000
    assert result["hits"] == result["expected_hits"] == 30
