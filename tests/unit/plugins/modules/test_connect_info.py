from __future__ import annotations

import json

import boto3
import pytest
from ansible.module_utils.testing import patch_module_args
from botocore.stub import Stubber

from ansible_collections.ccaas.connect.plugins.module_utils._client import CallStats
from ansible_collections.ccaas.connect.plugins.modules import connect_info

INSTANCE_ID = "8a1f5b3c-0d2e-4f6a-9b7c-1d2e3f4a5b6c"


def run_module(monkeypatch, capsys, args, stub_responses):
    client = boto3.client("connect", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    stats = CallStats()
    stats.attach(client)
    monkeypatch.setattr(connect_info, "connect_client", lambda module: (client, stats))
    with Stubber(client) as stub:
        for operation, response, params in stub_responses:
            stub.add_response(operation, response, params)
        with patch_module_args({"region": "us-east-1", **args}), pytest.raises(SystemExit) as exited:
            connect_info.main()
    return exited.value.code, json.loads(capsys.readouterr().out)


def test_the_instance_comes_back_in_snake_case_with_its_api_calls(monkeypatch, capsys):
    code, result = run_module(
        monkeypatch,
        capsys,
        {"instance": INSTANCE_ID, "resources": []},
        [
            (
                "describe_instance",
                {"Instance": {"Id": INSTANCE_ID, "IdentityManagementType": "SAML"}},
                {"InstanceId": INSTANCE_ID},
            )
        ],
    )
    assert code == 0
    assert result["changed"] is False
    assert result["instance"] == {"id": INSTANCE_ID, "identity_management_type": "SAML"}
    assert result["api_calls"] == {"DescribeInstance": {"calls": 1, "retries": 0}}


def test_an_unknown_alias_fails_the_task_with_its_name(monkeypatch, capsys):
    code, result = run_module(
        monkeypatch,
        capsys,
        {"instance": "nowhere", "resources": []},
        [("list_instances", {"InstanceSummaryList": []}, {})],
    )
    assert code == 1
    assert result["failed"] is True
    assert "alias 'nowhere'" in result["msg"]


def test_an_export_returns_each_type_the_bundle_and_the_calls_it_cost(monkeypatch, capsys):
    instance = {"Id": INSTANCE_ID, "InstanceAlias": "acme", "IdentityManagementType": "CONNECT_MANAGED"}
    status = {"AgentStatusId": "s1", "AgentStatusARN": "arn:s1", "Name": "Lunch", "Type": "CUSTOM", "State": "ENABLED"}
    code, result = run_module(
        monkeypatch,
        capsys,
        {"instance": INSTANCE_ID, "resources": ["agent_statuses"]},
        [
            ("describe_instance", {"Instance": instance}, {"InstanceId": INSTANCE_ID}),
            ("search_agent_statuses", {"AgentStatuses": [status]}, {"InstanceId": INSTANCE_ID, "MaxResults": 100}),
        ],
    )
    assert code == 0, result
    lunch = {"name": "Lunch", "type": "CUSTOM", "state": "ENABLED", "tags": {}}
    assert result["agent_statuses"] == [lunch]
    bundle = result["bundle"]
    assert bundle["format_version"] == 1
    assert bundle["source"] == {
        "region": "us-east-1",
        "instance_alias": "acme",
        "identity_management_type": "CONNECT_MANAGED",
    }
    assert bundle["resources"] == {"agent_statuses": [lunch]}
    assert result["api_calls"] == {
        "DescribeInstance": {"calls": 1, "retries": 0},
        "SearchAgentStatuses": {"calls": 1, "retries": 0},
    }


def test_a_filter_on_a_type_not_exported_fails_the_task(monkeypatch, capsys):
    code, result = run_module(
        monkeypatch,
        capsys,
        {"instance": INSTANCE_ID, "resources": ["queues"], "user_tags": {"BU": "Sales"}},
        [("describe_instance", {"Instance": {"Id": INSTANCE_ID}}, {"InstanceId": INSTANCE_ID})],
    )
    assert code == 1
    assert "user filters need 'users'" in result["msg"]
