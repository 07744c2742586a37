"""A botocore Stubber that answers by operation and parameters instead of by call order.

An export reads types and per-item lists in an order that is its own business; tests pin what is
read and what comes out, not the sequence. Answers are still validated against botocore's Connect
model (by Stubber.add_response), and every request is recorded for assertions.
"""

from __future__ import annotations

import threading
from typing import Any

import boto3
import pytest
from botocore.exceptions import UnStubbedResponseError
from botocore.stub import Stubber

from ansible_collections.ccaas.connect.plugins.module_utils._client import CallStats


class AnyOrderStubber(Stubber):
    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self._lock = threading.Lock()  # reads run several at a time (a Describe per user)

    def _pick(self, model: Any, params: dict[str, Any]) -> dict[str, Any]:
        for entry in self._queue:
            expected = entry["expected_params"]
            if entry["operation_name"] == model.name and (expected is None or expected == params):
                return entry
        raise UnStubbedResponseError(operation_name=model.name, reason=f"no answer stubbed for {params}")

    def _assert_expected_params(self, model: Any, params: dict[str, Any], context: dict[str, Any], **kwargs: Any):
        if self._should_not_stub(context):
            return
        with self._lock:
            self.requests.append((model.name, dict(params)))
            entry = self._pick(model, params)
            self._queue.remove(entry)  # taken now, so a call running beside this one cannot take it too
            context["any_order_stub_entry"] = entry

    def _get_response_handler(self, model: Any, params: Any, context: dict[str, Any], **kwargs: Any):
        return context.pop("any_order_stub_entry")["response"]

    def calls(self, operation: str) -> list[dict[str, Any]]:
        return [params for name, params in self.requests if name == operation]


@pytest.fixture
def connect():
    """(client, stub, stats): a Connect client whose answers come from `stub`, counted by CallStats."""
    client = boto3.client("connect", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    stats = CallStats()
    stats.attach(client)
    stub = AnyOrderStubber(client)
    with stub:
        yield client, stub, stats
