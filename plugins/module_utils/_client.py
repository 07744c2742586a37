# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one path every Amazon Connect call takes: client creation, pacing and per-API call counting.

Modules never build boto3 clients themselves. `connect_client()` asks AnsibleAWSModule for the
client (so the standard AWS options, `module_defaults: group/aws` and the `AWS_*` environment,
including `AWS_ENDPOINT_URL_CONNECT`, all apply) with botocore's standard retry mode, and hangs a
`CallStats` on the client's event hooks so every call is counted without wrapping each call site.
The same hooks pace each HTTP attempt through a per-API `RateLimiter` and stop botocore retrying a
full resource quota (see _ratelimit.py). The limiter is built here too, from the module's pacing
options (PACING_OPTIONS, documented once in doc_fragments/pacing.py), so a module cannot get an
unpaced client by forgetting to make one: reads drain Amazon's per-API buckets like writes do.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from ._ratelimit import BUCKET_STARTS, RateLimiter, install_quota_guard

try:
    import botocore.config
    from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
    from botocore.exceptions import ConnectionError as BotoConnectionError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore with its own clear message

# Standard mode retries throttling (429) and transient 5xx with backoff; a run through thousands of
# items can meet many throttles, so the attempt budget is higher than botocore's default of 3.
DEFAULT_MAX_ATTEMPTS = 10

# The options of every module that calls Connect, whether it reads or writes (doc fragment ccaas.connect.pacing).
PACING_OPTIONS: dict[str, Any] = {
    "api_rates": {"type": "dict"},
    "api_rate_factor": {"type": "float", "default": 1.0},
    "api_bucket_start": {"type": "str", "default": "full", "choices": list(BUCKET_STARTS)},
}


class CallStats:
    """Counts API calls and HTTP attempts per Connect operation; attempts beyond calls are retries."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        self.attempts: Counter[str] = Counter()

    def attach(self, client: Any) -> None:
        events = client.meta.events
        events.register("before-parameter-build.connect", self._on_call)
        events.register("before-send.connect", self._on_send)

    def detach(self, client: Any) -> None:
        """Stop counting the client's calls (another CallStats counts them from here on)."""
        events = client.meta.events
        events.unregister("before-parameter-build.connect", self._on_call)
        events.unregister("before-send.connect", self._on_send)

    def _on_call(self, model: Any = None, **_kwargs: Any) -> None:
        with self._lock:
            self.calls[model.name] += 1

    def _on_send(self, event_name: str = "", **_kwargs: Any) -> None:
        with self._lock:
            self.attempts[event_name.rsplit(".", 1)[-1]] += 1

    def as_dict(self) -> dict[str, dict[str, int]]:
        """{api: {"calls": n, "retries": n}} sorted by API name, for module results and reports."""
        with self._lock:
            return {
                api: {"calls": self.calls[api], "retries": max(self.attempts[api] - self.calls[api], 0)}
                for api in sorted(self.calls)
            }

    @property
    def total_calls(self) -> int:
        with self._lock:
            return sum(self.calls.values())


def instrument(client: Any, limiter: RateLimiter | None = None) -> CallStats:
    """Count, pace and guard an existing Connect client (what connect_client does to the one it builds)."""
    install_quota_guard(client)
    if limiter is not None:
        limiter.attach(client)
    stats = CallStats()
    stats.attach(client)
    return stats


def limiter_for(module: Any) -> RateLimiter:
    """The RateLimiter the module's pacing options ask for; a malformed `api_rates` fails the task.

    A module whose spec lacks the options is paced at the documented defaults, never not at all.
    """
    params = module.params
    try:
        return RateLimiter(
            params.get("api_rates"), params.get("api_rate_factor", 1.0), start=params.get("api_bucket_start") or "full"
        )
    except ValueError as exc:
        module.fail_json(msg=str(exc))
        raise  # fail_json exits; this only tells type checkers so


def connect_client(
    module: Any,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    limiter: RateLimiter | None = None,
    max_pool_connections: int = 10,
    **client_options: Any,
) -> tuple[Any, CallStats]:
    """Return a counted, paced boto3 `connect` client built from the module's standard AWS options.

    Every call is paced at the per-API quotas: by `limiter` when given (to share one between clients,
    or to read its rates), else by a limiter built from the module's pacing options. `client_options`
    (region, endpoint, profile_name) reach another instance than the module's own, such as a source.
    `max_pool_connections` should be at least the number of threads sharing the client, or urllib3
    discards and reopens connections.
    """
    if limiter is None:
        limiter = limiter_for(module)
    config = botocore.config.Config(
        retries={"mode": "standard", "max_attempts": max_attempts}, max_pool_connections=max_pool_connections
    )
    client = module.client("connect", config=config, **client_options)
    return client, instrument(client, limiter)


THROTTLING_CODES = frozenset({"ThrottlingException", "TooManyRequestsException", "Throttling", "RequestLimitExceeded"})
# Resends of a call whose transient failure outlived botocore's retries (see Executor._send).
DEFAULT_RESENDS = 6
RESEND_BACKOFF = (0.2, 3.0)  # first wait, longest wait (seconds), doubling


def transient(exc: BaseException) -> bool:
    """A failure that says nothing about the request itself: throttled, a server error, no answer."""
    if isinstance(exc, (BotoConnectionError, HTTPClientError)):
        return True
    if isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return status >= 500 or status == 429 or exc.response.get("Error", {}).get("Code") in THROTTLING_CODES
    return False


def reading(
    read: Callable[[], Any], resends: int = DEFAULT_RESENDS, sleep: Callable[[float], None] = time.sleep
) -> Any:
    """`read()`, tried again after a transient failure: a read changes nothing, so it is always safe to.

    botocore's own retries stop once its per-client retry quota is drained by a burst of faults, which
    a long module can meet (see Executor): every page of every read is therefore sent again here.
    """
    first, longest = RESEND_BACKOFF
    for round_ in range(resends):
        try:
            return read()
        except (ClientError, BotoCoreError) as exc:
            if not transient(exc):
                raise
        sleep(min(longest, first * 2**round_))
    return read()


def paginate(client: Any, api: str, params: dict[str, Any], result_key: str, max_results: int | None) -> Iterator[Any]:
    """Every item `api` returns, page after page at `max_results` a page; an API read without a page
    size (`max_results` None) is one call. Shared by the export's and the planner's read passes."""
    request = dict(params)
    if max_results is not None:
        request["MaxResults"] = max_results
    method = getattr(client, botocore.xform_name(api))
    while True:
        page = reading(lambda: method(**request))
        yield from page.get(result_key) or []
        token = page.get("NextToken")
        if not token or max_results is None:
            return
        request["NextToken"] = token
