"""The reader seam: one class per input format, yielding FtM entities.

A reader knows a file format and nothing else: it does no I/O beyond reading
its own file, and it knows nothing about datasets, markings or the store. The
ingest service wraps what a reader yields into statements of one dataset, in
one transaction, so a reader that raises half-way stores nothing.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from followthemoney import EntityProxy


class Reader(ABC):
    """Turns one file of one format into FtM entities.

    Subclasses set ``NAME`` (the stable ``--format`` value, lower snake_case)
    and ``TITLE`` (one line shown by ``accord ingest --help``). ``read()`` must
    stream: it may hold one record in memory, not the whole file. Malformed
    input raises ``accord.errors.ReaderError`` naming the file, the position
    and the reason.
    """

    NAME: ClassVar[str]
    TITLE: ClassVar[str]

    def __init__(self, path: Path) -> None:
        self.path = path

    @abstractmethod
    def read(self) -> Iterator[EntityProxy]:
        """Yield each entity of the file, in file order."""
