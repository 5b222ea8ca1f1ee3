"""Read OFSI's Consolidated List of financial sanctions targets, ``ConList.csv``.

The layout is OFSI's "2022 format": a first "Last Updated,dd/mm/yyyy" line,
then a header (Name 6, Name 1..Name 5, Title, Name Non-Latin Script, ...,
Regime, Listed On, UK Sanctions List Date Designated, Last Updated, Group ID),
then one row per *name* of a listed party. The rows of one party share its
Group ID: the "Primary name" row and one row per alias, each repeating the
party's details. Columns are found by header name, not position.

The mapping follows OpenSanctions' ``gb_hmt_sanctions`` crawler:

* Group Type Individual becomes ``Person``, Entity ``LegalEntity``, Ship
  ``Vessel``; ids are ``gb-hmt-<Group ID>``.
* Name 1..Name 5 then Name 6 (the surname, or an entity's whole name) make
  the name; Alias Type "Primary name" gives ``name`` (and ``firstName``/
  ``lastName``), "AKA" ``alias`` or, with Alias Quality "Low", ``weakAlias``,
  "FKA" ``previousName``, "Primary name variation" ``alias``. A non-Latin
  name is a ``name`` on the primary row and an ``alias`` otherwise, as the
  UN reader keeps original-script names: a query in that script must hit.
* "(1) A (2) B" cells are split. Dates are dd/mm/yyyy with 00 for unknown
  parts. Passport and national ID numbers become documents.
* One ``Sanction`` per party with the Regime as programme; topics add
  ``crime.terror`` for the Counter-Terrorism regimes and ISIL/Al-Qaida.

Why rows are grouped only while they are adjacent: holding every group until
the end would hold the whole list. Adjacent rows with one Group ID become one
entity; if a Group ID comes back later in the file, that run is emitted as a
second fragment *with the same id*. FtM entities are sets of statements, so
the store merges fragments exactly as if they had been one; a consumer that
bypasses the store should merge by id too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import closing
from pathlib import Path
from typing import ClassVar

from followthemoney import EntityProxy, model

from accord.errors import ReaderError
from accord.readers.base import Reader
from accord.screening.lists.csvfile import Row, iter_rows
from accord.screening.lists.mapping import (
    Document,
    EntityBag,
    add,
    dmy_date,
    entity_id,
    join,
    join_name,
    make_document,
    make_sanction,
    split_numbered,
    squash,
    topics,
)

__all__ = ["UkOfsiCsvReader", "is_terror_regime"]

AUTHORITY = "HM Treasury, Office of Financial Sanctions Implementation"
SOURCE_URL = (
    "https://www.gov.uk/government/publications/"
    "financial-sanctions-consolidated-list-of-targets"
)
REQUIRED = ("Name 6", "Group Type", "Alias Type", "Group ID")
SCHEMATA = {"individual": "Person", "entity": "LegalEntity", "ship": "Vessel"}
NAME_TYPES = {
    "primary name": "name",
    "primary name variation": "alias",
    "aka": "alias",
    "alias": "alias",
    "fka": "previousName",
}
ADDRESS = [f"Address {n}" for n in range(1, 7)] + ["Post/Zip Code", "Country"]
_TERROR = re.compile(r"terror|al-qa'?ida|isil", re.IGNORECASE)
_OTHER = re.compile(r"\((?P<key>[^()]+)\):\s*(?P<value>[^()]*?)\.?\s*(?=\(|$)")


def is_terror_regime(regime: str | None) -> bool:
    """The UK's Counter-Terrorism regimes and the ISIL (Da'esh)/Al-Qaida one."""
    return bool(regime and _TERROR.search(regime))


class _Header:
    """The header row: where each named column is."""

    def __init__(self, path: Path, row: Row) -> None:
        self.path = path
        self.names = [cell.strip() for cell in row.cells]
        missing = [name for name in REQUIRED if name not in self.names]
        if missing:
            reason = f"not a ConList header: no {', '.join(missing)} column"
            raise ReaderError(path, f"line {row.line}", reason)

    def record(self, row: Row) -> dict[str, str | None]:
        """The row as column name to text, refusing rows of the wrong width."""
        width = len(self.names)
        extra = row.cells[width:]
        if len(row.cells) < width or any(cell.strip() for cell in extra):
            reason = f"expected {width} columns, found {len(row.cells)}"
            raise ReaderError(self.path, f"line {row.line}", reason)
        return {
            name: squash(cell)
            for name, cell in zip(self.names, row.cells, strict=False)
        }


class UkOfsiCsvReader(Reader):
    """Persons, entities and ships of OFSI's ConList.csv."""

    NAME: ClassVar[str] = "uk_ofsi_csv"
    TITLE: ClassVar[str] = "UK OFSI Consolidated List, ConList.csv (2022 format)"

    def read(self) -> Iterator[EntityProxy]:
        """Yield one entity (with sanction and documents) per run of a group."""
        with closing(iter_rows(self.path)) as rows:
            header = self._header(rows)
            group: _Group | None = None
            for row in rows:
                record = header.record(row)
                group_id = record["Group ID"]
                if group_id is None:
                    reason = "row has no Group ID"
                    raise ReaderError(self.path, f"line {row.line}", reason)
                if group is not None and group.group_id != group_id:
                    yield from group.entities()
                    group = None
                if group is None:
                    kind = record["Group Type"]
                    group = _Group(self.path, row.line, group_id, kind)
                group.add_row(row.line, record)
            if group is not None:
                yield from group.entities()

    def _header(self, rows: Iterator[Row]) -> _Header:
        """Skip the "Last Updated" line when there is one; then the header."""
        row = next(rows, None)
        if row is not None and _is_banner(row):
            row = next(rows, None)
        if row is None:
            raise ReaderError(self.path, "line 1", "no header row: the file is empty")
        return _Header(self.path, row)


class _Group:
    """The rows of one Group ID seen so far, as one party in the making."""

    def __init__(self, path: Path, line: int, group_id: str, kind: str | None) -> None:
        self.path = path
        self.where = f"line {line}"
        self.group_id = group_id
        self.kind = (kind or "").lower()
        schema = SCHEMATA.get(self.kind)
        if schema is None:
            raise self.fail(
                f"unknown Group Type {kind!r} (known: Individual, Entity, Ship)"
            )
        party_id = entity_id("gb-hmt", group_id)
        if party_id is None:
            raise self.fail(f"Group ID {group_id!r} cannot form an entity id")
        self.party = model.make_entity(schema)
        self.party.id = party_id
        self.sanction = make_sanction(self.party, AUTHORITY, SOURCE_URL)
        self.documents = EntityBag()

    def fail(self, reason: str) -> ReaderError:
        return ReaderError(self.path, self.where, reason)

    def add(self, prop: str, values: Iterable[str | None]) -> None:
        add(self.party, prop, values, f"{self.path}: {self.where}")

    def add_row(self, line: int, record: dict[str, str | None]) -> None:
        self.where = f"line {line}"
        kind = (record["Group Type"] or "").lower()
        if kind != self.kind:
            reason = (
                f"Group ID {self.group_id} began as Group Type {self.kind!r} "
                f"but this row says {kind!r}"
            )
            raise self.fail(reason)
        self._names(record)
        self._details(record)
        self._documents(record)
        self._sanction(record)

    def _names(self, record: dict[str, str | None]) -> None:
        given = [record.get(f"Name {n}") for n in range(1, 6)]
        full = join_name([*given, record["Name 6"]])
        if full is None and record.get("Name Non-Latin Script") is None:
            raise self.fail("row has no name: Name 1..Name 6 are empty")
        alias_type = (record["Alias Type"] or "").lower()
        prop = NAME_TYPES.get(alias_type, "alias")
        if prop == "alias" and (record.get("Alias Quality") or "").lower() == "low":
            prop = "weakAlias"
        self.add(prop, [full])
        if prop == "name" and self.party.schema.is_a("Person"):
            self.add("firstName", given[:1])
            self.add("lastName", [record["Name 6"]])
        non_latin = "name" if prop == "name" else "alias"
        self.add(non_latin, [record.get("Name Non-Latin Script")])
        self.add("title", split_numbered(record.get("Title")))

    def _details(self, record: dict[str, str | None]) -> None:
        get = record.get
        self.add("birthDate", [dmy_date(v) for v in split_numbered(get("DOB"))])
        self.add("birthPlace", [join((get("Town of Birth"), get("Country of Birth")))])
        self.add("birthCountry", split_numbered(get("Country of Birth")))
        self.add("nationality", split_numbered(get("Nationality")))
        self.add("position", split_numbered(get("Position")))
        self.add("country", [get("Country")])
        if any(get(column) for column in ADDRESS[:-1]):
            self.add("address", [join(get(column) for column in ADDRESS)])
        other = get("Other Information")
        self.add("notes", [other])
        facts = _other_information(other)
        self.add("gender", [facts.get("Gender")])
        self.add("imoNumber", [facts.get("IMO number")])
        origin = f"{self.path}: {self.where}"
        add(self.sanction, "authorityId", [facts.get("UK Sanctions List Ref")], origin)
        add(self.sanction, "unscId", [facts.get("UN Ref")], origin)

    def _documents(self, record: dict[str, str | None]) -> None:
        pairs = (
            ("Passport Number", "Passport Details", True),
            (
                "National Identification Number",
                "National Identification Details",
                False,
            ),
        )
        for number_col, detail_col, passport in pairs:
            numbers = split_numbered(record.get(number_col))
            details = split_numbered(record.get(detail_col))
            if len(details) != len(numbers):
                details = [record.get(detail_col) or ""] * len(numbers)
            for number, detail in zip(numbers, details, strict=True):
                self._document(number, detail or None, passport)

    def _document(self, number: str, detail: str | None, passport: bool) -> None:
        if not self.party.schema.is_a("Person"):
            self.add("idNumber", [number])
            return
        kind = "Passport" if passport else "National Identification Number"
        doc = Document(number=number, passport=passport, kind=kind, summary=detail)
        origin = f"{self.path}: {self.where}"
        self.documents.put(make_document(self.party, doc, origin))

    def _sanction(self, record: dict[str, str | None]) -> None:
        origin = f"{self.path}: {self.where}"
        regime = record.get("Regime")
        add(self.sanction, "program", [regime], origin)
        add(self.sanction, "listingDate", [dmy_date(record.get("Listed On"))], origin)
        designated = dmy_date(record.get("UK Sanctions List Date Designated"))
        add(self.sanction, "startDate", [designated], origin)
        add(self.sanction, "modifiedAt", [dmy_date(record.get("Last Updated"))], origin)
        self.add("topics", topics(is_terror_regime(regime)))

    def entities(self) -> Iterator[EntityProxy]:
        """The party, its sanction, then its documents."""
        yield self.party
        yield self.sanction
        yield from self.documents


def _other_information(text: str | None) -> dict[str, str]:
    """The first word after each "(Key):" label of Other Information.

    OFSI files identifiers there: "(UK Sanctions List Ref):RUS0296. (UN
    Ref):QDe.004. (Gender):Male" and free text may follow the value.
    """
    facts: dict[str, str] = {}
    for match in _OTHER.finditer(text or ""):
        words = match["value"].split()
        if words:
            facts[match["key"].strip()] = words[0].rstrip(".,;")
    return facts


def _is_banner(row: Row) -> bool:
    """OFSI's first line, "Last Updated,03/06/2026", which is not the header."""
    cells = [cell.strip() for cell in row.cells]
    return cells[0] == "Last Updated" and "Group ID" not in cells
