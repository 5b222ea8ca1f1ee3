"""Safe, streaming XML parsing of untrusted files.

Readers get XML from outside the agency (sanctions lists, partner feeds), so a
file may be hostile as well as broken. This module gives them one function,
``iter_elements``, that:

* **refuses any DTD.** The parser is ``defusedxml``'s ``DefusedXMLParser`` with
  ``forbid_dtd=True``: expat stops at the ``<!DOCTYPE`` token itself, before a
  single entity is declared, so external entities (XXE, ``file:///etc/passwd``),
  external DTDs and entity-expansion bombs ("billion laughs") never get a
  chance to run. ``forbid_entities`` and ``forbid_external`` stay on as a
  second line of defence. No sanctions list we ingest needs a DTD.
* **streams.** It runs ``defusedxml.ElementTree.iterparse`` and frees each
  record once the caller has handled it, so memory stays flat however many
  records the file holds.
* **locates every failure.** Syntax errors, truncation and refused DTDs all
  raise ``ReaderError`` with the file, ``line N, column M`` and the reason.

Why defusedxml over lxml: lxml would give element line numbers for free, but
making it safe takes several options (``resolve_entities=False``,
``no_network``, ``load_dtd=False``) plus a DOCTYPE check that can only run
after the prolog has been parsed, and with ``resolve_entities=False`` it
reports an undefined entity as "no element found (line 0)". defusedxml is the
approach the Python documentation recommends for untrusted XML, refuses the
DTD before it is read, and expat reports a precise position for every error.
The one thing expat's iterparse lacks, element line numbers, is filled in by
``_LocatingBuilder`` below, which asks expat for its position as each record
starts.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError, iterparse

from accord.errors import ReaderError, SourceError

__all__ = ["XmlRecord", "iter_elements"]


class XmlRecord(NamedTuple):
    """A completed element and the line its start tag is on."""

    line: int
    element: Element


class _LocatingBuilder(TreeBuilder):
    """A tree builder that remembers where each wanted record starts.

    expat's iterparse hands out events a chunk at a time, so by the time a
    caller sees an element the parser is already further on. This builder is
    called while expat is *at* the start tag, which is the only moment its
    position belongs to that element. It also keeps the stack of open
    elements so that a finished record can be detached from its parent:
    ``Element`` has no parent pointer.
    """

    def __init__(self, tags: frozenset[str]) -> None:
        super().__init__()
        self._tags = tags
        self._open: list[Element] = []
        self._where: dict[Element, tuple[int, Element | None]] = {}
        self.parser: DefusedXMLParser | None = None

    def start(self, tag: str, attrs: dict[str, str], /) -> Element:
        element = super().start(tag, attrs)
        if tag in self._tags:
            parent = self._open[-1] if self._open else None
            self._where[element] = (self._line(), parent)
        self._open.append(element)
        return element

    def end(self, tag: str, /) -> Element:
        self._open.pop()
        return super().end(tag)

    def wants(self, element: Element) -> bool:
        """Whether ``element`` is one of the records being collected."""
        return element in self._where

    def take(self, element: Element) -> tuple[int, Element | None]:
        """Forget a finished record and return its line and its parent."""
        return self._where.pop(element)

    def _line(self) -> int:
        return self.parser.parser.CurrentLineNumber if self.parser else 0


def iter_elements(path: Path, tags: str | Collection[str]) -> Iterator[XmlRecord]:
    """Yield each completed element named in ``tags``, in document order.

    The element is only valid until the next one is requested: it is then
    cleared and detached from the tree, which is what keeps memory flat. Take
    what you need from it before asking for the next. Records must not nest
    inside each other (an inner record would be detached from the outer one).
    """
    wanted = frozenset([tags] if isinstance(tags, str) else tags)
    builder = _LocatingBuilder(wanted)
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.parser = parser
    try:
        # Opened here rather than by iterparse: iterparse closes its own handle
        # only when its internal generator is garbage-collected, which for a
        # reader that stops early (on a malformed record) is left to the cycle
        # collector and leaks the file until then.
        with path.open("rb") as handle:
            yield from _records(handle, parser, builder)
    except ParseError as exc:
        raise _syntax_error(path, exc) from exc
    except DefusedXmlException as exc:
        raise _refused(path, parser, exc) from exc
    except (LookupError, ValueError) as exc:
        # expat hands a declared encoding it does not know to Python's codecs,
        # which fail with these (e.g. encoding="bogus", or "utf-16" that the
        # single-byte fallback cannot decode).
        reason = f"unsupported character encoding: {exc}"
        raise ReaderError(path, _position(parser), reason) from exc
    except OSError as exc:
        raise SourceError(f"{path}: cannot read the file: {exc}") from exc


def _records(
    handle: BinaryIO, parser: DefusedXMLParser, builder: _LocatingBuilder
) -> Iterator[XmlRecord]:
    """Yield wanted records, then free each once the caller is done with it."""
    for _event, element in iterparse(handle, events=("end",), parser=parser):
        if not builder.wants(element):
            continue
        line, parent = builder.take(element)
        yield XmlRecord(line, element)
        element.clear()
        if parent is not None:
            parent.remove(element)


def _syntax_error(path: Path, exc: ParseError) -> ReaderError:
    """Turn expat's error into file, position and a plain reason."""
    line, column = exc.position
    # expat counts columns from 0; people (and editors) count them from 1.
    return ReaderError(
        path,
        f"line {line}, column {column + 1}",
        f"malformed XML: {ErrorString(exc.code)}",
    )


def _refused(
    path: Path, parser: DefusedXMLParser, exc: DefusedXmlException
) -> ReaderError:
    """Report a refused DTD or entity where expat stopped reading."""
    reason = (
        f"refused {type(exc).__name__}: untrusted XML may not declare a DTD or "
        "entities (XXE and entity-expansion protection)"
    )
    return ReaderError(path, _position(parser), reason)


def _position(parser: DefusedXMLParser) -> str:
    """Where expat stopped, for errors that do not carry a position."""
    expat = parser.parser
    return f"line {expat.CurrentLineNumber}, column {expat.CurrentColumnNumber + 1}"
