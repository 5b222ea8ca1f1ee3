"""Categories: what kind of information an agreement releases.

A category is ``kind:name``:

* ``schema:Person`` releases entities whose FtM schema is ``Person`` or
  extends it, so ``schema:LegalEntity`` covers people, organisations and
  companies (FtM's own ``is_a``);
* ``topic:crime.terror`` releases entities carrying that FtM topic;
* ``detector:shared_identifier`` releases findings of that detector.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from followthemoney import model
from followthemoney.types import registry

from accord.errors import InvalidData


class CategoryKind(StrEnum):
    SCHEMA = "schema"
    TOPIC = "topic"
    DETECTOR = "detector"


@dataclass(frozen=True, slots=True, order=True)
class Category:
    """One ``kind:name`` an agreement releases."""

    kind: CategoryKind
    name: str

    @classmethod
    def parse(cls, text: str) -> Category:
        kind_text, sep, name = text.strip().partition(":")
        try:
            kind = CategoryKind(kind_text.lower())
        except ValueError:
            kind = None
        if not sep or kind is None or not name:
            kinds = ", ".join(k.value for k in CategoryKind)
            raise InvalidData(
                f"invalid category {text!r}: write kind:name with kind one of {kinds}",
                {"category": "not kind:name"},
            )
        cls._check(kind, name)
        return cls(kind, name)

    @staticmethod
    def _check(kind: CategoryKind, name: str) -> None:
        if kind is CategoryKind.SCHEMA and model.get(name) is None:
            raise InvalidData(f"unknown FtM schema {name!r}", {"category": "schema"})
        if kind is CategoryKind.TOPIC and name not in registry.topic.names:
            raise InvalidData(f"unknown FtM topic {name!r}", {"category": "topic"})

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.name}"


def entity_category(
    categories: Iterable[Category], schema: str, topics: Iterable[str]
) -> Category | None:
    """The first category (in sorted order) that covers an entity, if any."""
    entity_schema = model.get(schema)
    topic_set = set(topics)
    for category in sorted(categories):
        if (
            category.kind is CategoryKind.SCHEMA
            and entity_schema is not None
            and entity_schema.is_a(category.name)
        ):
            return category
        if category.kind is CategoryKind.TOPIC and category.name in topic_set:
            return category
    return None


def finding_category(categories: Iterable[Category], detector: str) -> Category | None:
    """The category that covers a finding of ``detector``, if any."""
    wanted = Category(CategoryKind.DETECTOR, detector)
    return wanted if wanted in set(categories) else None
