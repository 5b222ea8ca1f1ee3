"""Video files hashed with vPDQ: a re-encoded copy of a known video matches
it, an unrelated video does not, and a Telegram export's videos reach the
known_content detector.

These tests need the ``vpdq`` package, which builds only where FFmpeg's
development libraries are installed; they skip, saying so, where it is
absent, and fail instead when ``ACCORD_REQUIRE_VIDEO`` is set (CI sets it).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from accord.errors import SourceError
from accord.monitoring.hashing import video as video_module
from accord.monitoring.hashing.media import VPDQ_KEY
from accord.monitoring.hashing.video import (
    hash_video_file,
    hash_video_query,
    vpdq_available,
)
from accord.monitoring.telegram import TelegramExportReader
from tests.monitoring.hashing.test_monitor_bank_cli import run_group
from tests.monitoring.test_cli import accord
from tests.monitoring.test_telegram_media import export_with_media

KNOWN = "bridge-pan.mp4"
REENCODED = "bridge-pan-small.webm"
UNRELATED = "labelme-pan.mp4"


@pytest.fixture
def vpdq_installed() -> None:
    if vpdq_available():
        return
    reason = "vpdq is not installed (it needs FFmpeg's development libraries)"
    if os.environ.get("ACCORD_REQUIRE_VIDEO"):
        pytest.fail(reason + "; ACCORD_REQUIRE_VIDEO is set")
    pytest.skip(reason)


def hamming(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


@pytest.mark.usefixtures("vpdq_installed")
def test_reencoded_copy_is_near_frame_by_frame(fixture_dir: Path) -> None:
    known = hash_video_file(fixture_dir / KNOWN)
    copy = hash_video_file(fixture_dir / REENCODED)
    assert [f.timestamp for f in known] == [0.0, 1.0, 2.0, 3.0]
    assert all(f.quality >= 90 for f in known)
    distances = [min(hamming(k.hex, c.hex) for c in copy) for k in known]
    assert max(distances) <= 31
    unrelated = hash_video_file(fixture_dir / UNRELATED)
    assert min(hamming(k.hex, u.hex) for k in known for u in unrelated) > 64
    digests = {
        hashlib.md5((fixture_dir / name).read_bytes()).hexdigest()  # noqa: S324 - HMA's video match, compared
        for name in (KNOWN, REENCODED)
    }
    assert len(digests) == 2, "an MD5 bank would miss the re-encoded copy"


@pytest.mark.usefixtures("vpdq_installed")
def test_cli_adds_a_video_and_matches_its_copy_not_a_stranger(
    tmp_path: Path, fixture_dir: Path
) -> None:
    assert (
        "created vpdq bank"
        in run_group(tmp_path, "create", "clips", "--kind", "vpdq").output
    )
    added = run_group(
        tmp_path, "add", "clips", "--video", str(fixture_dir / KNOWN), "--label", "X"
    )
    assert "1 added" in added.output
    again = run_group(tmp_path, "add", "clips", "--video", str(fixture_dir / KNOWN))
    assert "0 added, 1 already present" in again.output
    result = run_group(
        tmp_path,
        "match",
        "--video",
        str(fixture_dir / REENCODED),
        "--video",
        str(fixture_dir / UNRELATED),
        "--json",
    )
    copy, stranger = json.loads(result.output)
    (match,) = copy["matches"]
    assert (match["kind"], match["status"]) == ("vpdq", "match")
    assert match["query_match"] == 1.0 and match["compared_match"] == 1.0
    assert match["provenance"]["label"] == "X"
    assert copy["query"] == f"{REENCODED} (4 s)"
    assert stranger["matches"] == []
    table = run_group(tmp_path, "match", "--video", str(fixture_dir / REENCODED))
    assert "100% of query" in table.output


def test_unreadable_video_and_missing_vpdq_are_explained(
    tmp_path: Path, fixture_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if vpdq_available():
        not_video = tmp_path / "notes.mp4"
        not_video.write_text("not a video")
        with pytest.raises(SourceError, match="notes.mp4"):
            hash_video_file(not_video)

    def missing(name: str) -> object:
        raise ImportError(name)

    monkeypatch.setattr(video_module.importlib, "import_module", missing)
    assert not vpdq_available()
    with pytest.raises(SourceError, match="apt install libavcodec-dev"):
        hash_video_file(fixture_dir / KNOWN)


def _export(folder: Path, files: list[str]) -> Path:
    video = {"media_type": "video_file", "mime_type": "video/webm"}
    return export_with_media(folder, [{"file": name, **video} for name in files])


@pytest.mark.usefixtures("vpdq_installed")
def test_telegram_videos_are_hashed_and_scanned(
    tmp_path: Path, fixture_dir: Path
) -> None:
    folder = tmp_path / "export"
    (folder / "video_files").mkdir(parents=True)
    shutil.copy(fixture_dir / REENCODED, folder / "video_files" / "clip.webm")
    shutil.copy(fixture_dir / UNRELATED, tmp_path / "outside.mp4")
    path = _export(folder, ["video_files/clip.webm", "../outside.mp4"])
    entities = list(TelegramExportReader(path).read())
    metadata = {
        str(e.id).rsplit("-", 1)[-1]: json.loads(e.first("metadata") or "{}")
        for e in entities
        if e.schema.name == "Message"
    }
    expected = hash_video_query(fixture_dir / REENCODED)
    assert len(expected) == 4 and sum(map(len, expected)) > 4
    assert metadata["1"][VPDQ_KEY] == [expected]
    assert VPDQ_KEY not in metadata["2"]
    workspace = tmp_path / "ws"
    for step in (
        ["monitor", "bank", "create", "clips", "--kind", "vpdq"],
        ["monitor", "bank", "add", "clips", "--video", str(fixture_dir / KNOWN)],
        ["monitor", "scan", str(path), "--tlp", "amber", "--json"],
    ):
        done = accord(workspace, *step)
        assert done.returncode == 0, done.stderr
    listed = accord(workspace, "findings", "--detector", "known_content", "--json")
    (finding,) = json.loads(listed.stdout)
    assert finding["subjects"][0].endswith("-msg-1")
    assert "vpdq_frames" in finding["explanation"]
    assert "attached video (vPDQ)" in finding["summary"]
