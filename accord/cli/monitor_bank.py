"""``accord monitor bank``: hash banks of known propaganda.

Banks live in the workspace (``<workspace>/hashbanks``); see
``accord.monitoring.hashing`` for formats and matching rules. Every command
acts as the local operator and is audited in the workspace's store.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.table import Table

from accord.cli.context import CliContext, pass_cli
from accord.cli.monitor_bank_match import FILE, bank_match, open_banks
from accord.cli.render import console, echo_json
from accord.monitoring.hashing.bank import BankKind
from accord.monitoring.hashing.formats import BankFileFormat, ImportDefaults
from accord.monitoring.hashing.pdq import hash_image_file
from accord.monitoring.hashing.results import NewBank
from accord.monitoring.hashing.state import QuarantinePolicy, Verdict
from accord.monitoring.hashing.video import required_frames
from accord.monitoring.hashing.video_hashing import hash_video_file

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = [item.value for item in BankFileFormat]


def provenance_options(command: F) -> F:
    """--source/--agency/--added/--label, for entries whose file is silent."""
    for option in reversed(
        [
            click.option(
                "--source", help="Where the hashes come from [default: file name]."
            ),
            click.option(
                "--agency", help="Agency that shared them [default: ACCORD_AGENCY]."
            ),
            click.option("--added", help="Date added, ISO 8601 [default: today, UTC]."),
            click.option(
                "--label", default="", help="Label or category, e.g. 'IS/Amaq'."
            ),
        ]
    ):
        command = option(command)
    return command


def _defaults(
    state: CliContext,
    source: str | None,
    agency: str | None,
    added: str | None,
    label: str,
) -> ImportDefaults:
    today = datetime.now(UTC).date().isoformat()
    return ImportDefaults(
        source=source or "manual",
        agency=agency or state.settings.agency,
        added=added or today,
        label=label,
    )


@click.group()
def bank() -> None:
    """Hash banks of known propaganda: PDQ image hashes, vPDQ videos and text
    signatures."""


bank.add_command(bank_match)


def _video_options(command: F) -> F:
    """--query-match/--compared-match: the shares of frames a video match needs."""
    command = click.option(
        "--compared-match",
        type=float,
        help="Video banks: least share of the bank video's frames found "
        "in the query [default 0].",
    )(command)
    return click.option(
        "--query-match",
        type=float,
        help="Video banks: least share of the query's frames found in a bank "
        "video [default 0.8].",
    )(command)


def _video_shares(
    query_match: float | None, compared_match: float | None
) -> dict[str, float]:
    given = {"query_match": query_match, "compared_match": compared_match}
    return {key: value for key, value in given.items() if value is not None}


@bank.command("create")
@click.argument("name")
@click.option("--kind", type=click.Choice([k.value for k in BankKind]), default="pdq")
@click.option(
    "--threshold",
    type=float,
    help="Match threshold: PDQ bits of an image or video frame (default 31) "
    "or text similarity (default 0.6).",
)
@_video_options
@click.option(
    "--negative", is_flag=True, help="Known-benign content: suppresses matches."
)
@click.option("--description", default="")
@click.option("--flood-window", default=3600, show_default=True, help="Seconds.")
@click.option(
    "--flood-max",
    default=100,
    show_default=True,
    help="Matches of one hash within the window before it is quarantined.",
)
@click.option(
    "--max-dismissals",
    default=3,
    show_default=True,
    help="Dismissals (outnumbering confirmations) that quarantine a hash.",
)
@pass_cli
def bank_create(
    state: CliContext,
    name: str,
    kind: str,
    threshold: float | None,
    query_match: float | None,
    compared_match: float | None,
    negative: bool,
    description: str,
    flood_window: int,
    flood_max: int,
    max_dismissals: int,
) -> None:
    """Create an empty bank."""
    policy = QuarantinePolicy(flood_window, flood_max, max_dismissals)
    video = _video_shares(query_match, compared_match)
    if video and kind != BankKind.VPDQ:
        raise click.UsageError("--query-match and --compared-match are for vpdq banks")
    banks, actor = open_banks(state)
    new = NewBank(name, BankKind(kind), threshold, negative, description, policy, video)
    created = banks.create(actor, new)
    role = "negative " if negative else ""
    click.echo(
        f"created {role}{kind} bank {name} (threshold {created.config.threshold:g})"
    )


@bank.command("configure")
@click.argument("name")
@click.option("--threshold", type=float, help="New match threshold.")
@_video_options
@click.option("--description")
@click.option("--flood-window", type=int, help="Seconds.")
@click.option("--flood-max", type=int, help="Matches within the window.")
@click.option("--max-dismissals", type=int)
@pass_cli
def bank_configure(
    state: CliContext,
    name: str,
    threshold: float | None,
    query_match: float | None,
    compared_match: float | None,
    description: str | None,
    flood_window: int | None,
    flood_max: int | None,
    max_dismissals: int | None,
) -> None:
    """Change a bank's threshold, description, quarantine policy or video
    match shares."""
    banks, actor = open_banks(state)
    limits = {
        "window_seconds": flood_window,
        "max_matches": flood_max,
        "max_dismissals": max_dismissals,
    }
    policy = {field: value for field, value in limits.items() if value is not None}
    video = _video_shares(query_match, compared_match)
    if video and banks.storage.config(name).kind is not BankKind.VPDQ:
        raise click.UsageError("--query-match and --compared-match are for vpdq banks")
    changed = banks.configure(
        actor,
        name,
        threshold=threshold,
        description=description,
        policy=policy,
        video=video,
    )
    click.echo(
        f"{name}: threshold {changed.config.threshold:g}, "
        f"flood limit {changed.state.policy.max_matches} per "
        f"{changed.state.policy.window_seconds} s, "
        f"{changed.state.policy.max_dismissals} dismissals"
    )


@bank.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def bank_list(state: CliContext, as_json: bool) -> None:
    """The workspace's banks."""
    banks, actor = open_banks(state)
    summaries = banks.summaries(actor)
    if as_json:
        echo_json([s.to_dict() for s in summaries])
        return
    table = Table(
        "bank", "kind", "entries", "threshold", "negative", "quarantined", "feedback"
    )
    for s in summaries:
        table.add_row(
            s.name,
            s.kind.value,
            str(s.count),
            f"{s.threshold:g}",
            "yes" if s.negative else "",
            str(s.quarantined),
            str(s.feedback),
        )
    console().print(table)


@bank.command("add")
@click.argument("name")
@click.argument("values", nargs=-1)
@click.option("--image", "images", multiple=True, type=FILE, help="Hash this image.")
@click.option(
    "--video", "videos", multiple=True, type=FILE, help="Hash this video (vPDQ)."
)
@provenance_options
@pass_cli
def bank_add(
    state: CliContext,
    name: str,
    values: tuple[str, ...],
    images: tuple[Path, ...],
    videos: tuple[Path, ...],
    source: str | None,
    agency: str | None,
    added: str | None,
    label: str,
) -> None:
    """Add PDQ hashes (hex) or images to a PDQ bank, videos to a vpdq bank,
    or texts to a text bank."""
    defaults = _defaults(state, source, agency, added, label)
    banks, actor = open_banks(state)
    if videos:
        if values or images:
            raise click.UsageError("add --video files on their own")
        frames = [required_frames(hash_video_file(p), str(p)) for p in videos]
        count = banks.add_videos(actor, name, frames, defaults)
        click.echo(f"{name}: {count} added, {len(frames) - count} already present")
        return
    hexes = [hash_image_file(path).hex for path in images]
    entries = [*values, *hexes]
    if not entries:
        raise click.UsageError("give hashes, texts, --image or --video files")
    count = banks.add(actor, name, entries, defaults)
    click.echo(f"{name}: {count} added, {len(entries) - count} already present")


@bank.command("import")
@click.argument("name")
@click.argument("path", type=FILE)
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="[default: by file]")
@provenance_options
@pass_cli
def bank_import(
    state: CliContext,
    name: str,
    path: Path,
    fmt: str | None,
    source: str | None,
    agency: str | None,
    added: str | None,
    label: str,
) -> None:
    """Import a CSV, JSON-lines, ThreatExchange-style or vPDQ file; all or
    nothing."""
    defaults = _defaults(state, source or path.name, agency, added, label)
    chosen = BankFileFormat(fmt) if fmt else None
    banks, actor = open_banks(state)
    result = banks.import_file(actor, name, path, defaults, chosen)
    click.echo(
        f"{name}: read {result.read}, added {result.added}, "
        f"already present {result.skipped}"
        + (f", ignored {result.ignored} (deleted or not PDQ)" if result.ignored else "")
    )


@bank.command("export")
@click.argument("name")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True
)
@pass_cli
def bank_export(state: CliContext, name: str, path: Path, fmt: str) -> None:
    """Write a bank with provenance (text banks: signatures, never text)."""
    banks, actor = open_banks(state)
    count = banks.export(actor, name, path, BankFileFormat(fmt))
    click.echo(f"{name}: wrote {count} entries to {path}")


def _feedback(
    state: CliContext, name: str, key: str, verdict: Verdict, subject: str, note: str
) -> None:
    banks, actor = open_banks(state)
    quarantined = banks.feedback(actor, name, key, verdict, subject=subject, note=note)
    click.echo(f"{name}: {verdict.value} recorded for {key}")
    if quarantined:
        click.echo(f"{name}: {key} is now quarantined (too many dismissals)")


@bank.command("confirm")
@click.argument("name")
@click.argument("key")
@click.option("--subject", default="", help="The entity or file that matched.")
@click.option("--note", default="")
@pass_cli
def bank_confirm(
    state: CliContext, name: str, key: str, subject: str, note: str
) -> None:
    """Record that a match of KEY was right."""
    _feedback(state, name, key, Verdict.CONFIRM, subject, note)


@bank.command("dismiss")
@click.argument("name")
@click.argument("key")
@click.option("--subject", default="", help="The entity or file that matched.")
@click.option("--note", default="")
@pass_cli
def bank_dismiss(
    state: CliContext, name: str, key: str, subject: str, note: str
) -> None:
    """Record that a match of KEY was wrong (benign content)."""
    _feedback(state, name, key, Verdict.DISMISS, subject, note)


@bank.command("quarantine")
@click.argument("name")
@click.argument("key")
@click.option("--reason", default="", help="Why, for the partner who shared it.")
@pass_cli
def bank_quarantine(state: CliContext, name: str, key: str, reason: str) -> None:
    """Stop KEY from producing findings until it is released."""
    banks, actor = open_banks(state)
    banks.quarantine(actor, name, key, reason=reason)
    click.echo(f"{name}: {key} quarantined")


@bank.command("release")
@click.argument("name")
@click.argument("key")
@pass_cli
def bank_release(state: CliContext, name: str, key: str) -> None:
    """Put a quarantined KEY back into matching."""
    banks, actor = open_banks(state)
    banks.release(actor, name, key)
    click.echo(f"{name}: {key} released")


@bank.command("show")
@click.argument("name")
@pass_cli
def bank_show(state: CliContext, name: str) -> None:
    """A bank's settings, quarantined hashes and feedback, as JSON."""
    banks, actor = open_banks(state)
    echo_json(banks.report(actor, name))
