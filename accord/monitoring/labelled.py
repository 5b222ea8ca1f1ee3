"""Labelled and unlabelled post tables for ``train`` and ``classify``.

Agencies keep their labels in spreadsheets, so training reads any CSV with
a text column and a label column (and optionally a group column, usually the
author, so the decision threshold is chosen on held-out authors). Rows with
an empty label are skipped and counted, since partially labelled sheets are
the norm; a label that is not recognisably 0 or 1 is an error.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from accord.errors import ReaderError, SourceError

POSITIVE = {"1", "true", "yes", "y", "pos", "positive"}
NEGATIVE = {"0", "false", "no", "n", "neg", "negative"}


@dataclass
class LabelledPosts:
    texts: list[str] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    skipped: int = 0


def _allow_long_fields() -> None:
    """Posts can exceed the csv module's 128 KiB default field limit."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _open_rows(path: Path, columns: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    _allow_long_fields()
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise ReaderError(path, "line 1", f"no column(s) {', '.join(missing)}")
            try:
                for row in reader:
                    yield reader.line_num, row
            except csv.Error as exc:
                raise ReaderError(path, f"line {reader.line_num}", str(exc)) from exc
    except OSError as exc:
        raise SourceError(f"{path}: cannot read the file: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ReaderError(path, "file", f"not UTF-8: {exc.reason}") from exc


def read_labelled(
    path: Path, text_column: str, label_column: str, group_column: str | None = None
) -> LabelledPosts:
    columns = [text_column, label_column, *([group_column] if group_column else [])]
    posts = LabelledPosts()
    for line, row in _open_rows(path, columns):
        raw = (row.get(label_column) or "").strip().lower()
        if not raw:
            posts.skipped += 1
            continue
        if raw not in POSITIVE | NEGATIVE:
            raise ReaderError(
                path, f"line {line}", f"label {raw!r} is not 0/1, yes/no or true/false"
            )
        posts.texts.append(row.get(text_column) or "")
        posts.labels.append(1 if raw in POSITIVE else 0)
        posts.groups.append(
            (row.get(group_column) or "") if group_column else str(line)
        )
    return posts


def read_posts(
    path: Path, text_column: str, id_column: str, author_column: str | None = None
) -> Iterator[tuple[str, str, str]]:
    """(id, text, author) per row, streamed; the author is empty when no
    author column is named."""
    columns = [text_column, id_column, *([author_column] if author_column else [])]
    for _, row in _open_rows(path, columns):
        author = (row.get(author_column) or "") if author_column else ""
        yield row.get(id_column) or "", row.get(text_column) or "", author
