"""``accord share``: partners, agreements, signed exports and imports."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from accord.cli.context import CliContext, pass_cli
from accord.cli.render import console, echo_json
from accord.cli.share_psi import psi
from accord.model.account import Role
from accord.model.marking import Tlp
from accord.sharing.category import Category
from accord.sharing.partners import Agreement, Partner, parse_time
from accord.sharing.policy import Decision
from accord.sharing.release import StatementVerdict, load_origins
from accord.sharing.service import FORMATS, SharingService
from accord.sharing.signing import key_fingerprint, key_path
from accord.sharing.taxii_client import TaxiiClient, pull, push

TLP_CHOICES = [t.value for t in Tlp]
SIGNATURE_SUFFIX = ".jws"


def _sharing(state: CliContext) -> SharingService:
    return SharingService(state.service())


@click.group()
def share() -> None:
    """Share with partner agencies under agreements, signed and audited."""


@share.command("keygen")
@click.option("--force", is_flag=True, help="Replace an existing agency key.")
@pass_cli
def share_keygen(state: CliContext, force: bool) -> None:
    """Create the agency's Ed25519 signing key (private file 0600).

    Prints the public key: give it to partners, who register it with
    `accord share partner add --public-key`.
    """
    sharing = _sharing(state)
    key = sharing.keygen(state.service().local_actor(), overwrite=force)
    click.echo(f"private key: {key_path(state.settings)}")
    click.echo(f"key id: {key_fingerprint(key.public_raw())}")
    click.echo(f"public key: {key.public_b64()}")


@share.group("partner")
def partner() -> None:
    """Partner agencies: id, name, public key, endpoint."""


@partner.command("add")
@click.argument("partner_id")
@click.option("--name", required=True, help="Display name.")
@click.option("--public-key", required=True, help="Base64 Ed25519 public key.")
@click.option("--endpoint", required=True, help="Base URL of the partner's API.")
@pass_cli
def partner_add(
    state: CliContext, partner_id: str, name: str, public_key: str, endpoint: str
) -> None:
    """Register a partner agency."""
    sharing = _sharing(state)
    item = Partner(partner_id, name, public_key, endpoint)
    sharing.registry.add_partner(state.service().local_actor(), item)
    click.echo(f"partner {item.id} ({item.name}) at {item.endpoint}")


@partner.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def partner_list(state: CliContext, as_json: bool) -> None:
    """Registered partners."""
    partners = _sharing(state).registry.list_partners()
    if as_json:
        echo_json(
            [
                {
                    "id": p.id,
                    "name": p.name,
                    "endpoint": p.endpoint,
                    "public_key": p.public_key,
                }
                for p in partners
            ]
        )
        return
    table = Table("id", "name", "endpoint", "key id")
    for item in partners:
        table.add_row(
            item.id, item.name, item.endpoint, key_fingerprint(item.public_key_bytes())
        )
    console().print(table)


@partner.command("liaison")
@click.argument("partner_id")
@click.argument("user_name")
@pass_cli
def partner_liaison(state: CliContext, partner_id: str, user_name: str) -> None:
    """Give PARTNER a liaison user and print its API key (shown once).

    The key lets the partner read its TAXII collections from `accord serve`.
    """
    service = state.service()
    sharing = _sharing(state)
    sharing.registry.get_partner(partner_id)
    actor = service.local_actor()
    service.store.ensure_agency(actor, partner_id)
    service.store.add_user(actor, user_name, partner_id, Role.LIAISON)
    click.echo(service.store.create_key(actor, user_name))


@share.group("agreement")
def agreement() -> None:
    """Agreements: what may go to which partner, until when."""


@agreement.command("add")
@click.option("--partner", "partner_id", required=True)
@click.option("--dataset", "datasets", multiple=True, required=True, help="Repeatable.")
@click.option(
    "--category",
    "categories",
    multiple=True,
    required=True,
    help="schema:NAME, topic:NAME or detector:NAME; repeatable.",
)
@click.option(
    "--tlp",
    "levels",
    multiple=True,
    required=True,
    type=click.Choice(TLP_CHOICES, case_sensitive=False),
    help="A TLP level the agreement releases; repeatable.",
)
@click.option("--reshare/--no-reshare", default=False, show_default=True)
@click.option("--expires", required=True, help="ISO 8601 date or time (UTC if naive).")
@pass_cli
def agreement_add(
    state: CliContext,
    partner_id: str,
    datasets: tuple[str, ...],
    categories: tuple[str, ...],
    levels: tuple[str, ...],
    reshare: bool,
    expires: str,
) -> None:
    """Record an agreement with a registered partner."""
    sharing = _sharing(state)
    item = Agreement(
        partner=partner_id,
        datasets=frozenset(datasets),
        categories=frozenset(Category.parse(c) for c in categories),
        tlp_levels=frozenset(Tlp.parse(t) for t in levels),
        reshare=reshare,
        expires_at=parse_time(expires),
    )
    made = sharing.registry.add_agreement(state.service().local_actor(), item)
    click.echo(made.describe())


@agreement.command("list")
@click.option("--partner", "partner_id", help="Only this partner's agreements.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def agreement_list(state: CliContext, partner_id: str | None, as_json: bool) -> None:
    """Agreements with their status (active, expired, revoked)."""
    items = _sharing(state).registry.list_agreements(partner_id)
    if as_json:
        echo_json([item.to_dict() for item in items])
        return
    table = Table("id", "partner", "status", "datasets", "categories", "tlp", "expires")
    for item in items:
        data = item.to_dict()
        table.add_row(
            item.id,
            item.partner,
            data["status"],
            ", ".join(data["datasets"]),
            ", ".join(data["categories"]),
            ", ".join(data["tlp_levels"]),
            data["expires_at"],
        )
    console().print(table)


@agreement.command("revoke")
@click.argument("agreement_id")
@pass_cli
def agreement_revoke(state: CliContext, agreement_id: str) -> None:
    """End an agreement now."""
    sharing = _sharing(state)
    sharing.registry.revoke_agreement(state.service().local_actor(), agreement_id)
    click.echo(f"agreement {agreement_id} revoked")


@share.command("export")
@click.option("--partner", "partner_id", required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True)
@pass_cli
def share_export(state: CliContext, partner_id: str, fmt: str, out: Path) -> None:
    """Export what PARTNER may receive; writes OUT and its signature OUT.jws."""
    sharing = _sharing(state)
    signed = sharing.export(state.service().local_actor(), partner_id, fmt)
    out.write_bytes(signed.payload)
    signature = out.with_name(out.name + SIGNATURE_SUFFIX)
    signature.write_text(signed.signature + "\n", encoding="ascii")
    receipt = signed.receipt
    click.echo(
        f"{out}: {receipt['entities']} entities, {receipt['findings']} findings, "
        f"{receipt['values']} values for {partner_id} ({receipt['withheld']} withheld); "
        f"signed {signature.name}, sha256 {receipt['sha256'][:16]}"
    )


@share.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--from", "partner_id", required=True, help="The sending partner.")
@click.option(
    "--signature",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Detached JWS [default: FILE.jws].",
)
@pass_cli
def share_import(
    state: CliContext, file: Path, partner_id: str, signature: Path | None
) -> None:
    """Verify and import a partner's signed bundle (STIX, MISP or FtM)."""
    sig_path = signature or file.with_name(file.name + SIGNATURE_SUFFIX)
    if not sig_path.is_file():
        raise click.ClickException(
            f"no signature {sig_path}: unsigned bundles are refused"
        )
    sharing = _sharing(state)
    result = sharing.import_bundle(
        state.service().local_actor(),
        partner_id,
        file.read_bytes(),
        sig_path.read_text(encoding="ascii"),
        str(file),
    )
    if result.already_imported:
        click.echo(f"{file}: already imported from {partner_id}; nothing changed")
        return
    click.echo(
        f"{file}: {result.entities} entities, {result.statements} statements from "
        f"{partner_id} into {', '.join(result.datasets) or 'no dataset'}"
    )
    for reason, count in sorted(result.skipped.items()):
        click.echo(f"  skipped {count}: {reason}")


@share.command("explain")
@click.option("--partner", "partner_id", required=True)
@click.option("--entity", "entity_id", help="Explain each value of this entity.")
@click.option("--finding", "finding_id", help="Explain this finding.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def share_explain(
    state: CliContext,
    partner_id: str,
    entity_id: str | None,
    finding_id: str | None,
    as_json: bool,
) -> None:
    """Say why each item would or would not go to PARTNER (a dry run)."""
    sharing = _sharing(state)
    if entity_id:
        explanation = sharing.explain_entity(partner_id, entity_id)
        _print_verdicts(explanation.verdicts, as_json)
    elif finding_id:
        actor = state.service().local_actor()
        decision = sharing.explain_finding(actor, partner_id, finding_id)
        _print_decisions([(f"finding {finding_id}", decision)], as_json)
    else:
        policy = sharing.policy(partner_id)
        origins = load_origins(sharing.store)
        items = [
            (f"dataset {name}", policy.dataset_decision(origin))
            for name, origin in sorted(origins.items())
        ]
        _print_decisions(items, as_json)


def _verdict(decision: Decision) -> str:
    return "goes" if decision.allowed else "withheld"


def _print_verdicts(verdicts: list[StatementVerdict], as_json: bool) -> None:
    if as_json:
        echo_json(
            [
                {
                    "prop": v.statement.prop,
                    "value": v.statement.value,
                    "dataset": v.statement.dataset,
                    "allowed": v.decision.allowed,
                    "reasons": list(v.decision.reasons),
                }
                for v in verdicts
            ]
        )
        return
    table = Table("property", "value", "dataset", "verdict", "why")
    for verdict in verdicts:
        stmt, decision = verdict.statement, verdict.decision
        reasons = "; ".join(decision.reasons)
        table.add_row(stmt.prop, stmt.value, stmt.dataset, _verdict(decision), reasons)
    console().print(table)


def _print_decisions(items: list[tuple[str, Decision]], as_json: bool) -> None:
    if as_json:
        echo_json(
            [
                {"item": name, "allowed": d.allowed, "reasons": list(d.reasons)}
                for name, d in items
            ]
        )
        return
    for name, decision in items:
        click.echo(f"{name}: {_verdict(decision)}")
        for reason in decision.reasons:
            click.echo(f"  {reason}")


API_KEY_HELP = "Our API key on the partner's server [env ACCORD_PARTNER_API_KEY]."


@share.command("pull")
@click.argument("partner_id")
@click.option(
    "--api-key", envvar="ACCORD_PARTNER_API_KEY", required=True, help=API_KEY_HELP
)
@click.option("--added-after", help="Only objects added after this time (ISO 8601).")
@pass_cli
def share_pull(
    state: CliContext, partner_id: str, api_key: str, added_after: str | None
) -> None:
    """Pull PARTNER's TAXII collections for us; each page verified and imported."""
    sharing = _sharing(state)
    client = TaxiiClient(sharing.registry.get_partner(partner_id), api_key)
    try:
        result = pull(sharing, state.service().local_actor(), client, added_after)
    finally:
        client.close()
    click.echo(
        f"pulled {result.pages} signed pages from {partner_id}: {result.entities} "
        f"entities, {result.statements} statements into "
        f"{', '.join(sorted(result.datasets)) or 'no new dataset'}"
    )


@share.command("push")
@click.argument("partner_id")
@click.option(
    "--api-key", envvar="ACCORD_PARTNER_API_KEY", required=True, help=API_KEY_HELP
)
@pass_cli
def share_push(state: CliContext, partner_id: str, api_key: str) -> None:
    """Push what PARTNER may receive to its TAXII server, signed and audited."""
    sharing = _sharing(state)
    client = TaxiiClient(sharing.registry.get_partner(partner_id), api_key)
    try:
        status = push(sharing, state.service().local_actor(), client)
    finally:
        client.close()
    click.echo(
        f"pushed to {partner_id}: {status.get('status')}, "
        f"{status.get('success_count', 0)} entities accepted"
    )


share.add_command(psi)
