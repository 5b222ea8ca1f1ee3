"""Read Rosfinmonitoring's list of terrorists and extremists, as fedsfm.ru shows it.

"Перечень организаций и физических лиц, в отношении которых имеются сведения
об их причастности к экстремистской деятельности или терроризму" is published
as a web page, not a data file. It has a national part and an international
part, each with organisations and persons, and each entry is one numbered
line::

    1234. ИВАНОВ ИВАН ИВАНОВИЧ*, (IVANOV IVAN IVANOVICH), 01.02.1980 г.р. , Г. МОСКВА;

The reader takes the page as saved (HTML, where the four sections are the
``div``s ``russianUL``, ``russianFL``, ``foreignUL`` and ``foreignFL`` with one
``li`` per entry) or as plain text (the same lines under headings such as
"Национальная часть" and "Физические лица"); the HTML is streamed through the
standard library's ``html.parser``, never held whole. ``ru_rosfin_entry``
parses one entry's text.

The mapping follows OpenSanctions' ``ru_fedsfm_terror`` crawler: persons are
``Person``, organisations ``Organization``; the Cyrillic name is ``name`` and
each name in parentheses (the Latin transliteration, former names) is an
``alias``; the sanction's programme is "National part" or "International
part" and its ``authorityId`` the entry's number. Every listing is about
terrorism or extremism, so every party gets ``crime.terror``.

Why ids hash section, name and birth date rather than use the number: the
list is renumbered whenever an entry is removed, and an id that changed with
it would make every later entry look new on each download.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import BinaryIO, ClassVar, NamedTuple

from followthemoney import EntityProxy, model
from followthemoney.util import make_entity_id

from accord.errors import ReaderError, SourceError
from accord.readers.base import Reader
from accord.screening.lists.mapping import add, make_sanction, squash, topics
from accord.screening.lists.ru_rosfin_entry import Entry, parse_entry

__all__ = ["RuRosfinReader"]

AUTHORITY = "Federal Financial Monitoring Service (Rosfinmonitoring)"
SOURCE_URL = "https://www.fedsfm.ru/documents/terrorists-catalog-portal-act"
LIST_TITLE = (
    "Перечень организаций и физических лиц, в отношении которых имеются сведения "
    "об их причастности к экстремистской деятельности или терроризму"
)
NATIONAL, INTERNATIONAL = "National part", "International part"
SECTIONS = {
    "russianul": (NATIONAL, "Organization"),
    "russianfl": (NATIONAL, "Person"),
    "foreignul": (INTERNATIONAL, "Organization"),
    "foreignfl": (INTERNATIONAL, "Person"),
}
NO_SECTION = (
    "entry before any section (national or international part, "
    "organisations or persons)"
)
STARRED = "Marked * in the list: under criminal prosecution"
_ENTRY = re.compile(r"^\s*(?P<number>[0-9]+)\s*\.\s*(?P<body>.*?)[\s;]*$", re.DOTALL)
_CHARSET = re.compile(rb"charset\s*=\s*[\"']?\s*([A-Za-z0-9_-]+)", re.IGNORECASE)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


class Item(NamedTuple):
    """A piece of the page: a section marker, a heading, or an entry's text."""

    line: int
    kind: str
    text: str


class _PageParser(HTMLParser):
    """Collects section ``div``s, headings and numbered ``li`` texts, in order.

    Once the page has shown a section ``div``, only items inside one count:
    the menus and footers around the list are ``li``s too.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[Item] = []
        self._open: str | None = None
        self._buffer: list[str] = []
        self._line = 0
        self._depth = 0
        self._section_depth: int | None = None
        self._seen_sections = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "div":
            self._depth += 1
            ident = (dict(attrs).get("id") or "").lower()
            if ident in SECTIONS:
                self._close()
                self._seen_sections, self._section_depth = True, self._depth
                self.items.append(Item(self.getpos()[0], "section", ident))
        if tag == "li" or (tag in _HEADINGS and self._open != "li"):
            self._close()
            self._open, self._line = tag, self.getpos()[0]
        elif tag == "br":
            self._buffer.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open or (self._open == "li" and tag in ("ol", "ul", "div")):
            self._close()
        if tag == "div":
            if self._section_depth is not None and self._depth <= self._section_depth:
                self._section_depth = None
            self._depth = max(0, self._depth - 1)

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._buffer.append(data)

    def _close(self) -> None:
        text = "".join(self._buffer)
        if self._open == "li":
            inside = self._section_depth is not None or not self._seen_sections
            if inside and _ENTRY.match(" ".join(text.split())) is not None:
                self.items.append(Item(self._line, "entry", text))
        elif self._open is not None:
            self.items.append(Item(self._line, "heading", text))
        self._open, self._buffer = None, []

    def finish(self) -> None:
        self.close()
        self._close()


class RuRosfinReader(Reader):
    """Persons and organisations of Rosfinmonitoring's list, from HTML or text."""

    NAME: ClassVar[str] = "ru_rosfin"
    TITLE: ClassVar[str] = (
        "Rosfinmonitoring list of terrorists and extremists (fedsfm.ru page, HTML or text)"
    )

    def read(self) -> Iterator[EntityProxy]:
        """Yield each entry's party and sanction, in page order."""
        part: str | None = None
        schema: str | None = None
        for item in self._items():
            if item.kind == "section":
                part, schema = SECTIONS[item.text]
            elif item.kind == "heading":
                part, schema = _heading(item.text, part, schema)
            elif squash(item.text) is not None:
                if part is None or schema is None:
                    raise ReaderError(self.path, f"line {item.line}", NO_SECTION)
                yield from self._entities(item, part, schema)

    def _items(self) -> Iterator[Item]:
        try:
            with self.path.open("rb") as handle:
                head = handle.read(4096)
                handle.seek(0)
                encoding = _encoding(head)
                lines = _lines(self.path, handle, encoding)
                if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                    yield from _html_items(lines)
                else:
                    yield from _text_items(lines)
        except OSError as exc:
            raise SourceError(f"{self.path}: cannot read the file: {exc}") from exc

    def _entities(self, item: Item, part: str, schema: str) -> Iterator[EntityProxy]:
        where = f"line {item.line}"
        match = _ENTRY.match(" ".join(item.text.split()))
        if match is None:
            reason = "entry does not start with its number (e.g. '12. NAME, ...;')"
            raise ReaderError(self.path, where, reason)
        entry = parse_entry(match["body"], person=schema == "Person")
        if entry.name is None:
            raise ReaderError(self.path, where, "entry has no name")
        party = _party(entry, part, schema, f"{self.path}: {where}")
        sanction = make_sanction(party, AUTHORITY, SOURCE_URL)
        sanction.add("program", part)
        sanction.add("authorityId", match["number"])
        sanction.add("description", LIST_TITLE)
        yield party
        yield sanction


def _party(entry: Entry, part: str, schema: str, origin: str) -> EntityProxy:
    party = model.make_entity(schema)
    key = make_entity_id(part, schema, entry.name, *entry.birth_dates)
    party.id = f"ru-rosfin-{key}"
    add(party, "name", [entry.name], origin)
    add(party, "alias", entry.aliases, origin)
    add(party, "birthDate", entry.birth_dates, origin)
    add(party, "birthPlace", [entry.place], origin)
    add(party, "incorporationDate", entry.dates, origin)
    add(party, "innCode", [entry.inn], origin)
    add(party, "ogrnCode", [entry.ogrn], origin)
    add(party, "notes", [STARRED if entry.starred else None, *entry.notes], origin)
    add(party, "topics", topics(terror=True), origin)
    return party


def _heading(
    text: str, part: str | None, schema: str | None
) -> tuple[str | None, str | None]:
    """Section from a heading's words, for pages without the section ids."""
    words = text.lower()
    if "национальн" in words or "российск" in words:
        part = NATIONAL
    elif "международн" in words or "иностранн" in words:
        part = INTERNATIONAL
    if "организац" in words or "юридическ" in words:
        schema = "Organization"
    elif "физическ" in words:
        schema = "Person"
    return part, schema


def _encoding(head: bytes) -> str:
    """UTF-8 unless the page declares another charset (fedsfm once used cp1251)."""
    match = _CHARSET.search(head)
    name = match.group(1).decode("ascii").lower() if match else "utf-8"
    return "cp1251" if name in ("windows-1251", "cp1251") else "utf-8"


def _lines(path: Path, handle: BinaryIO, encoding: str) -> Iterator[tuple[int, str]]:
    for number, raw in enumerate(handle, start=1):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            reason = f"not {encoding} (byte {exc.start + 1} of the line)"
            raise ReaderError(path, f"line {number}", reason) from exc
        yield number, text.removeprefix("\ufeff") if number == 1 else text


def _html_items(lines: Iterator[tuple[int, str]]) -> Iterator[Item]:
    """Feed the page a line at a time and hand on what each line completed."""
    parser = _PageParser()
    for _number, text in lines:
        parser.feed(text)
        yield from parser.items
        parser.items.clear()
    parser.finish()
    yield from parser.items


def _text_items(lines: Iterator[tuple[int, str]]) -> Iterator[Item]:
    """Numbered lines are entries (continued until a ";"), other lines headings."""
    pending: Item | None = None
    for number, raw in lines:
        text = raw.strip()
        if not text:
            continue
        numbered = _ENTRY.match(text) is not None
        if not numbered and pending is not None and not pending.text.endswith(";"):
            pending = pending._replace(text=f"{pending.text} {text}")
            continue
        if pending is not None:
            yield pending
        pending = Item(number, "entry", text) if numbered else None
        if not numbered:
            yield Item(number, "heading", text)
    if pending is not None:
        yield pending
