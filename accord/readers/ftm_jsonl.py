"""Read FollowTheMoney entities stored as JSON lines.

This is the bulk format OpenSanctions publishes (``entities.ftm.json``) and
the one ``ftm`` tools write: one JSON object per line, each with ``id``,
``schema`` and ``properties`` (a map of property name to a list of strings).
OpenSanctions adds keys of its own (``caption``, ``datasets``, ``referents``,
``first_seen``, ``last_seen``, ``last_change``, ``target``); they describe the
publisher's view of the entity, not the entity, so they are dropped.

Decisions:

* Entities are built with ``model.make_entity`` and each value goes through
  the FtM property type's cleaning (``EntityProxy.add``), not
  ``model.get_proxy``: ``get_proxy`` silently skips unknown properties and
  keeps the extra keys as context, both of which hide problems in a source.
* An unknown property, or one FtM only derives (a "stub" reverse property),
  is an error: it means the file was written for another model, and guessing
  would lose or misfile data.
* A value the property type cannot clean (a country that is not a country, a
  date that is not a date) is dropped and logged with its line, the way FtM
  itself treats such values. Rejecting the whole file for one bad phone number
  in a million-entity export would make the reader useless.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any, ClassVar

from followthemoney import EntityProxy, model
from followthemoney.property import Property
from followthemoney.schema import Schema
from followthemoney.types import registry
from followthemoney.util import sanitize_text

from accord.errors import ReaderError, SourceError
from accord.readers.base import Reader

__all__ = ["FtmJsonLinesReader"]

log = logging.getLogger(__name__)

_BOM = "\ufeff"


class FtmJsonLinesReader(Reader):
    """FtM entities, one JSON object per line, as OpenSanctions publishes them."""

    NAME: ClassVar[str] = "ftm_jsonl"
    TITLE: ClassVar[str] = "FollowTheMoney entities as JSON lines (e.g. OpenSanctions)"

    def read(self) -> Iterator[EntityProxy]:
        """Yield one entity per non-blank line, reading one line at a time."""
        try:
            with self.path.open("rb") as handle:
                for number, raw in enumerate(handle, start=1):
                    text = self._decode(number, raw)
                    if text.strip():
                        yield self._entity(number, text, raw.endswith(b"\n"))
        except OSError as exc:
            raise SourceError(f"{self.path}: cannot read the file: {exc}") from exc

    def _decode(self, number: int, raw: bytes) -> str:
        """Decode one line; decoding per line keeps the line number exact."""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            reason = f"not UTF-8 (byte {exc.start + 1} of the line)"
            raise ReaderError(self.path, f"line {number}", reason) from exc
        return text.removeprefix(_BOM) if number == 1 else text

    def _entity(self, number: int, text: str, complete: bool) -> EntityProxy:
        data = self._load(number, text, complete)
        schema = self._schema(number, data)
        proxy = model.make_entity(schema)
        proxy.id = self._id(number, data)
        for name, values in self._properties(number, data).items():
            self._add(number, proxy, name, values)
        return proxy

    def _load(self, number: int, text: str, complete: bool) -> dict[str, Any]:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            reason = f"invalid JSON: {exc.msg}"
            if not complete:
                reason += " (the last line has no newline: the file looks truncated)"
            raise ReaderError(
                self.path, f"line {number}, column {exc.colno}", reason
            ) from exc
        if not isinstance(data, dict):
            reason = f"expected a JSON object, got {type(data).__name__}"
            raise ReaderError(self.path, f"line {number}", reason)
        return data

    def _schema(self, number: int, data: dict[str, Any]) -> Schema:
        name = data.get("schema")
        if not isinstance(name, str) or not name:
            raise ReaderError(self.path, f"line {number}", "missing 'schema'")
        schema = model.get(name)
        if schema is None:
            raise ReaderError(self.path, f"line {number}", f"unknown schema {name!r}")
        if schema.abstract:
            reason = f"schema {name!r} is abstract and cannot hold entities"
            raise ReaderError(self.path, f"line {number}", reason)
        return schema

    def _id(self, number: int, data: dict[str, Any]) -> str:
        value = data.get("id")
        if not isinstance(value, str) or not value:
            raise ReaderError(self.path, f"line {number}", "missing 'id'")
        # Other entities point at this one by id, and FtM drops references
        # that are not valid ids, so a bad id would orphan them silently.
        entity_id = registry.entity.clean_text(value)
        if entity_id is None:
            raise ReaderError(self.path, f"line {number}", f"invalid id {value!r}")
        return entity_id

    def _properties(self, number: int, data: dict[str, Any]) -> dict[str, Any]:
        properties = data.get("properties", {})
        if not isinstance(properties, dict):
            reason = "'properties' must be an object"
            raise ReaderError(self.path, f"line {number}", reason)
        return properties

    def _add(self, number: int, proxy: EntityProxy, name: str, values: Any) -> None:
        """Clean and add one property's values, counting those FtM rejects."""
        prop = self._property(number, proxy.schema, name)
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            reason = f"property {name!r} must be a list of strings"
            raise ReaderError(self.path, f"line {number}", reason)
        # The same two steps as EntityProxy.add, one value at a time, so that
        # a value the type cannot clean is counted instead of vanishing.
        dropped = sum(
            proxy.unsafe_add(prop, sanitize_text(value)) is None for value in values
        )
        if dropped:
            log.warning(
                "%s: line %d: dropped %d invalid %r value(s)",
                self.path,
                number,
                dropped,
                name,
            )

    def _property(self, number: int, schema: Schema, name: str) -> Property:
        prop = schema.get(name)
        if prop is None:
            reason = f"unknown property {name!r} for schema {schema.name}"
            raise ReaderError(self.path, f"line {number}", reason)
        if prop.stub:
            reason = f"property {name!r} of {schema.name} is derived and cannot be set"
            raise ReaderError(self.path, f"line {number}", reason)
        return prop
