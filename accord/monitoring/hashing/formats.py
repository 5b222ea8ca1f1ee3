"""Bank import and export files: CSV, JSON lines, and ThreatExchange-style lines.

- ``csv``: a header row naming ``hash`` (PDQ banks) or ``signature`` or
  ``text`` (text banks), plus optional ``source``, ``agency``, ``added``,
  ``label`` columns; other columns are ignored.
- ``jsonl``: one object per line with the same keys.
- ``te``: headerless ``hash,...`` lines as ThreatExchange tools write them:
  the first field is the PDQ hex, the remaining fields become the label.

Records of Tech Against Terrorism's hash list (``hash_digest``,
``algorithm``, ``ideology``, ``deleted``, ``created_on``), in CSV or JSON
lines, are read too: PDQ records become entries labelled with their
ideology; deleted records and other algorithms are counted as ignored.

A text bank never stores text: a ``text`` column is turned into its
signature on import, and exports carry signatures only, so a bank can be
shared without sharing the propaganda itself. Every malformed line is
refused with a ``ReaderError`` naming file, line and reason, before anything
is added.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO, TypeVar

import numpy as np
import numpy.typing as npt

from accord.errors import InvalidData, ReaderError
from accord.monitoring.hashing.bank import Bank, BankKind, Provenance, Rows
from accord.monitoring.hashing.pdq import lanes_to_hex, normalize_hex, pack_hex
from accord.monitoring.hashing.text import (
    NUM_PERM,
    SIGNATURE_ALGORITHM,
    Signature,
    required_signature,
    signature_from_hex,
    signature_to_hex,
)

_T = TypeVar("_T")
_VPDQ_LINE = re.compile(r"\d+\s*,\s*\d+\s*,\s*[0-9a-fA-F]{64}\b")
PROVENANCE_FIELDS = ("source", "agency", "added", "label")


class BankFileFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"
    TE = "te"
    VPDQ = "vpdq"


@dataclass(frozen=True, slots=True)
class ImportDefaults:
    """Provenance for entries whose file does not say."""

    source: str
    agency: str
    added: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class ParsedEntries:
    """Rows with their provenance; ``ignored`` counts hash-list records
    that are deleted or of another algorithm; ``videos`` numbers the video
    of each row (video banks only)."""

    rows: Rows
    provenance: list[Provenance]
    ignored: int = 0
    videos: npt.NDArray[np.int32] | None = None


def detect_format(path: Path) -> BankFileFormat:
    """By extension; a ``.csv`` whose first line starts with a hash is ``te``,
    a file whose first line is ``frame,quality,hash,...`` is ``vpdq``."""
    if path.suffix.lower() in {".jsonl", ".ndjson", ".json"}:
        return BankFileFormat.JSONL
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        line = handle.readline()
    if _VPDQ_LINE.match(line.strip()):
        return BankFileFormat.VPDQ
    first = line.split(",")[0].strip().strip('"')
    try:
        normalize_hex(first)
    except InvalidData:
        return BankFileFormat.CSV
    return BankFileFormat.TE


def read_entries(
    path: Path, kind: BankKind, fmt: BankFileFormat, defaults: ImportDefaults
) -> ParsedEntries:
    """Every entry of the file, or a ``ReaderError`` for the first bad line."""
    if fmt is BankFileFormat.TE and kind is not BankKind.PDQ:
        raise ReaderError(path, "line 1", "the te format carries PDQ hashes only")
    if fmt is BankFileFormat.VPDQ or kind is BankKind.VPDQ:
        raise ReaderError(path, "line 1", "vPDQ files and video banks go together")
    rows = _RowCollector(kind)
    provenance: list[Provenance] = []
    provenance_of = ProvenanceReader(defaults)
    ignored = 0
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for line, raw in file_records(handle, fmt):
                try:
                    record = _hash_list_record(raw, kind)
                    if record is None:
                        ignored += 1
                        continue
                    rows.add(_value(record, kind))
                    provenance.append(provenance_of(record))
                except InvalidData as exc:
                    raise ReaderError(path, f"line {line}", exc.detail) from exc
    except UnicodeDecodeError as exc:
        raise ReaderError(path, f"byte {exc.start}", "not UTF-8 text") from exc
    except LineError as exc:
        raise ReaderError(path, f"line {exc.line}", exc.reason) from exc
    if not provenance:
        raise ReaderError(path, "line 1", "the file holds no entries for this bank")
    return ParsedEntries(rows.finish(), provenance, ignored)


class LineError(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def file_records(
    handle: TextIO, fmt: BankFileFormat
) -> Iterator[tuple[int, Mapping[str, Any]]]:
    if fmt is BankFileFormat.JSONL:
        yield from _json_records(handle)
    elif fmt is BankFileFormat.TE:
        lines = csv.reader(handle)
        for fields in _guarded(lines):
            if fields and any(field.strip() for field in fields):
                label = " ".join(f.strip() for f in fields[1:] if f.strip())
                yield lines.line_num, {"hash": fields[0], "label": label}
    else:
        yield from _csv_records(handle)


def _json_records(handle: TextIO) -> Iterator[tuple[int, Mapping[str, Any]]]:
    for line, text in enumerate(handle, start=1):
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            raise LineError(line, f"invalid JSON: {exc.msg}") from exc
        if not isinstance(record, dict):
            raise LineError(line, "expected a JSON object")
        yield line, record


def _csv_records(handle: TextIO) -> Iterator[tuple[int, Mapping[str, Any]]]:
    reader = csv.DictReader(handle)
    header = [name.strip() for name in reader.fieldnames or []]
    if not {"hash", "hash_digest", "signature", "text"} & set(header):
        raise LineError(
            1, "header needs a 'hash', 'hash_digest', 'signature' or 'text' column"
        )
    reader.fieldnames = header
    for record in _guarded(reader):
        if None in record or None in record.values():
            raise LineError(reader.line_num, f"expected {len(header)} fields")
        yield reader.line_num, record


def _guarded(rows: Iterator[_T]) -> Iterator[_T]:
    """Rows of a csv reader, with its errors located on their line."""
    line = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            line = getattr(rows, "line_num", line)
            raise LineError(line, f"malformed CSV: {exc}") from exc
        yield row


def text_field(record: Mapping[str, Any], name: str) -> str:
    value = record.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidData(f"{name!r} must be a string")
    return value.strip()


def _hash_list_record(
    record: Mapping[str, Any], kind: BankKind
) -> Mapping[str, Any] | None:
    """A Tech Against Terrorism hash-list record in our keys, or None when
    it is not for this bank; other records pass through unchanged.

    TAT records carry ``hash_digest, algorithm, ideology, file_type,
    deleted, created_on``: one list mixes PDQ with MD5 and SHA-256, and
    withdrawn hashes stay listed with ``deleted`` set.
    """
    if "hash_digest" not in record:
        return record
    algorithm = str(record.get("algorithm") or "pdq").strip().lower()
    deleted = str(record.get("deleted", "")).strip().lower() in {"true", "1", "yes"}
    if deleted or kind is not BankKind.PDQ or algorithm != "pdq":
        return None
    created = record.get("created_on")
    return {
        "hash": record["hash_digest"],
        "label": record.get("label") or record.get("ideology"),
        "added": created[:10] if isinstance(created, str) else None,
        "source": record.get("source"),
        "agency": record.get("agency"),
    }


def _value(record: Mapping[str, Any], kind: BankKind) -> str | Signature:
    if kind is BankKind.PDQ:
        return normalize_hex(text_field(record, "hash"))
    algorithm = text_field(record, "algorithm")
    if algorithm and algorithm != SIGNATURE_ALGORITHM:
        raise InvalidData(
            f"signature algorithm {algorithm!r} is not {SIGNATURE_ALGORITHM}"
        )
    if text_field(record, "signature"):
        return signature_from_hex(text_field(record, "signature"))
    if text_field(record, "text"):
        return required_signature(text_field(record, "text"))
    raise InvalidData("no 'signature' or 'text' value")


class ProvenanceReader:
    """Provenance of each record, one object per distinct value: a 10M-line
    file from one partner holds a handful of them, not 10M copies, and each
    distinct date is checked once."""

    def __init__(self, defaults: ImportDefaults) -> None:
        self.defaults = defaults
        self.seen: dict[tuple[str, ...], Provenance] = {}

    def __call__(self, record: Mapping[str, Any]) -> Provenance:
        key = tuple(text_field(record, name) for name in PROVENANCE_FIELDS)
        found = self.seen.get(key)
        if found is None:
            source, agency, added, label = key
            found = Provenance(
                source=source or self.defaults.source,
                agency=agency or self.defaults.agency,
                added=added or self.defaults.added,
                label=label or self.defaults.label,
            )
            _check_date(found.added)
            self.seen[key] = found
        return found


def _check_date(value: str) -> None:
    try:
        if len(value) == 10:
            date.fromisoformat(value)
        else:
            datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidData(f"'added' is not an ISO date: {value!r}") from exc


class _RowCollector:
    """Rows as they are read, packed a chunk at a time: 10M hashes held as
    hex strings would take a gigabyte before becoming 320 MB of lanes."""

    CHUNK = 1 << 16

    def __init__(self, kind: BankKind) -> None:
        self.kind = kind
        self.pending: list[str | Signature] = []
        self.chunks: list[Rows] = []

    def add(self, value: str | Signature) -> None:
        self.pending.append(value)
        if len(self.pending) >= self.CHUNK:
            self._pack()

    def _pack(self) -> None:
        if not self.pending:
            return
        if self.kind is BankKind.PDQ:
            self.chunks.append(pack_hex([str(v) for v in self.pending]))
        else:
            signatures = [np.asarray(v, dtype=np.uint32) for v in self.pending]
            self.chunks.append(np.stack(signatures).reshape(-1, NUM_PERM))
        self.pending = []

    def finish(self) -> Rows:
        self._pack()
        return np.concatenate(self.chunks)


def write_entries(bank: Bank, path: Path, fmt: BankFileFormat) -> int:
    """Write every row with its provenance; returns the number written."""
    if fmt is BankFileFormat.TE and bank.config.kind is not BankKind.PDQ:
        raise InvalidData("the te format carries PDQ hashes only")
    if fmt is BankFileFormat.VPDQ:
        raise InvalidData("vpdq files hold one video; export as csv or jsonl")
    records = list(_export_records(bank))
    with path.open("w", encoding="utf-8", newline="") as handle:
        if fmt is BankFileFormat.JSONL:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif fmt is BankFileFormat.TE:
            lines = csv.writer(handle, lineterminator="\n")
            lines.writerows([r["hash"], r["label"]] for r in records)
        else:
            columns = list(_value_columns(bank))
            table = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            table.writeheader()
            table.writerows(records)
    return len(records)


def _value_columns(bank: Bank) -> tuple[str, ...]:
    if bank.config.kind is BankKind.PDQ:
        return ("hash", *PROVENANCE_FIELDS)
    return ("signature", "algorithm", *PROVENANCE_FIELDS)


def _export_records(bank: Bank) -> Iterator[dict[str, str]]:
    is_pdq = bank.config.kind is BankKind.PDQ
    hexes = lanes_to_hex(bank.rows) if is_pdq else []
    for row in range(len(bank)):
        prov = bank.provenance(row).to_dict()
        if is_pdq:
            yield {"hash": hexes[row], **prov}
        else:
            sig = signature_to_hex(bank.rows[row].astype(np.uint32))
            yield {"signature": sig, "algorithm": SIGNATURE_ALGORITHM, **prov}
