"""PDQ hashing of real images, and the hex and lane forms of hashes."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import InvalidData, SourceError
from accord.monitoring.hashing.pdq import (
    dihedral_hashes,
    hash_image_file,
    hash_pixels,
    hex_to_lanes,
    lanes_to_hex,
    load_rgb,
    normalize_hex,
)


def distance(a: str, b: str) -> int:
    return int(np.bitwise_count(hex_to_lanes([a]) ^ hex_to_lanes([b])).sum())


def reference(fixture_dir: Path) -> str:
    with (fixture_dir / "bridge_reference_pdq.csv").open() as handle:
        return next(csv.DictReader(handle))["pdq_hex"]


@pytest.mark.parametrize(
    ("name", "most"),
    [("bridge-shrink-a-lot.jpg", 16), ("bridge-square-128x128.jpg", 20)],
)
def test_edited_copies_stay_close_to_the_reference(
    fixture_dir: Path, name: str, most: int
) -> None:
    result = hash_image_file(fixture_dir / name)
    assert result.quality >= 80
    assert distance(result.hex, reference(fixture_dir)) <= most


def test_unrelated_photo_is_far(fixture_dir: Path) -> None:
    result = hash_image_file(fixture_dir / "labelme-q0122.jpg")
    assert distance(result.hex, reference(fixture_dir)) > 90


def test_low_quality_image_is_refused(fixture_dir: Path) -> None:
    path = fixture_dir / "labelme-q0003-low-quality.jpg"
    assert hash_pixels(load_rgb(path)).quality < 50
    with pytest.raises(InvalidData, match="quality"):
        hash_image_file(path)


def test_not_an_image(tmp_path: Path) -> None:
    path = tmp_path / "x.jpg"
    path.write_text("not an image")
    with pytest.raises(SourceError, match=r"x\.jpg"):
        hash_image_file(path)


def test_dihedral_hashes_include_the_plain_hash(fixture_dir: Path) -> None:
    pixels = load_rgb(fixture_dir / "bridge-shrink-a-lot.jpg")
    variants = dihedral_hashes(pixels)
    assert len(variants) == 8
    assert distance(variants[0].hex, hash_pixels(pixels).hex) == 0
    assert len({v.hex for v in variants}) == 8


def test_rotated_image_matches_through_a_dihedral_variant(fixture_dir: Path) -> None:
    pixels = load_rgb(fixture_dir / "bridge-shrink-a-lot.jpg")
    rotated = np.ascontiguousarray(np.rot90(pixels))
    plain = hash_pixels(pixels).hex
    assert distance(hash_pixels(rotated).hex, plain) > 31
    assert min(distance(v.hex, plain) for v in dihedral_hashes(rotated)) <= 31


@settings(deadline=None)
@given(st.binary(min_size=32, max_size=32))
def test_hex_lane_round_trip(raw: bytes) -> None:
    text = raw.hex()
    lanes = hex_to_lanes([text.upper()])
    assert lanes.shape == (1, 4)
    assert lanes_to_hex(lanes) == [text]


@pytest.mark.parametrize("bad", ["", "abc", "g" * 64, "0" * 63, "0" * 65])
def test_bad_hex_is_refused(bad: str) -> None:
    with pytest.raises(InvalidData):
        normalize_hex(bad)


def test_lane_order_is_most_significant_first() -> None:
    lanes = hex_to_lanes(["8" + "0" * 63])
    assert int(lanes[0, 0]) == 1 << 63
    assert lanes[0, 1:].tolist() == [0, 0, 0]


@pytest.mark.shared_data
def test_dihedral_reference_images_agree_with_cpp(shared_pdq: Path) -> None:
    """Upstream's correctness rule: quality >= 80 and within 10 bits of C++."""
    with (shared_pdq / "expected_cpp_reference_dih.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 8
    for row in rows:
        result = hash_image_file(shared_pdq / row["file"])
        assert result.quality >= 80
        assert distance(result.hex, row["pdq_hex"]) <= 10, row["file"]
