"""`iam_auth`: each Connect request authorised against the caller's policies in moto's IAM backend."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from connect_emulator.testing import EmulatorHandle

READ_QUEUES = {"Effect": "Allow", "Action": ["connect:ListQueues", "connect:DescribeInstance"], "Resource": "*"}


@pytest.fixture
def emulator(connect_emulator: EmulatorHandle) -> Iterator[EmulatorHandle]:
    created = connect_emulator.client().create_instance(
        IdentityManagementType="CONNECT_MANAGED", InboundCallsEnabled=True, OutboundCallsEnabled=True
    )
    connect_emulator.instance = created  # type: ignore[attr-defined]
    connect_emulator.reset_stats()
    yield connect_emulator
    connect_emulator.configure(iam_auth=False)


def user_client(emulator: EmulatorHandle, *statements: dict[str, Any], secret: str | None = None) -> Any:
    iam = boto3.client(
        "iam", endpoint_url=emulator.endpoint, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    name = f"u-{uuid.uuid4().hex[:8]}"
    iam.create_user(UserName=name)
    document = {"Version": "2012-10-17", "Statement": list(statements)}
    iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps(document))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return boto3.client(
        "connect",
        endpoint_url=emulator.endpoint,
        region_name="us-east-1",
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=secret or key["SecretAccessKey"],
    )


def error_of(call: Any) -> tuple[int, str, str]:
    with pytest.raises(ClientError) as raised:
        call()
    response = raised.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"], response["Error"]["Message"]


def test_off_by_default_any_credentials_do(emulator: EmulatorHandle) -> None:
    assert emulator.control("GET", "config")["iam_auth"] is False
    assert emulator.client().list_queues(InstanceId=emulator.instance["Id"])["QueueSummaryList"]


def test_an_allowed_action_is_served_and_a_missing_one_is_refused_in_amazons_words(emulator: EmulatorHandle) -> None:
    client = user_client(emulator, READ_QUEUES)
    emulator.configure(iam_auth=True)
    instance = emulator.instance
    assert client.list_queues(InstanceId=instance["Id"])["QueueSummaryList"]

    status, code, message = error_of(
        lambda: client.create_queue(InstanceId=instance["Id"], Name="Q", HoursOfOperationId="h")
    )
    assert (status, code) == (403, "AccessDeniedException")
    assert message.startswith("User: arn:aws:iam::123456789012:user/u-")
    assert f"is not authorized to perform: connect:CreateQueue on resource: {instance['Arn']}" in message
    # Refused before it is served: nothing created, and the refusal is counted like any error.
    assert emulator.stats()["apis"]["CreateQueue"]["errors"] == {"AccessDeniedException": 1}
    emulator.configure(iam_auth=False)
    names = [q["Name"] for q in emulator.client().list_queues(InstanceId=instance["Id"])["QueueSummaryList"]]
    assert "Q" not in names


def test_an_explicit_deny_wins_and_a_tag_request_is_authorised_on_the_resource_arn(emulator: EmulatorHandle) -> None:
    instance = emulator.instance
    deny = {"Effect": "Deny", "Action": "connect:TagResource", "Resource": instance["Arn"]}
    allow_all = {"Effect": "Allow", "Action": "connect:*", "Resource": "*"}
    client = user_client(emulator, allow_all, deny)
    emulator.configure(iam_auth=True)
    assert client.list_tags_for_resource(resourceArn=instance["Arn"])["tags"] == {}
    status, code, _ = error_of(lambda: client.tag_resource(resourceArn=instance["Arn"], tags={"k": "v"}))
    assert (status, code) == (403, "AccessDeniedException")


def test_an_unknown_key_and_a_wrong_secret_are_refused_as_connect_refuses_them(emulator: EmulatorHandle) -> None:
    forged = user_client(emulator, READ_QUEUES, secret="not-the-secret")
    emulator.configure(iam_auth=True)
    status, code, _ = error_of(lambda: emulator.client().list_instances())
    assert (status, code) == (403, "UnrecognizedClientException")
    status, code, _ = error_of(lambda: forged.list_instances())
    assert (status, code) == (403, "InvalidSignatureException")
