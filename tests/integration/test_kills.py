"""The kill suite: SIGKILL a whole migrate.yml (or rollback.yml) process tree at seven points, rerun, and find the
target exactly as an unkilled run leaves it, with one password file, consistent ledgers and a truthful report.

Each kill moment is chosen from what the run is visibly doing (the task banner it printed, the calls the emulator
answered), never from a sleep alone. A kill after the run took the target's lease leaves the lease behind: the
plain rerun must stop before writing and say how to take it over (-e steal_lease=true), and the rerun with it must
finish the job.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from connect_emulator.seed import DEMO_SOURCE_ALIAS, DEMO_SOURCE_REGION, DEMO_TARGET_ALIAS, DEMO_TARGET_REGION

from .conftest import ROOT, playbook_command, run_playbook
from .test_concurrency import LEASE, TAKE, instance_tags
from .test_import_bundle import IMPORT_TASK, failures, writes
from .test_migrate import DEMO_PHONE_MAP, kill_tree, settle, target_names
from .test_verify_report_rollback import export, retired_after_rollback

pytestmark = [pytest.mark.integration, pytest.mark.slow]

USERS = 40
TARGET = {"alias": DEMO_TARGET_ALIAS, "region": DEMO_TARGET_REGION}
RUN = {
    "source": DEMO_SOURCE_ALIAS,
    "source_region": DEMO_SOURCE_REGION,
    "target": DEMO_TARGET_ALIAS,
    "target_region": DEMO_TARGET_REGION,
    "phone_map": str(DEMO_PHONE_MAP),
    "on_unmapped": "skip",
    "chunk_size": 10,
}
# The killed run is paced where a kill must land inside a phase (CreateUser at 2/s: a chunk of ten takes
# about 5 s; associations at 1/s), every other API as good as unpaced. Its lease is short, so that the
# rerun can take it over after it expires instead of waiting the default four hours.
KILLED = {
    "api_rate_factor": 1000,
    "api_rates": {
        "CreateUser": {"rate": 2, "burst": 1},
        "AssociateQueueQuickConnects": {"rate": 1, "burst": 1},
        "DeleteUser": {"rate": 2, "burst": 1},
    },
    "lease_duration": 10,
}


@pytest.fixture(scope="module")
def reference(connect_emulator_process, tmp_path_factory) -> dict[str, Any]:
    """The target before any run, and after one unkilled migration: what every rerun must reproduce."""
    emulator = fresh(connect_emulator_process)
    base = tmp_path_factory.mktemp("reference")
    before = export(emulator, TARGET, base / "before")["resources"]
    done = run_playbook(
        "playbooks/migrate.yml", {**RUN, "output_dir": str(base / "run"), "api_rate_factor": 0}, env(emulator)
    )
    assert done.returncode == 0, failures(done)
    return {"before": before, "after": export(emulator, TARGET, base / "after")["resources"]}


def fresh(emulator: Any) -> Any:
    emulator.reset()
    emulator.seeded = emulator.seed("demo", users=USERS)
    emulator.reset_stats()
    return emulator


def env(emulator: Any) -> dict[str, str]:
    return emulator.env(DEMO_SOURCE_REGION)


def start(emulator: Any, playbook: str, extra: dict[str, Any], log: Path) -> subprocess.Popen[bytes]:
    """The playbook in a session of its own, its default output (task banners as they start) into `log`."""
    run = {**env(emulator), "PYTHONUNBUFFERED": "1"}
    command, run_env = playbook_command(playbook, extra, run, callback="default")
    with log.open("wb") as out:
        return subprocess.Popen(
            command, env=run_env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def calls(emulator: Any, api: str) -> int:
    return emulator.stats()["apis"].get(api, {}).get("calls", 0)


def total_calls(emulator: Any) -> int:
    return emulator.stats()["total"]["calls"]


def kill_when(
    emulator: Any, process: subprocess.Popen[bytes], log: Path, banner: str, ready: Callable[[Any, int], bool]
) -> None:
    """SIGKILL the run's tree once it printed `banner` (a task started) and `ready(emulator, calls)` holds,
    `calls` being the emulator's total calls when the banner was first seen."""
    deadline, at_banner = time.monotonic() + 300, None
    try:
        while time.monotonic() < deadline:
            if at_banner is None and banner in log.read_text(errors="replace"):
                at_banner = total_calls(emulator)
            if at_banner is not None and ready(emulator, at_banner):
                kill_tree(process.pid)
                return
            assert process.poll() is None, f"the run ended before {banner!r}:\n{log.read_text()[-3000:]}"
            time.sleep(0.05)
        pytest.fail(f"no kill moment {banner!r} within 300 s:\n{log.read_text()[-3000:]}")
    finally:
        process.wait(timeout=60)


def rerun_taking_over_the_lease(emulator: Any, playbook: str, extra: dict[str, Any]):
    """Rerun as an operator would: plainly, and when the killed run's lease stops it (before writing, saying
    how), again with steal_lease once that lease expired."""
    left = instance_tags(emulator).get(LEASE)
    emulator.reset_stats()
    plain = run_playbook(playbook, extra, env(emulator))
    if left is None:
        return plain
    assert plain.returncode != 0, "a rerun took a lease a killed run still held"
    [refused] = plain.task_results(TAKE)
    killed_run = left.split("|")[0]
    assert f"run {killed_run} (holder " in refused["msg"] and "-e steal_lease=true" in refused["msg"], refused
    assert writes(emulator) == {}, "the refused rerun wrote to the target"
    until = datetime.strptime(left.split("|")[3], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    time.sleep(max(0.0, (until - datetime.now(UTC)).total_seconds()) + 1)
    return run_playbook(playbook, {**extra, "steal_lease": True}, env(emulator))


def report_of(run_: Any) -> Path:
    [shown] = run_.task_results("Show the report's place and the run's status")
    [markdown] = [
        line.split(": ", 1)[1]
        for line in shown["msg"]
        if isinstance(line, str) and line.startswith("report: ") and line.endswith(".md")
    ]
    return Path(markdown)


def assert_consistent(emulator: Any, output: Path, resumed: Any, reference: dict[str, Any], scratch: Path) -> None:
    assert resumed.returncode == 0, failures(resumed)
    # The target is what an unkilled run leaves: same export, nothing twice.
    assert export(emulator, TARGET, scratch / "export")["resources"] == reference["after"]
    users = target_names(emulator, "users")
    assert len(users) == len(set(users)) == USERS
    # One password file holds each created user's password once, and no journal is left.
    [password_file] = output.glob("passwords-*.json")
    assert not list(output.glob("passwords-*.journal")) and not list(output.glob("*.journal"))
    text = password_file.read_text()
    assert sorted(json.loads(text)) == sorted(users)
    assert all(text.count(json.dumps(user) + ":") == 1 for user in users)
    # The ledgers of the killed run and its rerun record each created user once between them.
    created = Counter(
        entry["name"]
        for ledger in output.glob("ledger-*.jsonl")
        for entry in map(json.loads, ledger.read_text().splitlines())
        if entry.get("type") == "users" and entry.get("action") == "created"
    )
    assert created == Counter(users), "users created but not in a ledger, or in one twice"
    # The rerun's report exists and every file of the output directory it names exists.
    report = report_of(resumed)
    assert report.exists() and report.parent == output
    named = set(re.findall(re.escape(str(output)) + r"/[\w.\-]+", report.read_text()))
    missing = sorted(path for path in named if not Path(path).exists())
    assert named and not missing, (missing, sorted(p.name for p in output.iterdir()))
    assert str(password_file) in named
    assert LEASE not in instance_tags(emulator)


IMPORT_BANNER = f"TASK [ccaas.connect.import : {IMPORT_TASK}]"
KILL_POINTS: dict[str, tuple[str, Callable[[Any, int], bool]]] = {
    # point: (the task banner, then the moment the emulator shows)
    "export": ("TASK [ccaas.connect.export : Export the instance]", lambda e, _n: calls(e, "SearchQueues") >= 1),
    "mid-chunk users": (IMPORT_BANNER, lambda e, _n: calls(e, "CreateUser") >= 13),
    # The routing profiles' phase has read the target (the preflight read it once), none is written yet: the
    # queues are done.
    "between types": (
        IMPORT_BANNER,
        lambda e, _n: calls(e, "SearchRoutingProfiles") >= 2 and calls(e, "CreateRoutingProfile") == 0,
    ),
    "associations": (IMPORT_BANNER, lambda e, _n: calls(e, "AssociateQueueQuickConnects") >= 2),
    # Verify only reads: its first answered read after its banner.
    "verify": (
        "TASK [ccaas.connect.verify : Read the target and compare it with the bundle",
        lambda e, at_banner: total_calls(e) > at_banner,
    ),
    "report": (
        "TASK [ccaas.connect.report : Write the report (Markdown, HTML) and the run log, 0600]",
        lambda _e, _n: True,
    ),
}


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_a_migration_killed_then_rerun_leaves_the_target_as_an_unkilled_run(
    connect_emulator_process, reference, tmp_path, point
):
    emulator = fresh(connect_emulator_process)
    output = tmp_path / "output"
    log = tmp_path / "killed.log"
    process = start(emulator, "playbooks/migrate.yml", {**RUN, **KILLED, "output_dir": str(output)}, log)
    kill_when(emulator, process, log, *KILL_POINTS[point])
    settle(emulator)
    rerun = {**RUN, "output_dir": str(output), "api_rate_factor": 0}
    resumed = rerun_taking_over_the_lease(emulator, "playbooks/migrate.yml", rerun)
    assert_consistent(emulator, output, resumed, reference, tmp_path)


def test_a_rollback_killed_then_rerun_leaves_the_target_as_before_the_migration(
    connect_emulator_process, reference, tmp_path
):
    emulator = fresh(connect_emulator_process)
    output = tmp_path / "output"
    migrated = run_playbook(
        "playbooks/migrate.yml", {**RUN, "output_dir": str(output), "api_rate_factor": 0}, env(emulator)
    )
    assert migrated.returncode == 0, failures(migrated)
    [ledger] = output.glob("ledger-*.jsonl")
    undo = {"ledger": str(ledger), "target": DEMO_TARGET_ALIAS, "target_region": DEMO_TARGET_REGION}
    log = tmp_path / "killed.log"
    process = start(emulator, "playbooks/rollback.yml", {**undo, **KILLED}, log)
    kill_when(
        emulator, process, log, "TASK [ccaas.connect.rollback : Undo the run", lambda e, _n: calls(e, "DeleteUser") >= 5
    )
    settle(emulator)
    assert 0 < len(target_names(emulator, "users")) < USERS, "killed before or after the users' deletion"

    resumed = rerun_taking_over_the_lease(emulator, "playbooks/rollback.yml", {**undo, "api_rate_factor": 0})
    assert resumed.returncode == 0, json.dumps(resumed.output)[-3000:]
    # As before the migration, but for the custom agent statuses it created: Connect cannot delete them.
    retired = retired_after_rollback(reference["before"], export(emulator, TARGET, tmp_path / "export")["resources"])
    assert {s["state"] for s in retired.values()} == {"DISABLED"} and len(retired) == 5
    assert target_names(emulator, "users") == []
    report = report_of(resumed)
    assert report.exists() and str(ledger) in report.read_text()
    assert list(output.glob("rollback-ledger-*.jsonl"))
    assert LEASE not in instance_tags(emulator)
