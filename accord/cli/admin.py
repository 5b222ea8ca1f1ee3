"""Agencies, users and API keys."""

from __future__ import annotations

import click

from accord.cli.context import CliContext, pass_cli
from accord.model.account import Role

ROLE_CHOICES = [r.value for r in Role]


@click.group()
def agency() -> None:
    """Agencies: the owners of datasets."""


@agency.command("add")
@click.argument("name")
@click.option("--title", default="")
@pass_cli
def agency_add(state: CliContext, name: str, title: str) -> None:
    """Create an agency (no-op if it exists)."""
    service = state.service()
    service.store.ensure_agency(service.local_actor(), name, title)
    click.echo(f"agency {name}")


@agency.command("list")
@pass_cli
def agency_list(state: CliContext) -> None:
    for name in state.service().store.list_agencies():
        click.echo(name)


@click.group()
def user() -> None:
    """Users: people acting for an agency in a role."""


@user.command("add")
@click.argument("name")
@click.option("--agency", "agency_name", required=True)
@click.option("--role", type=click.Choice(ROLE_CHOICES), required=True)
@pass_cli
def user_add(state: CliContext, name: str, agency_name: str, role: str) -> None:
    """Create a user of an existing agency."""
    service = state.service()
    created = service.store.add_user(
        service.local_actor(), name, agency_name, Role(role)
    )
    click.echo(f"user {created.name} ({created.role.value}) of {created.agency}")


@click.group()
def key() -> None:
    """API keys for the HTTP API."""


@key.command("create")
@click.argument("user_name")
@pass_cli
def key_create(state: CliContext, user_name: str) -> None:
    """Issue an API key; it is printed once and stored only as a hash."""
    service = state.service()
    click.echo(service.store.create_key(service.local_actor(), user_name))


@key.command("revoke")
@click.argument("key_id")
@pass_cli
def key_revoke(state: CliContext, key_id: str) -> None:
    """Revoke a key by its id (the part after ``acc_``)."""
    service = state.service()
    service.store.revoke_key(service.local_actor(), key_id)
    click.echo(f"key {key_id} revoked")


admin_commands = (agency, user, key)
