"""Finding lexicon cues in a post, with spans in the original text.

Each cue compiles to one regular expression whose alternatives are named by
language, so a single pass per cue says both *what* matched and *in which
language's list*; spans are mapped back through ``fold``'s offsets, so an
analyst sees exactly which characters of the post triggered a flag.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from accord.monitoring.lexicons import CUES, Cue
from accord.monitoring.text import FOLD_TABLE, fold

LIST_ITEM = re.compile(r"^\s*(?:\d{1,3}[.)\-]|[-*•▪►✅🔹🔸●■]|\(\d{1,3}\))\s*\S")


@dataclass(frozen=True, slots=True)
class CueMatch:
    """One lexicon hit: the cue, the lexicon language, and the span."""

    cue: str
    language: str
    start: int
    end: int
    text: str

    def describe(self) -> str:
        return f"{self.text!r} ({self.language}) at {self.start}-{self.end}"


# Arabic attaches conjunctions, prepositions and the article to the word
# (wa-, fa-, bi-, li-, ka-, al-), so a cue may follow them inside a "word".
ARABIC_CLITICS = "(?:[وفبلك]?ال|[وفبلك])?"


def compile_cue(cue: Cue) -> re.Pattern[str]:
    """One pattern per cue; fragments are folded like the text they meet,
    so lexicons may be written in ordinary spelling."""
    parts = []
    for language, patterns in cue.items():
        folded = "|".join(f"(?:{p.lower().translate(FOLD_TABLE)})" for p in patterns)
        prefix = ARABIC_CLITICS if language == "ar" else ""
        parts.append(f"(?P<{language}>{prefix}(?:{folded}))")
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")")


@cache
def compiled_cues() -> Mapping[str, re.Pattern[str]]:
    return {name: compile_cue(cue) for name, cue in CUES.items()}


def find_cues(text: str, names: tuple[str, ...] | None = None) -> list[CueMatch]:
    """Every hit of the named cues (all when ``names`` is None), in order."""
    folded, offsets = fold(text)
    matches: list[CueMatch] = []
    for name, pattern in compiled_cues().items():
        if names is not None and name not in names:
            continue
        for hit in pattern.finditer(folded):
            if hit.end() == hit.start():
                continue
            start = offsets[hit.start()]
            end = offsets[_word_end(folded, hit.end()) - 1] + 1
            language = hit.lastgroup or ""
            matches.append(CueMatch(name, language, start, end, text[start:end]))
    return sorted(matches, key=lambda match: (match.start, match.cue))


def _word_end(folded: str, end: int) -> int:
    """Stems (``donat``) are reported as the whole word (``Donate``)."""
    while end < len(folded) and folded[end].isalnum():
        end += 1
    return end


def list_item_lines(text: str) -> list[tuple[int, int]]:
    """Spans of lines that look like list items (numbered or bulleted)."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        if LIST_ITEM.match(line):
            spans.append((offset, offset + len(line.rstrip())))
        offset += len(line)
    return spans
