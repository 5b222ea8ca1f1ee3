"""Payment identifiers: kept only when their check digits hold."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.monitoring.payments import PaymentKind, find_payment_identifiers

VALID = [
    ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", PaymentKind.CRYPTO_WALLET, "BTC"),
    ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", PaymentKind.CRYPTO_WALLET, "BTC"),
    ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", PaymentKind.CRYPTO_WALLET, "BTC"),
    (
        "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297",
        PaymentKind.CRYPTO_WALLET,
        "BTC",
    ),
    ("TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW", PaymentKind.CRYPTO_WALLET, "TRX"),
    ("4111 1111 1111 1111", PaymentKind.PAYMENT_CARD, ""),
    ("GB82 WEST 1234 5698 7654 32", PaymentKind.IBAN, "GB"),
    ("+44 20 7946 0958", PaymentKind.PHONE, "GB"),
]
INVALID = [
    "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3",  # base58check digit changed
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",  # bech32 checksum broken
    "TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMX",
    "4111 1111 1111 1112",  # fails Luhn
    "GB82 WEST 1234 5698 7654 33",  # fails mod-97
]


@pytest.mark.parametrize(("text", "kind", "network"), VALID)
def test_valid_identifiers_are_found_with_their_span(
    text: str, kind: PaymentKind, network: str
) -> None:
    sentence = f"send to {text} today"
    found = find_payment_identifiers(sentence)
    assert [(item.kind, item.network) for item in found] == [(kind, network)]
    assert sentence[found[0].start : found[0].end] == text


@pytest.mark.parametrize("text", INVALID)
def test_identifiers_with_broken_check_digits_are_dropped(text: str) -> None:
    assert find_payment_identifiers(f"send to {text} today") == []


def test_iban_followed_by_a_capitalised_word_is_trimmed() -> None:
    found = find_payment_identifiers("IBAN GB82 WEST 1234 5698 7654 32 CALL NOW")
    assert [item.value for item in found] == ["GB82WEST12345698765432"]


def test_digits_inside_a_hex_address_are_not_a_card() -> None:
    found = find_payment_identifiers("0x52908400098527886E0F7030069857D2E4169EE7")
    assert [(item.kind, item.verified) for item in found] == [
        (PaymentKind.CRYPTO_WALLET, False)
    ]


@given(st.text(max_size=120))
def test_spans_always_lie_inside_the_text(text: str) -> None:
    for item in find_payment_identifiers(text):
        assert 0 <= item.start < item.end <= len(text)
