"""What a partner sent, before it is stored: entities with per-value markings.

Every format reader (STIX, MISP, FtM) produces ``Received``; the importer
stores it one dataset per marking. Markings are normalised for the
recipient here, once:

* TLP:RED is refused: it is for named people, not for a shared store, and
  accord never releases it either;
* AMBER, AMBER+STRICT and restricted GREEN gain the recipient in their
  releasability (the sender released them to us, so we may read them);
* a value with no marking at all is kept as AMBER+STRICT for the recipient
  alone: readable here, never passed on (fail closed).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from followthemoney import model
from followthemoney.property import Property
from followthemoney.schema import Schema

from accord.errors import ReaderError
from accord.model.marking import Marking, Tlp
from accord.sharing.release import ReleasedEntity, ReleasedValue

MAX_LANG = 16


@dataclass
class Received:
    """Entities read from a bundle, and what was left out and why."""

    entities: list[ReleasedEntity] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)

    def value_count(self) -> int:
        return sum(len(e.values) for e in self.entities)


def for_recipient(marking: Marking | None, recipient: str | None) -> Marking | None:
    """The marking a received value is stored under, or None to refuse it.

    ``recipient=None`` is a local file ingest (``accord ingest --format
    stix21``): the dataset's own marking governs there, so every value is
    kept and its marking in the file is only informative.
    """
    if recipient is None:
        return marking or Marking(Tlp.RED)
    if marking is None:
        return Marking(Tlp.AMBER_STRICT, frozenset({recipient}))
    if marking.tlp is Tlp.RED:
        return None
    restricted = marking.tlp in (Tlp.AMBER, Tlp.AMBER_STRICT) or (
        marking.tlp is Tlp.GREEN and marking.releasable_to
    )
    if restricted:
        return Marking(marking.tlp, marking.releasable_to | {recipient})
    return marking


@dataclass
class EntityBuilder:
    """Checks and cleans one entity's values against its FtM schema."""

    source: str
    position: str
    schema: Schema
    entity_id: str
    values: list[ReleasedValue] = field(default_factory=list)

    @classmethod
    def start(
        cls, source: str, position: str, schema_name: Any, entity_id: Any
    ) -> EntityBuilder:
        if not isinstance(schema_name, str):
            raise ReaderError(source, position, "missing FtM schema")
        schema = model.get(schema_name)
        if schema is None or schema.abstract:
            raise ReaderError(source, position, f"unknown FtM schema {schema_name!r}")
        if not isinstance(entity_id, str) or not entity_id:
            raise ReaderError(source, position, "missing entity id")
        cleaned = model.get_proxy({"schema": schema.name, "id": entity_id}).id
        if cleaned is None:
            raise ReaderError(source, position, f"invalid entity id {entity_id!r}")
        return cls(source, position, schema, cleaned)

    def prop(self, name: Any) -> Property:
        prop = self.schema.get(name) if isinstance(name, str) else None
        if prop is None or prop.stub:
            reason = f"property {name!r} is not settable on {self.schema.name}"
            raise ReaderError(self.source, self.position, reason)
        return prop

    def add(
        self, name: Any, value: Any, marking: Marking | None, lang: Any = None
    ) -> bool:
        """Add one value; False when the type cannot clean it or RED refused it."""
        prop = self.prop(name)
        if not isinstance(value, str):
            reason = f"value of {name!r} must be a string"
            raise ReaderError(self.source, self.position, reason)
        cleaned = prop.type.clean(value, proxy=None)
        if cleaned is None or marking is None:
            return False
        code = lang if isinstance(lang, str) and 0 < len(lang) <= MAX_LANG else None
        self.values.append(ReleasedValue(prop.name, cleaned, marking, "", "", code))
        return True

    def build(self) -> ReleasedEntity | None:
        if not self.values:
            return None
        return ReleasedEntity(self.entity_id, self.schema.name, tuple(self.values))
