from __future__ import annotations

import boto3
from botocore.stub import Stubber

from ansible_collections.ccaas.connect.plugins.module_utils._client import CallStats


def test_every_call_is_counted_per_api():
    client = boto3.client("connect", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    stats = CallStats()
    stats.attach(client)
    with Stubber(client) as stub:
        stub.add_response("list_instances", {"InstanceSummaryList": []})
        stub.add_response("list_instances", {"InstanceSummaryList": []})
        stub.add_response("describe_instance", {"Instance": {"Id": "x"}}, {"InstanceId": "x"})
        client.list_instances()
        client.list_instances()
        client.describe_instance(InstanceId="x")
    assert stats.calls == {"ListInstances": 2, "DescribeInstance": 1}
    assert stats.total_calls == 3
    assert list(stats.as_dict()) == ["DescribeInstance", "ListInstances"]
