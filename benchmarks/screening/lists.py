"""Load the watchlists the benchmark screens against.

Readers are imported lazily: the OFAC SDN reader is written in parallel with
this benchmark, and a missing reader must cost the SDN run, not the UN one.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from followthemoney import EntityProxy

from accord.readers.un_sc import UnScReader

WATCHLISTS = Path(__file__).resolve().parents[3] / "shared/data/watchlists"
UN_FILE = WATCHLISTS / "un_sc_2026-02/UN_consolidated.xml"
SDN_FILE = WATCHLISTS / "ofac_sdn_2021-07/sdn.csv"
SDN_READER = "accord.screening.lists.ofac_sdn"

# What a screening index holds; Sanction, Passport and Identification
# entities only support the listed parties.
SCREENABLE = frozenset({"Person", "Organization", "LegalEntity", "Vessel", "Airplane"})


class ListUnavailable(Exception):
    """A list cannot be read in this checkout (reader or file missing)."""


@dataclass(frozen=True, slots=True)
class Watchlist:
    """One list's screenable entities, read once per run."""

    name: str
    path: Path
    entities: list[EntityProxy]


def screenable(entities: Iterable[EntityProxy]) -> Iterator[EntityProxy]:
    """Parties a query can hit: the schemata in ``SCREENABLE``, named."""
    for entity in entities:
        if entity.schema.name in SCREENABLE and entity.id and entity.has("name"):
            yield entity


def read_un(path: Path = UN_FILE) -> Watchlist:
    if not path.exists():
        raise ListUnavailable(f"{path} does not exist")
    return Watchlist("un", path, list(screenable(UnScReader(path).read())))


def read_sdn(path: Path = SDN_FILE) -> Watchlist:
    """The 2021 SDN set via ``OfacSdnCsvReader`` (which finds alt.csv and
    add.csv next to sdn.csv)."""
    try:
        module = importlib.import_module(SDN_READER)
    except ImportError as exc:
        raise ListUnavailable(f"{SDN_READER} cannot be imported: {exc}") from exc
    reader_class = getattr(module, "OfacSdnCsvReader", None)
    if reader_class is None:
        raise ListUnavailable(f"{SDN_READER} has no OfacSdnCsvReader")
    if not path.exists():
        raise ListUnavailable(f"{path} does not exist")
    entities: Iterable[EntityProxy] = reader_class(path).read()
    return Watchlist("sdn", path, list(screenable(entities)))


READERS: dict[str, Callable[[], Watchlist]] = {"un": read_un, "sdn": read_sdn}


def list_names(choice: str) -> list[str]:
    """``--list`` value to list names: "both" means UN then SDN."""
    return ["un", "sdn"] if choice == "both" else [choice]
