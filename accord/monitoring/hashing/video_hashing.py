"""Hashing video files: vPDQ, decoded with PyAV and hashed with pdqhash.

vPDQ is PDQ of one decoded frame every ``seconds_per_hash`` seconds. Meta's
``vpdq`` package computes it, but it only builds from source against
FFmpeg's system development libraries, so it cannot be a plain dependency;
PyAV ships FFmpeg inside its wheels. This module therefore does the two
steps itself, with those two libraries: PyAV decodes the frames, and
``pdqhash`` (the same C++ PDQ vpdq wraps) hashes them. On the test videos
the hashes are bit for bit those of vpdq 0.2.5 (``tests/fixtures/monitoring/
hashing/*.vpdq.txt``), so banks hashed here and vPDQ files from partners
match each other.

Doing the steps ourselves also lets a *query* be hashed more robustly than
vpdq can: four frames a second (a clip cut off the one-second grid still
lands a frame near every bank frame), each frame also mirrored (re-uploads
are often flipped, and PDQ is not flip-invariant), and, where a frame has
black bars, also with the bars cropped (letterboxing changes every frame's
PDQ). Bank videos are hashed plainly, one frame a second, the form partners
exchange.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import av
import av.error
import numpy as np
import numpy.typing as npt

from accord.errors import InvalidData, SourceError
from accord.monitoring.hashing.pdq import MIN_QUALITY, hash_pixels
from accord.monitoring.hashing.video import (
    SECONDS_PER_HASH,
    QuerySeconds,
    VideoFrame,
    query_seconds,
)

QUERY_SECONDS_PER_HASH = 0.25
BLACK = 24
"""Brightest mean luminance (0-255) of a line of a letterbox bar."""
LEAST_BAR_SHARE = 0.04
"""Bars narrower than this share of the frame are left alone."""

Pixels = npt.NDArray[np.uint8]


def decoded_frames(
    path: Path, seconds_per_hash: float
) -> Iterator[tuple[float, Pixels]]:
    """(timestamp, RGB pixels) of one frame every ``seconds_per_hash``
    seconds: the first frame at or after each step, as vpdq takes them."""
    if not path.is_file():
        raise SourceError(f"{path}: no such video file")
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise SourceError(f"{path}: not a readable video (no video stream)")
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            next_at = 0.0
            for frame in container.decode(stream):
                moment = float(frame.time or 0.0)
                if moment + 1e-6 < next_at:
                    continue
                while next_at <= moment + 1e-6:
                    next_at += seconds_per_hash
                yield moment, np.asarray(frame.to_ndarray(format="rgb24"), np.uint8)
    except (av.error.FFmpegError, OSError) as exc:
        raise SourceError(f"{path}: not a readable video ({exc})") from exc


def hash_video_file(
    path: Path, *, seconds_per_hash: float = SECONDS_PER_HASH
) -> list[VideoFrame]:
    """vPDQ of a video file: one frame every ``seconds_per_hash`` seconds."""
    frames = []
    for moment, pixels in decoded_frames(path, seconds_per_hash):
        found = hash_pixels(pixels)
        frames.append(VideoFrame(found.hex, found.quality, moment))
    if not frames:
        raise SourceError(f"{path}: not a readable video (no frames decoded)")
    return frames


def hash_video_query(path: Path) -> QuerySeconds:
    """A video file hashed for matching: four frames a second, each as it
    is, mirrored and with black bars cropped, grouped by second."""
    frames = [
        VideoFrame(found.hex, found.quality, moment)
        for moment, pixels in decoded_frames(path, QUERY_SECONDS_PER_HASH)
        for found in map(hash_pixels, frame_variants(pixels))
    ]
    if not frames:
        raise SourceError(f"{path}: not a readable video (no frames decoded)")
    kept = query_seconds(frames)
    if not kept:
        raise InvalidData(
            f"{path}: no frame has PDQ quality {MIN_QUALITY} or more; "
            "the video is too flat to match reliably"
        )
    return kept


def frame_variants(pixels: Pixels) -> list[Pixels]:
    """The frame, mirrored, and (if it has black bars) both cropped."""
    variants = [pixels]
    box = content_box(pixels)
    if box is not None:
        top, bottom, left, right = box
        variants.append(pixels[top:bottom, left:right])
    return [
        np.ascontiguousarray(view)
        for variant in variants
        for view in (variant, variant[:, ::-1])
    ]


def content_box(pixels: Pixels) -> tuple[int, int, int, int] | None:
    """(top, bottom, left, right) of the picture inside black bars, or None
    when there are no bars worth cropping."""
    luminance = pixels.mean(axis=2)
    # Mean brightness per line, not its brightest pixel: compression rings
    # at the edge of a bar, lighting a few pixels of otherwise black lines.
    rows = np.flatnonzero(luminance.mean(axis=1) > BLACK)
    columns = np.flatnonzero(luminance.mean(axis=0) > BLACK)
    if not len(rows) or not len(columns):
        return None
    height, width = luminance.shape
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    left, right = int(columns[0]), int(columns[-1]) + 1
    cropped_rows = (height - (bottom - top)) / height
    cropped_columns = (width - (right - left)) / width
    if max(cropped_rows, cropped_columns) < LEAST_BAR_SHARE:
        return None
    if (bottom - top) < height / 2 or (right - left) < width / 2:
        return None
    return top, bottom, left, right
