"""Photos in a Telegram export are PDQ-hashed by the reader, so a scan
matches them against the known-content banks; paths out of the export
folder are never opened."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from followthemoney import EntityProxy
from PIL import Image

from accord.monitoring.hashing.media import PDQ_KEY
from accord.monitoring.hashing.pdq import hash_image_file
from accord.monitoring.telegram import TelegramExportReader
from tests.monitoring.test_cli import accord


def _image(path: Path, seed: int) -> Path:
    """A textured picture (a flat one is refused as too low-quality to match)."""
    rng = np.random.default_rng(seed)
    blocks = rng.integers(0, 255, size=(16, 16, 3), dtype=np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(blocks).resize((256, 256), Image.Resampling.NEAREST).save(path)
    return path


def export_with_media(folder: Path, media: list[dict[str, str]]) -> Path:
    """A one-channel export whose n-th message carries the n-th media fields."""
    messages = [
        {
            "id": number,
            "type": "message",
            "date": "2026-11-01T10:00:00",
            "from": "Poster",
            "from_id": "user42",
            **fields,
            "text": "",
        }
        for number, fields in enumerate(media, start=1)
    ]
    export = {"name": "Example", "type": "public_channel", "id": 777}
    path = folder / "result.json"
    path.write_text(json.dumps({**export, "messages": messages}), encoding="utf-8")
    return path


def _export(folder: Path, photos: list[str]) -> Path:
    return export_with_media(folder, [{"photo": photo} for photo in photos])


def _pdq_of(entities: list[EntityProxy], message: int) -> list[str]:
    for entity in entities:
        if entity.schema.name == "Message" and entity.id.endswith(f"-msg-{message}"):
            for raw in entity.get("metadata"):
                return list(json.loads(raw).get(PDQ_KEY, []))
    raise AssertionError(f"no message {message}")


def test_reader_hashes_exported_photos_and_ignores_escaping_paths(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "export"
    photo = _image(folder / "photos" / "p1.jpg", seed=1)
    _image(tmp_path / "outside.jpg", seed=2)
    path = _export(folder, ["photos/p1.jpg", "../outside.jpg", "(File not included.)"])
    entities = list(TelegramExportReader(path).read())
    assert _pdq_of(entities, 1) == [hash_image_file(photo).hex]
    assert _pdq_of(entities, 2) == []
    assert _pdq_of(entities, 3) == []


def test_scan_matches_an_exported_photo_against_a_pdq_bank(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    photo = _image(folder / "photos" / "p1.jpg", seed=3)
    _image(folder / "photos" / "p2.jpg", seed=4)
    path = _export(folder, ["photos/p1.jpg", "photos/p2.jpg"])
    workspace = tmp_path / "ws"
    assert (
        accord(
            workspace, "monitor", "bank", "create", "known", "--kind", "pdq"
        ).returncode
        == 0
    )
    added = accord(workspace, "monitor", "bank", "add", "known", "--image", str(photo))
    assert added.returncode == 0, added.stderr
    scan = accord(workspace, "monitor", "scan", str(path), "--tlp", "amber", "--json")
    assert scan.returncode == 0, scan.stderr
    listed = accord(workspace, "findings", "--detector", "known_content", "--json")
    findings = json.loads(listed.stdout)
    assert len(findings) == 1
    assert findings[0]["subjects"][0].endswith("-msg-1")
