# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Client-side pacing at Amazon Connect's per-API quotas, and no retries for full resource quotas.

AWS throttles each Connect API separately per account and Region with a token bucket. Sending
faster than that only buys 429s and backoff sleeps, so the client keeps its own bucket per API at
the documented rate (_quota_table.py) and every HTTP attempt, retries included, takes a token
(`before-send`), which paces every call made through the one client path without wrapping call
sites.

A module is one Ansible task, and a migration is many tasks in a row (a chunk of items each, phase
after phase) against the same account. A bucket that starts full lets the first `burst` calls go at
once, which Amazon's bucket holds only when nothing called that API in the last few seconds; after
the previous task drained it, that burst comes back as 429s at every chunk boundary. A task that
continues a run therefore starts its buckets empty (`start="empty"`) and lets them fill at the rate
from the moment the module starts: Amazon's bucket holds at least that much, however long or short
the gap between the tasks was, so the task never sends a call Amazon has no token for.

botocore's standard retry mode counts `LimitExceededException` as throttling and retries it. Connect
uses that code (and `ServiceQuotaExceededException`) for a full *resource* quota such as "Users per
instance", which no amount of waiting frees; `install_quota_guard` stops those retries so the item
fails at once with a message naming the quota.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from ._quota_table import API_RATES, DEFAULT_RATE, RESOURCE_QUOTAS

QUOTA_ERROR_CODES = frozenset({"LimitExceededException", "ServiceQuotaExceededException"})

# The client runs one token below AWS's burst so that network jitter (two requests sent 1/rate
# apart that arrive closer together) still finds a token in Amazon's bucket instead of a 429.
BURST_MARGIN = 1.0

# How full a limiter's buckets are when the module starts (see the module docstring).
BUCKET_STARTS = ("full", "empty")

Clock = Callable[[], float]
Sleep = Callable[[float], None]


class TokenBucket:
    """A thread-safe token bucket whose `acquire()` blocks until the caller's token is due.

    A token taken from an empty bucket is a reservation: the level goes below zero and each caller
    sleeps until its own token has been refilled, so waiting callers are served in arrival order
    and the long-run rate is exactly `rate` with at most `burst` requests at once.
    """

    def __init__(
        self,
        rate: float,
        burst: float,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        level: float | None = None,
        since: float | None = None,
    ) -> None:
        """`level` tokens (default: a full bucket) as of `since` (default: now), refilling at `rate` from then."""
        if rate <= 0:
            raise ValueError(f"a rate must be positive, not {rate!r}")
        self.rate = float(rate)
        self.burst = max(1.0, float(burst))
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._level = self.burst if level is None else min(self.burst, float(level))
        self._stamp = clock() if since is None else since

    def reserve(self) -> float:
        """Take a token; return how many seconds the caller must wait before using it."""
        with self._lock:
            now = self._clock()
            self._level = min(self.burst, self._level + (now - self._stamp) * self.rate)
            self._stamp = now
            self._level -= 1.0
            return 0.0 if self._level >= 0 else -self._level / self.rate

    def acquire(self) -> float:
        """Block until a token is available; return the time waited (for statistics)."""
        wait = self.reserve()
        if wait > 0:
            self._sleep(wait)
        return wait


def parse_rate(api: str, value: Any) -> tuple[float, float | None]:
    """`api_rates` entries: a number (requests per second) or {rate: n, burst: m}."""
    if isinstance(value, Mapping):
        unknown = set(value) - {"rate", "burst"}
        if unknown or "rate" not in value:
            raise ValueError(f"api_rates.{api} takes a number or {{rate, burst}}, not {dict(value)!r}")
        rate, burst = float(value["rate"]), (float(value["burst"]) if value.get("burst") is not None else None)
    else:
        try:
            rate, burst = float(value), None
        except (TypeError, ValueError):
            raise ValueError(f"api_rates.{api} must be a number of requests per second, not {value!r}") from None
    if rate <= 0 or (burst is not None and burst < 1):
        raise ValueError(f"api_rates.{api}: rate must be > 0 and burst >= 1")
    return rate, burst


class RateLimiter:
    """One TokenBucket per API, created on first use.

    `factor` scales the documented defaults (an account with uniformly raised quotas, or an
    emulator run at `--throttle F`); `overrides` are taken as given, since they state the account's
    actual quota for that API. A factor of 0 or None turns pacing off.

    `start="empty"` is for a task that continues a run: every bucket is empty when the limiter is
    made (the module's start) and fills at its rate from then on, so the refill during the module's
    own start-up and earlier reads counts, and nothing from before it is assumed.
    """

    def __init__(
        self,
        overrides: Mapping[str, Any] | None = None,
        factor: float | None = 1.0,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        burst_margin: float = BURST_MARGIN,
        start: str = "full",
    ) -> None:
        if start not in BUCKET_STARTS:
            raise ValueError(f"api_bucket_start must be one of {', '.join(BUCKET_STARTS)}, not {start!r}")
        self.enabled = bool(factor)
        self.start = start
        self._started = clock()
        self.factor = float(factor or 0.0)
        self._overrides = {api: parse_rate(api, value) for api, value in (overrides or {}).items()}
        self._clock = clock
        self._sleep = sleep
        self._margin = burst_margin
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()
        self.waited: dict[str, float] = {}

    def rate_for(self, api: str) -> tuple[float, float]:
        """(rate, burst) the client paces `api` at, before the burst margin."""
        if api in self._overrides:
            rate, burst = self._overrides[api]
            table_burst = API_RATES.get(api, DEFAULT_RATE)[1] * self.factor
            return rate, burst if burst is not None else max(rate, table_burst)
        rate, burst = API_RATES.get(api, DEFAULT_RATE)
        return rate * self.factor, burst * self.factor

    def bucket(self, api: str) -> TokenBucket:
        with self._lock:
            bucket = self._buckets.get(api)
            if bucket is None:
                rate, burst = self.rate_for(api)
                empty = self.start == "empty"
                bucket = TokenBucket(
                    rate,
                    max(1.0, burst - self._margin),
                    self._clock,
                    self._sleep,
                    level=0.0 if empty else None,
                    since=self._started if empty else None,
                )
                self._buckets[api] = bucket
            return bucket

    def acquire(self, api: str) -> None:
        if not self.enabled:
            return
        waited = self.bucket(api).acquire()
        if waited:
            with self._lock:
                self.waited[api] = self.waited.get(api, 0.0) + waited

    def attach(self, client: Any) -> None:
        """Pace every HTTP attempt the client makes (retries included) by its operation's bucket."""
        client.meta.events.register("before-send.connect", self._on_send)

    def _on_send(self, event_name: str = "", **_kwargs: Any) -> None:
        # before-send must return None, or botocore takes the return value as the HTTP response.
        self.acquire(event_name.rsplit(".", 1)[-1])


def _no_retry_for_full_quotas(response: Any = None, **_kwargs: Any) -> bool | None:
    """needs-retry handler run before botocore's own: False stops the retry, None lets it decide."""
    if not response:
        return None
    parsed = response[1] if isinstance(response, tuple) and len(response) > 1 else {}
    code = (parsed or {}).get("Error", {}).get("Code")
    return False if code in QUOTA_ERROR_CODES else None


def install_quota_guard(client: Any) -> None:
    """Stop botocore from retrying LimitExceededException / ServiceQuotaExceededException.

    botocore takes the first non-None answer of the needs-retry handlers, so this handler, placed
    first, answers False for a full quota and None otherwise (the standard handler then decides).
    """
    client.meta.events.register_first("needs-retry.connect", _no_retry_for_full_quotas)


def quota_floor(calls: Mapping[str, int], limiter: RateLimiter) -> dict[str, Any]:
    """The least time `calls` (per API) can take at the quotas the limiter paces at. Each API's floor is its
    calls beyond its burst over its rate; Amazon paces the APIs apart, so a run that keeps every API busy at
    once takes the longest of them (`seconds`), and one that calls the APIs one after another takes their
    sum (`serial_seconds`). 0 when not paced."""
    by_api = {}
    for api, n in sorted(calls.items()):
        rate, burst = limiter.rate_for(api) if limiter.enabled else (0.0, 0.0)
        by_api[api] = {"calls": n, "seconds": round(max(0.0, n - burst) / rate, 2) if rate else 0.0}
    seconds = [row["seconds"] for row in by_api.values()]
    return {
        "seconds": round(max(seconds, default=0.0), 1),
        "serial_seconds": round(sum(seconds), 1),
        "by_api": by_api,
    }


def quota_error_message(api: str, code: str, message: str) -> str:
    """Say which resource quota is full and that waiting will not help."""
    quota = RESOURCE_QUOTAS.get(api)
    if quota is None:
        what = "a resource quota of the instance or account is full"
    else:
        name, service_code = quota
        what = f"the quota '{name}'" + (f" (Service Quotas code {service_code})" if service_code else "") + " is full"
    return f"{api}: {what}; not retried, raise the quota and run again ({code}: {message})"
