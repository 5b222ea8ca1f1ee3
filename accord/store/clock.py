"""Timestamps as the store keeps them: ISO 8601, UTC, microseconds."""

from __future__ import annotations

from datetime import UTC, datetime


def now_iso() -> str:
    """The current UTC time as a fixed-width ISO 8601 string.

    Fixed width (always microseconds) makes string order equal time order,
    which the store relies on when it compares ``last_seen`` values.
    """
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
