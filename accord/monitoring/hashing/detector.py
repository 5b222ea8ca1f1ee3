"""Known propaganda, found by hash: entities against the workspace's banks.

Text properties are matched against text banks by signature; PDQ hashes of
attached images and the vPDQ frames of attached videos, which readers
record in the entity's ``metadata`` (see ``media``), against PDQ and video
banks. Banks are loaded
when the detector is built (``from_settings``); ``detect`` itself does no
I/O. Negative banks, quarantines and the flood guard apply as in
``accord monitor bank match``; flood history gathered during a run is not
written back, so a flood seen by a run quarantines the hash for that run.
Each bank consulted is reported (``reads``) and the run records a
``bank.match`` audit record for it, with counts only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Self

from followthemoney import StatementEntity

from accord.detectors.base import Detector
from accord.model.finding import Feature, Finding
from accord.model.resource import ResourceRead
from accord.monitoring.hashing.bank import Bank, BankKind
from accord.monitoring.hashing.matcher import BankMatch, BankMatcher, MatchStatus
from accord.monitoring.hashing.media import media_pdq_hashes, media_videos
from accord.monitoring.hashing.storage import BankStorage, banks_root
from accord.monitoring.hashing.text import signature
from accord.settings import Settings
from accord.store.audit import AuditAction

TEXT_PROPERTIES = ("bodyText", "description", "summary", "translatedText")


def _utc_now() -> datetime:
    return datetime.now(UTC)


class KnownContentDetector(Detector):
    NAME = "known_content"
    TITLE = "Messages whose text or media match a hash bank of known propaganda"

    def __init__(
        self, banks: Sequence[Bank] = (), clock: Callable[[], datetime] = _utc_now
    ) -> None:
        self.banks = list(banks)
        self.clock = clock
        self._reads: list[ResourceRead] = []

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """The detector over every bank in the workspace of ``settings``."""
        storage = BankStorage(banks_root(settings))
        banks = [storage.load(name) for name in storage.names()]
        for bank in banks:
            saved = storage.load_index(bank)
            if saved is not None:
                bank.use_index(saved)
        return cls(banks)

    def detect(self, entities: Sequence[StatementEntity]) -> list[Finding]:
        self._reads = []
        if not self.banks:
            return []
        matcher = BankMatcher(self.banks, self.clock())
        collected: dict[str, list[tuple[BankMatch, str]]] = defaultdict(list)
        tally = _Tally(self.banks)
        for entity_id, where, matches in self._matches(matcher, entities, tally):
            tally.add(matches)
            active = [m for m in matches if m.status is MatchStatus.ACTIVE]
            collected[entity_id].extend((match, where) for match in active)
        self._reads = tally.reads()
        return [
            _finding(entity_id, sorted(found, key=lambda pair: -pair[0].score))
            for entity_id, found in sorted(collected.items())
            if found
        ]

    def reads(self) -> list[ResourceRead]:
        """A ``bank.match`` read per bank the last ``detect`` consulted."""
        return list(self._reads)

    def _matches(
        self, matcher: BankMatcher, entities: Sequence[StatementEntity], tally: _Tally
    ) -> Iterator[tuple[str, str, list[BankMatch]]]:
        texts = [(e.id, p, v) for e in entities if e.id for p, v in _texts(e)]
        signatures = [signature(value) for _, _, value in texts]
        tally.queried(BankKind.TEXT, len(signatures))
        found = matcher.match_signatures(signatures)
        for (entity_id, prop, _), matches in zip(texts, found, strict=True):
            yield str(entity_id), prop, matches
        media = [(e.id, h) for e in entities if e.id for h in media_pdq_hashes(e)]
        tally.queried(BankKind.PDQ, len(media))
        found = matcher.match_pdq([pdq for _, pdq in media])
        for (entity_id, _), matches in zip(media, found, strict=True):
            yield str(entity_id), "attached media (PDQ)", matches
        videos = [(e.id, v) for e in entities if e.id for v in media_videos(e)]
        tally.queried(BankKind.VPDQ, len(videos))
        found = matcher.match_videos([frames for _, frames in videos])
        for (entity_id, _), matches in zip(videos, found, strict=True):
            yield str(entity_id), "attached video (vPDQ)", matches


class _Tally:
    """Per bank: the queries put to it, how many matched it and how many of
    its entries they matched; the counts a ``bank.match`` record holds."""

    def __init__(self, banks: Sequence[Bank]) -> None:
        self.kinds = {bank.name: bank.config.kind for bank in banks}
        self.queries: dict[BankKind, int] = defaultdict(int)
        self.hits: dict[str, int] = defaultdict(int)
        self.matches: dict[str, int] = defaultdict(int)

    def queried(self, kind: BankKind, count: int) -> None:
        self.queries[kind] += count

    def add(self, matches: list[BankMatch]) -> None:
        for bank in {match.bank for match in matches}:
            self.hits[bank] += 1
        for match in matches:
            self.matches[match.bank] += 1

    def reads(self) -> list[ResourceRead]:
        return [
            ResourceRead(
                AuditAction.BANK_MATCH,
                f"bank:{name}",
                {
                    "queries": self.queries[kind],
                    "hits": self.hits[name],
                    "matches": self.matches[name],
                },
            )
            for name, kind in sorted(self.kinds.items())
            if self.queries[kind]
        ]


def _texts(entity: StatementEntity) -> Iterator[tuple[str, str]]:
    for prop in TEXT_PROPERTIES:
        if prop in entity.schema.properties:
            for value in entity.get(prop, quiet=True):
                yield prop, value


def _finding(entity_id: str, ranked: list[tuple[BankMatch, str]]) -> Finding:
    top, where = ranked[0]
    prov = top.provenance
    label = f" ({prov.label})" if prov.label else ""
    explanation = {
        _closeness_name(top): _closeness(top),
        "bank": Feature(
            1.0,
            f"bank {top.bank!r}{label}: shared by {prov.agency} from {prov.source} "
            f"on {prov.added}",
        ),
        "matched_in": Feature(1.0, f"{where} matched {top.key}"),
    }
    others = sorted(
        {f"{m.bank}:{m.key}" for m, _ in ranked[1:]} - {f"{top.bank}:{top.key}"}
    )
    if others:
        explanation["other_matches"] = Feature(
            float(len(others)), ", ".join(others[:10])
        )
    return Finding(
        detector=KnownContentDetector.NAME,
        subjects=(entity_id,),
        score=round(top.score, 4),
        summary=f"{where} matches known content in bank {top.bank!r}{label}",
        explanation=explanation,
    )


def _closeness_name(match: BankMatch) -> str:
    if match.video is not None:
        return "vpdq_frames"
    return "pdq_distance" if match.distance is not None else "text_similarity"


def _closeness(match: BankMatch) -> Feature:
    if match.video is not None:
        return Feature(
            match.video.query_match,
            f"{match.video.query_match:.0%} of the video's frames are in the "
            f"bank video, which is {match.video.compared_match:.0%} covered; "
            f"closest frames {match.distance} of 256 PDQ bits apart (frame "
            f"threshold {int(match.threshold)})",
        )
    if match.distance is not None:
        return Feature(
            float(match.distance),
            f"{match.distance} of 256 PDQ bits differ (bank threshold "
            f"{int(match.threshold)})",
        )
    similarity = match.similarity or 0.0
    return Feature(
        similarity,
        f"about {similarity:.0%} of 5-character shingles shared "
        f"(bank threshold {match.threshold:.0%})",
    )
