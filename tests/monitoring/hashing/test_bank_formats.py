"""Malformed bank files are refused with file, line and reason; nothing changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import ReaderError
from accord.monitoring.hashing.bank import BankKind
from accord.monitoring.hashing.formats import (
    BankFileFormat,
    ImportDefaults,
    detect_format,
    read_entries,
)
from accord.monitoring.hashing.results import NewBank
from accord.monitoring.hashing.service import HashBanks
from tests.monitoring.hashing.trail import ACTOR

H1 = "f8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22"
H2 = "98736629670cc19fc9f23862f66cce1f599e32c78e236c78619d202e9e66c157"

MALFORMED = [
    ("bad.csv", f"hash,label\n{H1},ok\nnot-a-hash,bad\n", "line 3", "not a PDQ hash"),
    ("short.csv", f"hash,label\n{H1},ok\n{H2}\n", "line 3", "expected 2 fields"),
    ("long.csv", f"hash,label\n{H1},ok,extra\n", "line 2", "expected 2 fields"),
    ("nohash.csv", f"sha1,label\n{H1},x\n", "line 1", "'hash'"),
    ("date.csv", f"hash,added\n{H1},yesterday\n", "line 2", "ISO date"),
    ("empty.csv", "hash,label\n", "line 1", "no entries"),
    ("bad.jsonl", f'{{"hash": "{H1}"}}\n{{"hash": \n', "line 2", "invalid JSON"),
    ("list.jsonl", f'{{"hash": "{H1}"}}\n["{H2}"]\n', "line 2", "JSON object"),
    ("type.jsonl", '{"hash": 12}\n', "line 1", "must be a string"),
    ("te.csv", f"{H1},a\n{H2[:-1]}z,b\n", "line 2", "not a PDQ hash"),
]


@pytest.mark.parametrize(("name", "content", "position", "reason"), MALFORMED)
def test_malformed_file_is_refused_and_bank_unchanged(
    banks: HashBanks,
    tmp_path: Path,
    defaults: ImportDefaults,
    name: str,
    content: str,
    position: str,
    reason: str,
) -> None:
    banks.create(ACTOR, NewBank("gifct", BankKind.PDQ))
    banks.add(ACTOR, "gifct", [H2], defaults)
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ReaderError) as caught:
        banks.import_file(ACTOR, "gifct", path, defaults)
    error = caught.value
    assert error.path == str(path)
    assert error.position == position
    assert reason in error.reason
    assert len(banks.get(ACTOR, "gifct")) == 1


def test_non_utf8_is_refused(tmp_path: Path, defaults: ImportDefaults) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"hash,label\n" + H1.encode() + b",caf\xe9\n")
    with pytest.raises(ReaderError, match="not UTF-8"):
        read_entries(path, BankKind.PDQ, BankFileFormat.CSV, defaults)


def test_text_file_errors_name_the_line_without_echoing_text(
    tmp_path: Path, defaults: ImportDefaults
) -> None:
    path = tmp_path / "texts.csv"
    path.write_text("text,label\nshort words,x\n")
    with pytest.raises(ReaderError) as caught:
        read_entries(path, BankKind.TEXT, BankFileFormat.CSV, defaults)
    assert caught.value.position == "line 2"
    assert "short words" not in caught.value.detail


def test_te_is_for_pdq_only(tmp_path: Path, defaults: ImportDefaults) -> None:
    path = tmp_path / "te.csv"
    path.write_text(f"{H1},label\n")
    with pytest.raises(ReaderError, match="PDQ hashes only"):
        read_entries(path, BankKind.TEXT, BankFileFormat.TE, defaults)


def test_format_detection(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(f"hash,label\n{H1},x\n")
    (tmp_path / "b.csv").write_text(f"{H1},x\n")
    (tmp_path / "c.txt").write_text(f"{H1}\n")
    (tmp_path / "d.jsonl").write_text(f'{{"hash": "{H1}"}}\n')
    assert detect_format(tmp_path / "a.csv") is BankFileFormat.CSV
    assert detect_format(tmp_path / "b.csv") is BankFileFormat.TE
    assert detect_format(tmp_path / "c.txt") is BankFileFormat.TE
    assert detect_format(tmp_path / "d.jsonl") is BankFileFormat.JSONL


def test_csv_with_bom_and_extra_columns(
    tmp_path: Path, defaults: ImportDefaults
) -> None:
    path = tmp_path / "bom.csv"
    path.write_text(
        f"\ufeffid,hash,label,tags\n7,{H1.upper()},IS,a b\n", encoding="utf-8"
    )
    entries = read_entries(path, BankKind.PDQ, BankFileFormat.CSV, defaults)
    assert entries.provenance[0].label == "IS"
    assert entries.provenance[0].agency == defaults.agency


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    content=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda t: t.encode("utf-8")),
        st.lists(
            st.sampled_from(
                [H1, H2, "hash", "label", ",", "\n", '"', "{", "}", ":", "x"]
            ),
            max_size=40,
        ).map(lambda parts: "".join(parts).encode()),
    ),
    fmt=st.sampled_from(list(BankFileFormat)),
    kind=st.sampled_from(list(BankKind)),
)
def test_parser_fuzz_only_raises_reader_error(
    tmp_path: Path,
    defaults: ImportDefaults,
    content: bytes,
    fmt: BankFileFormat,
    kind: BankKind,
) -> None:
    path = tmp_path / "fuzz.dat"
    path.write_bytes(content)
    try:
        entries = read_entries(path, kind, fmt, defaults)
    except ReaderError as error:
        assert error.path == str(path)
        assert error.position.startswith(("line", "byte"))
    else:
        assert len(entries.rows) == len(entries.provenance) > 0


def test_tech_against_terrorism_hash_list(banks: HashBanks, tmp_path: Path) -> None:
    records = [
        {
            "hash_digest": H1,
            "algorithm": "PDQ",
            "ideology": "islamist",
            "file_type": "image",
            "deleted": False,
            "created_on": "2025-03-04T10:00:00Z",
        },
        {
            "hash_digest": "d41d8cd98f00b204e9800998ecf8427e",
            "algorithm": "MD5",
            "ideology": "far-right",
            "deleted": False,
            "created_on": "2025-03-05",
        },
        {
            "hash_digest": H2,
            "algorithm": "pdq",
            "ideology": "far-right",
            "deleted": True,
            "created_on": "2025-03-06",
        },
    ]
    path = tmp_path / "tat.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    banks.create(ACTOR, NewBank("tat", BankKind.PDQ))
    defaults = ImportDefaults("tcap", "tat", "2026-01-01")
    result = banks.import_file(ACTOR, "tat", path, defaults)
    assert (result.read, result.added, result.ignored) == (1, 1, 2)
    bank = banks.get(ACTOR, "tat")
    assert bank.key(0) == H1
    assert bank.provenance(0).to_dict() == {
        "source": "tcap",
        "agency": "tat",
        "added": "2025-03-04",
        "label": "islamist",
    }
    csv_path = tmp_path / "tat.csv"
    csv_path.write_text(
        f"hash_digest,algorithm,ideology,deleted\n{H2},pdq,far-right,False\n"
    )
    assert banks.import_file(ACTOR, "tat", csv_path, defaults).added == 1
    assert banks.get(ACTOR, "tat").provenance(1).label == "far-right"
