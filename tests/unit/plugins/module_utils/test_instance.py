from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.ccaas.connect.plugins.module_utils._instance import (
    InstanceNotFound,
    describe_instance,
    instance_id_from,
)

INSTANCE_ID = "8a1f5b3c-0d2e-4f6a-9b7c-1d2e3f4a5b6c"
INSTANCE_ARN = f"arn:aws:connect:us-east-1:123456789012:instance/{INSTANCE_ID}"
DESCRIBED = {"Instance": {"Id": INSTANCE_ID, "Arn": INSTANCE_ARN, "InstanceAlias": "acme"}}


@pytest.fixture
def client():
    return boto3.client("connect", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")


def test_an_instance_id_or_arn_is_used_as_it_is_and_an_alias_is_not():
    assert instance_id_from(INSTANCE_ID) == INSTANCE_ID
    assert instance_id_from(INSTANCE_ARN) == INSTANCE_ID
    assert instance_id_from("acme") is None


def test_an_instance_named_by_id_costs_one_describe_call(client):
    with Stubber(client) as stub:
        stub.add_response("describe_instance", DESCRIBED, {"InstanceId": INSTANCE_ID})
        assert describe_instance(client, INSTANCE_ID)["InstanceAlias"] == "acme"
        stub.assert_no_pending_responses()


def test_an_alias_is_found_on_a_later_list_page(client):
    with Stubber(client) as stub:
        stub.add_response(
            "list_instances",
            {
                "InstanceSummaryList": [{"Id": "0" * 8 + "-0000-0000-0000-" + "0" * 12, "InstanceAlias": "other"}],
                "NextToken": "page2",
            },
        )
        stub.add_response(
            "list_instances",
            {"InstanceSummaryList": [{"Id": INSTANCE_ID, "InstanceAlias": "acme"}]},
            {"NextToken": "page2"},
        )
        stub.add_response("describe_instance", DESCRIBED, {"InstanceId": INSTANCE_ID})
        assert describe_instance(client, "acme")["Id"] == INSTANCE_ID
        stub.assert_no_pending_responses()


def test_an_unknown_alias_is_reported_by_name(client):
    with Stubber(client) as stub:
        stub.add_response("list_instances", {"InstanceSummaryList": []})
        with pytest.raises(InstanceNotFound, match="alias 'nowhere'"):
            describe_instance(client, "nowhere")


def test_an_unknown_id_is_reported_by_id(client):
    with Stubber(client) as stub:
        stub.add_client_error("describe_instance", "ResourceNotFoundException", http_status_code=404)
        with pytest.raises(InstanceNotFound, match=INSTANCE_ID):
            describe_instance(client, INSTANCE_ID)
