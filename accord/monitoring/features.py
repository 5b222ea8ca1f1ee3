"""Hashed character n-grams and lexicon cues: the classifier's features.

Character n-grams work across scripts and survive misspellings, and hashing
them keeps the model a fixed size with no vocabulary to ship. scikit-learn's
``HashingVectorizer`` does this in a Python loop per n-gram (about 8,000
posts/s on our posts); here the n-grams of a whole batch are hashed at once
with numpy, which is several times faster and gives the same kind of
features. The hash is a fixed polynomial hash, so indices are the same in
every process (Python's own ``hash`` is salted per process).

Lexicon cue counts (``accord.monitoring.lexicons``) are appended as a few
language-independent columns: a model that learns that an imperative to
kill matters from English posts applies it to Arabic, Russian and French
posts through the same column. The stance lexicons
(``accord.monitoring.stance``: in-group names, martyrdom formulas, slurs
for other groups against outsiders' names for the group, reporting voice,
counter-speech) follow as further columns when ``stance`` is on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import sparse  # type: ignore[import-untyped]  # scipy ships no stubs

from accord.monitoring.lexicons import CUES, Cue
from accord.monitoring.stance import STANCE_CUES
from accord.monitoring.text import FOLD_TABLE

PRIME = np.uint64(1_000_003)
MIX = np.uint64(0x9E3779B97F4A7C15)
MASK = (1 << 64) - 1
SEPARATOR = "\x00"


@dataclass(frozen=True)
class FeatureConfig:
    """Stored with a model, so a model is always read with its own features."""

    bits: int = 19
    ngrams: tuple[int, ...] = (1, 2, 3, 4, 5)
    cue_weight: float = 0.5
    stance: bool = True

    @property
    def cues(self) -> dict[str, Cue]:
        """The lexicon columns, in column order."""
        return {**CUES, **STANCE_CUES} if self.stance else dict(CUES)

    @property
    def width(self) -> int:
        return (1 << self.bits) + len(self.cues)


class Featuriser:
    """Normalised texts -> a sparse matrix of length-normalised n-gram
    counts followed by the cue columns."""

    def __init__(self, config: FeatureConfig) -> None:
        self.config = config

    @cached_property
    def cue_patterns(self) -> tuple[re.Pattern[str], ...]:
        """One alternation per lexicon family. A family matches once per
        position, so the behaviour cues and the stance cues are separate
        passes: ``califat`` is both a group reference and an in-group name."""
        families = [CUES, STANCE_CUES] if self.config.stance else [CUES]
        return tuple(_alternation(family) for family in families)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Training features: n-grams (duplicates summed) then cue columns."""
        grams = self.ngram_matrix(texts)
        grams.sum_duplicates()
        return sparse.hstack([grams, self.cue_matrix(texts)], format="csr")

    def ngram_matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """One entry per n-gram occurrence, weighted 1/sqrt(occurrences in
        the post), so a product with a weight vector is the length-normalised
        sum of the n-grams' weights.

        Entries are produced in post order, so the CSR structure is built
        directly; repeated n-grams stay as separate entries (a matrix
        product sums them), which avoids sorting millions of entries per
        batch.
        """
        padded = [f" {text} " for text in texts]
        joined = SEPARATOR.join(padded)
        raw = np.frombuffer(joined.encode("utf-32-le", "replace"), dtype=np.uint32)
        codes = raw.astype(np.uint64)
        lengths = np.fromiter(
            (len(t) + 1 for t in padded), dtype=np.int64, count=len(padded)
        )
        doc_of = np.repeat(np.arange(len(padded)), lengths)[: len(codes)]
        columns = np.zeros((len(codes), len(self.config.ngrams)), dtype=np.int64)
        valid = np.zeros(columns.shape, dtype=bool)
        for slot, (indices, ok) in enumerate(self._hashes(codes)):
            columns[: len(indices), slot] = indices
            valid[: len(ok), slot] = ok
        rows = np.repeat(doc_of, len(self.config.ngrams))[valid.ravel()]
        cols = columns.ravel()[valid.ravel()]
        per_row = np.bincount(rows, minlength=len(texts))
        indptr = np.concatenate(([0], np.cumsum(per_row)))
        scale = (1.0 / np.sqrt(np.maximum(per_row, 1))).astype(np.float32)
        shape = (len(texts), 1 << self.config.bits)
        return sparse.csr_matrix((scale[rows], cols, indptr), shape=shape)

    def _hashes(self, codes: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(column, valid) per configured n-gram size, in order. The hash of
        an n-gram is built from the hash of its (n-1)-gram prefix, so each
        size costs one pass over the batch; an n-gram is valid when no
        separator falls inside it."""
        separators = np.concatenate(([0], np.cumsum(codes == 0)))
        prefix = np.zeros(len(codes), dtype=np.uint64)
        shift = np.uint64(64 - self.config.bits)
        for size in range(1, max(self.config.ngrams) + 1):
            count = max(0, len(codes) - size + 1)
            prefix = prefix[:count] * PRIME + codes[size - 1 : size - 1 + count]
            if size in self.config.ngrams:
                valid = separators[size : size + count] == separators[:count]
                mixed = ((prefix ^ np.uint64(size)) * MIX) >> shift
                yield mixed.astype(np.int64), valid

    def cue_matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        names = list(self.config.cues)
        position = {name: index for index, name in enumerate(names)}
        counts = np.zeros((len(texts), len(names)), dtype=np.float32)
        for row, text in enumerate(texts):
            for pattern in self.cue_patterns:
                for hit in pattern.finditer(text):
                    if hit.lastgroup:
                        counts[row, position[hit.lastgroup]] += 1.0
        return sparse.csr_matrix(np.log1p(counts) * self.config.cue_weight)

    def ngram_index(self, gram: str) -> int:
        """The column of one n-gram; the scalar twin of ``_hashes``, used to
        name the n-grams behind a score."""
        value = 0
        for char in gram:
            value = (value * int(PRIME) + ord(char)) & MASK
        value ^= len(gram)
        return ((value * int(MIX)) & MASK) >> (64 - self.config.bits)


def _alternation(cues: dict[str, Cue]) -> re.Pattern[str]:
    """All fragments of ``cues`` in one pattern, named by cue."""
    groups = []
    for name, cue in cues.items():
        alternatives = "|".join(
            f"(?:{p.lower().translate(FOLD_TABLE)})"
            for patterns in cue.values()
            for p in patterns
        )
        groups.append(f"(?P<{name}>{alternatives})")
    return re.compile(r"(?<!\w)(?:" + "|".join(groups) + ")")
