"""A read-only view of stored ``Message`` entities for the detectors.

Detectors receive whatever entities the runner loaded; this picks out the
posts and the values every detector needs, in one place, so no detector
re-implements how a post is stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from followthemoney import StatementEntity


@dataclass(frozen=True, slots=True)
class PostView:
    entity_id: str
    text: str
    message_id: str
    channel: str
    channel_id: str
    author_id: str
    date: str

    def label(self) -> str:
        """How a finding names the post: message number and channel."""
        return f"message {self.message_id or self.entity_id} in {self.channel or 'unknown channel'}"


def first(entity: StatementEntity, prop: str) -> str:
    values = entity.get(prop, quiet=True)
    return values[0] if values else ""


def iter_posts(entities: Sequence[StatementEntity]) -> Iterator[PostView]:
    """Every ``Message`` with text, in the order given."""
    for entity in entities:
        if entity.id is None or not entity.schema.is_a("Message"):
            continue
        text = "\n".join(entity.get("bodyText", quiet=True))
        if not text.strip():
            continue
        yield PostView(
            entity_id=entity.id,
            text=text,
            message_id=first(entity, "messageId"),
            channel=first(entity, "publisher"),
            channel_id=first(entity, "recipientAccount"),
            author_id=first(entity, "senderAccount"),
            date=first(entity, "date"),
        )


def metadata_of(entity: StatementEntity) -> dict[str, Any]:
    """The reader's JSON metadata of a message (links, media, forwards)."""
    for value in entity.get("metadata", quiet=True):
        try:
            data = json.loads(value)
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict):
            return data
    return {}
