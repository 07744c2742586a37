"""playbooks/migrate.yml end to end against the emulator's demo: the source in us-east-1, the target in eu-west-2."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from connect_emulator.seed import (
    DEMO_SOURCE_ALIAS,
    DEMO_SOURCE_REGION,
    DEMO_TARGET_ALIAS,
    DEMO_TARGET_REGION,
    bu_queue_names,
)

from .conftest import ROOT, playbook_command, run_playbook
from .test_import_bundle import TASKS, chunks, failures, results, writes

pytestmark = pytest.mark.integration

PLAYBOOK = "playbooks/migrate.yml"
ALL_BUT_QUICK_CONNECTS = "users,routing_profiles,security_profiles,user_hierarchy,queues,hours_of_operations"
DEMO_PHONE_MAP = ROOT / "playbooks" / "files" / "demo-phone-map.yml"


def migrate(emulator: Any, output: Path, *args: str, env: dict[str, str] | None = None, **extra: Any):
    extra_vars = {
        "source": DEMO_SOURCE_ALIAS,
        "source_region": DEMO_SOURCE_REGION,
        "target": DEMO_TARGET_ALIAS,
        "target_region": DEMO_TARGET_REGION,
        "output_dir": str(output),
        "api_rate_factor": 0,
        **extra,
    }
    return run_playbook(PLAYBOOK, extra_vars, {**emulator.env(DEMO_SOURCE_REGION), **(env or {})}, *args)


def partial_phone_map(emulator: Any, directory: Path) -> Path:
    """The demo's phone map without the billing line and the support outbound caller ID: two numbers a whole-
    instance migration with on_unmapped=skip leaves out knowingly, and lists."""
    numbers = emulator.seeded["source"]["phone_numbers"]
    left_out = (numbers["support-outbound"], numbers["billing-main"])
    path = directory / "partial-phone-map.yml"
    directory.mkdir(parents=True, exist_ok=True)
    path.write_text(
        yaml.safe_dump({k: v for k, v in yaml.safe_load(DEMO_PHONE_MAP.read_text()).items() if k not in left_out})
    )
    return path


def target_names(emulator: Any, kind: str) -> list[str]:
    """Every name of a kind in the target, duplicates kept (a duplicate is what the tests look for)."""
    client = emulator.client(DEMO_TARGET_REGION)
    instance = emulator.seeded["target"]["instance_id"]
    listing = {
        "users": ("list_users", "UserSummaryList", "Username"),
        "queues": ("list_queues", "QueueSummaryList", "Name"),
        "quick_connects": ("list_quick_connects", "QuickConnectSummaryList", "Name"),
        "routing_profiles": ("list_routing_profiles", "RoutingProfileSummaryList", "Name"),
    }[kind]
    method, key, name = listing
    names, token = [], None
    while True:
        page = getattr(client, method)(InstanceId=instance, MaxResults=100, **({"NextToken": token} if token else {}))
        names += [item.get(name) for item in page[key] if item.get(name)]
        token = page.get("NextToken")
        if not token:
            return names


def phone_number(emulator: Any, side: str, number: str) -> dict[str, Any]:
    region = DEMO_SOURCE_REGION if side == "source" else DEMO_TARGET_REGION
    claimed = emulator.client(region).list_phone_numbers_v2(TargetArn=emulator.seeded[side]["instance_arn"])
    [found] = [n for n in claimed["ListPhoneNumbersSummaryList"] if n["PhoneNumber"] == number]
    return found


def comparable(per_task: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Item results without what only a real run knows (IDs, ARNs) or only --diff shows."""
    return {
        n: [{k: v for k, v in i.items() if k not in ("id", "arn", "diff")} for i in items]
        for n, items in per_task.items()
    }


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat_file.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def kill_tree(pid: int) -> None:
    """SIGKILL ansible-playbook and every process under it, as a crash would.

    Ansible puts each worker in a process group of its own, so killing the playbook's group would leave
    the module running; the tree is frozen first so that nothing escapes by being re-parented.
    """
    frozen: set[int] = set()
    for _attempt in range(3):
        for member in ({pid} | descendants(pid)) - frozen:
            with contextlib.suppress(ProcessLookupError):
                os.kill(member, signal.SIGSTOP)
            frozen.add(member)
    for member in frozen:
        with contextlib.suppress(ProcessLookupError):
            os.kill(member, signal.SIGKILL)


def settle(emulator: Any, quiet: float = 1.5, timeout: float = 60.0) -> None:
    """Wait until the emulator has answered what a killed client sent before it died.

    A request already in the emulator's socket is still served after its client is gone, and on a loaded
    machine the thread serving it may run late: a user counted before it is created, or created after the
    rerun read the target, makes the rerun's numbers wrong. The emulator records a call when it answers,
    so nothing changing for `quiet` seconds means nothing is left in flight.
    """
    last, quiet_since, deadline = None, time.monotonic(), time.monotonic() + timeout
    while time.monotonic() < deadline:
        created = emulator.stats()["apis"].get("CreateUser", {}).get("calls", 0)  # our own reads count too
        now = (created, len(target_names(emulator, "users")))
        if now != last:
            last, quiet_since = now, time.monotonic()
        elif time.monotonic() - quiet_since >= quiet:
            return
        time.sleep(0.25)
    raise TimeoutError("the emulator kept answering a killed run's requests")


def the_bundle(output: Path) -> dict[str, Any]:
    [path] = output.glob("bundle-*.json")
    return json.loads(path.read_text())


@pytest.mark.parametrize("users", [30])
def test_a_whole_instance_migrates_as_check_mode_predicts_verifies_reports_and_a_rerun_writes_nothing(demo, tmp_path):
    # The demo's phone map without the billing line and the support outbound caller ID: skipped, and listed.
    numbers = demo.seeded["source"]["phone_numbers"]
    options = {"phone_map": str(partial_phone_map(demo, tmp_path)), "on_unmapped": "skip", "chunk_size": 20}
    dry = migrate(demo, tmp_path / "dry", "--check", **options)
    assert dry.returncode == 0, failures(dry)
    assert writes(demo) == {}
    first = migrate(demo, tmp_path / "first", **options)
    assert first.returncode == 0, failures(first)
    done = results(first)
    assert comparable({n: r["item_results"] for n, r in done.items()}) == comparable(
        {n: r["item_results"] for n, r in results(dry).items()}
    )
    assert len(chunks(first, "users")) == 2

    # The users phase takes the target's users from the preflight's read, and its first chunk reads what they
    # reference (written by the earlier phases) for both; the files are gone.
    def searched(api: str) -> list[int]:
        return [chunk["api_calls"].get(api, {}).get("calls", 0) for chunk in chunks(first, "users")]

    assert searched("SearchUsers") == [0, 0]
    assert searched("SearchRoutingProfiles")[0] > 0 and searched("SearchRoutingProfiles")[1:] == [0]
    assert not list((tmp_path / "first").glob("snapshot-*"))
    assert done["users"]["totals"]["created"] == 30
    assert done["users"]["totals"]["failed"] == 0
    # Defaults are mapped, never duplicated: one Basic Routing Profile, one BasicQueue.
    assert target_names(demo, "routing_profiles").count("Basic Routing Profile") == 1
    assert target_names(demo, "queues").count("BasicQueue") == 1
    exported = the_bundle(tmp_path / "first")["resources"]["users"]
    assert sorted(target_names(demo, "users")) == sorted(u["username"] for u in exported)
    # Two numbers of the source have no counterpart (the billing line and its legacy IVR, and an outbound
    # caller ID): skipped as chosen, and listed.
    [shown] = first.task_results("Show the preflight")
    not_mapped = [line for line in shown["msg"] if "NOT MAPPED phone numbers" in line]
    unmapped = {numbers["support-outbound"], numbers["billing-main"]}
    assert {line.split()[4].rstrip(":") for line in not_mapped} == unmapped
    assert all(line.endswith("-> reference left out") for line in not_mapped)
    [report] = (tmp_path / "first").glob("report-*.md")
    text = report.read_text()
    assert all(number in text for number in unmapped)
    # Every file private, and every directory (prompts' audio sits in prompts/) closed to others.
    for path in (tmp_path / "first").rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path
    assert list((tmp_path / "first" / "prompts").glob("*.wav"))
    assert stat.S_IMODE((tmp_path / "first").stat().st_mode) == 0o700

    demo.reset_stats()
    again = migrate(demo, tmp_path / "again", **options)
    assert again.returncode == 0, failures(again)
    assert {name: r["changed"] for name, r in results(again).items()} == dict.fromkeys(TASKS, False)
    assert writes(demo) == {}
    # The users phase takes the target's users, each one's Describe and proficiencies, from the preflight's read,
    # and so does verify for the users the run did not write (all of them): each user's details are read by the
    # export and the preflight only. Verify lists every type afresh and says what it took from the preflight.
    user_reads = {"SearchUsers", "DescribeUser", "ListUserProficiencies"}
    for chunk in chunks(again, "users"):
        assert not user_reads & set(chunk["api_calls"]), chunk["api_calls"]
    apis = demo.stats()["apis"]
    assert apis["DescribeUser"]["calls"] == apis["ListUserProficiencies"]["calls"] == 2 * 30
    [shown] = again.task_results("Show the verification")
    assert shown["msg"][0].startswith("the target matches the bundle"), shown["msg"]
    details = [
        line for line in shown["msg"] if "the run did not write were compared as the preflight read them" in line
    ]
    assert details and " 30 user(s)" in details[0], shown["msg"]
    assert not list((tmp_path / "again").glob("snapshot-*"))


@pytest.mark.parametrize("users", [10])
def test_a_bu_migration_across_regions_with_a_phone_map_is_predicted_exactly_by_check_mode(demo, tmp_path):
    sales = demo.seeded["source"]["phone_numbers"]["sales-outbound"]
    uk_sales = demo.seeded["target"]["phone_numbers"]["uk-sales"]
    # Keyed the way the console shows numbers: the source's phone number ID -> the target's phone number ARN.
    phone_map = tmp_path / "phone-map.yml"
    # The BU's flows name the other BUs' queues too (the main IVR's menu), so their numbers come along: the demo's
    # map for those.
    demo_map = {k: v for k, v in yaml.safe_load(DEMO_PHONE_MAP.read_text()).items() if k != sales}
    phone_map.write_text(
        yaml.safe_dump(
            {
                **demo_map,
                phone_number(demo, "source", sales)["PhoneNumberId"]: phone_number(demo, "target", uk_sales)[
                    "PhoneNumberArn"
                ],
            }
        )
    )
    # Each side's endpoint from its own variable: the environment's endpoint leads nowhere.
    sides = {"source_endpoint": demo.endpoint, "target_endpoint": demo.endpoint}
    nowhere = {"AWS_ENDPOINT_URL_CONNECT": "http://127.0.0.1:9"}
    options = {"bu_tag": "sales", "phone_map": str(phone_map), **sides}

    dry = migrate(demo, tmp_path / "dry", "--check", env=nowhere, **options)
    assert dry.returncode == 0, failures(dry)
    assert writes(demo) == {}
    predicted = {name: r["item_results"] for name, r in results(dry).items()}

    real = migrate(demo, tmp_path / "real", env=nowhere, **options)
    assert real.returncode == 0, failures(real)
    made = {name: r["item_results"] for name, r in results(real).items()}

    assert comparable(made) == comparable(predicted)
    assert sum(len(i["api_calls"]) for items in made.values() for i in items) == sum(writes(demo).values())

    bundle = the_bundle(tmp_path / "real")
    wanted = set(bu_queue_names("Sales"))
    assert set(bundle["selection"]["matched"]["queues"]) == wanted
    exported = {q["name"] for q in bundle["resources"]["queues"]}
    assert set(target_names(demo, "queues")) - {"BasicQueue"} == exported
    assert set(target_names(demo, "quick_connects")) == {q["name"] for q in bundle["resources"]["quick_connects"]}
    # No user is selected; users come because something exported needs them: a flow names a duty manager, and the
    # other BUs' queues (which the main IVR's menu names) carry quick connects to agents.
    named = {r["name"] for f in bundle["resources"]["contact_flows"] for r in f["references"] if r["type"] == "users"}
    exported_users = {u["username"] for u in bundle["resources"]["users"]}
    assert named and named <= exported_users
    assert set(bundle["selection"]["dependencies"]["users"]) == exported_users
    assert sorted(target_names(demo, "users")) == sorted(exported_users)
    client = demo.client(DEMO_TARGET_REGION)
    instance = demo.seeded["target"]["instance_id"]
    numbers = {
        n["PhoneNumberId"]: n["PhoneNumber"]
        for n in client.list_phone_numbers_v2(TargetArn=demo.seeded["target"]["instance_arn"])[
            "ListPhoneNumbersSummaryList"
        ]
    }
    [inbound] = [
        q for q in client.list_queues(InstanceId=instance)["QueueSummaryList"] if q.get("Name") == "Q_QC_Sales_Inbound"
    ]
    queue = client.describe_queue(InstanceId=instance, QueueId=inbound["Id"])["Queue"]
    assert numbers[queue["OutboundCallerConfig"]["OutboundCallerIdNumberId"]] == uk_sales


@pytest.mark.parametrize("users", [10])
def test_the_preflight_stops_before_the_first_write_and_leaves_a_phone_map_template(demo, tmp_path):
    run = migrate(demo, tmp_path, bu_tag="Sales")
    assert run.returncode != 0
    assert writes(demo) == {}
    [stop] = run.task_results("Stop before the first write when the preflight found a blocking problem")
    assert "nothing was written" in stop["msg"]
    [template] = tmp_path.glob("phone-map-template-*.yml")
    numbers = demo.seeded["source"]["phone_numbers"]
    # The Sales queues' outbound number, and the numbers of the other BUs' queues the main IVR's menu brings along;
    # the support hotline maps by itself (ported), the sales line has no queue of its own.
    unmapped = ("sales-outbound", "support-outbound", "billing-main", "general")
    assert yaml.safe_load(template.read_text()) == {numbers[key]: "" for key in unmapped}
    assert "queue Q_QC_Sales_Inbound" in template.read_text()
    assert list(tmp_path.glob("report-*.md")), "the report is written even when the run stops"
    assert not list(tmp_path.glob("snapshot-*")), "the preflight's read of the target (it names users) is removed"

    quota = migrate(
        demo,
        tmp_path / "quota",
        include=ALL_BUT_QUICK_CONNECTS,
        target_quotas={"users": 3},
        on_unmapped="skip",
    )
    assert quota.returncode != 0
    assert writes(demo) == {}
    [stop] = quota.task_results("Stop before the first write when the preflight found a blocking problem")
    assert "Users per instance" in stop["msg"] and "limit of 3" in stop["msg"]
    assert not list((tmp_path / "quota").glob("snapshot-*"))


@pytest.mark.parametrize("users", [40])
def test_an_import_killed_mid_chunk_resumes_to_completion_without_duplicates_or_lost_passwords(demo, tmp_path):
    # CreateUser at 2/s (burst 1) in chunks of 10: a chunk takes about 5 s, time enough to kill it mid-way.
    extra_vars = {
        "source": DEMO_SOURCE_ALIAS,
        "source_region": DEMO_SOURCE_REGION,
        "target": DEMO_TARGET_ALIAS,
        "target_region": DEMO_TARGET_REGION,
        # The rerun uses the same output directory, as rerunning the same command does.
        "output_dir": str(tmp_path / "output"),
        "phone_map": str(DEMO_PHONE_MAP),
        "on_unmapped": "skip",
        "chunk_size": 10,
        # Paced: CreateUser at 2/s, every other API as good as unpaced (a rate factor of 0 would turn pacing off).
        "api_rate_factor": 1000,
        "api_rates": {"CreateUser": {"rate": 2, "burst": 1}},
        # The killed run leaves the target's lease behind; a short one lets the rerun take it over (test_kills.py
        # pins the refusal and the takeover themselves).
        "lease_duration": 1,
    }
    command, env = playbook_command(PLAYBOOK, extra_vars, demo.env(DEMO_SOURCE_REGION), callback="default")
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            created = demo.stats()["apis"].get("CreateUser", {}).get("calls", 0)
            if created >= 13:  # the second chunk of users is under way
                break
            assert process.poll() is None, "the run ended before it could be interrupted"
            time.sleep(0.2)
        kill_tree(process.pid)
    finally:
        process.wait(timeout=30)
    settle(demo)
    interrupted = len(target_names(demo, "users"))
    assert 10 < interrupted < 20, interrupted  # killed inside the second chunk, not between chunks
    # The killed chunk's passwords are on disk: every user created so far is in the file or its journal.
    [killed_file] = (tmp_path / "output").glob("passwords-*.json")
    journal = killed_file.with_name(killed_file.name + ".journal")
    assert journal.exists() and stat.S_IMODE(journal.stat().st_mode) == 0o600
    on_disk = json.loads(killed_file.read_text()) | {
        line["user"]: line["password"] for line in map(json.loads, journal.read_text().splitlines())
    }
    assert set(target_names(demo, "users")) <= set(on_disk)

    demo.reset_stats()
    resumed = migrate(
        demo, tmp_path / "output", phone_map=str(DEMO_PHONE_MAP), on_unmapped="skip", chunk_size=10, steal_lease=True
    )
    assert resumed.returncode == 0, failures(resumed)
    done = results(resumed)
    assert done["users"]["totals"]["created"] == 40 - interrupted
    assert demo.stats()["apis"]["CreateUser"]["calls"] == 40 - interrupted
    users = target_names(demo, "users")
    assert len(users) == len(set(users)) == 40
    quick_connects = target_names(demo, "quick_connects")
    assert len(quick_connects) == len(set(quick_connects))
    # Each chunk was a task of its own: 4 chunks of 10 users.
    assert len(chunks(resumed, "users")) == 4
    # One password file holds every user's password once, the killed run's users' included, and no one else.
    [password_file] = (tmp_path / "output").glob("passwords-*.json")
    assert password_file == killed_file
    assert not journal.exists()
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    text = password_file.read_text()
    passwords = json.loads(text)
    assert sorted(passwords) == sorted(users)
    assert all(text.count(json.dumps(user) + ":") == 1 for user in users)
    # A password sent before the kill is the one kept: none was replaced by a new one.
    assert all(passwords[user] == password for user, password in on_disk.items() if user in passwords)
    # And no password is anywhere else: not in the ledgers, the reports, the run logs or the bundle.
    others = [p for p in (tmp_path / "output").rglob("*") if p.is_file() and p != password_file]
    written = "".join(p.read_text(errors="replace") for p in others)
    assert not [password for password in passwords.values() if password in written]
