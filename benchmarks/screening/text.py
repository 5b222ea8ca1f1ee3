"""Name folding, script detection and the spelling-variant rule.

These are the benchmark's own definitions, deliberately independent of both
matchers under test: an eval set built with a matcher's own normaliser would
grade that matcher on its own homework.
"""

from __future__ import annotations

import unicodedata

from rigour.names import tokenize_name
from rigour.text import ascii_text, jaro_winkler

LATIN = "LATIN"
MIXED = "MIXED"
NO_SCRIPT = "NONE"
# Unicode names whose first word is not a script: modifier letters such as
# the ʻokina in "Saʻid" are letters, but say nothing about the script.
NEUTRAL_PREFIXES = frozenset({"MODIFIER", "COMBINING"})

VARIANT_MEAN_JW = 0.80
VARIANT_MIN_PAIR_JW = 0.70
VARIANT_TOKEN_SLACK = 1
# Arabic, Persian, Spanish, Dutch... particles whose spelling ("al-" vs
# "Al "), hyphenation and presence vary between renderings of one name.
PARTICLES = frozenset(
    {"al", "el", "ul", "ur", "ar", "as", "ad", "an", "at", "az", "ash", "bin",
     "ibn", "ben", "bint", "de", "da", "di", "du", "del", "la", "le", "van",
     "von"}
)  # fmt: skip
# Apostrophes inside a name ("Sa'ad", "Ky'ong", "Cho'n") join, not split.
APOSTROPHES = str.maketrans("", "", "'\u2019\u2018\u02bc\u02bb`\u00b4")


def fold_tokens(name: str) -> list[str]:
    """Lower-case ASCII tokens of a name: the form the eval rules compare.

    ``ascii_text`` transliterates any script (ICU), so Arabic or Cyrillic
    names fold too; hyphens and dots split tokens ("AL-QAIDA" is two tokens,
    as "Al Qaida" is); apostrophes join ("Sa'ad" is one token).
    """
    text = ascii_text(name.translate(APOSTROPHES)).lower()
    return [tok for tok in tokenize_name(text) if tok.isalnum()]


def fold_key(name: str) -> str:
    """One string per name, equal for names that differ only in case,
    diacritics or punctuation."""
    return " ".join(fold_tokens(name))


def name_key(name: str) -> str:
    """The identity of a name for dedupe and hold-out: ``fold_key`` for Latin
    names, the case-folded tokens in their own script otherwise.

    Transliterating a non-Latin name would make "Шамиль Басаев" equal to
    the primary "SHAMIL BASAEV", and holding it out would then remove the
    primary name too.
    """
    if script_of(name) in (LATIN, NO_SCRIPT):
        return fold_key(name)
    return " ".join(tokenize_name(name.casefold()))


def bag_key(name: str) -> str:
    """Like ``fold_key`` but order-free: "Basaev Shamil" = "Shamil Basaev"."""
    return " ".join(sorted(fold_tokens(name)))


def scripts(name: str) -> set[str]:
    """The scripts of a name's letters, by the first word of each letter's
    Unicode name ("ARABIC LETTER ALEF" -> ARABIC, "CJK UNIFIED ..." -> CJK)."""
    found: set[str] = set()
    for char in name:
        if not char.isalpha():
            continue
        word = unicodedata.name(char, "UNKNOWN").split(" ")[0]
        if word not in NEUTRAL_PREFIXES:
            found.add(word)
    return found


def script_of(name: str) -> str:
    """LATIN, another single script (ARABIC, CYRILLIC, CJK...), MIXED, NONE.

    A name mixing Latin with another script is MIXED and belongs to neither
    the Latin slices nor the cross-script slice.
    """
    found = scripts(name)
    if not found:
        return NO_SCRIPT
    if found == {LATIN}:
        return LATIN
    if LATIN in found:
        return MIXED
    if len(found) == 1:
        return next(iter(found))
    # Japanese mixes kana and kanji; still one non-Latin query.
    return "+".join(sorted(found))


def is_latin(name: str) -> bool:
    return script_of(name) == LATIN


def is_non_latin(name: str) -> bool:
    return script_of(name) not in (LATIN, MIXED, NO_SCRIPT)


def aligned_similarities(left: list[str], right: list[str]) -> list[float]:
    """Jaro-Winkler of a greedy one-to-one token alignment, order-free.

    Each token of the shorter name is paired with one distinct token of the
    longer, best pairs first, so "BADEGE ERIC" aligns with "Eric Badege".
    Returns one similarity per token of the shorter name.
    """
    short, long_ = (left, right) if len(left) <= len(right) else (right, left)
    pairs = sorted(
        (
            (jaro_winkler(a, b), i, j)
            for i, a in enumerate(short)
            for j, b in enumerate(long_)
        ),
        reverse=True,
    )
    used_short: set[int] = set()
    used_long: set[int] = set()
    sims: list[float] = []
    for sim, i, j in pairs:
        if i in used_short or j in used_long:
            continue
        used_short.add(i)
        used_long.add(j)
        sims.append(sim)
    return sims


def content_tokens(name: str) -> list[str]:
    """Folded tokens without particles and initials, or all tokens if none
    are left.

    Particles ("al", "bin", "de") and one-letter initials are dropped so that
    hyphenation and abbreviation ("al-Baghdadi" vs "Baghdadi", "Adnan S.
    Hasan") do not change the token count. Short name parts that carry the
    name (Korean "Ho", "Su") stay.
    """
    tokens = fold_tokens(name)
    content = [tok for tok in tokens if len(tok) > 1 and tok not in PARTICLES]
    return content or tokens


def shares_a_token(alias: str, primary: str) -> bool:
    """Whether any aligned token pair reaches the variant mean (0.80).

    Splits the "different names" into those that share a part with the
    primary name (partial names, "Dr. Ibrahim") and disjoint ones (kunyas,
    noms de guerre, translations: "Abu Hudhayfah", "Colonel Rambo").
    """
    left, right = content_tokens(alias), content_tokens(primary)
    if not left or not right:
        return False
    return max(aligned_similarities(left, right)) >= VARIANT_MEAN_JW


def is_spelling_variant(alias: str, primary: str) -> bool:
    """Whether an alias is a spelling of the primary name, not another name.

    Rule: on ASCII-folded content tokens (``content_tokens``: one- and
    two-letter particles dropped), the token counts differ by at most one,
    and the token-aligned Jaro-Winkler similarities (see
    ``aligned_similarities``) have a mean of at least 0.80 with no aligned
    pair below 0.70. "Frank Kakorere" is a variant of "Frank Kakolele
    Bwambale"; "Victor Rumuri" is a different name for "Gaston Iyamuremye".
    """
    left, right = content_tokens(alias), content_tokens(primary)
    if not left or not right:
        return False
    if abs(len(left) - len(right)) > VARIANT_TOKEN_SLACK:
        return False
    sims = aligned_similarities(left, right)
    return min(sims) >= VARIANT_MIN_PAIR_JW and (
        sum(sims) / len(sims) >= VARIANT_MEAN_JW
    )
