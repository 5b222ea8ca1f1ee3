"""Rule-based monitoring detectors: attack calls, recruitment, fundraising,
instructions.

Each detector looks for a *combination* of cues (``lexicons.py``): an
imperative to kill together with a target, a call to join together with a
contact route or a group, a donation appeal together with a way to pay, a
weapon or explosive together with a recipe. A single cue is common in news
and counter-speech; the combinations are what the behaviour looks like.
Every finding names the post, the cues that fired and their spans, and its
score is a noisy-or of the weights of the cues present, so each cue's
contribution can be read off the explanation.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import ClassVar

from followthemoney import StatementEntity

from accord.detectors.base import Detector
from accord.model.finding import Feature, Finding
from accord.monitoring.entities import payment_entity_id
from accord.monitoring.lexicon import find_cues, list_item_lines
from accord.monitoring.payments import PaymentKind, find_payment_identifiers
from accord.monitoring.posts_view import PostView, iter_posts

MIN_LIST_ITEMS = 3


class MonitoringDetector(Detector):
    """A detector over posts (FtM ``Message`` entities).

    ``accord monitor scan`` runs every registered detector that subclasses
    this one, plugins included.
    """

    def detect(self, entities: Sequence[StatementEntity]) -> list[Finding]:
        return self.detect_posts(list(iter_posts(entities)))

    @abstractmethod
    def detect_posts(self, posts: Sequence[PostView]) -> list[Finding]:
        """Findings about ``posts``."""


def noisy_or(weights: Sequence[float]) -> float:
    remaining = 1.0
    for weight in weights:
        remaining *= 1.0 - weight
    return round(1.0 - remaining, 4)


class CueDetector(MonitoringDetector):
    """Shared machinery: cues found per post, weighed, and explained."""

    WEIGHTS: ClassVar[dict[str, float]]
    LEXICON_CUES: ClassVar[tuple[str, ...]]
    LABEL: ClassVar[str]

    def detect_posts(self, posts: Sequence[PostView]) -> list[Finding]:
        findings: list[Finding] = []
        for post in posts:
            cues = self.cues_of(post)
            if self.fires(cues):
                findings.append(self.finding(post, cues))
        return findings

    def cues_of(self, post: PostView) -> dict[str, list[str]]:
        """Cue name -> descriptions of each hit in the post."""
        found: dict[str, list[str]] = {}
        for match in find_cues(post.text, self.LEXICON_CUES):
            found.setdefault(match.cue, []).append(match.describe())
        return found

    @abstractmethod
    def fires(self, cues: dict[str, list[str]]) -> bool:
        """Whether this combination of cues is the behaviour we look for."""

    def subjects(self, post: PostView) -> tuple[str, ...]:
        return (post.entity_id,)

    def label(self, cues: dict[str, list[str]]) -> str:
        return self.LABEL

    def finding(self, post: PostView, cues: dict[str, list[str]]) -> Finding:
        explanation = {
            name: Feature(self.WEIGHTS[name], "; ".join(hits[:5]))
            for name, hits in cues.items()
        }
        score = noisy_or([self.WEIGHTS[name] for name in cues])
        return Finding(
            detector=self.NAME,
            subjects=self.subjects(post),
            score=score,
            summary=f"{self.label(cues)} in {post.label()}: {', '.join(sorted(cues))}",
            explanation=explanation,
            evidence=(post.entity_id,),
        )


def target_list_items(text: str) -> list[str]:
    """List lines that each name a target type or an address."""
    lines = list_item_lines(text)
    items: list[str] = []
    for start, end in lines:
        hits = find_cues(text[start:end], ("target_type", "address"))
        if hits:
            items.append(f"list item at {start}-{end}")
    return items


class CallToAttackDetector(CueDetector):
    """Imperatives to kill or attack next to targets, and target lists."""

    NAME = "call_to_attack"
    TITLE = "Calls to attack and target lists (en, ar, ru, fr lexicons)"
    LABEL = "call to attack"
    LEXICON_CUES = ("imperative_violence", "target_type", "address", "group_reference")
    WEIGHTS: ClassVar[dict[str, float]] = {
        "imperative_violence": 0.6,
        "target_type": 0.35,
        "address": 0.3,
        "group_reference": 0.15,
        "target_list": 0.45,
    }

    def cues_of(self, post: PostView) -> dict[str, list[str]]:
        found = super().cues_of(post)
        items = target_list_items(post.text)
        if len(items) >= MIN_LIST_ITEMS:
            found["target_list"] = [f"{len(items)} listed targets", *items]
        return found

    def fires(self, cues: dict[str, list[str]]) -> bool:
        violent = "imperative_violence" in cues
        target = bool({"target_type", "address", "target_list"} & set(cues))
        listed = "target_list" in cues and bool(
            {"imperative_violence", "group_reference"} & set(cues)
        )
        return (violent and target) or listed

    def label(self, cues: dict[str, list[str]]) -> str:
        return "target list" if "target_list" in cues else self.LABEL


class RecruitmentDetector(CueDetector):
    """Calls to join, emigrate or pledge allegiance, with a way in."""

    NAME = "recruitment"
    TITLE = "Recruitment: calls to join or emigrate with a contact route or group"
    LABEL = "recruitment"
    LEXICON_CUES = ("join_call", "contact_channel", "group_reference")
    WEIGHTS: ClassVar[dict[str, float]] = {
        "join_call": 0.55,
        "contact_channel": 0.35,
        "group_reference": 0.3,
    }

    def fires(self, cues: dict[str, list[str]]) -> bool:
        return "join_call" in cues and bool(
            {"contact_channel", "group_reference"} & set(cues)
        )


class FundraisingDetector(CueDetector):
    """Donation appeals with a way to pay; the wallets and accounts named
    become subjects of the finding, so financing can follow them."""

    NAME = "fundraising"
    TITLE = "Fundraising appeals with crypto wallets, cards, IBANs or phones"
    LABEL = "fundraising appeal"
    LEXICON_CUES = ("donation_appeal", "payment_handle", "group_reference")
    WEIGHTS: ClassVar[dict[str, float]] = {
        "donation_appeal": 0.45,
        "payment_handle": 0.2,
        "group_reference": 0.2,
        PaymentKind.CRYPTO_WALLET.value: 0.5,
        PaymentKind.IBAN.value: 0.45,
        PaymentKind.PAYMENT_CARD.value: 0.45,
        PaymentKind.PHONE.value: 0.2,
    }

    def cues_of(self, post: PostView) -> dict[str, list[str]]:
        found = super().cues_of(post)
        for item in find_payment_identifiers(post.text):
            found.setdefault(item.kind.value, []).append(item.describe())
        return found

    def fires(self, cues: dict[str, list[str]]) -> bool:
        payable = {kind.value for kind in PaymentKind} & set(cues)
        appeal = "donation_appeal" in cues
        return (appeal and bool(payable or "payment_handle" in cues)) or (
            bool(payable - {PaymentKind.PHONE.value}) and "group_reference" in cues
        )

    def subjects(self, post: PostView) -> tuple[str, ...]:
        accounts = [
            payment_entity_id(item) for item in find_payment_identifiers(post.text)
        ]
        return (post.entity_id, *sorted({a for a in accounts if a}))


class InstructionsDetector(CueDetector):
    """Recipes and manuals for weapons and explosives."""

    NAME = "weapon_instructions"
    TITLE = "Instructions for weapons or explosives"
    LABEL = "weapon or explosive instructions"
    LEXICON_CUES = ("weapon_or_explosive", "instructional_form")
    WEIGHTS: ClassVar[dict[str, float]] = {
        "weapon_or_explosive": 0.5,
        "instructional_form": 0.4,
        "numbered_steps": 0.3,
    }

    def cues_of(self, post: PostView) -> dict[str, list[str]]:
        found = super().cues_of(post)
        steps = list_item_lines(post.text)
        if len(steps) >= MIN_LIST_ITEMS:
            found["numbered_steps"] = [f"{len(steps)} list lines"]
        return found

    def fires(self, cues: dict[str, list[str]]) -> bool:
        return "weapon_or_explosive" in cues and bool(
            {"instructional_form", "numbered_steps"} & set(cues)
        )
