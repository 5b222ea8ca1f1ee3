"""Reading the CSV files lists are published as, one row at a time, located.

OFAC's and OFSI's CSV files are Windows products: CRLF line ends, an old
``Ctrl-Z`` (``\\x1a``) end-of-file marker on a line of its own, and in older
copies Windows-1252 bytes where UTF-8 is expected. Python's ``csv`` module
does the quoting; this module feeds it one decoded line at a time so that:

* each line is decoded on its own, UTF-8 first and Windows-1252 otherwise
  (a stray byte must not lose the rest of the file, nor the line numbers);
* each row knows the line it starts on, for errors a person can act on;
* ``csv``'s own errors (a NUL byte, an over-long field, a stray or unclosed
  quote) become ``ReaderError`` with that line. Quoting is strict: every
  real OFAC file parses strictly, and a lenient parser would let one
  unclosed quote swallow the rest of the file without a word.
"""

from __future__ import annotations

import csv
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

from accord.errors import ReaderError, SourceError

__all__ = ["Row", "iter_rows"]

_EOF_MARKER = "\x1a"
_BOM = "\ufeff"


class Row(NamedTuple):
    """The cells of one CSV record and the line it starts on."""

    line: int
    cells: list[str]


def iter_rows(path: Path) -> Generator[Row, None, None]:
    """Yield each non-blank record of ``path``, skipping the EOF marker."""
    try:
        with path.open("rb") as handle:
            yield from _rows(path, handle)
    except OSError as exc:
        raise SourceError(f"{path}: cannot read the file: {exc}") from exc


def _rows(path: Path, handle: BinaryIO) -> Iterator[Row]:
    # Strict: an unbalanced quote otherwise swallows every following row into
    # one cell, silently losing the listings after it.
    reader = csv.reader(_lines(handle), strict=True)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ReaderError(path, f"line {start}", f"malformed CSV: {exc}") from exc
        if cells and cells != [_EOF_MARKER] and any(c.strip() for c in cells):
            yield Row(start, cells)
        start = reader.line_num + 1


def _lines(handle: BinaryIO) -> Iterator[str]:
    """Decoded lines, each keeping its line end so quoted newlines survive."""
    for number, raw in enumerate(handle, start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        yield text.removeprefix(_BOM) if number == 1 else text
