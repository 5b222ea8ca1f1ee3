"""Telegram reader speed and memory on a large synthetic export.

    python -m benchmarks.monitoring.reader [--messages 200000]

Writes a single-chat export of neutral generated posts (text arrays with
links, forwards, replies, a wallet every 50th post) to a temporary file,
reads it with ``TelegramExportReader`` and reports messages per second and
the growth of peak resident memory while reading, which stays flat if the
reader streams. Prints JSON and writes it to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from accord.monitoring.telegram import TelegramExportReader

RESULTS = Path(__file__).resolve().parents[1] / "results" / "monitoring_reader.json"
WALLET = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"


def message(number: int) -> dict[str, Any]:
    text: list[Any] = [
        f"Update {number}: the weather is mild and the market opens at nine. ",
        {"type": "text_link", "text": "more", "href": f"https://example.org/{number}"},
    ]
    if number % 50 == 0:
        text.append(f" donations: {WALLET}")
    record: dict[str, Any] = {
        "id": number,
        "type": "message",
        "date": "2024-01-01T00:00:00",
        "date_unixtime": str(1704067200 + number),
        "from": f"Author {number % 40}",
        "from_id": f"user{number % 40}",
        "text": text,
    }
    if number % 7 == 0:
        record["forwarded_from"] = f"Source {number % 11}"
    if number % 5 == 0:
        record["reply_to_message_id"] = number - 1
    return record


def write_export(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write(
            '{"name": "Bench", "type": "public_channel", "id": 1, "messages": ['
        )
        for number in range(1, count + 1):
            if number > 1:
                handle.write(",")
            handle.write(json.dumps(message(number)))
        handle.write("]}")


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(count: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "result.json"
        write_export(path, count)
        size = path.stat().st_size
        before = peak_rss_mib()
        started = time.perf_counter()
        entities = sum(1 for _ in TelegramExportReader(path).read())
        elapsed = time.perf_counter() - started
        return {
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "messages": count,
            "file_mib": round(size / 2**20, 1),
            "entities": entities,
            "messages_per_second": int(count / elapsed),
            "peak_rss_growth_mib": round(peak_rss_mib() - before, 1),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=200_000)
    result = run(parser.parse_args().messages)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
