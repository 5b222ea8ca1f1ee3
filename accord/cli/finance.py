"""``accord finance``: train, score and watch transactions for terrorist financing.

The financing modules (Polars, LightGBM) are imported inside each command,
so ``accord --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import click

from accord.cli.context import CliContext, pass_cli
from accord.cli.render import console, findings_table

FORMATS = ("amlsim", "amlworld", "csv", "camt053")
DEFAULT_ROUNDS = 300
FILE = click.Path(path_type=Path, dir_okay=False, exists=True)
FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="amlsim",
    show_default=True,
    help="Layout of the transaction file.",
)


@click.group()
def finance() -> None:
    """Terrorist-financing detection over transactions (batch and streaming)."""


@finance.command("train")
@click.option("--transactions", "path", type=FILE, required=True)
@FORMAT
@click.option("--model", "out", type=click.Path(path_type=Path), required=True)
@click.option("--rounds", default=DEFAULT_ROUNDS, show_default=True)
def finance_train(path: Path, fmt: str, out: Path, rounds: int) -> None:
    """Train the scorer on a labelled file (AMLSim: is_sar; AMLworld: Is
    Laundering; csv: label) and save it with its flagging threshold.

    The threshold is the F1-best one on the latest 20 % of the file, in time
    order, which is held out of training.
    """
    from accord.financing import service as finance_service  # noqa: PLC0415 - lazy
    from accord.financing.scorer import TrainingParams  # noqa: PLC0415 - lazy

    report = finance_service.train_model(path, fmt, out, TrainingParams(rounds=rounds))
    figures = ", ".join(f"{k} {v:.3f}" for k, v in report.validation.items())
    click.echo(
        f"trained on {report.transactions} transactions ({report.positives} "
        f"positive); threshold {report.threshold:.4f}; held-out {figures}; "
        f"model written to {out}"
    )


@finance.command("score")
@click.option("--model", "model_path", type=FILE, required=True)
@click.option("--transactions", "path", type=FILE, required=True)
@FORMAT
@click.option("--out", type=click.Path(path_type=Path), required=True)
def finance_score(model_path: Path, path: Path, fmt: str, out: Path) -> None:
    """Score every transaction: writes tran_id, score, flagged to OUT (CSV)."""
    from accord.financing import service as finance_service  # noqa: PLC0415 - lazy

    scores = finance_service.score_file(model_path, path, fmt, out)
    flagged = int(scores["flagged"].sum()) if scores.height else 0
    click.echo(f"scored {scores.height} transactions, {flagged} flagged; wrote {out}")


@finance.command("watch")
@click.option(
    "--transactions",
    "path",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    default="-",
    show_default=True,
    help="File in time order, or - for standard input.",
)
@FORMAT
@click.option("--model", "model_path", type=FILE, help="Also score with this model.")
@click.option(
    "--batch",
    "batch_size",
    default=256,
    show_default=True,
    help="Transactions scored together (1: each on arrival).",
)
def finance_watch(
    path: Path, fmt: str, model_path: Path | None, batch_size: int
) -> None:
    """Read transactions in time order and print one JSON alert per line.

    Every feature is causal: an alert rests only on the transactions before
    it. Typology rules fire on the transaction that completes a pattern.
    """
    from accord.financing import service as finance_service  # noqa: PLC0415 - lazy
    from accord.financing.scorer import ScoringModel  # noqa: PLC0415 - lazy
    from accord.financing.sources import open_text  # noqa: PLC0415 - lazy

    model = ScoringModel.load(model_path) if model_path else None
    if fmt == "camt053" and str(path) == "-":
        raise click.UsageError("camt053 statements are read from a file, not stdin")
    with contextlib.ExitStack() as stack:
        if fmt == "camt053":
            alerts = finance_service.watch_statement(path, model, batch_size)
        else:
            handle = sys.stdin if str(path) == "-" else open_text(path)
            name = "<stdin>" if str(path) == "-" else str(path)
            stack.enter_context(handle)
            alerts = finance_service.watch(handle, name, fmt, model, batch_size)
        count = 0
        for alert in alerts:
            click.echo(json.dumps(alert.to_dict(), ensure_ascii=False))
            count += 1
    click.echo(f"{count} alerts", err=True)


@finance.command("screen")
@click.option("--dataset", "datasets", multiple=True, help="Payment datasets.")
@click.option(
    "--against", multiple=True, help="List datasets (default: every dataset)."
)
@pass_cli
def finance_screen(
    state: CliContext, datasets: tuple[str, ...], against: tuple[str, ...]
) -> None:
    """Find payments to or from parties that screening matches to a list."""
    from accord.financing import service as finance_service  # noqa: PLC0415 - lazy

    service = state.service()
    found = finance_service.screen_counterparties(
        service, service.local_actor(), list(datasets) or None, against
    )
    click.echo(f"{len(found)} payment counterparties match a list")
    if found:
        console().print(findings_table(found))
