"""The Store: one interface over SQLite and PostgreSQL.

Every public method is one transaction, and every method that changes data
or reads it on someone's behalf writes its audit record in that same
transaction, so the log and the data cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from followthemoney import EntityProxy, Statement, StatementEntity
from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from accord.errors import BackendError, Forbidden, InvalidData, NotFound, Unauthorized
from accord.model.account import Role, User
from accord.model.dataset import DatasetInfo
from accord.model.finding import Finding, FindingStatus
from accord.model.marking import Marking
from accord.model.resource import ResourceRead
from accord.settings import Settings
from accord.store import accounts, audit, datasets, findings, statements
from accord.store.audit import AuditAction, AuditProblem, AuditRecord
from accord.store.clock import now_iso
from accord.store.engine import make_engine, migrate
from accord.store.findings import FindingFilter
from accord.store.schema import dataset as dataset_table
from accord.store.schema import ingest as ingest_table

ProgressCallback = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: recorded in the audit log, and whose visibility applies."""

    name: str
    agency: str

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user.name, user.agency)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """An input file as the store records it, identified by its content hash."""

    path: Path
    sha256: str
    format: str


@dataclass(frozen=True, slots=True)
class IngestResult:
    dataset: str
    entities: int
    statements: int
    skipped: bool


class Store:
    """Statements, datasets, findings, accounts and the audit log."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, settings: Settings) -> Store:
        """Open (and migrate) the store the settings point at."""
        if not settings.database_url:
            settings.sqlite_path().parent.mkdir(parents=True, exist_ok=True)
        store = cls(make_engine(settings.store_url()))
        migrate(store.engine)
        return store

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction; backend failures become BackendError."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except OperationalError as exc:
            raise BackendError(f"store failure: {exc.orig}") from exc

    # -- accounts ---------------------------------------------------------

    def ensure_agency(self, actor: Actor, name: str, title: str = "") -> None:
        with self.transaction() as conn:
            if accounts.ensure_agency(conn, name, title):
                self._audit(conn, actor, AuditAction.ACCOUNT, f"agency:{name}")

    def add_user(self, actor: Actor, name: str, agency: str, role: Role) -> User:
        with self.transaction() as conn:
            user = accounts.add_user(conn, name, agency, role)
            detail = {"agency": agency, "role": role.value}
            self._audit(conn, actor, AuditAction.ACCOUNT, f"user:{name}", detail)
            return user

    def create_key(self, actor: Actor, user_name: str) -> str:
        with self.transaction() as conn:
            key = accounts.create_key(conn, user_name)
            key_id = key.split("_")[1]
            self._audit(conn, actor, AuditAction.ACCOUNT, f"key:{key_id}")
            return key

    def revoke_key(self, actor: Actor, key_id: str) -> None:
        with self.transaction() as conn:
            accounts.revoke_key(conn, key_id)
            self._audit(conn, actor, AuditAction.ACCOUNT, f"key:{key_id}:revoked")

    def login(self, key: str) -> User:
        """Authenticate an API key; success and failure are both audited."""
        try:
            with self.transaction() as conn:
                user = accounts.authenticate(conn, key)
                actor = Actor.of(user)
                self._audit(conn, actor, AuditAction.LOGIN, f"user:{user.name}")
                return user
        except Unauthorized:
            key_id = key.split("_")[1] if key.count("_") >= 2 else "?"
            with self.transaction() as conn:
                anonymous = Actor("anonymous", "-")
                target = f"key:{key_id[:16]}"
                self._audit(conn, anonymous, AuditAction.LOGIN_FAILED, target)
            raise

    def list_agencies(self) -> list[str]:
        with self.engine.connect() as conn:
            return accounts.list_agencies(conn)

    # -- datasets and statements -------------------------------------------

    def ingest(
        self,
        actor: Actor,
        info: DatasetInfo,
        entities: Iterable[EntityProxy],
        source: SourceFile,
        progress: ProgressCallback | None = None,
    ) -> IngestResult:
        """Store a file's entities as a new version of ``info``, all or nothing.

        A file already ingested into this dataset (same content hash) is a
        no-op. Any exception, from the reader or the database, rolls the whole
        batch back; the failure is then audited in a transaction of its own.
        """
        try:
            with self.transaction() as conn:
                return self._ingest(
                    conn,
                    actor=actor,
                    info=info,
                    entities=entities,
                    source=source,
                    progress=progress,
                )
        except Exception as exc:
            with self.transaction() as conn:
                detail = {"source": str(source.path), "error": str(exc)[:500]}
                self._audit(conn, actor, AuditAction.INGEST_FAILED, info.name, detail)
            raise

    def _ingest(
        self,
        conn: Connection,
        *,
        actor: Actor,
        info: DatasetInfo,
        entities: Iterable[EntityProxy],
        source: SourceFile,
        progress: ProgressCallback | None,
    ) -> IngestResult:
        now = now_iso()
        if self._already_ingested(conn, info, source, now):
            seen = {"source": str(source.path), "sha256": source.sha256}
            self._audit(conn, actor, AuditAction.INGEST_SKIPPED, info.name, seen)
            return IngestResult(info.name, 0, 0, skipped=True)
        counts = _write_entities(conn, info.name, entities, now, progress)
        if counts[0] == 0:
            raise InvalidData(f"{source.path}: no entities in the file")
        _record_version(conn, info.name, source, counts, now)
        detail: dict[str, Any] = {
            "source": str(source.path),
            "sha256": source.sha256,
            "format": source.format,
            "entities": counts[0],
            "statements": counts[1],
            "marking": info.marking.label(),
        }
        self._audit(conn, actor, AuditAction.INGEST, info.name, detail)
        return IngestResult(info.name, counts[0], counts[1], skipped=False)

    def _already_ingested(
        self, conn: Connection, info: DatasetInfo, source: SourceFile, now: str
    ) -> bool:
        existing = datasets.get_or_none(conn, info.name)
        if existing is None:
            accounts.ensure_agency(conn, info.agency)
            datasets.create(conn, info, now)
            return False
        datasets.check_matches(existing, info)
        seen = conn.execute(
            select(ingest_table.c.id).where(
                ingest_table.c.dataset == info.name,
                ingest_table.c.sha256 == source.sha256,
            )
        ).first()
        return seen is not None

    def set_marking(self, actor: Actor, name: str, marking: Marking) -> DatasetInfo:
        """Re-mark a dataset, deliberately and audited with both markings.

        Only the owning agency may; every value of the dataset takes the new
        marking at once, which is why ingest refuses to do this implicitly.
        """
        with self.transaction() as conn:
            info = datasets.get(conn, name)
            if actor.agency != info.agency:
                raise Forbidden(
                    f"dataset {name!r} belongs to agency {info.agency!r}; "
                    f"only it may change the marking"
                )
            datasets.set_marking(conn, name, marking, now_iso())
            detail = {"from": info.marking.label(), "to": marking.label()}
            self._audit(conn, actor, AuditAction.DATASET_MARKING, name, detail)
            return datasets.get(conn, name)

    def get_dataset(self, name: str, reader: str | None = None) -> DatasetInfo:
        with self.engine.connect() as conn:
            return datasets.get(conn, name, reader)

    def list_datasets(self, reader: str | None = None) -> list[DatasetInfo]:
        with self.engine.connect() as conn:
            return datasets.list_all(conn, reader)

    def count_statements(self, dataset: str | None = None) -> int:
        with self.engine.connect() as conn:
            return statements.count(conn, dataset)

    def entities(
        self, reader: str | None = None, names: list[str] | None = None
    ) -> Iterator[StatementEntity]:
        """Current entities of the named (or all) datasets ``reader`` may see.

        ``reader=None`` is the local operator with direct access to the store
        file, who sees everything, as the file's owner can anyway.
        """
        with self.engine.connect() as conn:
            visible = datasets.visible_names(conn, reader, names)
            yield from statements.iter_entities(conn, visible)

    def get_entity(self, actor: Actor, entity_id: str) -> StatementEntity:
        """One entity with only the values ``actor``'s agency may read."""
        with self.transaction() as conn:
            visible = datasets.visible_names(conn, actor.agency)
            found = list(statements.iter_entities(conn, visible, entity_id))
            if not found:
                raise NotFound(f"no entity {entity_id!r}")
            self._audit(conn, actor, AuditAction.ENTITY_READ, entity_id)
            return found[0]

    # -- findings ----------------------------------------------------------

    def save_findings(
        self,
        actor: Actor,
        items: list[Finding],
        detectors: list[str],
        reads: Sequence[ResourceRead] = (),
    ) -> int:
        """Store a run's findings, its audit record, and a record for each
        resource its detectors consulted, all in one transaction."""
        with self.transaction() as conn:
            saved = findings.save(conn, items, actor.agency, now_iso())
            detail = {"detectors": detectors, "findings": saved}
            self._audit(conn, actor, AuditAction.RUN, ",".join(detectors), detail)
            for read in reads:
                counts = {"operation": "run", **read.counts}
                self._audit(conn, actor, AuditAction(read.action), read.target, counts)
            return saved

    def list_findings(
        self, actor: Actor, where: FindingFilter, *, restrict: bool = True
    ) -> list[Finding]:
        """Findings ``actor`` may see (all of them when ``restrict`` is False)."""
        with self.transaction() as conn:
            reader = actor.agency if restrict else None
            items = findings.list_findings(conn, where, reader)
            detail = {"count": len(items)}
            self._audit(conn, actor, AuditAction.FINDINGS_READ, "list", detail)
            return items

    def get_finding(
        self, actor: Actor, finding_id: str, *, restrict: bool = True
    ) -> Finding:
        with self.transaction() as conn:
            item = findings.get(conn, finding_id, actor.agency if restrict else None)
            self._audit(conn, actor, AuditAction.FINDINGS_READ, finding_id)
            return item

    def set_finding_status(
        self,
        actor: Actor,
        finding_id: str,
        status: FindingStatus,
        *,
        restrict: bool = True,
    ) -> Finding:
        with self.transaction() as conn:
            item = findings.get(conn, finding_id, actor.agency if restrict else None)
            findings.set_status(conn, finding_id, status, now_iso())
            detail = {"from": item.status.value, "to": status.value}
            self._audit(conn, actor, AuditAction.FINDING_STATUS, finding_id, detail)
            return findings.get(conn, finding_id)

    # -- audit -------------------------------------------------------------

    def record(
        self,
        actor: Actor,
        action: AuditAction,
        target: str,
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        """Audit an action that a capability performed outside the store."""
        with self.transaction() as conn:
            self._audit(conn, actor, action, target, detail)

    def audit_records(self, action: str | None = None) -> list[AuditRecord]:
        with self.engine.connect() as conn:
            return list(audit.iter_records(conn, action))

    def verify_audit(self) -> list[AuditProblem]:
        with self.engine.connect() as conn:
            return audit.verify(conn)

    def _audit(
        self,
        conn: Connection,
        actor: Actor,
        action: AuditAction,
        target: str = "",
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        audit.append(
            conn,
            actor=actor.name,
            agency=actor.agency,
            action=action,
            target=target,
            detail=detail,
        )


def _write_entities(
    conn: Connection,
    dataset_name: str,
    entities: Iterable[EntityProxy],
    now: str,
    progress: ProgressCallback | None,
) -> tuple[int, int]:
    """Write entities in batches inside the caller's transaction."""
    entity_count = statement_count = 0
    batch: list[Statement] = []
    for entity in entities:
        batch.extend(statements.entity_statements(entity, dataset_name, now))
        entity_count += 1
        if len(batch) >= statements.BATCH_SIZE:
            statement_count += statements.upsert(conn, batch)
            batch = []
            if progress:
                progress(entity_count)
    statement_count += statements.upsert(conn, batch)
    if progress:
        progress(entity_count)
    return entity_count, statement_count


def _record_version(
    conn: Connection,
    dataset_name: str,
    source: SourceFile,
    counts: tuple[int, int],
    now: str,
) -> None:
    """Make this file the dataset's current version and remember its hash."""
    try:
        conn.execute(
            ingest_table.insert().values(
                dataset=dataset_name,
                sha256=source.sha256,
                source=str(source.path),
                format=source.format,
                entities=counts[0],
                statements=counts[1],
                ingested_at=now,
            )
        )
    except IntegrityError as exc:
        raise BackendError(f"concurrent ingest of the same file: {exc.orig}") from exc
    conn.execute(
        dataset_table.update()
        .where(dataset_table.c.name == dataset_name)
        .values(current_since=now, updated_at=now)
    )
