"""The known_content detector over FtM entities, and its registration."""

from __future__ import annotations

import json
from pathlib import Path

from followthemoney import Dataset, Statement, StatementEntity, model

from accord.monitoring.hashing.bank import BankKind
from accord.monitoring.hashing.detector import KnownContentDetector
from accord.monitoring.hashing.formats import ImportDefaults
from accord.monitoring.hashing.media import (
    hash_media_file,
    media_pdq_hashes,
    pdq_metadata,
)
from accord.monitoring.hashing.pdq import PdqHash
from accord.monitoring.hashing.results import NewBank
from accord.monitoring.hashing.service import HashBanks
from accord.plugins import load_registry
from accord.settings import Settings
from tests.monitoring.hashing.trail import ACTOR, AuditTrail

BRIDGE = "f8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22"
TEXT = (
    "The committee will meet on Tuesday at the town hall to discuss the new "
    "bridge, the budget for the library and the summer festival programme."
)


def message(
    entity_id: str, body: str = "", metadata: str | None = None
) -> StatementEntity:
    proxy = model.make_entity("Message")
    proxy.id = entity_id
    proxy.add("bodyText", body or None)
    proxy.add("metadata", metadata)
    view = Dataset.make({"name": "view", "title": "view"})
    statements = Statement.from_entity(proxy, "channel")  # type: ignore[arg-type]
    return StatementEntity.from_statements(view, statements)


def loaded_detector(banks: HashBanks) -> KnownContentDetector:
    return KnownContentDetector(
        [banks.get(ACTOR, name) for name in banks.storage.names()], banks.clock
    )


def setup_banks(banks: HashBanks) -> None:
    prov = ImportDefaults("hsdb", "gifct", "2026-01-02", "IS/Amaq")
    banks.create(ACTOR, NewBank("gifct", BankKind.PDQ))
    banks.add(ACTOR, "gifct", [BRIDGE], prov)
    banks.create(ACTOR, NewBank("statements", BankKind.TEXT))
    banks.add(ACTOR, "statements", [TEXT], prov)


def test_media_hash_and_text_produce_explained_findings(
    banks: HashBanks, fixture_dir: Path
) -> None:
    setup_banks(banks)
    photo = hash_media_file(fixture_dir / "bridge-shrink-a-lot.jpg")
    assert photo is not None
    entities = [
        message("m1", "hello", pdq_metadata([photo])),
        message("m2", TEXT.replace("Tuesday", "Wednesday")),
        message("m3", "Nothing to see in this ordinary message about the weather."),
    ]
    findings = {f.subjects[0]: f for f in loaded_detector(banks).detect(entities)}
    assert sorted(findings) == ["m1", "m2"]
    image = findings["m1"]
    assert image.detector == "known_content"
    assert image.explanation["pdq_distance"].value == 10
    assert BRIDGE in image.explanation["matched_in"].detail
    assert "gifct" in image.explanation["bank"].detail
    assert "IS/Amaq" in image.summary
    assert 0.5 < image.score < 1.0
    text = findings["m2"]
    assert text.explanation["text_similarity"].value >= 0.6
    assert "bodyText" in text.explanation["matched_in"].detail


def test_the_banks_consulted_are_reported_as_counts(
    banks: HashBanks, fixture_dir: Path
) -> None:
    setup_banks(banks)
    detector = loaded_detector(banks)
    assert detector.reads() == []
    entities = [
        message("m1", "hello", json.dumps({"pdq": [BRIDGE]})),
        message("m2", TEXT),
        message("m3", "Nothing to see in this ordinary message about the weather."),
    ]
    detector.detect(entities)
    reads = {read.target: dict(read.counts) for read in detector.reads()}
    assert {read.action for read in detector.reads()} == {"bank.match"}
    assert reads == {
        "bank:gifct": {"queries": 1, "hits": 1, "matches": 1},
        "bank:statements": {"queries": 3, "hits": 1, "matches": 1},
    }
    detector.detect([])
    assert detector.reads() == []


def test_negative_bank_and_quarantine_silence_the_detector(
    banks: HashBanks, fixture_dir: Path
) -> None:
    setup_banks(banks)
    banks.create(ACTOR, NewBank("benign", BankKind.PDQ, negative=True))
    square = hash_media_file(fixture_dir / "bridge-square-128x128.jpg")
    assert square is not None
    banks.add(
        ACTOR, "benign", [square.hex], ImportDefaults("own", "alpha", "2026-01-01")
    )
    entities = [message("m1", metadata=json.dumps({"pdq": [BRIDGE]}))]
    assert loaded_detector(banks).detect(entities) == []
    without_benign = KnownContentDetector([banks.get(ACTOR, "gifct")], banks.clock)
    assert len(without_benign.detect(entities)) == 1
    banks.quarantine(ACTOR, "gifct", BRIDGE, reason="logo")
    assert loaded_detector(banks).detect(entities) == []


def test_without_banks_nothing_is_found() -> None:
    assert KnownContentDetector().detect([message("m1", TEXT)]) == []


def test_from_settings_reads_the_workspace(tmp_path: Path) -> None:
    settings = Settings(workspace=tmp_path)
    banks = HashBanks.from_settings(settings, AuditTrail())
    setup_banks(banks)
    detector = KnownContentDetector.from_settings(settings)
    assert sorted(b.name for b in detector.banks) == ["gifct", "statements"]
    [finding] = detector.detect([message("m1", TEXT)])
    assert finding.subjects == ("m1",)


def test_media_metadata_convention() -> None:
    good = PdqHash(BRIDGE, 90)
    poor = PdqHash("0" * 64, 10)
    value = pdq_metadata([good, poor])
    assert value is not None and json.loads(value) == {"pdq": [BRIDGE]}
    assert pdq_metadata([poor]) is None
    mixed = json.dumps({"platform": "telegram", "pdq": BRIDGE.upper()})
    assert media_pdq_hashes(message("m", metadata=mixed)) == [BRIDGE]
    assert media_pdq_hashes(message("m", metadata=json.dumps({"pdq": ["zz", 3]}))) == []
    assert media_pdq_hashes(message("m", metadata="[1, 2]")) == []


def test_missing_media_file_hashes_to_none(tmp_path: Path, fixture_dir: Path) -> None:
    assert hash_media_file(tmp_path / "absent.jpg") is None
    assert hash_media_file(fixture_dir / "labelme-q0003-low-quality.jpg") is None


def test_detector_is_registered() -> None:
    assert load_registry().detector("known_content") is KnownContentDetector
