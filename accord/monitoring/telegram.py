"""Telegram Desktop JSON exports (``result.json``), read as a stream.

Real exports reach hundreds of megabytes in one JSON document, so the file
is parsed with ijson's event stream and only one message is ever built in
memory. Both root shapes are read: a single chat (``{name, type, id,
messages}``) and a full account export (``{about, chats: {list: [...]},
left_chats: {list: [...]}}``). Telegram Desktop writes a chat's ``name``,
``type`` and ``id`` before its ``messages``; a chat whose messages come
before its id cannot be attributed while streaming and is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import ijson  # type: ignore[import-untyped]  # ijson ships no type hints
from followthemoney import EntityProxy

from accord.errors import ReaderError, SourceError
from accord.monitoring.entities import account, forward_link, with_payments
from accord.monitoring.hashing.media import (
    PDQ_KEY,
    VPDQ_KEY,
    hash_media_file,
    hash_video_media,
)
from accord.monitoring.telegram_record import (
    SERVICE,
    Chat,
    RecordError,
    account_id,
    chat_peer,
    name_account_id,
    post_of,
    sender_peer,
)
from accord.readers.base import Reader

CHAT_LISTS = ("chats.list.item", "left_chats.list.item")
CHAT_FIELDS = ("name", "type", "id")
MESSAGES = "messages.item"
VIDEO_MEDIA = frozenset({"video_file", "animation", "video_message"})


@dataclass
class _ChatState:
    """What is known of the chat being read, and where we are in the file."""

    fields: dict[str, Any] = field(default_factory=dict)
    chat: Chat | None = None
    number: int = 0


class TelegramExportReader(Reader):
    """Messages, senders, forwards and payment details of Telegram chats."""

    NAME: ClassVar[str] = "telegram"
    TITLE: ClassVar[str] = (
        "Telegram Desktop export (result.json), one chat or a full account"
    )

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._emitted: set[str] = set()
        self._messages = 0

    def read(self) -> Iterator[EntityProxy]:
        """Yield the entities of every message, one message at a time."""
        try:
            with self.path.open("rb") as handle:
                yield from self._read_events(ijson.parse(handle, use_float=True))
        except OSError as exc:
            raise SourceError(f"{self.path}: cannot read the file: {exc}") from exc
        except ijson.JSONError as exc:
            reason = f"invalid JSON: {exc}".splitlines()[0]
            raise ReaderError(self.path, self._position(), reason) from exc
        if self._messages == 0 and not self._emitted:
            raise ReaderError(
                self.path, "root", "not a Telegram export: no chats or messages found"
            )

    def _position(self) -> str:
        return f"after message record {self._messages}"

    def _read_events(
        self, events: Iterator[tuple[str, str, Any]]
    ) -> Iterator[EntityProxy]:
        state = _ChatState()
        for prefix, event, value in events:
            if prefix == "" and event not in {"start_map", "end_map", "map_key"}:
                raise ReaderError(self.path, "root", "the export must be a JSON object")
            if event == "start_map" and prefix.endswith(MESSAGES):
                self._messages += 1
                record = self._build(prefix, value, events)
                yield from self._message(state, prefix, record)
            elif event == "start_map" and prefix in CHAT_LISTS:
                state = _ChatState(number=state.number + 1)
            elif event == "end_map" and prefix in ("", *CHAT_LISTS):
                yield from self._chat_account(state)
            elif event in {"string", "number"}:
                self._chat_field(state, prefix, value)

    def _chat_field(self, state: _ChatState, prefix: str, value: Any) -> None:
        head, _, name = prefix.rpartition(".")
        if name in CHAT_FIELDS and (head in CHAT_LISTS or prefix == name):
            state.fields[name] = value

    def _build(
        self, prefix: str, value: Any, events: Iterator[tuple[str, str, Any]]
    ) -> Any:
        """The whole message object that starts at this event."""
        builder = ijson.ObjectBuilder()
        builder.event("start_map", value)
        for inner_prefix, event, inner in events:
            builder.event(event, inner)
            if event == "end_map" and inner_prefix == prefix:
                break
        return builder.value

    def _message(
        self, state: _ChatState, prefix: str, record: Any
    ) -> Iterator[EntityProxy]:
        try:
            chat = self._chat(state)
            yield from self._chat_account(state)
            if not isinstance(record, dict):
                raise RecordError("a message must be a JSON object")
            if record.get("type") == "unsupported":
                return
            yield from self._record_entities(record, chat)
        except RecordError as exc:
            position = f"message record {self._messages} (id {_record_id(record)})"
            raise ReaderError(self.path, position, str(exc)) from exc

    def _chat(self, state: _ChatState) -> Chat:
        if state.chat is None:
            if "id" not in state.fields:
                raise RecordError("the chat's id must come before its messages")
            chat_type = str(state.fields.get("type", "unknown"))
            peer = chat_peer(state.fields["id"], chat_type)
            name = str(state.fields.get("name") or peer)
            state.chat = Chat(peer, name, chat_type)
        return state.chat

    def _chat_account(self, state: _ChatState) -> Iterator[EntityProxy]:
        if state.chat is None and "id" in state.fields:
            try:
                self._chat(state)
            except RecordError as exc:
                raise ReaderError(self.path, f"chat {state.number}", str(exc)) from exc
        chat = state.chat
        if chat is not None and chat.entity_id not in self._emitted:
            self._emitted.add(chat.entity_id)
            yield account(
                chat.entity_id, chat.name, SERVICE, notes=f"chat type: {chat.type}"
            )

    def _record_entities(
        self, record: dict[str, Any], chat: Chat
    ) -> Iterator[EntityProxy]:
        post = post_of(record, chat)
        hashes = self._media_pdq(record)
        if hashes:
            post.metadata[PDQ_KEY] = hashes
        frames = self._media_vpdq(record)
        if frames:
            post.metadata[VPDQ_KEY] = [frames]
        peer, name = sender_peer(record)
        if peer and account_id(peer) not in self._emitted:
            self._emitted.add(account_id(peer))
            yield account(account_id(peer), name, SERVICE)
        for entity in with_payments(post):
            if entity.schema.name in {"CryptoWallet", "BankAccount"}:
                if entity.id in self._emitted:
                    continue
                self._emitted.add(str(entity.id))
            yield entity
        yield from self._forward(record, post.entity_id, post.date)

    def _media_pdq(self, record: dict[str, Any]) -> list[str]:
        """PDQ of the message's photo when the export includes the file, so
        the known-content banks can match it."""
        relative = record.get("photo")
        if not isinstance(relative, str) and str(
            record.get("mime_type", "")
        ).startswith("image/"):
            relative = record.get("file")
        target = self._exported_file(relative)
        result = hash_media_file(target) if target else None
        return [result.hex] if result is not None else []

    def _media_vpdq(self, record: dict[str, Any]) -> list[list[str]]:
        """vPDQ frames of the message's video (a video file, an animation or
        a round video message) when the export includes it."""
        is_video = record.get("media_type") in VIDEO_MEDIA or str(
            record.get("mime_type", "")
        ).startswith("video/")
        target = self._exported_file(record.get("file")) if is_video else None
        return (hash_video_media(target) or []) if target else []

    def _exported_file(self, relative: Any) -> Path | None:
        """The media file a record names, if it lies inside the export
        folder: a crafted export must not make us open other files."""
        if not isinstance(relative, str) or not relative:
            return None
        root = self.path.parent.resolve()
        target = (root / relative).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            return None
        return target

    def _forward(
        self, record: dict[str, Any], message_id: str, date: str | None
    ) -> Iterator[EntityProxy]:
        source = record.get("forwarded_from")
        if not source:
            return
        if not isinstance(source, str):
            raise RecordError(f"forwarded_from {source!r} is not a name")
        source_peer = record.get("forwarded_from_id")
        source_id = (
            account_id(source_peer)
            if isinstance(source_peer, str)
            else name_account_id(source)
        )
        if source_id not in self._emitted:
            self._emitted.add(source_id)
            yield account(source_id, source, SERVICE)
        yield forward_link(message_id, source_id, date)


def _record_id(record: Any) -> Any:
    return record.get("id") if isinstance(record, dict) else None
