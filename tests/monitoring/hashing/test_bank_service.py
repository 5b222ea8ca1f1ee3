"""Banks through the service: import/export, negative banks, quarantine, feedback."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from accord.errors import InvalidData, NotFound
from accord.monitoring.hashing import bank as bank_module
from accord.monitoring.hashing.bank import BankKind
from accord.monitoring.hashing.formats import BankFileFormat, ImportDefaults
from accord.monitoring.hashing.matcher import MatchStatus
from accord.monitoring.hashing.pdq import hex_to_lanes, lanes_to_hex
from accord.monitoring.hashing.results import NewBank
from accord.monitoring.hashing.service import HashBanks
from accord.monitoring.hashing.state import QuarantinePolicy, Verdict
from accord.store import Actor
from tests.monitoring.hashing.trail import ACTOR

H1 = "f8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22"
H2 = "98736629670cc19fc9f23862f66cce1f599e32c78e236c78619d202e9e66c157"
TEXT = (
    "The committee will meet on Tuesday at the town hall to discuss the new "
    "bridge, the budget for the library and the summer festival programme."
)


def near(hex_value: str, bits: int) -> str:
    """The hash with its first ``bits`` bits flipped."""
    lanes = hex_to_lanes([hex_value])
    for bit in range(bits):
        lanes[0, bit // 64] ^= np.uint64(1) << np.uint64(63 - bit % 64)
    return lanes_to_hex(lanes)[0]


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text("hash,source,agency,added,label\n" + "\n".join(rows) + "\n")
    return path


def test_import_export_round_trip_keeps_provenance(
    banks: HashBanks, tmp_path: Path, defaults: ImportDefaults
) -> None:
    banks.create(ACTOR, NewBank("gifct", BankKind.PDQ))
    source = write_csv(
        tmp_path / "in.csv",
        [f"{H1},hsdb,gifct,2026-01-02,IS/Amaq", f"{H2},tcap,tat,2026-02-03,"],
    )
    result = banks.import_file(ACTOR, "gifct", source, defaults)
    assert (result.read, result.added) == (2, 2)
    for fmt in (BankFileFormat.CSV, BankFileFormat.JSONL, BankFileFormat.TE):
        out = tmp_path / f"out.{fmt.value}"
        assert banks.export(ACTOR, "gifct", out, fmt) == 2
        banks.create(ACTOR, NewBank(f"copy-{fmt.value}", BankKind.PDQ))
        banks.import_file(ACTOR, f"copy-{fmt.value}", out, defaults, fmt)
        copy = banks.get(ACTOR, f"copy-{fmt.value}")
        assert [copy.key(r) for r in range(2)] == [H1, H2]
        if fmt is not BankFileFormat.TE:
            assert copy.provenance(0).to_dict() == {
                "source": "hsdb",
                "agency": "gifct",
                "added": "2026-01-02",
                "label": "IS/Amaq",
            }
            assert copy.provenance(1).label == ""
    te_copy = banks.get(ACTOR, "copy-te")
    assert te_copy.provenance(0).label == "IS/Amaq"
    assert te_copy.provenance(0).source == defaults.source


def test_reimport_is_a_noop(
    banks: HashBanks, tmp_path: Path, defaults: ImportDefaults
) -> None:
    banks.create(ACTOR, NewBank("gifct", BankKind.PDQ))
    source = write_csv(
        tmp_path / "in.csv", [f"{H1},a,b,2026-01-02,x", f"{H1},a,b,2026-01-02,x"]
    )
    assert banks.import_file(ACTOR, "gifct", source, defaults).added == 1
    manifest = tmp_path / "hashbanks" / "gifct" / "bank.json"
    before = manifest.read_bytes(), sorted(p.name for p in manifest.parent.iterdir())
    again = banks.import_file(ACTOR, "gifct", source, defaults)
    assert (again.read, again.added, again.skipped) == (2, 0, 2)
    assert (
        manifest.read_bytes(),
        sorted(p.name for p in manifest.parent.iterdir()),
    ) == before


def test_first_provenance_wins(banks: HashBanks, defaults: ImportDefaults) -> None:
    banks.create(ACTOR, NewBank("gifct", BankKind.PDQ))
    banks.add(ACTOR, "gifct", [H1], defaults)
    later = ImportDefaults("other", "bravo", "2026-12-01", "late")
    assert banks.add(ACTOR, "gifct", [H1, H2], later) == 1
    bank = banks.get(ACTOR, "gifct")
    assert bank.provenance(0).agency == "alpha"
    assert bank.provenance(1).agency == "bravo"


def test_match_reports_distance_and_provenance(
    banks: HashBanks, defaults: ImportDefaults
) -> None:
    banks.create(ACTOR, NewBank("gifct", BankKind.PDQ, threshold=20))
    banks.add(ACTOR, "gifct", [H1], ImportDefaults("hsdb", "gifct", "2026-01-02", "IS"))
    close, far = banks.match_hashes(ACTOR, [near(H1, 12), near(H1, 21)])
    assert far == []
    (match,) = close
    assert (match.key, match.distance, match.status) == (H1, 12, MatchStatus.ACTIVE)
    assert match.provenance.label == "IS"
    assert match.score == pytest.approx(1 - 0.5 * 12 / 20)


def test_negative_bank_suppresses_matches(
    banks: HashBanks, defaults: ImportDefaults
) -> None:
    banks.create(ACTOR, NewBank("gifct", BankKind.PDQ))
    banks.create(ACTOR, NewBank("benign", BankKind.PDQ, negative=True, threshold=8))
    banks.add(ACTOR, "gifct", [H1, H2], defaults)
    banks.add(ACTOR, "benign", [near(H1, 3)], defaults)
    first, second = banks.match_hashes(ACTOR, [H1, H2])
    assert [m.status for m in first] == [MatchStatus.SUPPRESSED]
    assert "negative bank 'benign'" in first[0].reason
    assert [m.status for m in second] == [MatchStatus.ACTIVE]
    (only,) = banks.match_hashes(ACTOR, [H1], bank="gifct")
    assert only[0].status is MatchStatus.SUPPRESSED


def test_quarantine_and_release(banks: HashBanks, defaults: ImportDefaults) -> None:
    banks.create(ACTOR, NewBank("gifct", BankKind.PDQ))
    banks.add(ACTOR, "gifct", [H1], defaults)
    banks.quarantine(ACTOR, "gifct", H1.upper(), reason="stock photo")
    (found,) = banks.match_hashes(ACTOR, [H1])
    assert found[0].status is MatchStatus.QUARANTINED
    assert found[0].reason == "stock photo"
    banks.release(ACTOR, "gifct", H1)
    assert banks.match_hashes(ACTOR, [H1])[0][0].status is MatchStatus.ACTIVE
    with pytest.raises(InvalidData, match="not quarantined"):
        banks.release(ACTOR, "gifct", H1)
    with pytest.raises(NotFound):
        banks.quarantine(ACTOR, "gifct", H2, reason="")


def test_flood_guard_quarantines_a_hash_that_matches_too_often(
    banks: HashBanks, defaults: ImportDefaults, clock: object
) -> None:
    banks.create(
        ACTOR, NewBank("gifct", BankKind.PDQ, policy=QuarantinePolicy(60, 3, 3))
    )
    banks.add(ACTOR, "gifct", [H1], defaults)
    statuses = [banks.match_hashes(ACTOR, [H1])[0][0].status for _ in range(3)]
    assert statuses == [MatchStatus.ACTIVE] * 3
    clock.advance(61)  # type: ignore[attr-defined]
    assert banks.match_hashes(ACTOR, [H1])[0][0].status is MatchStatus.ACTIVE
    batch = banks.match_hashes(ACTOR, [H1, H1, H1])
    assert [found[0].status for found in batch] == [
        MatchStatus.ACTIVE,
        MatchStatus.ACTIVE,
        MatchStatus.QUARANTINED,
    ]
    assert banks.get(ACTOR, "gifct").state.quarantined[H1].by == "flood-guard"
    banks.release(ACTOR, "gifct", H1)
    assert banks.match_hashes(ACTOR, [H1])[0][0].status is MatchStatus.ACTIVE


def test_dismissals_quarantine_and_feedback_is_recorded(
    banks: HashBanks, defaults: ImportDefaults
) -> None:
    banks.create(
        ACTOR, NewBank("gifct", BankKind.PDQ, policy=QuarantinePolicy(3600, 100, 2))
    )
    banks.add(ACTOR, "gifct", [H1], defaults)
    assert not banks.feedback(ACTOR, "gifct", H1, Verdict.CONFIRM, subject="m1")
    assert not banks.feedback(
        Actor("bob", "alpha"), "gifct", H1, Verdict.DISMISS, note="flag"
    )
    assert banks.feedback(Actor("cy", "alpha"), "gifct", H1, Verdict.DISMISS)
    state = banks.get(ACTOR, "gifct").state
    assert state.tally(H1) == (1, 2)
    assert [(f.actor, f.verdict, f.subject) for f in state.feedback] == [
        ("ana", Verdict.CONFIRM, "m1"),
        ("bob", Verdict.DISMISS, ""),
        ("cy", Verdict.DISMISS, ""),
    ]
    assert "dismissed 2 times" in state.quarantined[H1].reason


def test_text_bank_matches_near_duplicates_and_stores_no_text(
    banks: HashBanks, tmp_path: Path, defaults: ImportDefaults
) -> None:
    banks.create(ACTOR, NewBank("statements", BankKind.TEXT, threshold=0.5))
    source = tmp_path / "texts.jsonl"
    source.write_text(json.dumps({"text": TEXT, "label": "notice"}) + "\n")
    assert banks.import_file(ACTOR, "statements", source, defaults).added == 1
    found = banks.match_texts(
        ACTOR, [TEXT.upper() + " !!", "Completely different words about rain."]
    )
    assert found[0][0].similarity is not None and found[0][0].similarity > 0.9
    assert found[0][0].provenance.label == "notice"
    assert found[1] == []
    out = tmp_path / "out.csv"
    banks.export(ACTOR, "statements", out, BankFileFormat.CSV)
    exported = out.read_text()
    assert "committee" not in exported.lower()
    banks.create(ACTOR, NewBank("copy", BankKind.TEXT))
    assert banks.import_file(ACTOR, "copy", out, defaults).added == 1
    assert banks.match_texts(ACTOR, [TEXT], bank="copy")[0][0].similarity == 1.0


def test_bad_bank_settings_are_refused(banks: HashBanks) -> None:
    with pytest.raises(InvalidData):
        banks.create(ACTOR, NewBank("Bad Name", BankKind.PDQ))
    with pytest.raises(InvalidData):
        banks.create(ACTOR, NewBank("t", BankKind.TEXT, threshold=2))
    with pytest.raises(InvalidData):
        banks.create(ACTOR, NewBank("p", BankKind.PDQ, threshold=31.5))
    banks.create(ACTOR, NewBank("p", BankKind.PDQ))
    with pytest.raises(InvalidData, match="exists"):
        banks.create(ACTOR, NewBank("p", BankKind.PDQ))
    with pytest.raises(NotFound, match="banks: p"):
        banks.get(ACTOR, "nope")


def test_dihedral_matching_finds_a_rotated_image(
    banks: HashBanks, defaults: ImportDefaults, fixture_dir: Path, tmp_path: Path
) -> None:
    rotated = tmp_path / "rotated.png"
    with Image.open(fixture_dir / "bridge-shrink-a-lot.jpg") as image:
        image.rotate(90, expand=True).save(rotated)
    banks.create(
        ACTOR, NewBank("gifct", BankKind.PDQ, policy=QuarantinePolicy(3600, 1, 3))
    )
    banks.add(ACTOR, "gifct", [H1], defaults)
    (plain,) = banks.match_images(ACTOR, [rotated])
    assert plain.matches == []
    # Eight variants, one bank hash: counted once, so the flood limit of 1
    # match is not reached.
    (turned,) = banks.match_images(ACTOR, [rotated], dihedral=True)
    (match,) = turned.matches
    assert match.key == H1 and match.distance is not None and match.distance <= 31
    assert match.status is MatchStatus.ACTIVE


def test_old_match_times_are_forgotten(
    banks: HashBanks, defaults: ImportDefaults, clock: object
) -> None:
    banks.create(
        ACTOR, NewBank("gifct", BankKind.PDQ, policy=QuarantinePolicy(60, 10, 3))
    )
    banks.add(ACTOR, "gifct", [H1, H2], defaults)
    banks.match_hashes(ACTOR, [H1])
    clock.advance(30)  # type: ignore[attr-defined]
    banks.match_hashes(ACTOR, [H2])
    assert set(banks.get(ACTOR, "gifct").state.recent) == {H1, H2}
    clock.advance(45)  # type: ignore[attr-defined]
    banks.match_hashes(ACTOR, [H2])
    assert list(banks.get(ACTOR, "gifct").state.recent) == [H2]
    assert len(banks.get(ACTOR, "gifct").state.recent[H2]) == 2


def test_a_match_does_not_overwrite_concurrent_feedback(
    banks: HashBanks, defaults: ImportDefaults
) -> None:
    banks.create(ACTOR, NewBank("gifct", BankKind.PDQ))
    banks.add(ACTOR, "gifct", [H1, H2], defaults)
    other_analyst = HashBanks(banks.storage, banks.audit, banks.clock)
    matcher = banks._matcher(
        None, BankKind.PDQ
    )  # a match in progress, with its own copy
    matcher.match_pdq([H1])
    other_analyst.feedback(Actor("bob", "alpha"), "gifct", H2, Verdict.DISMISS)
    other_analyst.quarantine(Actor("bob", "alpha"), "gifct", H2, reason="meme")
    banks._persist(matcher)
    state = banks.get(ACTOR, "gifct").state
    assert [f.actor for f in state.feedback] == ["bob"]
    assert list(state.quarantined) == [H2]
    assert list(state.recent) == [H1]


def test_new_rows_are_found_exactly_even_when_digests_collide(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With every digest equal, only the exact row comparison decides."""
    monkeypatch.setattr(
        bank_module, "fingerprints", lambda rows: np.zeros(len(rows), np.uint64)
    )
    existing = hex_to_lanes([H1, near(H1, 1)])
    incoming = hex_to_lanes([H2, near(H1, 1), H2, H1, near(H1, 2)])
    fresh = bank_module._first_new_rows(existing, incoming)
    assert fresh.tolist() == [0, 4]


@settings(deadline=None)
@given(
    st.lists(st.integers(0, 5), max_size=12),
    st.lists(st.integers(0, 5), max_size=12),
)
def test_new_rows_match_a_plain_python_reference(
    old: list[int], new: list[int]
) -> None:
    pool = hex_to_lanes([near(H1, bits) for bits in range(6)])
    existing = pool[sorted(set(old))]
    incoming = pool[new] if new else pool[:0]
    expected, seen = [], {tuple(row) for row in existing.tolist()}
    for index, row in enumerate(incoming.tolist()):
        if tuple(row) not in seen:
            seen.add(tuple(row))
            expected.append(index)
    assert bank_module._first_new_rows(existing, incoming).tolist() == expected
