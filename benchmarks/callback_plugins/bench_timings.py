# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark-only callback: when each task and each loop item (an import chunk) ended, as JSON lines.

benchmarks/bench.py enables it beside the default stdout callback (ANSIBLE_CALLBACK_PLUGINS pointing
here, ANSIBLE_CALLBACKS_ENABLED=bench_timings, BENCH_TIMINGS_FILE naming the output). The roles write
no per-phase timings of their own (the run log has the run's start and end only), so this is where
the users phase's time comes from. With BENCH_STATS_URL set it also records the emulator's per-API
counters at each of those moments, which splits a run's calls by stage (export, preflight, each import
phase, verify). Item results keep only what the benchmark reads: the loop variable (phase, chunk),
totals, api_calls, failures; the preflight's printed summary is kept whole (it holds the estimate).
"""

from __future__ import annotations

import json
import os
import time
import urllib.request
from typing import Any

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: bench_timings
type: aggregate
short_description: task and loop-item end times for benchmarks/bench.py
description: Writes one JSON line per task start, task end and loop item to BENCH_TIMINGS_FILE.
requirements:
  - enabled in callbacks_enabled
"""

KEPT = ("ccaas_step", "totals", "api_calls", "failures", "resource_type", "failed", "msg")


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timings"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self) -> None:
        super().__init__()
        path = os.environ.get("BENCH_TIMINGS_FILE")
        self._out = open(path, "a", encoding="utf-8") if path else None  # noqa: SIM115 (open for the run)
        self._stats_url = os.environ.get("BENCH_STATS_URL")

    def _stats(self) -> dict[str, int] | None:
        if not self._stats_url:
            return None
        try:
            with urllib.request.urlopen(self._stats_url, timeout=10) as response:
                apis = json.loads(response.read())["apis"]
        except (OSError, ValueError, KeyError):
            return None
        return {api: row["calls"] for api, row in apis.items()}

    def _write(self, event: str, **fields: Any) -> None:
        if self._out is None:
            return
        line = {"event": event, "t": time.time(), **fields}
        stats = self._stats()
        if stats is not None:
            line["stats"] = stats
        self._out.write(json.dumps(line, default=str) + "\n")
        self._out.flush()

    @staticmethod
    def _result(result: Any) -> dict[str, Any]:
        found = getattr(result, "result", None)
        return dict(found if found is not None else getattr(result, "_result", {}) or {})

    @staticmethod
    def _task_name(result: Any) -> str:
        name = getattr(result, "task_name", None)
        return str(name if name is not None else result._task.get_name())

    def v2_playbook_on_task_start(self, task: Any, is_conditional: bool) -> None:
        self._write("task_start", task=task.get_name())

    def _task_end(self, result: Any, status: str) -> None:
        data = self._result(result)
        fields: dict[str, Any] = {"task": self._task_name(result), "status": status}
        if fields["task"].endswith("Show the preflight") and isinstance(data.get("msg"), list):
            fields["msg"] = data["msg"]
        self._write("task_end", **fields)

    def v2_runner_on_ok(self, result: Any) -> None:
        self._task_end(result, "ok")

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        self._task_end(result, "failed")

    def v2_runner_on_skipped(self, result: Any) -> None:
        self._task_end(result, "skipped")

    def _item(self, result: Any, status: str) -> None:
        data = self._result(result)
        kept = {key: data[key] for key in KEPT if key in data}
        self._write("item", task=self._task_name(result), status=status, **kept)

    def v2_runner_item_on_ok(self, result: Any) -> None:
        self._item(result, "ok")

    def v2_runner_item_on_failed(self, result: Any) -> None:
        self._item(result, "failed")

    def v2_runner_item_on_skipped(self, result: Any) -> None:
        self._item(result, "skipped")

    def v2_playbook_on_stats(self, stats: Any) -> None:
        self._write("playbook_end")
        if self._out is not None:
            self._out.close()
            self._out = None
