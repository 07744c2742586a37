from __future__ import annotations

import threading

import pytest
from botocore.exceptions import ClientError

from ansible_collections.ccaas.connect.plugins.module_utils._executor import (
    Call,
    Executor,
    ItemPlan,
    Ref,
    preview,
)


class FakeConnect:
    """Records calls; fails the ones named in `fail` with the given error code."""

    def __init__(self, fail: dict[str, str] | None = None) -> None:
        self.fail = fail or {}
        self.calls: list[tuple[str, dict]] = []
        self._lock = threading.Lock()
        self._next = 0

    def __getattr__(self, method: str):
        def call(**params):
            with self._lock:
                self.calls.append((method, params))
                self._next += 1
                serial = self._next
            name = params.get("Username") or params.get("Name")
            if name in self.fail:
                code = self.fail[name]
                raise ClientError({"Error": {"Code": code, "Message": "nope"}}, method)
            return {"UserId": f"id-{serial}", "UserArn": f"arn-{serial}", "HierarchyGroupId": f"g-{serial}"}

        return call


def create_user(name: str) -> ItemPlan:
    call = Call("CreateUser", {"Username": name}, produces={"id": "UserId", "arn": "UserArn"})
    return ItemPlan(f"user {name}", name, "created", [call])


def test_every_item_runs_and_reports_its_own_outcome_and_calls():
    client = FakeConnect()
    report = Executor(client, workers=4).run([create_user(f"u{n}") for n in range(20)])
    assert report.totals["created"] == 20
    assert all(item.api_calls == ["CreateUser"] for item in report.items)
    assert [item.name for item in report.items] == [f"u{n}" for n in range(20)]
    assert all(item.id and item.arn for item in report.items)
    assert report.changed and not report.failed


def test_one_failed_item_does_not_stop_the_others_by_default():
    client = FakeConnect(fail={"u3": "InvalidParameterException"})
    report = Executor(client, workers=2).run([create_user(f"u{n}") for n in range(6)])
    assert report.totals["created"] == 5
    [failed] = [item for item in report.items if item.outcome == "failed"]
    assert failed.name == "u3"
    assert failed.reason == "user u3: CreateUser: InvalidParameterException: nope"


def test_fail_fast_starts_no_item_after_the_first_failure():
    client = FakeConnect(fail={"u0": "InvalidParameterException"})
    report = Executor(client, workers=1, fail_fast=True).run([create_user(f"u{n}") for n in range(5)])
    assert [item.outcome for item in report.items] == ["failed"] + ["skipped"] * 4
    assert len(client.calls) == 1


def test_a_full_resource_quota_is_reported_with_the_quota_it_names():
    client = FakeConnect(fail={"u1": "LimitExceededException"})
    report = Executor(client).run([create_user("u1")])
    assert "'Users per instance'" in report.items[0].reason
    assert "not retried" in report.items[0].reason


def test_a_planning_error_fails_the_item_without_a_call():
    client = FakeConnect()
    plan = ItemPlan("user jdoe", "jdoe", "created", error="user jdoe: routing profile 'Sales RP' not found in target")
    report = Executor(client).run([plan, create_user("other")])
    assert report.items[0].outcome == "failed"
    assert report.items[0].api_calls == []
    assert report.items[1].outcome == "created"
    assert [method for method, _params in client.calls] == ["create_user"]


def test_calls_within_an_item_run_in_order_and_see_the_id_the_first_one_produced():
    client = FakeConnect()
    plan = create_user("jdoe")
    plan.calls.append(Call("TagResource", {"resourceArn": Ref("user jdoe", "arn"), "tags": {"a": "b"}}))
    report = Executor(client).run([plan])
    assert report.items[0].api_calls == ["CreateUser", "TagResource"]
    assert client.calls[1] == ("tag_resource", {"resourceArn": "arn-1", "tags": {"a": "b"}})


def create_group(name: str) -> ItemPlan:
    call = Call("CreateUserHierarchyGroup", {"Name": name}, {"id": "HierarchyGroupId"})
    return ItemPlan(f"group {name}", name, "created", [call])


def test_a_later_wave_uses_the_id_an_earlier_wave_created():
    client = FakeConnect()
    parent = ItemPlan(
        "group Sales",
        "Sales",
        "created",
        [Call("CreateUserHierarchyGroup", {"Name": "Sales"}, {"id": "HierarchyGroupId"})],
    )
    child = ItemPlan(
        "group Sales/EMEA",
        "Sales/EMEA",
        "created",
        [Call("CreateUserHierarchyGroup", {"Name": "EMEA", "ParentGroupId": Ref("group Sales", "id")})],
        wave=1,
    )
    report = Executor(client).run([child, parent])
    assert report.totals["created"] == 2
    assert client.calls[1] == ("create_user_hierarchy_group", {"Name": "EMEA", "ParentGroupId": "g-1"})


def test_a_child_of_a_parent_that_failed_fails_with_the_reason():
    client = FakeConnect(fail={"Sales": "InvalidParameterException"})
    parent = ItemPlan(
        "group Sales",
        "Sales",
        "created",
        [Call("CreateUserHierarchyGroup", {"Name": "Sales"}, {"id": "HierarchyGroupId"})],
    )
    child = ItemPlan(
        "group Sales/EMEA",
        "Sales/EMEA",
        "created",
        [Call("CreateUserHierarchyGroup", {"Name": "EMEA", "ParentGroupId": Ref("group Sales", "id")})],
        wave=1,
    )
    report = Executor(client).run([parent, child])
    assert report.items[1].outcome == "failed"
    assert "'group Sales' has no id" in report.items[1].reason


def test_an_unchanged_item_makes_no_call_and_keeps_its_known_id():
    client = FakeConnect()
    plan = ItemPlan("user jdoe", "jdoe", "unchanged", outputs={"id": "u-9", "arn": "arn:u-9"})
    report = Executor(client).run([plan])
    assert report.items[0].as_dict() == {
        "name": "jdoe",
        "outcome": "unchanged",
        "api_calls": [],
        "id": "u-9",
        "arn": "arn:u-9",
    }
    assert client.calls == []
    assert not report.changed


def test_check_mode_preview_lists_the_calls_a_run_would_make_and_makes_none():
    plan = create_user("jdoe")
    plan.diff = {"before": {}, "after": {"routing_profile": "Sales RP"}}
    report = preview([plan])
    assert report.items[0].as_dict(with_diff=True) == {
        "name": "jdoe",
        "outcome": "created",
        "api_calls": ["CreateUser"],
        "diff": {"before": {}, "after": {"routing_profile": "Sales RP"}},
    }


def test_the_attempt_counter_sees_botocores_retries_of_one_call_and_a_lost_answer_is_ambiguous():
    """A real client against a loopback server that answers 500 twice, then a Duplicate (the first attempt applied)."""
    import json as _json
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import boto3
    from botocore.config import Config

    from ansible_collections.ccaas.connect.plugins.module_utils._executor import AttemptCounter, ambiguous

    answers = [500, 500, 409]

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args):
            return

        def do_PUT(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status = answers.pop(0) if answers else 409
            kind = "InternalServiceException" if status == 500 else "DuplicateResourceException"
            body = _json.dumps({"__type": kind, "message": "x"}).encode()
            self.send_response(status)
            self.send_header("x-amzn-ErrorType", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = boto3.client(
            "connect",
            region_name="us-east-1",
            endpoint_url=f"http://127.0.0.1:{server.server_address[1]}",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(retries={"mode": "standard", "max_attempts": 5}),
        )
        counter = AttemptCounter().attach(client)
        counter.reset()
        with pytest.raises(ClientError) as raised:
            client.create_queue(InstanceId="i-1", Name="Q", HoursOfOperationId="h-1")
        failure = raised.value
        assert counter.count == 3
        assert failure.response["Error"]["Code"] == "DuplicateResourceException"
        assert ambiguous(failure, counter.count)
        assert not ambiguous(failure, 1)  # a Duplicate at the only attempt is Amazon's answer: a conflict
    finally:
        server.shutdown()
        server.server_close()
