"""Per-API request throttling as Amazon Connect applies it: a token bucket per (account, region, API).

Amazon throttles each API separately per account and Region, at a steady rate with a burst
allowance (data/api_rates.json). A migration tool that does not pace itself hits 429s against AWS;
the emulator must make it hit them too, or rehearsals lie. Modes:
  - "off": never throttle (unit tests, benchmarks of the emulator itself),
  - "aws": the documented defaults,
  - a number F: rate and burst times F, so a rehearsal keeps AWS's shape but runs F times faster.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Rate:
    rate: float  # tokens per second
    burst: float  # bucket size


def load_rate_table() -> tuple[Rate, dict[str, Rate], dict[str, Any]]:
    raw = json.loads(resources.files("connect_emulator").joinpath("data/api_rates.json").read_text())
    default = Rate(float(raw["default"]["rate"]), float(raw["default"]["burst"]))
    apis = {name: Rate(float(v["rate"]), float(v["burst"])) for name, v in raw["apis"].items()}
    return default, apis, raw


def parse_mode(mode: str | float | None) -> float | None:
    """Mode -> scale factor (None = off)."""
    if mode is None:
        return None
    if isinstance(mode, int | float):
        factor = float(mode)
    else:
        text = str(mode).strip().lower()
        if text in ("off", "none", "0", ""):
            return None
        if text == "aws":
            return 1.0
        try:
            factor = float(text)
        except ValueError:
            raise ValueError(f"throttle mode must be off, aws or a positive number, not {mode!r}") from None
    if factor <= 0:
        return None
    return factor


class _Bucket:
    __slots__ = ("burst", "rate", "stamp", "tokens")

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.stamp = now


class Throttle:
    """Thread-safe token buckets; `allow()` is O(1) under one short lock."""

    def __init__(self, mode: str | float | None = "off", clock: Any = time.monotonic) -> None:
        self._default, self._table, self.source = load_rate_table()
        self._overrides: dict[str, Rate] = {}
        self._buckets: dict[tuple[str, str, str], _Bucket] = {}
        self._lock = threading.Lock()
        self._clock = clock
        self._mode: str | float | None = mode
        self._factor = parse_mode(mode)

    @property
    def mode(self) -> str:
        if self._factor is None:
            return "off"
        return "aws" if self._factor == 1.0 else f"{self._factor:g}"

    def configure(self, mode: str | float | None = None, rates: dict[str, Any] | None = None) -> None:
        """Change mode and/or per-API overrides; buckets restart full so a new mode starts clean."""
        with self._lock:
            if mode is not None:
                self._factor = parse_mode(mode)
            if rates is not None:
                self._overrides = {n: Rate(float(v["rate"]), float(v["burst"])) for n, v in rates.items()}
            self._buckets.clear()

    def rate_for(self, api: str) -> Rate:
        """The unscaled rate that applies to `api` (override, table, or the documented default)."""
        return self._overrides.get(api) or self._table.get(api) or self._default

    def allow(self, account_id: str, region: str, api: str) -> bool:
        factor = self._factor
        if factor is None:
            return True
        key = (account_id, region, api)
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                base = self.rate_for(api)
                # A scaled burst below 1 would block every call; one request always fits.
                bucket = _Bucket(base.rate * factor, max(1.0, base.burst * factor), now)
                self._buckets[key] = bucket
            else:
                bucket.tokens = min(bucket.burst, bucket.tokens + (now - bucket.stamp) * bucket.rate)
                bucket.stamp = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return True
            return False

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()

    def describe(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "default": vars(self._default),
            "overrides": {k: vars(v) for k, v in self._overrides.items()},
            "source": self.source.get("source"),
        }
