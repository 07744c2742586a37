"""Rollback planning: restore what existed, then delete what the run created, dependents first."""

from __future__ import annotations

from typing import Any

from fake_connect import FakeConnect

from ansible_collections.ccaas.connect.plugins.module_utils._executor import Executor
from ansible_collections.ccaas.connect.plugins.module_utils._reader import Reader
from ansible_collections.ccaas.connect.plugins.module_utils._rollback import RollbackPlanner


def group(path: str, gid: str) -> dict[str, Any]:
    steps = path.split("/")
    levels = ("LevelOne", "LevelTwo")
    return {
        "Name": steps[-1],
        "Id": gid,
        "Arn": f"arn:{gid}",
        "HierarchyPath": {level: {"Name": step} for level, step in zip(levels, steps, strict=False)},
    }


# The target after the run: what it created, and what existed and it changed.
AFTER_RUN = {
    "hours_of_operations": [
        {"Name": "Office", "HoursOfOperationId": "h-new", "HoursOfOperationArn": "arn:h-new"},
        {"Name": "Basic", "HoursOfOperationId": "h-old", "HoursOfOperationArn": "arn:h-old"},
    ],
    "security_profiles": [{"SecurityProfileName": "Agent", "Id": "sp-new", "Arn": "arn:sp-new"}],
    "user_hierarchy_groups": [group("EMEA", "g-1"), group("EMEA/London", "g-2")],
    "queues": [
        {"Name": "Q1", "QueueId": "q-new", "QueueArn": "arn:q-new", "HoursOfOperationId": "h-new"},
        {"Name": "Old", "QueueId": "q-old", "QueueArn": "arn:q-old", "HoursOfOperationId": "h-old", "MaxContacts": 50},
    ],
    "routing_profiles": [
        {"Name": "RP", "RoutingProfileId": "rp-new", "RoutingProfileArn": "arn:rp-new"},
        {"Name": "Old RP", "RoutingProfileId": "rp-old", "RoutingProfileArn": "arn:rp-old"},
    ],
    "users": [
        {"Username": "u1", "Id": "u-new", "Arn": "arn:u-new", "RoutingProfileId": "rp-new"},
        {"Username": "jdoe", "Id": "u-old", "Arn": "arn:u-old", "RoutingProfileId": "rp-new", "Tags": {"BU": "x"}},
    ],
    "quick_connects": [{"Name": "QC1", "QuickConnectId": "qc-new", "QuickConnectARN": "arn:qc-new"}],
}
LISTS = {"list_queue_quick_connects": ("QuickConnectSummaryList", [{"Id": "qc-new"}])}


def created(seq: int, kind: str, name: str, rid: str) -> dict[str, Any]:
    return {"seq": seq, "type": kind, "name": name, "action": "created", "id": rid, "before": {}, "after": {}}


def changed(seq: int, kind: str, name: str, action: str, before: dict, after: dict) -> dict[str, Any]:
    return {"seq": seq, "type": kind, "name": name, "action": action, "before": before, "after": after}


LEDGER = [
    created(1, "hours_of_operations", "Office", "h-new"),
    created(2, "security_profiles", "Agent", "sp-new"),
    changed(3, "user_hierarchy", "levels", "updated", {"levels": []}, {"levels": ["Region", "Site"]}),
    created(4, "user_hierarchy_groups", "EMEA", "g-1"),
    created(5, "user_hierarchy_groups", "EMEA/London", "g-2"),
    created(6, "queues", "Q1", "q-new"),
    changed(7, "queues", "Old", "updated", {"max_contacts": 10}, {"max_contacts": 50}),
    created(8, "routing_profiles", "RP", "rp-new"),
    created(9, "users", "u1", "u-new"),
    changed(10, "users", "jdoe", "updated", {"routing_profile": "Old RP"}, {"routing_profile": "RP"}),
    changed(11, "users", "jdoe", "tagged", {"tags": {}}, {"tags": {"BU": "x"}}),
    created(12, "quick_connects", "QC1", "qc-new"),
    changed(13, "queues", "Q1", "associated", {"quick_connects": []}, {"quick_connects": ["QC1"]}),
    changed(14, "queues", "Old", "associated", {"quick_connects": []}, {"quick_connects": ["QC1"]}),
]


def rollback(ledger=None, records=None):
    client = FakeConnect(records or AFTER_RUN, LISTS, levels=["Region", "Site"])
    ledger = LEDGER if ledger is None else ledger
    planner = RollbackPlanner(Reader(client, "inst"))
    return planner.plan(list(ledger)), planner, client


def in_run_order(plans):
    return [plan.key for plan in sorted(plans, key=lambda p: p.wave)]


def test_what_existed_is_restored_first_then_what_the_run_created_is_deleted_dependents_first():
    plans = rollback()[0]
    assert in_run_order(plans) == [
        "restore user jdoe",
        "restore queue Old",
        "delete quick connect QC1",
        "delete user u1",
        "delete routing profile RP",
        "delete queue Q1",
        # A security profile may be restricted to a hierarchy group: it goes before the groups.
        "delete security profile Agent",
        "delete user hierarchy group EMEA/London",
        "delete user hierarchy group EMEA",
        "delete hours of operation Office",
        "restore hierarchy levels",
    ]


def test_a_restore_writes_each_field_back_to_its_value_before_the_runs_first_change():
    plans = rollback()[0]
    by_key = {plan.key: plan for plan in plans}
    user_calls = {call.api: call.params for call in by_key["restore user jdoe"].calls}
    assert user_calls["UpdateUserRoutingProfile"]["RoutingProfileId"] == "rp-old"
    assert user_calls["UntagResource"]["tagKeys"] == ["BU"]  # it had no tags before the run
    queue_calls = [call.api for call in by_key["restore queue Old"].calls]
    assert queue_calls == ["UpdateQueueMaxContacts", "DisassociateQueueQuickConnects"]


def test_later_changes_to_an_item_the_run_created_are_undone_by_deleting_it():
    plans = rollback()[0]
    assert not [plan for plan in plans if plan.key == "restore queue Q1"]
    [delete] = [plan for plan in plans if plan.key == "delete queue Q1"]
    assert [(c.api, c.params["QueueId"]) for c in delete.calls] == [("DeleteQueue", "q-new")]


def test_an_item_already_gone_or_now_another_item_of_that_name_is_left_alone():
    records = {**AFTER_RUN, "quick_connects": [], "users": [{**AFTER_RUN["users"][0], "Id": "u-someone-else"}]}
    plans = rollback([created(1, "quick_connects", "QC1", "qc-new"), created(2, "users", "u1", "u-new")], records)[0]
    assert [(plan.key, plan.action, plan.calls) for plan in plans] == [
        ("delete quick connect QC1", "unchanged", []),
        ("delete user u1", "unchanged", []),
    ]


def test_the_levels_go_back_only_after_the_groups_on_them_are_deleted():
    plans, _planner, client = rollback()
    Executor(client, workers=4).run(plans)
    apis = [method for method, _params in client.writes]
    assert apis.index("update_user_hierarchy_structure") == len(apis) - 1
    assert apis.index("delete_user_hierarchy_group") < apis.index("delete_hours_of_operation")
    assert client.writes[-1][1]["HierarchyStructure"] == {}


def test_a_field_empty_before_the_run_is_reported_as_not_restorable():
    ledger = [changed(1, "queues", "Old", "updated", {"description": None}, {"description": "New"})]
    plans, planner, _client = rollback(ledger)
    assert planner.unrestored == {"restore queue Old": ["description"]}
    assert plans[0].action == "unchanged"


def test_a_deleted_item_is_recreated_from_the_state_the_ledger_kept():
    ledger = [
        {
            "seq": 1,
            "type": "queues",
            "name": "Gone",
            "action": "deleted",
            "id": "q-gone",
            "before": {"name": "Gone", "hours_of_operation": "Basic", "max_contacts": 5},
            "after": {},
        }
    ]
    [plan] = rollback(ledger)[0]
    assert plan.action == "created"
    assert plan.calls[0].api == "CreateQueue"
    assert plan.calls[0].params["HoursOfOperationId"] == "h-old"


def test_a_resumed_run_is_undone_with_the_interrupted_runs_ledger_as_one_run():
    # The interrupted run created the hours; the run that resumed it created a queue on them.
    first = [created(1, "hours_of_operations", "Office", "h-new")]
    resumed = [created(1, "queues", "Q1", "q-new")]
    for number, entry in enumerate([*first, *resumed], start=1):  # what connect_rollback does with two ledgers
        entry["seq"] = number
    plans = rollback([*first, *resumed])[0]
    assert in_run_order(plans) == ["delete queue Q1", "delete hours of operation Office"]


def test_an_agent_status_the_run_created_is_disabled_not_deleted_and_the_planner_says_so():
    statuses = [
        {"Name": "Lunch", "AgentStatusId": "as-1", "AgentStatusARN": "arn:as-1", "Type": "CUSTOM", "State": "ENABLED"},
        {"Name": "Off", "AgentStatusId": "as-2", "AgentStatusARN": "arn:as-2", "Type": "CUSTOM", "State": "DISABLED"},
    ]
    ledger = [
        created(1, "agent_statuses", "Lunch", "as-1"),
        created(2, "agent_statuses", "Off", "as-2"),
        created(3, "users", "u1", "u-new"),
    ]
    plans, planner, client = rollback(ledger, {**AFTER_RUN, "agent_statuses": statuses})
    by_key = {plan.key: plan for plan in plans}
    assert in_run_order(plans) == ["delete user u1", "retire agent status Off", "retire agent status Lunch"]
    lunch, off = by_key["retire agent status Lunch"], by_key["retire agent status Off"]
    assert [(c.api, c.params) for c in lunch.calls] == [
        ("UpdateAgentStatus", {"InstanceId": "inst", "AgentStatusId": "as-1", "State": "DISABLED"})
    ]
    assert (off.action, off.calls) == ("unchanged", [])  # created disabled: nothing to do, and a rerun writes nothing
    assert planner.undo["retire agent status Lunch"] == ("agent_statuses", "retire")
    assert planner.retired["retire agent status Lunch"] == (
        "agent status 'Lunch': state DISABLED, not deleted (Connect has no delete for it)"
    )
    Executor(client, workers=2).run(plans)
    assert [method for method, _params in client.writes] == ["delete_user", "update_agent_status"]
    assert not any("delete_agent_status" in method for method, _params in client.writes)


def test_a_ledger_line_of_a_type_no_import_writes_fails_by_name_rather_than_being_skipped():
    plans = rollback([created(1, "task_templates", "Refund", "tt-1"), created(2, "widgets", "w", "w-1")])[0]
    assert [(p.key, p.action, p.error) for p in plans] == [
        (
            "undo task_templates Refund",
            "failed",
            "undo task_templates Refund: the ledger names a type 'task_templates' that a rollback cannot undo",
        ),
        ("undo widgets w", "failed", "undo widgets w: the ledger names a type 'widgets' that a rollback cannot undo"),
    ]
