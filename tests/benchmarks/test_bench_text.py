"""The eval-set rules: folding, script detection, the spelling-variant rule."""

from __future__ import annotations

import pytest

from benchmarks.screening.text import (
    aligned_similarities,
    content_tokens,
    fold_key,
    is_spelling_variant,
    name_key,
    script_of,
    shares_a_token,
)


@pytest.mark.parametrize(
    ("name", "script"),
    [
        ("Frank Kakolele", "LATIN"),
        ("Saʻid Muḥammad", "LATIN"),  # modifier letters and diacritics
        ("أبو بكر البغدادي", "ARABIC"),
        ("تحریک طالبان پاکستان", "ARABIC"),  # Persian/Pashto letters
        ("Шамиль Басаев", "CYRILLIC"),
        ("金正恩", "CJK"),
        ("김정은", "HANGUL"),
        ("Ali 阿里", "MIXED"),
        ("1234 - ()", "NONE"),
    ],
)
def test_script_of(name: str, script: str) -> None:
    assert script_of(name) == script


def test_fold_key_ignores_case_diacritics_and_punctuation() -> None:
    assert fold_key("AL-QĀʻIDA") == fold_key("al qaida") == "al qaida"


def test_name_key_keeps_other_scripts_apart_from_their_transliteration() -> None:
    assert fold_key("Шамиль Басаев") == fold_key("SHAMIL BASAEV")
    assert name_key("Шамиль Басаев") != name_key("SHAMIL BASAEV")
    assert name_key("ШАМИЛЬ Басаев") == name_key("шамиль басаев")


def test_content_tokens_drop_particles() -> None:
    assert content_tokens("Abu Bakr al-Baghdadi") == ["abu", "bakr", "baghdadi"]
    assert content_tokens("Adnan S. Hasan") == ["adnan", "hasan"]  # initial
    assert content_tokens("Pak Chang Ho") == ["pak", "chang", "ho"]
    assert content_tokens("Al Bin") == ["al", "bin"]  # nothing left: keep all


def test_apostrophes_join() -> None:
    assert fold_key("Cho’n Myo’ng-kuk") == "chon myong kuk"
    assert fold_key("Sa'ad") == "saad"


def test_alignment_is_order_free_and_one_to_one() -> None:
    assert aligned_similarities(["badege", "eric"], ["eric", "badege"]) == [1.0, 1.0]
    sims = aligned_similarities(["ali", "ali"], ["ali", "omar", "zzz"])
    assert len(sims) == 2
    assert sims[0] == 1.0
    assert sims[1] < 0.7


@pytest.mark.parametrize(
    ("alias", "primary"),
    [
        ("Frank Kakorere", "FRANK KAKOLELE BWAMBALE"),  # one token fewer
        ("BADEGE Eric", "Eric Badege"),  # reordered
        ("Yahya Raheem Safavi", "YAHYA RAHIM SAFAVI"),
        ("Abu Bakr al-Baghdadi", "ABU BAKR AL-BAGHDADI AL-HUSAYNI"),
        ("Al Shabab", "AL-SHABAAB"),
        ("Cho’n Myo’ng-kuk", "JON MYONG GUK"),
    ],
)
def test_spelling_variants(alias: str, primary: str) -> None:
    assert is_spelling_variant(alias, primary)


@pytest.mark.parametrize(
    ("alias", "primary"),
    [
        ("Victor Rumuri", "GASTON IYAMUREMYE"),  # another name
        ("Haji Basir Hawala", "HAJI BASIR AND ZARJMIL COMPANY HAWALA"),  # 3 fewer
        ("Mohammed Ali Xavier", "Mohammed Ali Omar"),  # one pair below 0.70
        ("Chang Myong Ho", "RA KY'ONG-SU"),  # short Korean parts count
        ("", "Anything"),
    ],
)
def test_not_spelling_variants(alias: str, primary: str) -> None:
    assert not is_spelling_variant(alias, primary)


def test_shares_a_token_splits_different_names() -> None:
    assert shares_a_token("Dr. Ibrahim", "Ibrahim Awwad al-Badri")
    assert not shares_a_token("Colonel Rambo", "Alfred Yekatom")
