"""A small hand-made watchlist whose every alias has a known class.

Ids carry a ``bt-`` prefix no other test uses: nomenklatura caches name
analysis by entity id for the whole process.
"""

from __future__ import annotations

import pytest
from followthemoney import EntityProxy, model

# id, schema, properties. Comments give the class each alias must get.
LISTED: list[tuple[str, str, dict[str, list[str]]]] = [
    (
        "bt-p1",
        "Person",
        {
            "name": ["FRANK KAKOLELE BWAMBALE", "فرانك كاكوليلي"],  # cross-script
            "firstName": ["FRANK KAKOLELE"],
            "alias": [
                "Frank Kakorere",  # variant
                "AIGLE BLANC",  # different, disjoint
                "Frank Kakolele-Bwambale",  # folds to the primary: skipped
            ],
            "birthDate": ["1961"],
            "nationality": ["cd"],
        },
    ),
    (
        "bt-p2",
        "Person",
        {
            "name": ["GASTON IYAMUREMYE"],
            "weakAlias": ["Gaston Iyamuremyi"],  # variant
            "alias": ["Victor Rumuri", "Abu Muhammad"],  # different; ambiguous
            "birthDate": ["1948-01-01"],
            "nationality": ["rw"],
        },
    ),
    (
        "bt-p3",
        "Person",
        {
            "name": ["ABU BAKR AL-BAGHDADI AL-HUSAYNI"],
            "alias": ["Abu Bakr al-Baghdadi", "Dr. Ibrahim"],  # variant; different
            "previousName": ["Ibrahim Awwad Ibrahim al-Badri"],  # different
            "birthDate": ["1971"],
            "nationality": ["iq"],
        },
    ),
    (
        "bt-p4",
        "Person",
        {
            "name": ["SHAMIL BASAEV", "Шамиль Басаев"],  # cross-script
            "alias": ["Abu Muhammad"],  # ambiguous with bt-p2
            "birthDate": ["1965-01-14"],
            "nationality": ["ru"],
        },
    ),
    ("bt-p5", "Person", {"name": ["ERIC BADEGE"], "birthDate": ["1971"]}),
    ("bt-p6", "Person", {"name": ["JAMES KOANG CHUOL"], "nationality": ["ss"]}),
    (
        "bt-o1",
        "Organization",
        {
            "name": ["RAHAT TRADING COMPANY LTD"],
            "alias": ["Rahat Tradeing Company Ltd", "Musa Kalim Hawala"],
            "country": ["af"],
        },
    ),
    (
        "bt-o2",
        "Organization",
        {
            "name": ["AL-SHABAAB"],
            "alias": ["Al Shabab", "Mujahideen Youth Movement"],
            "country": ["so"],
        },
    ),
    ("bt-o3", "Organization", {"name": ["HOUTHIS ANSARALLAH"], "country": ["ye"]}),
    ("bt-v1", "Vessel", {"name": ["GOLDEN PINE"]}),
]


def make(entity_id: str, schema: str, props: dict[str, list[str]]) -> EntityProxy:
    entity = model.make_entity(schema)
    entity.id = entity_id
    for prop, values in props.items():
        for value in values:
            entity.add(prop, value)
    return entity


@pytest.fixture
def listed() -> list[EntityProxy]:
    """A fresh copy per test, so a test that mutates one cannot leak."""
    return [make(*row) for row in LISTED]
