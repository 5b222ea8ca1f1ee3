"""What to screen against: stored datasets, or list files read on the fly.

``--against`` takes either a dataset name or a file. A file's format is
recognised from its first bytes (and name), so a user can point at any list
as downloaded without naming its format.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from followthemoney import EntityProxy

from accord.errors import InvalidData, NotFound
from accord.plugins import Registry

SNIFF_BYTES = 4096

# (format name, file-name pattern or None, pattern in the first bytes or None)
SIGNATURES: tuple[tuple[str, str | None, str | None], ...] = (
    ("un_sc", None, r"<CONSOLIDATED_LIST"),
    ("ofac_sdn_xml", None, r"<sdnList"),
    ("eu_fsf_xml", None, r"fpi/fsd/export|<export\b"),
    ("uk_sanctions_xml", None, r"<Designations"),
    ("ofac_cons_csv", r"cons_prim\.csv$", None),
    ("ofac_sdn_csv", r"sdn\.csv$", None),
    ("uk_ofsi_csv", None, r"^\s*(Last Updated|Name 6)"),
    ("paxlst", None, r"UNH[\s\S]{0,60}?PAXLST"),
    ("pnrgov", None, r"UNH[\s\S]{0,60}?PNRGOV"),
    ("camt053", None, r"urn:iso:std:iso:20022:tech:xsd:camt\.05[234]\.001\."),
    ("ru_rosfin", None, r"[А-Яа-яЁё]{4,}"),
    ("ftm_jsonl", None, r'^\s*\{\s*"'),
)


def detect_format(path: Path, registry: Registry) -> str:
    """The registered reader format that ``path`` looks like."""
    if not path.is_file():
        raise NotFound(f"no such file: {path}")
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES).decode("utf-8", errors="replace")
    for fmt, name_pattern, head_pattern in SIGNATURES:
        if fmt not in registry.readers:
            continue
        if name_pattern and not re.search(name_pattern, path.name, re.IGNORECASE):
            continue
        if head_pattern and not re.search(head_pattern, head, re.MULTILINE):
            continue
        return fmt
    known = ", ".join(sorted(registry.readers))
    raise InvalidData(
        f"{path}: cannot tell which list format this is; ingest it with "
        f"--format (one of {known}) and screen against the dataset"
    )


def read_file(path: Path, registry: Registry) -> Iterator[EntityProxy]:
    """Entities of a list file in whatever supported format it is."""
    reader = registry.reader(detect_format(path, registry))(path)
    yield from reader.read()
