from __future__ import annotations

import json

import boto3
import pytest
from ansible.module_utils.testing import patch_module_args
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils import _shell
from ansible_collections.ccaas.connect.plugins.module_utils._bundle import BundleError, MissingJsonSchema, Problem
from ansible_collections.ccaas.connect.plugins.module_utils._client import CallStats
from ansible_collections.ccaas.connect.plugins.module_utils._errors import CcaasError
from ansible_collections.ccaas.connect.plugins.module_utils._executor import ApplyError
from ansible_collections.ccaas.connect.plugins.module_utils._export import ExportError
from ansible_collections.ccaas.connect.plugins.module_utils._instance import InstanceNotFound
from ansible_collections.ccaas.connect.plugins.module_utils._lease import LeaseError
from ansible_collections.ccaas.connect.plugins.module_utils._secrets import PasswordError

INSTANCE_ID = "8a1f5b3c-0d2e-4f6a-9b7c-1d2e3f4a5b6c"
INSTANCE = {"Id": INSTANCE_ID, "Arn": f"arn:aws:connect:us-east-1:123456789012:instance/{INSTANCE_ID}"}


def run(monkeypatch, capsys, body, stub_more=()):
    """Run `body` in the shell against a stubbed Connect; (exit code, module result)."""
    client = boto3.client("connect", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    stats = CallStats()
    stats.attach(client)
    built = []
    monkeypatch.setattr(_shell, "connect_client", lambda module, **options: built.append(options) or (client, stats))
    with Stubber(client) as stub:
        stub.add_response("describe_instance", {"Instance": INSTANCE}, {"InstanceId": INSTANCE_ID})
        for add in stub_more:
            add(stub)
        with patch_module_args({"region": "us-east-1", "instance": INSTANCE_ID}), pytest.raises(SystemExit) as exited:
            module = AnsibleAWSModule(argument_spec={"instance": {"type": "str", "required": True}})
            _shell.run_module(module, body, max_pool_connections=4)
    assert built == [{"max_pool_connections": 4}]
    return exited.value.code, json.loads(capsys.readouterr().out)


def test_every_error_the_collection_raises_on_purpose_is_a_ccaas_error():
    errors = [
        InstanceNotFound("gone"),
        PasswordError("bad file"),
        LeaseError("held"),
        BundleError([Problem("$", "not JSON")]),
        MissingJsonSchema(),
        ExportError("bad filter"),
        ApplyError("refused"),
    ]
    assert all(isinstance(error, CcaasError) for error in errors)
    assert LeaseError("held").result == {"held": False, "held_by": None}
    assert BundleError([Problem("$.a", "wrong", "user 'x'")]).result == {"problems": ["user 'x': $.a: wrong"]}


def test_the_body_gets_the_resolved_instance_and_its_result_gets_the_calls(monkeypatch, capsys):
    seen = []

    def body(session):
        seen.append(session.instance_id)
        return {"answer": 42}

    code, result = run(monkeypatch, capsys, body)
    assert code == 0
    assert seen == [INSTANCE_ID]
    assert result["answer"] == 42
    assert result["changed"] is False
    assert result["api_calls"] == {"DescribeInstance": {"calls": 1, "retries": 0}}


def test_a_ccaas_error_fails_the_task_with_its_fields_and_the_calls_made(monkeypatch, capsys):
    def body(session):
        session.client.list_users(InstanceId=session.instance_id)
        raise CcaasError("the lease is held by another run", held=False, held_by={"run_id": "r1"})

    code, result = run(monkeypatch, capsys, body, [lambda stub: stub.add_response("list_users", {})])
    assert code == 1
    assert result["failed"] is True
    assert result["msg"] == "the lease is held by another run"
    assert result["held_by"] == {"run_id": "r1"} and result["held"] is False
    assert result["api_calls"] == {
        "DescribeInstance": {"calls": 1, "retries": 0},
        "ListUsers": {"calls": 1, "retries": 0},
    }


def test_a_refused_call_fails_the_task_through_fail_json_aws_with_the_calls_made(monkeypatch, capsys):
    def body(session):
        session.client.list_users(InstanceId=session.instance_id)
        pytest.fail("the refused call raised nothing")

    def refuse(stub):
        stub.add_client_error("list_users", "AccessDeniedException", "not allowed", 403)

    code, result = run(monkeypatch, capsys, body, [refuse])
    assert code == 1
    assert result["msg"].startswith("Failed to read the target instance")
    assert result["error"]["code"] == "AccessDeniedException"
    assert result["api_calls"]["ListUsers"] == {"calls": 1, "retries": 0}


def test_an_instance_that_does_not_exist_fails_before_the_body_runs(monkeypatch, capsys):
    client = boto3.client("connect", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    stats = CallStats()
    stats.attach(client)
    monkeypatch.setattr(_shell, "connect_client", lambda module, **options: (client, stats))
    with Stubber(client) as stub:
        stub.add_response("list_instances", {"InstanceSummaryList": []}, {})
        with patch_module_args({"region": "us-east-1", "instance": "nowhere"}), pytest.raises(SystemExit) as exited:
            module = AnsibleAWSModule(argument_spec={"instance": {"type": "str", "required": True}})
            _shell.run_module(module, lambda session: pytest.fail("the body ran without an instance"))
    result = json.loads(capsys.readouterr().out)
    assert exited.value.code == 1
    assert "alias 'nowhere'" in result["msg"]
    assert result["api_calls"] == {"ListInstances": {"calls": 1, "retries": 0}}
