"""Preflight: the plan of every phase, the quotas an import would exceed, and how long it takes at the quotas."""

from __future__ import annotations

from typing import Any

import pytest
from botocore import xform_name

from ansible_collections.ccaas.connect.plugins.module_utils import _preflight
from ansible_collections.ccaas.connect.plugins.module_utils._executor import ItemPlan
from ansible_collections.ccaas.connect.plugins.module_utils._preflight import (
    PhasePlan,
    auto_chunk_size,
    chunk_size_for,
    import_steps,
    option_problems,
    plan_phases,
    reads_own_type_from_preflight,
    run_preflight,
    summary,
    task_seconds,
)
from ansible_collections.ccaas.connect.plugins.module_utils._ratelimit import RateLimiter
from ansible_collections.ccaas.connect.plugins.module_utils._reader import Reader
from ansible_collections.ccaas.connect.plugins.module_utils._resources import IMPORT_PHASES, RESOURCE_TYPES

READS = {xform_name(t.read.api): t.key for t in RESOURCE_TYPES.values()}


class ReadOnlyClient:
    """Answers every type's read API from records; any write would raise (a preflight makes none)."""

    def __init__(self, records: dict[str, list[dict[str, Any]]]) -> None:
        self.records = records
        self.calls: list[str] = []

    def __getattr__(self, method: str):
        if method in READS:
            rtype = RESOURCE_TYPES[READS[method]]

            def read(**_params: Any) -> dict[str, Any]:
                self.calls.append(method)
                return {rtype.read.result_key: self.records.get(rtype.key, [])}

            return read
        if method.startswith("list_"):
            return lambda **_params: {"QuickConnectSummaryList": [], "RoutingProfileQueueConfigSummaryList": []}
        raise AttributeError(f"a preflight must not call {method}")


TARGET_RECORDS = {
    "security_profiles": [{"SecurityProfileName": "Agent", "Id": "sp-agent", "Arn": "arn:sp-agent"}],
    "hours_of_operations": [
        {"Name": "Basic Hours", "HoursOfOperationId": "h-basic", "HoursOfOperationArn": "arn:h-basic"}
    ],
    "contact_flows": [{"Name": "Transfer to Sales", "Id": "f-1", "Arn": "arn:f-1"}],
}


def small_bundle(users: int) -> dict[str, Any]:
    return {
        "hours_of_operations": [{"name": "Office", "time_zone": "UTC", "config": []}],
        "queues": [{"name": f"Q{n}", "hours_of_operation": "Office", "quick_connects": ["To Q0"]} for n in range(3)],
        "routing_profiles": [
            {
                "name": "Sales RP",
                "default_outbound_queue": "Q0",
                "media_concurrencies": [{"channel": "VOICE", "concurrency": 1}],
                "queue_configs": [{"queue": "Q1", "channel": "VOICE", "priority": 1, "delay": 0}],
            }
        ],
        "users": [
            {
                "username": f"agent{n}",
                "phone_config": {"phone_type": "SOFT_PHONE"},
                "routing_profile": "Sales RP",
                "security_profiles": ["Agent"],
            }
            for n in range(users)
        ],
        "quick_connects": [
            {
                "name": "To Q0",
                "quick_connect_config": {
                    "quick_connect_type": "QUEUE",
                    "queue_config": {"queue": "Q0", "contact_flow": "Transfer to Sales"},
                },
            }
        ],
    }


def preflight(users: int = 5, **options: Any):
    client = ReadOnlyClient(TARGET_RECORDS)
    result = run_preflight(Reader(client, "i-1"), small_bundle(users), **options)
    return result, client


def test_an_empty_target_plans_every_phase_in_order_each_seeing_what_the_earlier_ones_create():
    result, _client = preflight()
    plan = summary(result)
    assert list(plan) == [
        "hours of operation",
        "queues",
        "routing profiles",
        "users",
        "quick connects",
        "queue quick connects",
    ]
    assert plan["queues"]["create"] == ["Q0", "Q1", "Q2"]
    assert plan["routing profiles"]["calls"] == {"AssociateRoutingProfileQueues": 1, "CreateRoutingProfile": 1}
    assert len(plan["users"]["create"]) == 5 and plan["users"]["failed"] == []
    # Queues were created without their quick connects; the last phase associates them.
    assert plan["queue quick connects"]["update"] == ["Q0", "Q1", "Q2"]
    assert plan["queue quick connects"]["calls"] == {"AssociateQueueQuickConnects": 3}
    assert result.blocking == []


def test_ten_users_into_an_instance_whose_user_quota_is_three_block_the_import_before_any_write():
    result, client = preflight(users=10, target_quotas={"users": 3})
    [users] = [row for row in result.quotas if row["type"] == "users"]
    assert users == {
        "quota": "Users per instance",
        "code": "L-9A46857E",
        "type": "users",
        "limit": 3,
        "existing": 0,
        "creating": 10,
        "after": 10,
        "exceeded": True,
    }
    assert any("Users per instance" in problem and "limit of 3" in problem for problem in result.blocking)
    assert all(call.startswith(("search_", "list_", "describe_")) for call in client.calls)


def test_a_raised_quota_stated_by_its_service_quotas_code_is_taken():
    result, _client = preflight(users=10, target_quotas={"L-9A46857E": 20000})
    [users] = [row for row in result.quotas if row["type"] == "users"]
    assert users["limit"] == 20000 and not users["exceeded"]


def test_an_unknown_quota_name_is_a_blocking_problem_not_ignored():
    result, _client = preflight(target_quotas={"agents": 10})
    assert any("unknown quota 'agents'" in problem for problem in result.blocking)


def test_the_estimate_is_calls_over_the_rate_per_api_and_the_slowest_api_bounds_each_phase():
    result, _client = preflight(users=200, limiter=RateLimiter(), chunk_size=100)
    users = next(row for row in result.estimate["phases"] if row["phase"] == "users")
    # 200 CreateUser at 2/s: 100 s. No burst: every import task starts its buckets empty.
    assert users["calls"]["CreateUser"] == 200
    assert users["bottleneck"] == "CreateUser"
    # and each task's start-up, a fixed part and a part for the size of the bundle it parses
    per_task = result.estimate["task_startup_seconds"]
    assert per_task == pytest.approx(
        task_seconds(sum(p.count for p in result.phases if p.phase.second_pass is None)), abs=0.01
    )
    assert users["seconds"] == pytest.approx(100.0 + 2 * per_task, abs=0.1)
    assert users["tasks"] == 2
    # The phase's first chunk reads the users and what they reference, once for both (the role's snapshot).
    assert users["calls"]["SearchUsers"] == 1
    assert result.estimate["seconds"] == pytest.approx(
        sum(row["seconds"] for row in result.estimate["phases"]), abs=0.5
    )


def test_raised_rates_shorten_the_estimate_and_no_pacing_means_no_wait():
    raised, _client = preflight(users=200, limiter=RateLimiter({"CreateUser": 20}))
    users = next(row for row in raised.estimate["phases"] if row["phase"] == "users")
    per_task = raised.estimate["task_startup_seconds"]
    # The 200 users fit in one chunk, so their phase shares a task with the other small phases, and its start-up.
    shared = next(step for step in import_steps(raised.phases) if "users" in step["phases"])
    assert len(shared["phases"]) > 1
    assert users["seconds"] == pytest.approx(200 / 20 + per_task / len(shared["phases"]), abs=0.1)
    unpaced, _client = preflight(users=200, limiter=RateLimiter(factor=0))
    tasks = len(import_steps(unpaced.phases))
    per_phase = unpaced.estimate["phase_seconds"]
    ran = sum(p.tasks for p in unpaced.phases)  # each phase's work, once in each of its tasks
    assert per_phase > 0
    assert unpaced.estimate["seconds"] == pytest.approx(tasks * per_task + ran * per_phase, abs=0.06)
    assert unpaced.estimate["paced"] is False


def test_consecutive_small_phases_share_a_task_and_a_chunked_phase_runs_a_task_per_chunk():
    result, _client = preflight(users=200, chunk_size=100)
    steps = import_steps(result.phases)
    # Every chunk of every phase is run, once, in the planned order; the users' two chunks each have a task.
    assert [(name, step["chunk"]) for step in steps for name in step["phases"]] == [
        (p.phase.name, chunk) for p in result.phases for chunk in range(1, p.tasks + 1)
    ]
    users = [step for step in steps if "users" in step["phases"]]
    assert [(s["phases"], s["chunk"], s["of"], s["items"]) for s in users] == [
        (["users"], 1, 2, 100),
        (["users"], 2, 2, 100),
    ]
    before, after = steps[: steps.index(users[0])], steps[steps.index(users[-1]) + 1 :]
    assert len(before) == len(after) == 1  # hours, queues and routing profiles; quick connects and their queues
    assert before[0]["phase"] == ", ".join(before[0]["phases"]) and before[0]["chunk"] == before[0]["of"] == 1
    assert before[0]["items"] == sum(p.count for p in result.phases if p.phase.name in before[0]["phases"])
    assert users[0]["secret"] == {"section": "users", "identity": "username", "key": "password"}
    assert before[0]["secret"] is None and after[0]["secret"] is None


def test_a_task_of_several_phases_holds_no_more_items_than_a_chunk_and_one_phases_secrets():
    result, _client = preflight(users=2, chunk_size=4)
    steps = import_steps(result.phases)
    assert all(step["items"] <= 4 or len(step["phases"]) == 1 for step in steps)
    assert [name for step in steps for name in step["phases"]] == [p.phase.name for p in result.phases]
    users = next(p for p in result.phases if p.phase.name == "users")
    twice = import_steps([users, PhasePlan(users.phase, [], 1, 1, 4)])  # two phases with passwords
    assert [step["phases"] for step in twice] == [["users"], ["users"]]
    assert import_steps([PhasePlan(users.phase, [], 0, 0, 4)]) == []  # nothing to import: no task


def user_plans(actions: list[str]):
    users = next(p for p in IMPORT_PHASES if p.name == "users")
    items = [{"username": f"agent{n}"} for n in range(len(actions))]
    plans = [ItemPlan(f"user agent{n}", f"agent{n}", action) for n, action in enumerate(actions)]
    return users, items, plans


@pytest.mark.parametrize(
    "actions, size",
    [
        (["unchanged"] * 2000, 2000),  # a rerun: one task
        (["unchanged", "unchanged", "unchanged", "created"] * 500, 400),  # 500 writes spread: 5 tasks of 100 writes
        (["unchanged"] * 1000 + ["updated"] * 1000, 100),  # writes bunched together: chunks of 100
        (["created"] * 2000, 100),  # an import: chunks of 100
        (["unchanged"] * 1999 + ["created"], 2000),
        (["created"] * 150, 100),
        (["unchanged"] * 25_000, 8_334),  # at most 10,000 items a task: three
        ([], 100),
    ],
)
def test_a_phases_chunks_are_as_large_as_they_can_be_with_no_more_writes_each_than_chunk_size(actions, size):
    phase, items, plans = user_plans(actions)
    chosen = chunk_size_for(phase, items, plans, 100)
    assert chosen == size
    for start in range(0, len(actions), chosen):
        assert sum(a != "unchanged" for a in actions[start : start + chosen]) <= 100


def test_an_item_the_preflight_found_failing_counts_with_the_items_to_do():
    phase, items, plans = user_plans(["unchanged"] * 300)
    for plan in plans[:150]:
        plan.error = "its routing profile is not in the target"
    assert chunk_size_for(phase, items, plans, 100) == 100


def test_chunks_grow_only_where_the_import_takes_the_phases_type_from_the_preflights_read(monkeypatch):
    def all_unchanged(_target, phase, _resources, items, *_args, **_kwargs):
        identity = phase.rtype.identity_key
        return [ItemPlan(f"{phase.type_key} {e[identity]}", str(e[identity]), "unchanged") for e in items]

    monkeypatch.setattr(_preflight, "plan_phase", all_unchanged)
    bundle = small_bundle(300)
    client = ReadOnlyClient(TARGET_RECORDS)
    apart = {p.phase.name: (p.size, p.tasks) for p in plan_phases(Reader(client, "i-1"), bundle, 100)}
    kept = plan_phases(Reader(client, "i-1"), bundle, 100, from_preflight=True)
    assert apart["users"] == (100, 3)
    assert {p.phase.name: (p.size, p.tasks) for p in kept}["users"] == (300, 1)
    # Read afresh by its task (a second pass, whose type the first pass wrote): chunks of chunk_size.
    assert all(p.size == 100 for p in kept if not reads_own_type_from_preflight(p.phase))
    assert [s["phases"] for s in import_steps(kept) if "users" in s["phases"]] == [["users"]]


class DescribingClient(ReadOnlyClient):
    """Also answers DescribeUser and ListUserProficiencies, for users the target holds."""

    def describe_user(self, InstanceId: str, UserId: str) -> dict[str, Any]:
        self.calls.append("describe_user")
        return {"User": {"Id": UserId, "IdentityInfo": {"Email": f"{UserId}@example.com"}}}

    def list_user_proficiencies(self, **_params: Any) -> dict[str, Any]:
        self.calls.append("list_user_proficiencies")
        return {"UserProficiencyList": []}


def test_the_estimate_counts_the_reads_of_existing_items_per_task_and_the_verify_after_the_import():
    existing = [
        {"Username": f"agent{n}", "Id": f"agent{n}", "Arn": f"arn:agent{n}", "RoutingProfileId": "rp"}
        for n in range(100)
    ]
    client = DescribingClient({**TARGET_RECORDS, "users": existing})
    bundle = small_bundle(300)
    for user in bundle["users"]:
        user.update(identity_info={"email": f"{user['username']}@example.com"}, proficiencies=[])
    result = run_preflight(Reader(client, "i-1"), bundle, limiter=RateLimiter(), chunk_size=100)
    users = next(row for row in result.estimate["phases"] if row["phase"] == "users")
    # The 100 users the target holds are described and their proficiencies listed (by the import's planner).
    assert users["calls"]["DescribeUser"] == users["calls"]["ListUserProficiencies"] == 100
    assert client.calls.count("describe_user") == client.calls.count("list_user_proficiencies") == 100
    assert users["calls"]["CreateUser"] == 200
    # After the import, verify reads every user again: its pages, and each user's Describe and proficiencies,
    # the two APIs side by side, so 300 calls at 2/s each.
    verify = result.estimate["verify"]
    assert verify["calls"]["DescribeUser"] == verify["calls"]["ListUserProficiencies"] == 300
    assert verify["seconds"] >= 300 / 2 + result.estimate["task_startup_seconds"]
    assert verify["seconds"] < 2 * 300 / 2


def test_kept_for_the_import_the_preflights_reads_of_a_phases_own_type_are_not_counted_again():
    existing = [
        {"Username": f"agent{n}", "Id": f"agent{n}", "Arn": f"arn:agent{n}", "RoutingProfileId": "rp"}
        for n in range(100)
    ]
    bundle = small_bundle(300)
    for user in bundle["users"]:
        user.update(identity_info={"email": f"{user['username']}@example.com"}, proficiencies=[])
    rows = {}
    for kept in (False, True):
        client = DescribingClient({**TARGET_RECORDS, "users": existing})
        result = run_preflight(
            Reader(client, "i-1"), bundle, limiter=RateLimiter(), chunk_size=100, kept_for_import=kept
        )
        rows[kept] = next(row for row in result.estimate["phases"] if row["phase"] == "users")
    # The users phase takes its users and their Describe and proficiencies from the preflight's read; the types
    # its users reference, which earlier phases write, its first task reads.
    assert rows[False]["calls"]["DescribeUser"] == 100 and "DescribeUser" not in rows[True]["calls"]
    assert "ListUserProficiencies" not in rows[True]["calls"] and "SearchUsers" not in rows[True]["calls"]
    assert rows[True]["calls"]["SearchRoutingProfiles"] == rows[False]["calls"]["SearchRoutingProfiles"] == 1
    assert rows[True]["seconds"] <= rows[False]["seconds"]  # CreateUser bounds both here


def test_only_a_phase_whose_type_no_earlier_phase_writes_takes_it_from_the_preflight():
    taken = {phase.name for phase in IMPORT_PHASES if reads_own_type_from_preflight(phase)}
    firsts = {}
    for phase in IMPORT_PHASES:
        firsts.setdefault(phase.type_key, phase.name)
    assert taken == set(firsts.values())
    by_name = {phase.name: phase for phase in IMPORT_PHASES}
    # A second pass's type was written by its first pass: read afresh.
    assert not reads_own_type_from_preflight(by_name["queue quick connects"])
    assert not reads_own_type_from_preflight(by_name["contact flow content"])
    assert reads_own_type_from_preflight(by_name["users"])


def test_a_flow_the_target_lacks_blocks_with_on_unmapped_fail_and_names_who_uses_it():
    client = ReadOnlyClient({**TARGET_RECORDS, "contact_flows": []})
    result = run_preflight(Reader(client, "i-1"), small_bundle(1))
    assert "contact flow 'Transfer to Sales' is not in the target (used by quick connect To Q0)" in result.blocking


def test_the_quota_defaults_agree_with_the_emulators_table():
    import json
    from pathlib import Path

    from ansible_collections.ccaas.connect.plugins.module_utils._quota_table import INSTANCE_QUOTAS

    path = Path(__file__).resolve().parents[4] / "emulator" / "connect_emulator" / "data" / "quotas.json"
    emulator = json.loads(path.read_text())["quotas"]
    by_code = {q["name"]: (q["code"], q["default"]) for q in emulator.values()}
    for name, code, default in INSTANCE_QUOTAS.values():
        assert by_code[name] == (code, default), name


# ---- options and mappings, refused before the first call ------------------------------------------


def test_options_are_refused_naming_the_option_before_any_call():
    from ansible_collections.ccaas.connect.plugins.module_utils._preflight import option_problems

    assert option_problems(chunk_size=500, regions={"region": "eu-west-2", "source.region": None}) == []
    problems = option_problems(
        chunk_size=0,
        regions={"region": "not_a_region", "source.region": "us-gov-west-1"},
        phone_map={"+16465550179": "not-a-number", "call me": "+442079460631", "+18885550155": ""},
        flow_map={"Main": "", "Other": ["x"]},
    )
    assert problems == [
        "chunk_size: must be a whole number of at least 1, or auto, not 0",
        "region: 'not_a_region' is not an AWS region name (such as eu-west-2)",
        "phone_map['+16465550179']: the target must be an E.164 number or a phone number ID or ARN, not 'not-a-number'",
        "phone_map['call me']: the source must be an E.164 number (+442079460000) or a phone number ID or ARN",
        "flow_map['Main']: the target flow name must be a string of 1 to 127 characters",
        "flow_map['Other']: the target flow name must be a string of 1 to 127 characters",
    ]
    assert option_problems(chunk_size=-1, regions={})[0].startswith("chunk_size:")
    assert option_problems(chunk_size=1, regions={}, phone_map=["+1"])[0].startswith("phone_map: a dictionary")


def test_the_target_is_the_source_when_their_arns_are_one():
    from ansible_collections.ccaas.connect.plugins.module_utils._preflight import same_instance

    one = {"Id": "i-1", "Arn": "arn:aws:connect:us-east-1:123:instance/i-1"}
    assert same_instance(one, dict(one))
    assert not same_instance(one, {"Id": "i-1", "Arn": "arn:aws:connect:eu-west-2:123:instance/i-1"})
    assert not same_instance(one, {"Id": "i-2", "Arn": "arn:aws:connect:us-east-1:123:instance/i-2"})


def test_the_instance_defaults_agree_with_what_the_emulators_new_instance_holds():
    defaults = pytest.importorskip("connect_emulator.domain.defaults")
    from ansible_collections.ccaas.connect.plugins.module_utils._resources import DEFAULT_FLOWS, DEFAULT_PROMPTS

    assert set(DEFAULT_FLOWS) == {name for name, _type in defaults.FLOWS}
    assert set(DEFAULT_PROMPTS) == set(defaults.PROMPTS)


def test_auto_chunks_keep_a_tasks_start_up_under_two_percent_of_its_time_at_the_create_user_quota():
    assert auto_chunk_size(RateLimiter()) == 500  # 2/s: 250 s a chunk, the start-up 0.4% of it
    assert auto_chunk_size(RateLimiter(factor=20)) == 2800  # 40/s: 70 s a chunk, the 1.4 s start-up 2%
    assert auto_chunk_size(RateLimiter(factor=1000)) == 10_000  # never more
    assert auto_chunk_size(RateLimiter(factor=0)) == 500  # unpaced: nothing to weigh the start-up against
    assert option_problems(chunk_size="auto", regions={}) == []
    assert option_problems(chunk_size="big", regions={}) == [
        "chunk_size: must be a whole number of at least 1, or auto, not 'big'"
    ]
