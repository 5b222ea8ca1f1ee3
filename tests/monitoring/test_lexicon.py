"""Folding and cue lexicons: matches across scripts, spans in the source."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.monitoring.lexicon import find_cues, list_item_lines
from accord.monitoring.text import fold, normalise


def test_fold_maps_every_character_back_to_its_source() -> None:
    text = "Élan أَحْمَد Ёлка"
    folded, offsets = fold(text)
    assert folded == "elan احمد елка"
    assert len(offsets) == len(folded)
    assert offsets[folded.index("ел")] == text.index("Ёл")


def test_normalise_drops_account_specific_tokens() -> None:
    text = "RT @someone: Read https://t.co/abc #Breaking news 2019!!!!"
    assert normalise(text) == "⟨h⟩ : read ⟨u⟩ breaking news 0!!"


def test_arabic_spelling_variants_normalise_alike() -> None:
    assert normalise("إسلامية") == normalise("اسلاميه")


@pytest.mark.parametrize(
    ("text", "language", "trigger"),
    [
        ("[synthetic] go and kill them", "en", "go and kill"),
        ("[synthetic] اقتلوهم", "ar", "اقتلوهم"),
        ("[synthetic] Убивайте", "ru", "Убивайте"),
        ("[synthetic] Tuez-les", "fr", "Tuez"),
    ],
)
def test_imperatives_to_kill_in_four_languages(
    text: str, language: str, trigger: str
) -> None:
    hits = find_cues(text, ("imperative_violence",))
    assert [(hit.language, hit.text) for hit in hits] == [(language, trigger)]
    assert text[hits[0].start : hits[0].end] == trigger


def test_arabic_cues_match_after_the_article_and_conjunction() -> None:
    hits = find_cues("في الكنائس والأسواق", ("target_type",))
    assert [hit.text for hit in hits] == ["الكنائس", "والأسواق"]


def test_past_tense_news_is_not_an_imperative() -> None:
    assert (
        find_cues("Police said the gunman killed two people", ("imperative_violence",))
        == []
    )


def test_list_lines_are_found() -> None:
    text = "Header\n1. first\n2) second\n- third\nplain"
    assert len(list_item_lines(text)) == 3


@given(st.text(max_size=80))
def test_cue_spans_point_into_the_text(text: str) -> None:
    for hit in find_cues(text):
        assert text[hit.start : hit.end] == hit.text
        assert hit.start < hit.end
