"""The two labelled tweet sets in ../shared/data/propaganda, as posts.

* ``isextreme``: 12,060 tweets from 2018-19, hand-labelled per post (757
  positive); negatives are hard (they discuss ISIS, Syria, jihad).
* ``fifth_tribe``: 17,410 tweets from 112 pro-ISIS accounts, 2015-16.
  Every tweet is positive at the *account* level; 1,249 rows also carry a
  per-post ``EXTREME`` annotation (0 or 1), the only post-level labels.

Posts are de-duplicated on their normalised text (retweets and copies would
otherwise sit on both sides of a split). Raw text never leaves this module
except into the model.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from accord.monitoring.text import normalise

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "propaganda"
ISEXTREME = DATA / "isis_tweets" / "isextreme_added_scraped_labelled.csv"
FIFTH_TRIBE = DATA / "isis_tweets" / "fifth_tribe_how_isis_uses_twitter_tweets.csv"


@dataclass(frozen=True, slots=True)
class LabelledPost:
    text: str
    label: int
    account: str
    date: datetime
    source: str
    translated: str = ""


def _rows(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _date(value: str) -> datetime:
    for pattern in ("%d/%m/%y", "%d/%m/%Y %H:%M", "%d/%m/%Y"):
        try:
            return datetime.strptime(value.strip(), pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    return datetime(1970, 1, 1, tzinfo=UTC)


def _unique(posts: list[LabelledPost]) -> list[LabelledPost]:
    seen: set[str] = set()
    kept: list[LabelledPost] = []
    for post in posts:
        key = normalise(post.text)
        if key and key not in seen:
            seen.add(key)
            kept.append(post)
    return kept


def isextreme() -> list[LabelledPost]:
    posts = [
        LabelledPost(
            text=row["tweet"],
            label=int(row["label"]),
            account=row["username"],
            date=_date(row["date"]),
            source="isextreme",
            translated=row.get("translated", ""),
        )
        for row in _rows(ISEXTREME)
        if row["label"] in {"0", "1"}
    ]
    return _unique(posts)


def fifth_tribe(annotated_only: bool = False) -> list[LabelledPost]:
    """Account-level positives; ``annotated_only`` keeps the rows with a
    per-post EXTREME label and uses that label instead."""
    posts: list[LabelledPost] = []
    for row in _rows(FIFTH_TRIBE):
        annotation = row["EXTREME"].strip()
        if annotated_only and annotation not in {"0", "1"}:
            continue
        label = int(annotation) if annotated_only else 1
        posts.append(
            LabelledPost(
                row["tweets"], label, row["username"], _date(row["time"]), "fifth_tribe"
            )
        )
    return _unique(posts)


def available() -> bool:
    return ISEXTREME.is_file() and FIFTH_TRIBE.is_file()
