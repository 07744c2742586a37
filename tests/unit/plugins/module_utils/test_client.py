from __future__ import annotations

import boto3
import botocore.config
import botocore.exceptions
import pytest
from botocore.stub import Stubber

from ansible_collections.ccaas.connect.plugins.module_utils import _client
from ansible_collections.ccaas.connect.plugins.module_utils._client import CallStats, limiter_for


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


class FakeModule:
    def __init__(self, **params) -> None:
        self.params = params

    def fail_json(self, **result):
        raise SystemExit(result["msg"])


def test_the_limiter_follows_the_modules_pacing_options():
    limiter = limiter_for(FakeModule(api_rates={"CreateUser": 7}, api_rate_factor=3.0, api_bucket_start="empty"))
    assert limiter.rate_for("CreateUser") == (7.0, 15.0)
    assert limiter.rate_for("SearchUsers") == (6.0, 15.0)
    assert limiter.start == "empty"


def test_a_module_without_pacing_options_is_paced_at_the_documented_defaults():
    limiter = limiter_for(FakeModule())
    assert limiter.enabled
    assert limiter.start == "full"
    assert limiter.rate_for("SearchUsers") == (2.0, 5.0)


def test_a_malformed_rate_fails_the_task():
    with pytest.raises(SystemExit, match=r"api_rates\.CreateUser"):
        limiter_for(FakeModule(api_rates={"CreateUser": "fast"}))


def test_each_page_of_a_read_is_sent_again_after_a_transient_failure_and_never_after_a_real_one(monkeypatch):
    # botocore's retries are off here, as once its retry quota is drained by a burst of faults.
    monkeypatch.setattr(_client.time, "sleep", lambda _s: None)
    client = boto3.client(
        "connect",
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
        config=botocore.config.Config(retries={"mode": "standard", "max_attempts": 1}),
    )
    params = {"InstanceId": "i", "MaxResults": 100}
    with Stubber(client) as stub:
        stub.add_response("search_users", {"Users": [{"Username": "a"}], "NextToken": "t"}, params)
        stub.add_client_error("search_users", "InternalServiceException", http_status_code=500)
        stub.add_client_error("search_users", "ThrottlingException", http_status_code=429)
        stub.add_response("search_users", {"Users": [{"Username": "b"}]}, {**params, "NextToken": "t"})
        users = list(_client.paginate(client, "SearchUsers", {"InstanceId": "i"}, "Users", 100))
        stub.assert_no_pending_responses()
    assert [u["Username"] for u in users] == ["a", "b"]  # the second page once, after two transient faults
    with Stubber(client) as stub:
        stub.add_client_error("search_users", "AccessDeniedException", http_status_code=403)
        with pytest.raises(botocore.exceptions.ClientError, match="AccessDenied"):
            list(_client.paginate(client, "SearchUsers", {"InstanceId": "i"}, "Users", 100))
