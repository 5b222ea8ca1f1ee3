"""Read OFAC's legacy CSV lists: the SDN list and the consolidated (non-SDN) list.

OFAC publishes each list as four header-less CSV files that share the entry
number (``ent_num``) as their key:

========================  ==========================  ===========================
SDN list                  consolidated list           one row per
========================  ==========================  ===========================
``sdn.csv``               ``cons_prim.csv``           listing (12 columns)
``alt.csv``               ``cons_alt.csv``            alternate name (5)
``add.csv``               ``cons_add.csv``            address (6)
``sdn_comments.csv``      ``cons_comments.csv``       remarks overflow (2)
========================  ==========================  ===========================

The reader is given the main file (or the folder holding it) and reads the
others beside it when present. "-0-" means empty. The main file's columns are
ent_num, name, type, programme, title, call sign, vessel type, tonnage, gross
registered tonnage, vessel flag, vessel owner and remarks; what the remarks
say (birth dates, documents, weak aliases) is parsed by ``ofac_remarks``, and
the mapping is ``ofac_party``'s, shared with the XML reader.

Why a merge join: OFAC writes all four files sorted by ent_num, so walking
them side by side joins them with one row of each in memory, however long
the list. A file out of that order is refused with its line, rather than
silently losing the names and addresses that no longer line up. The remarks
overflow file continues the remarks mid-word ("...; P" + "hone Number ..."),
so it is appended without a separator.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import ExitStack, closing
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from followthemoney import EntityProxy

from accord.errors import ReaderError, SourceError
from accord.readers.base import Reader
from accord.screening.lists.csvfile import Row, iter_rows
from accord.screening.lists.mapping import join
from accord.screening.lists.ofac_party import ALIAS_TYPES, NOT_VALUES, OfacParty
from accord.screening.lists.ofac_remarks import parse_remarks
from accord.screening.lists.ofac_sdn_xml import OfacSdnXmlReader

__all__ = ["OfacConsCsvReader", "OfacSdnCsvReader", "OfacSdnXmlReader"]

log = logging.getLogger(__name__)

EMPTY = "-0-"
MAIN_WIDTH, ALT_WIDTH, ADD_WIDTH, COMMENT_WIDTH = 12, 5, 6, 2


@dataclass(frozen=True, slots=True)
class OfacFileSet:
    """The four file names of one OFAC list and the list's title."""

    main: str
    alt: str
    add: str
    comments: str
    title: str


def cell(value: str) -> str | None:
    """A cell's text, with OFAC's "-0-" and blanks as None."""
    text = value.strip()
    return None if not text or text == EMPTY else text


def ent_num(path: Path, row: Row, width: int) -> int:
    """The row's entry number, once the row is known to have ``width`` cells."""
    if len(row.cells) != width:
        reason = f"expected {width} columns, found {len(row.cells)}"
        raise ReaderError(path, f"line {row.line}", reason)
    text = row.cells[0].strip()
    if not (text.isascii() and text.isdigit()):
        raise ReaderError(path, f"line {row.line}", f"ent_num {text!r} is not a number")
    return int(text)


class _SideFile:
    """One of alt/add/comments, read in step with the main file."""

    def __init__(self, stack: ExitStack, path: Path, width: int) -> None:
        self.path = path
        self.width = width
        self.orphans = 0
        self._rows: Iterator[Row] = iter(())
        if path.is_file():
            self._rows = stack.enter_context(closing(iter_rows(path)))
        self._head: Row | None = None
        self._number = -1
        self._advance()

    def take(self, number: int) -> list[Row]:
        """The rows for entry ``number``; rows for absent entries are skipped."""
        rows: list[Row] = []
        while self._head is not None and self._number <= number:
            if self._number == number:
                rows.append(self._head)
            else:
                self.orphans += 1
            self._advance()
        return rows

    def finish(self) -> None:
        """Count what is left after the last entry, and say so."""
        while self._head is not None:
            self.orphans += 1
            self._advance()
        if self.orphans:
            log.warning("%s: %d rows name no listed entry", self.path, self.orphans)

    def _advance(self) -> None:
        row = next(self._rows, None)
        if row is None:
            self._head = None
            return
        number = ent_num(self.path, row, self.width)
        if number < self._number:
            raise ReaderError(
                self.path, f"line {row.line}", _order(number, self._number)
            )
        self._head, self._number = row, number


def _order(number: int, previous: int) -> str:
    return (
        f"ent_num {number} comes after {previous}: OFAC sorts its files by "
        "ent_num and the reader joins them in that order"
    )


class OfacSdnCsvReader(Reader):
    """The OFAC SDN list in its legacy CSV form, joined from its four files."""

    NAME: ClassVar[str] = "ofac_sdn_csv"
    TITLE: ClassVar[str] = (
        "OFAC SDN list, legacy CSV (sdn.csv; alt.csv, add.csv, sdn_comments.csv beside)"
    )
    FILES: ClassVar[OfacFileSet] = OfacFileSet(
        "sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv", "OFAC SDN List"
    )

    def read(self) -> Iterator[EntityProxy]:
        """Yield each listing's entities, joining the side files as it goes."""
        main = self._main_file()
        folder = main.parent
        with ExitStack() as stack:
            alts = _SideFile(stack, folder / self.FILES.alt, ALT_WIDTH)
            addresses = _SideFile(stack, folder / self.FILES.add, ADD_WIDTH)
            comments = _SideFile(stack, folder / self.FILES.comments, COMMENT_WIDTH)
            previous = -1
            for row in stack.enter_context(closing(iter_rows(main))):
                number = ent_num(main, row, MAIN_WIDTH)
                if number <= previous:
                    reason = _order(number, previous)
                    if number == previous:
                        reason = f"ent_num {number} is listed twice"
                    raise ReaderError(main, f"line {row.line}", reason)
                previous = number
                overflow = "".join(r.cells[1] for r in comments.take(number))
                party = self._party(main, row, overflow)
                self._alt_names(party, alts.take(number))
                self._addresses(party, addresses.take(number))
                yield from party.entities()
            for side in (alts, addresses, comments):
                side.finish()

    def _main_file(self) -> Path:
        if self.path.is_dir():
            main = self.path / self.FILES.main
            if not main.is_file():
                raise SourceError(f"{self.path}: no {self.FILES.main} in this folder")
            return main
        return self.path

    def _party(self, path: Path, row: Row, overflow: str) -> OfacParty:
        cells = row.cells
        kind = cell(cells[2]) or "entity"
        party = OfacParty(path, f"line {row.line}", cells[0].strip(), kind)
        party.add_name("name", cell(cells[1]), primary=True)
        party.add_programs((cell(cells[3]) or "").split("] ["), self.FILES.title)
        if party.is_person:
            party.add("position", (cell(cells[4]) or "").split(";"))
        self._vessel(party, cells)
        # Unstripped: the overflow may continue right after a trailing space.
        remarks = (cells[11] if cell(cells[11]) else "") + overflow
        party.add("notes", [remarks])
        for fact in parse_remarks(remarks):
            party.apply(fact)
        return party

    def _vessel(self, party: OfacParty, cells: list[str]) -> None:
        """The vessel columns; they are "-0-" on every other kind of entry."""
        party.add("callSign", [cell(cells[5])])
        party.add("type", [cell(cells[6])])
        party.add("tonnage", [(cell(cells[7]) or "").replace(",", "")])
        party.add("grossRegisteredTonnage", [(cell(cells[8]) or "").replace(",", "")])
        party.add("flag", [cell(cells[9])])
        owner = cell(cells[10])
        party.add("notes", [f"Vessel owner: {owner}" if owner else None])

    def _alt_names(self, party: OfacParty, rows: list[Row]) -> None:
        for row in rows:
            alt_type = (cell(row.cells[2]) or "aka").lower()
            party.add_name(ALIAS_TYPES.get(alt_type, "alias"), cell(row.cells[3]))

    def _addresses(self, party: OfacParty, rows: list[Row]) -> None:
        for row in rows:
            street, city, country = (cell(value) for value in row.cells[2:5])
            country = None if country in NOT_VALUES else country
            party.add("country", [country])
            # An address that is only a country is already in ``country``.
            if street is not None or city is not None:
                party.add("address", [join((street, city, country))])


class OfacConsCsvReader(OfacSdnCsvReader):
    """OFAC's consolidated (non-SDN) list: the SDN layout under other names."""

    NAME: ClassVar[str] = "ofac_cons_csv"
    TITLE: ClassVar[str] = (
        "OFAC consolidated (non-SDN) list, legacy CSV (cons_prim.csv and its "
        "cons_alt/cons_add/cons_comments.csv)"
    )
    FILES: ClassVar[OfacFileSet] = OfacFileSet(
        "cons_prim.csv",
        "cons_alt.csv",
        "cons_add.csv",
        "cons_comments.csv",
        "OFAC Consolidated (non-SDN) List",
    )
