"""Per-API call counts, so rehearsals and benchmarks can report what they cost in API calls."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from typing import Any


class Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._calls: Counter[str] = Counter()
            self._throttled: Counter[str] = Counter()
            self._errors: defaultdict[str, Counter[str]] = defaultdict(Counter)
            self._instance_tags: Counter[str] = Counter()

    def record(self, api: str, *, error: str | None = None, instance_tag: bool = False) -> None:
        """One answered request; `error` is its error code (ThrottlingException counts as throttled).

        `instance_tag`: a tagging call on an instance ARN itself (the collection's run lease), counted apart
        too, so a test can tell the lease from writes to the instance's configuration.
        """
        with self._lock:
            self._calls[api] += 1
            if instance_tag:
                self._instance_tags[api] += 1
            if error is not None:
                self._errors[api][error] += 1
                if error == "ThrottlingException":
                    self._throttled[api] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            apis = {
                api: {
                    "calls": calls,
                    "throttled": self._throttled.get(api, 0),
                    "errors": dict(self._errors.get(api, {})),
                }
                for api, calls in sorted(self._calls.items())
            }
            return {
                "total": {
                    "calls": sum(self._calls.values()),
                    "throttled": sum(self._throttled.values()),
                    "errors": sum(sum(c.values()) for c in self._errors.values()),
                },
                "apis": apis,
                "instance_tags": dict(sorted(self._instance_tags.items())),
            }
