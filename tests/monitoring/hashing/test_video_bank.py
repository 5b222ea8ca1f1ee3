"""Video banks: vPDQ files in, videos matched by their shares of frames."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import InvalidData, ReaderError
from accord.monitoring.hashing.bank import BankKind
from accord.monitoring.hashing.formats import BankFileFormat, ImportDefaults
from accord.monitoring.hashing.matcher import BankMatcher, MatchStatus
from accord.monitoring.hashing.pdq import hex_to_lanes, lanes_to_hex
from accord.monitoring.hashing.results import NewBank
from accord.monitoring.hashing.service import HashBanks
from accord.monitoring.hashing.state import Verdict
from accord.monitoring.hashing.storage import BankStorage
from accord.monitoring.hashing.video import (
    VideoFrame,
    as_seconds,
    query_seconds,
    video_key,
)
from accord.monitoring.hashing.video_formats import read_video_entries, video_queries
from tests.monitoring.hashing.trail import ACTOR

CHAIR = "vpdq-chair-19-sd-bar.txt"
FUZZ_DEFAULTS = ImportDefaults("s", "a", "2026-01-01")


def flip(hex_value: str, bits: Sequence[int]) -> str:
    lanes = hex_to_lanes([hex_value])
    for bit in bits:
        lanes[0, bit // 64] ^= np.uint64(1) << np.uint64(63 - bit % 64)
    return lanes_to_hex(lanes)[0]


def seeded(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 - test data, not a secret


def random_hex(rng: random.Random) -> str:
    return f"{rng.getrandbits(256):064x}"


def chair_frames(fixture_dir: Path) -> list[str]:
    (frames,) = video_queries(fixture_dir / CHAIR)
    return frames


def video_bank(banks: HashBanks, name: str = "videos", **shares: float) -> None:
    banks.create(ACTOR, NewBank(name, BankKind.VPDQ, video=shares or None))


@pytest.fixture
def chair(banks: HashBanks, fixture_dir: Path, defaults: ImportDefaults) -> list[str]:
    """A video bank ``videos`` holding the chair video; its frames."""
    video_bank(banks)
    banks.import_file(ACTOR, "videos", fixture_dir / CHAIR, defaults)
    return chair_frames(fixture_dir)


def test_vpdq_file_imports_once_and_keeps_distinct_frames(
    banks: HashBanks, fixture_dir: Path, defaults: ImportDefaults
) -> None:
    video_bank(banks)
    path = fixture_dir / CHAIR
    result = banks.import_file(ACTOR, "videos", path, defaults)
    assert (result.read, result.added) == (1, 1)
    again = banks.import_file(ACTOR, "videos", path, defaults)
    assert (again.read, again.added) == (1, 0)
    loaded = banks.get(ACTOR, "videos")
    frames = chair_frames(fixture_dir)
    raw_lines = path.read_text().splitlines()
    assert len(frames) == len({line.split(",")[2] for line in raw_lines})
    assert len(loaded) == len(frames) < len(raw_lines)
    assert loaded.video_keys() == [video_key(frames)]
    (summary,) = banks.summaries(ACTOR)
    assert (summary.kind, summary.count) == (BankKind.VPDQ, 1)


def test_a_clip_of_a_known_video_matches_and_a_stranger_does_not(
    banks: HashBanks, chair: list[str]
) -> None:
    frames = chair
    rng = seeded(7)
    third = len(frames) // 3
    clip = [flip(f, rng.sample(range(256), 12)) for f in frames[third : 2 * third]]
    stranger = [random_hex(rng) for _ in range(40)]
    found_clip, found_stranger = banks.match_videos(ACTOR, [clip, stranger])
    assert found_stranger == []
    (match,) = found_clip
    assert match.status is MatchStatus.ACTIVE
    assert match.video is not None
    assert match.video.query_match == 1.0
    assert 0.2 < match.video.compared_match < 0.5
    assert match.distance is not None and match.distance <= 12
    assert match.key == video_key(frames)
    assert match.to_dict()["query_match"] == 1.0


def test_query_and_compared_limits_decide(banks: HashBanks, chair: list[str]) -> None:
    frames = chair
    rng = seeded(3)
    half_known = frames[:30] + [random_hex(rng) for _ in range(30)]
    assert banks.match_videos(ACTOR, [half_known]) == [[]]
    banks.configure(ACTOR, "videos", video={"query_match": 0.5})
    (found,) = banks.match_videos(ACTOR, [half_known])
    assert found and found[0].video is not None
    assert found[0].video.query_match == 0.5
    banks.configure(ACTOR, "videos", video={"compared_match": 0.9})
    assert banks.match_videos(ACTOR, [half_known]) == [[]]
    assert banks.match_videos(ACTOR, [frames])[0][0].score == 1.0


def test_negative_video_bank_suppresses(
    banks: HashBanks, fixture_dir: Path, defaults: ImportDefaults
) -> None:
    video_bank(banks)
    banks.create(ACTOR, NewBank("benign", BankKind.VPDQ, negative=True))
    for name in ("videos", "benign"):
        banks.import_file(ACTOR, name, fixture_dir / CHAIR, defaults)
    (found,) = banks.match_videos(ACTOR, [chair_frames(fixture_dir)], "videos")
    (match,) = found
    assert match.status is MatchStatus.SUPPRESSED
    assert "negative bank 'benign'" in match.reason
    assert "100% of frames" in match.reason


def test_feedback_and_quarantine_are_per_video(
    banks: HashBanks, chair: list[str]
) -> None:
    frames = chair
    key = video_key(frames)
    with pytest.raises(Exception, match="not in bank"):
        banks.feedback(ACTOR, "videos", frames[0], Verdict.DISMISS)
    quarantined = [
        banks.feedback(ACTOR, "videos", key, Verdict.DISMISS) for _ in range(3)
    ]
    assert quarantined == [False, False, True]
    (found,) = banks.match_videos(ACTOR, [frames])
    assert found[0].status is MatchStatus.QUARANTINED
    banks.release(ACTOR, "videos", key)
    assert banks.match_videos(ACTOR, [frames])[0][0].status is MatchStatus.ACTIVE


@pytest.mark.parametrize("fmt", [BankFileFormat.CSV, BankFileFormat.JSONL])
def test_export_and_reimport_round_trip(
    banks: HashBanks,
    fixture_dir: Path,
    tmp_path: Path,
    defaults: ImportDefaults,
    fmt: BankFileFormat,
) -> None:
    video_bank(banks)
    labelled = ImportDefaults("hsdb", "gifct", "2026-01-02", "IS/video")
    banks.import_file(ACTOR, "videos", fixture_dir / CHAIR, labelled)
    rng = seeded(11)
    banks.add_videos(ACTOR, "videos", [[random_hex(rng) for _ in range(5)]], defaults)
    out = tmp_path / f"videos.{fmt.value}"
    assert banks.export(ACTOR, "videos", out, fmt) == 2
    video_bank(banks, "copy")
    result = banks.import_file(ACTOR, "copy", out, defaults, fmt)
    assert (result.read, result.added) == (2, 2)
    original, copy = banks.get(ACTOR, "videos"), banks.get(ACTOR, "copy")
    assert copy.video_keys() == original.video_keys()
    assert copy.provenance(0) == original.provenance(0)
    assert copy.provenance(0).label == "IS/video"
    assert banks.import_file(ACTOR, "videos", out, defaults, fmt).added == 0


@pytest.mark.parametrize(
    ("name", "body", "where", "reason"),
    [
        ("bad.txt", "0,100,{h},0.0\n1,100,nothex,0.033\n", "line 2", "not a PDQ hash"),
        ("q.txt", "0,100,{h},0.0\n1,101,{h},0.1\n", "line 2", "outside 0-100"),
        ("q2.txt", "0,x,{h},0.0\n", "line 1", "'x' is not a number"),
        ("f.txt", "0,100,{h}\nx,100,{h}\n", "line 2", "frame,quality,hash"),
        ("flat.txt", "0,10,{h},0.0\n1,20,{h},1.0\n", "line 1", "quality 50"),
        ("v.csv", "hash,source\n{h},x\n", "line 1", "'video' and 'hash'"),
        ("v2.csv", "video,hash\na,{h}\n,{h}\n", "line 3", "empty 'video'"),
        ("v.jsonl", '{{"frames": []}}\n', "line 1", "non-empty 'frames'"),
        ("v2.jsonl", '{{"frames": ["{h}"]}}\n[1]\n', "line 2", "JSON object"),
        ("empty.jsonl", "\n\n", "line 1", "no videos"),
    ],
)
def test_malformed_files_are_refused_and_change_nothing(
    banks: HashBanks,
    tmp_path: Path,
    defaults: ImportDefaults,
    name: str,
    body: str,
    where: str,
    reason: str,
) -> None:
    video_bank(banks)
    path = tmp_path / name
    path.write_text(body.format(h="ab" * 32))
    fmt = BankFileFormat.VPDQ if name.endswith(".txt") else None
    with pytest.raises(ReaderError) as caught:
        banks.import_file(ACTOR, "videos", path, defaults, fmt)
    assert caught.value.position == where
    assert reason in str(caught.value)
    assert str(path) in str(caught.value)
    assert len(banks.get(ACTOR, "videos")) == 0


def test_vpdq_files_are_detected_and_kinds_do_not_mix(
    banks: HashBanks, fixture_dir: Path, defaults: ImportDefaults
) -> None:
    video_bank(banks)
    banks.create(ACTOR, NewBank("images", BankKind.PDQ))
    with pytest.raises(ReaderError, match="go together"):
        banks.import_file(ACTOR, "images", fixture_dir / CHAIR, defaults)
    with pytest.raises(InvalidData, match="holds videos"):
        banks.add(ACTOR, "videos", ["ab" * 32], defaults)
    with pytest.raises(InvalidData, match="does not hold videos"):
        banks.add_videos(ACTOR, "images", [["ab" * 32]], defaults)
    with pytest.raises(InvalidData, match="holds vpdq data"):
        banks.match_hashes(ACTOR, ["ab" * 32], "videos")
    with pytest.raises(InvalidData, match="outside"):
        video_bank(banks, "bad", query_match=0.0)


@st.composite
def bank_and_queries(draw: st.DrawFn) -> tuple[list[list[str]], list[list[str]]]:
    rng = seeded(draw(st.integers(0, 2**32)))
    videos = [
        [random_hex(rng) for _ in range(draw(st.integers(1, 6)))]
        for _ in range(draw(st.integers(1, 5)))
    ]
    pool = [frame for video in videos for frame in video]
    queries = []
    for _ in range(draw(st.integers(1, 4))):
        size = draw(st.integers(1, 6))
        frames = []
        for _ in range(size):
            if draw(st.booleans()):
                bits = rng.sample(range(256), draw(st.integers(0, 40)))
                frames.append(flip(rng.choice(pool), bits))
            else:
                frames.append(random_hex(rng))
        queries.append(list(dict.fromkeys(frames)))
    return videos, queries


def brute_force(
    videos: list[list[str]], query: list[str], limits: tuple[float, float]
) -> dict[int, tuple[float, float, int]]:
    """Each bank video's shares and closest distance, by the definition."""
    found = {}
    for number, video in enumerate(videos):
        pairs = [
            (q, f, (int(q, 16) ^ int(f, 16)).bit_count()) for q in query for f in video
        ]
        close = [(q, f, d) for q, f, d in pairs if d <= 31]
        if not close:
            continue
        share = len({q for q, _, _ in close}) / len(query)
        covered = len({f for _, f, _ in close}) / len(set(video))
        if share >= limits[0] and covered >= limits[1]:
            found[number] = (share, covered, min(d for _, _, d in close))
    return found


@settings(max_examples=60, deadline=None)
@given(case=bank_and_queries(), limits=st.sampled_from([(0.8, 0.0), (0.3, 0.5)]))
def test_matching_agrees_with_the_definition(
    tmp_path_factory: pytest.TempPathFactory,
    case: tuple[list[list[str]], list[list[str]]],
    limits: tuple[float, float],
) -> None:
    videos, queries = case
    storage = BankStorage(tmp_path_factory.mktemp("banks"))
    banks = HashBanks(storage, lambda *_: None)
    shares = {"query_match": limits[0], "compared_match": limits[1]}
    banks.create(ACTOR, NewBank("v", BankKind.VPDQ, video=shares))
    defaults = ImportDefaults("s", "a", "2026-01-01")
    banks.add_videos(ACTOR, "v", videos, defaults)
    bank = storage.load("v")
    keys = {video_key(v): n for n, v in enumerate(videos)}
    results = BankMatcher([bank], banks.clock()).match_videos(
        [as_seconds(query) for query in queries]
    )
    for query, matches in zip(queries, results, strict=True):
        expected = brute_force(videos, query, limits)
        got = {
            keys[m.key]: (m.video.query_match, m.video.compared_match, m.distance)
            for m in matches
            if m.video is not None
        }
        assert got == expected


@settings(max_examples=80, deadline=None)
@given(body=st.text(max_size=300))
def test_vpdq_reader_refuses_garbage_cleanly(
    tmp_path_factory: pytest.TempPathFactory, body: str
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "garbage.txt"
    path.write_text(body, encoding="utf-8")
    try:
        entries = read_video_entries(path, BankFileFormat.VPDQ, FUZZ_DEFAULTS)
    except ReaderError as exc:
        assert str(path) in str(exc)
    else:
        assert entries.videos is not None and len(entries.videos) == len(entries.rows)


def test_seconds_group_frames_and_count_each_new_frame_once() -> None:
    a, b, c = "aa" * 32, "bb" * 32, "cc" * 32
    frames = [
        VideoFrame(a, 100, 0.0),
        VideoFrame(b, 100, 0.25),
        VideoFrame(a, 100, 1.0),  # seen in second 0: second 1 adds nothing
        VideoFrame(c, 40, 2.0),  # too flat
        VideoFrame(c, 90, 3.5),
    ]
    assert query_seconds(frames) == [[a, b], [c]]
    assert as_seconds([a, b, a]) == [[a], [b]]


def test_a_second_matches_when_any_of_its_frames_does(
    banks: HashBanks, defaults: ImportDefaults
) -> None:
    """A clip hashed four frames a second against a bank hashed once a
    second: only one frame in four lands near a bank frame, yet every
    second is found; counted frame by frame it would be a quarter."""
    rng = seeded(5)
    bank_frames = [random_hex(rng) for _ in range(4)]
    video_bank(banks)
    banks.add_videos(ACTOR, "videos", [bank_frames], defaults)
    dense = [
        [flip(frame, rng.sample(range(256), 6))] + [random_hex(rng) for _ in range(3)]
        for frame in bank_frames
    ]
    (found,) = banks.match_video_seconds(ACTOR, [dense])
    (match,) = found
    assert match.video is not None and match.video.query_match == 1.0
    flat = [frame for second in dense for frame in second]
    assert banks.match_videos(ACTOR, [flat]) == [[]]
