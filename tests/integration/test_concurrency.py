"""One run at a time per target: the lease on the target instance, through ansible-playbook against the emulator."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from connect_emulator.seed import DEMO_SOURCE_ALIAS, DEMO_SOURCE_REGION, DEMO_TARGET_ALIAS, DEMO_TARGET_REGION

from .conftest import ROOT, PlaybookRun, playbook_command, run_playbook
from .test_import_bundle import IMPORT_TASK, failures, writes
from .test_migrate import DEMO_PHONE_MAP, PLAYBOOK, migrate, target_names

pytestmark = pytest.mark.integration

LEASE = "ccaas:lease"
TAKE = "Take the target's lease (one run at a time)"
OPTIONS = {"phone_map": str(DEMO_PHONE_MAP), "on_unmapped": "skip", "chunk_size": 10}


def instance_tags(emulator: Any) -> dict[str, str]:
    client = emulator.client(DEMO_TARGET_REGION)
    return client.list_tags_for_resource(resourceArn=emulator.seeded["target"]["instance_arn"])["tags"]


def plant_lease(emulator: Any, run_id: str, until: datetime) -> None:
    """Another machine's run holding the target, as its tag would say."""
    since = until - timedelta(hours=4)
    value = f"{run_id}|ops@other-machine|{since:%Y-%m-%dT%H:%M:%SZ}|{until:%Y-%m-%dT%H:%M:%SZ}|feedbeef"
    emulator.client(DEMO_TARGET_REGION).tag_resource(
        resourceArn=emulator.seeded["target"]["instance_arn"], tags={LEASE: value}
    )


def lease_writes(emulator: Any) -> dict[str, int]:
    tags = emulator.stats().get("instance_tags", {})
    return {api: n for api, n in tags.items() if api != "ListTagsForResource"}


def start(emulator: Any, output: Path) -> subprocess.Popen[str]:
    extra = {
        "source": DEMO_SOURCE_ALIAS,
        "source_region": DEMO_SOURCE_REGION,
        "target": DEMO_TARGET_ALIAS,
        "target_region": DEMO_TARGET_REGION,
        "output_dir": str(output),
        "api_rate_factor": 0,
        **OPTIONS,
    }
    command, env = playbook_command(PLAYBOOK, extra, emulator.env(DEMO_SOURCE_REGION))
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen[str]) -> PlaybookRun:
    stdout, stderr = process.communicate(timeout=900)
    return PlaybookRun(process.returncode, json.loads(stdout), stderr)


@pytest.mark.parametrize("users", [30])
def test_two_migrations_at_once_into_one_target_one_holds_the_lease_the_other_writes_nothing(demo, tmp_path):
    runs = {name: start(demo, tmp_path / name) for name in ("a", "b")}
    done = {name: finish(process) for name, process in runs.items()}
    [winner] = [n for n, r in done.items() if r.returncode == 0]
    [loser] = [n for n, r in done.items() if r.returncode != 0]
    assert done[winner].returncode == 0, failures(done[winner])

    # The loser stopped at the lease, named the holder, and never reached an import task.
    [refused] = done[loser].task_results(TAKE)
    assert refused.get("failed"), refused
    [winner_ledger] = (tmp_path / winner).glob("ledger-*.jsonl")
    winner_run = winner_ledger.name.removeprefix("ledger-").removesuffix(".jsonl")
    assert refused["held_by"]["run_id"] == winner_run
    assert "@" in refused["held_by"]["holder"] and refused["held_by"]["until"]
    assert f"run {winner_run} (holder " in refused["msg"] and "nothing was written" in refused["msg"]
    assert done[loser].task_results(IMPORT_TASK) == []
    assert not list((tmp_path / loser).glob("ledger-*.jsonl"))
    assert not list((tmp_path / loser).glob("passwords-*"))

    # Nothing twice: each user created once, by the winner, whose one password file holds each once.
    users = target_names(demo, "users")
    assert len(users) == len(set(users)) == 30
    for kind in ("queues", "quick_connects", "routing_profiles"):
        names = target_names(demo, kind)
        assert len(names) == len(set(names)), kind
    assert demo.stats()["apis"]["CreateUser"]["calls"] == 30
    [password_file] = (tmp_path / winner).glob("passwords-*.json")
    text = password_file.read_text()
    assert sorted(json.loads(text)) == sorted(users)
    assert all(text.count(json.dumps(user) + ":") == 1 for user in users)
    # The winner released its lease at the end; the loser removed nobody's.
    assert LEASE not in instance_tags(demo)
    assert lease_writes(demo)["UntagResource"] == 1


@pytest.mark.parametrize("users", [5])
def test_a_run_stops_before_writing_while_another_machine_holds_the_lease_and_a_dry_run_only_warns(demo, tmp_path):
    until = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    plant_lease(demo, "20261201T090000Z", until)
    demo.reset_stats()

    run = migrate(demo, tmp_path / "run", **OPTIONS, steal_lease=True)  # steal never takes a live lease
    assert run.returncode != 0
    [refused] = run.task_results(TAKE)
    assert refused["held_by"] == {
        "run_id": "20261201T090000Z",
        "holder": "ops@other-machine",
        "since": f"{until - timedelta(hours=4):%Y-%m-%dT%H:%M:%SZ}",
        "until": f"{until:%Y-%m-%dT%H:%M:%SZ}",
    }
    message = refused["msg"]
    assert "run 20261201T090000Z (holder ops@other-machine) since " in message
    assert "nothing was written" in message and "steal_lease=true" in message and "untag-resource" in message
    assert writes(demo) == {} and lease_writes(demo) == {}
    assert instance_tags(demo)[LEASE].startswith("20261201T090000Z|")
    assert list((tmp_path / "run").glob("report-*.md")), "the report is written when the lease stops the run"

    dry = migrate(demo, tmp_path / "dry", "--check", **OPTIONS)
    assert dry.returncode == 0, failures(dry)
    [looked] = dry.task_results(TAKE)
    assert looked["held_by"]["run_id"] == "20261201T090000Z" and not looked["held"]
    assert any("a real run would stop here" in w for w in looked.get("warnings", []))
    assert writes(demo) == {} and lease_writes(demo) == {}


@pytest.mark.parametrize("users", [5])
def test_an_expired_lease_is_taken_over_only_with_steal_lease_and_the_run_releases_it(demo, tmp_path):
    plant_lease(demo, "20261201T050000Z", datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1))
    demo.reset_stats()

    refused = migrate(demo, tmp_path / "out", **OPTIONS)
    assert refused.returncode != 0
    [lease] = refused.task_results(TAKE)
    assert "expired but was not released: run 20261201T050000Z" in lease["msg"]
    assert "rerun with -e steal_lease=true" in lease["msg"]
    assert writes(demo) == {}

    stolen = migrate(demo, tmp_path / "out", **OPTIONS, steal_lease=True)
    assert stolen.returncode == 0, failures(stolen)
    [lease] = stolen.task_results(TAKE)
    assert lease["stolen"]["run_id"] == "20261201T050000Z"
    assert any("took over the expired lease of run 20261201T050000Z" in w for w in lease.get("warnings", []))
    assert len(target_names(demo, "users")) == 5
    assert LEASE not in instance_tags(demo)


@pytest.mark.parametrize("users", [5])
def test_a_rollback_takes_the_lease_too(demo, tmp_path):
    migrated = migrate(demo, tmp_path / "run", **OPTIONS)
    assert migrated.returncode == 0, failures(migrated)
    [ledger] = (tmp_path / "run").glob("ledger-*.jsonl")
    plant_lease(demo, "20261201T090000Z", datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1))
    demo.reset_stats()
    target = {"ledger": str(ledger), "target": DEMO_TARGET_ALIAS, "target_region": DEMO_TARGET_REGION}

    refused = run_playbook("playbooks/rollback.yml", {**target, "api_rate_factor": 0}, demo.env(DEMO_TARGET_REGION))
    assert refused.returncode != 0
    [lease] = refused.task_results(TAKE)
    assert lease["held_by"]["run_id"] == "20261201T090000Z"
    assert writes(demo) == {} and lease_writes(demo) == {}
    assert len(target_names(demo, "users")) == 5

    demo.client(DEMO_TARGET_REGION).untag_resource(resourceArn=demo.seeded["target"]["instance_arn"], tagKeys=[LEASE])
    undone = run_playbook("playbooks/rollback.yml", {**target, "api_rate_factor": 0}, demo.env(DEMO_TARGET_REGION))
    assert undone.returncode == 0, json.dumps(undone.output)[-3000:]
    assert target_names(demo, "users") == []
    assert LEASE not in instance_tags(demo)
