"""MRZ layouts: where each field sits, and the check digits that guard them.

This is the hot path of ``accord.travel.mrz``, kept apart so the public module
stays readable. Nothing here loops over characters in Python: each line is
mapped once through a 256-byte table (``bytes.translate``) to its character
values modulo 10, which is all a 7-3-1 check digit needs, and the weighted sum
is three C-level ``sum`` calls over strided slices. The charset check is one
``translate`` that deletes the legal bytes and looks at what is left.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from accord.errors import InvalidData

__all__ = [
    "HARD",
    "Checked",
    "Layout",
    "MrzFormat",
    "MrzIssue",
    "check",
    "check_digit",
    "layout_of",
]

_LEGAL = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
_FILLER = 60  # ord("<")
_ZERO = 48  # ord("0")


def _value_table() -> bytes:
    """Character values modulo 10; illegal characters count as 0, like '<'."""
    table = bytearray(256)
    for value, char in enumerate(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"):
        table[char] = value % 10
    return bytes(table)


_VALUES = _value_table()


def _digit(values: bytes) -> int:
    """7-3-1 weighted sum modulo 10 over values already reduced modulo 10.

    Written as 1 for all + 6 more for each first of three + 2 more for each
    second (7 = 1 + 6, 3 = 1 + 2): one strided slice fewer than the obvious
    form. ``check`` inlines it.
    """
    return (sum(values) + 6 * sum(values[0::3]) + 2 * sum(values[1::3])) % 10


def check_digit(text: str) -> int:
    """The ICAO 9303 check digit of ``text`` (illegal characters count as 0)."""
    return _digit(text.encode("ascii", "replace").translate(_VALUES))


class MrzFormat(StrEnum):
    """The layouts ICAO 9303 defines, plus the one national layout we accept."""

    TD1 = "TD1"
    TD2 = "TD2"
    TD3 = "TD3"
    MRV_A = "MRV-A"
    MRV_B = "MRV-B"
    FR_CNI = "FR-CNI"


class MrzIssue(NamedTuple):
    """One problem, located by line and column (both 1-based) when it has a place.

    A named tuple rather than a dataclass: a warning is made for most real
    documents (expired, specimen state), and tuples are built several times
    faster, which the throughput target notices.
    """

    code: str
    field: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        return self.message


# A check-digit field as written in Doc 9303: (name, line, start, end, digit).
_Spec = tuple[str, int, int, int, int]
# The same with offsets into the joined lines: (name, start, end, digit).
_Check = tuple[str, int, int, int]
_Fields = Callable[[list[str], str, str], dict[str, str]]


@dataclass(frozen=True, slots=True)
class Layout:
    """One format: its check-digit fields, composite, and field extraction.

    Offsets are into the lines joined into one string, so each MRZ is
    encoded and translated once, not once per line.
    """

    format: MrzFormat
    width: int
    checks: tuple[_Check, ...]
    composite: tuple[tuple[int, int], ...]
    composite_digit: int | None
    long_number: tuple[int, int] | None  # where a long document number continues
    extract: _Fields


def _layout(
    format: MrzFormat,
    width: int,
    checks: tuple[_Spec, ...],
    composite: tuple[tuple[int, int], tuple[tuple[int, int, int], ...]] | None = None,
    long_number: tuple[int, int, int] | None = None,
    *,
    extract: _Fields,
) -> Layout:
    """A layout from Doc 9303's (line, column) notation; ``composite`` is
    (digit position, slices)."""

    def at(line: int, column: int) -> int:
        return line * width + column

    digit, slices = composite or (None, ())
    return Layout(
        format,
        width,
        tuple((n, at(ln, s), at(ln, e), at(ln, d)) for n, ln, s, e, d in checks),
        tuple((at(ln, s), at(ln, e)) for ln, s, e in slices),
        at(*digit) if digit else None,
        (at(long_number[0], long_number[1]), at(long_number[0], long_number[2]))
        if long_number
        else None,
        extract,
    )


# What the check-digit pass found: checks, fields, and issues (hard and soft).
Checked = tuple[dict[str, bool], dict[str, str], list[MrzIssue]]
HARD = frozenset({"check_digit", "charset"})


def layout_of(lines: list[str]) -> Layout:
    """The layout for these line lengths, or ``InvalidData`` naming the shape."""
    if len(lines) == 2 and len(lines[0]) == len(lines[1]):
        width = len(lines[0])
        if width == 44:
            return _MRV_A if lines[0][0] == "V" else _TD3
        if width == 36:
            if lines[0].startswith("IDFRA"):
                return _FR_CNI
            return _MRV_B if lines[0][0] == "V" else _TD2
    if len(lines) == 3 and len(lines[0]) == len(lines[1]) == len(lines[2]) == 30:
        return _TD1
    lengths = [len(line) for line in lines]
    shape = ", ".join(f"line {i} has {n}" for i, n in enumerate(lengths, 1))
    detail = f"not an MRZ layout: {len(lines)} line(s) ({shape or 'empty'})"
    expected = "3 x 30 (TD1), 2 x 36 (TD2, MRV-B, French CNI) or 2 x 44 (TD3, MRV-A)"
    raise InvalidData(detail, {"length": f"expected {expected} characters"})


def check(layout: Layout, lines: list[str]) -> Checked:
    """Run every check digit and the charset check; extract the fields.

    The common case (the printed digit is right) is inlined; a mismatch goes
    to ``_mismatch``, which tells an empty optional field or a long document
    number from an error. Issues whose code is in ``HARD`` are errors.
    """
    text = "".join(lines)
    raw = text.encode("ascii", "replace")  # non-ASCII becomes '?'
    values = raw.translate(_VALUES)
    checks: dict[str, bool] = {}
    issues: list[MrzIssue] = []
    number = None
    for spec in layout.checks:
        name, start, end, position = spec
        v = values[start:end]
        if raw[position] - _ZERO == (sum(v) + 6 * sum(v[0::3]) + 2 * sum(v[1::3])) % 10:
            checks[name] = True
        else:
            number = _mismatch(layout, spec, raw, values, checks, issues) or number
    if layout.composite_digit is not None:
        v = b"".join([values[start:end] for start, end in layout.composite])
        computed = (sum(v) + 6 * sum(v[0::3]) + 2 * sum(v[1::3])) % 10
        ok = raw[layout.composite_digit] - _ZERO == computed
        checks["composite"] = ok or _failed(layout, "composite", raw, computed, issues)
    checks["charset"] = not raw.translate(None, _LEGAL) or _charset(lines, issues)
    number = number or _number(layout, text)
    return checks, layout.extract(lines, *number), issues


def _number(layout: Layout, text: str) -> tuple[str, str]:
    """The document number as printed, and the optional data after it."""
    _, start, end, _ = layout.checks[0]
    rest = text[slice(*layout.long_number)] if layout.long_number else ""
    return text[start:end].rstrip("<"), rest


def _mismatch(
    layout: Layout,
    spec: _Check,
    raw: bytes,
    values: bytes,
    checks: dict[str, bool],
    issues: list[MrzIssue],
) -> tuple[str, str] | None:
    """A printed digit that is not the computed one: why, and is it an error?

    '<' is fine for an empty optional field (TD3 personal number), and marks
    a long document number (TD1, TD2); anything else is an error. Returns the
    document number when it was a long one.
    """
    name, start, end, position = spec
    if raw[position] == _FILLER:
        if name == "personal_number" and not raw[start:end].strip(b"<"):
            checks[name] = True
            return None
        if name == "document_number" and layout.long_number is not None:
            return _long_number(layout, raw, values, checks, issues)
    checks[name] = _failed(layout, name, raw, _digit(values[start:end]), issues)
    return None


def _failed(
    layout: Layout, name: str, raw: bytes, computed: int, issues: list[MrzIssue]
) -> bool:
    """Record a wrong check digit, located by line and column; always False."""
    position = next((c[3] for c in layout.checks if c[0] == name), None)
    if position is None:
        position = layout.composite_digit or 0
    issues.append(_digit_issue(layout, name, raw, position, computed))
    return False


def _digit_issue(
    layout: Layout, name: str, raw: bytes, position: int, computed: int
) -> MrzIssue:
    line, column = divmod(position, layout.width)
    printed = chr(raw[position])
    label = name.replace("_", " ")
    message = (
        f"line {line + 1}, column {column + 1}: {label} check digit is "
        f"{printed!r}, computed {computed}"
    )
    return MrzIssue("check_digit", name, message, line + 1, column + 1)


def _charset(lines: list[str], issues: list[MrzIssue]) -> bool:
    """The slow path, taken only for bad input: locate each illegal character."""
    for index, line in enumerate(lines, 1):
        for column, char in enumerate(line, 1):
            if not (char.isascii() and char.encode() in _LEGAL):
                where = f"line {index}, column {column}"
                message = f"{where}: illegal character {char!r} (only A-Z, 0-9, '<')"
                issues.append(MrzIssue("charset", "charset", message, index, column))
    return False


def _long_number(
    layout: Layout,
    raw: bytes,
    values: bytes,
    checks: dict[str, bool],
    issues: list[MrzIssue],
) -> tuple[str, str] | None:
    """A document number longer than nine characters (TD1, TD2), and the rest.

    Such numbers put '<' in the check-digit position and continue in the
    optional data up to the next '<'; the last character before it is the
    check digit. Belgium computes that digit over the number *with* the '<'
    (BEL-BO-03003): accepted, with a warning.
    """
    _, start, end, _ = layout.checks[0]
    opt_start, opt_end = layout.long_number or (0, 0)
    text = raw.decode("ascii")
    tail, _, rest = text[opt_start:opt_end].partition("<")
    if not tail:  # '<' with no continuation: just a missing digit
        computed = _digit(values[start:end])
        checks["document_number"] = _failed(
            layout, "document_number", raw, computed, issues
        )
        return None
    digit_at = opt_start + len(tail) - 1
    printed = raw[digit_at] - _ZERO
    icao = _digit(values[start:end] + values[opt_start:digit_at])
    filler = _digit(values[start:digit_at])
    checks["document_number"] = ok = printed in (icao, filler)
    if not ok:
        issues.append(_digit_issue(layout, "document_number", raw, digit_at, icao))
    elif printed != icao:
        message = (
            "non-ICAO variant: the document-number check digit covers the '<' "
            "filler (as on Belgian eID cards)"
        )
        issues.append(MrzIssue("non_icao_variant", "document_number", message))
    return text[start:end] + tail[:-1], rest


def _name(field: str) -> tuple[str, str]:
    """``SURNAME<<GIVEN<NAMES`` into ``("SURNAME", "GIVEN NAMES")``."""
    surname, _, given = field.rstrip("<").partition("<<")
    given = given.replace("<", " ")
    if "  " in given or given[:1] == " ":  # "ANNA<<MARIA": fillers, not a name part
        given = " ".join(given.split())
    return surname.replace("<", " ").strip(), given


def _fields_td1(lines: list[str], number: str, rest: str) -> dict[str, str]:
    l1, l2, l3 = lines
    surname, given = _name(l3)
    return {
        "document_code": l1[0:2].rstrip("<"),
        "issuing_state": l1[2:5].rstrip("<"),
        "document_number": number,
        "optional_data_1": rest.rstrip("<"),
        "birth_date": l2[0:6],
        "sex": l2[7],
        "expiry_date": l2[8:14],
        "nationality": l2[15:18].rstrip("<"),
        "optional_data_2": l2[18:29].rstrip("<"),
        "surname": surname,
        "given_names": given,
    }


def _two_line(lines: list[str], number: str) -> dict[str, str]:
    """TD2, TD3, MRV-A and MRV-B share everything up to the optional data."""
    l1, l2 = lines
    surname, given = _name(l1[5:])
    return {
        "document_code": l1[0:2].rstrip("<"),
        "issuing_state": l1[2:5].rstrip("<"),
        "surname": surname,
        "given_names": given,
        "document_number": number,
        "nationality": l2[10:13].rstrip("<"),
        "birth_date": l2[13:19],
        "sex": l2[20],
        "expiry_date": l2[21:27],
    }


def _fields_td2(lines: list[str], number: str, rest: str) -> dict[str, str]:
    fields = _two_line(lines, number)
    fields["optional_data"] = rest.rstrip("<")
    return fields


def _fields_td3(lines: list[str], number: str, rest: str) -> dict[str, str]:
    fields = _two_line(lines, number)
    fields["personal_number"] = lines[1][28:42].rstrip("<")
    return fields


def _fields_mrv(lines: list[str], number: str, rest: str) -> dict[str, str]:
    fields = _two_line(lines, number)
    fields["optional_data"] = lines[1][28:].rstrip("<")
    return fields


def _fields_fr_cni(lines: list[str], number: str, rest: str) -> dict[str, str]:
    """France's pre-2021 card: surname, then a department code; no expiry field."""
    l1, l2 = lines
    return {
        "document_code": l1[0:2].rstrip("<"),
        "issuing_state": l1[2:5].rstrip("<"),
        "surname": " ".join(l1[5:30].replace("<", " ").split()),
        "administrative_code": l1[30:36].rstrip("<"),
        "document_number": number,
        "given_names": " ".join(l2[13:27].replace("<", " ").split()),
        "birth_date": l2[27:33],
        "sex": l2[34],
    }


_TWO_LINE_CHECKS: tuple[_Spec, ...] = (
    ("document_number", 1, 0, 9, 9),
    ("birth_date", 1, 13, 19, 19),
    ("expiry_date", 1, 21, 27, 27),
)
_TD1 = _layout(
    MrzFormat.TD1,
    30,
    (
        ("document_number", 0, 5, 14, 14),
        ("birth_date", 1, 0, 6, 6),
        ("expiry_date", 1, 8, 14, 14),
    ),
    ((1, 29), ((0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29))),
    (0, 15, 30),
    extract=_fields_td1,
)
_TD2 = _layout(
    MrzFormat.TD2,
    36,
    _TWO_LINE_CHECKS,
    ((1, 35), ((1, 0, 10), (1, 13, 20), (1, 21, 35))),
    (1, 28, 35),
    extract=_fields_td2,
)
_TD3 = _layout(
    MrzFormat.TD3,
    44,
    (*_TWO_LINE_CHECKS, ("personal_number", 1, 28, 42, 42)),
    ((1, 43), ((1, 0, 10), (1, 13, 20), (1, 21, 43))),
    extract=_fields_td3,
)
_MRV_A = _layout(MrzFormat.MRV_A, 44, _TWO_LINE_CHECKS, extract=_fields_mrv)
_MRV_B = _layout(MrzFormat.MRV_B, 36, _TWO_LINE_CHECKS, extract=_fields_mrv)
_FR_CNI = _layout(
    MrzFormat.FR_CNI,
    36,
    (("document_number", 1, 0, 12, 12), ("birth_date", 1, 27, 33, 33)),
    ((1, 35), ((0, 0, 36), (1, 0, 35))),
    extract=_fields_fr_cni,
)
