"""The in-memory screening index: retrieve candidates, then score them.

Retrieval looks up each query token under three keys (the token itself, its
metaphone code and its consonant skeleton) in postings built over every
name and alias, and ranks entries by the rarity-weighted keys they share.
Only the best ``CANDIDATES`` entries are scored in full, which keeps a query
to about a millisecond even on lists the size of OFAC's SDN.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from followthemoney import EntityProxy
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from accord.screening.entry import Entry, build_entries
from accord.screening.evidence import clean_identifier
from accord.screening.model import ScreeningQuery, ScreeningResult
from accord.screening.names import (
    GENERIC_TOKENS,
    NAME_PARTICLES,
    name_forms,
    skeleton,
    token_keys,
)
from accord.screening.scoring import query_key_weights, score_entry

CANDIDATES = 40
FUZZY_MIN_LENGTH = 4
FUZZY_LIMIT = 5
FUZZY_CUTOFF = 0.85
NEAR_CACHE_SIZE = 4096
MIN_SCORED = 10  # always score this many, so the top ten is complete
RETRIEVAL_FLOOR = 0.4
DEFAULT_THRESHOLD = 0.80
KEY_WEIGHTS = {"tok": 1.0, "mph": 0.7, "skl": 0.6, "cls": 0.5}
COMMON_POSTING = 0.2  # postings longer than this share of entries are skipped
MIN_COMMON_POSTING = 500  # ...but never on small lists, where every posting is short


@dataclass
class ScreeningIndex:
    """Every screenable entity of some lists, ready for queries."""

    entries: list[Entry]
    threshold: float = DEFAULT_THRESHOLD
    postings: dict[str, set[int]] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    vocabulary: dict[str, list[str]] = field(default_factory=dict)
    _near_cache: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    max_weight: float = 1.0
    by_identifier: dict[str, set[int]] = field(default_factory=dict)

    @classmethod
    def build(
        cls, entities: Iterable[EntityProxy], threshold: float = DEFAULT_THRESHOLD
    ) -> ScreeningIndex:
        index = cls(build_entries(entities), threshold)
        index._index_names()
        return index

    def _index_names(self) -> None:
        postings: dict[str, set[int]] = defaultdict(set)
        identifiers: dict[str, set[int]] = defaultdict(set)
        for position, entry in enumerate(self.entries):
            for name in entry.names:
                for form in name.forms:
                    for token in form.tokens:
                        for key in token_keys(token):
                            postings[key].add(position)
            for number in entry.identifiers:
                identifiers[number].add(position)
        self.postings = dict(postings)
        self.by_identifier = dict(identifiers)
        total = max(len(self.entries), 1)
        self.idf = {
            key[4:]: math.log(1 + total / len(hits))
            for key, hits in postings.items()
            if key.startswith("tok:")
        }
        self._max_idf = math.log(1 + total)
        self.weights = {token: self._rarity(token) for token in self.idf}
        vocabulary: dict[str, list[str]] = defaultdict(list)
        for token in sorted(self.idf):
            vocabulary[token[0]].append(token)
        self.vocabulary = dict(vocabulary)
        self.max_weight = max(self.weights.values(), default=self._max_idf)

    def _rarity(self, token: str) -> float:
        """How rare a token is, counting every spelling that shares its skeleton.

        Ahmad, Ahmed and Ahmet are one name: counted apart, each spelling
        looks rare and a common name would pass for a distinctive one.
        """
        base = min(self.idf.get(token, self._max_idf), self._shape_rarity(token))
        if token in GENERIC_TOKENS:
            return base * 0.15
        if token in NAME_PARTICLES or token.isdigit():
            return base * 0.3
        return base

    def _shape_rarity(self, token: str) -> float:
        if len(token) <= 2 or not token.isalpha():
            return self._max_idf
        hits = self.postings.get(f"skl:{skeleton(token)}")
        return math.log(1 + len(self.entries) / len(hits)) if hits else self._max_idf

    def weight(self, token: str) -> float:
        """Rarity of a token in this list; generic words and particles weigh less."""
        found = self.weights.get(token)
        return self._rarity(token) if found is None else found

    def __call__(self, token: str) -> float:
        return self.weight(token)

    def cross(self, query_token: str, listed_token: str) -> float:
        """Rarity of a pair aligned across scripts.

        A romanised Arabic or Cyrillic token is rare as spelled (``mhmd``)
        even when the name is common, so the pair weighs what its most
        common reading weighs: the query's token, the listed token, or the
        consonant skeleton they share.
        """
        return min(self.weight(query_token), self.weight(listed_token))

    def search(self, query: ScreeningQuery, limit: int = 10) -> list[ScreeningResult]:
        """The best ``limit`` entries for ``query``, best first, explained."""
        key_weights = query_key_weights(self, name_forms(query.name))
        scored = [
            score_entry(self, query, self.entries[position], key_weights)
            for position in self._candidates(query)
            if _schema_fits(query.schema, self.entries[position].schema)
        ]
        results = [result for result in scored if result.score > 0.0]
        results.sort(key=lambda r: (-r.score, r.entity_id))
        return results[:limit]

    def _near_spellings(self, token: str, weight: float) -> dict[int, float]:
        """Entries holding a near spelling of a token the list does not have.

        Phonetic and skeleton keys miss a changed consonant (Zimulinda for
        Zimurinda); a bounded fuzzy look-up over the vocabulary finds it.
        Known tokens skip this: their own postings already answer.
        """
        found: dict[int, float] = {}
        for other, similarity in self.near_tokens(token):
            gain = weight * KEY_WEIGHTS["mph"] * similarity
            for position in self.postings.get(f"tok:{other}", ()):
                found[position] = max(found.get(position, 0.0), gain)
        return found

    def near_tokens(self, token: str) -> list[tuple[str, float]]:
        """Listed tokens spelled like an unlisted query token, with similarity.

        Only tokens with the same first letter are searched: a changed first
        letter (Qasim/Kasim) is what the phonetic and skeleton keys catch,
        and the restriction makes the look-up twenty times cheaper.
        """
        if token in self.idf or len(token) < FUZZY_MIN_LENGTH:
            return []
        cached = self._near_cache.get(token)
        if cached is not None:
            return cached
        matches = process.extract(
            token,
            self.vocabulary.get(token[0], ()),
            scorer=JaroWinkler.normalized_similarity,
            limit=FUZZY_LIMIT,
            score_cutoff=FUZZY_CUTOFF,
        )
        found = [(other, similarity) for other, similarity, _ in matches]
        if len(self._near_cache) >= NEAR_CACHE_SIZE:
            self._near_cache.clear()
        self._near_cache[token] = found
        return found

    def _candidates(self, query: ScreeningQuery) -> list[int]:
        scores: dict[int, float] = defaultdict(float)
        common = max(COMMON_POSTING * len(self.entries), MIN_COMMON_POSTING)
        for form in name_forms(query.name):
            for token in form.tokens:
                weight = self.weight(token)
                best: dict[int, float] = self._near_spellings(token, weight)
                for key in token_keys(token):
                    if form.latin_source and key.startswith("cls:"):
                        continue  # the coarsest key is for other scripts only
                    hits = self.postings.get(key, ())
                    if len(hits) > common:
                        continue
                    gain = weight * KEY_WEIGHTS[key[:3]]
                    for position in hits:
                        if gain > best.get(position, 0.0):
                            best[position] = gain
                for position, gain in best.items():
                    scores[position] += gain
        ranked = sorted(scores, key=lambda p: -scores[p])[:CANDIDATES]
        if ranked:
            # Entries sharing far less than the best one cannot outrank it;
            # scoring them in full would only cost time.
            floor = RETRIEVAL_FLOOR * scores[ranked[0]]
            ranked = ranked[:MIN_SCORED] + [
                p for p in ranked[MIN_SCORED:] if scores[p] >= floor
            ]
        return _with_identifier_hits(self, query, ranked)


def _with_identifier_hits(
    index: ScreeningIndex, query: ScreeningQuery, ranked: list[int]
) -> list[int]:
    extra = []
    for number in query.id_numbers:
        for position in index.by_identifier.get(clean_identifier(number), ()):
            if position not in ranked:
                extra.append(position)
    return ranked + extra


def _schema_fits(query_schema: str, listed_schema: str) -> bool:
    if query_schema == "LegalEntity":
        return True
    if query_schema == "Person":
        return listed_schema in ("Person", "LegalEntity")
    return listed_schema not in ("Person", "Vessel", "Airplane")
