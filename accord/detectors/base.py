"""The detector seam: entities in, findings out, no I/O.

Detectors never touch the store, the network or files. The runner reads
entities, calls ``detect`` and stores what comes back, which keeps detectors
testable on plain lists and lets the same class run inside a bulk job.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import ClassVar, Self

from followthemoney import StatementEntity

from accord.model.finding import Finding
from accord.model.resource import ResourceRead
from accord.settings import Settings


class Detector(ABC):
    """Finds something worth an analyst's attention in a set of entities.

    ``NAME`` is stable lower snake_case (it keys findings and the CLI's
    ``--detector``); ``TITLE`` is one line for listings. Findings returned
    need no marking or datasets: the runner derives both from the entities
    the finding names, so a detector cannot get a marking wrong.
    """

    NAME: ClassVar[str]
    TITLE: ClassVar[str]

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """The detector as a run builds it. Detectors that need configuration
        (a workspace path, say) override this; settings are passed down, never
        read from globals."""
        return cls()

    @abstractmethod
    def detect(self, entities: Sequence[StatementEntity]) -> list[Finding]:
        """Return findings about ``entities``; must not mutate them."""

    def reads(self) -> list[ResourceRead]:
        """What the last ``detect`` consulted outside its entities; most
        detectors consult nothing."""
        return []
