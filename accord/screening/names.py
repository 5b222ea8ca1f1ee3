"""Names as the matcher sees them: romanised forms, tokens and skeletons.

Every name, in whatever script, becomes one or more Latin *forms*; each form
is a tuple of lower-case ASCII tokens. A non-Latin name gets several forms
(rigour's ICU romanisation, and its consonant skeleton) because no single
romanisation matches how Latin-script lists spell it: Arabic is written
without short vowels, so ``محمد`` romanises to ``mhmd`` while lists write
``Mohammed``. Comparing consonant *skeletons* (vowels dropped, common
digraphs folded, doubles collapsed) makes those comparable; skeletons are
used only across scripts, where plain spelling similarity cannot work, so
they never loosen Latin-to-Latin matching.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rigour.text import ascii_text, metaphone

# Words that say what kind of thing a name is, not which one. They still
# count when they differ, but sharing them is never enough for a match
# (the "11420 CORP." trap).
GENERIC_TOKENS = frozenset(
    [
        "the",
        "of",
        "and",
        "for",
        "in",
        "on",
        "de",
        "la",
        "le",
        "el",
        "du",
        "des",
        "und",
        "der",
        "die",
        "ltd",
        "limited",
        "llc",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "companies",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "oy",
        "ab",
        "as",
        "jsc",
        "ojsc",
        "cjsc",
        "pjsc",
        "ooo",
        "oao",
        "zao",
        "fze",
        "fzco",
        "fzc",
        "llp",
        "lp",
        "pte",
        "pvt",
        "sdn",
        "bhd",
        "tic",
        "sti",
        "group",
        "holding",
        "holdings",
        "international",
        "intl",
        "trading",
        "trade",
        "enterprise",
        "enterprises",
        "industries",
        "industrial",
        "services",
        "service",
        "general",
        "import",
        "export",
        "bank",
        "organization",
        "organisation",
        "association",
        "foundation",
        "society",
    ]
)

# Particles of Arabic and other names: part of the name, but common enough
# that a match on them alone means nothing.
NAME_PARTICLES = frozenset(
    [
        "al",
        "el",
        "bin",
        "ibn",
        "bint",
        "abu",
        "abou",
        "abd",
        "abdul",
        "abdel",
        "ben",
        "ould",
        "van",
        "von",
        "da",
        "di",
    ]
)

_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
# Apostrophes and the ayn/hamza marks (ICU renders them as "?") sit inside
# names: "Sa'd", "Ta'an". Dropping them keeps the name one token.
_INNER_MARKS = re.compile(r"[\'’ʼʻ`´]")
_VOWELS = re.compile(r"[aeiouyw]")
_H_AFTER = re.compile(r"([bcdgkpstz])h")
_DOUBLES = re.compile(r"(.)\1+")
_SOFT_C = re.compile(r"c(?=[eiy])")
_SUN_LETTERS = frozenset("tdszrnl")
_BRACKETS = re.compile(r"[()\[\]]")
# Second halves of compound names that lists write glued or apart:
# Khayr Allah / Khayrallah, Nur al-Din / Nureddine.
SUFFIX_PARTICLES = frozenset(
    [
        "allah",
        "allh",
        "ullah",
        "ulla",
        "alla",
        "aldin",
        "aldyn",
        "eddin",
        "eddine",
        "uddin",
        "addin",
        "aldeen",
    ]
)


@dataclass(frozen=True, slots=True)
class NameForm:
    """One Latin rendering of a name, ready for comparison."""

    tokens: tuple[str, ...]
    joined: str
    latin_source: bool


def is_latin(text: str) -> bool:
    """Whether every letter of ``text`` is Latin script."""
    for char in text:
        if char.isalpha() and not unicodedata.name(char, "").startswith("LATIN"):
            return False
    return True


def tokenize(text: str) -> tuple[str, ...]:
    """ASCII tokens of an already romanised string."""
    return tuple(tok for tok in _TOKEN_SPLIT.split(text.lower()) if tok)


@lru_cache(maxsize=65536)
def name_forms(name: str) -> tuple[NameForm, ...]:
    """The forms a name is compared in; empty if it has no letters or digits.

    "Name (other spelling)" is two names, often in two scripts, and each is
    compared on its own.
    """
    parts = [part for part in _BRACKETS.split(name) if part.strip()]
    if len(parts) > 1:
        return tuple(form for part in parts for form in name_forms(part))
    latin = is_latin(name)
    if not latin:
        # Ta marbuta is pronounced -a/-ah, which lists write; ICU gives -t.
        name = re.sub("\u0629(?=\\W|$)", "\u0647", name)
    text = _INNER_MARKS.sub("", ascii_text(name))
    # ICU writes ayn and hamza as "?"; they stand where Latin lists write a
    # vowel (Omar, Ali, Taan), so they become one.
    romanised = tokenize(text.replace("?", "a") if not latin else text)
    if not romanised:
        return ()
    forms = [NameForm(romanised, "".join(romanised), latin)]
    glued = _glue_particles(romanised)
    if glued != romanised:
        forms.append(NameForm(glued, "".join(glued), latin))
    return tuple(forms)


def _glue_particles(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """``abd al rahman`` also reads as ``abdalrahman``: lists write both."""
    out: list[str] = []
    carry = ""
    for token in tokens:
        if token in NAME_PARTICLES:
            carry += token
            continue
        if token in SUFFIX_PARTICLES and out and not carry:
            out[-1] += token
            continue
        out.append(carry + token)
        carry = ""
    if carry:
        out.append(carry)
    return tuple(out)


@lru_cache(maxsize=262144)
def skeleton(token: str, strip_article: bool = True) -> str:
    """A consonant skeleton: ``mohammed``, ``muhammad`` and ``mhmd`` agree.

    Vowels (and the semivowels y/w, which Arabic romanisation uses for
    long vowels) go; ``kh``/``sh``/``th``/``dh``/``gh`` fold to one letter;
    ``q`` is ``k``; French ``ch`` is ``sh`` and soft ``c`` is ``s``; doubled
    letters collapse. A leading Arabic article goes unless
    ``strip_article`` is off: "Al" also begins names (Ali, Alouche), so
    callers compare both readings.
    """
    text = token.lower()
    if strip_article:
        text = _strip_article(text)
    text = _SOFT_C.sub("s", text.replace("ch", "sh"))
    text = text.replace("q", "k").replace("j", "g").replace("z", "s")
    text = _H_AFTER.sub(r"\1", text)
    # A leading vowel is written in Arabic (alif, ayn, or waw/ya that lists
    # render as ou/w or y/i) and keeps Ahmad apart from Hamid; which one it
    # is varies, so it becomes "V".
    lead = "V" if text[:1] in "aeiouwy" else ""
    text = lead + _VOWELS.sub("", text[1:] if lead else text)
    text = _DOUBLES.sub(r"\1", text)
    return text.rstrip("h") or text


def skeletons(token: str) -> tuple[str, ...]:
    """The token's skeleton with and without a leading article."""
    stripped, whole = skeleton(token), skeleton(token, strip_article=False)
    return (stripped,) if stripped == whole else (stripped, whole)


def _strip_article(text: str) -> str:
    """Drop the Arabic article, however a list spells it.

    ``al-``/``el-`` are dropped when written out; an article assimilated to
    the next consonant (``essabar``, ``assaadi``) shows as a vowel before a
    doubled consonant.
    """
    if len(text) <= 4:
        return text
    if text[:2] in ("al", "el"):
        return text[2:]
    if text[0] in "ae" and text[1] == text[2] and text[1] in _SUN_LETTERS:
        return text[2:]
    return text


@lru_cache(maxsize=262144)
def consonant_class(token: str) -> str:
    """A coarser skeleton for comparing across scripts only.

    Arabic's emphatic and interdental consonants reach Latin lists as any of
    t/th/d/dh/z/s, and qaf/ghayn/kaf as k/q/g/gh; each group folds to one
    class letter.
    """
    return _DOUBLES.sub(r"\1", skeleton(token).translate(_CLASSES))


@lru_cache(maxsize=262144)
def consonant_classes(token: str) -> tuple[str, ...]:
    """Both readings (article or not) of the token's consonant class."""
    return tuple(
        {_DOUBLES.sub(r"\1", skel.translate(_CLASSES)) for skel in skeletons(token)}
    )


_CLASSES = str.maketrans({"d": "t", "z": "t", "s": "t", "g": "k", "c": "k"})


@lru_cache(maxsize=262144)
def token_keys(token: str) -> tuple[str, ...]:
    """Retrieval keys of a token: itself, its metaphone and its skeleton."""
    if len(token) <= 2 or not token.isalpha():
        return (f"tok:{token}",)
    shapes = tuple(f"skl:{skel}" for skel in skeletons(token))
    classes = tuple(f"cls:{cls}" for cls in consonant_classes(token))
    return (f"tok:{token}", f"mph:{metaphone(token)}", *shapes, *classes)
