"""playbooks/migrate.yml, then playbooks/rollback.yml with its ledger: the target is as it was before (but for the
agent statuses the run created, which Connect cannot delete: they are disabled)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connect_emulator.seed import DEMO_SOURCE_ALIAS, DEMO_SOURCE_REGION, DEMO_TARGET_ALIAS, DEMO_TARGET_REGION

from .conftest import ROOT, run_playbook
from .test_verify_report_rollback import UNDO, export, only, retired_after_rollback, rollback, writes

pytestmark = pytest.mark.integration


@pytest.fixture
def demo(connect_emulator_process):
    emulator = connect_emulator_process
    emulator.reset()
    emulator.seeded = emulator.seed("demo", users=20)
    return emulator


def test_a_migration_rolled_back_leaves_the_target_exporting_exactly_as_before(demo, tmp_path):
    target = {"alias": DEMO_TARGET_ALIAS, "region": DEMO_TARGET_REGION}
    before = export(demo, target, tmp_path / "before")

    extra = {
        "source": DEMO_SOURCE_ALIAS,
        "source_region": DEMO_SOURCE_REGION,
        "target": DEMO_TARGET_ALIAS,
        "target_region": DEMO_TARGET_REGION,
        "output_dir": str(tmp_path / "run"),
        "phone_map": str(ROOT / "playbooks" / "files" / "demo-phone-map.yml"),
        "on_unmapped": "skip",
        "api_rate_factor": 0,
    }
    migrated = run_playbook("playbooks/migrate.yml", extra, demo.env(DEMO_SOURCE_REGION))
    assert migrated.returncode == 0, json.dumps(migrated.output)[-3000:]
    [ledger] = Path(tmp_path / "run").glob("ledger-*.jsonl")
    created = [json.loads(line) for line in ledger.read_text().splitlines()]
    assert sum(entry["action"] == "created" and entry["type"] == "users" for entry in created) == 20
    assert export(demo, target, tmp_path / "migrated") != before

    undone = rollback(demo, target, ledger)
    assert undone.returncode == 0, json.dumps(undone.output)[-3000:]
    assert only(undone, UNDO)["totals"]["failed"] == 0
    after = export(demo, target, tmp_path / "after")
    # Connect cannot delete agent statuses: the source's custom ones stay, disabled, and nothing else.
    [bundle] = Path(tmp_path / "run").glob("bundle-*.json")
    custom = [s for s in json.loads(bundle.read_text())["resources"]["agent_statuses"] if s["type"] == "CUSTOM"]
    assert len(custom) == 5
    assert retired_after_rollback(before, after) == {s["name"]: {**s, "state": "DISABLED"} for s in custom}

    demo.reset_stats()
    assert rollback(demo, target, ledger).returncode == 0
    assert writes(demo) == {}
