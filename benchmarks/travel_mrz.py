"""MRZ parse-and-validate throughput: ``python -m benchmarks.travel_mrz [N]``.

Prints the JSON that ``accord.travel.mrz.bench`` returns: MRZs per second
over N generated documents of every ICAO format (best and median of five
passes).
"""

from __future__ import annotations

import json
import sys

from accord.travel.mrz import bench


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(json.dumps({"benchmark": "travel_mrz", **bench(count)}, indent=2))


if __name__ == "__main__":
    main()
