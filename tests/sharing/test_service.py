"""Export and import end to end: signed, audited, per-value, idempotent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.errors import InvalidData, NotFound, ReaderError, ReleaseDenied
from accord.model.marking import Marking, Tlp
from accord.sharing.signing import canonical_json, canonical_lines
from tests.sharing.conftest import Agency, agree, ingest, save_finding


def exported_values(agency: Agency, partner: str) -> dict[str, set[str]]:
    release = agency.sharing.release(partner)
    return {e.id: {f"{v.prop}={v.value}" for v in e.values} for e in release.entities}


def test_merged_entity_carries_only_released_values(
    world: tuple[Agency, Agency],
) -> None:
    alpha, _ = world
    person = exported_values(alpha, "bravo")["case-p1"]
    assert "name=Jane Roe" in person
    assert "email=jane.roe@example.org" in person
    assert not any(v.startswith(("notes=", "birthDate=")) for v in person)


def test_every_value_keeps_its_own_marking(world: tuple[Agency, Agency]) -> None:
    alpha, _ = world
    release = alpha.sharing.release("bravo")
    markings = {v.marking for e in release.entities for v in e.values}
    assert markings == {Marking(Tlp.GREEN), Marking(Tlp.AMBER, frozenset({"bravo"}))}


@pytest.mark.parametrize("fmt", ["stix", "misp", "ftm"])
def test_export_import_round_trip(world: tuple[Agency, Agency], fmt: str) -> None:
    alpha, bravo = world
    signed = alpha.sharing.export(alpha.actor, "bravo", fmt)
    result = bravo.sharing.import_bundle(
        bravo.actor, "alpha", signed.payload, signed.signature
    )
    assert result.entities == signed.receipt["entities"]
    entity = bravo.service.store.get_entity(bravo.actor, "case-p1")
    assert entity.get("name") == ["Jane Roe"]
    assert entity.get("notes") == [] and entity.get("birthDate") == []
    datasets = {i.name: i for i in bravo.service.store.list_datasets()}
    assert datasets["alpha.green"].agency == "alpha"
    amber = [i for i in datasets.values() if i.marking.tlp is Tlp.AMBER]
    assert [i.marking.releasable_to for i in amber] == [frozenset({"bravo"})]


def test_export_and_import_leave_receipts(world: tuple[Agency, Agency]) -> None:
    alpha, bravo = world
    signed = alpha.sharing.export(alpha.actor, "bravo", "stix")
    [sent] = alpha.service.store.audit_records("export")
    assert sent.target == "bravo"
    assert sent.detail["sha256"] == signed.receipt["sha256"]
    assert sent.detail["withheld"] > 0
    bravo.sharing.import_bundle(bravo.actor, "alpha", signed.payload, signed.signature)
    [received] = bravo.service.store.audit_records("import")
    assert received.detail["entities"] == signed.receipt["entities"]
    assert bravo.service.store.verify_audit() == []


def test_importing_the_same_bundle_twice_changes_nothing(
    world: tuple[Agency, Agency],
) -> None:
    alpha, bravo = world
    signed = alpha.sharing.export(alpha.actor, "bravo", "stix")
    bravo.sharing.import_bundle(bravo.actor, "alpha", signed.payload, signed.signature)
    before = bravo.service.store.count_statements()
    again = bravo.sharing.import_bundle(
        bravo.actor, "alpha", signed.payload, signed.signature
    )
    assert again.already_imported
    assert bravo.service.store.count_statements() == before
    assert len(bravo.service.store.audit_records("import.skipped")) == 1


def test_reindented_bundle_still_verifies(world: tuple[Agency, Agency]) -> None:
    alpha, bravo = world
    signed = alpha.sharing.export(alpha.actor, "bravo", "stix")
    pretty = json.dumps(json.loads(signed.payload), indent=2).encode()
    result = bravo.sharing.import_bundle(bravo.actor, "alpha", pretty, signed.signature)
    assert result.entities > 0


def test_tampered_bundle_is_refused_and_stores_nothing(
    world: tuple[Agency, Agency],
) -> None:
    alpha, bravo = world
    signed = alpha.sharing.export(alpha.actor, "bravo", "stix")
    bundle = json.loads(signed.payload)
    bundle["objects"][-1]["name"] = "Someone Else"
    with pytest.raises(InvalidData, match="altered or signed by someone else"):
        bravo.sharing.import_bundle(
            bravo.actor, "alpha", canonical_json(bundle), signed.signature
        )
    assert bravo.service.store.count_statements() == 0


def test_bundle_for_another_recipient_is_refused(
    world: tuple[Agency, Agency],
) -> None:
    alpha, bravo = world
    signed = alpha.sharing.export(alpha.actor, "bravo", "ftm")
    # bravo signs alpha's bundle for charlie, then sends it to alpha.
    claims = {"aud": "charlie", "format": "ftm", "reshare": False}
    forwarded = bravo.key.sign(signed.payload, claims)
    with pytest.raises(InvalidData, match="addressed to 'charlie', not to 'alpha'"):
        alpha.sharing.import_bundle(alpha.actor, "bravo", signed.payload, forwarded)
    with pytest.raises(InvalidData, match="altered or signed by someone else"):
        alpha.sharing.import_bundle(
            alpha.actor, "bravo", signed.payload, signed.signature
        )


def test_unknown_partner_gets_nothing(world: tuple[Agency, Agency]) -> None:
    alpha, _ = world
    with pytest.raises(ReleaseDenied) as denied:
        alpha.sharing.export(alpha.actor, "charlie", "stix")
    assert denied.value.reasons == ["unknown partner 'charlie': nothing goes to it"]
    with pytest.raises(NotFound):
        alpha.sharing.import_bundle(alpha.actor, "charlie", b"{}", "a..b")
    assert alpha.service.store.audit_records("export") == []


def test_revoked_agreement_stops_exports(world: tuple[Agency, Agency]) -> None:
    alpha, _ = world
    [agreement] = alpha.sharing.registry.active_agreements("bravo")
    alpha.sharing.registry.revoke_agreement(alpha.actor, agreement.id)
    with pytest.raises(ReleaseDenied) as denied:
        alpha.sharing.export(alpha.actor, "bravo", "stix")
    assert "was revoked" in denied.value.reasons[0]


def test_imported_data_goes_on_only_when_resharing_is_allowed(
    world: tuple[Agency, Agency],
) -> None:
    alpha, bravo = world
    signed = alpha.sharing.export(alpha.actor, "bravo", "stix")
    bravo.sharing.import_bundle(bravo.actor, "alpha", signed.payload, signed.signature)
    agree(bravo, "charlie", alpha.key, datasets=frozenset({"alpha.green"}))
    with pytest.raises(ReleaseDenied) as denied:
        bravo.sharing.release("charlie")
    assert any("did not allow re-sharing" in r for r in denied.value.reasons)


def test_resharing_allowed_releases_green_but_never_amber(
    world: tuple[Agency, Agency],
) -> None:
    alpha, bravo = world
    [old] = alpha.sharing.registry.active_agreements("bravo")
    alpha.sharing.registry.revoke_agreement(alpha.actor, old.id)
    agree(alpha, "bravo", bravo.key, reshare=True)
    signed = alpha.sharing.export(alpha.actor, "bravo", "stix")
    result = bravo.sharing.import_bundle(
        bravo.actor, "alpha", signed.payload, signed.signature
    )
    agree(bravo, "charlie", alpha.key, datasets=frozenset(result.datasets))
    release = bravo.sharing.release("charlie")
    markings = {v.marking for e in release.entities for v in e.values}
    assert markings == {Marking(Tlp.GREEN)}


def test_import_into_either_backend_is_atomic_and_idempotent(
    world: tuple[Agency, Agency], tmp_path: Path
) -> None:
    alpha, bravo = world
    lead = {"id": "lead-1", "schema": "Person", "properties": {"name": ["Al Lead"]}}
    ingest(bravo, tmp_path, "leads", Marking(Tlp.GREEN), [lead])
    agree(bravo, "alpha", alpha.key, datasets=frozenset({"leads"}))
    signed = bravo.sharing.export(bravo.actor, "alpha", "ftm")
    before = alpha.service.store.count_statements()
    result = alpha.sharing.import_bundle(
        alpha.actor, "bravo", signed.payload, signed.signature
    )
    assert result.datasets == ["bravo.green"]
    assert alpha.service.store.get_dataset("bravo.green").agency == "bravo"
    entity = alpha.service.store.get_entity(alpha.actor, "lead-1")
    assert entity.get("name") == ["Al Lead"]
    after = alpha.service.store.count_statements()
    assert after > before
    again = alpha.sharing.import_bundle(
        alpha.actor, "bravo", signed.payload, signed.signature
    )
    assert again.already_imported
    assert alpha.service.store.count_statements() == after


def test_malformed_bundle_from_a_real_partner_stores_nothing(
    world: tuple[Agency, Agency],
) -> None:
    alpha, bravo = world
    line = {"id": "x", "schema": "Person", "properties": {"wings": ["2"]}}
    payload = canonical_lines([line])
    signature = bravo.key.sign(payload, {"aud": "alpha", "format": "ftm"})
    before = alpha.service.store.count_statements()
    with pytest.raises(ReaderError, match="wings"):
        alpha.sharing.import_bundle(alpha.actor, "bravo", payload, signature)
    assert alpha.service.store.count_statements() == before
    assert alpha.service.store.audit_records("import") == []


def test_findings_go_as_sightings_when_their_inputs_may(
    world: tuple[Agency, Agency],
) -> None:
    alpha, _ = world
    shared = save_finding(alpha, ("cases",))
    decision = alpha.sharing.explain_finding(alpha.actor, "bravo", shared.id)
    assert decision.allowed
    bundle = json.loads(alpha.sharing.export(alpha.actor, "bravo", "stix").payload)
    [sighting] = [o for o in bundle["objects"] if o["type"] == "sighting"]
    [actor] = [o for o in bundle["objects"] if o["id"] == sighting["sighting_of_ref"]]
    assert actor["name"] == "Jane Roe"
    assert sighting["description"] == shared.summary


def test_finding_from_unreleased_input_is_withheld(
    world: tuple[Agency, Agency],
) -> None:
    alpha, _ = world
    hidden = save_finding(alpha, ("cases", "notes"))
    decision = alpha.sharing.explain_finding(alpha.actor, "bravo", hidden.id)
    assert not decision.allowed
    assert "marking TLP:AMBER does not release to bravo" in decision.reasons
    release = alpha.sharing.release("bravo")
    assert release.findings == []


def test_receipt_counts_values_of_refused_datasets_as_withheld(
    alpha: Agency, bravo: Agency, tmp_path: Path
) -> None:
    person = {"id": "p", "schema": "Person"}
    ingest(
        alpha,
        tmp_path,
        "open",
        Marking(Tlp.GREEN),
        [{**person, "properties": {"name": ["Open Name"]}}],
    )
    ingest(
        alpha,
        tmp_path,
        "closed",
        Marking(Tlp.RED),
        [{**person, "properties": {"notes": ["a", "b"], "alias": ["c"]}}],
    )
    agree(alpha, "bravo", bravo.key, datasets=frozenset({"open", "closed"}))
    release = alpha.sharing.release("bravo")
    assert release.withheld == 3
    assert [v.value for e in release.entities for v in e.values] == ["Open Name"]
