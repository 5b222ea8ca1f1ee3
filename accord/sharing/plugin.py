"""STIX bundles and MISP events as ingest formats (``accord ingest --format``).

These read files that did not come through an agreement (an OpenCTI or
MISP export on disk) into a dataset whose owner and marking the analyst
gives, like any other source. A signed exchange with a partner goes through
``accord share import`` instead, which verifies the sender and keeps each
value's marking.

Both formats are single JSON documents, so the whole file is parsed before
the first entity is yielded; a malformed file yields nothing.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator
from typing import ClassVar

from followthemoney import EntityProxy

from accord.errors import SourceError
from accord.plugins import Plugin
from accord.readers.base import Reader
from accord.sharing.misp import read_misp
from accord.sharing.received import Received
from accord.sharing.stix_read import read_stix


class _BundleReader(Reader):
    @abstractmethod
    def parse(self, data: bytes) -> Received:
        """The file's entities, every value kept (the dataset marking governs)."""

    def read(self) -> Iterator[EntityProxy]:
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise SourceError(f"{self.path}: cannot read the file: {exc}") from exc
        received = self.parse(data)
        for entity in received.entities:
            yield entity.proxy()


class StixBundleReader(_BundleReader):
    """STIX 2.1 bundles: accord's own, and identities, threat actors,
    intrusion sets and campaigns from other producers."""

    NAME: ClassVar[str] = "stix21"
    TITLE: ClassVar[str] = "STIX 2.1 bundle (JSON)"

    def parse(self, data: bytes) -> Received:
        return read_stix(data, str(self.path), None)


class MispEventReader(_BundleReader):
    """MISP event JSON: one entity per person / legal-entity / account object."""

    NAME: ClassVar[str] = "misp_event"
    TITLE: ClassVar[str] = "MISP event (JSON)"

    def parse(self, data: bytes) -> Received:
        return read_misp(data, str(self.path), None)


PLUGIN = Plugin(name="accord.sharing", readers=(StixBundleReader, MispEventReader))
