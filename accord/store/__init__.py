"""Storage of statements, findings, accounts and the audit log."""

from accord.store.store import Actor, IngestResult, SourceFile, Store

__all__ = ["Actor", "IngestResult", "SourceFile", "Store"]
