"""Readers for the official sanctions and terrorist lists, and their sources.

Each list's reader turns the file its publisher serves into FtM entities
(``Person``, ``Organization``/``LegalEntity``, ``Vessel``, ``Airplane``, one
``Sanction`` per listing, ``Passport``/``Identification`` documents), mapped
the way OpenSanctions maps the same source. ``LIST_READERS`` is what a plugin
manifest registers; ``fetch.LIST_SOURCES`` says where each list is published.
"""

from accord.readers.base import Reader
from accord.screening.lists.eu_fsf import EuFsfXmlReader
from accord.screening.lists.ofac_sdn import (
    OfacConsCsvReader,
    OfacSdnCsvReader,
    OfacSdnXmlReader,
)
from accord.screening.lists.ru_rosfin import RuRosfinReader
from accord.screening.lists.uk_ofsi import UkOfsiCsvReader
from accord.screening.lists.uk_sanctions import UkSanctionsXmlReader

__all__ = [
    "LIST_READERS",
    "EuFsfXmlReader",
    "OfacConsCsvReader",
    "OfacSdnCsvReader",
    "OfacSdnXmlReader",
    "RuRosfinReader",
    "UkOfsiCsvReader",
    "UkSanctionsXmlReader",
]

LIST_READERS: tuple[type[Reader], ...] = (
    OfacSdnCsvReader,
    OfacConsCsvReader,
    OfacSdnXmlReader,
    UkOfsiCsvReader,
    UkSanctionsXmlReader,
    EuFsfXmlReader,
    RuRosfinReader,
)
