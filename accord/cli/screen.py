"""``accord screen``: one name, or a batch file, against lists."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from accord.cli.context import CliContext, pass_cli
from accord.cli.render import console, echo_json
from accord.screening.model import SCHEMAS, ScreeningQuery, ScreeningResult
from accord.screening.queries import check_birth_date, read_queries
from accord.screening.service import ScreeningService, ScreenScope


class NameOrCommandGroup(click.Group):
    """``accord screen NAME`` and ``accord screen batch ...`` side by side.

    Anything that is not a subcommand is a name to screen, routed to the
    hidden ``name`` command.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["name", *args]
        return super().parse_args(ctx, args)


@click.group(cls=NameOrCommandGroup)
def screen() -> None:
    """Screen a name (accord screen "NAME") or a file (accord screen batch).

    Matching is fuzzy and cross-script, uses birth date, nationality, gender
    and document numbers when given, and explains every score.
    """


@screen.command("name", hidden=True)
@click.argument("name")
@click.option("--schema", type=click.Choice(SCHEMAS), default="LegalEntity")
@click.option("--birth-date", help="YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--nationality", help="Country code or name.")
@click.option("--gender", type=click.Choice(["male", "female"]))
@click.option("--id-number", "id_numbers", multiple=True, help="Passport or ID number.")
@click.option(
    "--against", multiple=True, help="Dataset name or list file; default: all datasets."
)
@click.option("--limit", default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def screen_name(
    state: CliContext,
    name: str,
    schema: str,
    birth_date: str | None,
    nationality: str | None,
    gender: str | None,
    id_numbers: tuple[str, ...],
    against: tuple[str, ...],
    limit: int,
    as_json: bool,
) -> None:
    """Screen NAME and print ranked matches with their explanations."""
    query = ScreeningQuery(
        name=name,
        schema=schema,
        birth_date=check_birth_date(birth_date) if birth_date else None,
        nationality=nationality,
        gender=gender,
        id_numbers=id_numbers,
    )
    accord = state.service()
    service = ScreeningService(accord)
    scope = ScreenScope(against, limit, restrict=False, allow_files=True)
    results = service.screen(accord.local_actor(), query, scope)
    if as_json:
        echo_json([result.to_dict() for result in results])
        return
    _print_results(name, results, service.threshold)


def _print_results(name: str, results: list[ScreeningResult], threshold: float) -> None:
    out = console()
    hits = sum(result.match for result in results)
    out.print(f"[bold]{name}[/bold]: {hits} match(es) at threshold {threshold:.2f}")
    table = Table("score", "match", "listed entity", "matched name", "why")
    for result in results:
        why = "\n".join(
            f"{key} {feature.value:+.2f}: {feature.detail}"
            for key, feature in result.explanation.items()
        )
        table.add_row(
            f"{result.score:.2f}",
            "MATCH" if result.match else "",
            f"{result.caption}\n{result.entity_id}",
            result.matched_name,
            why,
        )
    out.print(table)


@screen.command("batch")
@click.option(
    "--against", multiple=True, required=True, help="List file or dataset; repeatable."
)
@click.option(
    "--queries",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="CSV or JSON lines: id, name, schema[, birth_date, nationality, gender, id_number].",
)
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--limit", default=5, show_default=True)
@pass_cli
def screen_batch(
    state: CliContext, against: tuple[str, ...], queries: Path, out: Path, limit: int
) -> None:
    """Screen every query of a file; write one JSON line per query, best first."""
    parsed = read_queries(queries)
    accord = state.service()
    service = ScreeningService(accord)
    actor = accord.local_actor()
    matched = 0
    with (
        click.progressbar(
            length=len(parsed), label="screening", file=sys.stderr
        ) as bar,
        out.open("w", encoding="utf-8") as handle,
    ):
        scope = ScreenScope(against, limit, restrict=False, allow_files=True)
        progress = lambda _: bar.update(1)
        for query, results in service.screen_many(actor, parsed, scope, progress):
            matched += any(result.match for result in results)
            handle.write(
                json.dumps(_batch_line(query, results), ensure_ascii=False) + "\n"
            )
    click.echo(f"{len(parsed)} queries, {matched} with a match; results in {out}")


def _batch_line(
    query: ScreeningQuery, results: list[ScreeningResult]
) -> dict[str, Any]:
    return {
        "query_id": query.id,
        "results": [
            {
                "entity_id": result.entity_id,
                "score": result.score,
                "match": result.match,
                "caption": result.caption,
                "explanation": {k: v.to_dict() for k, v in result.explanation.items()},
            }
            for result in results
        ],
    }
