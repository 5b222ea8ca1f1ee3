"""``accord monitor``: scan channel exports; train and apply the classifier."""

from __future__ import annotations

import json
from pathlib import Path

import click
import numpy as np
from rich.table import Table

from accord.cli.context import CliContext, pass_cli
from accord.cli.ingest import TLP_CHOICES, _report_progress
from accord.cli.monitor_bank import bank
from accord.cli.render import console, echo_json
from accord.model.marking import Marking, Tlp
from accord.monitoring.channel import ChannelSummary
from accord.monitoring.classifier import (
    PropagandaModel,
    TrainConfig,
    load_default_model,
    train,
)
from accord.monitoring.labelled import read_labelled, read_posts
from accord.monitoring.service import (
    MonitoringService,
    ScanRequest,
    default_dataset_name,
)

CLASSIFY_BATCH = 4096


@click.group()
def monitor() -> None:
    """Messaging channels: scan exports for propaganda, attack calls,
    recruitment, fundraising and instructions."""


@monitor.command("scan")
@click.argument("export", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--dataset", help="Dataset name [default: from the file name].")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["telegram", "posts_csv", "posts_jsonl"]),
    help="Input format [default: from the suffix: .json, .csv, .jsonl].",
)
@click.option("--agency", help="Owning agency [default: ACCORD_AGENCY].")
@click.option(
    "--tlp",
    required=True,
    type=click.Choice(TLP_CHOICES, case_sensitive=False),
    help="TLP 2.0 marking of the export's dataset.",
)
@click.option("--releasable-to", multiple=True, help="Partner agency; repeatable.")
@click.option(
    "--model",
    "model_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A model from 'accord monitor train' [default: the bundled model].",
)
@click.option("--top", default=10, show_default=True, help="Findings to list.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_cli
def scan(
    state: CliContext,
    export: Path,
    dataset: str | None,
    fmt: str | None,
    agency: str | None,
    tlp: str,
    releasable_to: tuple[str, ...],
    model_path: Path | None,
    top: int,
    as_json: bool,
) -> None:
    """Ingest EXPORT as a dataset, run every monitoring detector over it,
    store the findings and print a channel summary (never post text)."""
    accord = state.service()
    request = ScanRequest(
        path=export,
        dataset=dataset or default_dataset_name(export),
        agency=agency or state.settings.agency,
        marking=Marking(Tlp.parse(tlp), frozenset(releasable_to)),
        format=fmt,
        model=PropagandaModel.load(model_path) if model_path else None,
        top=top,
    )
    service = MonitoringService(accord)
    report = service.scan(
        accord.local_actor(), request, _report_progress, restrict=False
    )
    if as_json:
        echo_json(
            {
                "dataset": request.dataset,
                "ingested": not report.ingest.skipped,
                "detectors": report.detectors,
                "summary": report.summary.to_dict(),
            }
        )
        return
    state_line = (
        "already ingested"
        if report.ingest.skipped
        else f"{report.ingest.entities} entities"
    )
    click.echo(
        f"{export}: {state_line} in {request.dataset}; ran {', '.join(report.detectors)}: "
        f"{len(report.findings)} findings"
    )
    _print_summary(report.summary)


def _print_summary(summary: ChannelSummary) -> None:
    out = console()
    out.print(
        f"{summary.messages} messages, {summary.first_date} to {summary.last_date}"
    )
    posters = Table("poster", "messages", title="Who posts")
    for name, count in summary.posters.most_common(10):
        posters.add_row(name, str(count))
    out.print(posters)
    forwards = Table(
        "forwarded from",
        "into channel",
        "messages",
        "flagged",
        title="Forwarding graph",
    )
    for edge, count in summary.forwards_ranked()[:10]:
        flagged = summary.flagged_forwards[edge]
        forwards.add_row(edge[0], edge[1], str(count), str(flagged))
    out.print(forwards)
    found = Table("score", "detector", "finding", "id", title="Top findings")
    for item in summary.top_findings:
        found.add_row(f"{item.score:.2f}", item.detector, item.summary, item.id)
    out.print(found)


@monitor.command("train")
@click.option(
    "--data",
    "data",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
)
@click.option("--text-column", required=True, help="Column holding the post text.")
@click.option(
    "--label-column", required=True, help="Column holding 1 (propaganda) or 0."
)
@click.option(
    "--group-column",
    help="Column to group by, usually the author: authors are held out when "
    "choosing the threshold, and they teach the author context.",
)
@click.option(
    "--author-context",
    is_flag=True,
    help="Also learn how a post's score combines with its author's other "
    "posts (needs --group-column naming the author).",
)
@click.option(
    "--model",
    "out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write the model.",
)
def train_command(
    data: Path,
    text_column: str,
    label_column: str,
    group_column: str | None,
    author_context: bool,
    out: Path,
) -> None:
    """Train a propaganda classifier on a labelled CSV."""
    if author_context and not group_column:
        raise click.UsageError("--author-context needs --group-column (the author)")
    posts = read_labelled(data, text_column, label_column, group_column)
    model = train(
        posts.texts,
        posts.labels,
        posts.groups if group_column else None,
        TrainConfig(author_context=author_context),
    )
    model.info["source"] = data.name
    model.save(out)
    click.echo(
        f"{out}: trained on {len(posts.labels)} posts ({sum(posts.labels)} positive; "
        f"{posts.skipped} unlabelled rows skipped); threshold {model.threshold:.3f}"
    )


@monitor.command("classify")
@click.option(
    "--model",
    "model_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Model file [default: the bundled model].",
)
@click.option(
    "--input",
    "source",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
)
@click.option("--text-column", required=True)
@click.option("--id-column", required=True)
@click.option(
    "--author-column",
    help="Column naming each post's author: with a model trained with "
    "authors, each post is scored beside its author's other posts in the file.",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="JSON lines: {id, score, label}.",
)
def classify_command(
    model_path: Path | None,
    source: Path,
    text_column: str,
    id_column: str,
    author_column: str | None,
    out: Path,
) -> None:
    """Score every post of a CSV; one {"id", "score", "label"} line each."""
    model = PropagandaModel.load(model_path) if model_path else load_default_model()
    ids: list[str] = []
    authors: list[str] = []
    chunks: list[np.ndarray] = []
    texts: list[str] = []
    # Texts are scored a batch at a time; only ids, authors and scores are
    # kept, since author context needs every post of an author first.
    for post_id, text, author in read_posts(
        source, text_column, id_column, author_column
    ):
        ids.append(post_id)
        authors.append(author)
        texts.append(text)
        if len(texts) >= CLASSIFY_BATCH:
            chunks.append(model.scores(texts))
            texts = []
    chunks.append(model.scores(texts) if texts else np.zeros(0))
    text_scores = np.concatenate(chunks)
    scores, threshold = text_scores, model.threshold
    if author_column:
        scores, threshold = model.in_context(text_scores, authors), model.flag_threshold
    flagged = 0
    with out.open("w", encoding="utf-8") as handle:
        for post_id, score in zip(ids, scores.tolist(), strict=True):
            label = int(score >= threshold)
            flagged += label
            record = {"id": post_id, "score": round(score, 6), "label": label}
            handle.write(json.dumps(record) + "\n")
    click.echo(f"{out}: {len(ids)} posts scored, {flagged} at or above {threshold:.3f}")


monitor.add_command(bank)
