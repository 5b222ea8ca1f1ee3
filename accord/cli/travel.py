"""``accord travel``: travel documents and passenger data."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from accord.cli.context import CliContext, pass_cli
from accord.cli.render import echo_json
from accord.cli.travel_manifest import manifest
from accord.errors import InvalidData
from accord.travel.document_lists import DocumentLists, DocumentScope
from accord.travel.mrz import MrzResult, parse_mrz


@click.group()
def travel() -> None:
    """ICAO 9303 travel documents; passenger files are ingested with
    --format paxlst or pnrgov."""


travel.add_command(manifest)


@travel.command("mrz")
@click.argument("lines", nargs=-1)
@click.option(
    "--file",
    "path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Many MRZs, one record per block of lines, blocks separated by a blank line.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print JSON (always, with --file)."
)
def travel_mrz(lines: tuple[str, ...], path: Path | None, as_json: bool) -> None:
    """Check one MRZ (LINE1 LINE2 [LINE3]) or a file of them.

    Exits 1 when any document has a hard error (check digit, character set,
    layout); warnings (expired, unknown state, non-ICAO variants) do not.
    """
    if path is not None:
        sys.exit(0 if _check_file(path) else 1)
    if not lines:
        raise click.UsageError("give the MRZ lines, or --file")
    result = parse_mrz(list(lines))
    if as_json:
        click.echo(
            json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str)
        )
    else:
        _print_result(result)
    sys.exit(0 if result.valid else 1)


def _print_result(result: MrzResult) -> None:
    verdict = "valid" if result.valid else "INVALID"
    click.echo(
        f"{result.format.value} {verdict}: {result.document_number} "
        f"({result.issuing_state}) {result.surname}, {result.given_names}"
    )
    for issue in result.errors:
        click.echo(f"  error: {issue}")
    for issue in result.warnings:
        click.echo(f"  warning: {issue}")


def _check_file(path: Path) -> bool:
    """One JSON line per record; True when no record has a hard error."""
    all_valid = True
    for number, (line, block) in enumerate(_records(path), start=1):
        record: dict[str, object] = {"record": number, "line": line}
        try:
            result = parse_mrz(block)
            record.update(result.to_dict())
            all_valid &= result.valid
        except InvalidData as exc:
            record.update(valid=False, error=exc.detail)
            all_valid = False
        click.echo(json.dumps(record, ensure_ascii=False, default=str))
    return all_valid


def _records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Blocks of non-blank lines, with the line number each starts on."""
    block: list[str] = []
    start = 0
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if text.strip():
                start = start or number
                block.append(text.strip())
            elif block:
                yield start, block
                block, start = [], 0
    if block:
        yield start, block


@travel.command("document")
@click.argument("number")
@click.option(
    "--state", "issuing_state", help="Issuing state (ICAO, alpha-3 or alpha-2)."
)
@click.option(
    "--documents",
    multiple=True,
    help="Lost/stolen list dataset [default: every dataset, stated statuses only].",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def travel_document(
    state: CliContext,
    number: str,
    issuing_state: str | None,
    documents: tuple[str, ...],
    as_json: bool,
) -> None:
    """SLTD-style check of one document: hit or no-hit.

    A hit names the status, the issuing state and the reporting agency, and
    leaves a "confirm with owner" finding.
    """
    service = state.service()
    lists = DocumentLists(service.store)
    scope = DocumentScope(documents, restrict=False)
    result = lists.check(service.local_actor(), number, issuing_state, scope)
    if as_json:
        echo_json(result.to_dict())
        return
    if not result.hit:
        click.echo(f"no-hit: {number} ({issuing_state or 'any state'})")
        return
    for hit in result.hits:
        owner = result.owners.get(hit.dataset, hit.dataset)
        click.echo(
            f"HIT: {hit.number} ({hit.country or 'any state'}) {hit.status.value} "
            f"in {hit.dataset}, reported by {owner}: confirm with them before acting"
        )
