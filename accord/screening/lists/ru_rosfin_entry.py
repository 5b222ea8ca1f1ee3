"""One entry of Rosfinmonitoring's list, from its text to its parts.

Persons are written ``NAME*, (ALIAS; ALIAS), DD.MM.YYYY г.р. , PLACE`` and
organisations ``NAME (ALIAS), ИНН: ..., ОГРН: ...``; every part but the name
is optional. The two are parsed differently, the way OpenSanctions'
``ru_fedsfm_terror`` crawler does:

* a person's name is everything before the first comma or parenthesis (a
  Russian name has neither), then parenthesised aliases, then comma-separated
  fragments: a birth date ("01.02.1980 г.р.", also "г. р." and year-only)
  or, otherwise, a piece of the birth place;
* an organisation's name may itself contain commas and quotes, so the known
  fragments (ИНН, ОГРН, a date) are peeled off from the *right* and what is
  left is the name, whose trailing parentheses are its aliases.

"*" after a name marks a person under criminal prosecution; it is kept as a
flag, never as part of the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from followthemoney.types import registry

__all__ = ["Entry", "parse_entry"]

_BIRTH = re.compile(r"(?:([0-9]{1,2})\.([0-9]{1,2})\.)?([0-9]{4})\s*(?:г\.?\s*р\.?)?")
_INN = re.compile(r"ИНН\s*:?\s*([0-9]+)")
_OGRN = re.compile(r"ОГРН\s*:?\s*([0-9]+)")
_HEAD = re.compile(r"[^,(]*")


@dataclass
class Entry:
    """What one entry states."""

    name: str | None = None
    starred: bool = False
    aliases: list[str] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    place: str | None = None
    dates: list[str] = field(default_factory=list)
    inn: str | None = None
    ogrn: str | None = None
    notes: list[str] = field(default_factory=list)


def parse_entry(body: str, person: bool) -> Entry:
    """The parts of an entry's text, its number and final ";" removed."""
    return _person(body) if person else _organisation(body)


def _date(text: str) -> str | None:
    """An ISO date from "DD.MM.YYYY" (with or without "г.р."), or a year."""
    match = _BIRTH.fullmatch(text.strip())
    if match is None:
        return None
    day, month, year = match.groups()
    if day is None or month is None:
        return year
    return registry.date.clean(f"{year}-{int(month):02d}-{int(day):02d}")


def _name(text: str) -> tuple[str | None, bool]:
    """The name without its "*", and whether it had one."""
    starred = "*" in text
    name = " ".join(text.replace("*", " ").split())
    return name or None, starred


def _split_aliases(text: str) -> list[str]:
    return [alias.strip() for alias in text.split(";") if alias.strip()]


def _person(body: str) -> Entry:
    head = _HEAD.match(body)
    raw_name = head.group(0) if head else ""
    name, starred = _name(raw_name)
    entry = Entry(name=name, starred=starred)
    rest = body[len(raw_name) :]
    while rest.lstrip(" ,*").startswith("("):
        rest = rest.lstrip(" ,*")
        close = rest.find(")")
        close = len(rest) if close < 0 else close
        entry.aliases.extend(_split_aliases(rest[1:close]))
        rest = rest[close + 1 :]
    places: list[str] = []
    for fragment in (part.strip(" *") for part in rest.split(",")):
        if not fragment:
            continue
        date = _date(fragment)
        if date is not None:
            entry.birth_dates.append(date)
        else:
            places.append(fragment)
    entry.place = ", ".join(places) or None
    return entry


def _organisation(body: str) -> Entry:
    entry = Entry()
    text = body.strip()
    while "," in text:
        left, fragment = text.rsplit(",", 1)
        fragment = fragment.strip()
        if not _take(entry, fragment):
            break
        text = left.strip()
    while text.endswith(")") and "(" in text:
        start = text.rfind("(")
        entry.aliases[:0] = _split_aliases(text[start + 1 : -1])
        text = text[:start].rstrip(" ,")
    entry.name, entry.starred = _name(text)
    return entry


def _take(entry: Entry, fragment: str) -> bool:
    """Record a known trailing fragment of an organisation; False if unknown."""
    if not fragment:
        return True
    if (inn := _INN.fullmatch(fragment)) is not None:
        entry.inn = inn.group(1)
    elif (ogrn := _OGRN.fullmatch(fragment)) is not None:
        entry.ogrn = ogrn.group(1)
    elif (date := _date(fragment)) is not None and "." in fragment:
        entry.dates.append(date)
    else:
        return False
    return True
