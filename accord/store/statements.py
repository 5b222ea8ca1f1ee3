"""Statements: every FtM value with its dataset and when it was seen.

Writing follows FtM's statement model: a statement's id hashes dataset,
entity, property and value, so the same value seen again is the same row;
only its ``last_seen`` moves. A dataset's ``current_since`` marks the start of
its newest version: statements not seen since then were withdrawn by the
source and are kept as history but left out of entities.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from followthemoney import Dataset, EntityProxy, Statement, StatementEntity
from sqlalchemy import and_, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from accord.store.schema import dataset, statement

BATCH_SIZE = 2000


def entity_statements(
    entity: EntityProxy, dataset_name: str, now: str
) -> list[Statement]:
    """The statements that record ``entity`` in a dataset at time ``now``."""
    return list(
        Statement.from_entity(entity, dataset_name, first_seen=now, last_seen=now)
    )


def _row(stmt: Statement) -> dict[str, Any]:
    return {
        "id": stmt.id,
        "dataset": stmt.dataset,
        "entity_id": stmt.entity_id,
        "canonical_id": stmt.canonical_id or stmt.entity_id,
        "schema": stmt.schema,
        "prop": stmt.prop,
        "value": stmt.value,
        "lang": stmt.lang,
        "original_value": stmt.original_value,
        "external": stmt.external,
        "first_seen": stmt.first_seen,
        "last_seen": stmt.last_seen,
    }


def upsert(conn: Connection, statements: Iterable[Statement]) -> int:
    """Write statements; a known one keeps ``first_seen`` and moves ``last_seen``.

    The statement is compiled once and executed with many parameter sets
    (executemany); a multi-row VALUES clause would be recompiled per batch,
    which costs more than the writes themselves.
    """
    rows = [_row(stmt) for stmt in statements]
    if not rows:
        return 0
    insert = (postgresql if conn.dialect.name == "postgresql" else sqlite).insert
    query = insert(statement)
    query = query.on_conflict_do_update(
        index_elements=[statement.c.id],
        set_={"last_seen": query.excluded.last_seen, "schema": query.excluded.schema},
    )
    conn.execute(query, rows)
    return len(rows)


def iter_entities(
    conn: Connection, datasets: list[str], entity_id: str | None = None
) -> Iterator[StatementEntity]:
    """Current entities built from the statements of ``datasets``.

    Statements are grouped by canonical id, so entities that resolution has
    merged come back as one, each value still carrying its own dataset.
    """
    if not datasets:
        return
    view = Dataset.make({"name": "accord_view", "title": "accord view"})
    rows = conn.execute(_current_query(datasets, entity_id)).mappings()
    group: list[Statement] = []
    for row in rows:
        stmt = _statement(row)
        if group and group[0].canonical_id != stmt.canonical_id:
            yield StatementEntity.from_statements(view, group)
            group = []
        group.append(stmt)
    if group:
        yield StatementEntity.from_statements(view, group)


def _current_query(datasets: list[str], entity_id: str | None) -> Any:
    joined = statement.join(
        dataset,
        and_(
            dataset.c.name == statement.c.dataset,
            statement.c.last_seen >= dataset.c.current_since,
        ),
    )
    query = (
        select(statement).select_from(joined).where(statement.c.dataset.in_(datasets))
    )
    if entity_id is not None:
        query = query.where(statement.c.canonical_id == entity_id)
    return query.order_by(statement.c.canonical_id, statement.c.id)


def _statement(row: Any) -> Statement:
    return Statement(
        id=row["id"],
        entity_id=row["entity_id"],
        canonical_id=row["canonical_id"],
        prop=row["prop"],
        schema=row["schema"],
        value=row["value"],
        dataset=row["dataset"],
        lang=row["lang"],
        original_value=row["original_value"],
        external=bool(row["external"]),
        first_seen=row["first_seen"],
        last_seen=row["last_seen"],
    )


def count(conn: Connection, dataset_name: str | None = None) -> int:
    """Number of stored statements, of one dataset or all."""
    query = select(func.count()).select_from(statement)
    if dataset_name:
        query = query.where(statement.c.dataset == dataset_name)
    return int(conn.execute(query).scalar_one())
