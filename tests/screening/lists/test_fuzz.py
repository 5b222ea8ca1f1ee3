"""Every list reader against arbitrary and damaged input (hypothesis).

Whatever the bytes, a reader either yields entities or raises ReaderError
with a position; nothing else may escape.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.readers.base import Reader
from accord.screening.lists.eu_fsf import EuFsfXmlReader
from accord.screening.lists.ofac_sdn import OfacSdnXmlReader
from accord.screening.lists.uk_ofsi import UkOfsiCsvReader
from accord.screening.lists.uk_sanctions import UkSanctionsXmlReader
from tests.screening.lists.support import FIXTURES, FUZZ, parses_or_reader_error

# reader, fixture it damages, file name it reads, positions its errors may name
CASES = [
    (EuFsfXmlReader, "eu_fsf.xml", "eu.xml", ("line ", "record ")),
    (OfacSdnXmlReader, "ofac_sdn.xml", "sdn.xml", ("line ", "record uid=")),
    (UkOfsiCsvReader, "ConList.csv", "ConList.csv", ("line ",)),
    (UkSanctionsXmlReader, "uk_sanctions.xml", "uk.xml", ("line ", "record UniqueID=")),
]
IDS = [case[0].NAME for case in CASES]


@pytest.mark.parametrize(("reader", "fixture", "filename", "positions"), CASES, ids=IDS)
@FUZZ
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes(
    tmp_path: Path,
    reader: type[Reader],
    fixture: str,
    filename: str,
    positions: tuple[str, ...],
    data: bytes,
) -> None:
    path = tmp_path / filename
    path.write_bytes(data)
    parses_or_reader_error(reader(path), positions)


@pytest.mark.parametrize(("reader", "fixture", "filename", "positions"), CASES, ids=IDS)
@FUZZ
@given(
    start=st.integers(0, 9_000), length=st.integers(1, 300), junk=st.binary(max_size=8)
)
def test_damaged_fixture(
    tmp_path: Path,
    reader: type[Reader],
    fixture: str,
    filename: str,
    positions: tuple[str, ...],
    start: int,
    length: int,
    junk: bytes,
) -> None:
    whole = (FIXTURES / fixture).read_bytes()
    path = tmp_path / filename
    path.write_bytes(whole[:start] + junk + whole[start + length :])
    parses_or_reader_error(reader(path), positions)
