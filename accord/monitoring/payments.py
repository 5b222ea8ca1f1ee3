"""Payment details in free text: crypto wallets, cards, IBANs, phone numbers.

Fundraising posts carry the identifiers financing investigators need. Each
candidate the patterns find is kept only when its check digits hold, so a
random 16-digit number or a base58 string that happens to look like an
address is not reported as a wallet. Checks come from python-stdnum
(Bitcoin base58check and bech32, Luhn, IBAN mod-97) and phonenumbers; the
few that stdnum lacks (bech32m for Taproot, base58check for other chains)
reuse stdnum's own primitives. Ethereum's EIP-55 checksum needs Keccak-256,
which neither the standard library nor an installed dependency provides, so
Ethereum addresses are accepted on format and marked unverified.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers
from stdnum import bitcoin, iban, luhn

BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
BECH32M_CONSTANT = 0x2BC830A3


class PaymentKind(StrEnum):
    CRYPTO_WALLET = "crypto_wallet"
    PAYMENT_CARD = "payment_card"
    IBAN = "iban"
    PHONE = "phone"


@dataclass(frozen=True, slots=True)
class PaymentIdentifier:
    """One identifier found in a text, with where it was and how sure we are."""

    kind: PaymentKind
    value: str
    start: int
    end: int
    network: str = ""
    verified: bool = True

    def describe(self) -> str:
        check = "checksum valid" if self.verified else "format only"
        label = f"{self.network} " if self.network else ""
        return f"{label}{self.kind.value} at {self.start}-{self.end} ({check})"


_BASE58_WORD = rf"[{BASE58}]"
WALLET_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("BTC", re.compile(rf"\b[13]{_BASE58_WORD}{{25,34}}\b")),
    ("BTC", re.compile(r"\bbc1[02-9ac-hj-np-z]{8,87}\b", re.IGNORECASE)),
    ("TRX", re.compile(rf"\bT{_BASE58_WORD}{{33}}\b")),
    ("LTC", re.compile(rf"\b[LM]{_BASE58_WORD}{{26,33}}\b")),
    ("DOGE", re.compile(rf"\bD{_BASE58_WORD}{{33}}\b")),
    ("ETH", re.compile(r"\b0x[0-9a-fA-F]{40}\b")),
    ("XMR", re.compile(rf"\b[48][0-9AB]{_BASE58_WORD}{{93}}\b")),
)
# Version bytes of base58check addresses per network (P2PKH, P2SH).
BASE58_VERSIONS = {
    "TRX": {0x41},
    "LTC": {0x30, 0x32, 0x05},
    "DOGE": {0x1E, 0x16},
}
CARD = re.compile(r"(?<![\w-])(?:\d[ -]?){12,18}\d(?![\w-])")
CARD_PREFIXES = ("4", "5", "2", "34", "37", "6", "35", "36", "30")
INTERNATIONAL_PREFIX = re.compile(r"[+\uff0b]\s*\(?\d")
IBAN_PATTERN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,8}\b")


def base58check_version(address: str) -> int | None:
    """The version byte of a valid base58check address, else None."""
    if any(char not in BASE58 for char in address):
        return None
    raw = bitcoin.b58decode(address)
    if len(raw) != 25:
        return None
    digest = hashlib.sha256(hashlib.sha256(raw[:-4]).digest()).digest()
    return raw[0] if digest[:4] == raw[-4:] else None


def is_valid_bech32m(address: str) -> bool:
    """BIP-350 bech32m (Taproot, witness v1+), which stdnum does not cover."""
    address = address.lower()
    hrp, _, data = address.rpartition("1")
    if hrp != "bc" or len(data) < 7 or any(c not in BECH32 for c in data):
        return False
    values = [BECH32.index(c) for c in data]
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    checksum = bitcoin.bech32_checksum(expanded + values)
    return checksum == BECH32M_CONSTANT and values[0] >= 1


def wallet_is_valid(network: str, address: str) -> bool:
    if network == "BTC":
        return bitcoin.is_valid(address) or is_valid_bech32m(address)
    if network in BASE58_VERSIONS:
        return base58check_version(address) in BASE58_VERSIONS[network]
    return True  # ETH and XMR: format only, see the module docstring


def find_wallets(text: str) -> Iterator[PaymentIdentifier]:
    seen: set[str] = set()
    for network, pattern in WALLET_PATTERNS:
        for match in pattern.finditer(text):
            address = match.group(0)
            if address in seen or not wallet_is_valid(network, address):
                continue
            seen.add(address)
            verified = network not in {"ETH", "XMR"}
            bech32 = address[:3].lower() == "bc1"
            value = address.lower() if bech32 else address
            yield PaymentIdentifier(
                PaymentKind.CRYPTO_WALLET,
                value,
                match.start(),
                match.end(),
                network,
                verified,
            )


def find_cards(text: str) -> Iterator[PaymentIdentifier]:
    for match in CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if not 13 <= len(digits) <= 19 or not digits.startswith(CARD_PREFIXES):
            continue
        if luhn.is_valid(digits):
            yield PaymentIdentifier(
                PaymentKind.PAYMENT_CARD, digits, match.start(), match.end()
            )


def find_ibans(text: str) -> Iterator[PaymentIdentifier]:
    for match in IBAN_PATTERN.finditer(text):
        found = _longest_valid_iban(match.group(0))
        if found:
            compact, length = found
            start = match.start()
            yield PaymentIdentifier(
                PaymentKind.IBAN, compact, start, start + length, compact[:2]
            )


def _longest_valid_iban(candidate: str) -> tuple[str, int] | None:
    """A pattern match may run into a following word written in capitals
    (``... 7654 32 CALL``); drop trailing groups until the IBAN checks."""
    groups = candidate.split(" ")
    for size in range(len(groups), 0, -1):
        text = " ".join(groups[:size])
        compact = iban.compact(text)
        if len(compact) >= 15 and iban.is_valid(compact):
            return compact, len(text)
    return None


def find_phones(text: str, region: str | None = None) -> Iterator[PaymentIdentifier]:
    """Numbers in international form; national ones need ``region``.

    Without a region phonenumbers only accepts numbers written with a
    leading ``+``, so texts without one skip its (costly) matcher."""
    if region is None and not INTERNATIONAL_PREFIX.search(text):
        return
    matcher = phonenumbers.PhoneNumberMatcher(
        text, region, leniency=phonenumbers.Leniency.VALID
    )
    for match in matcher:
        number = phonenumbers.format_number(
            match.number, phonenumbers.PhoneNumberFormat.E164
        )
        country = phonenumbers.region_code_for_number(match.number) or ""
        yield PaymentIdentifier(
            PaymentKind.PHONE, number, match.start, match.end, country
        )


def find_payment_identifiers(
    text: str, region: str | None = None
) -> list[PaymentIdentifier]:
    """Every validated identifier in ``text``, cards and IBANs before phones
    so a card number is never also reported as a phone number."""
    found = [*find_wallets(text), *find_cards(text), *find_ibans(text)]
    taken = [(item.start, item.end) for item in found]
    for phone in find_phones(text, region):
        if not any(start < phone.end and phone.start < end for start, end in taken):
            found.append(phone)
    return sorted(found, key=lambda item: item.start)
