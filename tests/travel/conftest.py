"""The shared travel data as a fixture that skips, saying where it looked."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.travel.support import SHARED


@pytest.fixture
def shared_travel() -> Path:
    """The full travel data, or a skip that says where it was looked for."""
    if not SHARED.is_dir():
        pytest.skip(f"shared travel data not found at {SHARED}")
    return SHARED
