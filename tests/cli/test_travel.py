"""``accord travel mrz`` on one document and on a file of them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_commands import accord, ingest

TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)


def test_valid_specimen_passes_with_warnings(tmp_path: Path) -> None:
    result = accord(tmp_path, "travel", "mrz", *TD3)
    assert result.returncode == 0
    assert "TD3 valid: L898902C3" in result.stdout
    assert "warning: expired" in result.stdout


def test_bad_composite_check_digit_fails(tmp_path: Path) -> None:
    result = accord(tmp_path, "travel", "mrz", TD3[0], TD3[1][:-1] + "1", "--json")
    assert result.returncode == 1
    body = json.loads(result.stdout)
    assert body["valid"] is False
    assert any("composite" in error for error in body["errors"])


def test_file_gives_one_json_record_each(tmp_path: Path) -> None:
    path = tmp_path / "docs.txt"
    path.write_text(f"{TD3[0]}\n{TD3[1]}\n\nNOT AN MRZ\n", encoding="utf-8")
    result = accord(tmp_path, "travel", "mrz", "--file", str(path))
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert (first["record"], first["line"], first["valid"]) == (1, 1, True)
    assert (second["record"], second["line"], second["valid"]) == (2, 4, False)
    assert second["error"]
    assert result.returncode == 1


MANIFEST = Path(__file__).resolve().parents[1] / "fixtures" / "travel"
UN_EXCERPT = MANIFEST.parent / "un_sc_excerpt.xml"


def test_manifest_screens_every_traveller_and_stores_findings(tmp_path: Path) -> None:
    ingest(tmp_path, UN_EXCERPT, "un_sc", "un", "clear")
    path = MANIFEST / "manifest_watchlist.edi"
    result = accord(
        tmp_path, "travel", "manifest", str(path), "--lists", "un", "--json"
    )
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)
    assert len(findings) == 3
    matched = [f for f in findings if "watchlist" in f["explanation"]]
    assert [f["summary"].split(":")[0] for f in matched] == [
        "IBRAHIM HASSAN TALI AL-ASIRI"
    ]
    assert all(f["marking"] == "TLP:AMBER+STRICT" for f in findings)
    listed = accord(tmp_path, "findings", "--detector", "travel_manifest", "--json")
    assert len(json.loads(listed.stdout)) == 3


def test_manifest_with_a_bad_rules_file_ingests_nothing(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rules]]\nname = "x"\nkind = "nope"\nweight = 1\n')
    path = MANIFEST / "manifest_watchlist.edi"
    result = accord(tmp_path, "travel", "manifest", str(path), "--rules", str(rules))
    assert result.returncode == 1
    assert "rules.toml: rule 1" in result.stderr
    assert "manifest_watchlist" not in accord(tmp_path, "datasets").stdout


def test_document_check_says_hit_and_whom_to_confirm_with(tmp_path: Path) -> None:
    path = tmp_path / "sltd.jsonl"
    entity = {
        "id": "sltd-9",
        "schema": "Passport",
        "properties": {"number": ["Z9"], "country": ["de"], "summary": ["stolen"]},
    }
    path.write_text(json.dumps(entity) + "\n", encoding="utf-8")
    ingest(tmp_path, path, "ftm_jsonl", "sltd", "amber")
    hit = accord(tmp_path, "travel", "document", "z 9", "--state", "D")
    assert hit.returncode == 0, hit.stderr
    assert hit.stdout.startswith("HIT: Z9 (de) stolen in sltd")
    miss = accord(tmp_path, "travel", "document", "Z9", "--state", "FRA")
    assert miss.stdout.startswith("no-hit")
