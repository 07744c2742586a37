"""The emulator over HTTP, as boto3 and the AWS CLI see it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from connect_emulator.testing import EmulatorHandle

SAML = {"IdentityManagementType": "SAML", "InboundCallsEnabled": True, "OutboundCallsEnabled": False}
USER = {
    "Username": "jdoe",
    "PhoneConfig": {"PhoneType": "SOFT_PHONE"},
    "SecurityProfileIds": ["sp-1"],
    "RoutingProfileId": "rp-1",
}


def unvalidated_client(emulator: EmulatorHandle):  # type: ignore[no-untyped-def]
    """A client that sends what it is given, so the server's own validation answers."""
    return emulator.client(parameter_validation=False)


def test_domain_operations_round_trip_with_timestamps(fake_emulator: EmulatorHandle, fake_instance: dict) -> None:
    client = fake_emulator.client()
    created = client.create_user(InstanceId=fake_instance["Id"], **USER)
    user = client.describe_user(InstanceId=fake_instance["Id"], UserId=created["UserId"])["User"]
    assert user["Username"] == "jdoe"
    assert user["LastModifiedTime"].isoformat() == "2026-01-02T03:04:05+00:00"
    assert "HierarchyGroupId" not in user  # None is omitted, as Amazon does


def test_instance_arns_can_be_addressed_by_arn_for_tags(fake_emulator: EmulatorHandle, fake_instance: dict) -> None:
    client = fake_emulator.client()
    queue_arn = fake_instance["Arn"] + "/queue/q-1"
    client.tag_resource(resourceArn=queue_arn, tags={"team": "blue", "cost": "7"})
    client.untag_resource(resourceArn=queue_arn, tagKeys=["cost"])
    assert client.list_tags_for_resource(resourceArn=queue_arn)["tags"] == {"team": "blue"}


def test_missing_required_member_is_invalid_parameter(fake_emulator: EmulatorHandle, fake_instance: dict) -> None:
    client = unvalidated_client(fake_emulator)
    with pytest.raises(ClientError) as caught:
        client.create_user(InstanceId=fake_instance["Id"], Username="x", PhoneConfig={"PhoneType": "SOFT_PHONE"})
    error = caught.value.response["Error"]
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["Code"] == "InvalidParameterException"
    assert error["Message"].startswith("2 validation errors detected: Value null at 'securityProfileIds'")


def test_too_long_and_bad_enum_are_invalid_parameter(fake_emulator: EmulatorHandle, fake_instance: dict) -> None:
    client = unvalidated_client(fake_emulator)
    with pytest.raises(ClientError) as caught:
        client.create_user(InstanceId=fake_instance["Id"], **{**USER, "Username": "u" * 101})
    assert "Member must have length less than or equal to 100" in caught.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as caught:
        client.create_user(InstanceId=fake_instance["Id"], **{**USER, "PhoneConfig": {"PhoneType": "PIGEON"}})
    assert caught.value.response["Error"]["Code"] == "InvalidParameterException"
    assert "Member must satisfy enum value set: [DESK_PHONE, SOFT_PHONE]" in caught.value.response["Error"]["Message"]


def test_moto_served_instance_calls_are_validated_too(fake_emulator: EmulatorHandle) -> None:
    client = unvalidated_client(fake_emulator)
    with pytest.raises(ClientError) as caught:
        client.list_instances(MaxResults=11)
    assert caught.value.response["Error"]["Code"] == "InvalidParameterException"


def test_domain_errors_reach_botocore_with_code_status_and_extra_members(
    fake_emulator: EmulatorHandle, fake_instance: dict
) -> None:
    client = fake_emulator.client()
    with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
        client.describe_user(InstanceId=fake_instance["Id"], UserId="nobody")
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert caught.value.response["Error"]["Message"] == "User not found for UserId: nobody"
    assert caught.value.response["ResponseMetadata"]["RequestId"]

    user_id = client.create_user(InstanceId=fake_instance["Id"], **{**USER, "Username": "in-use"})["UserId"]
    with pytest.raises(client.exceptions.ResourceInUseException) as in_use:
        client.delete_user(InstanceId=fake_instance["Id"], UserId=user_id)
    assert in_use.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert in_use.value.response["ResourceType"] == "USER"
    assert in_use.value.response["ResourceId"] == user_id


def test_an_unknown_instance_is_not_found(fake_emulator: EmulatorHandle) -> None:
    with pytest.raises(ClientError) as caught:
        fake_emulator.client().describe_instance(InstanceId="00000000-0000-0000-0000-000000000000")
    assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_operations_nobody_serves_answer_a_clear_error(fake_emulator: EmulatorHandle, fake_instance: dict) -> None:
    with pytest.raises(ClientError) as caught:
        fake_emulator.client().list_queues(InstanceId=fake_instance["Id"])
    assert caught.value.response["Error"]["Code"] == "InvalidRequestException"
    assert "ListQueues is not implemented" in caught.value.response["Error"]["Message"]


def test_answers_off_the_model_are_500_when_output_validation_is_on(
    fake_emulator: EmulatorHandle, fake_instance: dict
) -> None:
    client = fake_emulator.client()
    user_id = client.create_user(InstanceId=fake_instance["Id"], **USER)["UserId"]
    fake_emulator.emulator.domain.bad_output = True
    with pytest.raises(ClientError) as caught:
        client.describe_user(InstanceId=fake_instance["Id"], UserId=user_id)
    assert caught.value.response["Error"]["Code"] == "InternalServiceException"
    assert "Member must be of type string" in caught.value.response["Error"]["Message"]


def test_list_instances_paginates(fake_emulator: EmulatorHandle) -> None:
    client = fake_emulator.client()
    created = {client.create_instance(**SAML)["Id"] for _ in range(12)}
    pages = list(client.get_paginator("list_instances").paginate(PaginationConfig={"PageSize": 5}))
    assert [len(p["InstanceSummaryList"]) for p in pages] == [5, 5, 2]
    assert {s["Id"] for p in pages for s in p["InstanceSummaryList"]} == created


def test_aws_cli_lists_instances_unchanged(fake_emulator: EmulatorHandle, fake_instance: dict) -> None:
    aws = Path(sys.executable).with_name("aws")
    env = {**os.environ, **fake_emulator.env()}
    env.pop("AWS_PROFILE", None)
    result = subprocess.run(
        [str(aws), "connect", "list-instances", "--endpoint-url", fake_emulator.endpoint, "--region", "us-east-1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    listed = json.loads(result.stdout)["InstanceSummaryList"]
    assert [i["Id"] for i in listed] == [fake_instance["Id"]]


def test_accounts_follow_moto_header_and_keep_instances_apart(fake_emulator: EmulatorHandle) -> None:
    client = fake_emulator.client()
    other = fake_emulator.client()
    other.meta.events.register(
        "before-sign.connect.*", lambda request, **_: request.headers.__setitem__("x-moto-account-id", "111122223333")
    )
    created = other.create_instance(**SAML)
    assert created["Arn"].split(":")[4] == "111122223333"
    assert client.list_instances()["InstanceSummaryList"] == []


def test_requests_for_other_services_still_reach_moto(fake_emulator: EmulatorHandle) -> None:
    import boto3

    sts = boto3.client(
        "sts",
        region_name="us-east-1",
        endpoint_url=fake_emulator.endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 1}),
    )
    assert sts.get_caller_identity()["Account"] == "123456789012"


def test_health_endpoint(fake_emulator: EmulatorHandle) -> None:
    with urllib.request.urlopen(fake_emulator.endpoint + "/_emulator/health") as response:
        assert json.loads(response.read())["status"] == "ok"


def test_instance_aliases_are_unique_and_describe_shows_current_tags(fake_emulator: EmulatorHandle) -> None:
    client = fake_emulator.client()
    created = client.create_instance(InstanceAlias="only-one", **SAML)
    with pytest.raises(ClientError) as caught:
        client.create_instance(InstanceAlias="only-one", **SAML)
    assert caught.value.response["Error"]["Code"] == "InvalidRequestException"
    fake_emulator.emulator.instances.tag_instance("123456789012", "us-east-1", created["Arn"], {"team": "ops"})
    assert client.describe_instance(InstanceId=created["Id"])["Instance"]["Tags"] == {"team": "ops"}
