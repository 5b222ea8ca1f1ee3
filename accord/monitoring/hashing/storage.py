"""Banks on disk: one directory per bank in the workspace, written atomically.

Layout of ``<workspace>/hashbanks/<bank>/``:

- ``data-<generation>.npy`` and ``provenance-<generation>.npy``: the rows
  (``(N, 4)`` uint64 PDQ lanes or ``(N, 128)`` uint32 signatures) and one
  int32 provenance id per row. Binary numpy files: 10M PDQ hashes are 320 MB
  and load in a second. Video banks add ``videos-<generation>.npy``, the
  video (int32) of each frame row.
- ``index-<generation>-perms.npy`` and ``-offsets.npy``: for PDQ banks of
  100k hashes or more, the MIH tables, saved after the first match and
  memory-mapped afterwards;
- ``bank.json``: configuration, the distinct provenance records, the state
  (quarantines, feedback, recent match times) and the name of the current
  generation's data files.

A write puts new data files under a fresh generation name, then replaces
``bank.json`` with ``os.replace``, which is atomic: a reader sees the old
bank or the new one, never half of each, and a crash leaves the old one.
Older generations are removed afterwards.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import numpy as np

from accord.errors import BackendError, InvalidData, NotFound
from accord.model.dataset import check_name
from accord.monitoring.hashing.bank import Bank, BankConfig, BankKind, Provenance
from accord.monitoring.hashing.mih import IndexTables, MultiIndexHashIndex
from accord.monitoring.hashing.state import BankState
from accord.settings import Settings

BANKS_DIRECTORY = "hashbanks"
MANIFEST = "bank.json"
FORMAT_VERSION = 1
LOCK = ".lock"
_T = TypeVar("_T")
INDEX_CACHE_MIN = 100_000


def banks_root(settings: Settings) -> Path:
    """Where a workspace keeps its hash banks."""
    return settings.workspace / BANKS_DIRECTORY


class BankStorage:
    """Loads and saves banks under one root directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def names(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.parent.name for p in self.root.glob(f"*/{MANIFEST}"))

    @contextmanager
    def locked(self, name: str) -> Iterator[None]:
        """Hold the bank's write lock: one writer per bank at a time, across
        processes (an analyst's feedback and a running match, say)."""
        directory = self.root / check_name("bank", name)
        directory.mkdir(parents=True, exist_ok=True)
        with (directory / LOCK).open("a") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            yield

    def config(self, name: str) -> BankConfig:
        """A bank's configuration, without loading its rows."""
        return self.describe(name)[0]

    def describe(self, name: str) -> tuple[BankConfig, int, BankState]:
        """Configuration, size and state, read from ``bank.json`` alone."""
        manifest = _read_manifest(self.root / check_name("bank", name) / MANIFEST)
        if manifest is None:
            raise self._missing(name)
        return (
            BankConfig.from_dict(manifest["config"]),
            int(manifest["count"]),
            BankState.from_dict(manifest["state"]),
        )

    def update_state(
        self,
        name: str,
        change: Callable[[BankState], _T],
        before_write: Callable[[_T], None] = lambda _: None,
    ) -> _T:
        """Apply ``change`` to the state on disk, under the lock, rewriting
        only ``bank.json``: concurrent changes are not lost. ``before_write``
        sees the change's result before anything is written (the audit
        record goes there); if it raises, nothing is."""
        with self.locked(name):
            path = self.root / name / MANIFEST
            manifest = _read_manifest(path)
            if manifest is None:
                raise self._missing(name)
            state = BankState.from_dict(manifest["state"])
            result = change(state)
            before_write(result)
            manifest["state"] = state.to_dict()
            _write_text(path, json.dumps(manifest, indent=1))
        return result

    def _missing(self, name: str) -> NotFound:
        known = ", ".join(self.names()) or "none"
        return NotFound(f"no hash bank {name!r}; banks: {known}")

    def exists(self, name: str) -> bool:
        return (self.root / check_name("bank", name) / MANIFEST).is_file()

    def load(self, name: str) -> Bank:
        directory = self.root / check_name("bank", name)
        manifest = directory / MANIFEST
        if not manifest.is_file():
            raise self._missing(name)
        try:
            meta = json.loads(manifest.read_text(encoding="utf-8"))
            rows = np.load(directory / meta["data"], allow_pickle=False)
            ids = np.load(directory / meta["provenance_ids"], allow_pickle=False)
            videos = (
                np.load(directory / meta["videos"], allow_pickle=False)
                if meta.get("videos")
                else np.zeros(0, dtype=np.int32)
            )
        except (OSError, ValueError, KeyError) as exc:
            raise BackendError(f"hash bank {name!r} is unreadable: {exc}") from exc
        return Bank(
            config=BankConfig.from_dict(meta["config"]),
            rows=rows,
            provenance_ids=ids,
            provenances=[Provenance(**p) for p in meta["provenances"]],
            state=BankState.from_dict(meta["state"]),
            videos=videos,
        )

    def save(self, bank: Bank, *, data_changed: bool) -> None:
        """Write the bank; with ``data_changed=False`` only ``bank.json``."""
        directory = self.root / bank.name
        directory.mkdir(parents=True, exist_ok=True)
        previous = _read_manifest(directory / MANIFEST)
        is_video = bank.config.kind is BankKind.VPDQ
        if data_changed or previous is None:
            generation = uuid.uuid4().hex[:12]
            data = f"data-{generation}.npy"
            ids = f"provenance-{generation}.npy"
            videos = f"videos-{generation}.npy" if is_video else ""
            _write_array(directory / data, bank.rows)
            _write_array(directory / ids, bank.provenance_ids)
            if videos:
                _write_array(directory / videos, bank.videos)
        else:
            data, ids = previous["data"], previous["provenance_ids"]
            videos = previous.get("videos", "")
        manifest = {
            "format": FORMAT_VERSION,
            "config": bank.config.to_dict(),
            "data": data,
            "provenance_ids": ids,
            "count": bank.entry_count,
            "provenances": [p.to_dict() for p in bank.provenances],
            "state": bank.state.to_dict(),
        }
        if is_video:
            manifest |= {"videos": videos, "frames": len(bank)}
        _write_text(directory / MANIFEST, json.dumps(manifest, indent=1))
        keep = {data, ids, videos, MANIFEST, *_index_names(data)}
        _remove_stale(directory, keep)

    def load_index(self, bank: Bank) -> MultiIndexHashIndex | None:
        """The saved PDQ index of the bank's current data, memory-mapped, or
        None if there is none (or it does not fit)."""
        paths = self._index_paths(bank.name)
        if paths is None or not all(path.is_file() for path in paths):
            return None
        try:
            tables = IndexTables(
                np.load(paths[0], mmap_mode="r", allow_pickle=False),
                np.load(paths[1], mmap_mode="r", allow_pickle=False),
            )
            return MultiIndexHashIndex(bank.rows, tables=tables)
        except (OSError, ValueError, InvalidData):
            return None

    def prepare_index(self, bank: Bank) -> None:
        """Give a large PDQ bank its index: the saved one, or a new one that
        is then saved, so the next command starts in a second, not in the
        ten seconds a 10M-hash build takes."""
        if not bank.config.kind.hashes_pdq or len(bank) < INDEX_CACHE_MIN:
            return
        saved = self.load_index(bank)
        if saved is not None:
            bank.use_index(saved)
            return
        index = bank.pdq_index()
        paths = self._index_paths(bank.name)
        if paths is not None:
            temp = [p.with_name(f".tmp-{uuid.uuid4().hex[:8]}-{p.name}") for p in paths]
            try:
                index.write_tables(temp[0], temp[1])
                for source, target in zip(temp, paths, strict=True):
                    os.replace(source, target)
            finally:
                for path in temp:
                    path.unlink(missing_ok=True)

    def _index_paths(self, name: str) -> tuple[Path, Path] | None:
        manifest = _read_manifest(self.root / name / MANIFEST)
        if manifest is None:
            return None
        perms, offsets = _index_names(manifest["data"])
        return self.root / name / perms, self.root / name / offsets


def _index_names(data: str) -> tuple[str, str]:
    generation = data.removeprefix("data-").removesuffix(".npy")
    return f"index-{generation}-perms.npy", f"index-{generation}-offsets.npy"


def _read_manifest(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _write_array(path: Path, array: np.ndarray[Any, Any]) -> None:
    with _replacing(path) as handle:
        np.save(handle, array, allow_pickle=False)


def _write_text(path: Path, text: str) -> None:
    with _replacing(path) as handle:
        handle.write(text.encode("utf-8"))


@contextmanager
def _replacing(path: Path) -> Iterator[BinaryIO]:
    """A file written beside ``path`` and moved over it only on success."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def _remove_stale(directory: Path, keep: set[str]) -> None:
    for path in directory.iterdir():
        if path.name not in keep and not path.name.startswith("."):
            path.unlink(missing_ok=True)
