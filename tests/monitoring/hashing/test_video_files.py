"""Video files hashed with vPDQ: the hashes are vpdq's own, a re-encoded,
mirrored or letterboxed copy of a known video matches it, an unrelated
video does not, and a Telegram export's videos reach the known_content
detector."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import SourceError
from accord.monitoring.hashing.media import VPDQ_KEY
from accord.monitoring.hashing.video_hashing import (
    content_box,
    frame_variants,
    hash_video_file,
    hash_video_query,
)
from accord.monitoring.telegram import TelegramExportReader
from tests.monitoring.hashing.test_monitor_bank_cli import run_group
from tests.monitoring.test_cli import accord
from tests.monitoring.test_telegram_media import export_with_media

KNOWN = "bridge-pan.mp4"
REENCODED = "bridge-pan-small.webm"
UNRELATED = "labelme-pan.mp4"


def hamming(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


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


def test_unreadable_video_is_refused_with_its_name(tmp_path: Path) -> None:
    not_video = tmp_path / "notes.mp4"
    not_video.write_text("not a video")
    with pytest.raises(SourceError, match="notes.mp4: not a readable video"):
        hash_video_file(not_video)
    with pytest.raises(SourceError, match="no such video file"):
        hash_video_file(tmp_path / "absent.mp4")


@pytest.mark.parametrize("name", [KNOWN, REENCODED, UNRELATED])
def test_hashes_are_those_of_meta_vpdq(fixture_dir: Path, name: str) -> None:
    """The reference files were written by vpdq 0.2.5 from the same videos."""
    reference = [
        line.split(",")
        for line in (fixture_dir / f"{name.rsplit('.', 1)[0]}.vpdq.txt")
        .read_text()
        .splitlines()
    ]
    ours = hash_video_file(fixture_dir / name)
    assert [f.timestamp for f in ours] == [float(r[3]) for r in reference]
    assert [f.quality for f in ours] == [int(r[1]) for r in reference]
    assert max(hamming(f.hex, r[2]) for f, r in zip(ours, reference, strict=True)) <= 2


def test_black_bars_are_found_and_cropped() -> None:
    rng = np.random.default_rng(4)
    picture = rng.integers(40, 255, size=(120, 160, 3), dtype=np.uint8)
    boxed = np.zeros((180, 160, 3), dtype=np.uint8)
    boxed[30:150] = picture
    assert content_box(boxed) == (30, 150, 0, 160)
    assert content_box(picture) is None
    variants = frame_variants(boxed)
    assert len(variants) == 4
    assert np.array_equal(variants[2], picture)
    assert np.array_equal(variants[1], boxed[:, ::-1])
    assert len(frame_variants(picture)) == 2


def _rewrite(
    source: Path, target: Path, transform: Callable[[np.ndarray], np.ndarray]
) -> Path:
    """``source`` re-encoded (MPEG-4 Part 2) with every frame transformed."""
    with av.open(str(source)) as reading, av.open(str(target), "w") as writing:
        stream = None
        for frame in reading.decode(video=0):
            pixels = np.ascontiguousarray(transform(frame.to_ndarray(format="rgb24")))
            if stream is None:
                stream = writing.add_stream("mpeg4", rate=25)
                stream.height, stream.width = pixels.shape[:2]
                stream.pix_fmt = "yuv420p"
            writing.mux(stream.encode(av.VideoFrame.from_ndarray(pixels, "rgb24")))
        assert stream is not None
        writing.mux(stream.encode(None))
    return target


def letterboxed(pixels: np.ndarray) -> np.ndarray:
    framed = np.zeros((pixels.shape[0] + 60, pixels.shape[1], 3), dtype=np.uint8)
    framed[30:-30] = pixels
    return framed


@pytest.mark.parametrize(
    "transform", [lambda p: p[:, ::-1], letterboxed], ids=["mirrored", "letterboxed"]
)
def test_mirrored_and_letterboxed_copies_match(
    tmp_path: Path, fixture_dir: Path, transform: Callable[[np.ndarray], np.ndarray]
) -> None:
    copy = _rewrite(fixture_dir / KNOWN, tmp_path / "copy.mp4", transform)
    known = hash_video_file(fixture_dir / KNOWN)
    plain = hash_video_file(copy)
    assert min(hamming(k.hex, c.hex) for k in known for c in plain) > 31
    assert run_group(tmp_path, "create", "clips", "--kind", "vpdq").exit_code == 0
    added = run_group(tmp_path, "add", "clips", "--video", str(fixture_dir / KNOWN))
    assert added.exit_code == 0
    found = json.loads(
        run_group(tmp_path, "match", "--video", str(copy), "--json").output
    )
    (match,) = found[0]["matches"]
    assert match["query_match"] >= 0.8


def _export(folder: Path, files: list[str]) -> Path:
    video = {"media_type": "video_file", "mime_type": "video/webm"}
    return export_with_media(folder, [{"file": name, **video} for name in files])


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


@settings(max_examples=40, deadline=None)
@given(body=st.binary(max_size=2048))
def test_garbage_is_refused_as_unreadable(
    tmp_path_factory: pytest.TempPathFactory, body: bytes
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "garbage.mp4"
    path.write_bytes(body)
    try:
        frames = hash_video_file(path)
    except SourceError as exc:
        assert str(path) in str(exc)
    else:
        assert frames  # a valid tiny video by chance
