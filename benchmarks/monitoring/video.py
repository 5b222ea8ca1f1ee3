"""Video matching: vPDQ banks against MD5 matching, and video lookups/s.

HMA matches video by MD5 only ("start with just image PDQ and video MD5"),
so any re-encode defeats it. This benchmark measures, in one run, on the
same videos:

- **robustness**: ``--videos`` synthetic source videos (10 s, two scenes of
  smooth textured noise with a slow pan, H.264) go into a vPDQ bank (one
  frame a second) and an MD5 list; each is then transformed the ways
  re-uploaded propaganda is (byte copy, re-encode, half size, VP9 at a low
  bit rate, the middle half cut on a second and half a second off it,
  letterboxed, brighter, horizontally flipped) and matched three ways:
  accord (the query hashed four frames a second, each frame also mirrored
  and with black bars cropped, a second found when any of its frames
  matches), plain vPDQ (the query hashed once a second by Meta's vpdq where
  it is installed, as python-threatexchange matches) and MD5; as many unrelated videos are matched
  too, for false matches;
- **hashing speed**: seconds of video hashed per second by vpdq;
- **lookup speed**: a bank of ``--bank-videos`` videos of 30 frames
  (random frame hashes; 300,000 frames at the default) queried with 1,000
  videos, half near-copies of bank videos (each frame up to 16 bits off),
  half unrelated, through the matcher, against a numpy linear scan of the
  frames (python-threatexchange's vPDQ index is a flat scan) in the same
  run; planted copies found, and both give the same frame hits.

Needs ffmpeg (Debian's package) to make the videos; vpdq, where it is
installed, hashes the plain-vPDQ column.
Run:

    .venv/bin/python -m benchmarks.monitoring.video [--videos 30]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import platform
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from accord.monitoring.hashing.bank import Bank, BankConfig, BankKind, Provenance
from accord.monitoring.hashing.formats import ImportDefaults
from accord.monitoring.hashing.matcher import BankMatch, BankMatcher
from accord.monitoring.hashing.mih import linear_scan
from accord.monitoring.hashing.pdq import hex_to_lanes, lanes_to_hex
from accord.monitoring.hashing.results import NewBank
from accord.monitoring.hashing.service import HashBanks, utc_now
from accord.monitoring.hashing.storage import BankStorage
from accord.monitoring.hashing.video import VideoFrame, as_seconds, distinct_frames
from accord.monitoring.hashing.video_hashing import hash_video_file
from accord.store import Actor

RESULTS = Path(__file__).resolve().parents[1] / "results" / "monitoring_video.json"
WIDTH, HEIGHT, FPS, SECONDS = 320, 240, 10, 10
ACTOR = Actor("benchmark", "benchmark")
DEFAULTS = ImportDefaults("benchmark", "benchmark", "2026-12-08")
PROVENANCE = Provenance("benchmark", "benchmark", "2026-12-08")
H264 = ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-an"]
TRANSFORMS: dict[str, list[str]] = {
    "reencode_crf35": [*H264, "-crf", "35"],
    "half_size": ["-vf", "scale=160:120", *H264, "-crf", "28"],
    "vp9_80kbps": ["-c:v", "libvpx-vp9", "-b:v", "80k", "-an"],
    "middle_half": ["-ss", "2", "-t", "5", *H264, "-crf", "28"],
    "middle_half_offset": ["-ss", "2.5", "-t", "5", *H264, "-crf", "28"],
    "letterbox": ["-vf", "scale=320:180,pad=320:240:0:30", *H264, "-crf", "28"],
    "brighter": ["-vf", "eq=brightness=0.08:contrast=1.15", *H264, "-crf", "28"],
    "hflip": ["-vf", "hflip", *H264, "-crf", "28"],
}
SUFFIX = {"vp9_80kbps": ".webm"}


def scene(rng: np.random.Generator) -> np.ndarray:
    """A 640x480 picture of smooth coloured noise with some finer texture:
    enough gradients for PDQ quality 100, nothing like any real image."""
    coarse = Image.fromarray(rng.integers(0, 256, (6, 8, 3), dtype=np.uint8))
    fine = Image.fromarray(rng.integers(0, 256, (48, 64, 3), dtype=np.uint8))
    big = (2 * WIDTH, 2 * HEIGHT)
    mix = 0.75 * np.asarray(coarse.resize(big, Image.Resampling.BICUBIC)) + 0.25 * (
        np.asarray(fine.resize(big, Image.Resampling.BICUBIC))
    )
    return mix.clip(0, 255).astype(np.uint8)


def frames_of(seed: int) -> np.ndarray:
    """Ten seconds at 10 fps: a pan over one scene, then over another."""
    rng = np.random.default_rng(seed)
    scenes = [scene(rng), scene(rng)]
    count = FPS * SECONDS
    out = np.empty((count, HEIGHT, WIDTH, 3), dtype=np.uint8)
    for n in range(count):
        picture = scenes[0] if n < count // 2 else scenes[1]
        step = (n % (count // 2)) / (count // 2)
        # A quarter of the frame's width in five seconds: a slow pan.
        x, y = int(step * WIDTH / 4), int(step * HEIGHT / 8)
        out[n] = picture[y : y + HEIGHT, x : x + WIDTH]
    return out


def ffmpeg(arguments: list[str], stdin: bytes | None = None) -> None:
    executable = shutil.which("ffmpeg")
    if executable is None:
        raise SystemExit("ffmpeg is needed to make the benchmark's videos")
    subprocess.run(  # noqa: S603 - fixed ffmpeg arguments on files we made
        [executable, "-loglevel", "error", "-y", *arguments],
        input=stdin,
        check=True,
    )


def encode(seed: int, path: Path) -> Path:
    raw = frames_of(seed).tobytes()
    size = f"{WIDTH}x{HEIGHT}"
    source = ["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", size, "-r", str(FPS)]
    ffmpeg([*source, "-i", "-", *H264, "-crf", "23", str(path)], raw)
    return path


def transform(source: Path, name: str, folder: Path) -> Path:
    target = folder / f"{source.stem}-{name}{SUFFIX.get(name, '.mp4')}"
    if name == "copy":
        shutil.copyfile(source, target)
    else:
        ffmpeg(["-i", str(source), *TRANSFORMS[name], str(target)])
    return target


def md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()  # noqa: S324 - HMA's video match, measured


def robustness(count: int, folder: Path) -> dict[str, Any]:
    """Recall per transform and false matches, vPDQ bank against MD5 list."""
    known = [encode(seed, folder / f"known-{seed}.mp4") for seed in range(count)]
    strangers = [
        encode(seed, folder / f"other-{seed}.mp4") for seed in range(1000, 1000 + count)
    ]
    start = time.perf_counter()
    known_frames = [distinct_frames(hash_video_file(path)) for path in known]
    hash_seconds = time.perf_counter() - start
    banks = HashBanks(BankStorage(folder / "banks"), lambda *_: None)
    banks.create(ACTOR, NewBank("known", BankKind.VPDQ))
    banks.add_videos(ACTOR, "known", known_frames, DEFAULTS)
    bank = banks.storage.load("known")
    key_of = {key: n for n, key in enumerate(bank.video_keys())}
    if len(key_of) != count:
        raise SystemExit("two synthetic videos hashed alike; change the seeds")
    md5s = {md5(path): n for n, path in enumerate(known)}
    rows: dict[str, Any] = {}
    for name in ["copy", *TRANSFORMS]:
        copies = [transform(path, name, folder) for path in known]
        found = [video.matches for video in banks.match_video_files(ACTOR, copies)]
        one_fps = banks.match_videos(ACTOR, [plain_vpdq(p) for p in copies])
        by_md5 = sum(md5s.get(md5(p)) == n for n, p in enumerate(copies))
        shares = [m.video.query_match for ms in found for m in ms if m.video]
        rows[name] = {
            "accord_recall": _recall(found, key_of),
            "vpdq_one_frame_a_second_recall": _recall(one_fps, key_of),
            "md5_recall": round(by_md5 / count, 3),
            "median_query_match": _median(shares),
        }
    stranger_videos = banks.match_video_files(ACTOR, strangers)
    stranger_found = [video.matches for video in stranger_videos]
    return {
        "videos": count,
        "seconds_each": SECONDS,
        "transforms": rows,
        "unrelated_videos_matched": sum(1 for ms in stranger_found if ms),
        "unrelated_videos": count,
        "plain_vpdq_hasher": plain_vpdq_hasher(),
        "hash_video_seconds_per_second": round(count * SECONDS / hash_seconds, 1),
    }


def plain_vpdq(path: Path) -> list[str]:
    """A query as python-threatexchange takes it: vPDQ one frame a second,
    nothing more; by Meta's vpdq where it is installed."""
    try:
        vpdq = importlib.import_module("vpdq")
    except ImportError:
        return distinct_frames(hash_video_file(path))
    features = vpdq.computeHash(str(path), seconds_per_hash=1.0)
    return distinct_frames(
        [VideoFrame(str(f.hex), int(f.quality), float(f.timestamp)) for f in features]
    )


def plain_vpdq_hasher() -> str:
    try:
        module = importlib.import_module("vpdq")
    except ImportError:
        return "accord one frame a second (vpdq not installed)"
    return f"vpdq {getattr(module, '__version__', 'installed')}"


def _recall(found: list[list[BankMatch]], key_of: dict[str, int]) -> float:
    """Share of copies whose own source video is among their matches."""
    right = sum(
        any(key_of[m.key] == n for m in matches) for n, matches in enumerate(found)
    )
    return round(right / len(found), 3)


def _median(values: list[float]) -> float | None:
    return round(float(np.median(values)), 3) if values else None


def flipped(rng: np.random.Generator, lanes: np.ndarray, most: int) -> np.ndarray:
    out = lanes.copy()
    for row in range(len(out)):
        for bit in rng.choice(256, int(rng.integers(0, most + 1)), replace=False):
            out[row, bit // 64] ^= np.uint64(1) << np.uint64(63 - bit % 64)
    return out


def lookups(bank_videos: int, queries: int, frames: int = 30) -> dict[str, Any]:
    """Video lookups/s through the matcher, against a linear frame scan."""
    rng = np.random.default_rng(5)
    lanes = rng.integers(0, 2**63, size=(bank_videos * frames, 4), dtype=np.uint64)
    config = BankConfig("speed", BankKind.VPDQ, 31.0)
    bank = Bank.empty(config)
    videos = np.repeat(np.arange(bank_videos, dtype=np.int32), frames)
    bank.add(lanes, [PROVENANCE] * len(lanes), videos)
    planted = rng.choice(bank_videos, queries // 2, replace=False)
    near = [flipped(rng, lanes[v * frames : (v + 1) * frames], 16) for v in planted]
    fresh = [
        rng.integers(0, 2**63, size=(frames, 4), dtype=np.uint64)
        for _ in range(queries - len(near))
    ]
    query_videos = [as_seconds(lanes_to_hex(q)) for q in [*near, *fresh]]
    matcher = BankMatcher([bank], utc_now())
    bank.pdq_index()
    elapsed, found = _timed(lambda: matcher.match_videos(query_videos))
    keys = bank.video_keys()
    recall = sum(
        any(m.key == keys[int(v)] for m in found[n]) for n, v in enumerate(planted)
    ) / len(planted)
    false = sum(1 for ms in found[len(near) :] if ms)
    sample = hex_to_lanes([h for q in query_videos[:8] for s in q for h in s])
    scan_seconds, scanned = _timed(lambda: linear_scan(bank.rows, sample, 31))
    indexed = bank.search_pdq(sample)
    same = sorted(
        zip(scanned.query.tolist(), scanned.row.tolist(), strict=True)
    ) == sorted(zip(indexed.query.tolist(), indexed.row.tolist(), strict=True))
    return {
        "bank_videos": bank_videos,
        "bank_frames": len(lanes),
        "query_videos": queries,
        "frames_per_video": frames,
        "video_lookups_per_s": round(queries / elapsed, 1),
        "frame_lookups_per_s": round(queries * frames / elapsed, 1),
        "linear_scan_video_lookups_per_s": round(8 / scan_seconds, 2),
        "planted_recall": round(recall, 4),
        "unrelated_matched": false,
        "same_frame_hits_as_linear_scan": same,
    }


def _timed(step: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = step()
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=30)
    parser.add_argument("--bank-videos", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        quality = robustness(args.videos, Path(folder))
    report = {
        "benchmark": "monitoring_video",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "robustness": quality,
        "lookups": lookups(args.bank_videos, args.queries),
        "load_average_at_end": os.getloadavg(),
    }
    text = json.dumps(report, indent=2)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
