"""Batch query files: CSV or JSON lines with id, name, schema and evidence.

The whole file is checked before any screening starts, and every bad line
is reported at once, so a compliance team fixes its export in one pass
instead of one error per run.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from accord.errors import AccordError, InvalidData, ReaderError
from accord.screening.model import ScreeningQuery

REQUIRED = ("id", "name", "schema")
OPTIONAL = ("birth_date", "nationality", "gender", "id_number")
MAX_REPORTED = 20


def read_queries(path: Path) -> list[ScreeningQuery]:
    """Every query of the file, or InvalidData listing each bad line."""
    queries: list[ScreeningQuery] = []
    errors: dict[str, str] = {}
    for line, row in _rows(path):
        try:
            queries.append(_query(row))
        except AccordError as exc:
            errors[f"line {line}"] = exc.detail
    if errors:
        shown = dict(list(errors.items())[:MAX_REPORTED])
        lines = ", ".join(shown)
        raise InvalidData(f"{path}: {len(errors)} bad queries ({lines})", shown)
    if not queries:
        raise InvalidData(f"{path}: no queries in the file")
    return queries


def _rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    if not path.is_file():
        raise InvalidData(f"no such query file: {path}")
    if path.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        yield from _json_rows(path)
    else:
        yield from _csv_rows(path)


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [col for col in REQUIRED if col not in (reader.fieldnames or [])]
        if missing:
            raise ReaderError(path, "line 1", f"missing column(s) {', '.join(missing)}")
        for row in reader:
            yield reader.line_num, row


def _json_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                row = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ReaderError(
                    path, f"line {number}", f"invalid JSON: {exc.msg}"
                ) from exc
            if not isinstance(row, dict):
                raise ReaderError(
                    path, f"line {number}", "a query must be a JSON object"
                )
            yield number, row


def _query(row: dict[str, Any]) -> ScreeningQuery:
    missing = [col for col in REQUIRED if not str(row.get(col) or "").strip()]
    if missing:
        raise InvalidData(f"missing {', '.join(missing)}")
    birth = _text(row.get("birth_date"))
    if birth:
        check_birth_date(birth)
    number = _text(row.get("id_number"))
    return ScreeningQuery(
        id=str(row["id"]).strip(),
        name=str(row["name"]),
        schema=str(row["schema"]).strip(),
        birth_date=birth,
        nationality=_text(row.get("nationality")),
        gender=_text(row.get("gender")),
        id_numbers=(number,) if number else (),
    )


def _text(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def check_birth_date(text: str) -> str:
    """Accept ISO ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` that really exist."""
    parts = text.split("-")
    try:
        numbers = [int(part) for part in parts]
        if len(parts) > 3 or len(parts[0]) != 4:
            raise ValueError(text)
        date(numbers[0], *(numbers[1:] + [1, 1])[:2])
    except ValueError:
        raise InvalidData(
            f"bad birth date {text!r}; use YYYY, YYYY-MM or YYYY-MM-DD"
        ) from None
    return text
