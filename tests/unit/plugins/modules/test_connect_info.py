from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import boto3
import pytest
from ansible.module_utils.testing import patch_module_args
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils import _client, _shell
from ansible_collections.ccaas.connect.plugins.module_utils._bundle import load_bundle_file
from ansible_collections.ccaas.connect.plugins.module_utils._client import CallStats
from ansible_collections.ccaas.connect.plugins.module_utils._ratelimit import RateLimiter
from ansible_collections.ccaas.connect.plugins.modules import connect_info

INSTANCE_ID = "8a1f5b3c-0d2e-4f6a-9b7c-1d2e3f4a5b6c"


def run_module(monkeypatch, capsys, args, stub_responses):
    client = boto3.client("connect", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    stats = CallStats()
    stats.attach(client)
    monkeypatch.setattr(_shell, "connect_client", lambda module, **_options: (client, stats))
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


def test_an_export_returns_the_bundle_once_and_the_calls_it_cost(monkeypatch, capsys):
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
    # The items are in the bundle only: not a second time beside it.
    assert "agent_statuses" not in result and "selection" not in result
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


def export_agent_statuses(monkeypatch, capsys, **args):
    instance = {"Id": INSTANCE_ID, "InstanceAlias": "acme", "IdentityManagementType": "CONNECT_MANAGED"}
    statuses = [
        {"AgentStatusId": f"s{n}", "AgentStatusARN": f"arn:s{n}", "Name": name, "Type": "CUSTOM", "State": "ENABLED"}
        for n, name in enumerate(["Lunch", "Training"])
    ]
    return run_module(
        monkeypatch,
        capsys,
        {"instance": INSTANCE_ID, "resources": ["agent_statuses"], **args},
        [
            ("describe_instance", {"Instance": instance}, {"InstanceId": INSTANCE_ID}),
            ("search_agent_statuses", {"AgentStatuses": statuses}, {"InstanceId": INSTANCE_ID, "MaxResults": 100}),
        ],
    )


def test_with_dest_the_module_writes_the_bundle_and_returns_its_path_and_counts_not_its_items(
    monkeypatch, capsys, tmp_path
):
    dest = tmp_path / "out" / "bundle-{instance_alias}-{exported_at}.json"
    code, result = export_agent_statuses(monkeypatch, capsys, dest=str(dest))
    assert code == 0, result
    assert "bundle" not in result
    path = Path(result["bundle_path"])
    assert re.fullmatch(r"bundle-acme-\d{8}T\d{6}Z\.json", path.name), path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    bundle = load_bundle_file(path)  # valid, and stamped: parsed without a second validation
    assert path.with_name(path.name + ".valid").exists()
    assert [s["name"] for s in bundle["resources"]["agent_statuses"]] == ["Lunch", "Training"]
    summary = result["summary"]
    assert summary["counts"] == {"agent_statuses": 2}
    assert summary["source"] == bundle["source"] and summary["exported_at"] == bundle["exported_at"]
    assert summary["selection"] == {"filters": {}, "matched": {}, "dependencies": {}}


def test_a_dest_that_cannot_be_written_fails_the_task_naming_it(monkeypatch, capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    code, result = export_agent_statuses(monkeypatch, capsys, dest=str(blocker / "bundle.json"))
    assert code == 1
    assert result["msg"].startswith(f"dest: cannot write the bundle to {blocker / 'bundle.json'}"), result["msg"]


def test_a_filter_on_a_type_not_exported_fails_the_task(monkeypatch, capsys):
    code, result = run_module(
        monkeypatch,
        capsys,
        {"instance": INSTANCE_ID, "resources": ["queues"], "user_tags": {"BU": "Sales"}},
        [("describe_instance", {"Instance": {"Id": INSTANCE_ID}}, {"InstanceId": INSTANCE_ID})],
    )
    assert code == 1
    assert "user filters need 'users'" in result["msg"]


# ---- pacing: the export's reads go through the rate limiter like every other call ----


class FakeClock:
    """Time that moves only when a caller sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_kwargs):
        yield self._body


def answer_pages_of_agent_statuses(pages: int):
    """A before-send handler that plays Connect: the instance, then `pages` pages of one agent status each."""
    served = {"SearchAgentStatuses": 0}

    def answer(request, event_name: str = "", **_kwargs):
        api = event_name.rsplit(".", 1)[-1]
        if api == "DescribeInstance":
            body = {"Instance": {"Id": INSTANCE_ID, "InstanceAlias": "acme"}}
        else:
            served[api] += 1
            n = served[api]
            status = {"AgentStatusId": f"s{n}", "AgentStatusARN": f"a{n}", "Name": f"S{n}", "Type": "CUSTOM"}
            status["State"] = "ENABLED"
            body = {"AgentStatuses": [status], **({"NextToken": f"t{n}"} if n < pages else {})}
        return AWSResponse(request.url, 200, {}, _Raw(json.dumps(body).encode()))

    return answer


def test_the_exports_reads_are_paced_at_the_api_rate_factor_through_the_one_client_path(monkeypatch, capsys):
    clock = FakeClock()
    limiters: list[RateLimiter] = []

    def paced(*args, **kwargs):
        limiters.append(RateLimiter(*args, clock=clock, sleep=clock.sleep, **kwargs))
        return limiters[-1]

    def client(_module, service, **options):
        made = boto3.client(
            service, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y", **options
        )
        made.meta.events.register_last("before-send.connect", answer_pages_of_agent_statuses(pages=6))
        return made

    monkeypatch.setattr(_client, "RateLimiter", paced)
    monkeypatch.setattr(AnsibleAWSModule, "client", client)
    args = {"region": "us-east-1", "instance": INSTANCE_ID, "resources": ["agent_statuses"], "api_rate_factor": 0.5}
    with patch_module_args(args), pytest.raises(SystemExit) as exited:
        connect_info.main()
    result = json.loads(capsys.readouterr().out)
    assert exited.value.code == 0, result
    assert result["api_calls"]["SearchAgentStatuses"] == {"calls": 6, "retries": 0}
    [limiter] = limiters
    assert limiter.factor == 0.5
    # SearchAgentStatuses at the default 2/s and burst 5, halved: 1/s, and a burst of 1.5 after the
    # client's margin. The first call spends it, each further call waits for its token.
    assert limiter.waited["SearchAgentStatuses"] > 0
    assert clock.now == pytest.approx(5 - 0.5, abs=0.01)


def test_a_malformed_api_rates_fails_the_export_with_the_api_named(monkeypatch, capsys):
    monkeypatch.setattr(
        AnsibleAWSModule, "client", lambda *_a, **_k: pytest.fail("a client before the options were valid")
    )
    args = {"region": "us-east-1", "instance": INSTANCE_ID, "resources": [], "api_rates": {"SearchUsers": "fast"}}
    with patch_module_args(args), pytest.raises(SystemExit) as exited:
        connect_info.main()
    result = json.loads(capsys.readouterr().out)
    assert exited.value.code == 1
    assert "api_rates.SearchUsers" in result["msg"]
