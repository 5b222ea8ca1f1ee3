"""Datasets: one source, owned by one agency, under one marking."""

from __future__ import annotations

import re
from dataclasses import dataclass

from accord.errors import InvalidData
from accord.model.marking import Marking, may_read

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


def name_from_file(stem: str, fallback: str, prefix: str = "") -> str:
    """A valid dataset name from a file name, for commands that ingest a
    file without being told its dataset: ``Some Channel`` -> ``some-channel``."""
    slug = re.sub(r"[^a-z0-9_.-]+", "-", stem.lower()).strip("-._") or fallback
    if prefix and not slug.startswith(prefix):
        slug = prefix + slug
    return slug[:64]


def check_name(kind: str, name: str) -> str:
    """Refuse names that would be ambiguous in URLs, files or FtM dataset names."""
    if not NAME_PATTERN.match(name):
        raise InvalidData(
            f"invalid {kind} name {name!r}: use 1-64 lowercase letters, digits, "
            "'_', '.' or '-', starting with a letter or digit",
            {kind: "invalid name"},
        )
    return name


@dataclass(frozen=True, slots=True)
class DatasetInfo:
    """What the store knows about a dataset apart from its statements.

    ``version`` is when the dataset's current version began; anything derived
    from its entities (a screening index, say) is stale once it changes.
    """

    name: str
    agency: str
    marking: Marking
    title: str = ""
    version: str = ""

    def readable_by(self, agency: str) -> bool:
        """Whether ``agency`` may read this dataset's values."""
        return may_read(self.marking, self.agency, agency)
