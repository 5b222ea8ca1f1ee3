"""One candidate scored: the best name comparison plus secondary evidence.

The explanation has one feature per reason, and the features add up to the
score (before it is clipped to [0, 1]), so an analyst can see exactly how
much the name, the birth date or a passport number contributed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accord.model.finding import Feature
from accord.screening.compare import NameComparison, compare_forms
from accord.screening.entry import Entry
from accord.screening.evidence import (
    birth_date_feature,
    clean_country,
    country_feature,
    gender_feature,
    identifier_feature,
)
from accord.screening.model import ScreeningQuery, ScreeningResult
from accord.screening.names import NameForm, name_forms, token_keys

PRUNE_SHARE = 0.25
QueryToken = tuple[frozenset[str], float]
QueryKeys = list[QueryToken]
COMMON_NAME_INFO = 1.2  # matched rarity needed, in units of the rarest token
COMMON_NAME_PENALTY = 0.35

if TYPE_CHECKING:
    from accord.screening.index import ScreeningIndex


def best_name(
    index: ScreeningIndex,
    query: ScreeningQuery,
    entry: Entry,
    key_weights: QueryKeys,
) -> tuple[float, str, NameComparison | None]:
    """The best comparison between any query form and any listed name.

    A listed name whose retrieval keys cannot explain a fair share of the
    query's weight is skipped unscored: it could not come near a match, and
    most aliases of a candidate are such names.
    """
    best: tuple[float, str, NameComparison | None] = (0.0, "", None)
    forms = name_forms(query.name)
    floor = PRUNE_SHARE * max(sum(weight for _, weight in key_weights), 1e-9)
    for name in entry.names:
        shared = sum(w for keys, w in key_weights if not keys.isdisjoint(name.keys))
        if shared < floor:
            continue
        for q_form in forms:
            for c_form in name.forms:
                result = compare_forms(q_form, c_form, index)
                score = result.score * name.weak_factor
                if score > best[0]:
                    best = (score, name.text, result)
    return best


def query_key_weights(index: ScreeningIndex, forms: tuple[NameForm, ...]) -> QueryKeys:
    """Each query token's retrieval keys (near spellings included), with its
    rarity: a listed name sharing any key of a token shares that token."""
    tokens: dict[str, QueryToken] = {}
    for form in forms:
        for token in form.tokens:
            if token in tokens:
                continue
            keys = set(token_keys(token))
            keys.update(f"tok:{other}" for other, _ in index.near_tokens(token))
            tokens[token] = (frozenset(keys), index.weight(token))
    return list(tokens.values())


def score_entry(
    index: ScreeningIndex,
    query: ScreeningQuery,
    entry: Entry,
    key_weights: QueryKeys,
) -> ScreeningResult:
    """Score one entry; ``key_weights`` are the query's, computed once per query."""
    score, matched_name, comparison = best_name(index, query, entry, key_weights)
    explanation = {"name_match": _name_feature(score, matched_name, comparison)}
    if comparison is not None:
        common = _common_name_feature(index, score, comparison)
        if common is not None:
            explanation["common_name"] = common
    for key, feature in _evidence(query, entry).items():
        if feature is not None:
            explanation[key] = feature
    total = sum(feature.value for feature in explanation.values())
    final = round(min(max(total, 0.0), 1.0), 4)
    return ScreeningResult(
        entity_id=entry.entity_id,
        caption=entry.caption,
        score=final,
        match=final >= index.threshold,
        explanation=explanation,
        datasets=entry.datasets,
        matched_name=matched_name,
    )


def _common_name_feature(
    index: ScreeningIndex, score: float, comparison: NameComparison
) -> Feature | None:
    """Agreement on common name parts only is weak evidence, however close.

    When the rarity of what matched adds up to less than one rare name part,
    a share of the name score is taken back: "Ahmad Muhammad" against
    "Mohammad Ahmadi" agrees well but says little about who it is.
    """
    needed = COMMON_NAME_INFO * index.max_weight
    if comparison.explained >= needed:
        return None
    shortfall = 1.0 - comparison.explained / needed
    penalty = round(-COMMON_NAME_PENALTY * shortfall * score, 4)
    detail = (
        f"the matching name parts are common in this list "
        f"({comparison.explained:.1f} of {needed:.1f} rarity needed)"
    )
    return Feature(penalty, detail)


def _name_feature(
    score: float, matched_name: str, comparison: NameComparison | None
) -> Feature:
    if comparison is None:
        return Feature(0.0, "no listed name is comparable")
    parts = [f"{q}~{c} {s:.2f}" for q, c, s in comparison.matched]
    detail = f"best listed name {matched_name!r}: " + (", ".join(parts) or "whole name")
    if comparison.unmatched_query:
        detail += f"; unexplained query parts {', '.join(comparison.unmatched_query)}"
    if comparison.cross_script:
        detail += "; compared across scripts"
    return Feature(round(score, 4), detail)


def _evidence(query: ScreeningQuery, entry: Entry) -> dict[str, Feature | None]:
    return {
        "birth_date": birth_date_feature(query.birth_date, entry.birth_dates),
        "country": country_feature(clean_country(query.nationality), entry.countries),
        "gender": gender_feature(query.gender, entry.genders),
        "identifier": identifier_feature(query.id_numbers, entry.identifiers),
    }
