"""Injected faults, so retry and resume logic can be rehearsed before AWS does it for real.

Deterministic: one `random.Random(seed)` decides every request in arrival order, so the same seed
and the same sequence of calls give the same faults (a failing rehearsal can be replayed). Off by
default. A spec string (CLI `--faults`) looks like
    "throttle=0.05,error=0.01,drop=0.01,latency=0.02:0.2,seed=42,apis=CreateUser|DescribeUser"
latency is `probability:seconds` (or just seconds, meaning every request).
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Fault = Literal["throttle", "error", "drop"]


@dataclass
class FaultConfig:
    throttle: float = 0.0  # probability of a 429 ThrottlingException
    error: float = 0.0  # probability of a 500 InternalServiceException
    drop: float = 0.0  # probability of closing the connection without an answer
    latency: float = 0.0  # probability of adding latency_seconds
    latency_seconds: float = 0.0
    seed: int = 0
    apis: list[str] = field(default_factory=list)  # empty = every API

    @property
    def enabled(self) -> bool:
        return any((self.throttle, self.error, self.drop, self.latency and self.latency_seconds))

    @classmethod
    def parse(cls, spec: str | None) -> FaultConfig:
        config = cls()
        if not spec or spec.strip().lower() in ("off", "none"):
            return config
        for part in spec.split(","):
            key, _, value = part.strip().partition("=")
            key = key.strip().lower()
            if key in ("throttle", "error", "drop"):
                setattr(config, key, float(value))
            elif key == "latency":
                probability, _, seconds = value.partition(":")
                if seconds:
                    config.latency, config.latency_seconds = float(probability), float(seconds)
                else:
                    config.latency, config.latency_seconds = 1.0, float(probability)
            elif key == "seed":
                config.seed = int(value)
            elif key == "apis":
                config.apis = [a for a in value.split("|") if a]
            else:
                raise ValueError(f"unknown fault setting {key!r} in {spec!r}")
        config.check()
        return config

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FaultConfig:
        config = cls(**{k: v for k, v in data.items() if k != "enabled"})
        config.check()
        return config

    def check(self) -> None:
        for name in ("throttle", "error", "drop", "latency"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"fault probability {name}={value} is not within [0, 1]")
        if self.throttle + self.error + self.drop > 1.0:
            raise ValueError("throttle + error + drop probabilities exceed 1")

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "enabled": self.enabled}


@dataclass(frozen=True)
class Decision:
    fault: Fault | None
    delay: float


NO_FAULT = Decision(None, 0.0)


class FaultInjector:
    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self.configure(config or FaultConfig())

    def configure(self, config: FaultConfig) -> None:
        with self._lock:
            self.config = config
            self._apis = frozenset(config.apis)
            self._random = random.Random(config.seed)

    def decide(self, api: str) -> Decision:
        config = self.config
        if not config.enabled or (self._apis and api not in self._apis):
            return NO_FAULT
        with self._lock:
            # Two draws per request, always, so one API's outcome never shifts another's sequence.
            roll, latency_roll = self._random.random(), self._random.random()
        delay = config.latency_seconds if latency_roll < config.latency else 0.0
        if roll < config.throttle:
            return Decision("throttle", delay)
        if roll < config.throttle + config.error:
            return Decision("error", delay)
        if roll < config.throttle + config.error + config.drop:
            return Decision("drop", delay)
        return Decision(None, delay)
