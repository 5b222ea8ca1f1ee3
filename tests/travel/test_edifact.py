"""EDIFACT tokenizer and envelope: quirks tolerated, truncation refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import ReaderError, SourceError
from accord.travel.edifact import Interchange, Message, Segment
from accord.travel.envelope import messages
from tests.travel.support import FIXTURES

BODY = "BGM+745'NAD+FL+++DOE:JANE'DTM+329:800101'"
GOOD = f"UNB+UNOA:4+AIR+GOV+240101:1200+42'UNH+1+PAXLST:D:05B:UN:IATA'{BODY}UNT+5+1'UNZ+1+42'"


def read(data: str | bytes) -> tuple[list[Message], list[str]]:
    raw = data.encode("latin-1") if isinstance(data, str) else data
    warnings: list[str] = []
    found = list(messages(Interchange(raw, "mem.edi", warnings)))
    return found, warnings


def tags(message: Message) -> list[str]:
    return [segment.tag for segment in message.segments]


def segment(message: Message, tag: str) -> Segment:
    return next(s for s in message.segments if s.tag == tag)


def error_of(data: str | bytes) -> ReaderError:
    with pytest.raises(ReaderError) as info:
        read(data)
    return info.value


def test_a_clean_interchange_has_no_warnings() -> None:
    found, warnings = read(GOOD)
    assert warnings == []
    (message,) = found
    assert (message.reference, message.type, message.version) == (
        "1",
        "PAXLST",
        "D:05B",
    )
    assert tags(message) == ["UNH", "BGM", "NAD", "DTM", "UNT"]
    nad = segment(message, "NAD")
    assert nad.elements == (("FL",), ("",), ("",), ("DOE", "JANE"))
    assert (nad.value(3, 1), nad.value(9), nad.value(3, 7)) == ("JANE", "", "")
    assert nad.position == "segment 4 (NAD), line 1"
    assert message.header is not None and message.header.value(4) == "42"


def test_una_sets_the_separators() -> None:
    text = GOOD.replace("+", "*").replace("'", "$\r\n")
    found, warnings = read("UNA:*.? $\r\n" + text)
    assert warnings == []
    assert segment(found[0], "NAD").value(3) == "DOE"
    assert segment(found[0], "NAD").line == 5  # UNA on line 1, UNB on 2


def test_newline_as_segment_terminator() -> None:
    text = "UNA:+.? \n" + GOOD.replace("'", "\r\n")
    found, warnings = read(text)
    assert warnings == []
    assert segment(found[0], "NAD").elements[3] == ("DOE", "JANE")


def test_release_character_escapes_separators() -> None:
    body = "NAD+FL+++O?'BRIEN:ANNE?+MARIE?:X??'"
    found, _ = read(GOOD.replace("NAD+FL+++DOE:JANE'", body))
    assert segment(found[0], "NAD").elements[3] == ("O'BRIEN", "ANNE+MARIE:X?")


def test_a_space_release_in_the_una_means_none() -> None:
    found, _ = read("UNA:+.  '" + GOOD.replace("DOE:JANE", "DOE?:JANE"))
    assert segment(found[0], "NAD").elements[3] == ("DOE?", "JANE")


def test_whitespace_between_and_line_wraps_inside_segments() -> None:
    text = GOOD.replace("'", "'\r\n   ").replace("DOE:JANE", "DO\r\nE:JA\nNE")
    found, warnings = read(text)
    assert warnings == []
    nad = segment(found[0], "NAD")
    assert nad.elements[3] == ("DOE", "JANE")
    assert nad.line == 4


def test_stray_space_in_a_tag_is_a_warning() -> None:
    found, warnings = read(GOOD.replace("UNH+", "UNH +"))
    assert tags(found[0])[0] == "UNH"
    assert warnings == [
        "mem.edi: segment 2 (UNH), line 1: stray whitespace around the tag 'UNH '"
    ]


def test_bytes_outside_the_character_set_become_question_marks() -> None:
    data = GOOD.encode().replace(b"DOE", b"NOV\x87K")
    found, warnings = read(data)
    assert segment(found[0], "NAD").value(3) == "NOV?K"
    assert warnings == [
        "mem.edi: segment 4 (NAD), line 1: byte 0x87 outside UNOA; replaced by '?'"
    ]


def test_utf8_interchanges_keep_their_letters() -> None:
    data = GOOD.replace("UNOA", "UNOY").replace("DOE", "DÖE").encode("utf-8")
    found, warnings = read(data)
    assert segment(found[0], "NAD").value(3) == "DÖE" and warnings == []


def test_five_character_una_is_read_with_a_warning() -> None:
    found, warnings = read("UNA:+\\*'\n" + GOOD.replace("DOE:JANE", "DOE\\'S:JANE"))
    assert segment(found[0], "NAD").value(3) == "DOE'S"
    assert "has 5 characters, not 6" in warnings[0]


@pytest.mark.parametrize("una", ["UNA:+'", "UNA:::::'", "UNA:+.?AB"])
def test_unusable_una_is_refused(una: str) -> None:
    error = error_of(una + GOOD)
    assert error.position.startswith("UNA, line 1")


def test_wrong_counts_and_references_are_warnings_naming_the_segment() -> None:
    text = GOOD.replace("UNT+5+1", "UNT+99+7").replace("UNZ+1+42", "UNZ+3+43")
    found, warnings = read(text)
    assert len(found[0].segments) == 5  # everything read is kept
    assert warnings == [
        (
            "mem.edi: segment 6 (UNT), line 1: UNT counts 99 segments in its "
            "message (UNH to UNT), but 5 were read; kept all 5"
        ),
        "mem.edi: segment 6 (UNT), line 1: UNT reference '7' does not match the UNH's '1'",
        (
            "mem.edi: segment 7 (UNZ), line 1: UNZ counts 3 messages in the "
            "interchange, but 1 were read; kept all 1"
        ),
        "mem.edi: segment 7 (UNZ), line 1: UNZ reference '43' does not match the UNB's '42'",
    ]


def test_groups_are_counted_by_une() -> None:
    text = GOOD.replace("'UNH", "'UNG+PAXLST+AIR+GOV+240101:1200+9+UN+D:05B'UNH")
    text = text.replace("'UNZ", "'UNE+2+9'UNZ")
    _, warnings = read(text)
    assert warnings == [
        (
            "mem.edi: segment 8 (UNE), line 1: UNE counts 2 messages in its group, "
            "but 1 were read; kept all 1"
        )
    ]


def test_a_file_cut_inside_a_segment_is_refused() -> None:
    text = GOOD[: GOOD.index("JANE") + 2]
    error = error_of(text)
    assert error.position == "segment 4, line 1"
    assert "ends inside a segment" in error.reason and "truncated" in error.reason


def test_a_file_cut_between_segments_is_refused() -> None:
    text = GOOD[: GOOD.index("UNT")]
    error = error_of(text)
    assert error.position == "segment 5 (DTM), line 1"
    assert "ends inside message '1'" in error.reason


def test_a_new_message_before_the_unt_is_refused() -> None:
    text = GOOD.replace("UNT+5+1'", "UNH+2+PAXLST:D:05B:UN:IATA'UNT+2+2'")
    error = error_of(text)
    assert error.position == "segment 6 (UNH), line 1"
    assert "before the UNT of message '1'" in error.reason


def test_an_interchange_closed_inside_a_message_is_refused() -> None:
    error = error_of(GOOD.replace("UNT+5+1'", ""))
    assert error.position == "segment 6 (UNZ), line 1"
    assert "UNZ before the UNT of message '1'" in error.reason


def test_junk_where_a_tag_belongs_is_refused() -> None:
    error = error_of(GOOD.replace("BGM+745", "12+745"))
    assert error.position == "segment 3, line 1"
    assert "segment tag" in error.reason


def test_missing_unz_and_unterminated_last_segment_are_warnings() -> None:
    _, warnings = read(GOOD.removesuffix("'"))
    assert warnings == [
        "mem.edi: segment 7 (UNZ), line 1: the last segment has no terminator"
    ]
    _, warnings = read(GOOD.removesuffix("UNZ+1+42'"))
    assert "no UNZ at the end" in warnings[0]


def test_text_after_unz_and_segments_outside_messages_are_ignored() -> None:
    found, warnings = read(GOOD.replace("'UNH", "'FTX+JUNK'UNH") + "\r\n13Nov09")
    assert len(found) == 1
    assert warnings == [
        "mem.edi: segment 2 (FTX), line 1: segment outside a UNH...UNT message; ignored",
        "mem.edi: segment 9, line 2: text after UNZ ignored",
    ]


def test_empty_input_has_no_messages() -> None:
    assert read(b"") == ([], [])
    assert read(b"  \r\n ") == ([], [])


def test_open_reports_missing_files(tmp_path: Path) -> None:
    with pytest.raises(SourceError):
        Interchange.open(tmp_path / "absent.edi")


@pytest.mark.parametrize(
    "name", sorted(p.name for p in FIXTURES.glob("gtas_*")), ids=str
)
def test_every_fixture_sample_tokenizes(name: str) -> None:
    found, _ = read((FIXTURES / name).read_bytes())
    assert len(found) == 1
    assert found[0].type in ("PAXLST", "PNRGOV")


def outcome(data: bytes) -> None:
    """Any bytes give messages or a ReaderError naming where, never a crash."""
    try:
        for message in read(data)[0]:
            assert message.segments[0].tag == "UNH"
    except ReaderError as error:
        assert error.position and error.reason


FUZZ = settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
SAMPLE = (FIXTURES / "gtas_apisMessage.txt").read_bytes()


@FUZZ
@given(st.binary(max_size=300))
def test_fuzz_arbitrary_bytes(data: bytes) -> None:
    outcome(data)


@FUZZ
@given(st.integers(0, len(SAMPLE)))
def test_fuzz_every_truncation(cut: int) -> None:
    outcome(SAMPLE[:cut])


@FUZZ
@given(
    st.lists(
        st.tuples(st.integers(0, len(SAMPLE) - 1), st.binary(max_size=3)), max_size=5
    )
)
def test_fuzz_mutations(edits: list[tuple[int, bytes]]) -> None:
    data = bytearray(SAMPLE)
    for position, replacement in edits:
        data[position : position + 1] = replacement
    outcome(bytes(data))


PIECES = st.sampled_from(
    [
        "UNA:+.? '",
        "UNB+UNOA:4+A+B+240101:1200+1'",
        "UNH+1+PAXLST:D:05B'",
        "NAD+FL+++X:Y'",
        "UNT+3+1'",
        "UNZ+1+1'",
        "?'",
        "+",
        ":",
        "'",
        "\r\n",
        " ",
        "é",
    ]
)


@FUZZ
@given(st.lists(PIECES, max_size=12))
def test_fuzz_segment_soup(pieces: list[str]) -> None:
    outcome("".join(pieces).encode("utf-8"))
