"""The one exception tree of accord.

Every error the package raises on purpose is an ``AccordError``. Each class
carries an HTTP ``status`` and a stable machine ``code``, so each edge (CLI,
HTTP API, web console) maps the whole tree once instead of catching
individual classes::

    AccordError
    ├── ConfigError                 bad settings or environment
    ├── InvalidData                 a value or request that breaks a rule
    ├── NotFound                    an id that names nothing (or nothing visible)
    ├── Unauthorized                no credentials, or credentials that fail
    ├── Forbidden                   authenticated, but not allowed
    │   └── ReleaseDenied           sharing refused; carries the reasons
    ├── SourceError                 a source could not be read
    │   └── ReaderError             malformed input: file, position, reason
    ├── BackendError                the store or a compute engine failed
    └── PluginError                 a plugin clashes or is malformed

Callers that want "maybe absent" use ``get_or_none()`` style functions rather
than a flag that silences these errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar


class AccordError(Exception):
    """Root of every deliberate accord error."""

    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def to_dict(self) -> dict[str, Any]:
        """The wire form used by every edge: ``{"error", "detail"}``."""
        return {"error": self.code, "detail": self.detail}


class ConfigError(AccordError):
    """Settings or environment that accord cannot work with."""

    status = 500
    code = "config_error"


class InvalidData(AccordError):
    """Input that breaks a rule; ``errors`` maps each field to its problem."""

    status = 400
    code = "invalid_data"

    def __init__(self, detail: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.errors = dict(errors or {})

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        if self.errors:
            data["errors"] = self.errors
        return data


class NotFound(AccordError):
    """Nothing by that id, or nothing the caller may see by it.

    The two cases are deliberately indistinguishable, so a caller cannot probe
    for the existence of another agency's data.
    """

    status = 404
    code = "not_found"


class Unauthorized(AccordError):
    """Missing or invalid credentials."""

    status = 401
    code = "unauthorized"


class Forbidden(AccordError):
    """The caller is known but their role or agency does not allow this."""

    status = 403
    code = "forbidden"


class ReleaseDenied(Forbidden):
    """Sharing refused. ``reasons`` lists every rule that said no."""

    code = "release_denied"

    def __init__(self, detail: str, reasons: list[str]) -> None:
        super().__init__(detail)
        self.reasons = list(reasons)

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["reasons"] = self.reasons
        return data


class SourceError(AccordError):
    """A source (file, feed, download) could not be read."""

    status = 400
    code = "source_error"


class ReaderError(SourceError):
    """Malformed input, located precisely enough to be fixed by hand.

    ``position`` is human-readable: ``"line 12"``, ``"line 3, column 14"`` or
    ``"record DATAID=6908000"``.
    """

    code = "malformed_input"

    def __init__(self, path: Path | str, position: str, reason: str) -> None:
        self.path = str(path)
        self.position = position
        self.reason = reason
        super().__init__(f"{self.path}: {position}: {reason}")

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data.update(file=self.path, position=self.position, reason=self.reason)
        return data


class BackendError(AccordError):
    """The store or a compute engine failed underneath us."""

    status = 503
    code = "backend_error"


class PluginError(AccordError):
    """A plugin is malformed or clashes with another one."""

    status = 500
    code = "plugin_error"
