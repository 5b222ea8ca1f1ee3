"""Dataset rows: owner, marking, and who may see them."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from accord.errors import Forbidden, InvalidData, NotFound
from accord.model.dataset import DatasetInfo, check_name
from accord.model.marking import Marking, Tlp
from accord.store.schema import dataset


def _from_row(row: Any) -> DatasetInfo:
    marking = Marking(Tlp(row.tlp), frozenset(json.loads(row.releasable_to)))
    return DatasetInfo(
        name=row.name,
        agency=row.agency,
        marking=marking,
        title=row.title,
        version=row.current_since,
    )


def get_or_none(conn: Connection, name: str) -> DatasetInfo | None:
    row = conn.execute(select(dataset).where(dataset.c.name == name)).first()
    return _from_row(row) if row else None


def get(conn: Connection, name: str, reader: str | None = None) -> DatasetInfo:
    """The dataset, if it exists and ``reader`` (when given) may see it."""
    info = get_or_none(conn, name)
    if info is None or (reader is not None and not info.readable_by(reader)):
        raise NotFound(f"no dataset {name!r}")
    return info


def list_all(conn: Connection, reader: str | None = None) -> list[DatasetInfo]:
    """Datasets in name order; only those ``reader`` may see, when given."""
    rows = conn.execute(select(dataset).order_by(dataset.c.name))
    infos = [_from_row(row) for row in rows]
    if reader is None:
        return infos
    return [info for info in infos if info.readable_by(reader)]


def visible_names(
    conn: Connection, reader: str | None, names: list[str] | None = None
) -> list[str]:
    """Names of the requested (or all) datasets that ``reader`` may see."""
    if names:
        return [get(conn, name, reader).name for name in names]
    return [info.name for info in list_all(conn, reader)]


def create(conn: Connection, info: DatasetInfo, now: str) -> None:
    check_name("dataset", info.name)
    conn.execute(
        dataset.insert().values(
            name=info.name,
            agency=info.agency,
            tlp=info.marking.tlp.value,
            releasable_to=json.dumps(sorted(info.marking.releasable_to)),
            title=info.title,
            created_at=now,
            updated_at=now,
            current_since=now,
        )
    )


def check_matches(existing: DatasetInfo, wanted: DatasetInfo) -> None:
    """Refuse to add data under another owner or a different marking.

    A changed marking on re-ingest would silently re-mark values already
    shared under the old one, so it must be a deliberate, audited step.
    """
    if existing.agency != wanted.agency:
        raise Forbidden(
            f"dataset {existing.name!r} belongs to agency {existing.agency!r}, "
            f"not {wanted.agency!r}"
        )
    if existing.marking != wanted.marking:
        raise InvalidData(
            f"dataset {existing.name!r} is marked {existing.marking.label()}, "
            f"not {wanted.marking.label()}; change its marking explicitly first",
            {"tlp": "differs from the dataset's marking"},
        )


def set_marking(conn: Connection, name: str, marking: Marking, now: str) -> None:
    conn.execute(
        dataset.update()
        .where(dataset.c.name == name)
        .values(
            tlp=marking.tlp.value,
            releasable_to=json.dumps(sorted(marking.releasable_to)),
            updated_at=now,
        )
    )
