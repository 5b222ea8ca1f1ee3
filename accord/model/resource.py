"""What a detector consulted beyond the entities it was given."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ResourceRead:
    """A resource a detector consulted (a hash bank, say), for the audit
    log: an audit action, its target and counts, never contents. Detectors
    do no I/O, so they report these and the runner records them with the
    run, in the same transaction."""

    action: str
    target: str
    counts: Mapping[str, int]
