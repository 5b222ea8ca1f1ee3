"""One plugin manifest for built-ins and third parties alike.

Built-in readers and detectors are registered through the same ``Plugin``
manifest a third-party distribution would declare under the
``accord.plugins`` entry-point group, so the seam always has an in-tree
user. Third-party plugins load only when named in ``ACCORD_PLUGINS``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from importlib.metadata import entry_points

from accord.detectors.base import Detector
from accord.errors import NotFound, PluginError
from accord.readers.base import Reader

ENTRY_POINT_GROUP = "accord.plugins"
BUILTIN_PLUGINS = (
    "accord.readers.builtin",
    "accord.financing.plugin",
    "accord.monitoring.plugin",
    "accord.monitoring.hashing.plugin",
    "accord.resolve.plugin",
    "accord.screening.lists.plugin",
    "accord.screening.plugin",
    "accord.sharing.plugin",
    "accord.travel.plugin",
)


@dataclass(frozen=True)
class Plugin:
    """What a plugin module contributes, as a module-level ``PLUGIN``."""

    name: str
    readers: tuple[type[Reader], ...] = ()
    detectors: tuple[type[Detector], ...] = ()


@dataclass
class Registry:
    """Readers and detectors by name, built once and passed down."""

    readers: dict[str, type[Reader]] = field(default_factory=dict)
    detectors: dict[str, type[Detector]] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)

    def add(self, plugin: Plugin) -> None:
        for reader in plugin.readers:
            self._claim("reader", reader.NAME, plugin.name)
            self.readers[reader.NAME] = reader
        for detector in plugin.detectors:
            self._claim("detector", detector.NAME, plugin.name)
            self.detectors[detector.NAME] = detector

    def _claim(self, kind: str, name: str, owner: str) -> None:
        key = f"{kind}:{name}"
        if key in self.owners:
            raise PluginError(
                f"{kind} {name!r} is defined by both {self.owners[key]!r} and {owner!r}"
            )
        self.owners[key] = owner

    def reader(self, name: str) -> type[Reader]:
        if name not in self.readers:
            known = ", ".join(sorted(self.readers))
            raise NotFound(f"unknown format {name!r}; known formats: {known}")
        return self.readers[name]

    def detector(self, name: str) -> type[Detector]:
        if name not in self.detectors:
            known = ", ".join(sorted(self.detectors))
            raise NotFound(f"unknown detector {name!r}; known detectors: {known}")
        return self.detectors[name]


def load_registry(allowed: list[str] | None = None) -> Registry:
    """Built-in plugins, then the allowed third-party ones, in that order."""
    registry = Registry()
    for module_name in BUILTIN_PLUGINS:
        registry.add(_plugin_of(module_name))
    for name in allowed or []:
        registry.add(_entry_point_plugin(name))
    return registry


def _plugin_of(module_name: str) -> Plugin:
    plugin = getattr(import_module(module_name), "PLUGIN", None)
    if not isinstance(plugin, Plugin):
        raise PluginError(f"module {module_name!r} has no PLUGIN manifest")
    return plugin


def _entry_point_plugin(name: str) -> Plugin:
    for point in entry_points(group=ENTRY_POINT_GROUP):
        if point.name == name:
            return _plugin_of(point.value)
    raise PluginError(f"no installed plugin {name!r} in group {ENTRY_POINT_GROUP}")
