"""An in-memory audit log for bank tests that need no store."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from accord.store import Actor
from accord.store.audit import AuditAction

ACTOR = Actor("ana", "alpha")


@dataclass(frozen=True, slots=True)
class Entry:
    actor: Actor
    action: AuditAction
    target: str
    detail: dict[str, Any]


@dataclass
class AuditTrail:
    """Collects what ``HashBanks`` would write to the store's audit log."""

    entries: list[Entry] = field(default_factory=list)

    def __call__(
        self,
        actor: Actor,
        action: AuditAction,
        target: str,
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        self.entries.append(Entry(actor, action, target, dict(detail or {})))
