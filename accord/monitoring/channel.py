"""Channel summary: who posts, who is forwarded, what was found.

Forwards are the key network signal on Telegram: propaganda moves from
"beacon" channels to many others by forwarding, so the summary ranks the
sources each channel forwards from next to its own posters and the top
findings. It reports names, counts and finding summaries, never post text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from followthemoney import StatementEntity

from accord.model.finding import Finding
from accord.monitoring.entities import FORWARDED_FROM
from accord.monitoring.posts_view import first


@dataclass
class ChannelSummary:
    """Counts over one scanned dataset."""

    messages: int = 0
    channels: Counter[str] = field(default_factory=Counter)
    posters: Counter[str] = field(default_factory=Counter)
    forwards: Counter[tuple[str, str]] = field(default_factory=Counter)
    flagged_forwards: Counter[tuple[str, str]] = field(default_factory=Counter)
    payment_accounts: Counter[str] = field(default_factory=Counter)
    first_date: str = ""
    last_date: str = ""
    top_findings: list[Finding] = field(default_factory=list)
    findings_by_detector: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        return {
            "messages": self.messages,
            "period": [self.first_date, self.last_date],
            "channels": dict(self.channels.most_common()),
            "posters": dict(self.posters.most_common()),
            "forwards": [
                {
                    "source": source,
                    "channel": channel,
                    "messages": count,
                    "flagged": self.flagged_forwards[(source, channel)],
                }
                for (source, channel), count in self.forwards_ranked()
            ],
            "payment_accounts": dict(self.payment_accounts),
            "findings": dict(self.findings_by_detector.most_common()),
            "top_findings": [
                {
                    "id": item.id,
                    "detector": item.detector,
                    "score": item.score,
                    "summary": item.summary,
                }
                for item in self.top_findings
            ],
        }

    def forwards_ranked(self) -> list[tuple[tuple[str, str], int]]:
        """Forward edges, the sources whose forwards were flagged most first:
        a "beacon" channel is one whose content keeps getting flagged."""
        return sorted(
            self.forwards.items(),
            key=lambda item: (-self.flagged_forwards[item[0]], -item[1], item[0]),
        )


def summarise(
    entities: Sequence[StatementEntity], findings: Sequence[Finding], top: int = 10
) -> ChannelSummary:
    names = {e.id: first(e, "name") or e.id for e in entities if e.id}
    summary = ChannelSummary()
    channel_of = _count_messages(summary, entities, names)
    flagged = {entity_id for item in findings for entity_id in item.evidence}
    _count_forwards(summary, entities, names, channel_of, flagged)
    summary.findings_by_detector.update(item.detector for item in findings)
    ranked = sorted(findings, key=lambda item: (-item.score, item.id))
    summary.top_findings = ranked[:top]
    return summary


def _count_messages(
    summary: ChannelSummary,
    entities: Sequence[StatementEntity],
    names: dict[str, str],
) -> dict[str, str]:
    """Messages per channel and poster, the period, payment accounts;
    returns each message's channel name."""
    channel_of: dict[str, str] = {}
    dates: list[str] = []
    for entity in entities:
        if entity.id and entity.schema.is_a("Message"):
            channel = names.get(first(entity, "recipientAccount"), "")
            channel = channel or first(entity, "publisher")
            channel_of[entity.id] = channel
            summary.messages += 1
            summary.channels[channel] += 1
            sender = first(entity, "senderAccount")
            if sender:
                summary.posters[names.get(sender, sender)] += 1
            if first(entity, "date"):
                dates.append(first(entity, "date"))
        elif entity.schema.name in {"CryptoWallet", "BankAccount"}:
            summary.payment_accounts[entity.schema.name] += 1
    if dates:
        summary.first_date, summary.last_date = min(dates), max(dates)
    return channel_of


def _count_forwards(
    summary: ChannelSummary,
    entities: Sequence[StatementEntity],
    names: dict[str, str],
    channel_of: dict[str, str],
    flagged: set[str],
) -> None:
    for entity in entities:
        if entity.schema.name != "UnknownLink":
            continue
        if first(entity, "role") != FORWARDED_FROM:
            continue
        source = names.get(first(entity, "subject"), first(entity, "subject"))
        message = first(entity, "object")
        edge = (source, channel_of.get(message, ""))
        summary.forwards[edge] += 1
        if message in flagged:
            summary.flagged_forwards[edge] += 1
