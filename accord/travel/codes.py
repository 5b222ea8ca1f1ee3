"""Issuing-state and nationality codes, as travel documents and messages write them.

ICAO Doc 9303 (Part 3) uses ISO 3166-1 alpha-3 codes plus a few of its own:
``D`` for Germany, five British variants (``GBD``...``GBS``), ``EUE`` for the
European Union, the ``UN*`` and ``X*`` codes for organisations, refugees and
stateless persons, and ``UTO`` for the fictional Utopia of its specimens.
PAXLST and PNRGOV messages use the same alpha-3 codes, and SSR DOCS often the
alpha-2 ones. FtM stores countries as lower-case alpha-2, so everything ends
up there; codes for organisations and statuses have no country and map to
``None`` while still counting as *known*, which is what the "unknown state
code" warning needs.
"""

from __future__ import annotations

from followthemoney.types import registry

__all__ = ["SPECIMEN_STATES", "country_code", "is_known_state", "state_warning"]

# ICAO codes that are not ISO 3166-1 alpha-3, with the FtM country they mean.
ICAO_SPECIAL: dict[str, str | None] = {
    "D": "de",
    "GBD": "gb",  # British Overseas Territories citizen
    "GBN": "gb",  # British National (Overseas)
    "GBO": "gb",  # British Overseas citizen
    "GBP": "gb",  # British protected person
    "GBS": "gb",  # British subject
    "EUE": "eu",
    "RKS": "xk",  # Kosovo, as issued by Kosovo
    "UNK": "xk",  # Kosovo, as issued by UNMIK
    "UNO": None,  # United Nations Organization
    "UNA": None,  # specialised agency of the UN
    "XBA": None,  # African Development Bank
    "XIM": None,  # African Export-Import Bank
    "XCC": None,  # Caribbean Community
    "XCE": None,  # Council of Europe
    "XCO": None,  # Common Market for Eastern and Southern Africa
    "XEC": None,  # Economic Community of West African States
    "XPO": None,  # Interpol
    "XES": None,  # Organisation of Eastern Caribbean States
    "XMP": None,  # Parliamentary Assembly of the Mediterranean
    "XOM": None,  # Sovereign Military Order of Malta
    "XDC": None,  # Southern African Development Community
    "XXA": None,  # stateless person
    "XXB": None,  # refugee (1951 Convention)
    "XXC": None,  # refugee (other)
    "XXX": None,  # unspecified nationality
}

# Codes that only appear on specimens; a real document bearing one is a fake.
SPECIMEN_STATES = frozenset({"UTO"})

_CACHE: dict[str, tuple[bool, str | None]] = {}


def _lookup(code: str) -> tuple[bool, str | None]:
    """(known, FtM country) for a code, memoised: MRZ parsing calls this hot."""
    hit = _CACHE.get(code)
    if hit is None:
        key = code.strip().upper()
        if key in ICAO_SPECIAL:
            hit = (True, ICAO_SPECIAL[key])
        elif len(key) in (2, 3) and key.isalpha():
            country = registry.country.clean_text(key)
            hit = (country is not None, country)
        else:
            hit = (False, None)
        if len(_CACHE) < 4096:  # bounded: fuzzed input must not grow it forever
            _CACHE[code] = hit
    return hit


def is_known_state(code: str) -> bool:
    """Whether ICAO or ISO knows the code (``UTO`` and ``XXX`` included)."""
    return code in SPECIMEN_STATES or _lookup(code)[0]


def country_code(code: str | None) -> str | None:
    """The FtM country (lower-case ISO alpha-2) for an ICAO/ISO code, if any."""
    if not code:
        return None
    return _lookup(code)[1]


_WARNINGS: dict[str, str | None] = {}


def state_warning(code: str) -> str | None:
    """``"specimen_state"``, ``"unknown_state"`` or ``None``; memoised for MRZs."""
    try:
        return _WARNINGS[code]
    except KeyError:
        pass
    warning = None
    if code in SPECIMEN_STATES:
        warning = "specimen_state"
    elif not _lookup(code)[0]:
        warning = "unknown_state"
    if len(_WARNINGS) < 4096:
        _WARNINGS[code] = warning
    return warning
