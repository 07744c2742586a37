"""connect_info through ansible-playbook against moto's standalone server (moto serves instances)."""

from __future__ import annotations

import boto3
import pytest

from .conftest import DUMMY_CREDENTIALS, run_playbook

pytestmark = pytest.mark.integration


@pytest.fixture
def instance(moto_server):
    client = boto3.client(
        "connect",
        region_name="eu-west-2",
        endpoint_url=moto_server,
        aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    created = client.create_instance(
        IdentityManagementType="CONNECT_MANAGED",
        InstanceAlias="acme-describe-test",
        InboundCallsEnabled=True,
        OutboundCallsEnabled=False,
    )
    return moto_server, created["Id"]


@pytest.mark.parametrize("by", ["id", "alias"])
def test_describe_playbook_prints_the_instance_named_by_id_or_alias(instance, by):
    endpoint, instance_id = instance
    name = instance_id if by == "id" else "acme-describe-test"
    run = run_playbook(
        "playbooks/describe.yml",
        {"instance": name, "region": "eu-west-2"},
        {"AWS_ENDPOINT_URL_CONNECT": endpoint},
    )
    assert run.returncode == 0, run.stderr
    [described] = run.task_results("Describe the instance")
    assert described["changed"] is False
    assert described["instance"]["id"] == instance_id
    assert described["instance"]["instance_alias"] == "acme-describe-test"
    assert described["instance"]["identity_management_type"] == "CONNECT_MANAGED"
    assert described["instance"]["outbound_calls_enabled"] is False
    expected_calls = {"DescribeInstance"} if by == "id" else {"ListInstances", "DescribeInstance"}
    assert set(described["api_calls"]) == expected_calls


def test_an_instance_missing_from_the_region_fails_with_a_clear_message(instance):
    endpoint = instance[0]
    run = run_playbook(
        "playbooks/describe.yml",
        {"instance": "acme-describe-test", "region": "us-west-2"},
        {"AWS_ENDPOINT_URL_CONNECT": endpoint},
    )
    assert run.returncode != 0
    [failed] = run.task_results("Describe the instance")
    assert failed["failed"] is True
    assert "no Amazon Connect instance with alias 'acme-describe-test'" in failed["msg"]
