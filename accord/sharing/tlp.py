"""TLP 2.0 as STIX 2.1 marking definitions, and as MISP tags.

STIX 2.1 predefines only TLP 1.0. TLP 2.0 is the OASIS extension in
cti-stix-common-objects (``extension-definitions/tlp-2.0``): five marking
definitions with fixed ids and a fixed ``created`` time, each naming its
level through the extension ``extension-definition--60a3c5c5-...``. The ids
below are the published ones; a bundle that invented its own would mean
nothing to a receiver. TLP 1.0 ids are read on import (WHITE is CLEAR).
"""

from __future__ import annotations

from typing import Any

from accord.model.marking import Tlp

TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_CREATED = "2022-10-01T00:00:00.000Z"

TLP2_IDS: dict[Tlp, str] = {
    Tlp.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    Tlp.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    Tlp.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    Tlp.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    Tlp.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}

TLP1_IDS: dict[str, Tlp] = {
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": Tlp.CLEAR,
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": Tlp.GREEN,
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": Tlp.AMBER,
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": Tlp.RED,
}

LEVEL_BY_ID: dict[str, Tlp] = {
    **TLP1_IDS,
    **{marking_id: tlp for tlp, marking_id in TLP2_IDS.items()},
}


def marking_definition(tlp: Tlp) -> dict[str, Any]:
    """The published TLP 2.0 marking-definition object for ``tlp``."""
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": TLP2_IDS[tlp],
        "created": TLP2_CREATED,
        "name": tlp.label,
        "extensions": {
            TLP2_EXTENSION: {
                "extension_type": "property-extension",
                "tlp_2_0": tlp.value,
            }
        },
    }


def level_of_refs(refs: list[str]) -> Tlp | None:
    """The strictest TLP level among marking refs, or None if none is TLP."""
    levels = [LEVEL_BY_ID[ref] for ref in refs if ref in LEVEL_BY_ID]
    return max(levels, key=lambda t: t.rank) if levels else None


def misp_tag(tlp: Tlp) -> str:
    """The MISP ``tlp`` taxonomy tag, e.g. ``tlp:amber+strict``."""
    return f"tlp:{tlp.value}"


def level_of_tags(tags: list[str]) -> Tlp | None:
    """The strictest TLP level among MISP tags (``tlp:white`` is CLEAR)."""
    levels = []
    for tag in tags:
        name = tag.strip().lower()
        if not name.startswith("tlp:"):
            continue
        value = name.removeprefix("tlp:")
        if value == "white":
            levels.append(Tlp.CLEAR)
        elif value in {t.value for t in Tlp}:
            levels.append(Tlp(value))
    return max(levels, key=lambda t: t.rank) if levels else None
