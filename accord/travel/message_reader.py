"""The shared loop of the passenger-message readers.

PAXLST and PNRGOV files are both UN/EDIFACT interchanges of one message
type; the readers differ only in how one message becomes entities.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from followthemoney import EntityProxy

from accord.errors import ReaderError
from accord.readers.base import Reader
from accord.travel.edifact import Interchange, Message
from accord.travel.envelope import messages


class EdifactMessageReader(Reader):
    """Reads every message of ``MESSAGE_TYPE`` in an interchange.

    ``warnings`` lists what was tolerated in the last ``read()``: odd bytes,
    whitespace, wrong trailer counts, messages of another type, each with its
    segment and line.
    """

    MESSAGE_TYPE: ClassVar[str]

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.warnings: list[str] = []

    def read(self) -> Iterator[EntityProxy]:
        """Yield the entities of each message, one message at a time."""
        self.warnings = []
        interchange = Interchange.open(self.path, self.warnings)
        found = 0
        for message in messages(interchange):
            if message.type != self.MESSAGE_TYPE:
                interchange.warn(message.segments[0], f"{message.type} message skipped")
                continue
            found += 1
            yield from self.message_entities(interchange, message)
        if not found:
            reason = f"no {self.MESSAGE_TYPE} message in the file"
            raise ReaderError(self.path, "end of file", reason)

    @abstractmethod
    def message_entities(
        self, interchange: Interchange, message: Message
    ) -> Iterator[EntityProxy]:
        """The entities of one message."""
