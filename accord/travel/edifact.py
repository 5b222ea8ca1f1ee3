"""UN/EDIFACT as carriers really send it: the tokenizer PAXLST and PNRGOV share.

Why hand-written: ``pydifact`` (0.2.3, the maintained PyPI library) is
strict, and reads only 5 of the 10 GTAS sample messages: it fails on
whitespace and newlines between segments, on ``"UNG "`` with a trailing
space, on ``*``/``$`` separators from the UNA together with leading spaces,
and on a byte outside the declared character set. Real API/PNR traffic looks
like those samples, and a border system cannot refuse a flight's passenger
list for a stray space, so we need a tolerant reader that still says exactly
what it tolerated. It is small: split on the separators, honour the release
character, and check the envelope.

What it tolerates, each time with a warning in ``Interchange.warnings``
unless noted:

* the UNA service string advice (custom separators, no warning), including
  a five-character advice with the decimal mark missing;
* whitespace and line breaks between segments (no warning) and line breaks
  inside segments (removed: they are line wrapping, not data);
* stray whitespace around a segment tag;
* characters outside the declared character set (UNOA, UNOC...), replaced
  by ``?``, and data after UNZ (ignored);
* UNT/UNE/UNZ counts and references that do not match what was read: the
  data is all there, only the trailer is wrong.

What it refuses, with ``ReaderError`` naming the segment number and line:
a file that ends inside a segment or a message (truncated: travellers may be
missing, and a partial list must not pass for a complete one), a message
that starts before the previous one ended, and a segment tag that is not a
tag (wrong separators or binary data).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from accord.errors import ReaderError, SourceError

__all__ = ["Interchange", "Message", "Segment", "ServiceChars"]

log = logging.getLogger(__name__)

_BOM = b"\xef\xbb\xbf"
_TAG = re.compile(r"[A-Z][A-Z0-9]{2}")
_SYNTAX = re.compile(rb"UNB\W{0,3}?(UNO[A-Z]|IATA)")
# Syntax identifier -> Python codec. UNOA/UNOB are ASCII subsets; we accept
# lower case under UNOA, as every carrier in the samples sends it.
_CODECS = {
    "UNOC": "latin-1",
    "UNOD": "iso8859-2",
    "UNOE": "iso8859-5",
    "UNOF": "iso8859-7",
    "UNOG": "iso8859-3",
    "UNOH": "iso8859-4",
    "UNOI": "iso8859-6",
    "UNOJ": "iso8859-8",
    "UNOK": "iso8859-9",
    "UNOW": "utf-8",
    "UNOY": "utf-8",
}


@dataclass(frozen=True, slots=True)
class ServiceChars:
    """The separators a UNA advertises (ISO 9735 defaults otherwise)."""

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str | None = "?"
    repetition: str = " "
    segment: str = "'"


@dataclass(frozen=True, slots=True)
class Segment:
    """One segment: its tag and its elements, each a tuple of components.

    ``number`` counts segments from 1 (UNB is 1; UNA is not a segment) and
    ``line`` is where the segment starts, so a person can find it.
    """

    tag: str
    elements: tuple[tuple[str, ...], ...]
    number: int
    line: int

    def value(self, element: int, component: int = 0) -> str:
        """Element ``element`` (0 is the first after the tag), one component.

        Absent elements and components are ``""``, as EDIFACT omits trailing
        empty ones.
        """
        if element < len(self.elements) and component < len(self.elements[element]):
            return self.elements[element][component]
        return ""

    @property
    def position(self) -> str:
        """Where a person finds it: ``"segment 12 (NAD), line 14"``."""
        return f"segment {self.number} ({self.tag}), line {self.line}"


@dataclass(frozen=True, slots=True)
class Message:
    """A UNH...UNT message, with the UNB of its interchange for context."""

    reference: str
    type: str
    version: str
    segments: tuple[Segment, ...]
    header: Segment | None


class Interchange:
    """One EDIFACT file: its character set, service characters and segments.

    Problems it tolerates are appended to ``warnings`` (a list the caller may
    share), problems it cannot are raised as ``ReaderError``; the envelope
    (UNB...UNZ) is checked by ``accord.travel.envelope``.
    """

    def __init__(
        self, data: bytes, path: Path | str, warnings: list[str] | None = None
    ) -> None:
        self.path = str(path)
        self.warnings = warnings if warnings is not None else []
        self.syntax = _syntax(data)
        codec = _CODECS.get(self.syntax, "ascii")
        self._ascii = codec == "ascii"
        self._text = data.removeprefix(_BOM).decode(codec, "surrogateescape")
        self.service, self._start, self._first_line = self._service()
        self.trailing: tuple[str, int, int] | None = None  # (text, number, line)

    @classmethod
    def open(cls, path: Path, warnings: list[str] | None = None) -> Interchange:
        """Read a file; the whole interchange is one flight's push (kilobytes)."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SourceError(f"{path}: cannot read the file: {exc}") from exc
        return cls(data, path, warnings)

    def warn(self, where: Segment | str | None, reason: str) -> None:
        """Record (and log) something tolerated, located like a ReaderError."""
        if isinstance(where, Segment):
            where = where.position
        text = f"{self.path}: {where}: {reason}" if where else f"{self.path}: {reason}"
        self.warnings.append(text)
        log.warning("%s", text)

    def error(self, segment: Segment, reason: str) -> ReaderError:
        return ReaderError(self.path, segment.position, reason)

    def segments(self) -> Iterator[Segment]:
        """Every terminated segment in file order.

        Text after the last terminator is not yielded but left in
        ``self.trailing`` for ``parse_trailing``: only the envelope knows
        whether it is a harmless missing terminator, junk after UNZ, or a
        truncated file.
        """
        self.trailing = None
        pieces = _split(self._text[self._start :], self.service.segment, self.service)
        line = self._first_line
        number = 0
        for index, piece in enumerate(pieces, 1):
            body = piece.lstrip(" \t\r\n")
            start_line = line + _line_breaks(piece[: len(piece) - len(body)])
            line += _line_breaks(piece)
            if not body.strip():
                continue
            number += 1
            if index == len(pieces):  # text after the last terminator
                self.trailing = (body, number, start_line)
                return
            yield self._segment(body, number, start_line)

    def parse_trailing(self) -> Segment | None:
        """The unterminated text at the end as a segment (may raise)."""
        if self.trailing is None:
            return None
        return self._segment(*self.trailing)

    def _service(self) -> tuple[ServiceChars, int, int]:
        text = self._text
        start = len(text) - len(text.lstrip())
        line = 1 + _line_breaks(text[:start])
        if not text.startswith("UNA", start):
            return ServiceChars(), start, line
        advice = text[start + 3 : start + 9]
        if advice[-1:] in ("\r", "\n") and self._short(advice[:5], start + 8):
            advice = advice[:5]
        if len(advice) == 6:
            chars = _chars(advice)
        elif len(advice) == 5:
            chars = self._short_advice(advice)
        else:
            where = f"UNA, line {line}"
            reason = f"service string advice {advice!r} needs 6 characters"
            raise ReaderError(self.path, where, reason)
        self._check_service(chars, line)
        return chars, start + 3 + len(advice), line

    def _short(self, advice: str, rest: int) -> bool:
        """Is a line break after five characters the end of a short advice?

        Only if the fifth character, read as the terminator, ends the UNB;
        otherwise the line break is the advice's own segment terminator.
        """
        text = self._text[rest:]
        found = re.search(r"UN[GH]", text)
        before = text[: found.start() if found else len(text)].rstrip(" \t\r\n")
        return len(advice) == 5 and before.endswith(advice[4])

    def _short_advice(self, advice: str) -> ServiceChars:
        """Five characters (GTAS codeshare.edi): guess which one is missing."""
        if advice[2] in ".,":  # the decimal mark is there: no repetition separator
            chars = _chars(advice[:4] + " " + advice[4])
        else:  # the decimal mark is missing (the GTAS sample's case)
            chars = _chars(advice[:2] + "." + advice[2:])
        self.warn(
            "UNA",
            f"service string advice {advice!r} has 5 characters, not 6; read the "
            f"release character as {chars.release!r} and the segment terminator "
            f"as {chars.segment!r}",
        )
        return chars

    def _check_service(self, chars: ServiceChars, line: int) -> None:
        separators = [chars.component, chars.element, chars.segment]
        if len(set(separators)) < 3 or any(c.isalnum() for c in separators):
            reason = f"unusable separators {''.join(separators)!r} in the UNA"
            raise ReaderError(self.path, f"UNA, line {line}", reason)

    def _segment(self, body: str, number: int, line: int) -> Segment:
        service = self.service
        for line_break in "\r\n":  # line wrapping, unless it is the terminator
            if line_break != service.segment:
                body = body.replace(line_break, "")
        elements = [
            tuple(
                _unescape(c, service.release)
                for c in _split(e, service.component, service)
            )
            for e in _split(body, service.element, service)
        ]
        tag = elements[0][0].strip() if elements[0] else ""
        segment = Segment(tag, tuple(elements[1:]), number, line)
        if not _TAG.fullmatch(tag):
            reason = f"{body[:20]!r} does not start with a segment tag"
            raise ReaderError(self.path, f"segment {number}, line {line}", reason)
        if tag != elements[0][0]:
            self.warn(segment, f"stray whitespace around the tag {elements[0][0]!r}")
        if not (body.isprintable() and (body.isascii() or not self._ascii)):
            segment = self._clean(segment)
        return segment

    def _clean(self, segment: Segment) -> Segment:
        """Replace characters outside the declared set with '?', and say which."""
        odd: list[str] = []
        elements = tuple(
            tuple(self._clean_text(c, odd) for c in element)
            for element in segment.elements
        )
        if odd:
            listed = ", ".join(sorted(set(odd)))
            self.warn(
                segment, f"{listed} outside {self.syntax or 'UNOA'}; replaced by '?'"
            )
        return Segment(segment.tag, elements, segment.number, segment.line)

    def _clean_text(self, text: str, odd: list[str]) -> str:
        if text.isprintable() and (text.isascii() or not self._ascii):
            return text
        out = []
        for char in text:
            if char.isprintable() and (char.isascii() or not self._ascii):
                out.append(char)
            else:
                odd.append(_describe(char))
                out.append("?")
        return "".join(out)


def _syntax(data: bytes) -> str:
    match = _SYNTAX.search(data[:512])
    return match.group(1).decode("ascii") if match else ""


def _chars(advice: str) -> ServiceChars:
    """Service characters from a six-character advice; a space release is none."""
    release = None if advice[3] == " " else advice[3]
    return ServiceChars(advice[0], advice[1], advice[2], release, advice[4], advice[5])


def _describe(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, kept by surrogateescape
        return f"byte 0x{code - 0xDC00:02X}"
    return f"character {char!r} (U+{code:04X})"


def _line_breaks(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _split(text: str, separator: str, service: ServiceChars) -> list[str]:
    """Split on ``separator`` except where the release character escapes it."""
    parts = text.split(separator)
    release = service.release
    if not release or release not in text:
        return parts
    out: list[str] = []
    pending = ""
    for part in parts:
        piece = pending + part
        escapes = len(piece) - len(piece.rstrip(release))
        if escapes % 2:  # an odd run of release characters escapes the separator
            pending = piece + separator
        else:
            out.append(piece)
            pending = ""
    if pending:
        out.append(pending[: -len(separator)])
    return out


def _unescape(text: str, release: str | None) -> str:
    if not release or release not in text:
        return text
    return re.sub(re.escape(release) + "(.)", r"\1", text, flags=re.DOTALL)
