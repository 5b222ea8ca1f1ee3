"""TLP 2.0 markings and releasability: who may read a value.

A marking sits on a dataset, and every statement of the dataset carries it.
The rules here are the only place that decides whether an agency may read a
dataset's values; the store, the API and sharing all ask ``may_read``. Every
rule fails closed: anything not explicitly released is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from accord.errors import InvalidData


class Tlp(StrEnum):
    """The five TLP 2.0 levels, in increasing strictness."""

    CLEAR = "clear"
    GREEN = "green"
    AMBER = "amber"
    AMBER_STRICT = "amber+strict"
    RED = "red"

    @property
    def rank(self) -> int:
        """Strictness: a higher rank releases to fewer readers."""
        return list(Tlp).index(self)

    @property
    def label(self) -> str:
        """The TLP 2.0 wire label, e.g. ``TLP:AMBER+STRICT``."""
        return f"TLP:{self.value.upper()}"

    @classmethod
    def parse(cls, text: str) -> Tlp:
        """Accept ``amber``, ``AMBER``, ``TLP:AMBER``, ``amber_strict`` and so on."""
        cleaned = text.strip().lower().removeprefix("tlp:").replace("_", "+")
        try:
            return cls(cleaned)
        except ValueError:
            choices = ", ".join(t.value for t in cls)
            raise InvalidData(
                f"unknown TLP level {text!r}; use one of {choices}"
            ) from None


@dataclass(frozen=True, slots=True)
class Marking:
    """A TLP level plus the partner agencies a dataset is released to.

    ``releasable_to`` widens AMBER and AMBER+STRICT beyond the owner, and
    narrows GREEN (normally every agency of the community) to the named
    agencies. CLEAR ignores it. RED may never carry one: RED is for the
    owner's named recipients only, so a list of partners is a contradiction
    and is refused rather than guessed at.
    """

    tlp: Tlp
    releasable_to: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.tlp is Tlp.RED and self.releasable_to:
            raise InvalidData(
                "TLP:RED data cannot carry a releasability list",
                {"releasable_to": "must be empty for TLP:RED"},
            )

    def label(self) -> str:
        """Human form: ``TLP:AMBER rel. to agency-a, agency-b``."""
        if not self.releasable_to:
            return self.tlp.label
        return f"{self.tlp.label} rel. to {', '.join(sorted(self.releasable_to))}"


def may_read(marking: Marking, owner: str, reader: str) -> bool:
    """Whether agency ``reader`` may read values marked ``marking`` owned by ``owner``."""
    if reader == owner:
        return True
    tlp = marking.tlp
    if tlp is Tlp.CLEAR:
        return True
    if tlp is Tlp.GREEN:
        return not marking.releasable_to or reader in marking.releasable_to
    if tlp in (Tlp.AMBER, Tlp.AMBER_STRICT):
        return reader in marking.releasable_to
    return False


def strictest(markings: Iterable[Marking]) -> Marking:
    """The marking of something derived from all of ``markings``.

    The level is the strictest input level, and the releasability is the
    intersection of the inputs that restrict it, so a derived finding is
    never looser than any input. No inputs means nothing is known about the
    data, so the result is RED (fail closed).
    """
    items = list(markings)
    if not items:
        return Marking(Tlp.RED)
    tlp = max((m.tlp for m in items), key=lambda t: t.rank)
    if tlp is Tlp.RED:
        return Marking(Tlp.RED)
    restricting = [m.releasable_to for m in items if _restricts(m)]
    if not restricting:
        return Marking(tlp)
    released = frozenset.intersection(*restricting)
    if tlp in (Tlp.CLEAR, Tlp.GREEN) and not released:
        # Inputs disagree on who may read: only the owner may.
        return Marking(Tlp.AMBER)
    return Marking(tlp, released)


def _restricts(marking: Marking) -> bool:
    """Whether the marking's releasability narrows its readers."""
    if marking.tlp in (Tlp.AMBER, Tlp.AMBER_STRICT):
        return True
    return marking.tlp is Tlp.GREEN and bool(marking.releasable_to)
