"""Bank files: atomic replacement and no leftovers."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import numpy as np
import pytest

from accord.errors import BackendError
from accord.monitoring.hashing import storage as storage_module
from accord.monitoring.hashing.bank import BankKind
from accord.monitoring.hashing.formats import ImportDefaults
from accord.monitoring.hashing.pdq import lanes_to_hex
from accord.monitoring.hashing.results import NewBank
from accord.monitoring.hashing.service import HashBanks
from accord.monitoring.hashing.storage import BankStorage
from tests.monitoring.hashing.trail import ACTOR, AuditTrail

H1 = "f8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22"
H2 = "98736629670cc19fc9f23862f66cce1f599e32c78e236c78619d202e9e66c157"


def test_one_generation_on_disk(banks: HashBanks, defaults: ImportDefaults) -> None:
    banks.create(ACTOR, NewBank("gifct", BankKind.PDQ))
    banks.add(ACTOR, "gifct", [H1], defaults)
    banks.add(ACTOR, "gifct", [H2], defaults)
    directory = banks.storage.root / "gifct"
    names = sorted(p.name for p in directory.iterdir() if not p.name.startswith("."))
    assert names[0] == "bank.json" and len(names) == 3
    rows = np.load(banks.storage.root / "gifct" / names[1])
    assert names[1].startswith("data-") and rows.shape == (2, 4)


def test_failed_write_leaves_the_old_bank(
    banks: HashBanks, defaults: ImportDefaults, monkeypatch: pytest.MonkeyPatch
) -> None:
    banks.create(ACTOR, NewBank("gifct", BankKind.PDQ))
    banks.add(ACTOR, "gifct", [H1], defaults)
    directory = banks.storage.root / "gifct"
    before = {p.name: p.read_bytes() for p in directory.iterdir()}

    def broken_save(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(np, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        banks.add(ACTOR, "gifct", [H2], defaults)
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in directory.iterdir()} == before
    assert [banks.get(ACTOR, "gifct").key(0)] == [H1] and len(
        banks.get(ACTOR, "gifct")
    ) == 1


def test_unreadable_bank_is_a_backend_error(banks: HashBanks) -> None:
    banks.create(ACTOR, NewBank("gifct", BankKind.PDQ))
    for path in (banks.storage.root / "gifct").glob("data-*.npy"):
        path.write_bytes(b"garbage")
    with pytest.raises(BackendError, match="gifct"):
        banks.get(ACTOR, "gifct")


def test_listing_ignores_other_directories(banks: HashBanks, tmp_path: Path) -> None:
    (banks.storage.root / "stray").mkdir(parents=True)
    banks.create(ACTOR, NewBank("b", BankKind.TEXT))
    assert banks.storage.names() == ["b"]


def test_large_bank_index_is_saved_and_reused(
    banks: HashBanks, defaults: ImportDefaults, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage_module, "INDEX_CACHE_MIN", 100)
    rng = np.random.default_rng(9)
    lanes = rng.integers(0, 2**64 - 1, (500, 4), dtype=np.uint64, endpoint=True)
    banks.create(ACTOR, NewBank("big", BankKind.PDQ))
    banks.add(ACTOR, "big", lanes_to_hex(lanes), defaults)
    directory = banks.storage.root / "big"
    assert not list(directory.glob("index-*"))
    first = banks.match_hashes(ACTOR, [H1, lanes_to_hex(lanes[7:8])[0]])
    saved = sorted(p.name for p in directory.glob("index-*"))
    assert len(saved) == 2
    bank = banks.get(ACTOR, "big")
    index = banks.storage.load_index(bank)
    assert index is not None
    assert isinstance(index.tables.perms, np.memmap)
    assert banks.match_hashes(ACTOR, [H1, lanes_to_hex(lanes[7:8])[0]]) == first
    assert first[1][0].distance == 0
    banks.add(ACTOR, "big", [H1], defaults)
    assert not list(directory.glob("index-*"))
    assert banks.match_hashes(ACTOR, [H1])[0][0].distance == 0
    assert sorted(p.name for p in directory.glob("index-*")) != saved


def test_index_that_does_not_fit_is_ignored(
    banks: HashBanks, defaults: ImportDefaults, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage_module, "INDEX_CACHE_MIN", 1)
    banks.create(ACTOR, NewBank("b", BankKind.PDQ))
    banks.add(ACTOR, "b", [H1, H2], defaults)
    banks.match_hashes(ACTOR, [H1])
    for path in (banks.storage.root / "b").glob("index-*-offsets.npy"):
        np.save(path, np.zeros(3, dtype=np.uint32))
    assert banks.storage.load_index(banks.get(ACTOR, "b")) is None
    assert banks.match_hashes(ACTOR, [H2])[0][0].key == H2


def _add_many(root: str, hexes: list[str]) -> None:
    banks = HashBanks(BankStorage(Path(root)), AuditTrail())
    defaults = ImportDefaults("race", "alpha", "2026-01-01")
    for value in hexes:
        banks.add(ACTOR, "race", [value], defaults)


def test_concurrent_writers_lose_nothing(banks: HashBanks) -> None:
    """Two processes adding to one bank: the lock serialises them."""
    banks.create(ACTOR, NewBank("race", BankKind.PDQ))
    rng = np.random.default_rng(4)
    hexes = lanes_to_hex(rng.integers(0, 2**64 - 1, (60, 4), np.uint64, endpoint=True))
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=_add_many, args=(str(banks.storage.root), part))
        for part in (hexes[:30], hexes[30:])
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    bank = banks.get(ACTOR, "race")
    assert sorted(bank.key(row) for row in range(len(bank))) == sorted(hexes)
