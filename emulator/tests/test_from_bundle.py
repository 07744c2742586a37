"""Loading an export bundle into a new emulated instance (connect_emulator.from_bundle)."""

from __future__ import annotations

import json

import pytest

from connect_emulator.domain.flow_content import InvalidContactFlowException
from connect_emulator.from_bundle import BundleLoadError, load_bundle, load_into_new_instance, rewritten

REGION = "eu-west-2"

BUNDLE = {
    "format_version": 1,
    "source": {"region": "us-east-1", "instance_alias": "acme"},
    "exported_at": "2026-11-25T14:30:00Z",
    "resources": {
        "hours_of_operations": [
            {
                "name": "Sales Hours",
                "time_zone": "Europe/London",
                "config": [
                    {"day": "MONDAY", "start_time": {"hours": 9, "minutes": 0}, "end_time": {"hours": 17, "minutes": 0}}
                ],
                "tags": {"BU": "Sales"},
            }
        ],
        "queues": [
            {"name": "BasicQueue", "hours_of_operation": "Basic Hours", "quick_connects": [], "tags": {}},
            {"name": "Sales", "hours_of_operation": "Sales Hours", "quick_connects": ["Reception"], "tags": {}},
        ],
        "routing_profiles": [
            {
                "name": "Sales Agents",
                "description": "Sales",
                "default_outbound_queue": "Sales",
                "media_concurrencies": [{"channel": "VOICE", "concurrency": 1}],
                "queue_configs": [{"queue": "Sales", "channel": "VOICE", "priority": 1, "delay": 0}],
                "tags": {},
            }
        ],
        "users": [
            {
                "username": "jdoe",
                "identity_info": {"first_name": "Jane", "last_name": "Doe"},
                "phone_config": {"phone_type": "SOFT_PHONE", "after_contact_work_time_limit": 30},
                "routing_profile": "Sales Agents",
                "security_profiles": ["Agent"],
                "tags": {},
            }
        ],
        "quick_connects": [
            {
                "name": "Reception",
                "quick_connect_config": {
                    "quick_connect_type": "PHONE_NUMBER",
                    "phone_config": {"phone_number": "+442079460000"},
                },
                "tags": {},
            }
        ],
    },
}


def test_a_bundle_becomes_an_instance_with_its_items_created_and_the_defaults_left_alone(emulator):
    instance_id = load_bundle(emulator, BUNDLE, region=REGION, alias="rehearsal")

    def call(operation, **params):
        return emulator.call(operation, {"InstanceId": instance_id, **params}, region=REGION)

    users = call("SearchUsers", MaxResults=500)["Users"]
    assert [u["Username"] for u in users] == ["jdoe"]
    profile = call("DescribeRoutingProfile", RoutingProfileId=users[0]["RoutingProfileId"])["RoutingProfile"]
    assert profile["Name"] == "Sales Agents"
    queues = {q["Name"]: q["Id"] for q in call("ListQueues", QueueTypes=["STANDARD"])["QueueSummaryList"]}
    assert set(queues) == {"BasicQueue", "Sales"}  # BasicQueue is the instance's own, not a second one
    offered = call("ListQueueQuickConnects", QueueId=queues["Sales"])["QuickConnectSummaryList"]
    assert [qc["Name"] for qc in offered] == ["Reception"]


def test_another_format_version_is_refused(emulator):
    with pytest.raises(BundleLoadError, match="format_version 2"):
        load_bundle(emulator, {**BUNDLE, "format_version": 2}, region=REGION, alias="rehearsal")


def test_a_reference_the_bundle_does_not_hold_is_named(emulator):
    broken = {**BUNDLE, "resources": {**BUNDLE["resources"], "quick_connects": []}}
    with pytest.raises(BundleLoadError, match="queue Sales refers to quick_connects 'Reception'"):
        load_bundle(emulator, broken, region=REGION, alias="rehearsal")


def test_security_profiles_keep_their_access_control_tags_and_applications(emulator):
    leads = {
        "name": "Sales Leads",
        "permissions": ["Users.View"],
        "allowed_access_control_tags": {"BU": "Sales"},
        "tag_restricted_resources": ["Queue", "User"],
        "applications": [{"namespace": "acme-crm", "application_permissions": ["ACCESS"]}],
        "tags": {},
    }
    bundle = {**BUNDLE, "resources": {**BUNDLE["resources"], "security_profiles": [leads]}}
    instance_id = load_bundle(emulator, bundle, region=REGION, alias="rehearsal")

    def call(operation, **params):
        return emulator.call(operation, {"InstanceId": instance_id, **params}, region=REGION)

    [found] = [p for p in call("ListSecurityProfiles")["SecurityProfileSummaryList"] if p["Name"] == "Sales Leads"]
    described = call("DescribeSecurityProfile", SecurityProfileId=found["Id"])["SecurityProfile"]
    assert described["AllowedAccessControlTags"] == {"BU": "Sales"}
    assert described["TagRestrictedResources"] == ["Queue", "User"]
    applications = call("ListSecurityProfileApplications", SecurityProfileId=found["Id"])["Applications"]
    assert applications == [{"Namespace": "acme-crm", "ApplicationPermissions": ["ACCESS"]}]


def test_an_exports_published_flows_are_stored_as_exported_though_they_name_the_source_instance(emulator):
    source_queue = "arn:aws:connect:us-east-1:111122223333:instance/0f0e0d0c-aaaa-bbbb-cccc-000000000001/queue/q-1"
    content = json.dumps({"Actions": [{"Identifier": "a", "Parameters": {"QueueId": source_queue}, "Transitions": {}}]})
    flows = [{"name": "Main", "type": "CONTACT_FLOW", "status": "PUBLISHED", "content": content, "tags": {}}]
    instance_id = load_bundle(
        emulator, {**BUNDLE, "resources": {"contact_flows": flows}}, region=REGION, alias="rehearsal"
    )
    found = emulator.call("SearchContactFlows", {"InstanceId": instance_id}, region=REGION)["ContactFlows"]
    [main] = [f for f in found if f["Name"] == "Main"]
    assert (main["Status"], main["Content"]) == ("PUBLISHED", content)
    # Outside a load the same content is what Amazon refuses.
    with pytest.raises(InvalidContactFlowException):
        emulator.call(
            "CreateContactFlow",
            {"InstanceId": instance_id, "Name": "Copy", "Type": "CONTACT_FLOW", "Content": content},
            region=REGION,
        )


# -- flows and modules with references: rewritten to the loaded instance, in two passes --------------

ORIGINAL = "arn:aws:connect:us-east-1:111122223333:instance/0f0e0d0c-aaaa-bbbb-cccc-000000000001"
ORIGINAL_IDS = {
    ("queues", "Sales"): "5a1e5000-0000-4000-8000-000000000001",
    ("hours_of_operations", "Sales Hours"): "40e50000-0000-4000-8000-000000000002",
    ("users", "jdoe"): "05e40000-0000-4000-8000-000000000003",
    ("contact_flows", "Main"): "f1000000-0000-4000-8000-000000000004",
    ("contact_flows", "Support"): "f1000000-0000-4000-8000-000000000005",
    ("contact_flows", "Draft"): "f1000000-0000-4000-8000-000000000006",
    ("contact_flow_modules", "Authenticate"): "30d00000-0000-4000-8000-000000000007",
}
SEGMENTS = {
    "queues": "queue",
    "hours_of_operations": "operating-hours",
    "users": "agent",
    "contact_flows": "contact-flow",
    "contact_flow_modules": "flow-module",
}
LAMBDA = f"arn:aws:lambda:{REGION}:111122223333:function:acme-auth:live"
LEX_V2 = f"arn:aws:lex:{REGION}:111122223333:bot-alias/BOT0000001/ALIAS00001"


def original(kind: str, name: str) -> str:
    return f"{ORIGINAL}/{SEGMENTS[kind]}/{ORIGINAL_IDS[kind, name]}"


def ref(kind: str, name: str) -> dict[str, str]:
    return {"arn": original(kind, name), "type": kind, "name": name}


def flow_language(*actions: dict, metadata: dict | None = None) -> str:
    document = {"Version": "2019-10-30", "StartAction": actions[0]["Identifier"], "Actions": list(actions)}
    if metadata:
        document["Metadata"] = {"ActionMetadata": metadata}
    return json.dumps(document)


def act(identifier: str, kind: str, **parameters: object) -> dict:
    return {"Identifier": identifier, "Type": kind, "Parameters": parameters, "Transitions": {}}


def referencing_bundle() -> dict:
    """BUNDLE plus a module and three flows that name its items (and each other) as the source did."""
    main = flow_language(
        act("hours", "CheckHoursOfOperation", HoursOfOperationId=original("hours_of_operations", "Sales Hours")),
        act("auth", "InvokeFlowModule", FlowModuleId=original("contact_flow_modules", "Authenticate")),
        act("bot", "ConnectParticipantWithLexBot", Text="Hi", LexV2Bot={"AliasArn": LEX_V2}),
        act("queue", "UpdateContactTargetQueue", QueueId=original("queues", "Sales")),
        act("agent", "CheckMetricData", MetricType="NumberOfAgentsAvailable", AgentId=original("users", "jdoe")),
        act(
            "agent-queue", "UpdateContactTargetQueue", QueueId=f"{ORIGINAL}/queue/agent/{ORIGINAL_IDS['users', 'jdoe']}"
        ),
        act("support", "TransferToFlow", ContactFlowId=original("contact_flows", "Support")),
        metadata={
            "queue": {"queue": {"id": original("queues", "Sales"), "text": "Sales"}},
            "hours": {"Hours": {"id": ORIGINAL_IDS["hours_of_operations", "Sales Hours"], "text": "Sales Hours"}},
        },
    )
    support = flow_language(
        act("back", "TransferToFlow", ContactFlowId=original("contact_flows", "Main")),
        metadata={"back": {"ContactFlow": {"id": ORIGINAL_IDS["contact_flows", "Main"], "text": "Main"}}},
    )
    draft = flow_language(act("try", "TransferToFlow", ContactFlowId=original("contact_flows", "Main") + ":$SAVED"))
    module = flow_language(
        act("lookup", "InvokeLambdaFunction", LambdaFunctionARN=LAMBDA, InvocationTimeLimitSeconds="3"),
        act("queue", "UpdateContactTargetQueue", QueueId=original("queues", "Sales")),
    )
    resources = {
        **BUNDLE["resources"],
        "lambda_functions": [{"name": "acme-auth:live", "arn": LAMBDA}],
        "lex_bots": [
            {"name": "BOT0000001/ALIAS00001", "lex_version": "V2", "arn": LEX_V2},
            {"name": "OrderStatus", "lex_version": "V1", "lex_region": "us-east-1"},
        ],
        "contact_flow_modules": [
            {
                "name": "Authenticate",
                "status": "PUBLISHED",
                "content": module,
                "references": sorted(
                    [ref("queues", "Sales"), {"arn": LAMBDA, "type": "lambda_functions", "name": "acme-auth:live"}],
                    key=lambda r: r["arn"],
                ),
            }
        ],
        "contact_flows": [
            {
                "name": "Main",
                "type": "CONTACT_FLOW",
                "status": "PUBLISHED",
                "content": main,
                "references": sorted(
                    [
                        ref("hours_of_operations", "Sales Hours"),
                        ref("contact_flow_modules", "Authenticate"),
                        ref("queues", "Sales"),
                        ref("users", "jdoe"),
                        ref("contact_flows", "Support"),
                        {"arn": LEX_V2, "type": "lex_bots", "name": "BOT0000001/ALIAS00001"},
                    ],
                    key=lambda r: r["arn"],
                ),
            },
            {
                "name": "Support",
                "type": "CONTACT_FLOW",
                "status": "PUBLISHED",
                "content": support,
                "references": [ref("contact_flows", "Main")],
            },
            {
                "name": "Draft",
                "type": "CONTACT_FLOW",
                "status": "SAVED",
                "content": draft,
                "references": [ref("contact_flows", "Main")],
            },
        ],
    }
    return {**BUNDLE, "source": {**BUNDLE["source"], "instance_arn": ORIGINAL}, "resources": resources}


def _contents(emulator, instance_id: str) -> dict[str, dict]:
    def call(operation, **params):
        return emulator.call(operation, {"InstanceId": instance_id, **params}, region=REGION)

    found = {f["Name"]: f for f in call("SearchContactFlows")["ContactFlows"]}
    for summary in call("ListContactFlowModules")["ContactFlowModulesSummaryList"]:
        found[summary["Name"]] = call("DescribeContactFlowModule", ContactFlowModuleId=summary["Id"])[
            "ContactFlowModule"
        ]
    return found


def test_references_are_rewritten_to_the_loaded_items_and_no_id_of_the_source_instance_remains(emulator):
    loaded = load_into_new_instance(emulator, referencing_bundle(), region=REGION, alias="rehearsal")
    found = _contents(emulator, loaded.instance.id)
    for name in ("Main", "Support", "Draft", "Authenticate"):
        content = found[name]["Content"]
        assert ORIGINAL.rsplit("/", 1)[-1] not in content, name
        assert not [old for old in ORIGINAL_IDS.values() if old in content], name
    main = json.loads(found["Main"]["Content"])
    parameters = {a["Identifier"]: a["Parameters"] for a in main["Actions"]}
    arns = loaded.arns
    assert parameters["queue"]["QueueId"] == arns["queues"]["Sales"]
    assert parameters["hours"]["HoursOfOperationId"] == arns["hours_of_operations"]["Sales Hours"]
    assert parameters["auth"]["FlowModuleId"] == arns["contact_flow_modules"]["Authenticate"]
    assert parameters["agent"]["AgentId"] == arns["users"]["jdoe"]
    assert parameters["agent-queue"]["QueueId"] == f"{loaded.instance.arn}/queue/agent/{loaded.ids['users']['jdoe']}"
    assert parameters["bot"]["LexV2Bot"] == {"AliasArn": LEX_V2}  # the same bot alias, associated
    # A bare ID (as Metadata repeats references) becomes the loaded item's ID, an ARN its ARN.
    assert (
        main["Metadata"]["ActionMetadata"]["hours"]["Hours"]["id"] == loaded.ids["hours_of_operations"]["Sales Hours"]
    )
    assert main["Metadata"]["ActionMetadata"]["queue"]["queue"]["id"] == arns["queues"]["Sales"]
    # Published content passed the emulator's own check: nothing was stored unchecked.
    assert loaded.unchecked == {}
    assert loaded.counts["contact_flow_references"] == 8
    assert loaded.counts["contact_flow_module_references"] == 2


def test_two_flows_that_transfer_to_each_other_load_and_a_saved_flow_stays_saved(emulator):
    loaded = load_into_new_instance(emulator, referencing_bundle(), region=REGION, alias="rehearsal")
    found = _contents(emulator, loaded.instance.id)
    main, support, draft = found["Main"], found["Support"], found["Draft"]
    assert (main["Status"], support["Status"], draft["Status"]) == ("PUBLISHED", "PUBLISHED", "SAVED")
    assert json.loads(support["Content"])["Actions"][0]["Parameters"]["ContactFlowId"] == main["Arn"]
    assert json.loads(main["Content"])["Actions"][-1]["Parameters"]["ContactFlowId"] == support["Arn"]
    # A qualifier after a rewritten ARN stays.
    assert json.loads(draft["Content"])["Actions"][0]["Parameters"]["ContactFlowId"] == main["Arn"] + ":$SAVED"


def test_lambda_functions_and_lex_bots_are_associated_as_the_bundle_lists_them(emulator):
    instance_id = load_bundle(emulator, referencing_bundle(), region=REGION, alias="rehearsal")

    def call(operation, **params):
        return emulator.call(operation, {"InstanceId": instance_id, **params}, region=REGION)

    assert call("ListLambdaFunctions")["LambdaFunctions"] == [LAMBDA]
    assert call("ListBots", LexVersion="V2")["LexBots"] == [{"LexV2Bot": {"AliasArn": LEX_V2}}]
    assert call("ListBots", LexVersion="V1")["LexBots"] == [
        {"LexBot": {"Name": "OrderStatus", "LexRegion": "us-east-1"}}
    ]


def test_a_published_flow_naming_what_its_references_do_not_describe_is_stored_unchecked_and_reported(emulator):
    bundle = referencing_bundle()
    elsewhere = f"{ORIGINAL}/queue/9e9e9e9e-0000-4000-8000-00000000000a"
    [support] = [f for f in bundle["resources"]["contact_flows"] if f["name"] == "Support"]
    support["content"] = support["content"].replace('"Actions": [', f'"Note": "{elsewhere}", "Actions": [')
    loaded = load_into_new_instance(emulator, bundle, region=REGION, alias="rehearsal")
    assert list(loaded.unchecked) == ["contact flow Support"]
    [problem] = loaded.unchecked["contact flow Support"]
    assert elsewhere in problem and "another instance" in problem
    assert loaded.counts["contact_flows_unchecked"] == 1
    found = _contents(emulator, loaded.instance.id)
    assert found["Support"]["Status"] == "PUBLISHED" and elsewhere in found["Support"]["Content"]
    # What the references do describe was rewritten all the same.
    assert ORIGINAL_IDS["contact_flows", "Main"] not in found["Support"]["Content"]


def test_a_reference_to_an_item_the_bundle_does_not_hold_is_named(emulator):
    bundle = referencing_bundle()
    bundle["resources"]["contact_flows"][0]["references"].append(
        {"arn": f"{ORIGINAL}/queue/77777777-0000-4000-8000-000000000000", "type": "queues", "name": "Nowhere"}
    )
    with pytest.raises(BundleLoadError, match="contact flow Main refers to queues 'Nowhere'"):
        load_bundle(emulator, bundle, region=REGION, alias="rehearsal")


def test_rewriting_replaces_whole_arns_and_ids_keeps_qualifiers_and_leaves_other_arns_alone() -> None:
    old_id, new_id = "11111111-2222-4333-8444-555555555555", "66666666-7777-4888-8999-000000000000"
    old, new = f"{ORIGINAL}/queue/{old_id}", f"arn:aws:connect:eu-west-2:123456789012:instance/i/queue/{new_id}"
    content = json.dumps(
        [old, old + ":$SAVED", old + ":3", old_id, f"{ORIGINAL}/contact-flow/{old_id}", old_id + "0", "x" + old_id]
    )
    assert json.loads(rewritten(content, {old: new, old_id: new_id})) == [
        new,
        new + ":$SAVED",
        new + ":3",
        new_id,
        f"{ORIGINAL}/contact-flow/{old_id}",  # another ARN's ID: not this reference
        old_id + "0",
        "x" + old_id,
    ]


def test_content_that_is_not_flow_language_json_is_named_with_its_flow(emulator):
    bundle = referencing_bundle()
    bundle["resources"]["contact_flows"][1]["content"] = "not json"
    with pytest.raises(BundleLoadError, match="contact flow Support: The flow content is not valid flow language JSON"):
        load_bundle(emulator, bundle, region=REGION, alias="rehearsal")
