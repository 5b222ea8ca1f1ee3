"""PDQ index speed and memory at 1M and 10M hashes, against a linear scan.

For each bank size and hash distribution the index is built in a fresh
process (so peak memory is its own), queried at the HMA threshold of 31 bits
in batches, and compared with a numpy linear scan (XOR + popcount over the
whole array) in the same process: throughput, and that both return exactly
the same hits. Distributions:

- ``random``: uniform 256-bit hashes, the textbook case;
- ``clustered``: clusters of about 100 near-duplicates (each up to 20 bits
  from its centre), as re-posted and re-encoded propaganda is;
- ``biased``: clustered, and bit ``i`` set with its own probability
  ``p_i ~ Beta(20, 20)`` (about 0.3-0.7), so substring buckets are uneven;
  the 1,350 real PDQ hashes of ``haystack.txt`` spread less (0.39-0.62);
- ``extreme`` (not run by default): as ``biased`` with ``Beta(2, 2)``
  (0.05-0.95), a stress case far more skewed than real PDQ, whose bits are
  thresholded at the median and so are set about half the time.

Half the queries are near-duplicates of bank hashes (0-24 flipped bits), half
are random. Then the reference images in ``../shared/data/propaganda/pdq``
are hashed and compared with the C++ reference hashes (must be within 10
bits), and the text signature index is measured for near-duplicate recall
and speed. Run:

    .venv/bin/python -m benchmarks.monitoring.hash_index [--sizes 1000000 10000000]
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import multiprocessing
import os
import platform
import resource
import time
from pathlib import Path
from typing import Any

import numpy as np

from accord.monitoring.hashing.mih import MultiIndexHashIndex, RangeHits, linear_scan
from accord.monitoring.hashing.pdq import hash_image_file, hex_to_lanes
from accord.monitoring.hashing.text import (
    SignatureIndex,
    required_signature,
    similarity,
)

THRESHOLD = 31
BATCH = 64
RESULTS = Path(__file__).resolve().parents[1] / "results" / "monitoring_hash_index.json"
SHARED_PDQ = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / "propaganda" / "pdq"
)
DISTRIBUTIONS = ("random", "clustered", "biased", "extreme")
DEFAULT_DISTRIBUTIONS = DISTRIBUTIONS[:3]
SKEW = {"biased": 20.0, "extreme": 2.0}


def rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def flip_random_bits(
    rng: np.random.Generator, lanes: np.ndarray, most: int
) -> np.ndarray:
    """Each row with 0..most distinct random bits flipped."""
    out = lanes.copy()
    counts = rng.integers(0, most + 1, size=len(lanes))
    for row, count in enumerate(counts):
        for bit in rng.choice(256, int(count), replace=False):
            out[row, bit // 64] ^= np.uint64(1) << np.uint64(63 - bit % 64)
    return out


def biased_lanes(rng: np.random.Generator, count: int, shape: float) -> np.ndarray:
    """Hashes whose bit ``i`` is set with its own probability."""
    probability = rng.beta(shape, shape, size=256)
    lanes = np.zeros((count, 4), dtype=np.uint64)
    for bit in range(256):
        set_bits = (rng.random(count) < probability[bit]).astype(np.uint64)
        lanes[:, bit // 64] |= set_bits << np.uint64(63 - bit % 64)
    return lanes


def make_bank(rng: np.random.Generator, size: int, distribution: str) -> np.ndarray:
    if distribution == "random":
        return rng.integers(
            0, 2**64 - 1, size=(size, 4), dtype=np.uint64, endpoint=True
        )
    centres_count = max(1, size // 100)
    if distribution in SKEW:
        centres = biased_lanes(rng, centres_count, SKEW[distribution])
    else:
        centres = rng.integers(
            0, 2**64 - 1, (centres_count, 4), np.uint64, endpoint=True
        )
    members = centres[rng.integers(0, centres_count, size)]
    # Flipping bits member by member is slow in Python; flip in bulk instead:
    # each member gets up to 20 random bit positions XORed.
    for _ in range(20):
        keep = rng.random(size) < 0.5
        bits = rng.integers(0, 256, size)
        masks = np.uint64(1) << (63 - (bits % 64)).astype(np.uint64)
        lane = bits // 64
        members[np.flatnonzero(keep), lane[keep]] ^= masks[keep]
    return members


def make_queries(rng: np.random.Generator, bank: np.ndarray, count: int) -> np.ndarray:
    near = flip_random_bits(rng, bank[rng.integers(0, len(bank), count // 2)], 24)
    far = rng.integers(0, 2**64 - 1, (count - count // 2, 4), np.uint64, endpoint=True)
    return np.vstack([near, far])


def hit_set(hits: RangeHits, offset: int = 0) -> set[tuple[int, int, int]]:
    return {
        (int(q) + offset, int(r), int(d))
        for q, r, d in zip(hits.query, hits.row, hits.distance, strict=True)
    }


def measure_pdq(
    size: int, distribution: str, queries: int, scan_queries: int
) -> dict[str, Any]:
    """One bank: build, query with MIH and with the linear scan, compare."""
    rng = np.random.default_rng(size + DISTRIBUTIONS.index(distribution))
    before = rss_bytes()
    bank = make_bank(rng, size, distribution)
    probe = make_queries(rng, bank, queries)
    start = time.perf_counter()
    index = MultiIndexHashIndex(bank)
    build_s = time.perf_counter() - start
    after = rss_bytes()
    mih_hits: set[tuple[int, int, int]] = set()
    start, cpu = time.perf_counter(), time.process_time()
    for first in range(0, queries, BATCH):
        mih_hits |= hit_set(
            index.search(probe[first : first + BATCH], THRESHOLD), first
        )
    mih_s, mih_cpu = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    single = min(queries, 200)
    for row in range(single):
        index.search(probe[row : row + 1], THRESHOLD)
    single_s = time.perf_counter() - start
    sample = np.concatenate(
        [np.arange(scan_queries // 2), queries // 2 + np.arange(scan_queries // 2)]
    )
    start = time.perf_counter()
    scan = linear_scan(bank, probe[sample], THRESHOLD)
    scan_s = time.perf_counter() - start
    scan_hits = {(int(sample[q]), r, d) for q, r, d in hit_set(scan)}
    sampled_queries = set(sample.tolist())
    sampled = {hit for hit in mih_hits if hit[0] in sampled_queries}
    anchor = faiss_flat(bank, probe, sample, scan_hits)
    return {
        "hashes": size,
        "distribution": distribution,
        "substrings": len(index.substrings),
        "build_seconds": round(build_s, 2),
        "index_bytes": index.nbytes(),
        "rss_delta_bytes": after - before,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "queries": queries,
        "hits": len(mih_hits),
        "mih_lookups_per_s": round(queries / mih_s),
        "mih_lookups_per_cpu_s": round(queries / mih_cpu),
        "mih_unbatched_lookups_per_s": round(single / single_s),
        "scan_queries": len(sample),
        "scan_lookups_per_s": round(len(sample) / scan_s, 1),
        "speedup": round((queries / mih_s) / (len(sample) / scan_s), 1),
        "same_hits_as_scan": sampled == scan_hits,
        "scan_hits_compared": len(scan_hits),
        **anchor,
    }


def faiss_flat(
    bank: np.ndarray, probe: np.ndarray, sample: np.ndarray, expected: set[Any]
) -> dict[str, Any]:
    """The anchor: faiss ``IndexBinaryFlat`` range search (the brute-force
    scan pytx offers for PDQ), one thread, on the scan's sample queries."""
    try:
        faiss = importlib.import_module("faiss")
    except ImportError:
        return {"faiss": "not installed"}
    faiss.omp_set_num_threads(1)
    index = faiss.IndexBinaryFlat(256)
    index.add(bank.view(np.uint8).reshape(len(bank), 32))
    queries = np.ascontiguousarray(probe[sample]).view(np.uint8).reshape(-1, 32)
    start = time.perf_counter()
    # faiss counts distances strictly below the radius.
    limits, distances, rows = index.range_search(queries, THRESHOLD + 1)
    elapsed = time.perf_counter() - start
    found = {
        (int(sample[q]), int(rows[i]), int(distances[i]))
        for q in range(len(sample))
        for i in range(limits[q], limits[q + 1])
    }
    return {
        "faiss_flat_lookups_per_s": round(len(sample) / elapsed, 1),
        "faiss_same_hits_as_scan": found == expected,
        "faiss_version": faiss.__version__,
    }


def isolated(
    size: int, distribution: str, queries: int, scan_queries: int
) -> dict[str, Any]:
    """``measure_pdq`` in a fresh process, so memory figures are its own."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        result: dict[str, Any] = pool.apply(
            measure_pdq, (size, distribution, queries, scan_queries)
        )
    return result


def reference_images() -> dict[str, Any]:
    """pdqhash on PIL-decoded images against the C++ reference hashes."""
    table = SHARED_PDQ / "expected_cpp_reference_dih.csv"
    if not table.is_file():
        return {"skipped": f"{SHARED_PDQ} is absent"}
    with table.open() as handle:
        rows = list(csv.DictReader(handle))
    distances = {}
    for row in rows:
        found = hash_image_file(SHARED_PDQ / row["file"])
        lanes = hex_to_lanes([found.hex, row["pdq_hex"]])
        distances[row["file"]] = int(np.bitwise_count(lanes[0] ^ lanes[1]).sum())
    return {
        "images": len(rows),
        "max_distance": max(distances.values()),
        "within_10_bits": all(d <= 10 for d in distances.values()),
        "distances": distances,
    }


def text_index(size: int = 100_000, queries: int = 1000) -> dict[str, Any]:
    """Near-duplicate recall and speed of text signatures at threshold 0.6."""
    rng = np.random.default_rng(7)
    vocabulary = np.array([f"w{n}" for n in range(20_000)])
    documents = [" ".join(rng.choice(vocabulary, 40)) for _ in range(size)]
    start = time.perf_counter()
    bank = np.stack([required_signature(d) for d in documents])
    sign_s = time.perf_counter() - start
    index = SignatureIndex(bank, 0.6)
    targets = rng.integers(0, size, queries)
    variants = []
    for row in targets:
        words = documents[row].split()
        kept = [w for w in words if rng.random() > 0.1]
        variants.append(" ".join(kept))
    start = time.perf_counter()
    signatures = [required_signature(v) for v in variants]
    found = [index.search(sig) for sig in signatures]
    query_s = time.perf_counter() - start
    eligible = [
        i
        for i, sig in enumerate(signatures)
        if similarity(bank[targets[i] : targets[i] + 1], sig)[0] >= 0.6
    ]
    recalled = sum(any(h.row == targets[i] for h in found[i]) for i in eligible)
    return {
        "signatures": size,
        "signatures_per_s": round(size / sign_s),
        "queries": queries,
        "posts_per_s_sign_and_match": round(queries / query_s),
        "near_duplicates_at_or_above_threshold": len(eligible),
        "recall": round(recalled / max(1, len(eligible)), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--queries", type=int, default=2048)
    parser.add_argument("--scan-queries", type=int, default=32)
    parser.add_argument(
        "--distributions",
        nargs="+",
        choices=DISTRIBUTIONS,
        default=list(DEFAULT_DISTRIBUTIONS),
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    runs = [
        isolated(size, distribution, args.queries, args.scan_queries)
        for size in args.sizes
        for distribution in args.distributions
    ]
    report = {
        "benchmark": "monitoring_hash_index",
        "threshold_bits": THRESHOLD,
        "batch": BATCH,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load_average_at_end": os.getloadavg(),
        "pdq_index": runs,
        "reference_images": reference_images(),
        "text_index": text_index(),
    }
    text = json.dumps(report, indent=2)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
