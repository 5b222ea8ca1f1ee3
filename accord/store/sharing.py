"""Sharing tables: partners, agreements, and where imported data came from.

The rows are plain mappings here; ``accord.sharing`` turns them into its
``Partner`` and ``Agreement`` models. The store knows how sharing data is
kept, not what it means, so the layers keep pointing one way (sharing uses
the store, never the reverse).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from followthemoney import EntityProxy, Statement
from sqlalchemy import and_, func, select
from sqlalchemy.engine import Connection

from accord.errors import InvalidData, NotFound
from accord.model.dataset import DatasetInfo
from accord.store import accounts, datasets, statements
from accord.store.schema import (
    dataset,
    share_agreement,
    share_dataset,
    share_import,
    share_partner,
    statement,
)

Row = dict[str, Any]


def insert_partner(conn: Connection, row: Mapping[str, Any]) -> None:
    """Add a partner; an id already registered is refused, not overwritten."""
    if get_partner_or_none(conn, row["id"]) is not None:
        raise InvalidData(f"partner {row['id']!r} already exists", {"id": "exists"})
    conn.execute(share_partner.insert().values(**row))


def get_partner_or_none(conn: Connection, partner_id: str) -> Row | None:
    query = select(share_partner).where(share_partner.c.id == partner_id)
    row = conn.execute(query).mappings().first()
    return dict(row) if row else None


def list_partners(conn: Connection) -> list[Row]:
    query = select(share_partner).order_by(share_partner.c.id)
    return [dict(row) for row in conn.execute(query).mappings()]


def insert_agreement(conn: Connection, row: Mapping[str, Any]) -> None:
    values = {
        **row,
        "datasets": json.dumps(sorted(row["datasets"])),
        "categories": json.dumps(sorted(row["categories"])),
        "tlp_levels": json.dumps(sorted(row["tlp_levels"])),
    }
    conn.execute(share_agreement.insert().values(**values))


def _agreement(row: Any) -> Row:
    data = dict(row)
    for key in ("datasets", "categories", "tlp_levels"):
        data[key] = json.loads(data[key])
    data["reshare"] = bool(data["reshare"])
    return data


def get_agreement(conn: Connection, agreement_id: str) -> Row:
    query = select(share_agreement).where(share_agreement.c.id == agreement_id)
    row = conn.execute(query).mappings().first()
    if row is None:
        raise NotFound(f"no agreement {agreement_id!r}")
    return _agreement(row)


def list_agreements(conn: Connection, partner: str | None = None) -> list[Row]:
    query = select(share_agreement).order_by(
        share_agreement.c.partner, share_agreement.c.created_at, share_agreement.c.id
    )
    if partner is not None:
        query = query.where(share_agreement.c.partner == partner)
    return [_agreement(row) for row in conn.execute(query).mappings()]


def revoke_agreement(conn: Connection, agreement_id: str, now: str) -> None:
    result = conn.execute(
        share_agreement.update()
        .where(
            share_agreement.c.id == agreement_id,
            share_agreement.c.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    if result.rowcount == 0:
        raise NotFound(f"no active agreement {agreement_id!r}")


def import_seen(conn: Connection, partner: str, sha256: str) -> bool:
    """Whether this partner's bundle (by content hash) was imported before."""
    query = select(share_import.c.id).where(
        share_import.c.partner == partner, share_import.c.sha256 == sha256
    )
    return conn.execute(query).first() is not None


def record_import(conn: Connection, row: Mapping[str, Any]) -> None:
    values = {**row, "datasets": json.dumps(sorted(row["datasets"]))}
    conn.execute(share_import.insert().values(**values))


def record_dataset_origin(
    conn: Connection, dataset: str, partner: str, reshare: bool
) -> None:
    """Remember which partner a dataset came from and whether it may go on.

    A dataset keeps the re-share permission of the bundle that created it; a
    later bundle that forbids re-sharing narrows it, never the reverse.
    """
    query = select(share_dataset).where(share_dataset.c.dataset == dataset)
    existing = conn.execute(query).mappings().first()
    if existing is None:
        conn.execute(
            share_dataset.insert().values(
                dataset=dataset, partner=partner, reshare=reshare
            )
        )
    elif existing["reshare"] and not reshare:
        conn.execute(
            share_dataset.update()
            .where(share_dataset.c.dataset == dataset)
            .values(reshare=False)
        )


def dataset_origins(conn: Connection, names: Iterable[str] | None = None) -> list[Row]:
    """Partner and re-share permission of imported datasets."""
    query = select(share_dataset).order_by(share_dataset.c.dataset)
    if names is not None:
        query = query.where(share_dataset.c.dataset.in_(list(names)))
    return [
        {**dict(row), "reshare": bool(row["reshare"])}
        for row in conn.execute(query).mappings()
    ]


def write_import(
    conn: Connection,
    *,
    partner: str,
    batches: Sequence[tuple[DatasetInfo, Iterable[EntityProxy]]],
    reshare: bool,
    now: str,
) -> tuple[int, int]:
    """Write an imported bundle's entities, one dataset per marking.

    Imports accumulate: unlike a file ingest, a bundle is not a new version
    of its datasets (a partner sends what changed, or one TAXII page), so
    nothing already received is withdrawn. Returns (entities, statements).
    """
    entity_count = statement_count = 0
    for info, entities in batches:
        existing = datasets.get_or_none(conn, info.name)
        if existing is None:
            accounts.ensure_agency(conn, info.agency)
            datasets.create(conn, info, now)
        else:
            datasets.check_matches(existing, info)
        record_dataset_origin(conn, info.name, partner, reshare)
        batch: list[Statement] = []
        for entity in entities:
            batch.extend(statements.entity_statements(entity, info.name, now))
            entity_count += 1
        statement_count += statements.upsert(conn, batch)
    return entity_count, statement_count


def current_entity(conn: Connection, entity_id: str) -> list[Any]:
    """The entity with every current statement of every dataset (operator view)."""
    names = [info.name for info in datasets.list_all(conn)]
    return list(statements.iter_entities(conn, names, entity_id))


def current_value_counts(conn: Connection, names: Sequence[str]) -> dict[str, int]:
    """Current values (statements other than the entity's id) per dataset."""
    if not names:
        return {}
    joined = statement.join(
        dataset,
        and_(
            dataset.c.name == statement.c.dataset,
            statement.c.last_seen >= dataset.c.current_since,
        ),
    )
    query = (
        select(statement.c.dataset, func.count())
        .select_from(joined)
        .where(statement.c.dataset.in_(list(names)), statement.c.prop != "id")
        .group_by(statement.c.dataset)
    )
    return {row[0]: int(row[1]) for row in conn.execute(query)}
