"""``accord monitor bank match``: images, videos, hashes and texts against
the workspace's banks, with the banks' defences applied."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from accord.cli.context import CliContext, pass_cli
from accord.cli.render import console, echo_json
from accord.monitoring.hashing.matcher import BankMatch
from accord.monitoring.hashing.service import HashBanks
from accord.monitoring.hashing.video_formats import video_queries
from accord.store import Actor

FILE = click.Path(path_type=Path, dir_okay=False, exists=True)


def open_banks(state: CliContext) -> tuple[HashBanks, Actor]:
    """The workspace's banks, audited in its store, and the local operator."""
    service = state.service()
    banks = HashBanks.from_settings(service.settings, service.store.record)
    return banks, service.local_actor()


@click.command("match")
@click.argument("hashes", nargs=-1)
@click.option("--image", "images", multiple=True, type=FILE, help="An image file.")
@click.option("--text", "texts", multiple=True, help="A text to match.")
@click.option(
    "--text-file", "text_files", multiple=True, type=FILE, help="A text file."
)
@click.option("--video", "videos", multiple=True, type=FILE, help="A video file.")
@click.option(
    "--vpdq",
    "vpdq_files",
    multiple=True,
    type=FILE,
    help="A video already hashed: a vPDQ file (or CSV/JSON lines of videos).",
)
@click.option("--dihedral", is_flag=True, help="Also match rotated or flipped images.")
@click.option(
    "--bank", "bank_name", help="Only this bank (negative banks still apply)."
)
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def bank_match(
    state: CliContext,
    hashes: tuple[str, ...],
    images: tuple[Path, ...],
    texts: tuple[str, ...],
    text_files: tuple[Path, ...],
    videos: tuple[Path, ...],
    vpdq_files: tuple[Path, ...],
    dihedral: bool,
    bank_name: str | None,
    as_json: bool,
) -> None:
    """Match PDQ hashes, images, videos or texts against the banks."""
    if not (hashes or images or texts or text_files or videos or vpdq_files):
        raise click.UsageError(
            "give hashes, --image, --video, --vpdq, --text or --text-file"
        )
    banks, actor = open_banks(state)
    rows: list[tuple[str, list[BankMatch]]] = []
    if hashes:
        found_hashes = banks.match_hashes(actor, list(hashes), bank_name)
        rows += zip(hashes, found_hashes, strict=True)
    if images:
        paths = list(images)
        for found in banks.match_images(actor, paths, bank_name, dihedral=dihedral):
            label = f"{found.path.name} (pdq {found.pdq.hex[:12]}…)"
            rows.append((label, found.matches))
    if videos:
        for video in banks.match_video_files(actor, list(videos), bank_name):
            label = f"{video.path.name} ({video.seconds} s)"
            rows.append((label, video.matches))
    for path in vpdq_files:
        queries = video_queries(path)
        found_videos = banks.match_videos(actor, queries, bank_name)
        labels = [
            f"{path.name} #{n} ({len(q)} frames)" for n, q in enumerate(queries, 1)
        ]
        rows += zip(labels, found_videos, strict=True)
    bodies = [*texts, *(p.read_text(encoding="utf-8") for p in text_files)]
    if bodies:
        labels = [f"text #{n}" for n in range(1, len(bodies) + 1)]
        found_texts = banks.match_texts(actor, bodies, bank_name)
        rows += zip(labels, found_texts, strict=True)
    if as_json:
        echo_json(
            [{"query": q, "matches": [m.to_dict() for m in ms]} for q, ms in rows]
        )
        return
    _print_matches(rows)


def _print_matches(rows: list[tuple[str, list[BankMatch]]]) -> None:
    table = Table(
        "query", "bank", "entry", "distance", "status", "provenance", "reason"
    )
    for query, matches in rows:
        if not matches:
            table.add_row(query, "", "", "", "no match", "", "")
        for m in matches:
            closeness = _closeness(m)
            p = m.provenance
            origin = f"{p.label} · {p.agency}/{p.source} · {p.added}".strip(" ·")
            table.add_row(
                query, m.bank, m.key, closeness, m.status.value, origin, m.reason
            )
    console().print(table)


def _closeness(match: BankMatch) -> str:
    if match.video is not None:
        return (
            f"{match.video.query_match:.0%} of query / "
            f"{match.video.compared_match:.0%} of bank video (d {match.distance})"
        )
    if match.distance is not None:
        return str(match.distance)
    return f"{match.similarity:.2f}"
