"""Facts out of OFAC's remarks, the free text that holds most of an entry.

The legacy CSV has no columns for birth dates, documents or nationalities:
OFAC writes them into the remarks as ``Label value`` clauses separated by
semicolons::

    DOB 10 Jan 1987; nationality China; Passport A123 (Iran) issued 01 Jan
    2000; alt. DOB circa 1960; a.k.a. 'BNC'; Digital Currency Address - XBT 1E...

The classic XML states the same labels as structure (``idType``, ``idNumber``,
``idCountry``). Both become a ``Fact`` here, so that ``ofac_party`` maps them
once. Clauses with no known label ("Linked To: ...", positions) are not
facts; the full remarks stay on the party's ``notes``.

Decisions:

* "alt." only says a value is an alternative; it is dropped.
* "circa" keeps the stated date (FtM has no approximation), as the UN reader
  does; "A to B" becomes every year in between (``mapping.year_span``).
* Quoted "a.k.a. 'X'" clauses are OFAC's *weak* aliases: the SDN list keeps
  low-quality names in the remarks and the good ones in ``alt.csv``.
* A document's trailing "(Country)" is split off only when it names a
  country: "D489833(9)" is one Hong Kong ID number, not a number and "9".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from followthemoney.types import registry

from accord.screening.lists.mapping import year_span

__all__ = [
    "ID_DOCUMENTS",
    "PASSPORTS",
    "REGISTRY_LABELS",
    "TAX_LABELS",
    "Fact",
    "ofac_date",
    "parse_dob",
    "parse_remarks",
]

MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun")
        + ("jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
PASSPORTS = frozenset({"Passport", "Diplomatic Passport"})
ID_DOCUMENTS = frozenset(
    {
        "National ID No.",
        "Cedula No.",
        "D.N.I.",
        "Identification Number",
        "C.U.R.P.",
        "SSN",
        "Personal ID Card",
        "National Foreign ID Number",
        "Residency Number",
        "Driver's License No.",
        "Birth Certificate Number",
        "Kenyan ID No.",
        "Citizen's Card Number",
        "Electoral Registry No.",
        "Credencial electoral",
        "Turkish Identification Number",
        "Travel Document Number",
    }
)
TAX_LABELS = (
    "Tax ID No.",
    "NIT #",
    "R.F.C.",
    "RFC",
    "RUC #",
    "RIF #",
    "C.U.I.T.",
    "US FEIN",
    "Italian Fiscal Code",
)
REGISTRY_LABELS = (
    "Registration ID",
    "Registration Number",
    "Company Number",
    "UK Company Number",
    "Commercial Registry Number",
    "Business Registration Number",
    "Business Registration Document #",
    "Folio Mercantil No.",
    "Matricula Mercantil No",
    "C.R. No.",
    "Government Gazette Number",
    "Public Registration Number",
    "Unified Social Credit Code (USCC)",
    "Chamber of Commerce Number",
    "Certificate of Incorporation Number",
)
# Labels whose value is structured (number, country, dates), longest first so
# that "Passport" does not shadow "Diplomatic Passport" and so on.
LABELS = sorted(
    (
        *PASSPORTS,
        *ID_DOCUMENTS,
        *TAX_LABELS,
        *REGISTRY_LABELS,
        "DOB",
        "POB",
        "nationality",
        "citizen",
        "Gender",
        "Email Address",
        "Website",
        "Telephone",
        "Phone Number",
        "SWIFT/BIC",
        "V.A.T. Number",
        "Legal Entity Number",
        "D-U-N-S Number",
        "Trade License No.",
        "Vessel Registration Identification",
        "MMSI",
        "Other Vessel Call Sign",
        "Former Vessel Flag",
        "Other Vessel Flag",
        "Vessel Year of Build",
        "Aircraft Model",
        "Aircraft Manufacturer's Serial Number (MSN)",
        "Aircraft Tail Number",
        "Aircraft Manufacture Date",
        "Organization Established Date",
        "Nationality of Registration",
        "Additional Sanctions Information -",
        "Secondary sanctions risk:",
    ),
    key=len,
    reverse=True,
)
_ALT = re.compile(r"^alt\.\s+", re.IGNORECASE)
_ALIAS = re.compile(r"^(?:a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+'(?P<name>.+)'$")
_WALLET = re.compile(r"^Digital Currency Address - (?P<cur>\w+)\s+(?P<addr>\S+)$")
_LISTING = re.compile(r"^(?P<kind>Listing|Effective) Date \([^)]*\):?\s+(?P<date>.+)$")
_TRAILER = re.compile(r"\s*\b(?:issued|expires)\b")
_ISSUED = re.compile(r"\bissued\s+([0-9]{1,2} \w{3} [0-9]{4}|\w{3} [0-9]{4}|[0-9]{4})")
_EXPIRES = re.compile(
    r"\bexpires\s+([0-9]{1,2} \w{3} [0-9]{4}|\w{3} [0-9]{4}|[0-9]{4})"
)
_COUNTRY_TAIL = re.compile(r"(?P<head>.*?)\s*\((?P<country>[^()]*)\)")
_DATE = re.compile(
    r"(?:(?P<day>[0-9]{1,2}) )?(?:(?P<month>[A-Za-z]{3})[a-z]* )?(?P<year>[0-9]{4})"
)


@dataclass(frozen=True, slots=True)
class Fact:
    """One labelled statement about a listed party.

    ``label`` is OFAC's own ("Passport", "DOB", "Digital Currency Address -
    XBT", "a.k.a."), so both formats and any future label map in one table.
    """

    label: str
    value: str
    country: str | None = None
    issued: str | None = None
    expires: str | None = None


def parse_remarks(text: str | None) -> list[Fact]:
    """The facts stated in one remarks field, in the order written."""
    facts: list[Fact] = []
    for clause in _clauses(text or ""):
        fact = _fact(_clean(clause))
        if fact is not None:
            facts.append(fact)
    return facts


def _clauses(text: str) -> list[str]:
    """Split at semicolons outside parentheses.

    OFAC sometimes quotes a whole record in parentheses ("(Following data
    derived from an Eritrean passport ...: Passport No.: 0310857, Eritrea;
    ...)"); that is prose about the entry, not more "Label value" clauses.
    A parenthesis never closed falls back to plain clauses, so a typo cannot
    swallow the rest of the remarks.
    """
    clauses: list[str] = []
    pending: list[str] = []
    depth = 0
    for piece in text.split(";"):
        pending.append(piece)
        depth += piece.count("(") - piece.count(")")
        if depth <= 0:
            clauses.append(";".join(pending))
            pending, depth = [], 0
    return clauses + pending


def _clean(clause: str) -> str:
    text = " ".join(clause.split())
    return _ALT.sub("", text.removesuffix("."))


def _fact(clause: str) -> Fact | None:
    """The fact in one clause, or None for prose."""
    special = _ALIAS.match(clause) or _WALLET.match(clause) or _LISTING.match(clause)
    if special is not None:
        return _special(special)
    for label in LABELS:
        if clause.startswith(label) and clause[len(label) : len(label) + 1] in " :":
            value = clause[len(label) :].lstrip(" :")
            return document_fact(label, value) if value else None
    return None


def _special(match: re.Match[str]) -> Fact:
    groups = match.groupdict()
    if "name" in groups:
        return Fact("a.k.a.", groups["name"])
    if "cur" in groups:
        return Fact(f"Digital Currency Address - {groups['cur']}", groups["addr"])
    return Fact(f"{groups['kind']} Date", groups["date"])


def document_fact(label: str, value: str) -> Fact | None:
    """Split a document value into number, issuing country and dates.

    "A123 (Iran) issued 01 Jan 2000 expires 31 Dec 2009" gives the number
    "A123", the country "Iran" and both dates. A value that is only dates
    ("issued 21 Jun 1992 in Amman") has no number and is no fact.
    """
    if label in ("DOB", "POB", "nationality", "citizen", "Gender"):
        return Fact(label, value)
    trailer = _TRAILER.search(value)
    head = value[: trailer.start()] if trailer else value
    issued, expires = _ISSUED.search(value), _EXPIRES.search(value)
    number, country = head.strip(), None
    tail = _COUNTRY_TAIL.fullmatch(number)
    if tail is not None and registry.country.clean(tail["country"]) is not None:
        number, country = tail["head"], tail["country"]
    if not number:
        return None
    return Fact(
        label,
        number,
        country=country,
        issued=ofac_date(issued.group(1)) if issued else None,
        expires=ofac_date(expires.group(1)) if expires else None,
    )


def ofac_date(value: str) -> str | None:
    """An ISO date prefix from OFAC's "10 Jan 1987", "Jan 1987" or "1987"."""
    match = _DATE.fullmatch(value.strip())
    if match is None:
        return None
    year, month, day = match["year"], match["month"], match["day"]
    if month is None:
        return year if day is None else None
    number = MONTHS.get(month.lower())
    if number is None:
        return None
    text = f"{year}-{number:02d}" + (f"-{int(day):02d}" if day else "")
    return registry.date.clean(text)


def parse_dob(value: str) -> list[str]:
    """Birth dates from one DOB value: a date, "circa" a date, or "A to B"."""
    text = value.strip()
    text = text.removeprefix("circa").strip()
    if " to " in text:
        first, _, last = text.partition(" to ")
        start, end = ofac_date(first), ofac_date(last.removeprefix("circa").strip())
        if start is not None and end is not None:
            return year_span(start, end)
        return [date for date in (start, end) if date is not None]
    date = ofac_date(text)
    return [date] if date is not None else []
