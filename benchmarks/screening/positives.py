"""Positive queries: a listed entity's own aliases, classified and held out.

Every alias (``alias``, ``weakAlias``, ``previousName``, ``abbreviation``)
and every non-Latin name of a listed person or organisation is a candidate
query whose right answer is that entity. Rules, in order:

1. The entity needs a Latin primary name (``primary_name``); it stays in
   the index whatever else is held out.
2. An alias with the same ``name_key`` as the primary name or an alias
   already taken is skipped: it tests case and punctuation, not matching.
   (Latin names compare ASCII-folded; other scripts compare in their own
   script, so "Шамиль Басаев" stays a query for "SHAMIL BASAEV".)
3. An alias whose key is a name of *another* listed entity is
   skipped as ambiguous: no matcher can know which of the two is meant.
4. A Latin alias is a **variant** if ``is_spelling_variant`` holds against
   the primary name, otherwise a **different name**, grouped as
   ``overlap`` if it shares a token with the primary (``shares_a_token``)
   and ``disjoint`` if not; a name in one non-Latin script is
   **cross-script** (grouped by script); mixed-script names are skipped.

Leave-one-out: ``hold_out`` removes each chosen query (every value of the
entity with its key, in any name property) from one copy of the list.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from followthemoney import EntityProxy

from benchmarks.screening.queries import (
    ALIAS_PROPS,
    NAME_PROPS,
    primary_name,
    query_schema,
    values,
)
from benchmarks.screening.text import (
    LATIN,
    MIXED,
    NO_SCRIPT,
    is_spelling_variant,
    name_key,
    script_of,
    shares_a_token,
)

VARIANT = "variant"
DIFFERENT = "different"
CROSS_SCRIPT = "cross_script"
OVERLAP = "overlap"
DISJOINT = "disjoint"


@dataclass(frozen=True, slots=True)
class Alias:
    """A name of a listed entity that may become a positive query."""

    entity_id: str
    name: str
    schema: str
    kind: str
    script: str
    group: str = ""


def name_owners(entities: Iterable[EntityProxy]) -> dict[str, set[str]]:
    """Name key -> ids of the entities that carry it."""
    owners: dict[str, set[str]] = defaultdict(set)
    for entity in entities:
        for name in values(entity, NAME_PROPS):
            key = name_key(name)
            if key and entity.id is not None:
                owners[key].add(entity.id)
    return owners


def classify(name: str, prop: str, primary: str) -> tuple[str, str, str] | None:
    """(kind, script, group) of one name, or None if it is not a query."""
    script = script_of(name)
    if script == LATIN:
        if prop not in ALIAS_PROPS:
            return None
        if is_spelling_variant(name, primary):
            return VARIANT, script, ""
        group = OVERLAP if shares_a_token(name, primary) else DISJOINT
        return DIFFERENT, script, group
    if script in (MIXED, NO_SCRIPT):
        return None
    return CROSS_SCRIPT, script, script


def entity_aliases(
    entity: EntityProxy, owners: dict[str, set[str]], skipped: Counter[str]
) -> list[Alias]:
    """The query candidates of one entity, after rules 1-4."""
    schema, primary = query_schema(entity), primary_name(entity)
    if schema is None or primary is None or entity.id is None:
        return []
    seen = {name_key(primary)}
    found: list[Alias] = []
    for prop in NAME_PROPS:
        for name in entity.get(prop) if prop in entity.schema.properties else []:
            if name == primary:
                continue
            key = name_key(name)
            if not key or key in seen:
                skipped["same_as_kept_name"] += 1
                continue
            seen.add(key)
            if len(owners.get(key, ())) > 1:
                skipped["ambiguous"] += 1
                continue
            kind = classify(name, prop, primary)
            if kind is not None:
                found.append(Alias(entity.id, name, schema, *kind))
    return found


def collect_aliases(
    entities: Sequence[EntityProxy],
) -> tuple[list[Alias], Counter[str]]:
    """All candidate positive queries of a list, and why others were skipped."""
    owners = name_owners(entities)
    skipped: Counter[str] = Counter()
    found: list[Alias] = []
    for entity in entities:
        found.extend(entity_aliases(entity, owners, skipped))
    return found, skipped


def hold_out(
    entities: Sequence[EntityProxy], held: Iterable[tuple[str, str]]
) -> list[EntityProxy]:
    """Copies of the entities without the held-out (entity id, name) pairs.

    Every value of the entity with a held-out name's key goes, so the query
    cannot find itself under another property or capitalisation.
    The primary name is never held out (rule 2 keeps it out of the queries).
    """
    keys: dict[str, set[str]] = defaultdict(set)
    for entity_id, name in held:
        keys[entity_id].add(name_key(name))
    reduced: list[EntityProxy] = []
    for entity in entities:
        drop = keys.get(entity.id or "")
        reduced.append(_without(entity, drop) if drop else entity)
    return reduced


def _without(entity: EntityProxy, keys: set[str]) -> EntityProxy:
    copy = entity.clone()
    for prop in NAME_PROPS:
        if prop not in copy.schema.properties:
            continue
        for name in list(copy.get(prop)):  # remove() edits the list
            if name_key(name) in keys:
                copy.remove(prop, name)
    return copy
