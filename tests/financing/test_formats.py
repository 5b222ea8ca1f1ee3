"""Reading transaction files: layouts, value rules, and refusing bad rows."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import ReaderError
from accord.financing import formats as fm
from accord.financing.ledger import LABEL, transactions_of
from accord.financing.sources import check_file, iter_transactions, read_ledger
from tests.financing.support import AMLSIM_2019_EXCERPT, AMLSIM_EXCERPT, shared_file

HEADER = "tran_id,orig,bene,amount,currency,timestamp\n"


def write(path: Path, body: str, header: str = HEADER) -> Path:
    path.write_text(header + body, encoding="utf-8")
    return path


def test_amlsim_excerpt_reads_with_labels_in_their_own_column() -> None:
    ledger = read_ledger(AMLSIM_EXCERPT, "amlsim")
    assert ledger.height == 32_032
    assert int(ledger[LABEL].sum()) == 240
    first = ledger.row(0, named=True)
    assert (first["tran_id"], first["orig"], first["bene"]) == ("1", "596", "331")
    assert first["amount"] == 806.02
    assert first["ts"] == 1_483_228_800  # 2017-01-01T00:00:00Z
    assert "alert_id" not in ledger.columns


def test_amlsim_2019_layout_counts_days_from_the_simulation_start() -> None:
    ledger = read_ledger(AMLSIM_2019_EXCERPT, "amlsim")
    assert LABEL not in ledger.columns
    assert ledger.height == 300
    assert ledger["tran_id"][0] == "2"  # the line number: the file has no ids
    assert ledger["ts"][0] == fm.STEP_EPOCH + 1 * fm.SECONDS_PER_DAY


def test_amlworld_layout_qualifies_accounts_by_bank(tmp_path: Path) -> None:
    header = (
        "Timestamp,From Bank,Account,To Bank,Account,Amount Received,"
        "Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering\n"
    )
    body = (
        "2022/09/01 00:20,10,8000EBD30,10,8000EBD30,3697.34,US Dollar,3697.34,"
        "US Dollar,Reinvestment,0\n"
        "2022/09/01 00:20,3208,8000F4580,1,8000F5340,0.01,Euro,0.01,Euro,Cheque,1\n"
    )
    ledger = read_ledger(write(tmp_path / "hi.csv", body, header), "amlworld")
    assert ledger["orig"].to_list() == ["10-8000EBD30", "3208-8000F4580"]
    assert ledger["bene"][1] == "1-8000F5340"
    assert ledger["currency"].to_list() == ["USD", "EUR"]
    assert ledger[LABEL].to_list() == [0, 1]
    assert ledger["tx_type"][1] == "Cheque"


def test_generic_csv_takes_a_column_mapping(tmp_path: Path) -> None:
    mapping = fm.ColumnMapping(
        orig="from", bene="to", amount="eur", timestamp="when", default_currency="EUR"
    )
    path = write(tmp_path / "m.csv", "a,b,12.50,2024-03-01\n", "from,to,eur,when\n")
    [row] = read_ledger(path, "csv", mapping).rows(named=True)
    assert (row["orig"], row["bene"], row["amount"], row["currency"]) == (
        "a",
        "b",
        12.5,
        "EUR",
    )
    assert row["tran_id"] == "2"


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ("t2,a,b,-5,EUR,2024-01-01", "negative amount '-5'"),
        ("t2,a,b,ten,EUR,2024-01-01", "amount 'ten' is not a number"),
        ("t2,a,b,5,XYZ,2024-01-01", "unknown currency 'XYZ'"),
        ("t2,a,b,5,EUR,yesterday", "timestamp 'yesterday' cannot be parsed"),
        ("t2,,b,5,EUR,2024-01-01", "empty account"),
    ],
)
def test_bad_rows_are_refused_with_their_line(
    tmp_path: Path, cells: str, reason: str
) -> None:
    path = write(tmp_path / "bad.csv", f"t1,a,b,5,EUR,2024-01-01\n{cells}\n")
    with pytest.raises(ReaderError) as bulk:
        read_ledger(path, "csv")
    with pytest.raises(ReaderError) as rows:
        check_file(path, "csv")
    for error in (bulk.value, rows.value):
        assert error.position == "line 3"
        assert f"line 3: {reason}" in error.reason


def test_every_bad_row_is_named_at_once(tmp_path: Path) -> None:
    body = "t1,a,b,-1,EUR,2024-01-01\nt2,a,b,5,EUR,2024-01-01\nt3,a,b,5,EUR,never\n"
    with pytest.raises(ReaderError) as caught:
        read_ledger(write(tmp_path / "bad.csv", body), "csv")
    assert caught.value.position == "line 2, 4"
    assert "2 bad row(s)" in caught.value.reason


def test_missing_columns_are_named(tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "a,b\n", "orig,bene\n")
    with pytest.raises(ReaderError, match="missing column\\(s\\) amount, timestamp"):
        read_ledger(path, "csv")


def test_gzip_files_read_like_plain_ones(tmp_path: Path) -> None:
    body = "t1,a,b,5,EUR,2024-01-01T10:00:00Z\n"
    plain = write(tmp_path / "p.csv", body)
    packed = tmp_path / "p.csv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert read_ledger(plain, "csv").equals(read_ledger(packed, "csv"))


def test_timestamps_with_offsets_become_utc() -> None:
    assert fm.parse_timestamp("2024-01-01T01:00:00+01:00", fm.TimeFormat.TIMESTAMP) == (
        fm.parse_timestamp("2024-01-01", fm.TimeFormat.TIMESTAMP)
    )


CELLS = st.one_of(
    st.sampled_from(["5", "0.5", "-3", "1e3", "", " 7 ", "abc", ".5", "nan"]),
    st.text(alphabet="0123456789.-+e ", max_size=6),
)
TIMES = st.sampled_from(
    ["2024-01-01", "2024-01-01T10:00:00Z", "2024/01/02 10:00", "24-1-1", "", "x"]
)
CURRENCIES = st.sampled_from(["EUR", "usd", "Bitcoin", "Yen", "ABC", "", "eur "])


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(CELLS, TIMES, CURRENCIES), min_size=1, max_size=6))
def test_bulk_and_row_paths_accept_and_refuse_the_same(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, str, str]]
) -> None:
    body = "".join(
        f"t{i},a{i},b,{amount},{currency},{when}\n"
        for i, (amount, when, currency) in enumerate(rows)
    )
    path = write(tmp_path_factory.mktemp("fuzz") / "f.csv", body.replace(",,", ", ,"))
    try:
        bulk = read_ledger(path, "csv")
    except ReaderError as exc:
        with pytest.raises(ReaderError) as caught:
            check_file(path, "csv")
        assert caught.value.detail == exc.detail
        return
    with path.open(encoding="utf-8", newline="") as handle:
        streamed = list(iter_transactions(handle, str(path), "csv"))
    assert transactions_of(bulk) == streamed


def test_streaming_stops_at_the_first_bad_row() -> None:
    text = HEADER + "t1,a,b,5,EUR,2024-01-01\nt2,a,b,x,EUR,2024-01-01\n"
    rows = iter_transactions(io.StringIO(text), "<stdin>", "csv")
    assert next(rows).tran_id == "t1"
    with pytest.raises(ReaderError, match="<stdin>: line 3"):
        next(rows)


def test_labels_are_read_only_from_the_label_column(tmp_path: Path) -> None:
    body = "t1,a,b,5,EUR,2024-01-01,1\n"
    path = write(tmp_path / "l.csv", body, HEADER.strip() + ",label\n")
    ledger = read_ledger(path, "csv")
    assert ledger[LABEL].dtype == pl.Int8
    assert ledger[LABEL].to_list() == [1]


def test_ragged_rows_are_named_in_bulk_too(tmp_path: Path) -> None:
    path = write(tmp_path / "r.csv", "t1,a,b,5,EUR,2024-01-01\nt2,a,b,5\n")
    with pytest.raises(ReaderError, match="line 3: 4 cells, the header has 6"):
        read_ledger(path, "csv")


@pytest.mark.shared_data
def test_the_full_amlsim_evaluation_set_reads_whole() -> None:
    ledger = read_ledger(shared_file("amlsim_tf_eval/transactions.csv.gz"), "amlsim")
    assert ledger.height == 606_194
    assert int(ledger[LABEL].sum()) == 2_683
