"""The planner's decisions, each test named for the situation it pins."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.ccaas.connect.plugins.module_utils._executor import Ref
from ansible_collections.ccaas.connect.plugins.module_utils._planner import Planner
from ansible_collections.ccaas.connect.plugins.module_utils._reader import Reader
from ansible_collections.ccaas.connect.plugins.module_utils._resources import (
    AGENT_STATUSES,
    HOURS_OF_OPERATIONS,
    QUEUES,
    RESOURCE_TYPES,
    ROUTING_PROFILES,
    SECURITY_PROFILES,
    USER_HIERARCHY_GROUPS,
    USERS,
)

try:
    from botocore import xform_name
except ImportError:  # pragma: no cover
    raise

READS = {xform_name(t.read.api): t.key for t in RESOURCE_TYPES.values()}


class FakeClient:
    """Answers each type's read API from a dict of records, and sub-list APIs from `lists`; records every read."""

    def __init__(self, records: dict[str, list[dict[str, Any]]], lists: dict[str, list] | None = None) -> None:
        self.records = records
        self.lists = lists or {}
        self.calls: list[str] = []
        self.described: dict[str, dict[str, Any]] = {}

    def __getattr__(self, method: str):
        if method in READS:
            rtype = RESOURCE_TYPES[READS[method]]

            def read(**_params: Any) -> dict[str, Any]:
                self.calls.append(method)
                return {rtype.read.result_key: self.records.get(rtype.key, [])}

            return read
        if method in self.lists:
            result_key, entries = self.lists[method]

            def sublist(**_params: Any) -> dict[str, Any]:
                self.calls.append(method)
                return {result_key: entries}

            return sublist
        raise AttributeError(method)

    def describe_user(self, InstanceId: str, UserId: str) -> dict[str, Any]:
        self.calls.append("describe_user")
        return {"User": self.described[UserId]}

    def describe_security_profile(self, InstanceId: str, SecurityProfileId: str) -> dict[str, Any]:
        self.calls.append("describe_security_profile")
        return {"SecurityProfile": self.described[SecurityProfileId]}


REFERENCES = {
    "routing_profiles": [
        {"Name": "Sales RP", "RoutingProfileId": "rp-sales", "RoutingProfileArn": "arn:rp-sales"},
        {"Name": "Support RP", "RoutingProfileId": "rp-support", "RoutingProfileArn": "arn:rp-support"},
    ],
    "security_profiles": [
        {"SecurityProfileName": "Agent", "Id": "sp-agent", "Arn": "arn:sp-agent"},
        {"SecurityProfileName": "Supervisor", "Id": "sp-sup", "Arn": "arn:sp-sup"},
    ],
    "user_hierarchy_groups": [
        {
            "Name": "EMEA",
            "Id": "hg-emea",
            "Arn": "arn:hg-emea",
            "HierarchyPath": {"LevelOne": {"Name": "Sales"}, "LevelTwo": {"Name": "EMEA"}},
        },
    ],
    "queues": [{"Name": f"Q{n}", "QueueId": f"q-{n}", "QueueArn": f"arn:q-{n}"} for n in range(30)],
    "quick_connects": [
        {"Name": f"QC{n}", "QuickConnectId": f"qc-{n}", "QuickConnectARN": f"arn:qc-{n}"} for n in range(60)
    ],
    "hours_of_operations": [{"Name": "Office", "HoursOfOperationId": "h-office", "HoursOfOperationArn": "arn:h"}],
    "phone_numbers": [{"PhoneNumber": "+442071234567", "PhoneNumberId": "pn-1", "PhoneNumberArn": "arn:pn-1"}],
    "contact_flows": [{"Name": "Outbound whisper", "Id": "cf-1", "Arn": "arn:cf-1"}],
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


def planner(rtype, records: dict[str, list] | None = None, lists: dict | None = None, purge_tags: bool = True):
    client = FakeClient({**REFERENCES, **(records or {})}, lists)
    return Planner(rtype, Reader(client, "inst-1"), purge_tags=purge_tags), client


def user(**overrides: Any) -> dict[str, Any]:
    return {"username": "jdoe", **overrides}


def only(plans):
    [plan] = plans
    return plan


# ---- users ------------------------------------------------------------------------------------


def test_new_user_is_one_create_user_with_its_references_resolved_by_name():
    plan = only(
        planner(USERS)[0].plan(
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
    plan = only(planner(USERS, {"users": [JDOE]})[0].plan([user(routing_profile="Support RP")]))
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
    plan = only(planner(USERS, {"users": [JDOE]})[0].plan([same]))
    assert plan.action == "unchanged"
    assert plan.calls == []
    assert plan.outputs == {"id": "u-jdoe", "arn": "arn:u-jdoe"}


def test_searchusers_milliseconds_are_compared_as_the_seconds_a_task_gives():
    plan = only(planner(USERS, {"users": [JDOE]})[0].plan([user(phone_config={"after_contact_work_time_limit": 30})]))
    assert plan.action == "unchanged"


def test_a_changed_phone_field_is_written_with_the_others_kept_as_they_are():
    plan = only(planner(USERS, {"users": [JDOE]})[0].plan([user(phone_config={"auto_accept": True})]))
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
    plan = only(planner(USERS, {"users": [JDOE]})[0].plan([user(security_profiles=["sp-agent"])]))
    assert plan.action == "unchanged"
    plan = only(planner(USERS, {"users": [JDOE]})[0].plan([user(security_profiles=["Supervisor", "Agent"])]))
    [call] = plan.calls
    assert call.api == "UpdateUserSecurityProfiles"
    assert sorted(call.params["SecurityProfileIds"]) == ["sp-agent", "sp-sup"]


def acw(seconds_or_ms: int, channel: str = "VOICE") -> dict[str, Any]:
    return {"Channel": channel, "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": seconds_or_ms}}


def test_a_user_whose_per_channel_acw_differs_is_one_update_user_config_in_seconds():
    # SearchUsers reports the per-channel limits in milliseconds too: 45000 ms is 45 s.
    searched = {**JDOE, "AfterContactWorkConfigs": [acw(45000), acw(0, "CHAT")]}
    wanted = [
        {"channel": "CHAT", "after_contact_work_config": {"after_contact_work_time_limit": 0}},
        {"channel": "VOICE", "after_contact_work_config": {"after_contact_work_time_limit": 120}},
    ]
    plan = only(planner(USERS, {"users": [searched]})[0].plan([user(after_contact_work_configs=wanted)]))
    assert [(c.api, c.params) for c in plan.calls] == [
        (
            "UpdateUserConfig",
            {"InstanceId": "inst-1", "UserId": "u-jdoe", "AfterContactWorkConfigs": [acw(0, "CHAT"), acw(120)]},
        )
    ]
    assert plan.diff["before"]["after_contact_work_configs"][1] == wanted[1] | {
        "after_contact_work_config": {"after_contact_work_time_limit": 45}
    }


def test_per_channel_acw_in_searchusers_milliseconds_equals_the_seconds_a_task_gives():
    searched = {**JDOE, "AfterContactWorkConfigs": [acw(45000)]}
    same = [{"channel": "VOICE", "after_contact_work_config": {"after_contact_work_time_limit": 45}}]
    plan = only(planner(USERS, {"users": [searched]})[0].plan([user(after_contact_work_configs=same)]))
    assert (plan.action, plan.calls) == ("unchanged", [])


def test_per_channel_configs_of_several_kinds_that_differ_are_still_one_update_user_config():
    searched = {**JDOE, "AutoAcceptConfigs": [{"Channel": "VOICE", "AutoAccept": False}]}
    plan = only(
        planner(USERS, {"users": [searched]})[0].plan(
            [
                user(
                    auto_accept_configs=[{"channel": "VOICE", "auto_accept": True}],
                    persistent_connection_configs=[{"channel": "VOICE", "persistent_connection": True}],
                    voice_enhancement_configs=[{"channel": "VOICE", "voice_enhancement_mode": "VOICE_ISOLATION"}],
                )
            ]
        )
    )
    [call] = plan.calls
    assert call.api == "UpdateUserConfig"
    assert call.params["AutoAcceptConfigs"] == [{"Channel": "VOICE", "AutoAccept": True}]
    assert call.params["PersistentConnectionConfigs"] == [{"Channel": "VOICE", "PersistentConnection": True}]
    assert call.params["VoiceEnhancementConfigs"] == [{"Channel": "VOICE", "VoiceEnhancementMode": "VOICE_ISOLATION"}]


def test_a_missing_reference_fails_the_item_alone_naming_the_user_and_the_profile():
    plans = planner(USERS)[0].plan([user(routing_profile="Sales RP ", security_profiles=["Agent"]), {"username": "ok"}])
    assert plans[0].action == "failed"
    assert plans[0].error == "user jdoe: routing profile 'Sales RP ' not found in target"
    assert plans[1].action == "created"


def test_names_are_matched_case_sensitively_as_connect_does():
    plan = only(planner(USERS)[0].plan([user(security_profiles=["agent"])]))
    assert plan.error == "user jdoe: security profile 'agent' not found in target"


def test_an_existing_user_email_unmentioned_is_not_read_and_a_name_change_keeps_the_email():
    p, client = planner(USERS, {"users": [JDOE]})
    client.described["u-jdoe"] = {"IdentityInfo": {"FirstName": "Jane", "LastName": "Doe", "Email": "j@x.com"}}
    assert only(p.plan([user(identity_info={"first_name": "Jane"})])).action == "unchanged"
    assert "describe_user" not in client.calls
    [call] = only(p.plan([user(identity_info={"first_name": "Janet"})])).calls
    assert call.params["IdentityInfo"] == {"FirstName": "Janet", "LastName": "Doe", "Email": "j@x.com"}


def test_an_email_change_reads_describe_user_because_searchusers_omits_it():
    p, client = planner(USERS, {"users": [JDOE]})
    client.described["u-jdoe"] = {"IdentityInfo": {"FirstName": "Jane", "LastName": "Doe", "Email": "old@x.com"}}
    plan = only(p.plan([user(identity_info={"email": "new@x.com"})]))
    [call] = plan.calls
    assert call.api == "UpdateUserIdentityInfo"
    assert call.params["IdentityInfo"] == {"FirstName": "Jane", "LastName": "Doe", "Email": "new@x.com"}
    assert client.calls.count("describe_user") == 1


def test_tags_add_change_and_purge_but_never_aws_reserved_keys():
    plan = only(planner(USERS, {"users": [JDOE]})[0].plan([user(tags={"team": "red", "site": "leeds"})]))
    assert [(c.api, c.params) for c in plan.calls] == [
        ("TagResource", {"resourceArn": "arn:u-jdoe", "tags": {"team": "red", "site": "leeds"}}),
    ]
    plan = only(planner(USERS, {"users": [JDOE]})[0].plan([user(tags={})]))
    assert [(c.api, c.params) for c in plan.calls] == [
        ("UntagResource", {"resourceArn": "arn:u-jdoe", "tagKeys": ["team"]})
    ]


def test_purge_tags_false_only_adds_and_unset_tags_are_left_alone():
    plan = only(planner(USERS, {"users": [JDOE]}, purge_tags=False)[0].plan([user(tags={"site": "leeds"})]))
    assert [c.api for c in plan.calls] == ["TagResource"]
    assert only(planner(USERS, {"users": [JDOE]})[0].plan([user()])).action == "unchanged"


def test_the_diff_after_shows_the_tags_the_item_will_really_have_kept_ones_included():
    kept = only(planner(USERS, {"users": [JDOE]}, purge_tags=False)[0].plan([user(tags={"site": "leeds"})]))
    assert kept.diff["after"]["tags"] == {"team": "blue", "site": "leeds"}
    purged = only(planner(USERS, {"users": [JDOE]})[0].plan([user(tags={"site": "leeds"})]))
    assert purged.diff["after"]["tags"] == {"site": "leeds"}


def test_state_absent_deletes_an_existing_user_and_leaves_a_missing_one_alone():
    p, _client = planner(USERS, {"users": [JDOE]})
    gone, missing = p.plan([user(), {"username": "ghost"}], state="absent")
    assert [(c.api, c.params) for c in gone.calls] == [("DeleteUser", {"InstanceId": "inst-1", "UserId": "u-jdoe"})]
    assert gone.action == "deleted"
    assert (missing.action, missing.calls) == ("unchanged", [])


def test_a_user_listed_twice_fails_the_second_entry():
    plans = planner(USERS)[0].plan([user(), user()])
    assert [p.action for p in plans] == ["created", "failed"]
    assert "listed more than once" in plans[1].error


def test_the_target_is_read_once_per_kind_for_many_items():
    p, client = planner(USERS)
    p.plan([user(username=f"u{n}", routing_profile="Sales RP", security_profiles=["Agent"]) for n in range(500)])
    assert sorted(client.calls) == ["search_routing_profiles", "search_security_profiles", "search_users"]


# ---- routing profiles -------------------------------------------------------------------------

CONCURRENCY = [{"channel": "VOICE", "concurrency": 1}]


def test_new_routing_profile_with_25_queue_configs_is_a_create_and_three_associations_of_ten():
    configs = [{"queue": f"Q{n}", "channel": "VOICE", "priority": 1, "delay": 0} for n in range(25)]
    item = {"name": "Big RP", "description": "d", "default_outbound_queue": "Q0", "media_concurrencies": CONCURRENCY}
    plan = only(planner(ROUTING_PROFILES)[0].plan([{**item, "queue_configs": configs}]))
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
    lists = {"list_routing_profile_queues": ("RoutingProfileQueueConfigSummaryList", current)}
    desired = [{"queue": "Q1", "channel": "VOICE", "priority": 2, "delay": 0}, {"queue": "Q3", "channel": "VOICE"}]
    p, _client = planner(ROUTING_PROFILES, {"routing_profiles": [record]}, lists)
    plan = only(p.plan([{"name": "RP", "queue_configs": desired, "media_concurrencies": CONCURRENCY}]))
    assert [c.api for c in plan.calls] == [
        "DisassociateRoutingProfileQueues",
        "AssociateRoutingProfileQueues",
        "UpdateRoutingProfileQueues",
    ]


def test_a_routing_profile_description_change_is_one_update_routing_profile_name():
    record = {"Name": "RP", "RoutingProfileId": "rp-1", "RoutingProfileArn": "arn:rp-1", "Description": "old"}
    plan = only(
        planner(ROUTING_PROFILES, {"routing_profiles": [record]})[0].plan([{"name": "RP", "description": "new"}])
    )
    assert [(c.api, c.params) for c in plan.calls] == [
        (
            "UpdateRoutingProfileName",
            {"InstanceId": "inst-1", "RoutingProfileId": "rp-1", "Description": "new"},
        )
    ]


# ---- queues -----------------------------------------------------------------------------------


def test_new_queue_with_60_quick_connects_is_a_create_and_two_associations():
    item = {"name": "Sales", "hours_of_operation": "Office", "quick_connects": [f"QC{n}" for n in range(60)]}
    plan = only(planner(QUEUES)[0].plan([item]))
    assert [c.api for c in plan.calls] == ["CreateQueue", "AssociateQueueQuickConnects", "AssociateQueueQuickConnects"]
    assert [len(c.params["QuickConnectIds"]) for c in plan.calls[1:]] == [50, 10]


def test_a_disabled_new_queue_is_created_then_disabled_but_an_enabled_one_is_only_created():
    plan = only(planner(QUEUES)[0].plan([{"name": "Q", "hours_of_operation": "Office", "status": "DISABLED"}]))
    assert [c.api for c in plan.calls] == ["CreateQueue", "UpdateQueueStatus"]
    plan = only(planner(QUEUES)[0].plan([{"name": "Q", "hours_of_operation": "Office", "status": "ENABLED"}]))
    assert [c.api for c in plan.calls] == ["CreateQueue"]


def test_queue_outbound_caller_number_by_e164_and_flow_by_name_change_only_what_is_mentioned():
    record = {
        "Name": "Sales",
        "QueueId": "q-s",
        "QueueArn": "arn:q-s",
        "OutboundCallerConfig": {"OutboundCallerIdName": "ACME", "OutboundFlowId": "cf-1"},
    }
    p, _client = planner(QUEUES, {"queues": [record]})
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
        planner(QUEUES)[0].plan([{"name": "Q", "hours_of_operation": "Office", "outbound_caller_config": config}])
    )
    assert plan.error == f"queue Q: {message}"


# ---- security profiles and hierarchy groups ---------------------------------------------------


def test_new_security_profile_takes_its_permissions_in_the_create_call():
    plan = only(planner(SECURITY_PROFILES)[0].plan([{"name": "Auditor", "permissions": ["Users.View", "Queues.View"]}]))
    [call] = plan.calls
    assert call.api == "CreateSecurityProfile"
    assert call.params["SecurityProfileName"] == "Auditor"
    assert call.params["Permissions"] == ["Queues.View", "Users.View"]


def test_changed_permissions_and_description_are_one_update_security_profile():
    record = {"SecurityProfileName": "Agent", "Id": "sp-agent", "Arn": "arn:sp-agent", "Description": "old"}
    lists = {"list_security_profile_permissions": ("Permissions", ["Users.View"])}
    p, _client = planner(
        SECURITY_PROFILES, {"security_profiles": [record, *REFERENCES["security_profiles"][1:]]}, lists
    )
    plan = only(p.plan([{"name": "Agent", "description": "new", "permissions": ["Users.View", "Queues.View"]}]))
    assert [(c.api, c.params) for c in plan.calls] == [
        (
            "UpdateSecurityProfile",
            {
                "InstanceId": "inst-1",
                "SecurityProfileId": "sp-agent",
                "Description": "new",
                "Permissions": ["Queues.View", "Users.View"],
            },
        )
    ]


SALES_LEADS = {"SecurityProfileName": "Sales Leads", "Id": "sp-leads", "Arn": "arn:sp-leads", "Description": "d"}
CRM = {"Namespace": "crm.example.com", "ApplicationPermissions": ["READ", "ACCESS"], "Type": "THIRD_PARTY_APPLICATION"}


def sales_leads(described: dict[str, Any], applications: list[dict[str, Any]] | None = None):
    lists = {
        "list_security_profile_permissions": ("Permissions", ["Users.View"]),
        "list_security_profile_applications": ("Applications", applications or []),
    }
    p, client = planner(SECURITY_PROFILES, {"security_profiles": [SALES_LEADS]}, lists)
    client.described["sp-leads"] = {**SALES_LEADS, **described}
    return p, client


def test_a_security_profile_with_a_different_access_control_tag_is_one_update_security_profile():
    p, client = sales_leads({"AllowedAccessControlTags": {"BU": "Sales"}, "TagRestrictedResources": ["User"]})
    plan = only(
        p.plan(
            [
                {
                    "name": "Sales Leads",
                    "allowed_access_control_tags": {"BU": "Support"},
                    "tag_restricted_resources": ["User"],
                    "permissions": ["Users.View"],
                }
            ]
        )
    )
    assert [(c.api, c.params) for c in plan.calls] == [
        (
            "UpdateSecurityProfile",
            {"InstanceId": "inst-1", "SecurityProfileId": "sp-leads", "AllowedAccessControlTags": {"BU": "Support"}},
        )
    ]
    assert plan.diff == {
        "before": {"allowed_access_control_tags": {"BU": "Sales"}},
        "after": {"allowed_access_control_tags": {"BU": "Support"}},
    }
    # SearchSecurityProfiles does not return the tags: one Describe, however many such fields the task sets.
    assert client.calls.count("describe_security_profile") == 1


def test_access_control_tags_are_compared_whole_so_a_removed_tag_is_written():
    p, _client = sales_leads({"AllowedAccessControlTags": {"BU": "Sales", "Site": "NYC"}})
    [call] = only(p.plan([{"name": "Sales Leads", "allowed_access_control_tags": {"BU": "Sales"}}])).calls
    assert call.params["AllowedAccessControlTags"] == {"BU": "Sales"}


def test_a_security_profile_whose_task_leaves_access_control_unmentioned_is_not_described():
    p, client = sales_leads({"AllowedAccessControlTags": {"BU": "Sales"}})
    assert only(p.plan([{"name": "Sales Leads", "description": "d"}])).action == "unchanged"
    assert "describe_security_profile" not in client.calls


def test_applications_compare_as_namespaces_with_their_permissions_in_any_order():
    p, _client = sales_leads({}, [CRM])
    # No type in the task: the target's is kept, so only namespace and permissions are compared.
    same = [{"namespace": "crm.example.com", "application_permissions": ["ACCESS", "READ"]}]
    assert only(p.plan([{"name": "Sales Leads", "applications": same}])).action == "unchanged"


def test_a_changed_application_and_permissions_are_one_update_security_profile_with_the_whole_lists():
    p, _client = sales_leads({}, [CRM])
    wiki = {"namespace": "wiki.example.com", "application_permissions": ["ACCESS"]}
    crm = {"namespace": "crm.example.com", "application_permissions": ["ACCESS"]}
    plan = only(p.plan([{"name": "Sales Leads", "permissions": ["Queues.View"], "applications": [wiki, crm]}]))
    assert [(c.api, c.params) for c in plan.calls] == [
        (
            "UpdateSecurityProfile",
            {
                "InstanceId": "inst-1",
                "SecurityProfileId": "sp-leads",
                "Permissions": ["Queues.View"],
                "Applications": [
                    {
                        "Namespace": "crm.example.com",
                        "ApplicationPermissions": ["ACCESS"],
                        "Type": "THIRD_PARTY_APPLICATION",
                    },
                    {"Namespace": "wiki.example.com", "ApplicationPermissions": ["ACCESS"]},
                ],
            },
        )
    ]


def test_a_new_security_profile_takes_its_access_control_and_applications_in_the_create_call():
    item = {
        "name": "Auditor",
        "allowed_access_control_tags": {"BU": "Billing"},
        "tag_restricted_resources": ["User", "Queue"],
        "applications": [{"namespace": "crm.example.com", "application_permissions": ["READ", "ACCESS"]}],
    }
    [call] = only(planner(SECURITY_PROFILES)[0].plan([item])).calls
    assert call.api == "CreateSecurityProfile"
    assert call.params["AllowedAccessControlTags"] == {"BU": "Billing"}
    assert call.params["TagRestrictedResources"] == ["User", "Queue"]
    assert call.params["Applications"] == [
        {"Namespace": "crm.example.com", "ApplicationPermissions": ["ACCESS", "READ"]}
    ]


def test_hierarchy_groups_new_in_one_task_are_created_parent_first_the_child_naming_the_new_parent():
    p, _client = planner(USER_HIERARCHY_GROUPS)
    parent, child = p.plan([{"path": "Support"}, {"path": "Support/Tier 1"}])
    assert (parent.wave, child.wave) == (0, 1)
    assert child.calls[0].params["Name"] == "Tier 1"
    assert child.calls[0].params["ParentGroupId"] == Ref("user hierarchy group Support", "id")


def test_a_hierarchy_group_under_an_existing_parent_names_its_id_and_an_orphan_fails():
    p, _client = planner(USER_HIERARCHY_GROUPS)
    under, orphan, existing = p.plan([{"path": "Sales/EMEA/UK"}, {"path": "Nowhere/X"}, {"path": "Sales/EMEA"}])
    assert under.calls[0].params["ParentGroupId"] == "hg-emea"
    assert orphan.error == "user hierarchy group Nowhere/X: parent group 'Nowhere' not found in target nor in this task"
    assert existing.action == "unchanged"


# ---- check mode across tasks --------------------------------------------------------------------


def test_in_check_mode_a_queue_an_earlier_task_creates_counts_as_found():
    p, _client = planner(ROUTING_PROFILES)
    p.target.assume("queues", "New Q")
    item = {"name": "RP", "description": "d", "default_outbound_queue": "New Q", "media_concurrencies": CONCURRENCY}
    plan = only(p.plan([{**item, "queue_configs": [{"queue": "New Q", "channel": "VOICE"}]}]))
    assert [c.api for c in plan.calls] == ["CreateRoutingProfile", "AssociateRoutingProfileQueues"]
    assert plan.diff["after"]["default_outbound_queue"] == "New Q"


def test_in_check_mode_an_item_an_earlier_task_creates_gets_only_what_the_later_task_adds():
    p, client = planner(QUEUES)
    p.target.assume("queues", "Hub")
    plan = only(p.plan([{"name": "Hub", "max_contacts": 5, "tags": {"a": "b"}, "quick_connects": ["QC1", "QC2"]}]))
    assert [c.api for c in plan.calls] == ["AssociateQueueQuickConnects"]
    assert "list_queue_quick_connects" not in client.calls


def test_a_new_users_directory_user_id_reaches_create_user_and_an_existing_user_is_not_updated_for_it():
    plan = only(planner(USERS)[0].plan([user(routing_profile="Sales RP", directory_user_id="dir-42")]))
    [call] = plan.calls
    assert call.api == "CreateUser"
    assert call.params["DirectoryUserId"] == "dir-42"
    # No Update* API carries it: an existing user is left alone rather than given an impossible update.
    existing = only(planner(USERS, {"users": [JDOE]})[0].plan([user(directory_user_id="dir-43")]))
    assert existing.action == "unchanged" and existing.calls == []


# ---- agent statuses: CUSTOM only on create, a type no API changes ---------------------------------

LUNCH = {
    "Name": "Lunch",
    "AgentStatusId": "as-lunch",
    "AgentStatusARN": "arn:as-lunch",
    "Type": "CUSTOM",
    "State": "ENABLED",
    "DisplayOrder": 3,
    "Tags": {},
}


def test_a_new_custom_agent_status_is_one_create_without_the_type_connect_gives_it():
    item = {"name": "Lunch", "type": "CUSTOM", "state": "ENABLED", "display_order": 3, "tags": {"BU": "Sales"}}
    plan = only(planner(AGENT_STATUSES)[0].plan([item]))
    assert plan.action == "created"
    [call] = plan.calls
    assert (call.api, call.params, call.produces) == (
        "CreateAgentStatus",
        {"InstanceId": "inst-1", "Name": "Lunch", "State": "ENABLED", "DisplayOrder": 3, "Tags": {"BU": "Sales"}},
        {"id": "AgentStatusId", "arn": "AgentStatusARN"},
    )


def test_an_agent_status_of_a_built_in_type_cannot_be_created_and_says_why():
    plan = only(planner(AGENT_STATUSES)[0].plan([{"name": "Ready", "type": "ROUTABLE", "state": "ENABLED"}]))
    assert (plan.action, plan.calls) == ("failed", [])
    assert plan.error == (
        "agent status Ready: type is 'ROUTABLE' in the task, CreateAgentStatus creates 'CUSTOM' only, "
        "and no Connect API changes it"
    )


def test_an_existing_agent_status_gets_one_update_and_a_different_type_fails_it_whole():
    plans = planner(AGENT_STATUSES, {"agent_statuses": [LUNCH]})[0].plan(
        [{"name": "Lunch", "type": "CUSTOM", "state": "DISABLED", "display_order": 3, "description": "Break"}]
    )
    assert [(c.api, c.params) for c in only(plans).calls] == [
        (
            "UpdateAgentStatus",
            {"InstanceId": "inst-1", "AgentStatusId": "as-lunch", "Description": "Break", "State": "DISABLED"},
        )
    ]
    wrong = only(planner(AGENT_STATUSES, {"agent_statuses": [LUNCH]})[0].plan([{"name": "Lunch", "type": "OFFLINE"}]))
    assert (wrong.action, wrong.calls) == ("failed", [])
    assert wrong.error == (
        "agent status Lunch: type is 'CUSTOM' in the target, 'OFFLINE' in the task, and no Connect API changes it"
    )


# ---- what agents and supervisors depend on: skills, holidays, manual queues, hierarchy scope ---------------


ATTRIBUTES = [{"Name": "Language", "Values": {"StringList": ["English", "French"]}}]


def test_proficiencies_are_associated_updated_and_disassociated_by_attribute_and_value():
    current = [
        {"AttributeName": "Language", "AttributeValue": "English", "Level": 3.0},
        {"AttributeName": "Language", "AttributeValue": "German", "Level": 2.0},
    ]
    lists = {"list_user_proficiencies": ("UserProficiencyList", current)}
    p, _client = planner(USERS, {"users": [JDOE], "predefined_attributes": ATTRIBUTES}, lists)
    desired = [
        {"attribute_name": "Language", "attribute_value": "English", "level": 4.5},
        {"attribute_name": "Language", "attribute_value": "French", "level": 1.0},
    ]
    plan = only(p.plan([user(proficiencies=desired)]))
    assert [(c.api, c.params["UserProficiencies"]) for c in plan.calls] == [
        ("DisassociateUserProficiencies", [{"AttributeName": "Language", "AttributeValue": "German"}]),
        ("AssociateUserProficiencies", [{"AttributeName": "Language", "AttributeValue": "French", "Level": 1.0}]),
        ("UpdateUserProficiencies", [{"AttributeName": "Language", "AttributeValue": "English", "Level": 4.5}]),
    ]
    same = [{"attribute_name": "Language", "attribute_value": "English", "level": 3}, desired[1]]
    lists = {
        "list_user_proficiencies": (
            "UserProficiencyList",
            [current[0], {**current[0], "AttributeValue": "French", "Level": 1.0}],
        )
    }
    p, _client = planner(USERS, {"users": [JDOE], "predefined_attributes": ATTRIBUTES}, lists)
    assert only(p.plan([user(proficiencies=same)])).action == "unchanged"  # 3 and 3.0 are one level


def test_a_proficiency_in_an_attribute_the_target_lacks_fails_the_user_naming_it():
    p, _client = planner(
        USERS,
        {"users": [JDOE], "predefined_attributes": ATTRIBUTES},
        {"list_user_proficiencies": ("UserProficiencyList", [])},
    )
    plan = only(p.plan([user(proficiencies=[{"attribute_name": "Skill", "attribute_value": "x", "level": 1.0}])]))
    assert plan.action == "failed" and "Skill" in plan.error


def test_manual_assignment_queues_have_their_own_calls_even_beside_queue_configs():
    record = {
        "Name": "RP",
        "RoutingProfileId": "rp-1",
        "RoutingProfileArn": "arn:rp-1",
        "Description": "d",
        "MediaConcurrencies": [{"Channel": "VOICE", "Concurrency": 1}],
        "DefaultOutboundQueueId": "q-0",
    }
    lists = {
        "list_routing_profile_queues": ("RoutingProfileQueueConfigSummaryList", []),
        "list_routing_profile_manual_assignment_queues": (
            "RoutingProfileManualAssignmentQueueConfigSummaryList",
            [{"QueueId": "q-9", "Channel": "CHAT"}],
        ),
    }
    p, _client = planner(ROUTING_PROFILES, {"routing_profiles": [record]}, lists)
    manual = [{"queue": f"Q{n}", "channel": "TASK"} for n in range(12)]
    item = {
        "name": "RP",
        "queue_configs": [{"queue": "Q1", "channel": "VOICE"}],
        "manual_assignment_queue_configs": manual,
    }
    plan = only(p.plan([item]))
    calls = [(c.api, sorted(k for k in c.params if k.endswith(("Configs", "References")))) for c in plan.calls]
    assert calls == [
        ("AssociateRoutingProfileQueues", ["QueueConfigs"]),
        ("DisassociateRoutingProfileQueues", ["ManualAssignmentQueueReferences"]),
        ("AssociateRoutingProfileQueues", ["ManualAssignmentQueueConfigs"]),
        ("AssociateRoutingProfileQueues", ["ManualAssignmentQueueConfigs"]),
    ]
    assert plan.calls[1].params["ManualAssignmentQueueReferences"] == [{"QueueId": "q-9", "Channel": "CHAT"}]
    assert [len(c.params["ManualAssignmentQueueConfigs"]) for c in plan.calls[2:]] == [10, 2]
    assert plan.calls[2].params["ManualAssignmentQueueConfigs"][0] == {
        "QueueReference": {"QueueId": "q-0", "Channel": "TASK"}
    }


CHRISTMAS = {
    "name": "Christmas",
    "config": [],
    "effective_from": "2026-12-25",
    "effective_till": "2026-12-26",
    "override_type": "CLOSED",
}


def office(overrides: list[dict[str, Any]]):
    record = {"Name": "Office", "HoursOfOperationId": "h-office", "HoursOfOperationArn": "arn:h", "TimeZone": "UTC"}
    lists = {"list_hours_of_operation_overrides": ("HoursOfOperationOverrideList", overrides)}
    return planner(HOURS_OF_OPERATIONS, {"hours_of_operations": [record]}, lists)[0]


def test_overrides_are_created_updated_and_deleted_one_call_each_by_name():
    existing = [
        {
            "HoursOfOperationOverrideId": "o-1",
            "Name": "Christmas",
            "Config": [],
            "EffectiveFrom": "2026-12-25",
            "EffectiveTill": "2026-12-25",
            "OverrideType": "CLOSED",
        },
        {
            "HoursOfOperationOverrideId": "o-2",
            "Name": "Old closure",
            "Config": [],
            "EffectiveFrom": "2025-01-01",
            "EffectiveTill": "2025-01-01",
            "OverrideType": "CLOSED",
        },
    ]
    new_year = {**CHRISTMAS, "name": "New Year", "effective_from": "2027-01-01", "effective_till": "2027-01-01"}
    plan = only(office(existing).plan([{"name": "Office", "overrides": [CHRISTMAS, new_year]}]))
    assert [(c.api, c.params.get("HoursOfOperationOverrideId"), c.params.get("Name")) for c in plan.calls] == [
        ("DeleteHoursOfOperationOverride", "o-2", None),
        ("UpdateHoursOfOperationOverride", "o-1", "Christmas"),
        ("CreateHoursOfOperationOverride", None, "New Year"),
    ]
    assert plan.calls[1].params["EffectiveTill"] == "2026-12-26"
    assert all(c.params["HoursOfOperationId"] == "h-office" for c in plan.calls)


def test_overrides_that_match_write_nothing_and_new_hours_create_theirs_after_the_hours():
    same = [
        {
            "HoursOfOperationOverrideId": "o-1",
            "Name": "Christmas",
            "Config": [],
            "EffectiveFrom": "2026-12-25",
            "EffectiveTill": "2026-12-26",
            "OverrideType": "CLOSED",
        }
    ]
    assert only(office(same).plan([{"name": "Office", "overrides": [CHRISTMAS]}])).action == "unchanged"
    config = [{"day": "MONDAY", "start_time": {"hours": 9, "minutes": 0}, "end_time": {"hours": 17, "minutes": 0}}]
    plan = only(office([]).plan([{"name": "Shop", "time_zone": "UTC", "config": config, "overrides": [CHRISTMAS]}]))
    assert [c.api for c in plan.calls] == ["CreateHoursOfOperation", "CreateHoursOfOperationOverride"]
    assert plan.calls[1].params["HoursOfOperationId"] == Ref("hours of operation Shop", "id")


def test_a_security_profile_restricted_to_a_hierarchy_group_names_the_group_by_id():
    p, _client = planner(SECURITY_PROFILES)
    item = {
        "name": "EMEA Supervisor",
        "allowed_access_control_hierarchy_group": "Sales/EMEA",
        "hierarchy_restricted_resources": ["User"],
    }
    plan = only(p.plan([item]))
    assert plan.calls[0].params["AllowedAccessControlHierarchyGroupId"] == "hg-emea"
    assert plan.calls[0].params["HierarchyRestrictedResources"] == ["User"]
    missing = only(p.plan([{**item, "name": "Other", "allowed_access_control_hierarchy_group": "Nowhere"}]))
    assert missing.action == "failed" and "Nowhere" in missing.error


def test_the_reads_existing_users_need_are_sent_ahead_once_each_and_a_new_user_needs_none():
    jroe = {**JDOE, "Username": "jroe", "Id": "u-jroe", "Arn": "arn:u-jroe"}
    lists = {"list_user_proficiencies": ("UserProficiencyList", [])}
    p, client = planner(USERS, {"users": [JDOE, jroe]}, lists)
    for uid in ("u-jdoe", "u-jroe"):
        client.described[uid] = {"IdentityInfo": {"FirstName": "Jane", "LastName": "Doe", "Email": "j@x.com"}}
    wanted = {"identity_info": {"email": "j@x.com"}, "proficiencies": []}
    plans = p.plan([user(**wanted), user(username="jroe", **wanted), user(username="new", **wanted)])
    assert [plan.action for plan in plans] == ["unchanged", "unchanged", "created"]
    assert client.calls.count("describe_user") == 2
    assert client.calls.count("list_user_proficiencies") == 2
