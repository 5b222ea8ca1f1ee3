"""Paths and independent helpers for the travel tests.

``raw_segments`` splits a message the simplest possible way (UNA terminator,
no release handling: the samples use none), so counts taken with it do not
depend on the tokenizer under test.
"""

from __future__ import annotations

from pathlib import Path

from followthemoney import EntityProxy

from accord.travel.message_reader import EdifactMessageReader

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "travel"
# tests/travel/support.py -> parents[3] is the folder holding main/ and shared/
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "travel"


def raw_segments(data: bytes) -> tuple[list[str], str]:
    """(segments, element separator), split naively on the UNA terminator."""
    text = data.decode("latin-1").lstrip()
    element, terminator = "+", "'"
    if text.startswith("UNA"):  # the terminator is what ends the UNA, before UNB
        element, terminator = text[4], text[: text.index("UNB")].rstrip()[-1]
    segments = [
        piece.replace("\r", "").replace("\n", "").strip()
        for piece in text.split(terminator)
    ]
    return [s for s in segments if s], element


def raw_count(data: bytes, *starts: str) -> int:
    """Segments starting with any of ``starts`` ('+' stands for the separator)."""
    segments, element = raw_segments(data)
    prefixes = tuple(start.replace("+", element) for start in starts)
    return sum(segment.startswith(prefixes) for segment in segments)


def read_with_warnings(
    reader: EdifactMessageReader,
) -> tuple[list[EntityProxy], list[str]]:
    """Every entity a passenger-message reader yields, and what it tolerated."""
    return list(reader.read()), reader.warnings


def of(entities: list[EntityProxy], schema: str) -> list[EntityProxy]:
    """Entities of ``schema``; Identification includes Passport."""
    if schema == "Identification":
        return [e for e in entities if e.schema.is_a(schema)]
    return [e for e in entities if e.schema.name == schema]


def names(entities: list[EntityProxy]) -> list[str]:
    return [p.first("name") or "" for p in of(entities, "Person")]
