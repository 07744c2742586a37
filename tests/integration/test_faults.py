"""A whole migration and its rollback through the project's fault-injecting proxy (tests/faultproxy.py).

Every kind of fault at 10% of requests: 429s, 500s and dropped connections that never reach the
emulator, latency, and writes the emulator applied whose answer was then lost. The run must end as if
the network had been perfect: verify passes, no duplicates, no false failures, every created item
in the ledger, and the rollback leaves the target exporting exactly as before (but for the agent statuses
the run created, which Connect cannot delete: disabled).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from connect_emulator.seed import DEMO_TARGET_ALIAS, DEMO_TARGET_REGION

from .conftest import run_playbook
from .faultproxy import FaultPlan, FaultProxy
from .test_import_bundle import TASKS, failures, results
from .test_migrate import DEMO_PHONE_MAP, migrate, target_names, the_bundle
from .test_verify_report_rollback import UNDO, export, only, retired_after_rollback

pytestmark = [pytest.mark.integration, pytest.mark.slow]

RATE = 0.1


@pytest.fixture
def demo(connect_emulator_process):
    emulator = connect_emulator_process
    emulator.reset()
    emulator.seeded = emulator.seed("demo", users=100)
    emulator.reset_stats()
    return emulator


@pytest.fixture
def proxy(demo):
    plan = FaultPlan(throttle=RATE, error=RATE, drop=RATE, latency=RATE, lost=RATE, seed=11)
    server = FaultProxy(demo.endpoint, plan).start()
    try:
        yield server
    finally:
        server.stop()


def ledger_of(directory: Path) -> list[dict[str, Any]]:
    [path] = directory.glob("ledger-*.jsonl")
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_a_migration_and_its_rollback_survive_every_fault_at_ten_percent(demo, proxy, tmp_path):
    target = {"alias": DEMO_TARGET_ALIAS, "region": DEMO_TARGET_REGION}
    before = export(demo, target, tmp_path / "before")
    through_proxy = {"AWS_ENDPOINT_URL_CONNECT": proxy.endpoint}

    # On a lossy network a TagResource may take retries: the lease's settle time must outlast them.
    lossy = {"lease_settle": 15}
    run = migrate(
        demo,
        tmp_path / "run",
        env=through_proxy,
        phone_map=str(DEMO_PHONE_MAP),
        on_unmapped="skip",
        chunk_size=50,
        **lossy,
    )
    migrated = proxy.plan.as_dict()
    assert run.returncode == 0, failures(run)
    done = results(run)
    items = [item for name in TASKS if name in done for item in done[name]["item_results"]]
    assert [item for item in items if item["outcome"] == "failed"] == []  # no false failures
    assert done["users"]["totals"]["created"] == 100
    for kind in ("users", "queues", "quick_connects", "routing_profiles"):
        names = target_names(demo, kind)
        assert [n for n, count in Counter(names).items() if count > 1] == [], kind

    ledger = ledger_of(tmp_path / "run")
    created = Counter(item["outcome"] for item in items)["created"]
    confirmed = [e for e in ledger if e["action"] == "created"]
    assert len(confirmed) == created
    intents = {(e["type"], e["name"]) for e in ledger if e["action"] == "intent"}
    assert intents == {(e["type"], e["name"]) for e in confirmed}  # every intent confirmed, nothing abandoned
    reconciled = [item for item in items if item.get("reconciled")]

    # Non-vacuous: the proxy really did all of it, often; lost answers were met and settled.
    for kind in ("throttle", "error", "drop", "latency"):
        assert migrated["injected"].get(kind, 0) >= 20, migrated
    assert migrated["lost_writes"] >= 10, migrated
    assert len(reconciled) >= 5, migrated

    [path] = (tmp_path / "run").glob("ledger-*.jsonl")
    extra = {
        "ledger": str(path),
        "target": target["alias"],
        "target_region": target["region"],
        "api_rate_factor": 0,
        **lossy,
    }
    undone = run_playbook("playbooks/rollback.yml", extra, {**demo.env(target["region"]), **through_proxy})
    assert undone.returncode == 0, json.dumps(undone.output)[-3000:]
    result = only(undone, UNDO)
    assert result["totals"]["failed"] == 0 and result["left_behind"] == []
    after_rollback = proxy.plan.as_dict()
    assert after_rollback["lost_writes"] > migrated["lost_writes"], after_rollback
    # Connect cannot delete agent statuses: the source's custom ones stay, disabled, and nothing else.
    custom = {s["name"] for s in the_bundle(tmp_path / "run")["resources"]["agent_statuses"] if s["type"] == "CUSTOM"}
    retired = retired_after_rollback(before, export(demo, target, tmp_path / "after"))
    assert set(retired) == custom and {s["state"] for s in retired.values()} == {"DISABLED"}
    in_rollback = {k: n - migrated["injected"].get(k, 0) for k, n in after_rollback["injected"].items()}
    summary = {"migration": migrated, "reconciled_items": len(reconciled), "rollback_injected": in_rollback}
    print("fault suite:", json.dumps(summary))


@pytest.mark.parametrize("users", [10])
def test_intents_a_run_never_confirmed_are_undone_by_its_rollback_and_confirmed_by_the_rerun(
    connect_emulator_process, users, tmp_path
):
    demo = connect_emulator_process
    demo.reset()
    demo.seeded = demo.seed("demo", users=users)
    target = {"alias": DEMO_TARGET_ALIAS, "region": DEMO_TARGET_REGION}
    output = tmp_path / "output"
    options = {"phone_map": str(DEMO_PHONE_MAP), "on_unmapped": "skip"}
    first = migrate(demo, output, **options)
    assert first.returncode == 0, failures(first)
    # As if the run had been killed after sending three CreateUser calls and before confirming them.
    [killed] = output.glob("ledger-*.jsonl")
    lines = [json.loads(line) for line in killed.read_text().splitlines()]
    unconfirmed = sorted(e["name"] for e in lines if e["type"] == "users" and e["action"] == "created")[:3]
    kept = [e for e in lines if not (e["action"] == "created" and e["type"] == "users" and e["name"] in unconfirmed)]
    killed.write_text("".join(json.dumps(e) + "\n" for e in kept))

    # The rollback of the killed run alone reads the target for them and would delete them as the run's.
    extra = {"target": target["alias"], "target_region": target["region"], "api_rate_factor": 0}
    env = demo.env(DEMO_TARGET_REGION)
    dry = run_playbook("playbooks/rollback.yml", {**extra, "ledger": str(killed)}, env, "--check")
    assert dry.returncode == 0, json.dumps(dry.output)[-3000:]
    planned = [r for r in only(dry, UNDO)["item_results"] if r["undo"] == "delete unconfirmed intent"]
    assert sorted((r["name"], r["outcome"]) for r in planned) == [(name, "deleted") for name in unconfirmed]

    # The rerun into the same directory finds them and confirms them in its own ledger.
    rerun = migrate(demo, output, **options)
    assert rerun.returncode == 0, failures(rerun)
    [resumed] = [path for path in output.glob("ledger-*.jsonl") if path != killed]
    confirms = [json.loads(line) for line in resumed.read_text().splitlines()]
    assert sorted(e["name"] for e in confirms if e.get("confirms")) == unconfirmed
    assert all(e["action"] == "created" and e["id"] for e in confirms if e.get("confirms"))

    # So the rollback of the resumed run alone removes them.
    undone = run_playbook("playbooks/rollback.yml", {**extra, "ledger": str(resumed)}, env)
    assert undone.returncode == 0, json.dumps(undone.output)[-3000:]
    assert not set(unconfirmed) & set(target_names(demo, "users"))
