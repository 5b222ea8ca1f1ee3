"""Travel: MRZ checks, lost/stolen documents, and API/PNR passenger data.

* ``parse_mrz``/``validate_mrz`` check an ICAO 9303 machine-readable zone
  and ``mrz_to_entities`` turns it into FtM entities;
* ``DocumentIndex`` answers SLTD-style "is this document listed lost or
  stolen, and by whom?" from FtM document entities, in memory;
* ``PaxlstReader`` and ``PnrgovReader`` read UN/EDIFACT passenger messages
  into FtM ``Person``, ``Passport``/``Identification``, ``Trip`` and
  booking ``Event`` entities.
"""

from accord.travel.checks import DocumentHit, DocumentIndex, DocumentStatus
from accord.travel.entities import mrz_to_entities
from accord.travel.mrz import (
    MrzFormat,
    MrzIssue,
    MrzResult,
    check_digit,
    parse_mrz,
    validate_mrz,
)
from accord.travel.paxlst import PaxlstReader
from accord.travel.pnrgov import PnrgovReader

__all__ = [
    "DocumentHit",
    "DocumentIndex",
    "DocumentStatus",
    "MrzFormat",
    "MrzIssue",
    "MrzResult",
    "PaxlstReader",
    "PnrgovReader",
    "check_digit",
    "mrz_to_entities",
    "parse_mrz",
    "validate_mrz",
]
