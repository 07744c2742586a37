"""Contact-flow modules as Amazon serves them: create, describe, list, search, update, archive, delete.

Through the whole in-process emulator (the model's validation on both sides), then boto3 over HTTP
and the AWS CLI.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from connect_emulator.domain.flow_modules import IdempotencyException, InvalidContactFlowModuleException
from connect_emulator.errors import DuplicateResourceException, LimitExceededException, ResourceNotFoundException
from connect_emulator.testing import EmulatorProcess

REGION = "eu-west-2"
CONTENT = json.dumps(
    {
        "Version": "2019-10-30",
        "StartAction": "a",
        "Actions": [{"Identifier": "a", "Type": "EndFlowModuleExecution", "Parameters": {}, "Transitions": {}}],
    }
)


def test_a_module_is_created_published_and_active_and_described_by_id_or_arn(connect, iid):
    made = connect("CreateContactFlowModule", InstanceId=iid, Name="Auth", Content=CONTENT, Tags={"BU": "Sales"})
    assert made["Arn"].endswith(f"/flow-module/{made['Id']}") and f"instance/{iid}/" in made["Arn"]
    for ref in (made["Id"], made["Arn"]):
        module = connect("DescribeContactFlowModule", InstanceId=iid, ContactFlowModuleId=ref)["ContactFlowModule"]
        assert (module["Name"], module["State"], module["Status"], module["Content"]) == (
            "Auth",
            "ACTIVE",
            "PUBLISHED",
            CONTENT,
        )
        assert module["Tags"] == {"BU": "Sales"} and len(module["FlowModuleContentSha256"]) == 64


def test_names_are_unique_and_content_must_be_flow_language(connect, iid):
    connect("CreateContactFlowModule", InstanceId=iid, Name="Auth", Content=CONTENT)
    with pytest.raises(DuplicateResourceException):
        connect("CreateContactFlowModule", InstanceId=iid, Name="Auth", Content=CONTENT)
    with pytest.raises(InvalidContactFlowModuleException):
        connect("CreateContactFlowModule", InstanceId=iid, Name="Broken", Content="not json")
    other = connect("CreateContactFlowModule", InstanceId=iid, Name="Other", Content=CONTENT)["Id"]
    with pytest.raises(DuplicateResourceException):
        connect("UpdateContactFlowModuleMetadata", InstanceId=iid, ContactFlowModuleId=other, Name="Auth")


def test_a_create_is_idempotent_by_client_token_and_refuses_the_token_for_another_request(connect, iid):
    first = connect("CreateContactFlowModule", InstanceId=iid, Name="Auth", Content=CONTENT, ClientToken="t-1")
    again = connect("CreateContactFlowModule", InstanceId=iid, Name="Auth", Content=CONTENT, ClientToken="t-1")
    assert again == first
    with pytest.raises(IdempotencyException):
        connect("CreateContactFlowModule", InstanceId=iid, Name="Other", Content=CONTENT, ClientToken="t-1")


def test_content_metadata_archive_list_search_and_delete(connect, iid):
    mid = connect("CreateContactFlowModule", InstanceId=iid, Name="Auth", Content=CONTENT)["Id"]
    connect("CreateContactFlowModule", InstanceId=iid, Name="Survey", Content=CONTENT, Description="after calls")
    changed = CONTENT.replace('"a"', '"b"')
    connect("UpdateContactFlowModuleContent", InstanceId=iid, ContactFlowModuleId=mid, Content=changed)
    with pytest.raises(InvalidContactFlowModuleException):
        connect("UpdateContactFlowModuleContent", InstanceId=iid, ContactFlowModuleId=mid, Content="[]")
    connect(
        "UpdateContactFlowModuleMetadata", InstanceId=iid, ContactFlowModuleId=mid, Description="x", State="ARCHIVED"
    )
    module = connect("DescribeContactFlowModule", InstanceId=iid, ContactFlowModuleId=mid)["ContactFlowModule"]
    assert (module["Content"], module["Description"], module["State"]) == (changed, "x", "ARCHIVED")

    listed = connect("ListContactFlowModules", InstanceId=iid)["ContactFlowModulesSummaryList"]
    assert sorted((m["Name"], m["State"]) for m in listed) == [("Auth", "ARCHIVED"), ("Survey", "ACTIVE")]
    active = connect("ListContactFlowModules", InstanceId=iid, ContactFlowModuleState="ACTIVE")
    assert [m["Name"] for m in active["ContactFlowModulesSummaryList"]] == ["Survey"]
    found = connect(
        "SearchContactFlowModules",
        InstanceId=iid,
        SearchCriteria={
            "StringCondition": {"FieldName": "description", "Value": "after", "ComparisonType": "CONTAINS"}
        },
    )
    assert [m["Name"] for m in found["ContactFlowModules"]] == ["Survey"] and found["ApproximateTotalCount"] == 1
    archived = connect("SearchContactFlowModules", InstanceId=iid, SearchCriteria={"StateCondition": "ARCHIVED"})
    assert [m["Name"] for m in archived["ContactFlowModules"]] == ["Auth"]

    connect("DeleteContactFlowModule", InstanceId=iid, ContactFlowModuleId=mid)
    with pytest.raises(ResourceNotFoundException):
        connect("DescribeContactFlowModule", InstanceId=iid, ContactFlowModuleId=mid)
    with pytest.raises(ResourceNotFoundException):
        connect("DeleteContactFlowModule", InstanceId=iid, ContactFlowModuleId=mid)


def test_modules_are_tagged_like_any_resource_and_the_quota_is_200(connect, iid, emulator):
    made = connect("CreateContactFlowModule", InstanceId=iid, Name="m-000", Content=CONTENT)
    connect("TagResource", resourceArn=made["Arn"], tags={"team": "ivr"})
    assert connect("ListTagsForResource", resourceArn=made["Arn"])["tags"] == {"team": "ivr"}
    for n in range(1, 200):
        connect("CreateContactFlowModule", InstanceId=iid, Name=f"m-{n:03}", Content=CONTENT)
    with pytest.raises(LimitExceededException):
        connect("CreateContactFlowModule", InstanceId=iid, Name="m-200", Content=CONTENT)
    emulator.set_quota("123456789012", REGION, iid, "L-19755C7E", 201)
    connect("CreateContactFlowModule", InstanceId=iid, Name="m-200", Content=CONTENT)


def test_modules_survive_the_state_file(connect, iid, emulator):
    made = connect("CreateContactFlowModule", InstanceId=iid, Name="Auth", Content=CONTENT, ClientToken="t-9")
    state = json.loads(json.dumps(emulator.dump_state()))
    emulator.reset()
    emulator.load_state(state)
    module = connect("DescribeContactFlowModule", InstanceId=iid, ContactFlowModuleId=made["Id"])["ContactFlowModule"]
    assert module["Name"] == "Auth"
    again = connect("CreateContactFlowModule", InstanceId=iid, Name="Auth", Content=CONTENT, ClientToken="t-9")
    assert again == made


def test_boto3_paginates_modules_and_the_aws_cli_describes_one() -> None:
    process = EmulatorProcess("--throttle", "off")
    try:
        client = process.client(region=REGION)
        iid = client.create_instance(
            IdentityManagementType="CONNECT_MANAGED",
            InstanceAlias="cli-modules",
            InboundCallsEnabled=True,
            OutboundCallsEnabled=True,
        )["Id"]
        ids = [
            client.create_contact_flow_module(InstanceId=iid, Name=f"m{n}", Content=CONTENT)["Id"] for n in range(12)
        ]
        pages = client.get_paginator("list_contact_flow_modules").paginate(
            InstanceId=iid, PaginationConfig={"PageSize": 5}
        )
        assert sorted(m["Id"] for page in pages for m in page["ContactFlowModulesSummaryList"]) == sorted(ids)
        aws = Path(sys.executable).with_name("aws")
        env = {**os.environ, **process.env(region=REGION)}
        env.pop("AWS_PROFILE", None)
        out = subprocess.run(
            [
                str(aws),
                "connect",
                "describe-contact-flow-module",
                "--instance-id",
                iid,
                "--contact-flow-module-id",
                ids[0],
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=True,
        )
        assert json.loads(out.stdout)["ContactFlowModule"]["Name"] == "m0"
    finally:
        process.stop()
