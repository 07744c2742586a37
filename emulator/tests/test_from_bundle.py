"""Loading an export bundle into a new emulated instance (connect_emulator.from_bundle)."""

from __future__ import annotations

import json

import pytest

from connect_emulator.domain.flow_content import InvalidContactFlowException
from connect_emulator.from_bundle import BundleLoadError, load_bundle

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
