"""Versioned schema migrations (Alembic), run by ``accord.store.migrate``."""
