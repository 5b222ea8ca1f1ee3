"""Compile the streaming engine with mypyc, in place (see ``native``).

Run by ``make setup`` as ``python -m accord.financing.native_build
--if-stale``; needs
the development dependencies (mypy, which ships mypyc, and setuptools).
setuptools is driven directly rather than through a ``setup.py``, so it
never reads the project's pyproject.toml, which belongs to hatchling.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path

from mypyc.build import mypycify
from setuptools import Distribution
from setuptools.errors import BaseError, CCompilerError

from accord.financing.native import COMPILED, PACKAGE, extensions, stale_extensions

# The shared runtime library of the compiled modules, kept inside the package.
GROUP = "accord.financing._native"


def build() -> list[Path]:
    """Compile ``COMPILED`` next to their sources; returns the files written."""
    for path in extensions():
        path.unlink()
    modules = [f"accord/financing/{name}.py" for name in COMPILED]
    with (
        tempfile.TemporaryDirectory(prefix="accord-native-") as scratch,
        contextlib.chdir(PACKAGE.parent.parent),  # --inplace writes from here
    ):
        built = mypycify(modules, opt_level="3", group_name=GROUP, target_dir=scratch)
        dist = Distribution({"name": "accord-native", "ext_modules": built})
        dist.verbose = False
        command = dist.get_command_obj("build_ext")
        command.inplace = True
        command.build_temp = command.build_lib = scratch
        dist.run_command("build_ext")
    return extensions()


def up_to_date() -> bool:
    """Every module compiled, and none older than its sources."""
    built = {path.name.split(".")[0] for path in extensions()}
    return set(COMPILED) <= built and not stale_extensions()


def main() -> None:
    """Build, or with ``--if-stale`` only when the compiled files are not
    up to date (``make setup`` runs it so on every call)."""
    if "--if-stale" in sys.argv[1:] and up_to_date():
        return
    try:
        written = build()
    # mypyc exits on a type error, setuptools raises on a missing compiler:
    # either way the source engine still runs, only slower.
    except (BaseError, CCompilerError, OSError, SystemExit) as exc:
        for path in extensions():
            path.unlink()
        sys.stderr.write(
            f"could not compile the streaming engine ({exc!r}); "
            "the interpreted source runs instead\n"
        )
        return
    sys.stderr.write("compiled: " + ", ".join(path.name for path in written) + "\n")


if __name__ == "__main__":
    main()
