"""The travel package's public surface and its reader manifest."""

from __future__ import annotations

import accord.travel
from accord.readers.base import Reader
from accord.travel.plugin import PLUGIN


def test_exports_are_sorted_and_importable() -> None:
    assert accord.travel.__all__ == sorted(accord.travel.__all__)
    for name in accord.travel.__all__:
        assert getattr(accord.travel, name) is not None


def test_manifest_lists_both_readers() -> None:
    assert PLUGIN.name == "accord.travel"
    assert [reader.NAME for reader in PLUGIN.readers] == ["paxlst", "pnrgov"]
    assert all(issubclass(reader, Reader) for reader in PLUGIN.readers)
