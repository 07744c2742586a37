#!/usr/bin/env python3
"""The collection's speed against Amazon Connect's quotas, through the real playbooks (make bench, bench-quick).

    .venv/bin/python benchmarks/bench.py [--users 1000,10000,50000] [--factor 50] [--repeat 3] [--repeat-large 1]
        [--naive-sample 0] [--out DIR] [--enforce default|none|all|ID,ID] [--margin 0.05]
        [--scenarios export,export-nc,naive,migrate,rerun]

For each N of --users, one emulator (`python -m connect_emulator serve`, 127.0.0.1, a free port) is seeded
unthrottled with the demo contact centre and N users, then throttled at AWS's documented rates times
--factor (the collection paces at the same scaled rates: `-e api_rate_factor=F`), and these scenarios run,
each --repeat times (--repeat-large for N above 10,000), with the emulator's per-API counters reset before
each and a few seconds' pause after it (so the emulator's buckets are full again):

  export      playbooks/export.yml, whole instance, lossless (user_contact_details=true, the default)
  export-nc   the same with user_contact_details=false
  naive       what old scripts do, with boto3: ListUsers, then per user DescribeUser, DescribeRoutingProfile,
              DescribeSecurityProfile per profile, DescribeUserHierarchyGroup; one thread, paced by the
              collection's own RateLimiter. With --naive-sample S and N > S, run on S users and
              extrapolated to N (labelled "extrapolated from S").
  migrate     playbooks/migrate.yml, the whole demo source into a brand-new instance (created, its phone
              numbers claimed and mapped, its users quota raised, as tests/integration/test_new_instance.py)
  rerun       the same migrate.yml again: it should write nothing

Every ansible-playbook runs under /usr/bin/time -v (peak RSS of the process tree) while a sampler reads
/proc for the peak RSS of the controller (ansible-playbook and its forks) and of module processes
(AnsiballZ_*) apart. A callback (benchmarks/callback_plugins/bench_timings.py) records when each task
and each import chunk ended, with the emulator's counters at that moment, so a migrate's calls and time
split by stage (export, preflight, each import phase, verify, report).

The quota floor of a set of calls: per API, max(0, calls - burst) / rate at the scaled quota; APIs are
paced apart and run in parallel, so the floor is the MAX over the APIs (the serial sum is printed too).
A migrate's stages run one after another, so its floor is the sum of its stages' parallel floors.

Prints one table and the targets (holds / missed), writes bench-<timestamp>.json and .png to --out
(default benchmarks/results/). Exit status: 1 when a target in the enforced set misses by more than
--margin (0 for "== 0" targets), else 0.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from connect_emulator.seed import (
    DEMO_PROMPT_BUCKET,
    DEMO_SOURCE_ALIAS,
    DEMO_SOURCE_REGION,
    DEMO_TARGET_REGION,
)
from connect_emulator.testing import EmulatorProcess, claim_numbers_like

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
COLLECTIONS = subprocess.run(
    [str(ROOT / "scripts" / "collection-path.sh")], check=True, capture_output=True, text=True
).stdout.strip()
sys.path.insert(0, str(ROOT / ".build" / "collections"))

from ansible_collections.ccaas.connect.plugins.module_utils._ratelimit import RateLimiter  # noqa: E402

READ_PREFIXES = ("Describe", "List", "Search", "Get")
IMPORT_TASK = "Import, phase by phase, chunk by chunk"
PREFLIGHT_TASK = "Show the preflight"
INTEGRATION_MAP = ROOT / "playbooks" / "files" / "demo-integration-map.yml"
PAUSE = 3.0  # seconds between scenarios: AWS's (and the emulator's) buckets refill their burst in 2.5 s
LARGE = 10_000  # N above this takes --repeat-large repetitions

# ---- targets ---------------------------------------------------------------------------------------------

# id -> (what, comparison, threshold). Values are medians over the repetitions at N = 10,000 (the largest N
# measured when 10,000 was not), except rss-50k.
TARGETS: dict[str, tuple[str, str, float]] = {
    "export-floor": ("lossless export of 10,000 users <= 1.2 x quota floor", "<=", 1.2),
    "naive-calls-nc": ("naive calls / ours without contact details >= 100", ">=", 100.0),
    "naive-calls": ("naive calls / ours lossless >= 4", ">=", 4.0),
    "import-rate": ("import: CreateUser rate while creating >= 0.95 x scaled quota", ">=", 0.95),
    "import-throttled": ("import: throttled calls < 1% of the migrate's calls", "<", 0.01),
    "import-failed": ("import: failed items == 0", "==", 0.0),
    "rerun-writes": ("rerun: write calls == 0", "==", 0.0),
    "rerun-time": ("rerun: time <= 1.2 x lossless export time", "<=", 1.2),
    "users-phase": ("users phase end to end (chunk starts, reads) >= 0.95 x CreateUser quota", ">=", 0.95),
    "run-floor": ("whole migrate <= 1.1 x floor + 30 s (value: wall / (1.1 x floor + 30 s))", "<=", 1.0),
    "rss-10k": ("peak RSS at 10,000 users < 300 MB (controller and modules)", "<", 300.0),
    "rss-50k": ("peak RSS at 50,000 users < 1 GB (controller and modules)", "<", 1024.0),
    "estimate": ("preflight estimate within 10% of the measured import", "<=", 0.10),
}
# What `make bench-quick` (and so `make test`) enforces: every target that holds at AWS rates x 50 on two cores
# (docs/benchmarks.md says which do not, and why).
DEFAULT_ENFORCED = (
    "export-floor",
    "import-rate",
    "import-throttled",
    "import-failed",
    "rerun-writes",
    "users-phase",
    "rss-10k",
    "rss-50k",
    "estimate",
)


# ---- the quota floor -------------------------------------------------------------------------------------


def floors(calls: dict[str, int], factor: float) -> dict[str, Any]:
    """Per API, max(0, calls - burst) / rate at AWS's rates x factor; parallel = max over APIs, serial = sum."""
    limiter = RateLimiter(factor=factor)
    by_api = {}
    for api, n in calls.items():
        rate, burst = limiter.rate_for(api)
        by_api[api] = max(0.0, n - burst) / rate
    slowest = max(by_api, key=lambda a: by_api[a]) if by_api else None
    return {
        "parallel": by_api[slowest] if slowest else 0.0,
        "serial": sum(by_api.values()),
        "bottleneck": slowest,
        "by_api": {api: round(s, 2) for api, s in sorted(by_api.items(), key=lambda kv: -kv[1])},
    }


def quota(api: str, factor: float) -> float:
    return RateLimiter(factor=factor).rate_for(api)[0]


def diff(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {api: n - before.get(api, 0) for api, n in after.items() if n - before.get(api, 0)}


def writes(stats: dict[str, Any]) -> dict[str, int]:
    """Write calls per API; the run lease (tags on an instance's own ARN) is counted apart, as the tests do."""
    lease = stats.get("instance_tags", {})
    counted = {api: row["calls"] - lease.get(api, 0) for api, row in stats["apis"].items()}
    return {api: n for api, n in counted.items() if n and not api.startswith(READ_PREFIXES)}


# ---- samplers ----------------------------------------------------------------------------------------------


class StatsPoller(threading.Thread):
    """The emulator's per-API call counts every `interval` s, for the rate each API achieved while it was busy."""

    def __init__(self, emulator: EmulatorProcess, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.emulator, self.interval = emulator, interval
        self.series: list[tuple[float, dict[str, int]]] = []
        self._stop = threading.Event()

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                apis = self.emulator.stats()["apis"]
                self.series.append((time.time(), {api: row["calls"] for api, row in apis.items()}))
            except OSError:
                pass
            self._stop.wait(self.interval)

    def stop(self) -> list[tuple[float, dict[str, int]]]:
        self._stop.set()
        self.join()
        return self.series


def busy_rates(series: list[tuple[float, dict[str, int]]], min_calls: int = 50) -> dict[str, dict[str, float]]:
    """Per API: `rate`, its calls over the time from the first sample that saw it move to the first that saw its
    final count (gaps between chunks included); `steady`, the rate while it was moving, from the sampling
    intervals inside each run of moving intervals (a run's first and last interval are partly idle, so left
    out): what the pacing achieves while a module is calling, whatever the chunk boundaries cost."""
    out: dict[str, dict[str, float]] = {}
    if len(series) < 2:
        return out
    final = series[-1][1]
    for api, total in final.items():
        if total < min_calls:
            continue
        first = next((i for i, (_, c) in enumerate(series) if c.get(api, 0) > 0), None)
        last = next((i for i, (_, c) in enumerate(series) if c.get(api, 0) >= total), None)
        if first is None or last is None or last <= first:
            continue
        start = max(0, first - 1)  # it started moving after the sample before
        seconds = series[last][0] - series[start][0]
        row = {"calls": total, "seconds": round(seconds, 2), "rate": total / seconds if seconds else 0.0}
        moving = [
            (series[i + 1][0] - series[i][0], series[i + 1][1].get(api, 0) - series[i][1].get(api, 0))
            for i in range(len(series) - 1)
        ]
        inner_calls, inner_seconds, run = 0, 0.0, []
        for interval in [*moving, (0.0, 0)]:
            if interval[1] > 0:
                run.append(interval)
                continue
            for dt, n in run[1:-1]:
                inner_calls, inner_seconds = inner_calls + n, inner_seconds + dt
            run = []
        if inner_seconds >= 1.0:
            row["steady"] = inner_calls / inner_seconds
        out[api] = row
    return out


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        kids[int(stat.rsplit(")", 1)[1].split()[1])].append(int(entry))
    return kids


class RssSampler(threading.Thread):
    """Peak RSS (VmHWM) of the controller (ansible-playbook and its forks) and of module processes apart."""

    def __init__(self, root: int, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.peak = {"controller": 0, "module": 0}
        self._stop = threading.Event()

    def run(self) -> None:
        while not self._stop.is_set():
            kids, todo, seen = _children(), [self.root], []
            while todo:
                pid = todo.pop()
                seen.append(pid)
                todo += kids.get(pid, [])
            for pid in seen[1:]:  # not /usr/bin/time itself
                try:
                    command = Path(f"/proc/{pid}/cmdline").read_bytes()
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
                if not found:
                    continue
                kind = "module" if b"AnsiballZ_" in command else "controller"
                self.peak[kind] = max(self.peak[kind], int(found.group(1)))
            self._stop.wait(self.interval)

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self.join()
        return {kind: round(kb / 1024, 1) for kind, kb in self.peak.items()}


# ---- running a playbook ----------------------------------------------------------------------------------


def run_playbook(
    emulator: EmulatorProcess, playbook: str, extra: dict[str, Any], work: Path, label: str
) -> dict[str, Any]:
    """One ansible-playbook under /usr/bin/time -v: wall, rc, calls per API, throttled, timings, peak RSS."""
    timings, rusage, log = work / f"{label}.timings.jsonl", work / f"{label}.time", work / f"{label}.log"
    timings.unlink(missing_ok=True)
    env = {
        **os.environ,
        **emulator.env(DEMO_SOURCE_REGION),
        # Every AWS service the run might reach (S3 for prompts' audio) goes to the emulator, never elsewhere.
        "AWS_ENDPOINT_URL": emulator.endpoint,
        "AWS_ENDPOINT_URL_S3": emulator.endpoint,
        "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS,
        "ANSIBLE_CALLBACK_PLUGINS": str(ROOT / "benchmarks" / "callback_plugins"),
        "ANSIBLE_CALLBACKS_ENABLED": "bench_timings",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_LOCALHOST_WARNING": "0",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
        "BENCH_TIMINGS_FILE": str(timings),
        "BENCH_STATS_URL": f"{emulator.endpoint}/_emulator/stats",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    command = [
        "/usr/bin/time",
        "-v",
        "-o",
        str(rusage),
        str(BIN / "ansible-playbook"),
        str(ROOT / "playbooks" / playbook),
        "-e",
        json.dumps(extra),
    ]
    emulator.reset_stats()
    poller = StatsPoller(emulator)
    poller.start()
    begin = time.monotonic()
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        sampler = RssSampler(process.pid)
        sampler.start()
        rc = process.wait()
    wall = time.monotonic() - begin
    rss = sampler.stop()
    series = poller.stop()
    stats = emulator.stats()
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", rusage.read_text() if rusage.exists() else "")
    rss["tree"] = round(int(found.group(1)) / 1024, 1) if found else 0.0
    events = [json.loads(line) for line in timings.read_text().splitlines()] if timings.exists() else []
    calls = {api: row["calls"] for api, row in stats["apis"].items() if row["calls"]}
    result = {
        "label": label,
        "rc": rc,
        "wall": round(wall, 2),
        "calls": calls,
        "total_calls": sum(calls.values()),
        "throttled": stats["total"]["throttled"],
        "errors": {api: row["errors"] for api, row in stats["apis"].items() if row["errors"]},
        "writes": writes(stats),
        "rss_mb": rss,
        "busy_rates": busy_rates(series),
        "log": str(log),
    }
    if rc != 0:
        result["tail"] = log.read_text()[-3000:]
        print(f"  ! {label}: ansible-playbook exited {rc}; see {log}", flush=True)
    result["_events"] = events
    return result


# ---- scenarios -------------------------------------------------------------------------------------------


def export_run(emulator: EmulatorProcess, factor: float, work: Path, label: str, contact: bool) -> dict[str, Any]:
    output = work / label
    extra = {"source": DEMO_SOURCE_ALIAS, "output_dir": str(output), "api_rate_factor": factor}
    extra["user_contact_details"] = contact
    run = run_playbook(emulator, "export.yml", extra, work, label)
    run.pop("_events")
    bundles = sorted(output.glob("bundle-*.json"))
    if bundles:
        users = json.loads(bundles[-1].read_text())["resources"].get("users", [])
        run["users"] = len(users)
        run["with_email"] = sum(1 for u in users if (u.get("identity_info") or {}).get("email"))
        for bundle in bundles:
            bundle.unlink()  # 50,000 users' bundle is large; the numbers are kept
    run["floor"] = floors(run["calls"], factor)
    run["ratio"] = run["wall"] / run["floor"]["parallel"] if run["floor"]["parallel"] else None
    run["overhead"] = (run["wall"] - run["floor"]["parallel"]) / run["wall"]
    return run


def naive_run(emulator: EmulatorProcess, factor: float, users: int, sample: int) -> dict[str, Any]:
    """What an old script does: ListUsers, then every user's DescribeUser and the Describe of each thing it names,
    one call after another, paced by the collection's own rate limiter (and botocore's retries on a 429)."""
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "connect",
        region_name=DEMO_SOURCE_REGION,
        endpoint_url=emulator.endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"mode": "standard", "total_max_attempts": 10}, max_pool_connections=2),
    )
    RateLimiter(factor=factor).attach(client)
    instance = emulator.seeded["source"]["instance_id"] if emulator.seeded else DEMO_SOURCE_ALIAS
    limit = sample if sample and users > sample else users
    emulator.reset_stats()
    begin = time.monotonic()
    listed: list[dict[str, Any]] = []
    pages = 0
    for page in client.get_paginator("list_users").paginate(InstanceId=instance, PaginationConfig={"PageSize": 1000}):
        pages += 1
        listed += page["UserSummaryList"]
        if len(listed) >= limit:
            break
    for summary in listed[:limit]:
        user = client.describe_user(InstanceId=instance, UserId=summary["Id"])["User"]
        client.describe_routing_profile(InstanceId=instance, RoutingProfileId=user["RoutingProfileId"])
        for profile in user.get("SecurityProfileIds", []):
            client.describe_security_profile(InstanceId=instance, SecurityProfileId=profile)
        if user.get("HierarchyGroupId"):
            client.describe_user_hierarchy_group(InstanceId=instance, HierarchyGroupId=user["HierarchyGroupId"])
    seconds = time.monotonic() - begin
    stats = emulator.stats()
    calls = {api: row["calls"] for api, row in stats["apis"].items() if row["calls"]}
    run: dict[str, Any] = {"calls": calls, "throttled": stats["total"]["throttled"], "users": limit}
    if limit < users:
        per_user = (sum(calls.values()) - pages) / limit
        run["extrapolated_from"] = limit
        run["sample_wall"] = round(seconds, 2)
        run["total_calls"] = round(math.ceil(users / 1000) + per_user * users)
        run["wall"] = round(seconds * users / limit, 2)
        run["calls"] = {
            api: (math.ceil(users / 1000) if api == "ListUsers" else round(n * users / limit))
            for api, n in calls.items()
        }
    else:
        run["total_calls"] = sum(calls.values())
        run["wall"] = round(seconds, 2)
    run["floor"] = floors(run["calls"], factor)
    return run


def new_target(emulator: EmulatorProcess, users: int, factor: float, alias: str, work: Path) -> Path:
    """A brand-new instance with the source's numbers claimed and a users quota for N; returns the phone map."""
    emulator.configure(throttle="off")
    made = emulator.client(DEMO_TARGET_REGION).create_instance(
        IdentityManagementType="CONNECT_MANAGED",
        InstanceAlias=alias,
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )
    emulator.configure(
        quotas=[
            {"region": DEMO_TARGET_REGION, "instance_id": made["Id"], "quota": "phone_numbers", "value": 10},
            {"region": DEMO_TARGET_REGION, "instance_id": made["Id"], "quota": "users", "value": users + 100},
        ]
    )
    phone_map = work / f"{alias}-phone-map.json"  # JSON is YAML
    phone_map.write_text(
        json.dumps(claim_numbers_like(emulator, emulator.seeded["source"]["instance_arn"], made["Arn"]), indent=1)
    )
    emulator.configure(throttle=str(factor))
    time.sleep(PAUSE)
    return phone_map


def migrate_extra(alias: str, phone_map: Path, output: Path, users: int, factor: float) -> dict[str, Any]:
    return {
        "source": DEMO_SOURCE_ALIAS,
        "source_region": DEMO_SOURCE_REGION,
        "target": alias,
        "target_region": DEMO_TARGET_REGION,
        "bu_tag": "",
        "phone_map": str(phone_map),
        "on_unmapped": "fail",
        "prompt_bucket": DEMO_PROMPT_BUCKET,
        "integration_map": str(INTEGRATION_MAP),
        "target_quotas": {"users": users + 100},
        "output_dir": str(output),
        "api_rate_factor": factor,
    }


ESTIMATE_ROW = re.compile(r"^(.*?)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)s(?:\s+\((\d+) chunks\))?$")


def parse_estimate(lines: Iterable[str]) -> dict[str, Any]:
    phases, total = {}, None
    for line in lines:
        found = ESTIMATE_ROW.match(line.strip())
        if found and found.group(1) != "phase":
            phases[found.group(1)] = {
                "create": int(found.group(2)),
                "update": int(found.group(3)),
                "seconds": float(found.group(6)),
                "chunks": int(found.group(7) or 1),
            }
        total_line = re.match(r"Estimated duration at the target's API quotas: ([\d.]+) s", line.strip())
        if total_line:
            total = float(total_line.group(1))
    return {"seconds": total, "phases": phases}


def stages(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The run cut into stages that run one after another: each role's tasks, the preflight apart from the
    import, and the import per phase (from its chunks' end times). Each with its seconds and calls per API."""

    def role(task: str) -> str:
        name = task.split(" : ", 1)
        if len(name) == 1:
            return "playbook"
        part = name[0].rsplit(".", 1)[-1]
        if part == "import" and not name[1].startswith(IMPORT_TASK) and not name[1].startswith("Keep the import"):
            return "preflight"
        return part

    cuts: list[tuple[str, float, dict[str, int]]] = []  # (the stage that ended, when, counters then)
    current = None
    for index, event in enumerate(events):
        if event["event"] == "task_start":
            stage = role(event["task"])
            if stage == "import":
                continue  # its items say which phase
            if stage != current:
                cuts.append((current or "start", event["t"], event.get("stats", {})))
                current = stage
        elif event["event"] == "item" and event["task"].endswith(IMPORT_TASK):
            stage = f"import: {(event.get('ccaas_step') or {}).get('phase', '?')}"
            if stage != current and index:
                # The chunk began when the event before it (the previous chunk, or the task's start) ended.
                before = events[index - 1]
                cuts.append((current or "start", before["t"], before.get("stats", {})))
                current = stage
    if events:
        cuts.append((current or "end", events[-1]["t"], events[-1].get("stats", {})))
    out = []
    for (_, start, before), (stage, end, after) in itertools.pairwise(cuts):
        calls = diff(after, before)
        if stage == "start":
            continue
        out.append({"stage": stage, "seconds": round(end - start, 2), "calls": calls})
    # Merge repeated stages (a role included twice: import's release after verify) by name, keeping order.
    merged: dict[str, dict[str, Any]] = {}
    for row in out:
        into = merged.setdefault(row["stage"], {"stage": row["stage"], "seconds": 0.0, "calls": {}})
        into["seconds"] = round(into["seconds"] + row["seconds"], 2)
        for api, n in row["calls"].items():
            into["calls"][api] = into["calls"].get(api, 0) + n
    return list(merged.values())


def _previous_end(events: list[dict[str, Any]], event: dict[str, Any]) -> float:
    """When the chunk this item ended began: the end of the item (or the start of the task) before it."""
    index = events.index(event)
    for before in reversed(events[:index]):
        if before["event"] in ("item", "task_start", "task_end"):
            return float(before["t"])
    return float(event["t"])


def _stats_before(events: list[dict[str, Any]], event: dict[str, Any]) -> dict[str, int]:
    index = events.index(event)
    for before in reversed(events[:index]):
        if "stats" in before:
            return before["stats"]
    return {}


def analyse_migrate(run: dict[str, Any], factor: float, users: int) -> dict[str, Any]:
    events = run.pop("_events")
    out: dict[str, Any] = {}
    out["stages"] = stages(events)
    for stage in out["stages"]:
        stage["floor"] = round(floors(stage["calls"], factor)["parallel"], 2)
    out["floor"] = round(sum(s["floor"] for s in out["stages"]), 2)
    out["floor_whole_parallel"] = round(floors(run["calls"], factor)["parallel"], 2)
    out["overhead"] = (run["wall"] - out["floor"]) / run["wall"] if run["wall"] else None
    items = [e for e in events if e["event"] == "item" and e["task"].endswith(IMPORT_TASK)]
    out["failed_items"] = sum(int((e.get("totals") or {}).get("failed", 0)) for e in items)
    out["failed_items"] += sum(1 for e in items if e.get("status") == "failed" and "totals" not in e)
    out["created"] = sum(int((e.get("totals") or {}).get("created", 0)) for e in items)
    out["throttled_share"] = run["throttled"] / run["total_calls"] if run["total_calls"] else 0.0
    rate_quota = quota("CreateUser", factor)
    chunks = []
    for event in items:
        if (event.get("ccaas_step") or {}).get("phase") != "users":
            continue
        seconds = event["t"] - _previous_end(events, event)
        calls = diff(event.get("stats", {}), _stats_before(events, event))
        created = calls.get("CreateUser", 0)
        chunks.append(
            {
                "chunk": event["ccaas_step"].get("chunk"),
                "seconds": round(seconds, 2),
                "CreateUser": created,
                "calls": calls,
                "overhead": round(seconds - created / rate_quota, 2),
            }
        )
    out["users_chunks"] = chunks
    users_seconds = sum(c["seconds"] for c in chunks)
    users_created = sum(c["CreateUser"] for c in chunks)
    out["users_phase_seconds"] = round(users_seconds, 2)
    out["users_phase_ratio"] = users_created / users_seconds / rate_quota if users_seconds else None
    busy = run["busy_rates"].get("CreateUser")
    out["create_rate_ratio"] = busy["steady"] / rate_quota if busy and busy.get("steady") else None
    out["create_rate_ratio_with_gaps"] = busy["rate"] / rate_quota if busy else None
    out["create_quota"] = rate_quota
    preflight = next((e for e in events if e["event"] == "task_end" and e.get("msg")), None)
    estimate = parse_estimate(preflight["msg"] if preflight else [])
    out["estimate"] = estimate
    marks = {(e["event"], e["t"]) for e in events if e.get("task", "").endswith(IMPORT_TASK)}
    import_start = min((t for kind, t in marks if kind == "task_start"), default=None)
    import_end = max((t for kind, t in marks if kind == "task_end"), default=None)
    out["import_seconds"] = round(import_end - import_start, 2) if import_start and import_end else None
    if estimate["seconds"] and out["import_seconds"]:
        out["estimate_error"] = (estimate["seconds"] - out["import_seconds"]) / out["import_seconds"]
    users_estimate = estimate["phases"].get("users", {}).get("seconds")
    if users_estimate and users_seconds:
        out["users_estimate_error"] = (users_estimate - users_seconds) / users_seconds
    return out


# ---- the run ---------------------------------------------------------------------------------------------


def measure(users: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    repeat = args.repeat if users <= LARGE else args.repeat_large
    print(f"N={users}: seeding the demo source with {users} users (unthrottled)", flush=True)
    begin = time.monotonic()
    emulator = EmulatorProcess("--throttle", "off", "--seed", "demo", "--users", str(users), timeout=1800)
    result: dict[str, Any] = {"users": users, "factor": args.factor, "repeat": repeat, "runs": defaultdict(list)}
    try:
        result["seed_seconds"] = round(time.monotonic() - begin, 1)
        emulator.configure(throttle=str(args.factor))
        time.sleep(PAUSE)

        def step(name: str, make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
            print(f"N={users}: {name} ...", end=" ", flush=True)
            run = make()
            result["runs"][name].append(run)
            print(f"{run['wall']:.1f} s, {run['total_calls']} calls, {run['throttled']} throttled", flush=True)
            time.sleep(PAUSE)
            return run

        chosen = args.scenarios
        for rep in range(repeat):
            if "export" in chosen:
                step("export", lambda rep=rep: export_run(emulator, args.factor, work, f"{users}-export-{rep}", True))
            if "export-nc" in chosen:
                step(
                    "export-nc",
                    lambda rep=rep: export_run(emulator, args.factor, work, f"{users}-exportnc-{rep}", False),
                )
        naive_reps = repeat if not (args.naive_sample and users > args.naive_sample) else 1
        for _ in range(naive_reps if "naive" in chosen else 0):
            step("naive", lambda: naive_run(emulator, args.factor, users, args.naive_sample))
        for rep in range(repeat if {"migrate", "rerun"} & chosen else 0):
            alias = f"bench-{users}-{rep}"
            phone_map = new_target(emulator, users, args.factor, alias, work)
            extra = migrate_extra(alias, phone_map, work / alias, users, args.factor)

            def migrate(label: str, extra: dict[str, Any] = extra) -> dict[str, Any]:
                run = run_playbook(emulator, "migrate.yml", extra, work, label)
                run["analysis"] = analyse_migrate(run, args.factor, users)
                return run

            step("migrate", lambda alias=alias: migrate(f"{alias}-migrate"))  # a rerun needs it
            if "rerun" in chosen:
                step("rerun", lambda alias=alias: migrate(f"{alias}-rerun"))
    finally:
        emulator.stop()
    result["runs"] = dict(result["runs"])
    return result


# ---- summary, table, targets ------------------------------------------------------------------------------


def spread(values: Iterable[float | None]) -> dict[str, float] | None:
    found = [v for v in values if v is not None]
    if not found:
        return None
    return {"min": min(found), "median": statistics.median(found), "max": max(found)}


def summarize(result: dict[str, Any]) -> dict[str, Any]:
    runs = result["runs"]
    s: dict[str, Any] = {"users": result["users"]}

    def med(name: str, get: Callable[[dict[str, Any]], float | None]) -> dict[str, float] | None:
        return spread(get(r) for r in runs.get(name, []))

    for name in ("export", "export-nc", "naive", "migrate", "rerun"):
        if not runs.get(name):
            continue
        row = {
            "wall": med(name, lambda r: r["wall"]),
            "calls": med(name, lambda r: r["total_calls"]),
            "throttled": med(name, lambda r: r["throttled"]),
        }
        if name in ("export", "export-nc", "naive"):
            row["floor"] = med(name, lambda r: r["floor"]["parallel"])
            row["floor_serial"] = med(name, lambda r: r["floor"]["serial"])
            row["bottleneck"] = runs[name][0]["floor"]["bottleneck"]
        else:
            row["floor"] = med(name, lambda r: r["analysis"]["floor"])
            row["floor_serial"] = med(name, lambda r: floors(r["calls"], result["factor"])["serial"])
            row["writes"] = med(name, lambda r: sum(r["writes"].values()))
        if name != "naive":
            row["rss_controller"] = med(name, lambda r: r["rss_mb"]["controller"])
            row["rss_module"] = med(name, lambda r: r["rss_mb"]["module"])
            row["rss_tree"] = med(name, lambda r: r["rss_mb"]["tree"])
            row["rc"] = max(r["rc"] for r in runs[name])
        else:
            row["extrapolated_from"] = runs[name][0].get("extrapolated_from")
        if row["floor"] and row["wall"]:
            row["ratio"] = row["wall"]["median"] / row["floor"]["median"] if row["floor"]["median"] else None
            row["overhead"] = (row["wall"]["median"] - row["floor"]["median"]) / row["wall"]["median"]
        s[name] = row
    if runs.get("export") and runs.get("export-nc"):
        s["lossless"] = all(r.get("with_email") == r.get("users") == result["users"] for r in runs["export"])
    if runs.get("migrate"):

        def a(key: str) -> dict[str, float] | None:
            return med("migrate", lambda r: r["analysis"].get(key))

        s["import"] = {
            key: a(key)
            for key in (
                "create_rate_ratio",
                "users_phase_ratio",
                "users_phase_seconds",
                "throttled_share",
                "failed_items",
                "import_seconds",
                "estimate_error",
                "users_estimate_error",
                "created",
            )
        }
        s["import"]["estimate_seconds"] = med("migrate", lambda r: r["analysis"]["estimate"]["seconds"])
        first = runs["migrate"][0]["analysis"]
        s["import"]["chunk_overhead"] = spread(c["overhead"] for c in first["users_chunks"])
        s["import"]["stages"] = [{k: v for k, v in stage.items() if k != "calls"} for stage in first["stages"]]
    return s


def fmt(value: dict[str, float] | None, digits: int = 1, scale: float = 1.0) -> str:
    if not value:
        return "-"
    med_ = value["median"] * scale
    if value["min"] == value["max"]:
        return f"{med_:.{digits}f}"
    return f"{med_:.{digits}f} ({value['min'] * scale:.{digits}f}-{value['max'] * scale:.{digits}f})"


def table(summaries: list[dict[str, Any]], factor: float) -> str:
    lines = [
        f"AWS rates x {factor:g} (emulator and pacing); time: median (min-max) over the repetitions; "
        "floor: max over APIs of (calls - burst) / rate, a migrate's stages summed; Σ: the serial sum",
        f"{'N':>7} {'scenario':<10}{'calls':>9}{'429s':>6}{'writes':>7} {'time s':<22}{'floor s':>9}{'Σ s':>9}"
        f"{'ratio':>7}{'ovh':>6}{'RSS ctl/mod MB':>16}  notes",
    ]
    for s in summaries:
        for name in ("export", "export-nc", "naive", "migrate", "rerun"):
            row = s.get(name)
            if not row:
                continue
            notes = []
            if name == "naive" and row.get("extrapolated_from"):
                notes.append(f"EXTRAPOLATED from {row['extrapolated_from']} users")
            if name == "naive" and s.get("export") and s.get("export-nc"):
                ours, ours_nc, naive = s["export"], s["export-nc"], row
                notes.append(
                    f"naive/ours calls {naive['calls']['median'] / ours['calls']['median']:.1f}x lossless, "
                    f"{naive['calls']['median'] / ours_nc['calls']['median']:.1f}x no-contact; time "
                    f"{naive['wall']['median'] / ours['wall']['median']:.2f}x, "
                    f"{naive['wall']['median'] / ours_nc['wall']['median']:.2f}x"
                )
            if name.startswith("export") and row.get("bottleneck"):
                notes.append(f"bottleneck {row['bottleneck']}")
            if name == "export" and "lossless" in s:
                notes.append("all e-mails kept" if s["lossless"] else "E-MAILS LOST")
            if name == "migrate" and s.get("import"):
                i = s["import"]
                notes.append(
                    f"CreateUser busy {fmt(i['create_rate_ratio'], 2)} of quota, users phase "
                    f"{fmt(i['users_phase_ratio'], 2)} ({fmt(i['users_phase_seconds'])} s); failed "
                    f"{fmt(i['failed_items'], 0)}; estimate {fmt(i['estimate_seconds'])} s vs import "
                    f"{fmt(i['import_seconds'])} s ({fmt(i['estimate_error'], 0, 100)}%)"
                )
            if name == "rerun" and s.get("export"):
                notes.append(f"time / export {row['wall']['median'] / s['export']['wall']['median']:.2f}")
            if row.get("rc"):
                notes.append(f"rc={row['rc']}")
            rss = (
                f"{row['rss_controller']['median']:.0f}/{row['rss_module']['median']:.0f}"
                if row.get("rss_controller")
                else "-"
            )
            writes_ = f"{row['writes']['median']:.0f}" if row.get("writes") else ("0" if "writes" in row else "-")
            ratio = f"{row['ratio']:.2f}" if row.get("ratio") else "-"
            overhead = f"{row['overhead'] * 100:.0f}%" if row.get("overhead") is not None else "-"
            lines.append(
                f"{s['users']:>7} {name:<10}{row['calls']['median']:>9.0f}{row['throttled']['median']:>6.0f}"
                f"{writes_:>7} {fmt(row['wall']):<22}{fmt(row['floor']):>9}{row['floor_serial']['median']:>9.1f}"
                f"{ratio:>7}{overhead:>6}{rss:>16}  {'; '.join(notes)}"
            )
    return "\n".join(lines)


def check(summaries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each target's value (median over repetitions) at N = 10,000, or at the largest N measured below it."""
    by_n = {s["users"]: s for s in summaries}
    small = [n for n in by_n if n <= LARGE]
    at = by_n[LARGE] if LARGE in by_n else (by_n[max(small)] if small else None)
    values: dict[str, float | None] = dict.fromkeys(TARGETS)
    if at:
        exp, nc, naive = at.get("export"), at.get("export-nc"), at.get("naive")
        mig, rerun, imp = at.get("migrate"), at.get("rerun"), at.get("import") or {}

        def m(x: dict[str, float] | None) -> float | None:
            return x["median"] if x else None

        values["export-floor"] = exp.get("ratio") if exp else None
        if naive and nc:
            values["naive-calls-nc"] = naive["calls"]["median"] / nc["calls"]["median"]
        if naive and exp:
            values["naive-calls"] = naive["calls"]["median"] / exp["calls"]["median"]
        values["import-rate"] = m(imp.get("create_rate_ratio"))
        values["import-throttled"] = m(imp.get("throttled_share"))
        values["import-failed"] = m(imp.get("failed_items"))
        if mig and mig.get("rc"):
            values["import-failed"] = max(values["import-failed"] or 0, 1)
        values["rerun-writes"] = m(rerun.get("writes")) if rerun else None
        if rerun and exp:
            values["rerun-time"] = rerun["wall"]["median"] / exp["wall"]["median"]
        values["users-phase"] = m(imp.get("users_phase_ratio"))
        if mig and mig.get("floor") is not None:
            values["run-floor"] = mig["wall"]["median"] / (1.1 * mig["floor"]["median"] + 30)
        rss = [
            max(row["rss_controller"]["max"], row["rss_module"]["max"])
            for row in (at.get(k) for k in ("export", "export-nc", "migrate", "rerun"))
            if row and row.get("rss_controller")
        ]
        values["rss-10k"] = max(rss) if rss and at["users"] == LARGE else None
        if imp.get("estimate_error"):
            values["estimate"] = abs(imp["estimate_error"]["median"])
    if 50_000 in by_n:
        big = by_n[50_000]
        rss = [
            max(row["rss_controller"]["max"], row["rss_module"]["max"])
            for row in (big.get(k) for k in ("export", "export-nc", "migrate", "rerun"))
            if row and row.get("rss_controller")
        ]
        values["rss-50k"] = max(rss) if rss else None
    out = {}
    for key, (what, op, limit) in TARGETS.items():
        value = values[key]
        holds = None if value is None else _holds(value, op, limit, 0.0)
        out[key] = {"what": what, "value": value, "limit": limit, "op": op, "holds": holds, "at": at and at["users"]}
    return out


def _holds(value: float, op: str, limit: float, margin: float) -> bool:
    if op == "==":
        return value == limit
    if op in ("<=", "<"):
        bound = limit * (1 + margin)
        return value <= bound if op == "<=" else value < bound
    bound = limit * (1 - margin)
    return value >= bound


# ---- chart -----------------------------------------------------------------------------------------------


def chart(results: list[dict[str, Any]], summaries: list[dict[str, Any]], factor: float, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 5.5))
    big = results[-1]
    bars: list[tuple[str, float]] = []
    for name in ("export", "export-nc", "migrate", "rerun"):
        runs = big["runs"].get(name) or []
        if not runs:
            continue
        for api, busy in sorted(runs[0]["busy_rates"].items(), key=lambda kv: -kv[1]["calls"])[:4]:
            bars.append((f"{name}\n{api}", busy.get("steady", busy["rate"]) / quota(api, factor)))
    if bars:
        left.barh([b[0] for b in bars], [b[1] for b in bars], color="tab:blue")
        left.axvline(1.0, color="tab:red", linestyle="--", label="scaled quota")
        left.invert_yaxis()
        left.tick_params(axis="y", labelsize=7)
    left.set_xlabel("achieved rate while calling (steady) / scaled quota")
    left.set_title(f"Achieved rate vs quota per API, N={big['users']} (AWS rates x {factor:g})")
    left.legend(loc="lower right")
    for name, style in (("export", "o-"), ("export-nc", "s-"), ("naive", "x:"), ("migrate", "^-"), ("rerun", "v-")):
        points = [(s["users"], s[name]) for s in summaries if s.get(name)]
        if not points:
            continue
        xs = [p[0] for p in points]
        line = right.plot(xs, [p[1]["wall"]["median"] for p in points], style, label=f"{name} time")[0]
        if name != "rerun":
            right.plot(
                xs,
                [p[1]["floor"]["median"] for p in points],
                "--",
                color=line.get_color(),
                alpha=0.5,
                label=f"{name} floor",
            )
    right.set_xscale("log")
    right.set_yscale("log")
    right.set_xlabel("users (N)")
    right.set_ylabel("seconds (median)")
    right.set_title("Time vs N (dashed: quota floor)")
    right.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# ---- main ------------------------------------------------------------------------------------------------


SCENARIOS = ("export", "export-nc", "naive", "migrate", "rerun")


def parse_scenarios(value: str) -> set[str]:
    chosen = {name.strip() for name in value.split(",") if name.strip()}
    unknown = chosen - set(SCENARIOS)
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown scenarios: {', '.join(sorted(unknown))} (known: {', '.join(SCENARIOS)})"
        )
    return chosen


def parse_enforce(value: str) -> set[str]:
    if value == "default":
        return set(DEFAULT_ENFORCED)
    if value == "none":
        return set()
    if value == "all":
        return set(TARGETS)
    chosen = {v.strip() for v in value.split(",") if v.strip()}
    unknown = chosen - set(TARGETS)
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown targets: {', '.join(sorted(unknown))} (known: {', '.join(TARGETS)})")
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", default="1000,10000,50000", help="comma-separated N")
    parser.add_argument("--factor", type=float, default=50.0, help="AWS's documented rates times this")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of each scenario for N <= 10,000")
    parser.add_argument("--repeat-large", type=int, default=1, help="repetitions for N > 10,000")
    parser.add_argument(
        "--naive-sample", type=int, default=0, help="run the naive export on this many users and extrapolate (0: all)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--enforce", type=parse_enforce, default=set(DEFAULT_ENFORCED), help="default|none|all|ID,ID")
    parser.add_argument("--margin", type=float, default=0.05, help="noise margin of an enforced target")
    parser.add_argument("--keep", action="store_true", help="keep the playbooks' output directories and logs")
    parser.add_argument(
        "--scenarios",
        type=parse_scenarios,
        default=set(SCENARIOS),
        help=f"comma-separated, of {','.join(SCENARIOS)}; a rerun runs the migrate first",
    )
    args = parser.parse_args()
    sizes = [int(n) for n in args.users.split(",") if n.strip()]

    started = time.monotonic()
    stamp = time.strftime("%Y%m%dT%H%M%S")
    args.out.mkdir(parents=True, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix="ccaas-bench-")
    work = Path(scratch)
    results = [measure(n, args, work) for n in sizes]
    summaries = [summarize(r) for r in results]
    verdicts = check(summaries)
    elapsed = time.monotonic() - started

    print()
    print(table(summaries, args.factor))
    print()
    at = next((v["at"] for v in verdicts.values() if v["at"]), None)
    print(f"targets (at N={at}; enforced with a {args.margin:.0%} margin: {', '.join(sorted(args.enforce)) or 'none'})")
    failed = []
    for key, v in verdicts.items():
        value = v["value"]
        shown = "not measured" if value is None else f"{value:.3g}"
        state = {True: "holds", False: "MISSED", None: "n/a"}[v["holds"]]
        enforced = key in args.enforce
        if enforced and value is not None and not _holds(value, v["op"], v["limit"], args.margin):
            failed.append(key)
            state += " (ENFORCED: fails)"
        elif enforced:
            state += " (enforced)"
        print(f"  {key:<17}{state:<26}{shown:>12}  {v['what']}")
    print(f"\nbench: {elapsed:.0f} s in all")

    document = {
        "started": stamp,
        "seconds": round(elapsed, 1),
        "factor": args.factor,
        "argv": sys.argv[1:],
        "targets": verdicts,
        "enforced": sorted(args.enforce),
        "margin": args.margin,
        "summaries": summaries,
        "results": results,
    }
    json_path = args.out / f"bench-{stamp}.json"
    json_path.write_text(json.dumps(document, indent=1, default=str))
    png_path = args.out / f"bench-{stamp}.png"
    chart(results, summaries, args.factor, png_path)
    print(f"bench: {json_path}\nbench: {png_path}")
    if args.keep:
        print(f"bench: logs and outputs kept in {work}")
    else:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    if failed:
        print(f"bench: enforced targets missed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
