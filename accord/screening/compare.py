"""Comparing two names, token by token, weighted by how rare each token is.

The score is the share of the query's name weight that the candidate
explains: each query token is aligned with at most one candidate token, its
similarity times its weight counts as explained, and candidate tokens left
over count against the match at a fraction of their weight (a listed
person's full name is often longer than what a bank records). Weights are
inverse document frequencies from the list itself, so sharing a common
given name, a family name many listed people carry, or a legal form such as
CORP explains little, while a rare family name explains a lot.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from rapidfuzz.distance import JaroWinkler, Levenshtein

from accord.screening.names import NameForm, consonant_classes, skeleton, skeletons

TOKEN_FLOOR = 0.80  # below this a token pair is not a spelling variant
EXTRA_CANDIDATE_WEIGHT = 0.35  # how much unexplained listed tokens count
EXTRA_QUERY_WEIGHT = 0.6  # and unexplained query tokens (titles, a middle name)
CROSS_SCRIPT_DISCOUNT = 0.95  # skeleton agreement is weaker than spelling
EDIT_ALLOWANCE = 0.15
CLASS_MATCH = 0.92  # same consonant classes across scripts
LATIN_SHAPE_MATCH = 0.85  # same consonants, different vowels, both Latin


class Weigher(Protocol):
    """Token rarity in the list being searched."""

    def __call__(self, token: str) -> float: ...

    def cross(self, query_token: str, listed_token: str) -> float:
        """Rarity of a pair aligned across scripts."""
        ...


@dataclass(frozen=True, slots=True)
class NameComparison:
    """How well one candidate name explains one query name, and why."""

    score: float
    explained: float
    matched: tuple[tuple[str, str, float], ...]
    unmatched_query: tuple[str, ...]
    unmatched_candidate: tuple[str, ...]
    cross_script: bool


@lru_cache(maxsize=1 << 20)
def token_similarity(query: str, candidate: str, cross_script: bool) -> float:
    """Similarity of two tokens; skeletons only count across scripts."""
    if query == candidate:
        return 1.0
    if min(len(query), len(candidate)) <= 2:
        # Short particles (bn/ben, al/el) agree across scripts by skeleton.
        same = cross_script and skeleton(query) == skeleton(candidate) != ""
        return CROSS_SCRIPT_DISCOUNT if same else 0.0
    # Jaro-Winkler rewards a shared prefix, which glued names share by
    # construction (Abdulhakim/Abduljabbar); edit distance keeps it honest.
    spelling = min(
        JaroWinkler.normalized_similarity(query, candidate),
        Levenshtein.normalized_similarity(query, candidate) + EDIT_ALLOWANCE,
    )
    if not cross_script:
        if spelling >= TOKEN_FLOOR:
            return spelling
        # Two Latin spellings of one Arabic or Persian name (Husain/Hosein,
        # Sulaymani/Soleimani) share their consonants if not their vowels.
        consonants = skeleton(query)
        same = len(consonants) >= 3 and consonants == skeleton(candidate)
        return LATIN_SHAPE_MATCH if same else 0.0
    if set(skeletons(query)) & set(skeletons(candidate)):
        return max(spelling, CROSS_SCRIPT_DISCOUNT)
    # The coarser consonant classes rank just below an exact skeleton, so
    # that when both fit, alignment prefers the closer reading.
    shape = max(
        1.0 if a and a == b else Levenshtein.normalized_similarity(a, b)
        for a in consonant_classes(query)
        for b in consonant_classes(candidate)
    )
    best = max(spelling, shape * CLASS_MATCH)
    return best if best >= TOKEN_FLOOR else 0.0


def compare_forms(
    query: NameForm, candidate: NameForm, weight: Weigher
) -> NameComparison:
    """Align tokens greedily, best pairs first, and score the alignment."""
    cross = not (query.latin_source and candidate.latin_source)
    pairs = _candidate_pairs(query.tokens, candidate.tokens, cross)
    used_q: set[int] = set()
    used_c: set[int] = set()
    matched: list[tuple[str, str, float]] = []
    explained = total = 0.0
    for sim, qi, ci in pairs:
        if qi in used_q or ci in used_c:
            continue
        used_q.add(qi)
        used_c.add(ci)
        q_token, c_token = query.tokens[qi], candidate.tokens[ci]
        matched.append((q_token, c_token, round(sim, 3)))
        # Across scripts the romanised query token is not in the list's
        # vocabulary; the listed token it aligned with says how rare it is.
        pair_weight = weight.cross(q_token, c_token) if cross else weight(q_token)
        explained += sim * pair_weight
        total += pair_weight
    rest_q = tuple(t for i, t in enumerate(query.tokens) if i not in used_q)
    rest_c = tuple(t for i, t in enumerate(candidate.tokens) if i not in used_c)
    total += EXTRA_QUERY_WEIGHT * sum(weight(t) for t in rest_q)
    total += EXTRA_CANDIDATE_WEIGHT * sum(weight(t) for t in rest_c)
    score = explained / total if total else 0.0
    joined = _joined_similarity(query, candidate, cross)
    score = max(score, joined)
    return NameComparison(
        round(score, 4), explained, tuple(matched), rest_q, rest_c, cross
    )


def _candidate_pairs(
    query: tuple[str, ...], candidate: tuple[str, ...], cross: bool
) -> list[tuple[float, int, int]]:
    pairs = []
    for qi, q_token in enumerate(query):
        for ci, c_token in enumerate(candidate):
            sim = token_similarity(q_token, c_token, cross)
            if sim > 0.0:
                pairs.append((sim, qi, ci))
    pairs.sort(key=lambda pair: (-pair[0], pair[1], pair[2]))
    return pairs


def _joined_similarity(query: NameForm, candidate: NameForm, cross: bool) -> float:
    """The names with spaces removed: ``abdulrahman`` against ``abdul rahman``.

    Only a near-identical joined form counts, discounted, because whole-string
    similarity ignores which tokens are rare.
    """
    if cross:
        a = "".join(skeleton(t) for t in query.tokens)
        b = "".join(skeleton(t) for t in candidate.tokens)
        if len(a) < 4:
            return 0.0
        sim = Levenshtein.normalized_similarity(a, b) * CROSS_SCRIPT_DISCOUNT * 0.95
    else:
        sim = Levenshtein.normalized_similarity(query.joined, candidate.joined) * 0.95
    return sim if sim >= 0.85 else 0.0
