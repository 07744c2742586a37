from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError

from ansible_collections.ccaas.connect.plugins.module_utils._bundle import make_bundle, omissions, validate_bundle
from ansible_collections.ccaas.connect.plugins.module_utils._export import (
    ExportError,
    Filters,
    export_instance,
    queue_selected,
    tag_matches,
    user_selected,
)

ACCOUNT = "123456789012"
INSTANCE_ID = "8a1f5b3c-0d2e-4f6a-9b7c-1d2e3f4a5b6c"
INSTANCE_ARN = f"arn:aws:connect:us-east-1:{ACCOUNT}:instance/{INSTANCE_ID}"
INSTANCE = {"Id": INSTANCE_ID, "Arn": INSTANCE_ARN, "InstanceAlias": "acme", "IdentityManagementType": "SAML"}
WHEN = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)


def uid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def arn(kind: str, n: int) -> str:
    return f"{INSTANCE_ARN}/{kind}/{uid(n)}"


# IDs of the small instance below
HOURS, FLOW_TRANSFER, FLOW_IVR, PHONE = 1, 2, 3, 4
SP_AGENT, SP_SUPERVISOR, GROUP_EMEA, GROUP_LONDON = 5, 6, 7, 8
Q_SALES, Q_CHAT, Q_SUPPORT, Q_RECEPTION = 9, 10, 11, 12
RP_SALES, USER_JDOE, QC_CHAT, QC_AGENT, QC_GONE, DELETED_USER = 13, 14, 15, 16, 17, 99
STATUS_LUNCH = 18
MODULE_AUTH = 19
LAMBDA = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:crm-lookup"
LEX_ALIAS = f"arn:aws:lex:us-east-1:{ACCOUNT}:bot-alias/BOTID12345/ALIASID123"
# A flow from another instance, named in the IVR by mistake: not this instance's, so not a reference.
FOREIGN = "arn:aws:connect:us-east-1:999999999999:instance/11111111-2222-4333-8444-555555555555/queue/abc"


def ivr_content() -> str:
    """The main IVR: a queue by ARN (and in Metadata), a module by bare ID, the transfer flow by a
    `:$SAVED`-qualified ARN, a Lex V2 alias, an agent's own queue, a prompt, and a task template (a kind
    of resource no bundle type carries)."""
    return json.dumps(
        {
            "Version": "2019-10-30",
            "StartAction": "a1",
            "Metadata": {"ActionMetadata": {"a2": {"queue": {"id": arn("queue", Q_SALES), "text": "Sales"}}}},
            "Actions": [
                {"Identifier": "a1", "Type": "InvokeFlowModule", "Parameters": {"FlowModuleId": uid(MODULE_AUTH)}},
                {
                    "Identifier": "a2",
                    "Type": "UpdateContactTargetQueue",
                    "Parameters": {"QueueId": arn("queue", Q_SALES)},
                },
                {
                    "Identifier": "a3",
                    "Type": "TransferToFlow",
                    "Parameters": {"ContactFlowId": arn("contact-flow", FLOW_TRANSFER) + ":$SAVED"},
                },
                {
                    "Identifier": "a4",
                    "Type": "ConnectParticipantWithLexBot",
                    "Parameters": {"LexV2Bot": {"AliasArn": LEX_ALIAS}},
                },
                {
                    "Identifier": "a5",
                    "Type": "UpdateContactTargetQueue",
                    "Parameters": {"QueueId": f"{INSTANCE_ARN}/queue/agent/{uid(USER_JDOE)}"},
                },
                {"Identifier": "a6", "Type": "MessageParticipant", "Parameters": {"PromptId": arn("prompt", 77)}},
                {"Identifier": "a7", "Type": "TransferContactToQueue", "Parameters": {"Note": FOREIGN}},
                {"Identifier": "a8", "Type": "CreateTask", "Parameters": {"TemplateId": arn("task-template", 78)}},
            ],
        }
    )


def module_content() -> str:
    return json.dumps(
        {
            "Version": "2019-10-30",
            "StartAction": "m1",
            "Actions": [
                {"Identifier": "m1", "Type": "InvokeLambdaFunction", "Parameters": {"LambdaFunctionARN": LAMBDA}},
                {
                    "Identifier": "m2",
                    "Type": "TransferToFlow",
                    "Parameters": {"ContactFlowId": arn("contact-flow", FLOW_IVR)},
                },
            ],
        }
    )


NUMBER = "+12125550100"


def queue(n: int, name: str, tags: dict[str, str], **extra: Any) -> dict[str, Any]:
    record = {
        "QueueId": uid(n),
        "QueueArn": arn("queue", n),
        "Name": name,
        "HoursOfOperationId": uid(HOURS),
        "Status": "ENABLED",
        "LastModifiedTime": WHEN,
        "LastModifiedRegion": "us-east-1",
        **extra,
    }
    if tags:
        record["Tags"] = tags
    return record


QUEUES = [
    queue(
        Q_SALES,
        "Q_QC_Sales_Inbound",
        {"BU": "Sales", "aws:cloudformation:stack-name": "acme"},
        MaxContacts=50,
        OutboundCallerConfig={
            "OutboundCallerIdName": "Acme Sales",
            "OutboundCallerIdNumberId": uid(PHONE),
            "OutboundFlowId": uid(FLOW_TRANSFER),
        },
    ),
    queue(Q_CHAT, "Sales_Chat", {"bu": "SALES"}),
    queue(Q_SUPPORT, "Q_QC_Support", {"Bu": "Support"}),
    queue(Q_RECEPTION, "Reception", {}),
]
QUEUE_QUICK_CONNECTS = {Q_SALES: [QC_CHAT, QC_GONE], Q_CHAT: [], Q_SUPPORT: [QC_AGENT], Q_RECEPTION: []}


def stub_instance(
    stub: Any, *, user_pages: list[list[dict[str, Any]]] | None = None, describe_users: bool = True
) -> None:
    """Answers for every read an export of this small instance may make (with `describe_users`, a
    DescribeUser per user saying what SearchUsers did: a lossless export describes every user)."""
    i = {"InstanceId": INSTANCE_ID}
    stub.add_response(
        "search_hours_of_operations",
        {
            "HoursOfOperations": [
                {
                    "HoursOfOperationId": uid(HOURS),
                    "HoursOfOperationArn": arn("operating-hours", HOURS),
                    "Name": "Sales Hours",
                    "TimeZone": "America/New_York",
                    "Config": [
                        {
                            "Day": "TUESDAY",
                            "StartTime": {"Hours": 8, "Minutes": 0},
                            "EndTime": {"Hours": 20, "Minutes": 0},
                        },
                        {
                            "Day": "MONDAY",
                            "StartTime": {"Hours": 8, "Minutes": 0},
                            "EndTime": {"Hours": 20, "Minutes": 0},
                        },
                    ],
                    "Tags": {"BU": "Sales"},
                    "LastModifiedTime": WHEN,
                }
            ]
        },
        {**i, "MaxResults": 100},
    )
    christmas = {
        "HoursOfOperationOverrideId": uid(90),
        "HoursOfOperationId": uid(HOURS),
        "Name": "Christmas",
        "Config": [],
        "EffectiveFrom": "2026-12-25",
        "EffectiveTill": "2026-12-26",
        "OverrideType": "CLOSED",
        "RecurrenceConfig": {
            "RecurrencePattern": {"Frequency": "YEARLY", "Interval": 1, "ByMonth": [12], "ByMonthDay": [25]}
        },
    }
    stub.add_response(
        "list_hours_of_operation_overrides",
        {"HoursOfOperationOverrideList": [christmas]},
        {**i, "HoursOfOperationId": uid(HOURS), "MaxResults": 100},
    )
    stub.add_response(
        "search_contact_flows",
        {
            "ContactFlows": [
                {
                    "Id": uid(FLOW_TRANSFER),
                    "Arn": arn("contact-flow", FLOW_TRANSFER),
                    "Name": "Transfer",
                    "Type": "QUEUE_TRANSFER",
                    "State": "ACTIVE",
                    "Status": "PUBLISHED",
                    "Content": "{}",
                    "Version": 3,
                },
                {
                    "Id": uid(FLOW_IVR),
                    "Arn": arn("contact-flow", FLOW_IVR),
                    "Name": "Main IVR",
                    "Type": "CONTACT_FLOW",
                    "State": "ACTIVE",
                    "Status": "PUBLISHED",
                    "Content": ivr_content(),
                },
            ]
        },
        {**i, "MaxResults": 100},
    )
    stub.add_response(
        "search_contact_flow_modules",
        {
            "ContactFlowModules": [
                {
                    "Id": uid(MODULE_AUTH),
                    "Arn": arn("flow-module", MODULE_AUTH),
                    "Name": "Authenticate",
                    "State": "ACTIVE",
                    "Status": "PUBLISHED",
                    "Content": module_content(),
                    "Settings": '{"InputParameters": []}',
                }
            ]
        },
        {**i, "MaxResults": 100},
    )
    stub.add_response(
        "search_prompts",
        {"Prompts": [{"PromptId": uid(77), "PromptARN": arn("prompt", 77), "Name": "Acme Welcome"}]},
        {**i, "MaxResults": 100},
    )
    stub.add_response("list_lambda_functions", {"LambdaFunctions": [LAMBDA]}, {**i, "MaxResults": 25})
    stub.add_response(
        "list_bots",
        {"LexBots": [{"LexBot": {"Name": "OrderFlowers", "LexRegion": "us-east-1"}}]},
        {**i, "MaxResults": 25, "LexVersion": "V1"},
    )
    stub.add_response(
        "list_bots", {"LexBots": [{"LexV2Bot": {"AliasArn": LEX_ALIAS}}]}, {**i, "MaxResults": 25, "LexVersion": "V2"}
    )
    phone_arn = f"arn:aws:connect:us-east-1:{ACCOUNT}:phone-number/{uid(PHONE)}"
    summary = {
        "PhoneNumberId": uid(PHONE),
        "PhoneNumberArn": phone_arn,
        "PhoneNumber": NUMBER,
        "PhoneNumberCountryCode": "US",
        "PhoneNumberType": "DID",
        "TargetArn": INSTANCE_ARN,
        "InstanceId": INSTANCE_ID,
    }
    stub.add_response("list_phone_numbers_v2", {"ListPhoneNumbersSummaryList": [summary]}, {**i, "MaxResults": 1000})
    stub.add_response(
        "describe_phone_number",
        {"ClaimedPhoneNumberSummary": {**summary, "PhoneNumberDescription": "Sales line", "Tags": {"BU": "Sales"}}},
        {"PhoneNumberId": uid(PHONE)},
    )
    stub.add_response(
        "list_flow_associations",
        {"FlowAssociationSummaryList": [{"ResourceId": phone_arn, "FlowId": uid(FLOW_IVR)}]},
        {**i, "ResourceType": "VOICE_PHONE_NUMBER", "MaxResults": 1000},
    )
    stub.add_response(
        "search_security_profiles",
        {
            "SecurityProfiles": [
                {"Id": uid(SP_AGENT), "Arn": arn("security-profile", SP_AGENT), "SecurityProfileName": "Agent"},
                {
                    "Id": uid(SP_SUPERVISOR),
                    "Arn": arn("security-profile", SP_SUPERVISOR),
                    "SecurityProfileName": "Sales Supervisor",
                    "Description": "Floor leads",
                    "Tags": {"BU": "Sales"},
                },
            ]
        },
        {**i, "MaxResults": 100},
    )
    for sp, permissions in ((SP_AGENT, ["BasicAgentAccess"]), (SP_SUPERVISOR, ["Users.View", "AccessMetrics"])):
        stub.add_response(
            "list_security_profile_permissions",
            {"Permissions": permissions},
            {**i, "SecurityProfileId": uid(sp), "MaxResults": 1000},
        )
    # SearchSecurityProfiles lacks access-control tags and applications: one Describe and one List per profile.
    restricted = {
        "AllowedAccessControlTags": {"Site": "NYC", "BU": "Sales"},
        "TagRestrictedResources": ["User", "Queue"],
        # A supervisor sees London's agents only.
        "AllowedAccessControlHierarchyGroupId": uid(GROUP_LONDON),
        "HierarchyRestrictedResources": ["User"],
    }
    for sp, name, extra in ((SP_AGENT, "Agent", {}), (SP_SUPERVISOR, "Sales Supervisor", restricted)):
        profile = {"Id": uid(sp), "Arn": arn("security-profile", sp), "SecurityProfileName": name, **extra}
        stub.add_response(
            "describe_security_profile", {"SecurityProfile": profile}, {**i, "SecurityProfileId": uid(sp)}
        )
    crm = {"Namespace": "crm.example.com", "ApplicationPermissions": ["READ", "ACCESS"]}
    for sp, applications in ((SP_AGENT, []), (SP_SUPERVISOR, [crm])):
        stub.add_response(
            "list_security_profile_applications",
            {"Applications": applications},
            {**i, "SecurityProfileId": uid(sp), "MaxResults": 1000},
        )
    emea = {"Id": uid(GROUP_EMEA), "Arn": arn("agent-group", GROUP_EMEA), "Name": "EMEA"}
    london = {"Id": uid(GROUP_LONDON), "Arn": arn("agent-group", GROUP_LONDON), "Name": "London"}
    stub.add_response(
        "search_user_hierarchy_groups",
        {
            "UserHierarchyGroups": [
                {**emea, "LevelId": "1", "HierarchyPath": {"LevelOne": emea}, "Tags": {"Level": "Region"}},
                {**london, "LevelId": "2", "HierarchyPath": {"LevelOne": emea, "LevelTwo": london}},
            ]
        },
        {**i, "MaxResults": 100},
    )
    stub.add_response(
        "describe_user_hierarchy_structure",
        {"HierarchyStructure": {"LevelOne": {"Id": "1", "Name": "Region"}, "LevelTwo": {"Id": "2", "Name": "Site"}}},
        i,
    )
    stub.add_response(
        "search_queues",
        {"Queues": QUEUES},
        {**i, "MaxResults": 500, "SearchCriteria": {"QueueTypeCondition": "STANDARD"}},
    )
    for q, quick_connects in QUEUE_QUICK_CONNECTS.items():
        stub.add_response(
            "list_queue_quick_connects",
            {"QuickConnectSummaryList": [{"Id": uid(qc), "Name": f"qc {qc}"} for qc in quick_connects]},
            {**i, "QueueId": uid(q), "MaxResults": 100},
        )
    stub.add_response(
        "search_routing_profiles",
        {
            "RoutingProfiles": [
                {
                    "RoutingProfileId": uid(RP_SALES),
                    "RoutingProfileArn": arn("routing-profile", RP_SALES),
                    "Name": "Sales Agents",
                    "Description": "Sales",
                    "DefaultOutboundQueueId": uid(Q_SALES),
                    "MediaConcurrencies": [{"Channel": "VOICE", "Concurrency": 1}],
                    "NumberOfAssociatedQueues": 2,
                    "NumberOfAssociatedUsers": 1,
                    "IsDefault": False,
                    "AssociatedQueueIds": [uid(Q_SALES), uid(Q_CHAT)],
                    "LastModifiedTime": WHEN,
                }
            ]
        },
        {**i, "MaxResults": 500},
    )
    stub.add_response(
        "list_routing_profile_queues",
        {
            "RoutingProfileQueueConfigSummaryList": [
                {
                    "QueueId": uid(Q_CHAT),
                    "QueueArn": arn("queue", Q_CHAT),
                    "QueueName": "Sales_Chat",
                    "Priority": 2,
                    "Delay": 10,
                    "Channel": "CHAT",
                },
                {
                    "QueueId": uid(Q_SALES),
                    "QueueArn": arn("queue", Q_SALES),
                    "QueueName": "Q_QC_Sales_Inbound",
                    "Priority": 1,
                    "Delay": 0,
                    "Channel": "VOICE",
                },
            ]
        },
        {**i, "RoutingProfileId": uid(RP_SALES), "MaxResults": 100},
    )
    stub.add_response(
        "list_routing_profile_manual_assignment_queues",
        {
            "RoutingProfileManualAssignmentQueueConfigSummaryList": [
                {"QueueId": uid(Q_CHAT), "QueueArn": arn("queue", Q_CHAT), "QueueName": "Sales_Chat", "Channel": "CHAT"}
            ]
        },
        {**i, "RoutingProfileId": uid(RP_SALES), "MaxResults": 100},
    )
    stub.add_response(
        "search_predefined_attributes",
        {
            "PredefinedAttributes": [
                {"Name": "Language", "Values": {"StringList": ["French", "English"]}, "LastModifiedTime": WHEN},
                {"Name": "Unused", "Values": {"StringList": ["x"]}},
            ]
        },
        {**i, "MaxResults": 100},
    )
    view = {"Id": uid(95), "Arn": arn("view", 95), "Name": "Refund approval", "Type": "CUSTOMER_MANAGED"}
    stub.add_response("list_views", {"ViewsSummaryList": [view]}, {**i, "Type": "CUSTOMER_MANAGED", "MaxResults": 100})
    described_view = {
        **view,
        "Status": "PUBLISHED",
        "Version": 3,
        "Content": {"Template": '{"Body": []}', "Actions": ["Approve", "Reject"], "InputSchema": "{}"},
        "Tags": {"BU": "Support"},
        "ViewContentSha256": "0" * 64,
    }
    stub.add_response("describe_view", {"View": described_view}, {**i, "ViewId": uid(95)})
    stub.add_response(
        "search_agent_statuses",
        {
            "AgentStatuses": [
                {
                    "AgentStatusId": uid(STATUS_LUNCH),
                    "AgentStatusARN": arn("agent-state", STATUS_LUNCH),
                    "Name": "Lunch",
                    "Type": "CUSTOM",
                    "State": "ENABLED",
                    "DisplayOrder": 3,
                }
            ]
        },
        {**i, "MaxResults": 100},
    )
    jdoe = {
        "Id": uid(USER_JDOE),
        "Arn": arn("agent", USER_JDOE),
        "Username": "jdoe",
        "IdentityInfo": {"FirstName": "Jane", "LastName": "Doe"},
        # SearchUsers reports the after-contact-work limit in milliseconds: this is 30 seconds.
        "PhoneConfig": {"PhoneType": "SOFT_PHONE", "AutoAccept": False, "AfterContactWorkTimeLimit": 30000},
        "RoutingProfileId": uid(RP_SALES),
        "SecurityProfileIds": [uid(SP_SUPERVISOR), uid(SP_AGENT)],
        "HierarchyGroupId": uid(GROUP_LONDON),
        "Tags": {"BU": "Sales", "aws:createdBy": "someone"},
    }
    pages = user_pages if user_pages is not None else [[jdoe]]
    for n, page in enumerate(pages):
        params: dict[str, Any] = {**i, "MaxResults": 500}
        if n:
            params["NextToken"] = f"users-{n}"
        answer: dict[str, Any] = {"Users": page}
        if n + 1 < len(pages):
            answer["NextToken"] = f"users-{n + 1}"
        stub.add_response("search_users", answer, params)
        for user in page if describe_users else ():
            stub.add_response("describe_user", {"User": user}, {**i, "UserId": user["Id"]})
        for user in page:
            skills = [{"AttributeName": "Language", "AttributeValue": "French", "Level": 4.0}]
            stub.add_response(
                "list_user_proficiencies",
                {"UserProficiencyList": skills if user["Id"] == uid(USER_JDOE) else []},
                {**i, "UserId": user["Id"], "MaxResults": 100},
            )
    flow = uid(FLOW_TRANSFER)
    stub.add_response(
        "search_quick_connects",
        {
            "QuickConnects": [
                {
                    "QuickConnectId": uid(QC_CHAT),
                    "QuickConnectARN": arn("transfer-destination", QC_CHAT),
                    "Name": "Queue Sales Chat",
                    "QuickConnectConfig": {
                        "QuickConnectType": "QUEUE",
                        "QueueConfig": {"QueueId": uid(Q_CHAT), "ContactFlowId": flow},
                    },
                },
                {
                    "QuickConnectId": uid(QC_AGENT),
                    "QuickConnectARN": arn("transfer-destination", QC_AGENT),
                    "Name": "Agent Jane Doe",
                    "QuickConnectConfig": {
                        "QuickConnectType": "USER",
                        "UserConfig": {"UserId": uid(USER_JDOE), "ContactFlowId": flow},
                    },
                },
                # Its user was deleted: Connect keeps quick connects that point at deleted users.
                {
                    "QuickConnectId": uid(QC_GONE),
                    "QuickConnectARN": arn("transfer-destination", QC_GONE),
                    "Name": "Agent Gone",
                    "QuickConnectConfig": {
                        "QuickConnectType": "USER",
                        "UserConfig": {"UserId": uid(DELETED_USER), "ContactFlowId": flow},
                    },
                },
            ]
        },
        {**i, "MaxResults": 100},
    )


def by_name(items: list[dict[str, Any]], key: str = "name") -> dict[str, dict[str, Any]]:
    return {item[key]: item for item in items}


@pytest.fixture
def full_export(connect):
    client, stub, stats = connect
    stub_instance(stub)
    export = export_instance(client, INSTANCE)
    return export, stub, stats


# ---- references become names ------------------------------------------------------------------------


def test_every_reference_in_a_full_export_is_a_name_and_no_source_id_or_arn_leaks(full_export):
    export = full_export[0]
    # Flow language is carried as stored, with its references listed beside it (see the next test);
    # integrations are named by their ARNs. Everything else names what it references.
    flow_language = ("contact_flows", "contact_flow_modules", "lambda_functions", "lex_bots")
    dumped = json.dumps({k: v for k, v in export.resources.items() if k not in flow_language})
    assert "00000000-0000-4000-8000" not in dumped
    assert "arn:aws" not in dumped

    [user] = export.resources["users"]
    assert user["routing_profile"] == "Sales Agents"
    assert user["security_profiles"] == ["Agent", "Sales Supervisor"]
    assert user["hierarchy_group"] == "EMEA/London"

    sales = by_name(export.resources["queues"])["Q_QC_Sales_Inbound"]
    assert sales["hours_of_operation"] == "Sales Hours"
    assert sales["outbound_caller_config"] == {
        "outbound_caller_id_name": "Acme Sales",
        "outbound_caller_id_number": NUMBER,
        "outbound_flow": "Transfer",
    }
    assert sales["quick_connects"] == ["Queue Sales Chat"]

    [profile] = export.resources["routing_profiles"]
    assert profile["default_outbound_queue"] == "Q_QC_Sales_Inbound"
    assert profile["queue_configs"] == [
        {"queue": "Q_QC_Sales_Inbound", "channel": "VOICE", "priority": 1, "delay": 0},
        {"queue": "Sales_Chat", "channel": "CHAT", "priority": 2, "delay": 10},
    ]

    quick_connects = by_name(export.resources["quick_connects"])
    assert quick_connects["Agent Jane Doe"]["quick_connect_config"] == {
        "quick_connect_type": "USER",
        "user_config": {"user": "jdoe", "contact_flow": "Transfer"},
    }
    [number] = export.resources["phone_numbers"]
    assert number == {
        "phone_number": NUMBER,
        "country_code": "US",
        "type": "DID",
        "description": "Sales line",
        "contact_flow": "Main IVR",
        "tags": {"BU": "Sales"},
    }
    assert export.resources["user_hierarchy"] == {
        "levels": ["Region", "Site"],
        "groups": [{"path": "EMEA", "tags": {"Level": "Region"}}, {"path": "EMEA/London", "tags": {}}],
    }
    assert by_name(export.resources["security_profiles"])["Sales Supervisor"]["permissions"] == [
        "AccessMetrics",
        "Users.View",
    ]


def test_flow_language_is_carried_as_stored_with_every_resource_it_names_listed_by_identity(full_export):
    export, warnings = full_export[0], full_export[0].warnings
    flows = by_name(export.resources["contact_flows"])
    ivr = flows["Main IVR"]
    assert ivr["content"] == ivr_content()
    assert ivr["references"] == sorted(
        [
            {"arn": arn("contact-flow", FLOW_TRANSFER), "type": "contact_flows", "name": "Transfer"},
            {"arn": arn("flow-module", MODULE_AUTH), "type": "contact_flow_modules", "name": "Authenticate"},
            {"arn": arn("queue", Q_SALES), "type": "queues", "name": "Q_QC_Sales_Inbound"},
            {"arn": f"{INSTANCE_ARN}/queue/agent/{uid(USER_JDOE)}", "type": "users", "name": "jdoe"},
            {"arn": LEX_ALIAS, "type": "lex_bots", "name": "BOTID12345/ALIASID123"},
            {"arn": arn("prompt", 77), "type": "prompts", "name": "Acme Welcome"},
        ],
        key=lambda r: r["arn"],
    )
    # A task template is of a kind no bundle type carries: named in a warning, left for the import to report.
    assert any("Main IVR" in w and "action 'a8' (CreateTask)" in w and arn("task-template", 78) in w for w in warnings)
    # The export was not given a directory for prompts' audio: it says so.
    assert any("1 prompt(s) exported without their audio" in w for w in warnings)
    [module] = export.resources["contact_flow_modules"]
    assert module["settings"] == '{"InputParameters": []}'
    assert module["references"] == [
        {"arn": arn("contact-flow", FLOW_IVR), "type": "contact_flows", "name": "Main IVR"},
        {"arn": LAMBDA, "type": "lambda_functions", "name": "crm-lookup"},
    ]
    assert export.resources["lambda_functions"] == [{"name": "crm-lookup", "arn": LAMBDA}]
    assert export.resources["lex_bots"] == [
        {"name": "BOTID12345/ALIASID123", "lex_version": "V2", "arn": LEX_ALIAS},
        {"name": "OrderFlowers", "lex_version": "V1", "lex_region": "us-east-1"},
    ]


def test_security_profiles_bring_access_control_tags_and_applications_at_two_calls_each(full_export):
    export, stub = full_export[0], full_export[1]
    profiles = by_name(export.resources["security_profiles"])
    assert profiles["Sales Supervisor"]["allowed_access_control_tags"] == {"BU": "Sales", "Site": "NYC"}
    assert list(profiles["Sales Supervisor"]["allowed_access_control_tags"]) == ["BU", "Site"]  # sorted
    assert profiles["Sales Supervisor"]["tag_restricted_resources"] == ["Queue", "User"]
    assert profiles["Sales Supervisor"]["applications"] == [
        {"namespace": "crm.example.com", "application_permissions": ["ACCESS", "READ"]}
    ]
    # A profile without restrictions has no such keys, and an empty list of applications.
    assert profiles["Agent"]["applications"] == []
    assert not {"allowed_access_control_tags", "tag_restricted_resources"} & set(profiles["Agent"])
    assert len(stub.calls("DescribeSecurityProfile")) == len(stub.calls("ListSecurityProfileApplications")) == 2


def test_search_users_milliseconds_become_the_seconds_create_user_takes(full_export):
    export = full_export[0]
    assert export.resources["users"][0]["phone_config"]["after_contact_work_time_limit"] == 30


def test_per_channel_after_contact_work_limits_are_normalised_to_seconds_too(connect):
    client, stub = connect[:2]
    user = {
        "Id": uid(USER_JDOE),
        "Username": "jdoe",
        "RoutingProfileId": uid(RP_SALES),
        "SecurityProfileIds": [uid(SP_AGENT)],
        "PhoneConfig": {"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": 0},
        "AfterContactWorkConfigs": [
            {"Channel": "VOICE", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 45000}},
            {"Channel": "CHAT", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 120000}},
        ],
    }
    stub_instance(stub, user_pages=[[user]])
    [exported] = export_instance(client, INSTANCE, ["users"]).resources["users"]
    assert exported["phone_config"]["after_contact_work_time_limit"] == 0
    assert exported["after_contact_work_configs"] == [
        {"channel": "CHAT", "after_contact_work_config": {"after_contact_work_time_limit": 120}},
        {"channel": "VOICE", "after_contact_work_config": {"after_contact_work_time_limit": 45}},
    ]


def test_contact_details_cost_one_describe_user_per_exported_user_and_only_fill_what_search_omits(connect):
    client, stub, stats = connect
    stub_instance(stub, describe_users=False)
    described = {
        "Id": uid(USER_JDOE),
        "Username": "jdoe",
        "IdentityInfo": {
            "FirstName": "Jane",
            "LastName": "Doe",
            "Email": "jane.doe@example.com",
            "Mobile": "+12025550101",
        },
        # DescribeUser speaks seconds; the export keeps SearchUsers' value (normalised) for what Search returns.
        "PhoneConfig": {"PhoneType": "DESK_PHONE", "AfterContactWorkTimeLimit": 999, "DeskPhoneNumber": "+12025550199"},
        "SecurityProfileIds": [uid(SP_AGENT)],
        "RoutingProfileId": uid(RP_SALES),
    }
    stub.add_response("describe_user", {"User": described}, {"InstanceId": INSTANCE_ID, "UserId": uid(USER_JDOE)})
    export = export_instance(client, INSTANCE, ["users"])  # lossless by default
    [user] = export.resources["users"]
    assert "omitted" not in export.selection
    assert user["identity_info"] == {
        "first_name": "Jane",
        "last_name": "Doe",
        "email": "jane.doe@example.com",
        "mobile": "+12025550101",
    }
    assert user["phone_config"] == {
        "phone_type": "SOFT_PHONE",
        "auto_accept": False,
        "after_contact_work_time_limit": 30,
    }
    assert stats.calls["DescribeUser"] == 1


def test_skills_restrictions_and_manual_queues_are_carried_by_identity(full_export):
    export = full_export[0]
    [jdoe] = export.resources["users"]
    assert jdoe["proficiencies"] == [{"attribute_name": "Language", "attribute_value": "French", "level": 4.0}]
    attributes = by_name(export.resources["predefined_attributes"])
    assert attributes["Language"] == {"name": "Language", "values": {"string_list": ["English", "French"]}}
    supervisor = by_name(export.resources["security_profiles"])["Sales Supervisor"]
    assert supervisor["allowed_access_control_hierarchy_group"] == "EMEA/London"
    assert supervisor["hierarchy_restricted_resources"] == ["User"]
    [profile] = export.resources["routing_profiles"]
    assert profile["manual_assignment_queue_configs"] == [{"queue": "Sales_Chat", "channel": "CHAT"}]


def test_holiday_overrides_travel_with_their_hours_without_ids(full_export):
    [hours] = full_export[0].resources["hours_of_operations"]
    assert hours["overrides"] == [
        {
            "name": "Christmas",
            "config": [],
            "effective_from": "2026-12-25",
            "effective_till": "2026-12-26",
            "override_type": "CLOSED",
            "recurrence_config": {
                "recurrence_pattern": {"frequency": "YEARLY", "interval": 1, "by_month": [12], "by_month_day": [25]}
            },
        }
    ]


def test_views_carry_their_latest_content_and_tags_not_their_version(full_export):
    [view] = full_export[0].resources["views"]
    assert view == {
        "name": "Refund approval",
        "status": "PUBLISHED",
        "content": {"template": '{"Body": []}', "actions": ["Approve", "Reject"]},
        "tags": {"BU": "Support"},
    }


def test_a_view_never_published_is_read_as_saved_and_a_published_one_as_published(connect):
    from ansible_collections.ccaas.connect.plugins.module_utils._reader import Reader
    from ansible_collections.ccaas.connect.plugins.module_utils._resources import VIEWS

    client, stub, _stats = connect
    i = {"InstanceId": "inst"}
    stub.add_client_error(
        "describe_view", "ResourceNotFoundException", "no published content", expected_params={**i, "ViewId": "v1"}
    )
    draft = {"Id": "v1", "Name": "Draft", "Status": "SAVED", "Content": {"Template": "{}", "Actions": []}}
    stub.add_response("describe_view", {"View": draft}, {**i, "ViewId": "v1:$SAVED"})
    published = {**draft, "Id": "v2", "Name": "Live", "Status": "PUBLISHED"}
    stub.add_response("describe_view", {"View": published}, {**i, "ViewId": "v2"})
    reader = Reader(client, "inst")
    assert reader.describe(VIEWS, "v1", VIEWS.describe)["Status"] == "SAVED"
    assert reader.describe(VIEWS, "v2", VIEWS.describe)["Status"] == "PUBLISHED"
    assert [c["ViewId"] for c in stub.calls("DescribeView")] == ["v1", "v1:$SAVED", "v2"]
    # Any other failure is the export's to report, not a reason to read the draft.
    stub.add_client_error("describe_view", "AccessDeniedException", "no", expected_params={**i, "ViewId": "v3"})
    with pytest.raises(ClientError):
        reader.describe(VIEWS, "v3", VIEWS.describe)


def test_a_full_export_describes_every_exported_user_once(full_export):
    export, _stub, stats = full_export
    assert stats.calls["DescribeUser"] == len(export.resources["users"]) == 1
    assert "omitted" not in export.selection


def test_without_contact_details_no_user_is_described_and_the_bundle_says_who_loses_what(connect):
    client, stub, stats = connect
    stub_instance(stub, describe_users=False)
    export = export_instance(client, INSTANCE, describe=False)
    assert "DescribeUser" not in stats.calls
    assert "email" not in export.resources["users"][0]["identity_info"]
    fields = ["identity_info.email", "identity_info.secondary_email", "identity_info.mobile"]
    assert export.selection["omitted"] == {"users": {"fields": fields, "items": 1}}
    bundle = make_bundle(
        export.resources,
        region="us-east-1",
        instance_alias="x",
        exported_at="2026-11-25T14:00:00Z",
        selection=export.selection,
    )
    assert validate_bundle(bundle) == []
    [line] = omissions(bundle)
    assert line.startswith("1 user(s) lose identity_info.email, identity_info.secondary_email, identity_info.mobile")


def test_describes_of_many_users_run_several_at_a_time(connect):
    client, stub, stats = connect
    page = {
        "Id": uid(USER_JDOE),
        "Username": "jdoe",
        "RoutingProfileId": uid(RP_SALES),
        "SecurityProfileIds": [uid(SP_AGENT)],
        "PhoneConfig": {"PhoneType": "SOFT_PHONE"},
    }
    users = [{**page, "Id": uid(2000 + n), "Username": f"user{n}"} for n in range(40)]
    stub_instance(stub, user_pages=[users], describe_users=False)
    in_flight, most = [0], [0]
    lock = threading.Lock()

    def slow(**_kwargs):
        with lock:
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])
        time.sleep(0.02)
        with lock:
            in_flight[0] -= 1

    for user in users:
        stub.add_response(
            "describe_user",
            {"User": {**user, "IdentityInfo": {"Email": f"{user['Username']}@x.example"}}},
            {"InstanceId": INSTANCE_ID, "UserId": user["Id"]},
        )
    client.meta.events.register("before-parameter-build.connect.DescribeUser", slow)
    export = export_instance(client, INSTANCE, ["users"])
    assert stats.calls["DescribeUser"] == 40
    assert {u["identity_info"]["email"] for u in export.resources["users"]} == {f"user{n}@x.example" for n in range(40)}
    assert most[0] > 1


def test_read_only_fields_are_dropped(full_export):
    export = full_export[0]
    [profile] = export.resources["routing_profiles"]
    assert set(profile) == {
        "name",
        "description",
        "default_outbound_queue",
        "media_concurrencies",
        "queue_configs",
        "manual_assignment_queue_configs",
        "tags",
    }
    keys = set(all_keys(export.resources))
    assert not {k for k in keys if k.endswith(("_id", "_ids")) or k == "id"}
    # An ARN is kept only where it is the identity's source: a flow's references, an integration.
    named = ("contact_flows", "contact_flow_modules", "lambda_functions", "lex_bots")
    assert "arn" not in set(all_keys({k: v for k, v in export.resources.items() if k not in named}))
    assert not {k for k in keys if k.startswith(("last_modified", "number_of", "is_default", "associated_"))}
    assert "version" not in keys


def all_keys(value: Any) -> Any:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key != "tags":
                yield key
                yield from all_keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from all_keys(inner)


def test_aws_reserved_tags_are_dropped_and_the_others_kept(full_export):
    export = full_export[0]
    assert export.resources["users"][0]["tags"] == {"BU": "Sales"}
    assert by_name(export.resources["queues"])["Q_QC_Sales_Inbound"]["tags"] == {"BU": "Sales"}
    assert by_name(export.resources["queues"])["Reception"]["tags"] == {}


def test_lists_connect_keeps_unordered_come_out_sorted_so_exports_diff_cleanly(full_export):
    export = full_export[0]
    [hours] = export.resources["hours_of_operations"]
    assert [c["day"] for c in hours["config"]] == ["MONDAY", "TUESDAY"]
    assert [q["name"] for q in export.resources["queues"]] == sorted(q["Name"] for q in QUEUES)


def test_a_full_export_is_a_valid_bundle(full_export):
    export = full_export[0]
    bundle = make_bundle(
        export.resources,
        region="us-east-1",
        instance_alias="acme",
        exported_at="2026-11-25T14:00:00Z",
        selection=export.selection,
    )
    assert validate_bundle(bundle) == []


# ---- dangling references --------------------------------------------------------------------------


def test_a_quick_connect_to_a_deleted_user_is_left_out_and_so_is_its_place_on_queues(full_export):
    export = full_export[0]
    assert "Agent Gone" not in by_name(export.resources["quick_connects"])
    assert by_name(export.resources["queues"])["Q_QC_Sales_Inbound"]["quick_connects"] == ["Queue Sales Chat"]
    assert any("Agent Gone" in w and "left out" in w for w in export.warnings)
    assert any("Q_QC_Sales_Inbound" in w and "quick_connects" in w for w in export.warnings)


# ---- fewest calls ----------------------------------------------------------------------------------


def test_users_are_read_with_search_users_at_500_a_page_following_next_token(connect):
    client, stub, stats = connect
    page = {
        "Id": uid(USER_JDOE),
        "Username": "jdoe",
        "RoutingProfileId": uid(RP_SALES),
        "SecurityProfileIds": [uid(SP_AGENT)],
        "PhoneConfig": {"PhoneType": "SOFT_PHONE"},
    }
    pages = [[{**page, "Id": uid(1000 + n), "Username": f"user{n}"}] for n in range(3)]
    stub_instance(stub, user_pages=pages)
    export = export_instance(client, INSTANCE, ["users"])
    assert [u["username"] for u in export.resources["users"]] == ["user0", "user1", "user2"]
    assert [p.get("NextToken") for p in stub.calls("SearchUsers")] == [None, "users-1", "users-2"]
    assert {p["MaxResults"] for p in stub.calls("SearchUsers")} == {500}
    assert stats.calls["SearchUsers"] == 3
    # One DescribeUser per user for what SearchUsers omits (e-mail, mobile); never ListUsers.
    assert stats.calls["DescribeUser"] == 3 and "ListUsers" not in stats.calls


def test_per_item_lists_are_read_only_for_exported_items(connect):
    client, stub, stats = connect
    stub_instance(stub)
    export_instance(client, INSTANCE, ["agent_statuses"])
    assert set(stats.calls) == {"SearchAgentStatuses"}


def test_agent_queues_are_read_only_when_asked(connect):
    client, stub = connect[:2]
    stub_instance(stub)
    stub.add_response("search_queues", {"Queues": QUEUES}, {"InstanceId": INSTANCE_ID, "MaxResults": 500})
    export_instance(client, INSTANCE, ["queues"], Filters(include_agent_queues=True))
    assert stub.calls("SearchQueues") == [{"InstanceId": INSTANCE_ID, "MaxResults": 500}]


# ---- the business-unit rule and the other filters --------------------------------------------------


@pytest.mark.parametrize(
    ("tags", "selected"),
    [
        ({"BU": "Sales"}, True),
        ({"BU": "SALES"}, True),
        ({"bu": "sales"}, True),
        ({"Bu": " Sales "}, True),
        ({"BU": "Salesforce"}, False),
        ({"Owner": "Sales"}, False),
        ({"BusinessUnit": "Sales"}, False),
        ({}, False),
    ],
)
def test_bu_tag_key_and_value_match_ignoring_case(tags, selected):
    assert tag_matches(tags, "BU", "sales") is selected


def test_the_bu_tag_key_is_configurable():
    assert tag_matches({"CostCentre": "sales"}, "costcentre", "Sales")
    assert not tag_matches({"BU": "Sales"}, "CostCentre", "Sales")


def test_a_queue_prefix_is_matched_as_written_and_combines_with_the_bu_tag():
    prefix = Filters(queue_prefix="Q_QC_")
    assert queue_selected("Q_QC_Sales_Inbound", {}, prefix)
    assert not queue_selected("q_qc_sales", {}, prefix)
    both = Filters(queue_prefix="Q_QC_", bu_tag_value="Sales")
    assert queue_selected("Q_QC_Sales_Inbound", {"bu": "SALES"}, both)
    assert not queue_selected("Sales_Chat", {"bu": "SALES"}, both)
    assert not queue_selected("Q_QC_Support", {"BU": "Support"}, both)


def test_a_hierarchy_group_filter_takes_the_group_and_everything_below_it():
    london = Filters(user_hierarchy_groups=["EMEA/London"])
    assert user_selected("Sales Agents", "EMEA/London", {}, london)
    assert user_selected("Sales Agents", "EMEA/London/Sales Team A", {}, london)
    assert not user_selected("Sales Agents", "EMEA/Londonderry", {}, london)
    assert not user_selected("Sales Agents", None, {}, london)


def test_user_filters_by_routing_profile_and_tag_combine():
    filters = Filters(user_routing_profiles=["Sales Agents"], user_tags={"bu": "sales"})
    assert user_selected("Sales Agents", None, {"BU": "Sales"}, filters)
    assert not user_selected("Sales Agents", None, {"BU": "Support"}, filters)
    assert not user_selected("Support Agents", None, {"BU": "Sales"}, filters)


# ---- dependency closure ----------------------------------------------------------------------------


def test_a_bu_export_selects_the_bu_queues_and_brings_what_they_need(connect):
    client, stub = connect[:2]
    stub_instance(stub)
    export = export_instance(client, INSTANCE, None, Filters(bu_tag_value="sales"))
    assert export.selection["filters"] == {"bu_tag": {"key": "BU", "value": "sales"}}
    assert export.selection["matched"] == {"queues": ["Q_QC_Sales_Inbound", "Sales_Chat"]}
    assert [q["name"] for q in export.resources["queues"]] == ["Q_QC_Sales_Inbound", "Sales_Chat"]
    assert [h["name"] for h in export.resources["hours_of_operations"]] == ["Sales Hours"]
    assert [q["name"] for q in export.resources["quick_connects"]] == ["Queue Sales Chat"]
    assert [p["phone_number"] for p in export.resources["phone_numbers"]] == [NUMBER]
    # The number's inbound flow comes along with the number.
    assert [f["name"] for f in export.resources["contact_flows"]] == ["Main IVR", "Transfer"]
    # The IVR sends callers to jdoe's own queue: jdoe comes too, with the routing profile jdoe needs.
    assert [u["username"] for u in export.resources["users"]] == ["jdoe"]
    assert export.selection["dependencies"]["users"] == ["jdoe"]
    assert export.selection["dependencies"]["hours_of_operations"] == ["Sales Hours"]


def test_a_queue_reached_through_a_quick_connect_comes_with_its_own_dependencies(connect):
    client, stub = connect[:2]
    stub_instance(stub)
    export = export_instance(client, INSTANCE, None, Filters(queue_prefix="Q_QC_Support"))
    # Q_QC_Support offers "Agent Jane Doe" -> the user jdoe -> her routing profile -> its queues.
    assert export.selection["matched"] == {"queues": ["Q_QC_Support"]}
    assert [u["username"] for u in export.resources["users"]] == ["jdoe"]
    assert [p["name"] for p in export.resources["routing_profiles"]] == ["Sales Agents"]
    assert {q["name"] for q in export.resources["queues"]} == {"Q_QC_Support", "Q_QC_Sales_Inbound", "Sales_Chat"}
    assert {s["name"] for s in export.resources["security_profiles"]} == {"Agent", "Sales Supervisor"}
    # A group brings its parents, so the path can be rebuilt.
    assert [g["path"] for g in export.resources["user_hierarchy"]["groups"]] == ["EMEA", "EMEA/London"]
    bundle = make_bundle(
        export.resources, region="us-east-1", instance_alias="acme", exported_at="2026-11-25T14:00:00Z"
    )
    assert validate_bundle(bundle) == []


def test_users_selected_by_group_bring_their_profiles_and_groups(connect):
    client, stub = connect[:2]
    stub_instance(stub)
    export = export_instance(client, INSTANCE, None, Filters(user_hierarchy_groups=["EMEA"]))
    assert export.selection["matched"] == {"users": ["jdoe"]}
    assert [p["name"] for p in export.resources["routing_profiles"]] == ["Sales Agents"]
    assert export.selection["dependencies"]["user_hierarchy"] == ["EMEA", "EMEA/London"]
    assert "agent_statuses" not in export.resources


def test_types_named_in_resources_are_exported_in_full_beside_a_filter(connect):
    client, stub = connect[:2]
    stub_instance(stub)
    export = export_instance(client, INSTANCE, ["queues", "agent_statuses"], Filters(bu_tag_value="Support"))
    assert [s["name"] for s in export.resources["agent_statuses"]] == ["Lunch"]
    assert export.selection["matched"] == {"queues": ["Q_QC_Support"]}


def test_a_filter_on_a_type_left_out_of_resources_is_refused(connect):
    client = connect[0]
    with pytest.raises(ExportError, match="user filters need 'users'"):
        export_instance(client, INSTANCE, ["queues"], Filters(user_tags={"BU": "Sales"}))
