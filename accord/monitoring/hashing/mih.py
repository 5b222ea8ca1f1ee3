"""Exact Hamming range search over 256-bit PDQ hashes: multi-index hashing.

A linear scan compares a query with every hash in the bank: at 10M hashes
that is 320 MB of memory traffic per query, about ten lookups a second in
numpy. Multi-index hashing (Norouzi, Punjani and Fleet, 2014; the scheme
ThreatExchange's C++ matcher uses) splits each hash into ``m`` disjoint
substrings. Two hashes within distance ``r`` differ in at most
``floor(r / m)`` bits in at least one substring (pigeonhole), so probing each
substring's table with every key within that radius finds every true match;
candidates are then verified by their full distance. Results are exactly
those of a linear scan.

The tables are CSR arrays, not dicts: for substring ``j`` the bank's row ids
are sorted by their substring value (``perm``) and ``offsets[v]`` is where
value ``v`` starts, so a probe is two array reads and a contiguous slice.
Substrings never straddle a 64-bit lane, so ``m`` is a multiple of 4; the
default follows Norouzi's rule ``m ~ 256 / log2(N)``, which keeps about one
row per bucket: 16 substrings for small banks, 12 from about a million
hashes. All queries of a batch are probed together, so Python overhead is
paid per batch, not per query.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from accord.errors import InvalidData
from accord.monitoring.hashing.pigeonhole import (
    expected_candidates,
    flip_masks,
    probe_radii,
)

HASH_BITS = 256
LANES = 4
LANE_BITS = 64
MAX_SUBSTRING_BITS = 22
# Beyond this share of the bank in expected candidates, probing costs more
# than scanning everything, and both give the same answer.
SCAN_FALLBACK_SHARE = 0.25
PACKED_ROW_LIMIT = 1 << 24
SCAN_CHUNK = 1 << 16
# Queries probed together: enough to spread Python's overhead, few enough
# that the candidates of the chunk stay in cache (measured best at 10M).
QUERY_CHUNK = 16

Lanes = npt.NDArray[np.uint64]
Ids = npt.NDArray[np.int64]
Distances = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class RangeHits:
    """Matches of a query batch: row ``i`` of each array is one (query, hash)
    pair, sorted by query, then distance, then bank row."""

    query: Ids
    row: Ids
    distance: Distances

    def for_query(self, index: int) -> tuple[Ids, Distances]:
        """Bank rows and distances matched by query ``index``."""
        lo, hi = np.searchsorted(self.query, [index, index + 1])
        return self.row[lo:hi], self.distance[lo:hi]


def popcount_distance(candidates: Lanes, queries: Lanes) -> Distances:
    """Hamming distance of aligned rows of two ``(n, 4)`` lane arrays."""
    # Adding the four lane columns is about three times faster than
    # ``sum(axis=1)``, whose reduction over a short axis is not vectorised.
    bits = np.bitwise_count(np.bitwise_xor(candidates, queries)).astype(np.uint16)
    total = bits[:, 0] + bits[:, 1] + bits[:, 2] + bits[:, 3]
    return total.astype(np.int64)


def linear_scan(hashes: Lanes, queries: Lanes, radius: int) -> RangeHits:
    """Every bank row within ``radius`` of each query, by brute force.

    The reference MIH must agree with, and the fallback for radii where
    probing would touch most of the bank anyway.
    """
    parts: list[tuple[Ids, Ids, Distances]] = []
    for number, query in enumerate(queries):
        # Chunks keep the temporaries in cache; the whole array at once is
        # several times slower at 10M hashes.
        for start in range(0, len(hashes), SCAN_CHUNK):
            chunk = hashes[start : start + SCAN_CHUNK]
            distance = popcount_distance(chunk, query[None, :])
            rows = np.flatnonzero(distance <= radius)
            found = (np.full(len(rows), number, np.int64), rows + start, distance[rows])
            parts.append(found)
    return _sorted_hits(parts)


def _sorted_hits(parts: list[tuple[Ids, Ids, Distances]]) -> RangeHits:
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return RangeHits(empty, empty, empty)
    query = np.concatenate([part[0] for part in parts])
    row = np.concatenate([part[1] for part in parts])
    distance = np.concatenate([part[2] for part in parts])
    order = np.lexsort((row, distance, query))
    return RangeHits(query[order], row[order], distance[order])


def default_substrings(size: int) -> int:
    """Norouzi's ``m ~ 256 / log2(N)``, rounded to a multiple of the 4 lanes."""
    if size < 2:
        return 16
    per_lane = round(HASH_BITS / math.log2(size) / LANES)
    return LANES * min(4, max(3, per_lane))


def _lane_widths(per_lane: int) -> list[int]:
    base, extra = divmod(LANE_BITS, per_lane)
    return [base + 1 if slot < extra else base for slot in range(per_lane)]


@dataclass(frozen=True, slots=True)
class Substring:
    """Bits ``[shift, shift + width)`` (from the right) of one lane."""

    lane: int
    shift: int
    width: int

    def values(self, lanes: Lanes) -> npt.NDArray[np.int64]:
        mask = np.uint64((1 << self.width) - 1)
        shifted = np.right_shift(lanes[:, self.lane], np.uint64(self.shift))
        return np.bitwise_and(shifted, mask).astype(np.int64)


def _substrings(count: int) -> list[Substring]:
    if count % LANES:
        raise InvalidData(f"substring count {count} is not a multiple of {LANES}")
    widths = _lane_widths(count // LANES)
    if max(widths) > MAX_SUBSTRING_BITS:
        raise InvalidData(f"{count} substrings would make tables too large")
    found: list[Substring] = []
    for lane in range(LANES):
        shift = LANE_BITS
        for width in widths:
            shift -= width
            found.append(Substring(lane, shift, width))
    return found


@dataclass(frozen=True, slots=True)
class IndexTables:
    """Saved tables: ``perms`` stacks one row-id table per substring,
    ``offsets`` concatenates the offset tables in substring order."""

    perms: npt.NDArray[np.uint8] | npt.NDArray[np.uint32]
    offsets: npt.NDArray[np.uint32]


@dataclass(frozen=True, slots=True)
class ProbePlan:
    """Every probe of one query at one radius, over all tables at once:
    probe ``i`` XORs ``masks[i]`` into substring ``tables[i]`` and reads that
    table's offsets at ``offset_base[i]`` and row ids at ``perm_base[i]``."""

    tables: Ids
    masks: Ids
    offset_base: Ids
    perm_base: Ids


class MultiIndexHashIndex:
    """An immutable MIH index over a bank's hashes, kept in ``(N, 4)`` lanes.

    Memory: the hashes (32 B each), one row id per hash per substring (3 B
    below 2^24 hashes, else 4 B) and one offsets table per substring
    (2^width + 1 ``uint32``). At 10M hashes and m = 12 that is
    320 + 360 + 128 MB. The row ids of all substrings are one stacked array
    and the offsets one concatenated array, so a batch of queries is probed
    in all tables by a dozen numpy calls, whatever m is.

    When probing would fetch more than ``scan_share`` of the bank (very wide
    radii), ``search`` scans linearly instead: same answer, fewer steps.
    Tests set it to infinity so that small banks exercise the probes.
    """

    def __init__(
        self,
        hashes: Lanes,
        substrings: int | None = None,
        *,
        scan_share: float = SCAN_FALLBACK_SHARE,
        tables: IndexTables | None = None,
    ) -> None:
        if hashes.ndim != 2 or hashes.shape[1] != LANES or hashes.dtype != np.uint64:
            raise InvalidData("hashes must be an (N, 4) uint64 array")
        if len(hashes) >= 2**32:
            raise InvalidData("an index holds fewer than 2^32 hashes")
        self.hashes = hashes
        self.scan_share = scan_share
        self.substrings = _substrings(substrings or default_substrings(len(hashes)))
        sizes = [(1 << s.width) + 1 for s in self.substrings]
        self.offset_starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(
            np.int64
        )
        self.tables = tables if tables is not None else self._build()
        expected = (len(self.substrings), len(hashes))
        if self.tables.perms.shape[:2] != expected or self.tables.offsets.shape != (
            sum(sizes),
        ):
            raise InvalidData("saved index tables do not fit the bank's hashes")
        self._flat_perms = self.tables.perms.reshape(
            len(self.substrings) * len(hashes), *self.tables.perms.shape[2:]
        )
        self._plans: dict[int, ProbePlan] = {}

    def _build(self) -> IndexTables:
        count = len(self.hashes)
        packed = count < PACKED_ROW_LIMIT
        shape = (
            (len(self.substrings), count, 3)
            if packed
            else (len(self.substrings), count)
        )
        perms = np.empty(shape, dtype=np.uint8 if packed else np.uint32)
        offsets: list[npt.NDArray[np.uint32]] = []
        for number, substring in enumerate(self.substrings):
            perm, table_offsets = _table(substring.values(self.hashes), substring.width)
            perms[number] = _pack_row_ids(perm) if packed else perm
            offsets.append(table_offsets)
        return IndexTables(perms, np.concatenate(offsets))

    def write_tables(self, perms_path: Path, offsets_path: Path) -> None:
        """Save the tables as two ``.npy`` files, to be memory-mapped."""
        np.save(perms_path, self.tables.perms, allow_pickle=False)
        np.save(offsets_path, self.tables.offsets, allow_pickle=False)

    def __len__(self) -> int:
        return len(self.hashes)

    def nbytes(self) -> int:
        """Bytes held by the hashes and the tables."""
        tables = self.tables.perms.nbytes + self.tables.offsets.nbytes
        return int(self.hashes.nbytes + tables)

    def search(self, queries: Lanes, radius: int) -> RangeHits:
        """Every bank row within ``radius`` bits of each query, exactly."""
        if radius < 0:
            raise InvalidData("a Hamming radius cannot be negative")
        if len(self.hashes) == 0 or len(queries) == 0:
            return _sorted_hits([])
        radii = probe_radii([s.width for s in self.substrings], radius, len(self))
        widths = [s.width for s in self.substrings]
        expected = expected_candidates(widths, radii, len(self))
        if expected > self.scan_share * len(self):
            return linear_scan(self.hashes, queries, radius)
        parts = []
        for first in range(0, len(queries), QUERY_CHUNK):
            query, rows, distance = self._probe(
                queries[first : first + QUERY_CHUNK], radius, radii
            )
            parts.append((query + first, rows, distance))
        return _deduplicated(_sorted_hits(parts))

    def _plan(self, radius: int, radii: list[int]) -> ProbePlan:
        if radius not in self._plans:
            tables: list[Ids] = []
            masks: list[Ids] = []
            for number, within in enumerate(radii):
                if within >= 0:
                    table_masks = flip_masks(self.substrings[number].width, within)
                    masks.append(table_masks)
                    tables.append(np.full(len(table_masks), number, dtype=np.int64))
            table = np.concatenate(tables)
            self._plans[radius] = ProbePlan(
                tables=table,
                masks=np.concatenate(masks),
                offset_base=self.offset_starts[table],
                perm_base=table * len(self.hashes),
            )
        return self._plans[radius]

    def _probe(
        self, queries: Lanes, radius: int, radii: list[int]
    ) -> tuple[Ids, Ids, Distances]:
        plan = self._plan(radius, radii)
        values = np.stack([s.values(queries) for s in self.substrings], axis=1)
        keys = (
            np.bitwise_xor(values[:, plan.tables], plan.masks) + plan.offset_base
        ).ravel()
        starts = self.tables.offsets.take(keys).astype(np.int64)
        lengths = self.tables.offsets.take(keys + 1).astype(np.int64) - starts
        starts += np.tile(plan.perm_base, len(queries))
        positions = _expand_ranges(starts, lengths)
        # Probes are laid out query by query, so each query's candidates are
        # one run: repeating the query rows is cheaper than gathering them.
        per_query = lengths.reshape(len(queries), len(plan.masks)).sum(axis=1)
        query = np.repeat(np.arange(len(queries), dtype=np.int64), per_query)
        rows = _row_ids_at(self._flat_perms, positions)
        repeated = np.repeat(queries, per_query, axis=0)
        # ``take`` gathers rows about twice as fast as fancy indexing.
        distance = popcount_distance(self.hashes.take(rows, axis=0), repeated)
        keep = distance <= radius
        return query[keep], rows[keep], distance[keep]


def _table(
    values: npt.NDArray[np.int64], width: int
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    # Order within a bucket does not matter (hits are sorted at the end), so
    # an unstable sort on 32-bit keys does: about three times faster.
    keys = values.astype(np.uint32)
    perm = np.argsort(keys).astype(np.uint32)
    counts = np.bincount(keys, minlength=1 << width)
    offsets = np.zeros((1 << width) + 1, dtype=np.uint32)
    np.cumsum(counts, out=offsets[1:])
    return perm, offsets


def _pack_row_ids(
    perm: npt.NDArray[np.uint32],
) -> npt.NDArray[np.uint8] | npt.NDArray[np.uint32]:
    """Row ids in three bytes each while the bank has fewer than 2^24 rows:
    at 10M hashes and 12 tables that saves 120 MB for about 1 % of speed."""
    if len(perm) >= PACKED_ROW_LIMIT:
        return perm
    big_endian = perm.astype(">u4").view(np.uint8).reshape(-1, 4)
    return np.ascontiguousarray(big_endian[:, 1:])


def _row_ids_at(
    packed: npt.NDArray[np.uint8] | npt.NDArray[np.uint32], positions: Ids
) -> Ids:
    if packed.ndim == 1:
        return packed.take(positions).astype(np.int64)
    parts = packed.take(positions, axis=0).astype(np.int64)
    rows: Ids = (parts[:, 0] << 16) | (parts[:, 1] << 8) | parts[:, 2]
    return rows


def _expand_ranges(starts: Ids, lengths: Ids) -> Ids:
    """``concatenate([arange(s, s + n) for s, n in ...])`` without a loop."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(lengths)
    shift = np.repeat(starts - (ends - lengths), lengths)
    positions: Ids = np.arange(total, dtype=np.int64) + shift
    return positions


def _deduplicated(hits: RangeHits) -> RangeHits:
    """One hit per (query, row): a row can be found through several substrings."""
    if len(hits.row) < 2:
        return hits
    same = (hits.query[1:] == hits.query[:-1]) & (hits.row[1:] == hits.row[:-1])
    keep = np.concatenate(([True], ~same))
    return RangeHits(hits.query[keep], hits.row[keep], hits.distance[keep])
