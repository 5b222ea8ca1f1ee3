"""An ingest killed with SIGKILL mid-batch leaves no partial dataset."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from accord.service import Accord
from accord.settings import Settings

ENTITIES = 60_000


def _big_file(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for index in range(ENTITIES):
            entity = {
                "id": f"p{index}",
                "schema": "Person",
                "properties": {
                    "name": [f"Person Number {index}"],
                    "birthDate": ["1970"],
                },
            }
            handle.write(json.dumps(entity) + "\n")
    return path


@pytest.mark.slow
def test_sigkill_mid_ingest_leaves_nothing(
    store_settings: Settings, tmp_path: Path
) -> None:
    path = _big_file(tmp_path / "big.jsonl")
    env = {**os.environ, "ACCORD_WORKSPACE": str(store_settings.workspace)}
    if store_settings.database_url:
        env["ACCORD_DATABASE_URL"] = store_settings.database_url
    command = [sys.executable, "-m", "accord", "ingest", str(path)]
    command += ["--format", "ftm_jsonl", "--dataset", "big", "--agency", "alpha"]
    command += ["--tlp", "amber"]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith(("\ringested", "ingested")):
            written = int(line.strip().split()[1])
            if 0 < written < ENTITIES:
                break
    else:
        pytest.fail("ingest finished before it could be killed")
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    service = Accord.open(store_settings)
    try:
        assert service.store.list_datasets() == []
        assert service.store.count_statements() == 0
        assert service.store.verify_audit() == []
    finally:
        service.close()
