"""What every command receives: settings and a lazily opened service."""

from __future__ import annotations

from dataclasses import dataclass, field

import click

from accord.service import Accord
from accord.settings import Settings


@dataclass
class CliContext:
    """Built once by the root group and handed to each command."""

    settings: Settings
    debug: bool = False
    _service: Accord | None = field(default=None, repr=False)

    def service(self) -> Accord:
        """Open the store on first use, so ``--help`` never touches it."""
        if self._service is None:
            self._service = Accord.open(self.settings)
        return self._service

    def close(self) -> None:
        if self._service is not None:
            self._service.close()
            self._service = None


pass_cli = click.make_pass_decorator(CliContext)
