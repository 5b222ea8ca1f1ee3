"""ICAO Doc 9303 machine-readable zones: parse, check, and say what is wrong.

A border officer needs two different answers from an MRZ, so a result keeps
them apart:

* ``errors`` are hard: a check digit that does not add up, a character
  outside ``A-Z 0-9 <``. The document was misread or altered.
* ``warnings`` are soft: an unknown or specimen state code, an expired
  document, a date that is not a calendar date, a truncated name, or a
  non-ICAO variant we accept on purpose (the Belgian eID check digit that
  covers the ``<`` filler of a long document number, the pre-2021 French
  identity card). Policy decides what to do with them, not the parser.

A layout that matches no format (wrong line count or length) cannot be
parsed at all and raises ``InvalidData``. ``parse_mrz`` returns every other
input with its errors; ``validate_mrz`` raises when there are any.

Border systems check MRZs by the million, so the check-digit pass
(``mrz_fields``) does no per-character Python work; ``bench()`` measures the
whole parse.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from accord.errors import InvalidData
from accord.travel.codes import state_warning
from accord.travel.mrz_fields import (
    HARD,
    MrzFormat,
    MrzIssue,
    check,
    check_digit,
    layout_of,
)

__all__ = [
    "MrzFormat",
    "MrzIssue",
    "MrzResult",
    "bench",
    "check_digit",
    "parse_mrz",
    "validate_mrz",
]


class MrzResult(NamedTuple):
    """A parsed MRZ: its fields as printed, check results, errors and warnings.

    ``fields`` holds the printed values with fillers removed; dates stay
    ``YYMMDD`` as printed, because the century is a guess. ``birth`` and
    ``expiry`` are that guess as dates, ``None`` when the field is not a
    calendar date. ``checks`` maps each check digit (and ``charset``) to
    whether it holds.

    Immutable like a frozen dataclass, but a named tuple: it is built three
    times faster, and one is built per MRZ at 100,000 MRZs a second.
    """

    format: MrzFormat
    lines: tuple[str, ...]
    fields: dict[str, str]
    checks: dict[str, bool]
    errors: tuple[MrzIssue, ...]
    warnings: tuple[MrzIssue, ...]
    birth: date | None
    expiry: date | None

    @property
    def valid(self) -> bool:
        """No hard errors; warnings are for policy to judge."""
        return not self.errors

    @property
    def document_code(self) -> str:
        return self.fields["document_code"]

    @property
    def document_number(self) -> str:
        return self.fields["document_number"]

    @property
    def issuing_state(self) -> str:
        return self.fields["issuing_state"]

    @property
    def nationality(self) -> str:
        return self.fields.get("nationality", "")

    @property
    def surname(self) -> str:
        return self.fields["surname"]

    @property
    def given_names(self) -> str:
        return self.fields["given_names"]

    @property
    def sex(self) -> str:
        return self.fields["sex"]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form for the API and the CLI."""
        return {
            "format": str(self.format),
            "valid": self.valid,
            "fields": dict(self.fields),
            "checks": dict(self.checks),
            "errors": [issue.message for issue in self.errors],
            "warnings": [issue.message for issue in self.warnings],
        }


def parse_mrz(mrz: str | Sequence[str], *, today: date | None = None) -> MrzResult:
    """Parse an MRZ given as one string (lines split on newlines) or as lines.

    Surrounding whitespace and blank lines are ignored, as OCR output has
    them. ``today`` (default: the current UTC date) decides "expired" and the
    century of two-digit years. Raises ``InvalidData`` only when the layout
    matches no format; every other problem is in the result.
    """
    lines = _lines(mrz)
    layout = layout_of(lines)
    checks, fields, issues = check(layout, lines)
    errors: tuple[MrzIssue, ...] = ()
    if issues:
        errors = tuple(issue for issue in issues if issue.code in HARD)
        issues = [issue for issue in issues if issue.code not in HARD]
    birth, expiry = _dates(fields, today or datetime.now(UTC).date(), issues)
    _state_warnings(fields, issues)
    _layout_warnings(layout.format, lines, fields, issues)
    return MrzResult(
        layout.format,
        tuple(lines),
        fields,
        checks,
        errors,
        tuple(issues),
        birth,
        expiry,
    )


def validate_mrz(mrz: str | Sequence[str], *, today: date | None = None) -> MrzResult:
    """Like ``parse_mrz``, but hard errors raise ``InvalidData`` listing them all."""
    result = parse_mrz(mrz, today=today)
    if result.errors:
        problems: dict[str, str] = {}
        for issue in result.errors:
            key = issue.field
            if key in problems:  # several illegal characters
                key = f"{key} (line {issue.line}, column {issue.column})"
            problems[key] = issue.message
        detail = f"{result.format} MRZ fails {len(result.errors)} check(s)"
        raise InvalidData(detail, problems)
    return result


def bench(n: int = 100_000, seed: int = 0, repeat: int = 5) -> dict[str, Any]:
    """Parse ``n`` synthetic MRZs of every format and report the throughput.

    Returns ``{"n", "repeat", "mrz_per_second" (best pass),
    "median_mrz_per_second", "invalid", "formats"}`` for ``benchmarks/`` to
    write out as JSON.
    """
    from accord.travel.mrz_bench import run  # noqa: PLC0415  (imports this module)

    return run(n, seed, repeat)


def _lines(mrz: str | Sequence[str]) -> list[str]:
    if isinstance(mrz, str):
        mrz = mrz.splitlines()
    try:
        lines = [line.strip() for line in mrz]
        "".join(lines)  # the cheapest way to refuse bytes, which also strip()
    except (AttributeError, TypeError) as exc:
        raise InvalidData("an MRZ is a string or a sequence of strings") from exc
    return lines if all(lines) else [line for line in lines if line]


_CALENDAR: dict[str, tuple[date | None, date | None]] = {}


def _calendar(text: str) -> tuple[date | None, date | None]:
    """``YYMMDD`` in the 2000s and in the 1900s; ``None`` where not a date.

    Memoised (there are only 36,525 valid values): date arithmetic is a fifth
    of the parse otherwise. The bound keeps fuzzed input from growing it.
    """
    pair = _CALENDAR.get(text)
    if pair is None:
        pair = (_date(text, 2000), _date(text, 1900))
        if len(_CALENDAR) < 100_000:
            _CALENDAR[text] = pair
    return pair


def _date(text: str, century: int) -> date | None:
    if not (len(text) == 6 and text.isascii() and text.isdigit()):
        return None
    try:
        return date(century + int(text[:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        return None


def _dates(
    fields: dict[str, str], today: date, warnings: list[MrzIssue]
) -> tuple[date | None, date | None]:
    """Guess centuries: births are never in the future, expiries < 50 years ahead."""
    text = fields["birth_date"]
    recent, old = _calendar(text)
    birth = recent if recent is not None and recent <= today else old
    if birth is None:
        warnings.append(_issue("implausible_date", "birth_date", text))
    text = fields.get("expiry_date", "")
    if not text:
        return birth, None
    recent, old = _calendar(text)
    expiry = old if recent is not None and recent.year > today.year + 50 else recent
    if expiry is None:
        warnings.append(_issue("implausible_date", "expiry_date", text))
    elif expiry < today:
        warnings.append(_issue("expired", "expiry_date", expiry))
    if birth is not None and expiry is not None and birth >= expiry:
        message = f"birth date {birth} is not before expiry {expiry}"
        warnings.append(MrzIssue("implausible_date", "birth_date", message))
    return birth, expiry


_MESSAGES = {
    "implausible_date": "{label} {value!r} is not a date",
    "expired": "expired on {value}",
    "specimen_state": "{label} {value!r} is the ICAO specimen state (Utopia)",
    "unknown_state": "unknown {label} {value!r}",
}
_ISSUES: dict[tuple[str, str, str | date], MrzIssue] = {}


def _issue(code: str, field: str, value: str | date) -> MrzIssue:
    """A warning about one value, memoised: most documents carry one.

    Issues are immutable, so the "expired on 2012-04-15" of one document can
    be the same object as another's; formatting them anew costs a tenth of
    the parse.
    """
    key = (code, field, value)
    issue = _ISSUES.get(key)
    if issue is None:
        label = field.replace("_", " ")
        message = _MESSAGES[code].format(label=label, value=value)
        issue = MrzIssue(code, field, message)
        if len(_ISSUES) < 100_000:
            _ISSUES[key] = issue
    return issue


def _state_warnings(fields: dict[str, str], out: list[MrzIssue]) -> None:
    kind = state_warning(fields["issuing_state"])
    if kind is not None:
        out.append(_issue(kind, "issuing_state", fields["issuing_state"]))
    code = fields.get("nationality")
    if code is not None and (kind := state_warning(code)) is not None:
        out.append(_issue(kind, "nationality", code))


def _layout_warnings(
    format: MrzFormat, lines: list[str], fields: dict[str, str], out: list[MrzIssue]
) -> None:
    if fields["sex"] not in ("M", "F", "X", "<"):
        message = f"sex {fields['sex']!r} is none of M, F, X or '<'"
        out.append(MrzIssue("unknown_sex", "sex", message))
    if format is MrzFormat.FR_CNI:
        message = "non-ICAO variant: French national identity card (pre-2021) layout"
        out.append(MrzIssue("non_icao_variant", "format", message))
        return
    name_field = lines[2] if format is MrzFormat.TD1 else lines[0]
    if name_field[-1] != "<":
        message = "the name fills its field and may be truncated"
        out.append(MrzIssue("name_truncated", "surname", message))
