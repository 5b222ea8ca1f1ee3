"""The traveller view of a manifest: documents, flights and bookings land on
the person they belong to."""

from __future__ import annotations

from accord.travel.manifest import build_travellers
from accord.travel.paxlst import PaxlstReader
from accord.travel.pnrgov import PnrgovReader
from tests.travel.support import FIXTURES


def test_pnr_traveller_gets_documents_legs_in_order_and_booking() -> None:
    entities = list(PnrgovReader(FIXTURES / "gtas_pnrWithDoco.txt").read())
    (traveller,) = build_travellers(entities)
    assert traveller.caption == "CHARLES ACKARY"
    assert sorted(traveller.document_numbers()) == ["602120901", "8675309"]
    route = [(f.origin, f.destination) for f in traveller.itinerary()]
    assert route == [("WDH", "ADD"), ("ADD", "FRA"), ("FRA", "IAD")]
    (booking,) = traveller.bookings
    assert "payment:cash" in booking.get("keywords")


def test_each_paxlst_traveller_keeps_only_their_own_document() -> None:
    entities = list(PaxlstReader(FIXTURES / "manifest_watchlist.edi").read())
    travellers = build_travellers(entities)
    numbers = {t.caption.split()[-1]: t.document_numbers() for t in travellers}
    assert numbers == {
        "AL-ASIRI": ("F654645",),
        "PEREIRA": ("CB771203",),
        "OKONJO": ("A09182736",),
    }
    for traveller in travellers:
        assert [(f.origin, f.destination) for f in traveller.flights] == [
            ("IST", "DAM")
        ]
        assert traveller.bookings == []
