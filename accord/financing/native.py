"""The streaming engine, compiled: the same source, built with mypyc.

``stream`` and ``typologies`` run once per transaction in ``finance watch``
and are pure Python, so their speed is the interpreter's. They are already
fully typed (``mypy --strict``), which is all mypyc needs to compile them to
a C extension that runs the same code about twice as fast. The build is
optional: ``make setup`` runs it (``native_build``), and without it the
source runs unchanged. Python prefers the extension over
the source in the same folder, so an extension older than its source would
silently run old code; ``check_fresh`` refuses that, and ``features``
(which every engine imports) runs it on import.
"""

from __future__ import annotations

import importlib.machinery
from pathlib import Path

from accord.errors import ConfigError

PACKAGE = Path(__file__).resolve().parent
COMPILED = ("features", "stream", "typologies", "watch")
# What the compiled modules were type-checked against, relative to the
# package: a change to any of these can change the compiled code.
SOURCES = (
    "stream.py",
    "typologies.py",
    "features.py",
    "watch.py",
    "ledger.py",
    "scorer.py",
    "../errors.py",
)
REBUILD = "run `make setup` (or `python -m accord.financing.native_build`) to rebuild"


def extensions(package: Path = PACKAGE) -> list[Path]:
    """The compiled files present for this Python, modules and shared library."""
    found = []
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        for name in (*COMPILED, "_native__mypyc"):
            path = package / f"{name}{suffix}"
            if path.exists():
                found.append(path)
    return found


def stale_extensions(package: Path = PACKAGE) -> list[Path]:
    """Compiled files older than a source they were built from."""
    built = extensions(package)
    if not built:
        return []
    sources = [package / name for name in SOURCES]
    newest = max(source.stat().st_mtime for source in sources if source.exists())
    return [path for path in built if path.stat().st_mtime < newest]


def check_fresh(package: Path = PACKAGE) -> None:
    """Refuse to run a compiled engine that no longer matches its source."""
    stale = stale_extensions(package)
    if stale:
        names = ", ".join(path.name for path in stale)
        raise ConfigError(
            f"the compiled streaming engine ({names}) is older than its "
            f"source; {REBUILD}"
        )
