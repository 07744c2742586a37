"""The planner's decisions, each test named for the situation it pins."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.ccaas.connect.plugins.module_utils._executor import Ref
from ansible_collections.ccaas.connect.plugins.module_utils._planner import Planner
from ansible_collections.ccaas.connect.plugins.module_utils._target import LISTERS, Target
from ansible_collections.ccaas.connect.plugins.module_utils._writes import QUEUE, ROUTING_PROFILE, USER


class FakePaginator:
    def __init__(self, pages: list[dict[str, Any]], calls: list[str], name: str) -> None:
        self.pages, self.calls, self.name = pages, calls, name

    def paginate(self, **_params: Any):
        self.calls.append(self.name)
        return iter(self.pages)


class FakeClient:
    """List/Search answers from a dict of records per kind; every read is recorded."""

    def __init__(self, records: dict[str, list[dict[str, Any]]], lists: dict[str, list[dict]] | None = None) -> None:
        self.records = records
        self.lists = lists or {}
        self.calls: list[str] = []
        self.described: dict[str, dict[str, Any]] = {}

    def get_paginator(self, method: str) -> FakePaginator:
        for kind, lister in LISTERS.items():
            if lister.method == method:
                return FakePaginator([{lister.result: self.records.get(kind, [])}], self.calls, method)
        return FakePaginator(self.lists.get(method, [{}]), self.calls, method)

    def describe_user(self, InstanceId: str, UserId: str) -> dict[str, Any]:
        self.calls.append("describe_user")
        return {"User": self.described[UserId]}


REFERENCES = {
    "routing_profile": [
        {"Name": "Sales RP", "RoutingProfileId": "rp-sales", "RoutingProfileArn": "arn:rp-sales"},
        {"Name": "Support RP", "RoutingProfileId": "rp-support", "RoutingProfileArn": "arn:rp-support"},
    ],
    "security_profile": [
        {"Name": "Agent", "Id": "sp-agent", "Arn": "arn:sp-agent"},
        {"Name": "Supervisor", "Id": "sp-sup", "Arn": "arn:sp-sup"},
    ],
    "hierarchy_group": [
        {
            "Name": "EMEA",
            "Id": "hg-emea",
            "Arn": "arn:hg-emea",
            "HierarchyPath": {"LevelOne": {"Name": "Sales"}, "LevelTwo": {"Name": "EMEA"}},
        },
    ],
    "queue": [{"Name": f"Q{n}", "QueueId": f"q-{n}", "QueueArn": f"arn:q-{n}"} for n in range(30)],
    "quick_connect": [
        {"Name": f"QC{n}", "QuickConnectId": f"qc-{n}", "QuickConnectARN": f"arn:qc-{n}"} for n in range(60)
    ],
    "hours_of_operation": [{"Name": "Office", "Id": "h-office", "Arn": "arn:h-office"}],
    "phone_number": [{"PhoneNumber": "+442071234567", "PhoneNumberId": "pn-1", "PhoneNumberArn": "arn:pn-1"}],
    "contact_flow": [{"Name": "Outbound whisper", "Id": "cf-1", "Arn": "arn:cf-1"}],
}

JDOE = {
    "Username": "jdoe",
    "Id": "u-jdoe",
    "Arn": "arn:u-jdoe",
    "IdentityInfo": {"FirstName": "Jane", "LastName": "Doe"},
    "PhoneConfig": {"PhoneType": "SOFT_PHONE", "AutoAccept": False, "AfterContactWorkTimeLimit": 30000},
    "RoutingProfileId": "rp-sales",
    "SecurityProfileIds": ["sp-agent"],
    "HierarchyGroupId": "hg-emea",
    "Tags": {"team": "blue", "aws:cloudformation:stack": "x"},
}


def planner(spec, records: dict[str, list] | None = None, lists: dict | None = None, purge_tags: bool = True):
    client = FakeClient({**REFERENCES, **(records or {})}, lists)
    return Planner(spec, Target(client, "inst-1"), purge_tags=purge_tags), client


def user(**overrides: Any) -> dict[str, Any]:
    return {"username": "jdoe", **overrides}


def only(plans):
    [plan] = plans
    return plan


# ---- users ------------------------------------------------------------------------------------


def test_new_user_is_one_create_user_with_its_references_resolved_by_name():
    plan = only(
        planner(USER)[0].plan(
            [
                user(
                    identity_info={"first_name": "Jane", "last_name": "Doe"},
                    routing_profile="Sales RP",
                    security_profiles=["Agent", "Supervisor"],
                    hierarchy_group="Sales/EMEA",
                    tags={"team": "blue"},
                )
            ]
        )
    )
    assert plan.action == "created"
    [call] = plan.calls
    assert call.api == "CreateUser"
    assert call.params["RoutingProfileId"] == "rp-sales"
    assert call.params["SecurityProfileIds"] == ["sp-agent", "sp-sup"]
    assert call.params["HierarchyGroupId"] == "hg-emea"
    assert call.params["Tags"] == {"team": "blue"}
    assert call.params["PhoneConfig"] == {"PhoneType": "SOFT_PHONE"}
    assert plan.diff["before"] == {}
    assert plan.diff["after"]["routing_profile"] == "Sales RP"


def test_existing_user_with_a_different_routing_profile_is_one_update_user_routing_profile():
    plan = only(planner(USER, {"user": [JDOE]})[0].plan([user(routing_profile="Support RP")]))
    assert plan.action == "updated"
    assert [(c.api, c.params) for c in plan.calls] == [
        ("UpdateUserRoutingProfile", {"InstanceId": "inst-1", "UserId": "u-jdoe", "RoutingProfileId": "rp-support"})
    ]
    assert plan.diff == {"before": {"routing_profile": "Sales RP"}, "after": {"routing_profile": "Support RP"}}


def test_existing_user_that_matches_is_unchanged_with_no_call():
    same = user(
        identity_info={"first_name": "Jane"},
        phone_config={"phone_type": "SOFT_PHONE", "after_contact_work_time_limit": 30},
        routing_profile="Sales RP",
        security_profiles=["Agent"],
        hierarchy_group="Sales/EMEA",
        tags={"team": "blue"},
    )
    plan = only(planner(USER, {"user": [JDOE]})[0].plan([same]))
    assert plan.action == "unchanged"
    assert plan.calls == []
    assert plan.outputs == {"id": "u-jdoe", "arn": "arn:u-jdoe"}


def test_searchusers_milliseconds_are_compared_as_the_seconds_a_task_gives():
    plan = only(planner(USER, {"user": [JDOE]})[0].plan([user(phone_config={"after_contact_work_time_limit": 30})]))
    assert plan.action == "unchanged"


def test_a_changed_phone_field_is_written_with_the_others_kept_as_they_are():
    plan = only(planner(USER, {"user": [JDOE]})[0].plan([user(phone_config={"auto_accept": True})]))
    [call] = plan.calls
    assert call.api == "UpdateUserPhoneConfig"
    assert call.params["PhoneConfig"] == {
        "PhoneType": "SOFT_PHONE",
        "AutoAccept": True,
        "AfterContactWorkTimeLimit": 30,
    }
    assert plan.diff == {
        "before": {"phone_config": {"auto_accept": False}},
        "after": {"phone_config": {"auto_accept": True}},
    }


def test_security_profiles_are_compared_as_a_set_and_ids_are_accepted():
    plan = only(planner(USER, {"user": [JDOE]})[0].plan([user(security_profiles=["sp-agent"])]))
    assert plan.action == "unchanged"
    plan = only(planner(USER, {"user": [JDOE]})[0].plan([user(security_profiles=["Supervisor", "Agent"])]))
    [call] = plan.calls
    assert call.api == "UpdateUserSecurityProfiles"
    assert sorted(call.params["SecurityProfileIds"]) == ["sp-agent", "sp-sup"]


def test_a_missing_reference_fails_the_item_alone_naming_the_user_and_the_profile():
    plans = planner(USER)[0].plan([user(routing_profile="Sales RP ", security_profiles=["Agent"]), {"username": "ok"}])
    assert plans[0].action == "failed"
    assert plans[0].error == "user jdoe: routing profile 'Sales RP ' not found in target"
    assert plans[1].action == "created"


def test_names_are_matched_case_sensitively_as_connect_does():
    plan = only(planner(USER)[0].plan([user(security_profiles=["agent"])]))
    assert plan.error == "user jdoe: security profile 'agent' not found in target"


def test_an_email_change_reads_describe_user_because_searchusers_omits_it():
    p, client = planner(USER, {"user": [JDOE]})
    client.described["u-jdoe"] = {"IdentityInfo": {"FirstName": "Jane", "LastName": "Doe", "Email": "old@x.com"}}
    plan = only(p.plan([user(identity_info={"email": "new@x.com"})]))
    [call] = plan.calls
    assert call.api == "UpdateUserIdentityInfo"
    assert call.params["IdentityInfo"] == {"FirstName": "Jane", "LastName": "Doe", "Email": "new@x.com"}
    assert client.calls.count("describe_user") == 1


def test_tags_add_change_and_purge_but_never_aws_reserved_keys():
    plan = only(planner(USER, {"user": [JDOE]})[0].plan([user(tags={"team": "red", "site": "leeds"})]))
    assert [(c.api, c.params) for c in plan.calls] == [
        ("TagResource", {"resourceArn": "arn:u-jdoe", "tags": {"team": "red", "site": "leeds"}}),
    ]
    plan = only(planner(USER, {"user": [JDOE]})[0].plan([user(tags={})]))
    assert [(c.api, c.params) for c in plan.calls] == [
        ("UntagResource", {"resourceArn": "arn:u-jdoe", "tagKeys": ["team"]})
    ]


def test_purge_tags_false_only_adds_and_unset_tags_are_left_alone():
    plan = only(planner(USER, {"user": [JDOE]}, purge_tags=False)[0].plan([user(tags={"site": "leeds"})]))
    assert [c.api for c in plan.calls] == ["TagResource"]
    assert only(planner(USER, {"user": [JDOE]})[0].plan([user()])).action == "unchanged"


def test_state_absent_deletes_an_existing_user_and_leaves_a_missing_one_alone():
    p, _ = planner(USER, {"user": [JDOE]})
    gone, missing = p.plan([user(), {"username": "ghost"}], state="absent")
    assert [(c.api, c.params) for c in gone.calls] == [("DeleteUser", {"InstanceId": "inst-1", "UserId": "u-jdoe"})]
    assert gone.action == "deleted"
    assert (missing.action, missing.calls) == ("unchanged", [])


def test_a_user_listed_twice_fails_the_second_entry():
    plans = planner(USER)[0].plan([user(), user()])
    assert [p.action for p in plans] == ["created", "failed"]
    assert "listed more than once" in plans[1].error


def test_the_target_is_read_once_per_kind_for_many_items():
    p, client = planner(USER)
    p.plan([user(username=f"u{n}", routing_profile="Sales RP", security_profiles=["Agent"]) for n in range(500)])
    assert sorted(client.calls) == ["list_security_profiles", "search_routing_profiles", "search_users"]


# ---- routing profiles -------------------------------------------------------------------------

CONCURRENCY = [{"channel": "VOICE", "concurrency": 1}]


def test_new_routing_profile_with_25_queue_configs_is_a_create_and_three_associations_of_ten():
    configs = [{"queue": f"Q{n}", "channel": "VOICE", "priority": 1, "delay": 0} for n in range(25)]
    item = {"name": "Big RP", "description": "d", "default_outbound_queue": "Q0", "media_concurrencies": CONCURRENCY}
    plan = only(planner(ROUTING_PROFILE)[0].plan([{**item, "queue_configs": configs}]))
    assert [c.api for c in plan.calls] == ["CreateRoutingProfile"] + ["AssociateRoutingProfileQueues"] * 3
    assert [len(c.params["QueueConfigs"]) for c in plan.calls[1:]] == [10, 10, 5]
    assert plan.calls[1].params["RoutingProfileId"] == Ref("routing profile Big RP", "id")
    assert plan.calls[0].params["MediaConcurrencies"] == [{"Channel": "VOICE", "Concurrency": 1}]


def test_existing_routing_profile_queue_configs_are_added_updated_and_removed_as_listed():
    record = {
        "Name": "RP",
        "RoutingProfileId": "rp-1",
        "RoutingProfileArn": "arn:rp-1",
        "Description": "d",
        "MediaConcurrencies": [{"Channel": "VOICE", "Concurrency": 1}],
        "DefaultOutboundQueueId": "q-0",
    }
    current = [
        {"QueueId": "q-1", "Channel": "VOICE", "Priority": 1, "Delay": 0},
        {"QueueId": "q-2", "Channel": "VOICE", "Priority": 1, "Delay": 0},
    ]
    lists = {"list_routing_profile_queues": [{"RoutingProfileQueueConfigSummaryList": current}]}
    desired = [{"queue": "Q1", "channel": "VOICE", "priority": 2, "delay": 0}, {"queue": "Q3", "channel": "VOICE"}]
    p, _ = planner(ROUTING_PROFILE, {"routing_profile": [record]}, lists)
    plan = only(p.plan([{"name": "RP", "queue_configs": desired, "media_concurrencies": CONCURRENCY}]))
    assert [c.api for c in plan.calls] == [
        "DisassociateRoutingProfileQueues",
        "AssociateRoutingProfileQueues",
        "UpdateRoutingProfileQueues",
    ]


def test_a_routing_profile_description_change_is_one_update_routing_profile_name_carrying_the_name():
    record = {"Name": "RP", "RoutingProfileId": "rp-1", "RoutingProfileArn": "arn:rp-1", "Description": "old"}
    plan = only(planner(ROUTING_PROFILE, {"routing_profile": [record]})[0].plan([{"name": "RP", "description": "new"}]))
    assert [(c.api, c.params) for c in plan.calls] == [
        (
            "UpdateRoutingProfileName",
            {"InstanceId": "inst-1", "RoutingProfileId": "rp-1", "Name": "RP", "Description": "new"},
        )
    ]


# ---- queues -----------------------------------------------------------------------------------


def test_new_queue_with_60_quick_connects_is_a_create_and_two_associations():
    item = {"name": "Sales", "hours_of_operation": "Office", "quick_connects": [f"QC{n}" for n in range(60)]}
    plan = only(planner(QUEUE)[0].plan([item]))
    assert [c.api for c in plan.calls] == ["CreateQueue", "AssociateQueueQuickConnects", "AssociateQueueQuickConnects"]
    assert [len(c.params["QuickConnectIds"]) for c in plan.calls[1:]] == [50, 10]


def test_a_disabled_new_queue_is_created_then_disabled_but_an_enabled_one_is_only_created():
    plan = only(planner(QUEUE)[0].plan([{"name": "Q", "hours_of_operation": "Office", "status": "DISABLED"}]))
    assert [c.api for c in plan.calls] == ["CreateQueue", "UpdateQueueStatus"]
    plan = only(planner(QUEUE)[0].plan([{"name": "Q", "hours_of_operation": "Office", "status": "ENABLED"}]))
    assert [c.api for c in plan.calls] == ["CreateQueue"]


def test_queue_outbound_caller_number_by_e164_and_flow_by_name_change_only_what_is_mentioned():
    record = {
        "Name": "Sales",
        "QueueId": "q-s",
        "QueueArn": "arn:q-s",
        "OutboundCallerConfig": {"OutboundCallerIdName": "ACME", "OutboundFlowId": "cf-1"},
    }
    p, _ = planner(QUEUE, {"queue": [record]})
    plan = only(p.plan([{"name": "Sales", "outbound_caller_config": {"outbound_caller_id_number": "+442071234567"}}]))
    [call] = plan.calls
    assert call.api == "UpdateQueueOutboundCallerConfig"
    assert call.params["OutboundCallerConfig"] == {
        "OutboundCallerIdName": "ACME",
        "OutboundCallerIdNumberId": "pn-1",
        "OutboundFlowId": "cf-1",
    }


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"outbound_caller_id_number": "+15550000000"}, "phone number '+15550000000' not found in target"),
        ({"outbound_flow": "Nope"}, "contact flow 'Nope' not found in target"),
    ],
)
def test_a_queue_with_a_missing_caller_reference_fails_naming_it(config, message):
    plan = only(
        planner(QUEUE)[0].plan([{"name": "Q", "hours_of_operation": "Office", "outbound_caller_config": config}])
    )
    assert plan.error == f"queue Q: {message}"
