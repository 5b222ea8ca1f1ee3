"""``accord travel manifest``: screen every traveller of a passenger file."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from accord.cli.context import CliContext, pass_cli
from accord.cli.ingest import TLP_CHOICES
from accord.cli.render import console, echo_json, finding_dict
from accord.model.dataset import name_from_file
from accord.model.marking import Marking, Tlp
from accord.screening.service import ScreeningService
from accord.screening.sources import detect_format
from accord.service import IngestRequest
from accord.travel.assess import ManifestReport, ManifestScope, ManifestScreening
from accord.travel.rules import load_rules


@click.command("manifest")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["paxlst", "pnrgov"]),
    help="Message type [default: read from the UNH segment].",
)
@click.option("--dataset", help="Dataset for the manifest [default: from the name].")
@click.option(
    "--tlp",
    default="amber+strict",
    show_default=True,
    type=click.Choice(TLP_CHOICES, case_sensitive=False),
    help="TLP 2.0 marking of the passenger data.",
)
@click.option("--lists", multiple=True, help="List dataset to screen persons against.")
@click.option("--documents", multiple=True, help="Lost/stolen document dataset.")
@click.option(
    "--rules",
    "rules_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Risk rules (TOML) [default: the shipped example rules].",
)
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@pass_cli
def manifest(
    state: CliContext,
    file: Path,
    fmt: str | None,
    dataset: str | None,
    tlp: str,
    lists: tuple[str, ...],
    documents: tuple[str, ...],
    rules_path: Path | None,
    as_json: bool,
) -> None:
    """Ingest a PAXLST or PNRGOV FILE and screen every traveller in it.

    Persons are screened against list entries (name, birth date,
    nationality, document numbers), documents against lost/stolen lists,
    and itineraries and bookings against the risk rules. Each traveller
    with anything to report gets one finding; re-running updates it.
    """
    rules = load_rules(rules_path)  # a bad rules file fails before any ingest
    service = state.service()
    actor = service.local_actor()
    name = dataset or _dataset_name(file)
    request = IngestRequest(
        path=file,
        format=fmt or detect_format(file, service.registry),
        dataset=name,
        agency=actor.agency,
        marking=Marking(Tlp.parse(tlp)),
    )
    service.ingest(actor, request)
    screening = ManifestScreening(ScreeningService(service), rules)
    scope = ManifestScope(lists, documents, restrict=False)
    report = screening.screen(actor, name, scope)
    if as_json:
        echo_json([finding_dict(item) for item in report.findings])
    else:
        _print_report(report, rules.source)


def _dataset_name(file: Path) -> str:
    return name_from_file(file.stem, "manifest", prefix="manifest_")


def _print_report(report: ManifestReport, rules_source: str) -> None:
    flagged = len(report.findings)
    click.echo(
        f"{report.dataset}: {report.travellers} travellers screened, "
        f"{flagged} with findings (rules: {rules_source})"
    )
    if not report.findings:
        return
    table = Table("score", "traveller", "why", "finding")
    for item in sorted(report.findings, key=lambda f: -f.score):
        why = "\n".join(
            f"{name}: {feature.detail}"
            for name, feature in item.explanation.items()
            if not name.startswith("watchlist.")
        )
        table.add_row(f"{item.score:.2f}", item.summary.split(":")[0], why, item.id)
    console().print(table)
