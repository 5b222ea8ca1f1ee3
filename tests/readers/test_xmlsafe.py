"""The safe XML helper: hostile and broken files fail cleanly, big ones stream."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import ReaderError, SourceError
from accord.readers.xmlsafe import iter_elements

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE list [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<list><item>&secret;</item></list>
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz a="&lol9;"><item>&lol9;</item></lolz>
"""


def write(tmp_path: Path, data: bytes, name: str = "input.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_all(path: Path, tag: str = "item") -> list[tuple[int, str | None]]:
    return [
        (rec.line, rec.element.findtext("name")) for rec in iter_elements(path, tag)
    ]


def test_yields_each_record_with_its_start_line(tmp_path: Path) -> None:
    data = b"""<list>
  <item><name>one</name></item>
  <other><name>skipped</name></other>
  <item>
    <name>two</name>
  </item>
</list>"""
    path = write(tmp_path, data)
    assert read_all(path) == [(2, "one"), (4, "two")]


def test_accepts_several_tags(tmp_path: Path) -> None:
    data = b"<r><a><name>1</name></a><b><name>2</name></b><c/></r>"
    path = write(tmp_path, data)
    tags = [rec.element.tag for rec in iter_elements(path, ("a", "b"))]
    assert tags == ["a", "b"]


def test_clears_each_record_once_the_next_is_requested(tmp_path: Path) -> None:
    data = b"<r><item><name>1</name></item><item><name>2</name></item></r>"
    path = write(tmp_path, data)
    records = iter_elements(path, "item")
    first = next(records).element
    assert first.findtext("name") == "1"
    second = next(records).element
    assert len(first) == 0, "the previous record should have been cleared"
    assert second.findtext("name") == "2"


RECORDS = 20_000
MIN_FILE_SIZE = 4_000_000
MAX_PEAK_BYTES = 1_000_000


def test_memory_stays_flat_on_a_large_file(tmp_path: Path) -> None:
    record = b"<item><name>Some Person</name><note>" + b"x" * 200 + b"</note></item>\n"
    path = write(tmp_path, b"<list>\n" + record * RECORDS + b"</list>")
    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_elements(path, "item"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == RECORDS
    # A ~5 MB file: holding its parsed tree would take several times that.
    assert path.stat().st_size > MIN_FILE_SIZE
    assert peak < MAX_PEAK_BYTES, f"peak {peak} bytes: records are not being freed"


def test_refuses_external_entity_xxe(tmp_path: Path) -> None:
    path = write(tmp_path, XXE)
    with pytest.raises(ReaderError) as info:
        read_all(path)
    error = info.value
    assert error.path == str(path)
    assert error.position.startswith("line 2, column ")
    assert "DTDForbidden" in error.reason
    assert "root:" not in str(error), "the referenced file must never be read"


def test_refuses_billion_laughs_quickly(tmp_path: Path) -> None:
    path = write(tmp_path, BILLION_LAUGHS)
    started = time.monotonic()
    with pytest.raises(ReaderError) as info:
        read_all(path)
    assert time.monotonic() - started < 1.0
    assert info.value.position.startswith("line 2, ")
    assert "DTD" in info.value.reason


def test_refuses_an_external_dtd(tmp_path: Path) -> None:
    data = b'<?xml version="1.0"?>\n\n<!DOCTYPE r SYSTEM "http://example.invalid/r.dtd">\n<r/>'
    path = write(tmp_path, data)
    with pytest.raises(ReaderError) as info:
        read_all(path)
    assert info.value.position.startswith("line 3, ")


def test_malformed_xml_names_line_and_column(tmp_path: Path) -> None:
    data = (
        b"<list>\n  <item><name>ok</name></item>\n  <item><name>x</nam></item></list>"
    )
    path = write(tmp_path, data)
    with pytest.raises(ReaderError) as info:
        read_all(path)
    assert info.value.position == "line 3, column 18"
    assert info.value.reason == "malformed XML: mismatched tag"


def test_truncated_file_is_an_error_after_the_complete_records(tmp_path: Path) -> None:
    data = b"<list>\n<item><name>one</name></item>\n<item><name>tw"
    path = write(tmp_path, data)
    seen: list[str | None] = []
    with pytest.raises(ReaderError) as info:
        for record in iter_elements(path, "item"):
            seen.append(record.element.findtext("name"))
    assert seen == ["one"]
    assert info.value.position.startswith("line 3, ")
    assert "no element found" in info.value.reason


def test_undefined_entity_is_malformed(tmp_path: Path) -> None:
    path = write(tmp_path, b"<r>\n<item>&nope;</item></r>")
    with pytest.raises(ReaderError) as info:
        read_all(path)
    assert info.value.position == "line 2, column 7"
    assert "undefined entity" in info.value.reason


def test_empty_file_is_malformed(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="no element found"):
        read_all(write(tmp_path, b""))


def test_unknown_declared_encoding_is_a_reader_error(tmp_path: Path) -> None:
    path = write(tmp_path, b'<?xml version="1.0" encoding="bogus"?><r/>')
    with pytest.raises(ReaderError, match="unsupported character encoding"):
        read_all(path)


def test_missing_file_is_a_source_error_not_malformed_input(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as info:
        read_all(tmp_path / "absent.xml")
    assert not isinstance(info.value, ReaderError)


XML_PIECES = st.sampled_from(
    [
        "<item>",
        "</item>",
        "<name>",
        "</name>",
        "<list>",
        "</list>",
        "<!DOCTYPE x>",
        "<!ENTITY e 'v'>",
        "&e;",
        "&amp;",
        "&#0;",
        "<![CDATA[",
        "]]>",
        "<?xml version='1.0'?>",
        "<!--",
        "-->",
        "text",
        "\n",
        "\x00",
        "é",
    ]
)


def check_parses_or_reader_error(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        for record in iter_elements(path, ("item", "name")):
            assert record.line >= 1
    except ReaderError as error:
        assert error.path == str(path)
        assert error.position.startswith("line ")


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_fuzz_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    check_parses_or_reader_error(tmp_path / "fuzz.xml", data)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(XML_PIECES, max_size=30))
def test_fuzz_xml_like_text(tmp_path: Path, pieces: list[str]) -> None:
    data = "".join(pieces).encode("utf-8")
    check_parses_or_reader_error(tmp_path / "fuzz.xml", data)
