"""The compiled streaming engine: present where setup built it, never stale."""

from __future__ import annotations

import importlib.machinery
import os
import shutil
from pathlib import Path

import pytest

from accord.errors import ConfigError
from accord.financing import native, stream

SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the sources ``native`` checks, in a package of its own."""
    folder = tmp_path / "accord" / "financing"
    folder.mkdir(parents=True)
    for name in native.SOURCES:
        source = native.PACKAGE / name
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
    return folder


def touch(path: Path, mtime: float) -> None:
    path.touch()
    os.utime(path, (mtime, mtime))


def test_no_compiled_files_is_fine(package: Path) -> None:
    assert native.extensions(package) == []
    native.check_fresh(package)


def test_a_compiled_module_newer_than_every_source_is_fresh(package: Path) -> None:
    newest = max((package / name).stat().st_mtime for name in native.SOURCES)
    touch(package / f"stream{SUFFIX}", newest + 10)
    assert native.stale_extensions(package) == []
    native.check_fresh(package)


def test_a_source_edited_after_the_build_makes_it_stale(package: Path) -> None:
    newest = max((package / name).stat().st_mtime for name in native.SOURCES)
    touch(package / f"typologies{SUFFIX}", newest + 10)
    touch(package / "features.py", newest + 20)  # a module it was checked against
    assert native.stale_extensions(package) == [package / f"typologies{SUFFIX}"]
    with pytest.raises(ConfigError, match="older than its source"):
        native.check_fresh(package)


def test_setup_compiled_the_engine_where_required() -> None:
    """CI sets ACCORD_REQUIRE_NATIVE=1: the README's setup must build it."""
    if os.environ.get("ACCORD_REQUIRE_NATIVE") != "1":
        pytest.skip("ACCORD_REQUIRE_NATIVE is not set; the source engine may run")
    assert stream.is_compiled(), "make setup did not compile the streaming engine"
    assert native.stale_extensions() == []
