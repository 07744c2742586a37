"""Per-instance resource quotas at Amazon's defaults (data/quotas.json), raisable per instance."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from ..errors import InvalidParameterException, LimitExceededException


@cache
def table() -> dict[str, Any]:
    text = resources.files("connect_emulator").joinpath("data/quotas.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def _aliases() -> dict[str, str]:
    """Quota keys by every name a caller may use: our key, Amazon's quota name, its Service Quotas code."""
    out: dict[str, str] = {}
    for key, q in table()["quotas"].items():
        out[key.lower()] = key
        out[q["name"].lower()] = key
        if q.get("code"):
            out[q["code"].lower()] = key
    return out


def canonical(quota_name: str) -> str:
    key = _aliases().get(quota_name.strip().lower())
    if key is None:
        known = ", ".join(sorted(table()["quotas"]))
        raise InvalidParameterException(f"Unknown quota {quota_name!r}; known quotas: {known}")
    return key


def default(key: str) -> int:
    return int(table()["quotas"][key]["default"])


def limit(overrides: dict[str, int], key: str) -> int:
    return overrides.get(key, default(key))


def check(overrides: dict[str, int], key: str, current: int, adding: int = 1, *, error: type = LimitExceededException):
    """Raise `error` when `adding` more would take `current` past the quota.

    Amazon answers a full resource quota with LimitExceededException on most Create* APIs; the
    caller passes ServiceQuotaExceededException where that is the operation's documented error.
    """
    cap = limit(overrides, key)
    if current + adding > cap:
        name = table()["quotas"][key]["name"]
        raise error(f"The quota '{name}' ({cap}) has been reached for this instance.")
