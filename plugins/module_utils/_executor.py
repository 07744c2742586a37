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

A write whose outcome is ambiguous is never guessed. A connection that ended without an answer, a
5xx, or any error after botocore sent the call more than once (an earlier attempt may have been
applied and its answer lost: the retry then meets `DuplicateResourceException` or
`ResourceNotFoundException`) goes to `reconcile`, which reads the target and says what happened.
A single-attempt 4xx is Amazon's definite answer and stays a failure.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

from ._client import DEFAULT_RESENDS, RESEND_BACKOFF, transient
from ._errors import CcaasError
from ._ratelimit import QUOTA_ERROR_CODES, quota_error_message

try:
    from botocore import xform_name
    from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
    from botocore.exceptions import ConnectionError as BotoConnectionError
except ImportError:  # AnsibleAWSModule reports a missing botocore itself
    pass

# What the planner decides for an item, and what became of it: an action, or skipped by fail_fast.
Action = Literal["created", "updated", "unchanged", "deleted", "failed"]
Outcome = Literal["created", "updated", "unchanged", "deleted", "failed", "skipped"]
OUTCOMES: tuple[Outcome, ...] = ("created", "updated", "unchanged", "deleted", "failed", "skipped")
DEFAULT_WORKERS = 8


@dataclass(frozen=True)
class Ref:
    """A value known only at apply time: `field` of what item `key` produced (its own key for itself)."""

    key: str
    field: str


# A JSON value, as Connect's API takes and returns it; a call's parameters may also hold Refs.
# Read-only containers (Sequence, Mapping) so that a list[str] or a dict[str, str] is one too.
JSON: TypeAlias = str | int | float | bool | Sequence["JSON"] | Mapping[str, "JSON"] | None
Param: TypeAlias = JSON | Ref | Sequence["Param"] | Mapping[str, "Param"]
Diff: TypeAlias = Mapping[str, Mapping[str, JSON]]  # {"before": {...}, "after": {...}}


@dataclass
class Call:
    """One Connect API call; `produces` copies response fields into the item's outputs (e.g. id)."""

    api: str
    params: dict[str, Param]
    produces: dict[str, str] = field(default_factory=dict)

    def method(self) -> str:
        """CreateUser -> create_user, boto3's name for the operation."""
        return xform_name(self.api)


@dataclass
class ItemPlan:
    """What the planner decided for one item; `error` set means it cannot be applied at all."""

    key: str  # unique in the run, e.g. "user jdoe"
    name: str
    action: Action
    calls: list[Call] = field(default_factory=list)
    diff: Diff = field(default_factory=lambda: {"before": {}, "after": {}})
    outputs: dict[str, str | None] = field(default_factory=dict)  # known up front: id/arn of an existing item
    error: str | None = None
    wave: int = 0


@dataclass
class ItemResult:
    name: str
    outcome: Outcome
    api_calls: list[str]
    reason: str | None = None
    diff: Diff | None = None
    id: str | None = None
    arn: str | None = None
    reconciled: list[str] = field(default_factory=list)  # writes whose lost answer the target settled

    def as_dict(self, with_diff: bool = False) -> dict[str, Any]:
        result: dict[str, Any] = {"name": self.name, "outcome": self.outcome, "api_calls": self.api_calls}
        for key in ("id", "arn", "reason"):
            if getattr(self, key) is not None:
                result[key] = getattr(self, key)
        if self.reconciled:
            result["reconciled"] = list(self.reconciled)
        if with_diff and self.diff and (self.diff["before"] or self.diff["after"]):
            result["diff"] = self.diff
        return result


@dataclass
class Report:
    items: list[ItemResult]

    @property
    def totals(self) -> dict[Outcome, int]:
        counts = Counter(item.outcome for item in self.items)
        return {outcome: counts.get(outcome, 0) for outcome in OUTCOMES}

    @property
    def changed(self) -> bool:
        return any(item.outcome in ("created", "updated", "deleted") for item in self.items)

    @property
    def failed(self) -> bool:
        return any(item.outcome == "failed" for item in self.items)


class ApplyError(CcaasError):
    """A call of an item failed; the message says which call and why."""


@dataclass
class Resolution:
    """What reading the target said about an ambiguous write.

    `response` set: the write took effect (or its effect is there); it stands in for the lost answer
    (a create's ID and ARN), and the item goes on with its next call. Otherwise `reason` says why the
    item failed (another item holds the name, or nothing was written).
    """

    response: dict[str, Any] | None = None
    reason: str | None = None
    note: str = ""
    resend: bool = False  # the target shows the call had no effect: sending it again cannot duplicate


Reconcile = Callable[[ItemPlan, int, Call, dict[str, Any], BaseException], Resolution]


class AttemptCounter:
    """HTTP attempts of the current call in this thread, from the client's own event hooks.

    botocore sends a call's retries from the calling thread, so a thread-local count reset before
    each call says how many times that call went out.
    """

    def __init__(self) -> None:
        self._local = threading.local()

    def attach(self, client: Any) -> AttemptCounter:
        client.meta.events.register("before-send.connect", self._on_send)
        return self

    def detach(self, client: Any) -> None:
        client.meta.events.unregister("before-send.connect", self._on_send)

    def _on_send(self, **_kwargs: Any) -> None:
        self._local.count = getattr(self._local, "count", 0) + 1

    def reset(self) -> None:
        self._local.count = 0

    @property
    def count(self) -> int:
        return getattr(self._local, "count", 0)


def member_at(response: Mapping[str, Any], path: str) -> Any:
    """A response member by its dotted path: `ViewId`, or `View.Id` where the API answers with the whole item."""
    value: Any = response
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def response_with(members: Mapping[str, Any]) -> dict[str, Any]:
    """A response holding each value at its dotted path (the stand-in for an answer that was lost)."""
    out: dict[str, Any] = {}
    for path, value in members.items():
        *parents, last = path.split(".")
        node = out
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return out


def ambiguous(exc: BaseException, attempts: int) -> bool:
    """Could the write have been applied although the call failed?"""
    if isinstance(exc, (BotoConnectionError, HTTPClientError)):
        return True  # the request may have arrived; no answer says whether it did
    if isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return status >= 500 or attempts > 1
    return False


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
        on_intent: Callable[[ItemPlan, Call], None] | None = None,
        reconcile: Reconcile | None = None,
        attempts: AttemptCounter | None = None,
        resends: int = DEFAULT_RESENDS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """`on_change(plan, call, outputs)` runs after each write call that succeeded (the ledger);
        `on_intent(plan, call)` before each call is sent (the ledger's intents: a failure there stops
        the item before the call); `reconcile(plan, index, call, params, exc)` resolves an ambiguous
        failure by reading the target, judged by the `attempts` each call took.

        A call whose failure is transient is sent again up to `resends` times, with a growing pause,
        but only when it certainly had no effect (a single-attempt throttle) or the target showed it
        had none. botocore's own retries stop for the rest of a client's life once a burst of faults
        has drained its retry quota, and one module runs thousands of calls on one client.
        """
        self.client = client
        self.workers = max(1, workers)
        self.fail_fast = fail_fast
        self.on_change = on_change
        self.on_intent = on_intent
        self.reconcile = reconcile
        self.attempts = attempts
        self.resends = max(0, resends) if reconcile is not None else 0
        self.sleep = sleep
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
        for index, call in enumerate(plan.calls):
            try:
                params = self._resolve(plan.key, call.params, outputs)
            except ApplyError as exc:
                result.outcome, result.reason = "failed", f"{plan.key}: {error_reason(call.api, exc)}"
                self._failed()
                break
            if self.on_intent is not None:
                try:
                    self.on_intent(plan, call)
                except OSError as exc:
                    # Not on record, so not sent: a lost answer could not be told from someone else's item.
                    result.outcome, result.reason = "failed", f"{call.api} not sent: the ledger was not written: {exc}"
                    self._failed()
                    break
            result.api_calls.append(call.api)
            response = self._send(plan, index, call, params, result)
            if response is None:
                self._failed()
                break
            for name, response_field in call.produces.items():
                outputs[name] = member_at(response, response_field)
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

    def _send(
        self, plan: ItemPlan, index: int, call: Call, params: dict[str, Any], result: ItemResult
    ) -> dict[str, Any] | None:
        """The call's answer, or the reconciled stand-in for a lost one; None (reason set) when it failed."""
        for round_ in range(self.resends + 1):
            if self.attempts is not None:
                self.attempts.reset()
            try:
                return getattr(self.client, call.method())(**params)
            except (ClientError, BotoCoreError, ApplyError) as exc:
                failure = exc
            reason = error_reason(call.api, failure)
            attempts = self.attempts.count if self.attempts is not None else 1
            if self.reconcile is not None and ambiguous(failure, attempts):
                resolution = self._reconcile(plan, index, call, params, failure, reason)
                if resolution.response is not None:
                    note = resolution.note or "answer lost, found applied in the target"
                    result.reconciled.append(f"{call.api}: {note}")
                    return resolution.response
                reason = resolution.reason or reason
                resend = resolution.resend and transient(failure)
            else:
                resend = transient(failure) and attempts <= 1 and self.reconcile is not None
            if not resend or round_ == self.resends:
                # Named by the item first: "user jdoe: CreateUser: InvalidParameterException: ...".
                result.outcome, result.reason = "failed", f"{plan.key}: {reason}"
                return None
            self._pause(round_)
        return None  # not reached: the last round returns

    def _reconcile(
        self, plan: ItemPlan, index: int, call: Call, params: dict[str, Any], exc: BaseException, reason: str
    ) -> Resolution:
        """Read the target about an ambiguous call; reads that fail transiently are tried again."""
        reconcile = self.reconcile
        if reconcile is None:  # _send asks only when there is one
            return Resolution(reason=reason)
        for round_ in range(self.resends + 1):
            try:
                return reconcile(plan, index, call, params, exc)
            except (ClientError, BotoCoreError) as read_exc:
                if not transient(read_exc) or round_ == self.resends:
                    detail = error_reason("reading the target", read_exc)
                    return Resolution(reason=f"{plan.key}: {reason}; its outcome is unknown: {detail}")
            self._pause(round_)
        return Resolution(reason=reason)  # not reached

    def _pause(self, round_: int) -> None:
        first, longest = RESEND_BACKOFF
        self.sleep(min(longest, first * 2**round_))

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
