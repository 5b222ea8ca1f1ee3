"""Build every slice of one list's evaluation set, deterministically.

Slices (positives expect their entity; negatives expect nothing):

* ``variants``: spelling-variant aliases, persons and organisations;
* ``variants_org``: the organisations' spelling variants on their own;
* ``different_names``: the other Latin aliases (kunyas, noms de guerre,
  acronyms, translations);
* ``cross_script``: non-Latin names (Arabic, Cyrillic, CJK...);
* ``variants_evidence``: the sampled variants whose entity lists a birth
  date or nationality (country for organisations), with those attached;
* ``negatives``: hard non-listed names, name only;
* ``negatives_evidence``: the same names with a contradicting birth date
  and/or nationality (``evidence.py``).

Each slice is subsampled to ``max_per_slice`` with a seed derived from the
run seed, the list and the slice. Every sampled positive is held out of the
one index both matchers build (leave-one-out), negatives are screened
against that same index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from followthemoney import EntityProxy

from benchmarks.screening.evidence import EvidenceBuilder
from benchmarks.screening.negatives import Negative, NegativeBuilder
from benchmarks.screening.positives import (
    CROSS_SCRIPT,
    DIFFERENT,
    VARIANT,
    Alias,
    collect_aliases,
    hold_out,
)
from benchmarks.screening.queries import EvalQuery, evidence, query_schema, sample

VARIANTS = "variants"
VARIANTS_ORG = "variants_org"
DIFFERENT_NAMES = "different_names"
CROSS = "cross_script"
VARIANTS_EVIDENCE = "variants_evidence"
NEGATIVES = "negatives"
NEGATIVES_EVIDENCE = "negatives_evidence"
NAME_ONLY_POSITIVES = (VARIANTS, VARIANTS_ORG, DIFFERENT_NAMES, CROSS)
POSITIVE_SLICES = (*NAME_ONLY_POSITIVES, VARIANTS_EVIDENCE)
NEGATIVE_SLICES = (NEGATIVES, NEGATIVES_EVIDENCE)
DEFAULT_SEED = "accord-screening-2026"


@dataclass(frozen=True, slots=True)
class EvalConfig:
    """Sizes and seed of an evaluation set."""

    max_per_slice: int = 2000
    negatives: int = 2000
    seed: str = DEFAULT_SEED


@dataclass
class EvalSet:
    """The queries of one list and the held-out copy of the list to index."""

    list_name: str
    entities: list[EntityProxy]
    slices: dict[str, list[EvalQuery]]
    available: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    def sizes(self) -> dict[str, int]:
        return {name: len(queries) for name, queries in self.slices.items()}


def alias_pools(aliases: Sequence[Alias]) -> dict[str, list[Alias]]:
    """Every candidate positive, by slice, before subsampling."""
    return {
        VARIANTS: [a for a in aliases if a.kind == VARIANT],
        VARIANTS_ORG: [
            a for a in aliases if a.kind == VARIANT and a.schema != "Person"
        ],
        DIFFERENT_NAMES: [a for a in aliases if a.kind == DIFFERENT],
        CROSS: [a for a in aliases if a.kind == CROSS_SCRIPT],
    }


def _alias_query(alias: Alias, qid: str) -> EvalQuery:
    return EvalQuery(
        qid,
        alias.name,
        alias.schema,
        alias.entity_id,
        script=alias.script,
        group=alias.group,
    )


def _evidence_positives(
    list_name: str, variants: Sequence[Alias], entities: Sequence[EntityProxy]
) -> list[EvalQuery]:
    """Variants with their entity's own birth date and nationality attached."""
    by_id = {entity.id: entity for entity in entities}
    queries: list[EvalQuery] = []
    for alias in variants:
        birth, country = evidence(by_id[alias.entity_id], alias.schema)
        if birth is None and country is None:
            continue
        qid = f"{list_name}-{VARIANTS_EVIDENCE}-{len(queries):05d}"
        query = EvalQuery(
            qid, alias.name, alias.schema, alias.entity_id, birth, country
        )
        queries.append(query)
    return queries


def _negative_split(entities: Sequence[EntityProxy], total: int) -> tuple[int, int]:
    """Person and organisation negatives in the list's own proportion."""
    schemas = [query_schema(entity) for entity in entities]
    persons = schemas.count("Person")
    others = sum(1 for s in schemas if s is not None and s != "Person")
    share = persons / max(persons + others, 1)
    return round(total * share), total - round(total * share)


def _negative_queries(
    list_name: str, negatives: Sequence[Negative], builder: EvidenceBuilder
) -> tuple[list[EvalQuery], list[EvalQuery]]:
    plain: list[EvalQuery] = []
    with_evidence: list[EvalQuery] = []
    for i, negative in enumerate(negatives):
        qid = f"{list_name}-{NEGATIVES}-{i:05d}"
        plain.append(EvalQuery(qid, negative.name, negative.schema, None))
        attached = builder.attach(negative)
        if attached is None:
            continue
        qid = f"{list_name}-{NEGATIVES_EVIDENCE}-{i:05d}"
        birth, country = attached
        with_evidence.append(
            EvalQuery(qid, negative.name, negative.schema, None, birth, country)
        )
    return plain, with_evidence


def build_eval_set(
    list_name: str, entities: Sequence[EntityProxy], config: EvalConfig
) -> EvalSet:
    """All slices of one list and the held-out list to index."""
    aliases, skipped = collect_aliases(entities)
    pools = alias_pools(aliases)
    chosen = {
        name: sample(pool, config.max_per_slice, f"{config.seed}:{list_name}:{name}")
        for name, pool in pools.items()
    }
    slices = {
        name: [
            _alias_query(alias, f"{list_name}-{name}-{i:05d}")
            for i, alias in enumerate(picked)
        ]
        for name, picked in chosen.items()
    }
    slices[VARIANTS_EVIDENCE] = _evidence_positives(
        list_name, chosen[VARIANTS], entities
    )
    persons, orgs = _negative_split(entities, config.negatives)
    seed = f"{config.seed}:{list_name}"
    drafts = NegativeBuilder(entities, f"{seed}:negatives").build(persons, orgs)
    builder = EvidenceBuilder(entities, f"{seed}:evidence")
    slices[NEGATIVES], slices[NEGATIVES_EVIDENCE] = _negative_queries(
        list_name, drafts, builder
    )
    held = {(a.entity_id, a.name) for picked in chosen.values() for a in picked}
    available = {name: len(pool) for name, pool in pools.items()}
    return EvalSet(
        list_name, hold_out(entities, held), slices, available, dict(skipped)
    )
