"""The EDIFACT envelope (UNB, UNG, UNH ... UNT, UNE, UNZ), checked as it streams.

The trailers count what came before them: UNT the segments of its message,
UNE the messages of its group, UNZ the messages (or groups) of the
interchange. Carriers get these counts wrong (three of the ten GTAS samples
do) while the data itself is complete, so a wrong count is a warning and the
segments actually read are kept. A *missing* trailer is different: the file
stopped early and travellers may be missing, which must not pass for a
complete list, so that raises ``ReaderError``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from accord.errors import ReaderError
from accord.travel.edifact import Interchange, Message, Segment
from accord.travel.journey import digits

__all__ = ["messages"]

_TRAILERS = ("UNT", "UNE", "UNZ")


def messages(interchange: Interchange) -> Iterator[Message]:
    """Every UNH...UNT message of ``interchange``, in file order."""
    envelope = _Envelope(interchange)
    for segment in interchange.segments():
        message = envelope.feed(segment)
        if message is not None:
            yield message
    message = envelope.finish()
    if message is not None:
        yield message


class _Envelope:
    def __init__(self, interchange: Interchange) -> None:
        self.x = interchange
        self.header: Segment | None = None  # UNB
        self.group: Segment | None = None  # UNG
        self.in_group = 0
        self.groups = 0
        self.count = 0
        self.message: list[Segment] | None = None
        self.closed: Segment | None = None  # UNZ
        self.last: Segment | None = None
        self.handlers: dict[str, Callable[[Segment], None]] = {
            "UNB": self.unb,
            "UNG": self.ung,
            "UNE": self.une,
            "UNH": self.unh,
            "UNZ": self.unz,
        }

    def feed(self, segment: Segment) -> Message | None:
        self.last = segment
        if self.closed is not None:
            self.x.warn(segment, "segment after UNZ; ignored")
            return None
        if segment.tag == "UNT":
            return self.unt(segment)
        handler = self.handlers.get(segment.tag)
        if handler is not None:
            handler(segment)
            return None
        if self.message is None:
            self.x.warn(segment, "segment outside a UNH...UNT message; ignored")
        else:
            self.message.append(segment)
        return None

    def finish(self) -> Message | None:
        """Handle the text after the last terminator, then check completeness."""
        message = self._trailing()
        if self.message is not None:
            start = self.message[0]
            reason = (
                f"the file ends inside message {start.value(0)!r} (UNH at segment "
                f"{start.number}) with no UNT: it looks truncated"
            )
            raise self.x.error(self.last or start, reason)
        if self.closed is None and (self.header is not None or self.count):
            reason = "no UNZ at the end: the interchange may be truncated"
            self.x.warn(self.last, f"{reason} after the last complete message")
        return message

    def _trailing(self) -> Message | None:
        text = self.x.trailing
        if text is None:
            return None
        body, number, line = text
        if self.closed is not None:
            self.x.warn(f"segment {number}, line {line}", "text after UNZ ignored")
            return None
        segment = self.x.parse_trailing()
        if segment is None or segment.tag not in _TRAILERS:
            where = f"segment {number}, line {line}"
            reason = (
                f"the file ends inside a segment ({body[:30]!r} has no terminator "
                f"{self.x.service.segment!r}): it looks truncated"
            )
            raise ReaderError(self.x.path, where, reason)
        self.x.warn(segment, "the last segment has no terminator")
        return self.feed(segment)

    def unb(self, segment: Segment) -> None:
        if self.header is not None or self.message is not None:
            self.x.warn(segment, "a second UNB in one file; read on")
        self.header = segment

    def ung(self, segment: Segment) -> None:
        self.group = segment
        self.in_group = 0
        self.groups += 1

    def une(self, segment: Segment) -> None:
        self._count(segment, self.in_group, "messages in its group")
        expected = self.group.value(4) if self.group else ""
        self._reference(segment, expected, "UNG")
        self.group = None

    def unh(self, segment: Segment) -> None:
        self._refuse_open_message(segment)
        self.message = [segment]

    def _refuse_open_message(self, segment: Segment) -> None:
        """A UNH or UNZ while a message is open: that message lost its end."""
        if self.message is not None:
            start = self.message[0]
            reason = (
                f"{segment.tag} before the UNT of message {start.value(0)!r} (UNH at "
                f"segment {start.number}): that message is truncated"
            )
            raise self.x.error(segment, reason)

    def unt(self, segment: Segment) -> Message | None:
        if self.message is None:
            self.x.warn(segment, "UNT outside a message; ignored")
            return None
        segments = (*self.message, segment)
        self.message = None
        self._count(segment, len(segments), "segments in its message (UNH to UNT)")
        header = segments[0]
        self._reference(segment, header.value(0), "UNH")
        self.count += 1
        self.in_group += 1
        version = ":".join(header.elements[1][1:3]) if len(header.elements) > 1 else ""
        return Message(header.value(0), header.value(1), version, segments, self.header)

    def unz(self, segment: Segment) -> None:
        self._refuse_open_message(segment)
        expected = self.groups or self.count
        what = "groups" if self.groups else "messages"
        self._count(segment, expected, f"{what} in the interchange")
        self._reference(segment, self.header.value(4) if self.header else "", "UNB")
        self.closed = segment

    def _count(self, segment: Segment, actual: int, what: str) -> None:
        declared = segment.value(0).strip()
        if not digits(declared):
            self.x.warn(segment, f"count {declared!r} is not a number")
        elif int(declared) != actual:
            reason = (
                f"{segment.tag} counts {int(declared)} {what}, but {actual} were read"
            )
            self.x.warn(segment, f"{reason}; kept all {actual}")

    def _reference(self, segment: Segment, expected: str, opener: str) -> None:
        found = segment.value(1)
        if not found:
            self.x.warn(
                segment,
                f"{segment.tag} has no reference (the {opener} has {expected!r})",
            )
        elif found != expected:
            reason = f"{segment.tag} reference {found!r} does not match the {opener}'s"
            self.x.warn(segment, f"{reason} {expected!r}")
