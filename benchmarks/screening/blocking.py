"""Candidate retrieval for the logic-v2 anchor, modelled on yente's query.

yente asks Elasticsearch for ``limit x YENTE_MATCH_CANDIDATES`` (5 x 10 = 50)
entities and rescores them with logic-v2. nomenklatura ships no per-query
index: ``nomenklatura.blocker.Index`` is a DuckDB batch blocker for xref
(it needs a Store, a data directory, the whole query set at once, and only
matches exact name parts), so it could give neither per-query latency nor
yente's fuzzy recall. This in-process blocker reproduces the parts of
yente's query that decide *which* 50 entities come back:

* **name parts, dis-max**: each query token scores, per entity, the best of
  an exact match on the ASCII-folded ("comparable") token (its IDF), a fuzzy
  match with Elasticsearch's ``fuzziness: AUTO`` (1 edit for 3-5 letters, 2
  beyond; 0.7 x IDF of the matched token) and a metaphone match (0.5 x IDF
  of the phonetic key);
* **AND-match boost**: an entity matching every query token gets its score
  times four, as yente's boost-3 full-name clause adds three times the parts;
* **character 3-grams** for single-token names, at 70 % of the query's
  IDF-weighted grams (yente's ngram clause for one-token names);
* **schema filter**: only entities FtM lets the query schema match.

Ties are broken by list order, so a run is reproducible.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

from followthemoney import EntityProxy, model
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from rigour.text import metaphone

from benchmarks.screening.queries import NAME_PROPS, values
from benchmarks.screening.text import fold_key, fold_tokens

FUZZY_WEIGHT = 0.7
PHONETIC_WEIGHT = 0.5
FULL_MATCH_BOOST = 3.0
NGRAM = 3
NGRAM_MIN_SHARE = 0.7
MIN_PHONETIC_LEN = 3
Postings = dict[str, set[int]]


def fuzziness(token: str) -> int:
    """Elasticsearch ``fuzziness: AUTO``: edits allowed for a term's length."""
    if len(token) <= 2:
        return 0
    return 1 if len(token) <= 5 else 2


def grams(text: str) -> set[str]:
    """Character 3-grams of a name with spaces removed."""
    squashed = text.replace(" ", "")
    return {squashed[i : i + NGRAM] for i in range(len(squashed) - NGRAM + 1)}


def _idf(postings: Postings, total: int) -> dict[str, float]:
    return {key: math.log(1 + total / len(hits)) for key, hits in postings.items()}


@lru_cache(maxsize=64)
def _can_match(query_schema: str, listed_schema: str) -> bool:
    """FtM's rule, as yente's schema filter applies it."""
    query, listed = model.get(query_schema), model.get(listed_schema)
    return query is not None and listed is not None and query.can_match(listed)


class NameBlocker:
    """Inverted indices over every name and alias of a list."""

    def __init__(self, entities: Sequence[EntityProxy]) -> None:
        self.ids = [entity.id or "" for entity in entities]
        self.schemas = [entity.schema.name for entity in entities]
        tokens: Postings = defaultdict(set)
        phonetic: Postings = defaultdict(set)
        ngrams: Postings = defaultdict(set)
        for position, entity in enumerate(entities):
            for name in values(entity, NAME_PROPS):
                for token in fold_tokens(name):
                    tokens[token].add(position)
                    if len(token) >= MIN_PHONETIC_LEN and metaphone(token):
                        phonetic[metaphone(token)].add(position)
                for gram in grams(fold_key(name)):
                    ngrams[gram].add(position)
        total = max(len(entities), 1)
        self.tokens = dict(tokens)
        self.phonetic = dict(phonetic)
        self.ngrams = dict(ngrams)
        self.token_idf = _idf(self.tokens, total)
        self.phonetic_idf = _idf(self.phonetic, total)
        self.ngram_idf = _idf(self.ngrams, total)
        self.vocabulary = sorted(self.tokens)

    def candidates(self, name: str, schema: str, limit: int) -> list[str]:
        """Ids of the ``limit`` best entities for a name, best first."""
        query_tokens = list(dict.fromkeys(fold_tokens(name)))
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, int] = defaultdict(int)
        for token in query_tokens:
            for position, gain in self._part_gains(token).items():
                scores[position] += gain
                matched[position] += 1
        for position in scores:
            if matched[position] == len(query_tokens):
                scores[position] *= 1 + FULL_MATCH_BOOST
        if len(query_tokens) == 1:
            for position, gain in self._ngram_gains(query_tokens[0]).items():
                scores[position] += gain
        fitting = (
            (score, -position)
            for position, score in scores.items()
            if _can_match(schema, self.schemas[position])
        )
        best = heapq.nlargest(limit, fitting)
        return [self.ids[-negated] for _, negated in best]

    def _part_gains(self, token: str) -> dict[int, float]:
        """Dis-max over exact, fuzzy and phonetic matches of one query token."""
        gains: dict[int, float] = {}
        for term, weight in self._expansions(token):
            gain = self.token_idf[term] * weight
            for position in self.tokens[term]:
                if gain > gains.get(position, 0.0):
                    gains[position] = gain
        key = metaphone(token) if len(token) >= MIN_PHONETIC_LEN else ""
        if key in self.phonetic:
            gain = self.phonetic_idf[key] * PHONETIC_WEIGHT
            for position in self.phonetic[key]:
                if gain > gains.get(position, 0.0):
                    gains[position] = gain
        return gains

    def _expansions(self, token: str) -> list[tuple[str, float]]:
        """Vocabulary terms within the token's fuzziness, with their weight."""
        edits = fuzziness(token)
        if edits == 0:
            return [(token, 1.0)] if token in self.tokens else []
        found = process.extract(
            token,
            self.vocabulary,
            scorer=Levenshtein.distance,
            score_cutoff=edits,
            limit=None,
        )
        return [(term, 1.0 if term == token else FUZZY_WEIGHT) for term, _, _ in found]

    def _ngram_gains(self, token: str) -> dict[int, float]:
        """IDF mass of the query's 3-grams an entity shares, if >= 70 %."""
        query_grams = grams(token)
        total = sum(self.ngram_idf.get(g, 0.0) for g in query_grams)
        shared: dict[int, float] = defaultdict(float)
        for gram in query_grams:
            for position in self.ngrams.get(gram, ()):
                shared[position] += self.ngram_idf[gram]
        if total <= 0:
            return {}
        return {p: s for p, s in shared.items() if s / total >= NGRAM_MIN_SHARE}
