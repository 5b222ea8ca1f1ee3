"""Text folding shared by the classifier and the lexicon detectors.

Posts mix scripts, diacritics and platform noise. Two things go wrong when
they are fed raw to a model: the same word spelt with or without Arabic
vowel marks, with a different alef or with ``ё`` becomes several features,
and account-specific tokens (URLs, @handles, numbers, dates) become the
easiest way to tell classes apart, so a model learns *who* posted rather
than *what* was posted. Folding fixes the first; replacing those tokens with
placeholders fixes the second.

``fold`` keeps one output character per input character (or none), so the
lexicon detectors can report spans in the original text; ``normalise`` is
the classifier's lossy version.
"""

from __future__ import annotations

import re
import unicodedata

URL = re.compile(r"(?:https?://|www\.|t\.me/)\S+", re.IGNORECASE)
HANDLE = re.compile(r"@\w{2,}")
HASHTAG = re.compile(r"#(\w+)")
DIGITS = re.compile(r"\d+")
RETWEET = re.compile(r"^\s*rt\b:?\s*", re.IGNORECASE)
REPEATS = re.compile(r"(.)\1{2,}")
SPACES = re.compile(r"\s+")

# Placeholders are spelt so they cannot collide with a word of any language
# the model sees, and stay short so they add few character n-grams.
URL_PLACEHOLDER = " ⟨u⟩ "
HANDLE_PLACEHOLDER = " ⟨h⟩ "
DIGIT_PLACEHOLDER = "0"

ARABIC_DIACRITICS = "".join(chr(c) for c in range(0x064B, 0x0660)) + "\u0670\u0640"
_ARABIC_LETTERS = {
    "\u0622": "\u0627",  # alef with madda -> alef
    "\u0623": "\u0627",  # alef with hamza above
    "\u0625": "\u0627",  # alef with hamza below
    "\u0671": "\u0627",  # alef wasla
    "\u0649": "\u064a",  # alef maqsura -> yeh
    "\u0629": "\u0647",  # teh marbuta -> heh
    "\u06cc": "\u064a",  # Persian yeh
    "\u06a9": "\u0643",  # Persian keheh
    "\u0624": "\u0621",  # waw with hamza -> hamza
    "\u0626": "\u0621",  # yeh with hamza -> hamza
}
_CYRILLIC_LETTERS = {"ё": "е", "й": "и"}


def _latin_base(char: str) -> str:
    """``é`` -> ``e``: French and Turkish accents are often dropped online."""
    decomposed = unicodedata.normalize("NFD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base if len(base) == 1 else char


def _fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(c): None for c in ARABIC_DIACRITICS}
    table.update({ord(k): v for k, v in _ARABIC_LETTERS.items()})
    table.update({ord(k): v for k, v in _CYRILLIC_LETTERS.items()})
    for code in range(0x00C0, 0x0250):
        char = chr(code).lower()
        base = _latin_base(char)
        if len(char) == 1 and base != char:
            table[ord(char)] = base
    table[ord("’")] = "'"
    table[ord("ـ")] = None
    return table


FOLD_TABLE = _fold_table()


def fold(text: str) -> tuple[str, list[int]]:
    """Lower-cased, script-folded text and, per output character, its
    offset in ``text``; used where a match must point back at the source."""
    out: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        folded = char.lower().translate(FOLD_TABLE)
        for piece in folded:
            out.append(piece)
            offsets.append(index)
    return "".join(out), offsets


def normalise(text: str) -> str:
    """The classifier's view of a post: folded, with URLs, handles and
    numbers replaced by placeholders and hashtags reduced to their word."""
    text = unicodedata.normalize("NFKC", text)
    text = RETWEET.sub("", text)
    text = URL.sub(URL_PLACEHOLDER, text)
    text = HANDLE.sub(HANDLE_PLACEHOLDER, text)
    text = HASHTAG.sub(r" \1 ", text)
    text = text.lower().translate(FOLD_TABLE)
    text = DIGITS.sub(DIGIT_PLACEHOLDER, text)
    text = REPEATS.sub(r"\1\1", text)
    return SPACES.sub(" ", text).strip()
