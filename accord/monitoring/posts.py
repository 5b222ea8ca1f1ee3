"""Plain post files (CSV or JSON lines) from any platform.

Platforms other than Telegram rarely share an export format, but every
scrape can be written as one row per post with ``id``, ``author``, ``date``
and ``text``. Optional columns: ``channel`` (where it was posted; defaults
to the file's name), ``forwarded_from``, ``reply_to`` and ``url``. Rows
become the same FtM shape as Telegram messages, so every monitoring
detector runs on them unchanged.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from followthemoney import EntityProxy

from accord.errors import ReaderError, SourceError
from accord.monitoring.entities import (
    Post,
    account,
    forward_link,
    short_hash,
    with_payments,
)
from accord.monitoring.text import URL
from accord.readers.base import Reader

REQUIRED = ("id", "author", "date", "text")
SERVICE = "posts"
DATE_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%d/%m/%y %H:%M:%S", "%d/%m/%y")


def parse_date(value: str) -> str | None:
    """ISO 8601, Unix seconds, or day-first dates as scrapers often write."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return datetime.fromtimestamp(int(value), tz=UTC).isoformat()
    try:
        return datetime.fromisoformat(value).isoformat()
    except ValueError:
        pass
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=UTC).isoformat()
        except ValueError:
            continue
    raise ValueError(f"date {value!r} is not ISO 8601, Unix time or day/month/year")


class _PostRows(Reader):
    """Shared row -> entities logic; subclasses only read rows."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._emitted: set[str] = set()

    def rows(self) -> Iterator[tuple[str, dict[str, Any]]]:
        raise NotImplementedError

    def read(self) -> Iterator[EntityProxy]:
        try:
            for position, row in self.rows():
                yield from self._row_entities(position, row)
        except OSError as exc:
            raise SourceError(f"{self.path}: cannot read the file: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise ReaderError(self.path, "file", f"not UTF-8: {exc.reason}") from exc

    def _row_entities(
        self, position: str, row: dict[str, Any]
    ) -> Iterator[EntityProxy]:
        missing = [name for name in REQUIRED if not _text(row.get(name))]
        if missing:
            reason = f"missing or empty column(s): {', '.join(missing)}"
            raise ReaderError(self.path, position, reason)
        try:
            date = parse_date(_text(row["date"]))
        except (ValueError, OverflowError, OSError) as exc:
            raise ReaderError(self.path, position, str(exc)) from exc
        channel = _text(row.get("channel")) or self.path.stem
        channel_id = f"posts-{short_hash(channel)}"
        author = _text(row["author"])
        author_id = f"posts-user-{short_hash(author)}"
        yield from self._once(account(channel_id, channel, SERVICE))
        yield from self._once(account(author_id, author, SERVICE, username=author))
        post = self._post(row, date, channel, channel_id, author_id)
        for entity in with_payments(post):
            if entity.schema.name in {"CryptoWallet", "BankAccount"}:
                yield from self._once(entity)
            else:
                yield entity
        source = _text(row.get("forwarded_from"))
        if source:
            source_id = f"posts-{short_hash(source)}"
            yield from self._once(account(source_id, source, SERVICE))
            yield forward_link(post.entity_id, source_id, date)

    def _post(
        self,
        row: dict[str, Any],
        date: str | None,
        channel: str,
        channel_id: str,
        author_id: str,
    ) -> Post:
        number = _text(row["id"])
        text = _text(row["text"])
        reply = _text(row.get("reply_to")) or None
        links = [m.group(0) for m in URL.finditer(text)]
        url = _text(row.get("url"))
        meta: dict[str, Any] = {"platform": SERVICE}
        if links or url:
            meta["links"] = list(dict.fromkeys([*links, *([url] if url else [])]))
        return Post(
            entity_id=f"{channel_id}-msg-{short_hash(number)}",
            message_id=number,
            text=text,
            channel_id=channel_id,
            channel_name=channel,
            author_id=author_id,
            date=date,
            reply_to_entity=f"{channel_id}-msg-{short_hash(reply)}" if reply else None,
            reply_to_id=reply,
            metadata=meta,
        )

    def _once(self, entity: EntityProxy) -> Iterator[EntityProxy]:
        if entity.id and entity.id not in self._emitted:
            self._emitted.add(entity.id)
            yield entity


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else str(value)


class PostsCsvReader(_PostRows):
    NAME: ClassVar[str] = "posts_csv"
    TITLE: ClassVar[str] = (
        "Posts as CSV: id, author, date, text [, channel, forwarded_from, reply_to, url]"
    )

    def rows(self) -> Iterator[tuple[str, dict[str, Any]]]:
        with self.path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [name for name in REQUIRED if name not in header]
            if missing:
                raise ReaderError(
                    self.path, "line 1", f"header lacks column(s): {', '.join(missing)}"
                )
            try:
                for row in reader:
                    yield f"line {reader.line_num}", row
            except csv.Error as exc:
                raise ReaderError(
                    self.path, f"line {reader.line_num}", str(exc)
                ) from exc


class PostsJsonlReader(_PostRows):
    NAME: ClassVar[str] = "posts_jsonl"
    TITLE: ClassVar[str] = (
        "Posts as JSON lines: {id, author, date, text [, channel, ...]}"
    )

    def rows(self) -> Iterator[tuple[str, dict[str, Any]]]:
        with self.path.open(encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ReaderError(
                        self.path, f"line {number}", f"invalid JSON: {exc.msg}"
                    ) from exc
                if not isinstance(row, dict):
                    raise ReaderError(
                        self.path, f"line {number}", "a post must be a JSON object"
                    )
                yield f"line {number}", row
