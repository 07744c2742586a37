"""Importing a bundle through ansible-playbook into the emulator's empty target: create, rerun, dry run."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ansible_collections.ccaas.connect.plugins.module_utils._bundle import make_bundle
from ansible_collections.ccaas.connect.plugins.module_utils._resources import IMPORT_PHASES

from .conftest import ROOT, playbook_command, run_playbook

pytestmark = pytest.mark.integration

PLAYBOOK = "playbooks/import.yml"
# The import's phases, in order (the import role runs them all with one task, chunk by chunk).
TASKS = tuple(phase.name for phase in IMPORT_PHASES)
IMPORT_TASK = "Import, phase by phase, chunk by chunk"
READ_PREFIXES = ("Describe", "List", "Search", "Get")


def bundle(users: int = 5) -> dict[str, Any]:
    """A small bundle with the awkward sizes: 25 queue configs on one profile, 60 quick connects on one queue."""
    queues = [{"name": f"Q{n:02}", "hours_of_operation": "Office", "tags": {"BU": "Sales"}} for n in range(30)]
    queues.append({"name": "Hub", "hours_of_operation": "Office", "quick_connects": [f"QC{n:02}" for n in range(60)]})
    return {
        "hours_of_operations": [
            {
                "name": "Office",
                "time_zone": "Europe/London",
                "config": [
                    {"day": day, "start_time": {"hours": 9, "minutes": 0}, "end_time": {"hours": 17, "minutes": 30}}
                    for day in ("MONDAY", "TUESDAY")
                ],
            }
        ],
        # Not imported: mapped onto the target's flows by name.
        "contact_flows": [{"name": "Transfer to Sales", "type": "QUEUE_TRANSFER"}],
        "security_profiles": [
            {
                "name": "Sales Agent",
                "description": "Sales",
                "permissions": ["BasicAgentAccess"],
                "allowed_access_control_tags": {"BU": "Sales"},
                "tag_restricted_resources": ["Queue", "User"],
                "applications": [{"namespace": "acme-crm", "application_permissions": ["ACCESS"]}],
            }
        ],
        "user_hierarchy": {"levels": ["Region", "Site"], "groups": [{"path": "EMEA"}, {"path": "EMEA/London"}]},
        "queues": queues,
        "routing_profiles": [
            {
                "name": "Big RP",
                "description": "Twenty-five queues",
                "default_outbound_queue": "Q00",
                "media_concurrencies": [{"channel": "VOICE", "concurrency": 1}],
                "queue_configs": [
                    {"queue": f"Q{n:02}", "channel": "VOICE", "priority": 1 + n % 3, "delay": 0} for n in range(25)
                ],
            }
        ],
        # The built-in Available is the target's own (mapped by name, not written); the others are created.
        "agent_statuses": [
            {"name": "Available", "type": "ROUTABLE", "state": "ENABLED", "display_order": 1},
            {"name": "Lunch", "description": "Lunch break", "type": "CUSTOM", "state": "ENABLED", "display_order": 3},
            {"name": "Project Work", "type": "CUSTOM", "state": "DISABLED", "tags": {"BU": "Sales"}},
        ],
        "users": [
            {
                "username": f"agent{n}",
                "identity_info": {"first_name": "Agent", "last_name": str(n)},
                "phone_config": {"phone_type": "SOFT_PHONE", "after_contact_work_time_limit": 30},
                "routing_profile": "Big RP",
                "security_profiles": ["Sales Agent"],
                "hierarchy_group": "EMEA/London",
                "after_contact_work_configs": [
                    {"channel": "CHAT", "after_contact_work_config": {"after_contact_work_time_limit": 0}},
                    {"channel": "VOICE", "after_contact_work_config": {"after_contact_work_time_limit": 45}},
                ],
                "tags": {"BU": "Sales"},
            }
            for n in range(users)
        ],
        "quick_connects": [
            {
                "name": f"QC{n:02}",
                "quick_connect_config": {
                    "quick_connect_type": "QUEUE",
                    "queue_config": {"queue": f"Q{n % 30:02}", "contact_flow": "Transfer to Sales"},
                },
            }
            for n in range(60)
        ],
    }


def without_quick_connects(data: dict[str, Any]) -> dict[str, Any]:
    queues = [q for q in data["queues"] if "quick_connects" not in q]
    return {**{k: v for k, v in data.items() if k != "quick_connects"}, "queues": queues}


def as_bundle(resources: dict[str, Any]) -> dict[str, Any]:
    """Resources as a whole bundle document, as an export writes it (the import refuses anything less)."""
    return make_bundle(resources, region="us-east-1", instance_alias="acme-source", exported_at="2026-11-25T14:30:00Z")


def run(emulator, target, data, *args, **extra):
    extra_vars = {
        "bundle": as_bundle(data),
        "target": target["alias"],
        "target_region": target["region"],
        "api_rate_factor": 0,
        # The run's files (report, ledger) beside the password file, in the test's own directory.
        "output_dir": str(Path(extra["password_file"]).parent),
        **extra,
    }
    return run_playbook(PLAYBOOK, extra_vars, emulator.env(target["region"]), *args)


def writes(emulator) -> dict[str, int]:
    """Write calls per API to the instances' configuration; the run lease (tags on an instance's own ARN,
    docs/migrate.md) is not configuration and is counted apart (`lease_writes`)."""
    stats = emulator.stats()
    lease = stats.get("instance_tags", {})
    counted = {api: v["calls"] - lease.get(api, 0) for api, v in stats["apis"].items()}
    return {api: n for api, n in counted.items() if n and not api.startswith(READ_PREFIXES)}


def chunks(run_, phase: str) -> list[dict[str, Any]]:
    """The results of a phase's chunks: the phase's part of each task's result (counts, failures; a task may run
    several small phases, each in its `phases`) with its items' outcomes and diffs, which the module writes to
    the results file rather than to Ansible's output."""
    found = []
    lines: dict[str, list[dict[str, Any]]] = {}
    for r in run_.task_results(IMPORT_TASK):
        for task in r.get("results", []):
            for chunk in task.get("phases", []):
                if chunk["phase"] != phase or "totals" not in chunk:
                    continue
                items: list[dict[str, Any]] = []
                if chunk.get("results_file"):
                    path = chunk["results_file"]
                    if path not in lines:
                        lines[path] = [json.loads(line) for line in Path(path).read_text().splitlines()]
                    index = chunk["chunk"]["index"]
                    [line] = [x for x in lines[path] if x["phase"] == phase and x["chunk"]["index"] == index]
                    items = line["item_results"]
                changed = [
                    i["diff"] for i in items if "diff" in i and i["outcome"] in ("created", "updated", "deleted")
                ]
                found.append({**chunk, "item_results": items, "diff": changed, "ccaas_step": task.get("ccaas_step")})
    return found


def failures(run_) -> list[Any]:
    failed = [(name, c.get("failures")) for name in TASKS for c in chunks(run_, name) if c.get("failures")]
    # A chunk whose module could not run has no totals; its message is the one that says why.
    failed += [
        (
            c.get("ccaas_step", {}).get("phase"),
            c.get("msg"),
            c.get("module_stderr", "")[-2000:] or c.get("exception", "")[-2000:],
        )
        for r in run_.task_results(IMPORT_TASK)
        for c in r.get("results", [])
        if c.get("failed") and "totals" not in c
    ]
    tasks = [
        (task["task"]["name"], host.get("msg"))
        for play in run_.output.get("plays", [])
        for task in play["tasks"]
        for host in task["hosts"].values()
        if host.get("failed")
    ]
    return failed + tasks


def results(run_) -> dict[str, dict[str, Any]]:
    """Per task, its chunks merged into one result: results in order, totals summed, changed if any chunk changed."""
    merged = {}
    for name in TASKS:
        parts = chunks(run_, name)
        if not parts:
            continue
        totals = {k: sum(p["totals"][k] for p in parts) for k in parts[0]["totals"]}
        merged[name] = {
            "item_results": [item for p in parts for item in p["item_results"]],
            "totals": totals,
            "changed": any(p.get("changed") for p in parts),
            "diff": [d for p in parts for d in p.get("diff", [])],
        }
    return merged


def test_a_bundle_imports_whole_into_an_empty_target_and_a_rerun_writes_nothing(target, tmp_path):
    emulator, tgt = target
    password_file = str(tmp_path / "passwords.json")
    first = run(emulator, tgt, bundle(), password_file=password_file)
    assert first.returncode == 0, failures(first)
    done = results(first)
    assert done["users"]["totals"]["created"] == 5
    assert done["queues"]["totals"]["created"] == 31
    assert done["quick connects"]["totals"]["created"] == 60
    assert done["agent statuses"]["totals"] == {**done["agent statuses"]["totals"], "created": 2, "failed": 0}
    made = writes(emulator)
    assert made["CreateUser"] == 5
    assert made["CreateAgentStatus"] == 2 and "UpdateAgentStatus" not in made
    assert made["AssociateRoutingProfileQueues"] == 3  # 25 configs in chunks of 10
    assert made["AssociateQueueQuickConnects"] == 2  # 60 quick connects in chunks of 50

    client = emulator.client(tgt["region"])
    instance = tgt["instance_id"]
    [profile] = [
        p
        for p in client.list_routing_profiles(InstanceId=instance)["RoutingProfileSummaryList"]
        if p["Name"] == "Big RP"
    ]
    configs = client.list_routing_profile_queues(InstanceId=instance, RoutingProfileId=profile["Id"], MaxResults=100)
    assert len(configs["RoutingProfileQueueConfigSummaryList"]) == 25
    [hub] = [q for q in client.list_queues(InstanceId=instance)["QueueSummaryList"] if q.get("Name") == "Hub"]
    quick = client.list_queue_quick_connects(InstanceId=instance, QueueId=hub["Id"], MaxResults=100)
    assert len(quick["QuickConnectSummaryList"]) == 60
    statuses = {s["Name"]: s for s in client.search_agent_statuses(InstanceId=instance)["AgentStatuses"]}
    assert set(statuses) == {"Available", "Offline", "Lunch", "Project Work"}
    assert (statuses["Lunch"]["Type"], statuses["Lunch"]["State"], statuses["Lunch"]["DisplayOrder"]) == (
        "CUSTOM",
        "ENABLED",
        3,
    )
    assert (statuses["Project Work"]["State"], statuses["Project Work"]["Tags"]) == ("DISABLED", {"BU": "Sales"})

    emulator.reset_stats()
    again = run(emulator, tgt, bundle(), password_file=password_file)
    assert again.returncode == 0, failures(again)
    # Every phase the bundle has items for ran again (this bundle carries no flows, prompts or integrations), and
    # none changed anything.
    assert {name: r["changed"] for name, r in results(again).items()} == dict.fromkeys(results(first), False)
    assert writes(emulator) == {}


def test_a_target_drifted_in_per_channel_acw_and_access_control_gets_one_update_each_and_ends_equal(target, tmp_path):
    emulator, tgt = target
    data = without_quick_connects(bundle(users=2))
    password_file = str(tmp_path / "passwords.json")
    assert run(emulator, tgt, data, password_file=password_file).returncode == 0
    client = emulator.client(tgt["region"])
    instance = tgt["instance_id"]
    [agent] = client.search_users(
        InstanceId=instance,
        SearchCriteria={"StringCondition": {"FieldName": "Username", "Value": "agent0", "ComparisonType": "EXACT"}},
    )["Users"]
    [profile] = [
        p
        for p in client.list_security_profiles(InstanceId=instance)["SecurityProfileSummaryList"]
        if p["Name"] == "Sales Agent"
    ]
    voice_acw = {"Channel": "VOICE", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 300}}
    client.update_user_config(InstanceId=instance, UserId=agent["Id"], AfterContactWorkConfigs=[voice_acw])
    client.update_security_profile(
        InstanceId=instance, SecurityProfileId=profile["Id"], AllowedAccessControlTags={"BU": "Support"}
    )

    emulator.reset_stats()
    again = run(emulator, tgt, data, password_file=password_file)
    assert again.returncode == 0, failures(again)
    assert writes(emulator) == {"UpdateUserConfig": 1, "UpdateSecurityProfile": 1}
    [user_result] = [u for u in results(again)["users"]["item_results"] if u["outcome"] != "unchanged"]
    assert (user_result["name"], user_result["api_calls"]) == ("agent0", ["UpdateUserConfig"])

    # Equal in DescribeUser's seconds, and in SearchUsers' milliseconds the next rerun compares.
    described = client.describe_user(InstanceId=instance, UserId=agent["Id"])["User"]
    limits = {
        c["Channel"]: c["AfterContactWorkConfig"]["AfterContactWorkTimeLimit"]
        for c in described["AfterContactWorkConfigs"]
    }
    assert limits == {"CHAT": 0, "VOICE": 45}
    sp = client.describe_security_profile(InstanceId=instance, SecurityProfileId=profile["Id"])["SecurityProfile"]
    assert sp["AllowedAccessControlTags"] == {"BU": "Sales"}
    emulator.reset_stats()
    assert run(emulator, tgt, data, password_file=password_file).returncode == 0
    assert writes(emulator) == {}


def test_check_mode_into_an_empty_target_writes_nothing_and_predicts_exactly_the_real_runs_calls(target, tmp_path):
    emulator, tgt = target
    data = bundle()
    password_file = str(tmp_path / "passwords.json")
    dry = run(emulator, tgt, data, "--check", "--diff", password_file=password_file)
    assert dry.returncode == 0, failures(dry)
    assert writes(emulator) == {}
    predicted = {name: r["item_results"] for name, r in results(dry).items()}
    [queue] = [q for q in predicted["queues"] if q["name"] == "Q00"]
    assert queue["outcome"] == "created"
    assert queue["diff"]["after"]["hours_of_operation"] == "Office"
    assert results(dry)["users"]["diff"][0]["after"]["routing_profile"] == "Big RP"

    real = run(emulator, tgt, data, password_file=password_file)
    assert real.returncode == 0, failures(real)
    made = {name: r["item_results"] for name, r in results(real).items()}

    def comparable(per_task):
        return {
            n: [{k: v for k, v in i.items() if k not in ("id", "arn", "diff")} for i in items]
            for n, items in per_task.items()
        }

    assert comparable(made) == comparable(predicted)
    made_calls = sum(len(item["api_calls"]) for items in made.values() for item in items)
    assert made_calls == sum(writes(emulator).values())


def test_a_user_whose_security_profile_is_missing_fails_alone_naming_the_user_and_the_profile(target, tmp_path):
    emulator, tgt = target
    data = bundle(users=3)
    data["users"][1]["security_profiles"] = ["Ghost Profile"]
    # A valid bundle names every profile it uses; security profiles are left out of this import, so the
    # target must already hold them: it holds Sales Agent, not Ghost Profile.
    data["security_profiles"].append({"name": "Ghost Profile", "permissions": ["BasicAgentAccess"]})
    data = without_quick_connects(data)
    emulator.client(tgt["region"]).create_security_profile(
        InstanceId=tgt["instance_id"], SecurityProfileName="Sales Agent", Permissions=["BasicAgentAccess"]
    )
    include = ["hours_of_operations", "user_hierarchy", "queues", "routing_profiles", "users"]
    # The preflight sees the missing profile first; told to go ahead, the import fails that user alone.
    done = run(
        emulator, tgt, data, password_file=str(tmp_path / "passwords.json"), stop_on_blocking=False, include=include
    )
    assert done.returncode != 0
    [users] = chunks(done, "users")
    outcomes = {item["name"]: item for item in users["item_results"]}
    assert outcomes["agent1"]["outcome"] == "failed"
    assert outcomes["agent1"]["reason"] == "user agent1: security profile 'Ghost Profile' not found in target"
    assert outcomes["agent0"]["outcome"] == outcomes["agent2"]["outcome"] == "created"
    assert writes(emulator)["CreateUser"] == 2


def test_no_password_is_echoed_anywhere_but_the_file_the_user_named(target, tmp_path):
    emulator, tgt = target
    data = without_quick_connects(bundle(users=3))
    given = {"agent0": "GivenPassw0rd"}
    password_file = tmp_path / "passwords.json"
    extra = {"bundle": as_bundle(data), "target": tgt["alias"], "target_region": tgt["region"]}
    extra |= {"user_passwords": given, "password_file": str(password_file), "output_dir": str(tmp_path)}
    extra |= {"api_rate_factor": 0}
    run = {**emulator.env(tgt["region"]), "ANSIBLE_LOG_PATH": str(tmp_path / "ansible.log")}
    command, env = playbook_command(PLAYBOOK, extra, run, "-vvv", callback="default")
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT, timeout=900, check=False)
    assert done.returncode == 0, done.stdout[-3000:]
    generated = json.loads(password_file.read_text())
    assert set(generated) == {"agent1", "agent2"}
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    seen = done.stdout + done.stderr + (tmp_path / "ansible.log").read_text()
    # The output is really there: the users run in one task with the small phases before them.
    assert re.search(r"\(item=[a-zA-Z ,]*\busers\b[a-zA-Z ,]*: chunk 1/1, \d+ items\)", seen), seen[-3000:]
    for secret in [*given.values(), *generated.values()]:
        assert secret not in seen


def test_a_bundle_file_is_read_from_a_path_relative_to_where_ansible_playbook_runs(target, tmp_path):
    emulator, tgt = target
    path = ROOT / "output" / f"test-bundle-{os.getpid()}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(as_bundle(without_quick_connects(bundle(users=2)))))
    try:
        extra = {"bundle": str(path.relative_to(ROOT)), "target": tgt["alias"], "target_region": tgt["region"]}
        extra |= {"output_dir": str(tmp_path), "preflight_only": True, "api_rate_factor": 0}
        done = run_playbook(PLAYBOOK, extra, emulator.env(tgt["region"]))
    finally:
        path.unlink()
    assert done.returncode == 0, failures(done)
    [shown] = done.task_results("Show the preflight")
    assert any(line.split()[:2] == ["users", "2"] for line in shown["msg"]), shown["msg"]
    assert chunks(done, "users") == []  # preflight only: nothing imported
    assert writes(emulator) == {}
