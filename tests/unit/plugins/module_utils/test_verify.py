"""Verification: the target matches a bundle when the import's plan for it is empty."""

from __future__ import annotations

import json
from typing import Any

from fake_connect import FakeConnect

from ansible_collections.ccaas.connect.plugins.module_utils._reader import Reader
from ansible_collections.ccaas.connect.plugins.module_utils._verify import describe, unchanged_items, verify

TARGET = {
    "hours_of_operations": [{"Name": "Office", "HoursOfOperationId": "h-1", "HoursOfOperationArn": "arn:h-1"}],
    "queues": [
        {
            "Name": "Sales",
            "QueueId": "q-1",
            "QueueArn": "arn:q-1",
            "HoursOfOperationId": "h-1",
            "MaxContacts": 99,
            "Status": "ENABLED",
            "Tags": {"BU": "Sales", "aws:cloudformation:stack": "x"},
        }
    ],
    "users": [
        {
            "Username": "jdoe",
            "Id": "u-1",
            "Arn": "arn:u-1",
            "PhoneConfig": {"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": 30000},
            "RoutingProfileId": "rp-1",
            "SecurityProfileIds": [],
        }
    ],
    "routing_profiles": [{"Name": "Sales RP", "RoutingProfileId": "rp-1", "RoutingProfileArn": "arn:rp-1"}],
}
QUICK_CONNECTS = {"list_queue_quick_connects": ("QuickConnectSummaryList", [])}


def check(bundle: dict[str, Any], levels: list[str] | None = None, resources: tuple[str, ...] = ("user_hierarchy",)):
    client = FakeConnect(TARGET, QUICK_CONNECTS, levels)
    return verify(Reader(client, "inst"), bundle, resources), client


def findings(bundle: dict[str, Any], levels: list[str] | None = None, resources: tuple[str, ...] = ("user_hierarchy",)):
    return check(bundle, levels, resources)[0]


def sales(**overrides: Any) -> dict[str, Any]:
    return {"name": "Sales", "hours_of_operation": "Office", "max_contacts": 99, "tags": {"BU": "Sales"}, **overrides}


def test_a_target_that_holds_the_bundle_matches_with_one_read_per_type_and_no_write():
    found, client = check({"queues": [sales()], "hours_of_operations": [{"name": "Office"}]}, resources=("queues",))
    assert found["ok"] is True
    assert found["types"]["queues"] == {"checked": 1, "matched": 1, "differing": 0, "missing": 0, "unresolved": 0}
    assert client.writes == []
    assert client.reads.count("search_queues") == 1


def test_a_queues_max_contacts_changed_in_the_target_is_named_with_both_values():
    found = findings({"queues": [sales(max_contacts=50)]}, resources=("queues",))
    assert found["ok"] is False
    assert found["differences"] == [
        {"type": "queues", "name": "Sales", "field": "max_contacts", "expected": 50, "actual": 99}
    ]
    assert "queue Sales: max_contacts is 99 in the target, the bundle says 50" in found["summary"]


def test_a_tag_the_target_has_beyond_the_bundle_is_a_difference_but_aws_tags_are_not():
    found = findings({"queues": [sales(tags={})]}, resources=("queues",))
    assert found["differences"] == [
        {"type": "queues", "name": "Sales", "field": "tags.BU", "expected": None, "actual": "Sales"}
    ]


def test_a_structure_is_compared_member_by_member_in_the_bundles_units():
    user = {"username": "jdoe", "phone_config": {"phone_type": "SOFT_PHONE", "after_contact_work_time_limit": 45}}
    found = findings({"users": [user]}, resources=("users",))
    [difference] = found["differences"]
    assert (difference["field"], difference["expected"], difference["actual"]) == (
        "phone_config.after_contact_work_time_limit",
        45,
        30,
    )


def test_an_item_the_target_lacks_is_missing_and_a_missing_reference_is_unresolved():
    found = findings(
        {
            "queues": [
                sales(),
                {"name": "Billing", "hours_of_operation": "Office"},
                sales(name="X", hours_of_operation="24x7"),
            ]
        },
        resources=("queues",),
    )
    assert found["missing"] == [{"type": "queues", "name": "Billing"}]
    assert found["unresolved"][0]["name"] == "X"
    assert "hours of operation '24x7' not found in target" in found["unresolved"][0]["reason"]
    assert found["types"]["queues"]["matched"] == 1


def test_hierarchy_level_names_are_checked_with_the_groups():
    found = findings({"user_hierarchy": {"levels": ["Region", "Site"], "groups": []}}, levels=["Region"])
    assert {
        "type": "user_hierarchy",
        "name": "levels",
        "field": "levels",
        "expected": ["Region", "Site"],
        "actual": ["Region"],
    } in found["differences"]


def test_a_list_difference_says_what_is_lacking_and_what_is_extra():
    text = describe(
        {"type": "queues", "name": "Hub", "field": "quick_connects", "expected": ["A", "B"], "actual": ["B", "C"]}
    )
    assert text == "queue Hub: quick_connects lacks ['A'] and has extra ['C']"


def test_the_summary_lists_twenty_findings_and_counts_the_rest():
    queues = [{"name": f"Q{n}", "hours_of_operation": "Office"} for n in range(25)]
    found = findings({"queues": queues}, resources=("queues",))
    assert found["summary"].count("\n- ") == 21
    assert found["summary"].endswith("and 5 more (see the differences in the result)")


def test_what_the_run_did_not_write_is_compared_with_the_given_reads_and_everything_else_read_again():
    queues = [
        {**TARGET["queues"][0]},
        {**TARGET["queues"][0], "Name": "Support", "QueueId": "q-2", "QueueArn": "arn:q-2", "Tags": {"BU": "Sales"}},
    ]
    client = FakeConnect({**TARGET, "queues": queues}, QUICK_CONNECTS)
    target = Reader(client, "inst")
    # The preflight's answers for both queues' quick connects; the run wrote Support (an update, say).
    given = [["queues", ["sublist", "ListQueueQuickConnects", "quick_connects", qid], []] for qid in ("q-1", "q-2")]
    target.give_item_reads(given, ["queues"])
    bundle = {
        "queues": [sales(quick_connects=[]), sales(name="Support", quick_connects=[])],
        "hours_of_operations": [{"name": "Office"}],
    }
    found = verify(target, bundle, ("queues",), unchanged={"queues": {"Sales"}})
    assert found["ok"] is True, found["summary"]
    assert client.reads.count("list_queue_quick_connects") == 1  # Support's, read again; Sales's as given
    assert client.reads.count("search_queues") == 1  # every list is read afresh
    assert found["from_preflight"] == {"queues": 1}
    assert "of 1 queue(s) the run did not write were compared as the preflight read them" in found["summary"]


def test_an_item_is_unchanged_only_when_every_outcome_says_so_and_the_ledger_never_names_it(tmp_path):
    results = tmp_path / "results.jsonl"
    lines = [
        {"resource_type": "queues", "item_results": [{"name": "Sales", "outcome": "unchanged"}]},
        {"resource_type": "queues", "item_results": [{"name": "Sales", "outcome": "unchanged"}]},  # a second pass
        {"resource_type": "queues", "item_results": [{"name": "Support", "outcome": "unchanged"}]},
        {"resource_type": "queues", "item_results": [{"name": "Support", "outcome": "updated"}]},  # its second pass
        {"resource_type": "users", "item_results": [{"name": "jdoe", "outcome": "unchanged"}]},
        {"resource_type": "users", "item_results": [{"name": "asmith", "outcome": "unchanged"}]},
    ]
    results.write_text("".join(json.dumps(line) + "\n" for line in lines) + '{"torn')
    ledger = tmp_path / "ledger.jsonl"
    # A task that died before writing its results still recorded what it wrote.
    ledger.write_text(json.dumps({"type": "users", "name": "asmith", "action": "updated", "api": "UpdateUserX"}) + "\n")
    assert unchanged_items(str(results), str(ledger)) == {"queues": {"Sales"}, "users": {"jdoe"}}
    assert unchanged_items(str(tmp_path / "none.jsonl"), str(ledger)) == {}
