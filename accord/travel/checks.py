"""Lost and stolen travel documents: an SLTD-style hit/no-hit lookup.

INTERPOL's SLTD answers one question at the border: is this document, from
this issuing state, reported lost, stolen or revoked, and by whom? The hit
rate is about one in ten thousand queries, so the lookup must cost nothing
and must never miss: numbers are compared after normalisation (upper case,
letters and digits only, so ``"X 12-34<"`` finds ``"X1234"``) and countries
after mapping ICAO, alpha-3 and alpha-2 codes to one FtM country.

A hit is not a verdict. SLTD requires the border to confirm it with the
reporting country before acting, so a hit carries the reporting dataset (the
agency that owns it) and the entity id to ask about.

The index is pure: it is built from FtM ``Passport``/``Identification``
entities handed to it, does no I/O, and holds one dict.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from followthemoney import EntityProxy

from accord.errors import InvalidData
from accord.travel.codes import country_code

__all__ = [
    "DocumentHit",
    "DocumentIndex",
    "DocumentStatus",
    "document_status",
    "normalize_number",
]


class DocumentStatus(StrEnum):
    """SLTD's statuses, plus ``listed`` for a list that states none."""

    STOLEN_BLANK = "stolen_blank"
    STOLEN = "stolen"
    LOST = "lost"
    REVOKED = "revoked"
    INVALID = "invalid"
    LISTED = "listed"


# Words in a document's text properties that state its status; checked in
# this order, so "stolen blank" wins over "stolen".
_STATUS_WORDS = (
    ("blank", DocumentStatus.STOLEN_BLANK),
    ("stolen", DocumentStatus.STOLEN),
    ("lost", DocumentStatus.LOST),
    ("revoked", DocumentStatus.REVOKED),
    ("cancelled", DocumentStatus.REVOKED),
    ("invalid", DocumentStatus.INVALID),
)
_STATUS_PROPERTIES = ("status", "summary", "type", "description", "keywords")


@dataclass(frozen=True, slots=True)
class DocumentHit:
    """A listed document: what it is, who reported it, and its status.

    ``country`` is the FtM country of the issuing state (``None`` when the
    list gives none, in which case the number alone matched).
    """

    number: str
    country: str | None
    status: DocumentStatus
    dataset: str
    entity_id: str
    schema: str


def normalize_number(number: str) -> str:
    """Upper case, letters and digits only: the form numbers are compared in."""
    return "".join(char for char in number.upper() if char.isalnum())


class DocumentIndex:
    """Lost, stolen and revoked documents keyed by (country, number).

    Build it with ``add`` or ``from_entities``; ask it with ``check`` (the
    first hit, or ``None``) or ``hits`` (every dataset that reports the
    document). Both are one dict lookup per key tried.
    """

    def __init__(self) -> None:
        self._hits: dict[tuple[str, str], list[DocumentHit]] = {}

    @classmethod
    def from_entities(
        cls,
        entities: Iterable[EntityProxy],
        dataset: str | None = None,
        status: DocumentStatus | str | None = None,
    ) -> DocumentIndex:
        """An index of every document among ``entities``; other schemata are skipped."""
        index = cls()
        for entity in entities:
            index.add(entity, dataset=dataset, status=status)
        return index

    def __len__(self) -> int:
        return sum(len(hits) for hits in self._hits.values())

    def add(
        self,
        entity: EntityProxy,
        *,
        dataset: str | None = None,
        status: DocumentStatus | str | None = None,
    ) -> int:
        """Index one document entity; returns how many numbers it added.

        ``dataset`` names the reporting source; it defaults to the entity's
        own datasets (a ``StatementEntity`` from the store). ``status``
        overrides what the entity's text properties say.
        """
        if not entity.schema.is_a("Identification"):
            return 0
        source = dataset or _dataset_of(entity)
        state = DocumentStatus(status) if status else document_status(entity)
        countries: list[str | None] = [
            country_code(c) or c.lower() for c in entity.get("country")
        ]
        added = 0
        for number in entity.get("number") + entity.get("passportNumber", quiet=True):
            for country in countries or [None]:
                hit = DocumentHit(
                    number, country, state, source, str(entity.id), entity.schema.name
                )
                added += self.add_hit(hit)
        return added

    def add_hit(self, hit: DocumentHit) -> int:
        """Index one listing as it is; 0 when its number has no letters or digits.

        ``country`` must already be an FtM country (or ``None``); bulk loaders
        that hold plain records use this instead of building entities.
        """
        key_number = normalize_number(hit.number)
        if not key_number:
            return 0
        self._hits.setdefault((hit.country or "", key_number), []).append(hit)
        return 1

    def hits(self, number: str, country: str | None) -> tuple[DocumentHit, ...]:
        """Every listing of this document, from every reporting dataset.

        ``country`` may be an ICAO code (``"D"``, ``"GBR"``), ISO alpha-3 or
        alpha-2. Listings without a country match on the number alone.
        """
        key_number = normalize_number(number)
        if not key_number:
            return ()
        found: list[DocumentHit] = []
        if country:
            key_country = country_code(country) or country.strip().lower()
            found.extend(self._hits.get((key_country, key_number), ()))
        found.extend(self._hits.get(("", key_number), ()))
        return tuple(found)

    def check(self, number: str, country: str | None) -> DocumentHit | None:
        """The SLTD answer: the first listing of this document, or ``None``."""
        found = self.hits(number, country)
        return found[0] if found else None


def _dataset_of(entity: EntityProxy) -> str:
    datasets = sorted(getattr(entity, "datasets", ()) or ())
    if not datasets:
        raise InvalidData(
            f"document {entity.id}: no reporting dataset; pass dataset=",
            {"dataset": "required for entities that do not carry their datasets"},
        )
    return str(datasets[0])


def document_status(entity: EntityProxy) -> DocumentStatus:
    """What a document entity's own text says it is; ``LISTED`` when silent."""
    texts: list[str] = []
    for name in _STATUS_PROPERTIES:
        if name in entity.schema.properties:
            texts.extend(value.lower() for value in entity.get(name))
    for word, status in _STATUS_WORDS:
        if any(word in text for text in texts):
            return status
    return DocumentStatus.LISTED
