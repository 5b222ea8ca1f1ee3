"""``accord monitor`` end to end, through the real entry point."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2] / "accord" / "samples" / "monitoring"


def accord(workspace: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    command = [sys.executable, "-m", "accord", "--workspace", str(workspace), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def labelled_csv(path: Path) -> Path:
    places = ["stadium", "station", "market", "airport", "bridge", "parade"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["post_id", "body", "is_propaganda", "account"])
        for number, place in enumerate(places):
            writer.writerow(
                [
                    f"c{number}",
                    f"[synthetic] go and attack them at the {place}",
                    "1",
                    f"a{number}",
                ]
            )
            writer.writerow(
                [
                    f"n{number}",
                    f"police report an incident near the {place}",
                    "0",
                    f"b{number}",
                ]
            )
            writer.writerow(
                [f"u{number}", f"unlabelled note about the {place}", "", f"b{number}"]
            )
    return path


def test_train_then_classify_writes_one_score_per_post(tmp_path: Path) -> None:
    data = labelled_csv(tmp_path / "labelled.csv")
    model = tmp_path / "model.npz"
    trained = accord(
        tmp_path,
        "monitor",
        "train",
        "--data",
        str(data),
        "--text-column",
        "body",
        "--label-column",
        "is_propaganda",
        "--group-column",
        "account",
        "--model",
        str(model),
    )
    assert trained.returncode == 0, trained.stderr
    assert "12 posts (6 positive; 6 unlabelled rows skipped)" in trained.stdout
    out = tmp_path / "scores.jsonl"
    classified = accord(
        tmp_path,
        "monitor",
        "classify",
        "--model",
        str(model),
        "--input",
        str(data),
        "--text-column",
        "body",
        "--id-column",
        "post_id",
        "--out",
        str(out),
    )
    assert classified.returncode == 0, classified.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 18
    assert set(rows[0]) == {"id", "score", "label"}
    by_id = {row["id"]: row for row in rows}
    assert by_id["c0"]["score"] > by_id["n0"]["score"]
    assert by_id["c0"]["label"] == 1


def test_train_refuses_a_missing_column(tmp_path: Path) -> None:
    data = labelled_csv(tmp_path / "labelled.csv")
    result = accord(
        tmp_path,
        "monitor",
        "train",
        "--data",
        str(data),
        "--text-column",
        "text",
        "--label-column",
        "is_propaganda",
        "--model",
        str(tmp_path / "m.npz"),
    )
    assert result.returncode == 1
    assert "line 1" in result.stderr
    assert "text" in result.stderr


def test_scan_prints_a_summary_without_post_text(tmp_path: Path) -> None:
    demo = SAMPLE / "demo_channel.json"
    result = accord(tmp_path, "monitor", "scan", str(demo), "--tlp", "amber", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["dataset"] == "demo_channel"
    assert report["summary"]["messages"] == 13
    assert report["summary"]["findings"]["call_to_attack"] == 5
    assert "synthetic" not in result.stdout
    listed = accord(tmp_path, "findings", "--detector", "fundraising")
    assert listed.returncode == 0, listed.stderr
    assert "fundraising appeal" in listed.stdout
