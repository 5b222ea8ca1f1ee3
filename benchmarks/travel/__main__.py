"""Travel benchmarks: ``python -m benchmarks.travel [--sltd-size N] [--only PART]``.

Prints one JSON object and writes it to ``benchmarks/results/travel.json``:
MRZ parse-and-validate throughput, SLTD lookup latency against N listed
documents (10 million by default), and manifest screening time for 300 and
10,000 travellers.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from accord.travel.mrz_bench import run as mrz_run
from benchmarks.travel import manifest, sltd

RESULTS = Path(__file__).resolve().parents[1] / "results" / "travel.json"
PARTS = ("mrz", "sltd", "manifest")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sltd-size", type=int, default=10_000_000)
    parser.add_argument("--only", choices=PARTS, action="append")
    args = parser.parse_args()
    parts = args.only or list(PARTS)
    out: dict[str, Any] = {"benchmark": "travel"}
    if "mrz" in parts:
        out["mrz"] = mrz_run(100_000)
    if "sltd" in parts:
        out["sltd"] = sltd.run(args.sltd_size)
    if "manifest" in parts:
        out["manifest"] = manifest.run()
    text = json.dumps(out, indent=2)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
