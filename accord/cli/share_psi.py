"""``accord share psi``: private set intersection with a partner, and its consents.

``accord share psi PARTNER --dataset D`` runs a session; the subcommands
(``consents``, ``allow``, ``ask``, ``revoke``, ``limits``) edit the PSI consent
file in the workspace. A partner id equal to a subcommand name cannot be
queried this way; no agency should be called ``allow``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import click
from rich.table import Table

from accord.cli.context import CliContext, pass_cli
from accord.cli.render import console, echo_json
from accord.sharing.partners import parse_time
from accord.sharing.psi.consent import (
    ConsentBook,
    ConsentRole,
    ProbingLimits,
    PsiConsent,
    audit_change,
)
from accord.sharing.psi.keys import KeyType
from accord.sharing.psi.requester import PsiOutcome, PsiRequester, PsiRun
from accord.sharing.psi.transport import HttpPsiTransport

KEY_TYPES = [k.value for k in KeyType]
F = TypeVar("F", bound=Callable[..., Any])


class PartnerOrCommandGroup(click.Group):
    """``psi PARTNER ...`` and ``psi allow ...`` side by side.

    Anything that is not a subcommand is a partner id, routed to the hidden
    ``run`` command.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group(cls=PartnerOrCommandGroup)
def psi() -> None:
    """Find subjects in common with a partner without disclosing either list.

    accord share psi PARTNER --dataset D intersects D's keys (document +
    issuing state, name + birth date, name skeleton + birth date) with the
    partner's consented dataset. Both sides must consent: see `psi allow`
    (serve a partner) and `psi ask` (query a partner).
    """


@psi.command("run", hidden=True)
@click.argument("partner")
@click.option("--dataset", required=True, help="Our dataset whose subjects to match.")
@click.option(
    "--cardinality-only", is_flag=True, help="Learn only how many keys are in common."
)
@click.option(
    "--api-key",
    envvar="ACCORD_PSI_API_KEY",
    required=True,
    help="The API key the partner issued us [env ACCORD_PSI_API_KEY].",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def run_psi(
    state: CliContext,
    partner: str,
    dataset: str,
    cardinality_only: bool,
    api_key: str,
    as_json: bool,
) -> None:
    """Intersect DATASET with PARTNER's consented dataset over its API."""
    accord = state.service()
    requester = PsiRequester(accord)
    endpoint = requester.partner(partner).endpoint
    run = PsiRun(partner, dataset, cardinality_only)
    outcome = requester.run(
        accord.local_actor(), run, HttpPsiTransport(endpoint, api_key)
    )
    if as_json:
        echo_json(outcome.to_dict())
        return
    _print_outcome(outcome)


def _print_outcome(outcome: PsiOutcome) -> None:
    out = console()
    out.print(
        f"[bold]{outcome.dataset}[/bold] ({outcome.client_size} keys) against "
        f"{outcome.partner}:{outcome.remote_dataset} ({outcome.server_size} keys): "
        f"{outcome.common_keys} key(s) in common; session {outcome.session}"
    )
    if outcome.cardinality_only:
        out.print("cardinality only: which subjects are in common is not revealed")
        return
    table = Table("subject", "caption", "matched on")
    for subject in outcome.subjects:
        table.add_row(subject.subject_id, subject.caption, ", ".join(subject.key_types))
    out.print(table)


@psi.command("offers")
@click.argument("partner")
@click.option(
    "--api-key",
    envvar="ACCORD_PSI_API_KEY",
    required=True,
    help="The API key the partner issued us [env ACCORD_PSI_API_KEY].",
)
@pass_cli
def offers(state: CliContext, partner: str, api_key: str) -> None:
    """Ask PARTNER which of its datasets we may intersect with, and how."""
    endpoint = PsiRequester(state.service()).partner(partner).endpoint
    echo_json(HttpPsiTransport(endpoint, api_key).offers())


@psi.command("consents")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def list_consents(state: CliContext, as_json: bool) -> None:
    """Show the PSI limits and every consent record, active or not."""
    book = ConsentBook.for_settings(state.settings)
    records = [record.to_dict() for record in book.records]
    limits = {
        "min_set_size": book.limits.min_set_size,
        "sessions_per_hour": book.limits.sessions_per_hour,
    }
    if as_json:
        echo_json({"file": str(book.path), "limits": limits, "consents": records})
        return
    click.echo(
        f"{book.path}: minimum set {limits['min_set_size']} keys, "
        f"{limits['sessions_per_hour']} sessions per partner per hour"
    )
    table = Table("role", "dataset", "partner", "remote", "keys", "mode", "expires")
    for record in records:
        mode = "cardinality" if record["cardinality_only"] else "intersection"
        table.add_row(
            record["role"],
            record["dataset"],
            record["partner"],
            record.get("remote_dataset", ""),
            ", ".join(record["key_types"]),
            mode,
            record["expires_at"],
        )
    console().print(table)


def _consent_options(command: F) -> F:
    options = [
        click.option(
            "--key-type",
            "key_types",
            multiple=True,
            required=True,
            type=click.Choice(KEY_TYPES),
            help="A key type the session may use; repeatable.",
        ),
        click.option(
            "--expires", required=True, help="ISO 8601 date or time (UTC if naive)."
        ),
        click.option("--cardinality-only", is_flag=True, help="Reveal only the size."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@psi.command("allow")
@click.argument("dataset")
@click.argument("partner")
@_consent_options
@pass_cli
def allow(
    state: CliContext,
    dataset: str,
    partner: str,
    key_types: tuple[str, ...],
    expires: str,
    cardinality_only: bool,
) -> None:
    """Let PARTNER intersect its set with our DATASET (serving consent)."""
    consent = PsiConsent(
        role=ConsentRole.SERVE,
        dataset=dataset,
        partner=partner,
        key_types=KeyType.parse_many(key_types),
        expires_at=_future(expires),
        cardinality_only=cardinality_only,
    )
    _grant(state, consent)
    click.echo(f"serving consent: {dataset} to {partner} until {expires}")


@psi.command("ask")
@click.argument("dataset")
@click.argument("partner")
@click.option("--remote-dataset", required=True, help="The partner's dataset to query.")
@_consent_options
@pass_cli
def ask(
    state: CliContext,
    dataset: str,
    partner: str,
    remote_dataset: str,
    key_types: tuple[str, ...],
    expires: str,
    cardinality_only: bool,
) -> None:
    """Let our DATASET's keys be sent to PARTNER (requesting consent)."""
    consent = PsiConsent(
        role=ConsentRole.REQUEST,
        dataset=dataset,
        partner=partner,
        key_types=KeyType.parse_many(key_types),
        expires_at=_future(expires),
        cardinality_only=cardinality_only,
        remote_dataset=remote_dataset,
    )
    _grant(state, consent)
    click.echo(
        f"requesting consent: {dataset} against {partner}:{remote_dataset} "
        f"until {expires}"
    )


@psi.command("revoke")
@click.argument("role", type=click.Choice([r.value for r in ConsentRole]))
@click.argument("dataset")
@click.argument("partner")
@pass_cli
def revoke(state: CliContext, role: str, dataset: str, partner: str) -> None:
    """End a consent now (it stays listed, expired)."""
    book = ConsentBook.for_settings(state.settings)
    ended = book.revoke(ConsentRole(role), dataset, partner)
    accord = state.service()
    audit_change(accord.store, accord.local_actor(), ended, "revoked")
    click.echo(f"{role} consent for {dataset} and {partner} revoked")


@psi.command("limits")
@click.option("--min-set-size", type=int, required=True, help="Fewest keys per set.")
@click.option(
    "--sessions-per-hour", type=int, required=True, help="Per partner, served."
)
@pass_cli
def limits(state: CliContext, min_set_size: int, sessions_per_hour: int) -> None:
    """Set the probing limits: minimum set size and hourly sessions per partner."""
    book = ConsentBook.for_settings(state.settings)
    book.limits = ProbingLimits(min_set_size, sessions_per_hour)
    book.save()
    click.echo(
        f"PSI limits: {min_set_size} keys minimum, {sessions_per_hour} sessions/hour"
    )


def _grant(state: CliContext, consent: PsiConsent) -> None:
    ConsentBook.for_settings(state.settings).grant(consent)
    accord = state.service()
    audit_change(accord.store, accord.local_actor(), consent, "granted")


def _future(text: str) -> datetime:
    moment = parse_time(text)
    if moment <= datetime.now(moment.tzinfo):
        raise click.BadParameter(f"{text} is in the past", param_hint="--expires")
    return moment
