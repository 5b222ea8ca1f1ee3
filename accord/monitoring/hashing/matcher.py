"""Matching queries against every bank, with the banks' defences applied.

A raw index hit becomes an analyst-facing match only if nothing vouches for
the content: a hit in a *negative* bank (known-benign content) suppresses
every positive match of that query, and a quarantined hash, or one that has
just tripped the flood guard, is reported as quarantined rather than as a
match. Suppressed and quarantined matches are still returned, with the
reason, so ``accord monitor bank match`` can show why nothing fired; the
detector turns only active matches into findings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from accord.monitoring.hashing.bank import Bank, BankKind, Provenance
from accord.monitoring.hashing.pdq import hex_to_lanes
from accord.monitoring.hashing.text import Signature, signature
from accord.monitoring.hashing.video import QuerySeconds, video_hits


class MatchStatus(StrEnum):
    ACTIVE = "match"
    SUPPRESSED = "suppressed"
    QUARANTINED = "quarantined"


@dataclass(frozen=True, slots=True)
class BankMatch:
    """One bank entry a query matched, and what became of the match.

    ``distance`` is the PDQ Hamming distance (None for text; for a video,
    that of its closest pair of frames); ``similarity`` the estimated
    Jaccard similarity of text shingles (None otherwise); ``video`` the
    shares of frames a video match rests on (None unless a video).
    """

    bank: str
    kind: BankKind
    key: str
    threshold: float
    provenance: Provenance
    status: MatchStatus
    distance: int | None = None
    similarity: float | None = None
    reason: str = ""
    video: VideoShares | None = None

    @property
    def score(self) -> float:
        """1.0 for an identical hash or text, falling to 0.5 at the bank's
        threshold (PDQ), the similarity itself (text), or the share of the
        query video's frames found in the bank video (video)."""
        if self.video is not None:
            return self.video.query_match
        if self.similarity is not None:
            return self.similarity
        return 1.0 - 0.5 * (self.distance or 0) / max(self.threshold, 1.0)

    def to_dict(self) -> dict[str, Any]:
        found = {
            "bank": self.bank,
            "kind": self.kind.value,
            "key": self.key,
            "status": self.status.value,
            "distance": self.distance,
            "similarity": self.similarity,
            "threshold": self.threshold,
            "score": round(self.score, 4),
            "provenance": self.provenance.to_dict(),
            "reason": self.reason,
        }
        if self.video is not None:
            found |= {
                "query_match": round(self.video.query_match, 4),
                "compared_match": round(self.video.compared_match, 4),
            }
        return found


@dataclass(frozen=True, slots=True)
class VideoShares:
    """Of a video match: the share of the query's frames found in the bank
    video, and the share of the bank video's frames found in the query."""

    query_match: float
    compared_match: float


@dataclass(frozen=True, slots=True)
class _Hit:
    row: int
    distance: int | None
    similarity: float | None
    video: VideoShares | None = None


class BankMatcher:
    """Matches batches of queries against loaded banks.

    Matching records flood-guard history in the banks' state; ``touched``
    names the banks whose state changed, for a caller that persists them.
    """

    def __init__(self, banks: Sequence[Bank], moment: datetime) -> None:
        self.banks = list(banks)
        self.moment = moment
        self.touched: set[str] = set()
        for bank in self.banks:
            bank.state.prune(moment)

    def _banks(self, kind: BankKind, negative: bool) -> list[Bank]:
        return [
            bank
            for bank in self.banks
            if bank.config.kind is kind
            and bank.config.negative is negative
            and len(bank)
        ]

    def match_pdq(self, hexes: Sequence[str]) -> list[list[BankMatch]]:
        """Matches of each PDQ hex, best first."""
        return self.match_pdq_groups([[value] for value in hexes])

    def match_pdq_groups(
        self, groups: Sequence[Sequence[str]]
    ) -> list[list[BankMatch]]:
        """Matches of each group of hashes of one item (such as the eight
        rotations and flips of an image): a bank hash matched by several
        members counts once, at its smallest distance."""
        owner = [number for number, group in enumerate(groups) for _ in group]
        lanes = hex_to_lanes([value for group in groups for value in group])

        def hits_of(bank: Bank) -> list[list[_Hit]]:
            found = bank.search_pdq(lanes)
            best: list[dict[int, int]] = [{} for _ in groups]
            for query, row, distance in zip(
                found.query.tolist(),
                found.row.tolist(),
                found.distance.tolist(),
                strict=True,
            ):
                closest = best[owner[query]]
                closest[row] = min(distance, closest.get(row, distance))
            return [
                [_Hit(row, distance, None) for row, distance in sorted(rows.items())]
                for rows in best
            ]

        return self._judge_all(BankKind.PDQ, len(groups), hits_of)

    def match_videos(self, videos: Sequence[QuerySeconds]) -> list[list[BankMatch]]:
        """Matches of each video, given as its seconds of frame hashes (see
        ``video.query_seconds`` and ``video.as_seconds``); a video without
        frames matches nothing."""
        units = [
            (number, second)
            for number, seconds in enumerate(videos)
            for second, frames in enumerate(seconds)
            for _ in frames
        ]
        sizes = [len(seconds) for seconds in videos]
        lanes = hex_to_lanes(
            [frame for seconds in videos for frames in seconds for frame in frames]
        )

        def hits_of(bank: Bank) -> list[list[_Hit]]:
            layout = bank.video_layout()
            first_rows = layout.first_rows
            limits = (bank.config.query_match, bank.config.compared_match)
            grouped = video_hits(bank.search_pdq(lanes), units, sizes, layout, limits)
            return [
                [
                    _Hit(
                        int(first_rows[hit.video]),
                        hit.distance,
                        None,
                        VideoShares(hit.query_match, hit.compared_match),
                    )
                    for hit in hits
                ]
                for hits in grouped
            ]

        return self._judge_all(BankKind.VPDQ, len(videos), hits_of)

    def match_texts(self, texts: Sequence[str]) -> list[list[BankMatch]]:
        """Matches of each text, best first; short texts match nothing."""
        return self.match_signatures([signature(text) for text in texts])

    def match_signatures(
        self, signatures: Sequence[Signature | None]
    ) -> list[list[BankMatch]]:
        def hits_of(bank: Bank) -> list[list[_Hit]]:
            return [
                []
                if sig is None
                else [_Hit(h.row, None, h.similarity) for h in bank.search_text(sig)]
                for sig in signatures
            ]

        return self._judge_all(BankKind.TEXT, len(signatures), hits_of)

    def _judge_all(
        self, kind: BankKind, count: int, hits_of: Callable[[Bank], list[list[_Hit]]]
    ) -> list[list[BankMatch]]:
        vetoes: list[str] = [""] * count
        for bank in self._banks(kind, negative=True):
            for query, hits in enumerate(hits_of(bank)):
                if hits and not vetoes[query]:
                    vetoes[query] = _veto_reason(bank, hits[0])
        results: list[list[BankMatch]] = [[] for _ in range(count)]
        for bank in self._banks(kind, negative=False):
            for query, hits in enumerate(hits_of(bank)):
                results[query].extend(
                    self._judge(bank, hit, vetoes[query]) for hit in hits
                )
        return [sorted(found, key=_rank) for found in results]

    def _judge(self, bank: Bank, hit: _Hit, veto: str) -> BankMatch:
        key = bank.key(hit.row)
        status, reason = MatchStatus.ACTIVE, ""
        if veto:
            status, reason = MatchStatus.SUPPRESSED, veto
        elif bank.state.is_quarantined(key):
            status, reason = MatchStatus.QUARANTINED, bank.state.quarantined[key].reason
        else:
            self.touched.add(bank.name)
            if bank.state.record_match(key, self.moment):
                status = MatchStatus.QUARANTINED
                reason = bank.state.quarantined[key].reason
        return BankMatch(
            bank=bank.name,
            kind=bank.config.kind,
            key=key,
            threshold=bank.config.threshold,
            provenance=bank.provenance(hit.row),
            status=status,
            distance=hit.distance,
            similarity=hit.similarity,
            reason=reason,
            video=hit.video,
        )


def _veto_reason(bank: Bank, hit: _Hit) -> str:
    if hit.video is not None:
        closeness = f"{hit.video.query_match:.0%} of frames"
    elif hit.distance is not None:
        closeness = f"distance {hit.distance}"
    else:
        closeness = f"similarity {hit.similarity:.2f}"
    return f"matches known-benign {bank.key(hit.row)} in negative bank {bank.name!r} ({closeness})"


def _rank(match: BankMatch) -> tuple[int, float, str, str]:
    return (match.status is not MatchStatus.ACTIVE, -match.score, match.bank, match.key)
