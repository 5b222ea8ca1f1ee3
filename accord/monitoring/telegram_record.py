"""One Telegram Desktop message record -> a ``Post``.

The record layout follows Telegram Desktop's JSON serializer
(``export_output_json.cpp``): ``text`` is a string or an array mixing
strings and ``{type, text, href?}`` objects, ``text_entities`` is always
such an array, dates are local time without a zone (so ``date_unixtime`` is
preferred), senders are peer strings (``user123``, ``channel123``), and a
forward carries only the source's name in ``forwarded_from`` (newer
versions add ``forwarded_from_id``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from accord.monitoring.entities import Post, short_hash
from accord.monitoring.text import URL

SERVICE = "Telegram"
# Chat types whose peer is a channel (supergroups are channels internally).
CHANNEL_TYPES = {
    "public_channel",
    "private_channel",
    "public_supergroup",
    "private_supergroup",
}
USER_TYPES = {"personal_chat", "bot_chat", "saved_messages", "replies"}
MEDIA_FIELDS = (
    "photo",
    "file",
    "media_type",
    "mime_type",
    "sticker_emoji",
    "poll",
    "location_information",
    "contact_information",
)


class RecordError(ValueError):
    """A record that breaks the export format; the reader adds the position."""


@dataclass(frozen=True, slots=True)
class Chat:
    """The chat a message belongs to, from the fields before ``messages``."""

    peer: str
    name: str
    type: str

    @property
    def entity_id(self) -> str:
        return account_id(self.peer)


def chat_peer(chat_id: Any, chat_type: str) -> str:
    if isinstance(chat_id, bool) or not isinstance(chat_id, int | str):
        raise RecordError(f"chat id must be a number, not {chat_id!r}")
    if chat_type in CHANNEL_TYPES:
        return f"channel{chat_id}"
    if chat_type in USER_TYPES:
        return f"user{chat_id}"
    return f"chat{chat_id}"


def account_id(peer: str) -> str:
    return f"telegram-{peer}"


def name_account_id(name: str) -> str:
    """Forwards from old exports name the source but give no id."""
    return f"telegram-name-{short_hash(name)}"


def record_date(record: dict[str, Any]) -> str | None:
    unix = record.get("date_unixtime")
    if unix is not None:
        try:
            return datetime.fromtimestamp(int(unix), tz=UTC).isoformat()
        except (TypeError, ValueError, OverflowError) as exc:
            raise RecordError(f"date_unixtime {unix!r} is not a Unix time") from exc
    date = record.get("date")
    if date is not None and not isinstance(date, str):
        raise RecordError(f"date {date!r} is not a string")
    return date


def text_parts(value: Any) -> list[dict[str, Any]]:
    """``text`` or ``text_entities`` as a list of typed parts."""
    if value is None:
        return []
    if isinstance(value, str):
        return [{"type": "plain", "text": value}]
    if not isinstance(value, list):
        raise RecordError(
            f"text must be a string or an array, not {type(value).__name__}"
        )
    parts: list[dict[str, Any]] = []
    for part in value:
        if isinstance(part, str):
            parts.append({"type": "plain", "text": part})
        elif isinstance(part, dict) and isinstance(part.get("text", ""), str):
            parts.append(part)
        else:
            raise RecordError(f"text part {part!r} is neither a string nor an entity")
    return parts


def outlinks(parts: list[dict[str, Any]], text: str) -> list[str]:
    """URLs from ``link`` and ``text_link`` entities, and bare URLs in plain
    strings (older exports and hand-written files do not mark them)."""
    links: list[str] = []
    for part in parts:
        if part.get("type") == "text_link" and isinstance(part.get("href"), str):
            links.append(part["href"])
        elif part.get("type") == "link":
            links.append(part.get("text", ""))
    links.extend(match.group(0) for match in URL.finditer(text))
    return list(dict.fromkeys(link for link in links if link))


def button_links(record: dict[str, Any]) -> list[str]:
    rows = record.get("inline_bot_buttons") or []
    found: list[str] = []
    if isinstance(rows, list):
        for row in rows:
            for button in row if isinstance(row, list) else []:
                if isinstance(button, dict) and isinstance(button.get("data"), str):
                    data = button["data"]
                    if data.startswith(("http://", "https://", "tg://")):
                        found.append(data)
    return found


def typed(parts: list[dict[str, Any]], kind: str) -> list[str]:
    return list(
        dict.fromkeys(p.get("text", "") for p in parts if p.get("type") == kind)
    )


def metadata(
    record: dict[str, Any], chat: Chat, parts: list[dict[str, Any]], text: str
) -> dict[str, Any]:
    meta: dict[str, Any] = {"platform": "telegram", "chat_type": chat.type}
    links = outlinks(parts, text) + button_links(record)
    optional = {
        "links": list(dict.fromkeys(links)),
        "hashtags": typed(parts, "hashtag"),
        "mentions": typed(parts, "mention"),
        "forwarded_from": record.get("forwarded_from"),
        "saved_from": record.get("saved_from"),
        "via_bot": record.get("via_bot"),
        "service_action": record.get("action"),
        "edited": record.get("edited"),
    }
    media = {key: record[key] for key in MEDIA_FIELDS if key in record}
    if media:
        optional["media"] = media
    meta.update({key: value for key, value in optional.items() if value})
    return meta


def sender_peer(record: dict[str, Any]) -> tuple[str | None, str | None]:
    """Who sent it: ``from``/``from_id``, or ``actor``/``actor_id`` for
    service messages."""
    peer = record.get("from_id", record.get("actor_id"))
    name = record.get("from", record.get("actor"))
    if peer is not None and not isinstance(peer, str):
        raise RecordError(f"from_id {peer!r} is not a peer string")
    return peer, name if isinstance(name, str) else None


def post_of(record: dict[str, Any], chat: Chat) -> Post:
    """The ``Post`` a message or service record describes."""
    number = record.get("id")
    if isinstance(number, bool) or not isinstance(number, int):
        raise RecordError(f"message id must be an integer, not {number!r}")
    kind = record.get("type", "message")
    parts = text_parts(record.get("text_entities", record.get("text")))
    text = "".join(part.get("text", "") for part in parts)
    peer, _ = sender_peer(record)
    reply = record.get("reply_to_message_id")
    if reply is not None and (isinstance(reply, bool) or not isinstance(reply, int)):
        raise RecordError(f"reply_to_message_id {reply!r} is not an integer")
    entity_id = f"{chat.entity_id}-msg-{number}"
    return Post(
        entity_id=entity_id,
        message_id=str(number),
        text=text,
        channel_id=chat.entity_id,
        channel_name=chat.name,
        author_id=account_id(peer) if peer else None,
        date=record_date(record),
        reply_to_entity=f"{chat.entity_id}-msg-{reply}" if reply is not None else None,
        reply_to_id=str(reply) if reply is not None else None,
        summary=f"service: {record.get('action')}" if kind == "service" else None,
        metadata=metadata(record, chat, parts, text),
    )
