# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Apply planned changes: items in parallel, each item's calls in order, one outcome per item.

Items are independent, so a small thread pool runs many at once; the rate limiter on the client
(_ratelimit.py) decides how fast each API really goes, and enough threads wait on each bucket to
keep it busy. Within an item the calls are ordered (create before associate, associate before
tag) and the first failing call stops that item only: by default every other item still runs
(continue_on_error), with `fail_fast` the run stops starting new items after the first failure.

Items that must exist before others (a parent hierarchy group, a queue a quick connect names) are
put in an earlier wave by the planner; a wave starts when the one before it has finished, and a
call can take a value another item produced (`Ref`) — the ID of a group created in that run.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ._ratelimit import QUOTA_ERROR_CODES, quota_error_message

try:
    from botocore import xform_name
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:  # AnsibleAWSModule reports a missing botocore itself
    pass

OUTCOMES = ("created", "updated", "unchanged", "deleted", "failed", "skipped")
DEFAULT_WORKERS = 8


@dataclass(frozen=True)
class Ref:
    """A value known only at apply time: `field` of what item `key` produced (its own key for itself)."""

    key: str
    field: str


@dataclass
class Call:
    """One Connect API call; `produces` copies response fields into the item's outputs (e.g. id)."""

    api: str
    params: dict[str, Any]
    produces: dict[str, str] = field(default_factory=dict)

    def method(self) -> str:
        """CreateUser -> create_user, boto3's name for the operation."""
        return xform_name(self.api)


@dataclass
class ItemPlan:
    """What the planner decided for one item; `error` set means it cannot be applied at all."""

    key: str  # unique in the run, e.g. "user jdoe"
    name: str
    action: str  # created, updated, unchanged, deleted, failed
    calls: list[Call] = field(default_factory=list)
    diff: dict[str, dict[str, Any]] = field(default_factory=lambda: {"before": {}, "after": {}})
    outputs: dict[str, Any] = field(default_factory=dict)  # known up front: id/arn of an existing item
    error: str | None = None
    wave: int = 0


@dataclass
class ItemResult:
    name: str
    outcome: str
    api_calls: list[str]
    reason: str | None = None
    diff: dict[str, dict[str, Any]] | None = None
    id: str | None = None
    arn: str | None = None

    def as_dict(self, with_diff: bool = False) -> dict[str, Any]:
        result: dict[str, Any] = {"name": self.name, "outcome": self.outcome, "api_calls": self.api_calls}
        for key in ("id", "arn", "reason"):
            if getattr(self, key) is not None:
                result[key] = getattr(self, key)
        if with_diff and self.diff and (self.diff["before"] or self.diff["after"]):
            result["diff"] = self.diff
        return result


@dataclass
class Report:
    items: list[ItemResult]

    @property
    def totals(self) -> dict[str, int]:
        counts = Counter(item.outcome for item in self.items)
        return {outcome: counts.get(outcome, 0) for outcome in OUTCOMES}

    @property
    def changed(self) -> bool:
        return any(item.outcome in ("created", "updated", "deleted") for item in self.items)

    @property
    def failed(self) -> bool:
        return any(item.outcome == "failed" for item in self.items)


class ApplyError(Exception):
    """A call of an item failed; the message says which call and why."""


def error_reason(api: str, exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code, message = error.get("Code", "Error"), error.get("Message", str(exc))
        if code in QUOTA_ERROR_CODES:
            return quota_error_message(api, code, message)
        return f"{api}: {code}: {message}"
    return f"{api}: {exc}"


class Executor:
    def __init__(
        self,
        client: Any,
        workers: int = DEFAULT_WORKERS,
        fail_fast: bool = False,
        on_change: Callable[[ItemPlan, Call, dict[str, Any]], None] | None = None,
    ) -> None:
        """`on_change(plan, call, outputs)` runs after each write call that succeeded (the ledger)."""
        self.client = client
        self.workers = max(1, workers)
        self.fail_fast = fail_fast
        self.on_change = on_change
        self._outputs: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def run(self, plans: Sequence[ItemPlan]) -> Report:
        results: dict[str, ItemResult] = {}
        for plan in plans:
            if plan.outputs:
                self._outputs[plan.key] = dict(plan.outputs)
        for wave in sorted({plan.wave for plan in plans}):
            batch = [plan for plan in plans if plan.wave == wave]
            with ThreadPoolExecutor(max_workers=min(self.workers, max(1, len(batch)))) as pool:
                for plan, result in zip(batch, pool.map(self._run_item, batch), strict=True):
                    results[plan.key] = result
        return Report([results[plan.key] for plan in plans])

    def _run_item(self, plan: ItemPlan) -> ItemResult:
        result = ItemResult(plan.name, plan.action, [], diff=plan.diff)
        if plan.error is not None:
            result.outcome, result.reason = "failed", plan.error
            self._failed()
            return self._finish(plan, result)
        if self._stop.is_set() and plan.calls:
            result.outcome, result.reason = "skipped", "not run: fail_fast stopped the run after a failed item"
            return self._finish(plan, result)
        outputs = dict(plan.outputs)
        for call in plan.calls:
            try:
                params = self._resolve(plan.key, call.params, outputs)
                result.api_calls.append(call.api)
                response = getattr(self.client, call.method())(**params)
            except (ClientError, BotoCoreError, ApplyError) as exc:
                result.outcome, result.reason = "failed", error_reason(call.api, exc)
                self._failed()
                break
            for name, response_field in call.produces.items():
                outputs[name] = response.get(response_field)
            with self._lock:  # a later wave may refer to these
                self._outputs[plan.key] = outputs
            if self.on_change is not None:
                try:
                    self.on_change(plan, call, outputs)
                except OSError as exc:
                    # The change is made but not on record: stop this item, loudly, before it makes more.
                    result.outcome, result.reason = "failed", f"{call.api} made, but the ledger was not written: {exc}"
                    self._failed()
                    break
        with self._lock:
            self._outputs[plan.key] = outputs
        return self._finish(plan, result)

    def _finish(self, plan: ItemPlan, result: ItemResult) -> ItemResult:
        with self._lock:
            outputs = self._outputs.get(plan.key, plan.outputs)
        result.id, result.arn = outputs.get("id"), outputs.get("arn")
        return result

    def _failed(self) -> None:
        if self.fail_fast:
            self._stop.set()

    def _resolve(self, own_key: str, value: Any, own: dict[str, Any]) -> Any:
        if isinstance(value, Ref):
            source = own if value.key == own_key else self._outputs_of(value.key)
            if source.get(value.field) is None:
                raise ApplyError(f"'{value.key}' has no {value.field}: it was not created in this run")
            return source[value.field]
        if isinstance(value, dict):
            return {k: self._resolve(own_key, v, own) for k, v in value.items()}
        if isinstance(value, list):
            return [self._resolve(own_key, v, own) for v in value]
        return value

    def _outputs_of(self, key: str) -> dict[str, Any]:
        with self._lock:
            return dict(self._outputs.get(key, {}))


def preview(plans: Iterable[ItemPlan]) -> Report:
    """Check mode: the outcome each item would have and the calls a real run would make, none made."""
    items = []
    for plan in plans:
        outcome = "failed" if plan.error else plan.action
        item = ItemResult(plan.name, outcome, [call.api for call in plan.calls], plan.error, plan.diff)
        item.id, item.arn = plan.outputs.get("id"), plan.outputs.get("arn")
        items.append(item)
    return Report(items)
