# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Preflight: what an import of a mapped bundle will do to a target, decided before the first write.

One read pass of the target (`Reader`, each type read once) feeds:
- the mapping (`_mapping`): flows, phone numbers, instance defaults, types not imported;
- the plan of every phase of the import, in its order, with the same planner the write modules use
  and the same rule their dry run follows: what an earlier phase creates counts as there;
- the resource quotas the import would exceed (`_quota_table.INSTANCE_QUOTAS`, overridable per
  instance because Amazon raises them per instance);
- the estimated duration at the target's API quotas: per phase, the planned calls of each API over
  its rate (its burst comes free), the slowest API of the phase bounding it because the thread pool
  keeps every API's bucket busy at once; phases run one after the other, so their times add up.

Nothing here writes; a blocking problem (a quota exceeded, a reference nothing maps while
`on_unmapped=fail`, a phone mapping that names a number the target lacks) is returned for the play
to stop on.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import _prompts
from ._bundle import REGION
from ._executor import Call, ItemPlan
from ._mapping import BundleMapping, flow_map_problems, integration_map_problems, map_bundle, phone_map_problems
from ._planner import Planner
from ._quota_table import INSTANCE_QUOTA_ALIASES, INSTANCE_QUOTAS
from ._ratelimit import RateLimiter
from ._reader import Reader, title_of
from ._resources import CREATE_ORDER, HIERARCHY_LEVELS, IMPORT_PHASES, RESOURCE_TYPES, Phase

READ_PREFIXES = ("Search", "List", "Describe", "Get")


@dataclass
class PhasePlan:
    phase: Phase
    plans: list[ItemPlan]
    tasks: int = 1  # chunks
    count: int = 0  # items
    size: int = 500  # items per chunk
    # Per-item reads (lists, Describe*) planning the phase's items makes: by the import's tasks, of the items the
    # target already holds; by the verify after it, of every item.
    reads: Counter[str] = field(default_factory=Counter)
    verify_reads: Counter[str] = field(default_factory=Counter)
    # The same for the items the plan writes only: a verify given the preflight's read reads no more.
    verify_reads_written: Counter[str] = field(default_factory=Counter)

    def outcomes(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {"created": [], "updated": [], "unchanged": [], "deleted": [], "failed": []}
        for plan in self.plans:
            out["failed" if plan.error else plan.action].append(plan.name)
        return out

    def chunk_items(self, chunk: int) -> int:
        """How many of the phase's items the given chunk (from 1) holds."""
        if not self.phase.chunked:
            return self.count
        return max(0, min(self.size, self.count - (chunk - 1) * self.size))

    def calls(self) -> Counter[str]:
        return Counter(call.api for plan in self.plans if not plan.error for call in plan.calls)


@dataclass
class Preflight:
    mapping: BundleMapping
    phases: list[PhasePlan]
    quotas: list[dict[str, Any]] = field(default_factory=list)
    estimate: dict[str, Any] = field(default_factory=dict)
    blocking: list[str] = field(default_factory=list)
    mapping_problems: list[str] = field(default_factory=list)


def plan_phases(
    target: Reader, resources: Mapping[str, Any], chunk_size: int, *, from_preflight: bool = False
) -> list[PhasePlan]:
    """Plan every phase as the import will run it, each seeing what the earlier ones create. With
    `from_preflight` (the import takes a phase's own type from the preflight's read), a phase's chunks are
    as large as they can be while none holds more than `chunk_size` items with work to do (chunk_size_for)."""
    out: list[PhasePlan] = []
    created: dict[str, list[str]] = {}
    for phase in IMPORT_PHASES:
        if phase.rtype.bundle_key not in resources:
            continue
        items = phase.items(resources)
        plans = plan_phase(target, phase, resources, items, created)
        size = max(1, chunk_size)
        if phase.chunked and from_preflight and reads_own_type_from_preflight(phase):
            size = chunk_size_for(phase, items, plans, size)
        tasks = math.ceil(len(items) / size) if phase.chunked else 1
        planner = Planner(phase.rtype, target)
        reads = _per_api(planner.reads_ahead(items))
        verify_reads: Counter[str] = Counter()
        verify_reads_written: Counter[str] = Counter()
        if phase.second_pass is None:
            verify_reads = _per_api(planner.reads_ahead(items, all_exist=True))
            same = {p.name for p in plans if p.action == "unchanged"}
            identity = phase.rtype.identity_key
            written = [item for item in items if str(item.get(identity)) not in same]
            verify_reads_written = _per_api(planner.reads_ahead(written, all_exist=True))
        out.append(PhasePlan(phase, plans, tasks, len(items), size, reads, verify_reads, verify_reads_written))
        created.setdefault(phase.type_key, []).extend(
            p.name for p in plans if p.action == "created" and not p.error and p.key != STRUCTURE_KEY
        )
    return out


def chunk_size_for(phase: Phase, items: list[dict[str, Any]], plans: list[ItemPlan], chunk_size: int) -> int:
    """The phase's items per task: the fewest equal chunks of which none holds more than `chunk_size` items
    the import writes. An item the target already holds as the bundle has it costs its task nothing when the
    task takes the phase's type and per-item reads from the preflight's read (the import role's
    preflight_snapshot); only a task's start-up, 1.4 s or more, which a rerun of 10,000 users in chunks of
    500 paid twenty times over for no write. Equal chunks, cut in the bundle's order, so the module cuts
    them from `chunk` and `chunk_size` alone; writes bunched together (a resumed run's second half) keep
    chunks of `chunk_size`. A chunk holds at most MAX_AUTO_CHUNK_SIZE items (or `chunk_size`, if larger), so
    a task's memory does not grow with the phase."""
    identity = phase.rtype.identity_key
    idle = {plan.name for plan in plans if plan.action == "unchanged" and not plan.error}
    busy = [0]
    for item in items:
        busy.append(busy[-1] + (str(item.get(identity)) not in idle))
    count = len(items)
    fewest = math.ceil(count / max(chunk_size, MAX_AUTO_CHUNK_SIZE)) or 1
    for chunks in range(fewest, math.ceil(count / chunk_size) + 1):
        size = math.ceil(count / chunks)
        if all(busy[min(count, i + size)] - busy[i] <= chunk_size for i in range(0, count, size)):
            return max(chunk_size, size)
    return chunk_size


def _per_api(reads: list[tuple[Any, Any, list[str]]]) -> Counter[str]:
    """How many calls of each API a planner's reads ahead (Planner.reads_ahead) are."""
    out: Counter[str] = Counter()
    for sub, describe, ids in reads:
        out[(sub or describe).api] += len(ids)
    return out


def reads_own_type_from_preflight(phase: Phase) -> bool:
    """Whether a phase's first task may take its own type, and its items' per-item reads, from the
    preflight's read of the target (connect_preflight's snapshot): when no earlier phase writes that type,
    the target holds of it what the preflight read (the run holds the lease). A second pass's type was
    written by its first pass; the types a phase references are written by earlier phases: read afresh."""
    return all(before.type_key != phase.type_key for before in IMPORT_PHASES[: IMPORT_PHASES.index(phase)])


def earlier_items(phase: Phase, resources: Mapping[str, Any]) -> dict[str, list[str]]:
    """The identities the phases before `phase` write, by type: what a dry run of it takes as there."""
    out: dict[str, list[str]] = {}
    for before in IMPORT_PHASES[: IMPORT_PHASES.index(phase)]:
        identity = before.rtype.identity_key
        out.setdefault(before.type_key, []).extend(str(e[identity]) for e in before.items(resources) if e.get(identity))
    return out


def plan_phase(
    target: Reader,
    phase: Phase,
    resources: Mapping[str, Any],
    items: list[dict[str, Any]],
    assumed: Mapping[str, list[str]],
    *,
    with_structure: bool = True,
    state: str = "present",
    secrets: Mapping[str, str] | None = None,
    purge_tags: bool = True,
) -> list[ItemPlan]:
    """The plans of one phase's items (a whole phase, or one chunk of it) in a view of the target
    that takes the `assumed` items (by type) as there. The preflight and the import both plan here."""
    view = target.overlay()  # the one read pass, plus what the earlier phases write
    for key, identities in assumed.items():
        for identity in identities:
            view.assume(key, identity)
    plans = structure_plan(view, phase.structure(resources)) if with_structure else []
    return plans + Planner(phase.rtype, view, purge_tags=purge_tags).plan(items, state, dict(secrets or {}))


STRUCTURE_KEY = "hierarchy levels"


def structure_plan(target: Reader, levels: list[str] | None) -> list[ItemPlan]:
    """The hierarchy's level names, written before any group: a group's level exists only once it
    has a name. One UpdateUserHierarchyStructure, or nothing when the target already has them."""
    if levels is None:
        return []
    if not 1 <= len(levels) <= len(HIERARCHY_LEVELS):
        return [ItemPlan(STRUCTURE_KEY, "levels", "failed", error="levels takes one to five names")]
    now = target.hierarchy_levels()
    if now[: len(levels)] == list(levels):
        return [ItemPlan(STRUCTURE_KEY, "levels", "unchanged", wave=-1)]
    structure = {level: {"Name": name} for level, name in zip(HIERARCHY_LEVELS, levels, strict=False)}
    call = Call("UpdateUserHierarchyStructure", {"InstanceId": target.instance_id, "HierarchyStructure": structure})
    diff = {"before": {"levels": now}, "after": {"levels": list(levels)}}
    return [ItemPlan(STRUCTURE_KEY, "levels", "updated", [call], diff, wave=-1)]


# ---- inputs, before the first call ---------------------------------------------------------------


def option_problems(
    *,
    chunk_size: Any,
    regions: Mapping[str, Any],
    phone_map: Any = None,
    flow_map: Any = None,
    integration_map: Any = None,
) -> list[str]:
    """What is wrong with a preflight's options, each naming its option: nothing here calls Amazon,
    so a bad value is refused before the first read instead of showing up as retried errors."""
    problems = []
    if chunk_size != "auto" and (not isinstance(chunk_size, int) or isinstance(chunk_size, bool) or chunk_size < 1):
        problems.append(f"chunk_size: must be a whole number of at least 1, or auto, not {chunk_size!r}")
    for option, region in regions.items():
        # An unset region is left to boto3 (the AWS environment); a set one must look like a region.
        if region is not None and not (isinstance(region, str) and re.match(REGION, region)):
            problems.append(f"{option}: {str(region)[:60]!r} is not an AWS region name (such as eu-west-2)")
    problems += phone_map_problems(phone_map)
    problems += flow_map_problems(flow_map)
    problems += integration_map_problems(integration_map)
    return problems


def same_instance(target: Mapping[str, Any], source: Mapping[str, Any]) -> bool:
    """Whether two described instances are one (their ARNs hold account, region and ID)."""
    if target.get("Arn") and source.get("Arn"):
        return target["Arn"] == source["Arn"]
    return target.get("Id") == source.get("Id")


# ---- quotas ----------------------------------------------------------------------------------------


def quota_limits(overrides: Mapping[str, Any] | None) -> tuple[dict[str, int], list[str]]:
    limits = {key: default for key, (_name, _code, default) in INSTANCE_QUOTAS.items()}
    problems = []
    for name, value in (overrides or {}).items():
        key = INSTANCE_QUOTA_ALIASES.get(str(name).lower(), str(name))
        if key not in limits:
            problems.append(f"target_quotas: unknown quota '{name}'; known: {', '.join(INSTANCE_QUOTAS)}")
            continue
        try:
            limits[key] = int(value)
        except (TypeError, ValueError):
            problems.append(f"target_quotas.{name} must be a whole number, not {value!r}")
    return limits, problems


def check_quotas(
    target: Reader, phases: list[PhasePlan], resources: Mapping[str, Any], limits: Mapping[str, int]
) -> list[dict[str, Any]]:
    """Per quota: the limit, what the target holds, what the import adds, and whether that exceeds it."""
    creating: Counter[str] = Counter()
    for phase_plan in phases:
        creating[phase_plan.phase.type_key] += len(phase_plan.outcomes()["created"])
    rows = []
    for type_key in CREATE_ORDER:
        if RESOURCE_TYPES[type_key].bundle_key not in resources or type_key not in INSTANCE_QUOTAS:
            continue
        name, code, _default = INSTANCE_QUOTAS[type_key]
        existing = len([r for r in target.records(type_key).values() if not r.get("planned")])
        after = existing + creating[type_key]
        rows.append(
            {
                "quota": name,
                "code": code,
                "type": type_key,
                "limit": limits[type_key],
                "existing": existing,
                "creating": creating[type_key],
                "after": after,
                "exceeded": after > limits[type_key],
            }
        )
    per_item = (
        ("routing_profiles", "queue_configs", "queues_per_routing_profile", "queue/channel combinations"),
        ("queues", "quick_connects", "quick_connects_per_queue", "quick connects"),
    )
    for bundle_key, list_key, quota_key, what in per_item:
        name, code, _default = INSTANCE_QUOTAS[quota_key]
        for item in resources.get(bundle_key) or []:
            count = len(item.get(list_key) or [])
            if count > limits[quota_key]:
                rows.append(
                    {
                        "quota": name,
                        "code": code,
                        "type": bundle_key,
                        "item": item.get("name"),
                        "limit": limits[quota_key],
                        "after": count,
                        "exceeded": True,
                        "what": what,
                    }
                )
    return rows


def quota_problem(row: Mapping[str, Any]) -> str:
    code = f" (Service Quotas code {row['code']})" if row.get("code") else ""
    if row.get("item"):
        return (
            f"quota '{row['quota']}'{code}: {row['type'][:-1].replace('_', ' ')} {row['item']} has {row['after']} "
            f"{row['what']}, the limit is {row['limit']}"
        )
    return (
        f"quota '{row['quota']}'{code}: the target has {row['existing']}, the import creates {row['creating']}, "
        f"{row['after']} exceeds the limit of {row['limit']}; raise it (or state a raised quota with target_quotas)"
    )


# ---- duration ----------------------------------------------------------------------------------------


# Seconds each Ansible task costs before its first call and after its last: Ansible's task start, the module's
# process and imports, DescribeInstance, the lease check, the mapped bundle parsed, the ledger, the result. Measured
# with make bench-quick on a 2-core machine against the emulator: 1.45 s per import task with 1,000 users in the
# bundle and 1.9 s with 10,000 (the bundle every task parses), so a fixed part and a part per 1,000 items
# (docs/migrate.md, "The estimate"). The part per 1,000 items is mostly each phase's own work in the task (its
# read of the target and of earlier runs' ledgers, its plan, its results line): a task that runs several small
# phases pays it for each, 0.04 s per 1,000 items per phase (make bench-quick at 10,000 users: 0.4-0.6 s a
# phase inside a shared task), the rest (the bundle parsed) once a task.
TASK_STARTUP_SECONDS = 1.4
TASK_SECONDS_PER_1000_ITEMS = 0.01
PHASE_SECONDS_PER_1000_ITEMS = 0.04


def task_seconds(bundle_items: int) -> float:
    """What one import task costs beside its calls and its phases' work, for a mapped bundle of this many items."""
    return TASK_STARTUP_SECONDS + TASK_SECONDS_PER_1000_ITEMS * bundle_items / 1000


def phase_seconds(bundle_items: int) -> float:
    """What running one phase in a task costs beside its calls, for a mapped bundle of this many items."""
    return PHASE_SECONDS_PER_1000_ITEMS * bundle_items / 1000


# `chunk_size: auto`: chunks big enough that a task's start-up is at most this share of the time its items take at
# the CreateUser quota, and never fewer items than the fixed default, nor more than the largest.
CHUNK_OVERHEAD_SHARE = 0.02
DEFAULT_CHUNK_SIZE = 500
MAX_AUTO_CHUNK_SIZE = 10_000


def auto_chunk_size(limiter: RateLimiter) -> int:
    """Items per import task for `chunk_size: auto`. At Amazon's default 2 CreateUser a second, 500 users take
    250 s and a task's second of start-up is 0.4% of that; at quotas raised 20 times, 500 users take 12.5 s
    and it would be 8%, so chunks grow with the rate (2,000 at 40/s) until the start-up is 2% of a chunk.
    Unpaced, the fixed default: no quota time to weigh it against, and a small chunk resumes sooner."""
    if not limiter.enabled:
        return DEFAULT_CHUNK_SIZE
    rate, _burst = limiter.rate_for("CreateUser")
    wanted = math.ceil(TASK_STARTUP_SECONDS / CHUNK_OVERHEAD_SHARE * rate)
    return max(DEFAULT_CHUNK_SIZE, min(MAX_AUTO_CHUNK_SIZE, wanted))


def estimate(
    phases: list[PhasePlan], limiter: RateLimiter, target: Reader, *, from_preflight: bool = False
) -> dict[str, Any]:
    """Seconds per phase at the paced rates: per API, its calls over its rate; the slowest API bounds
    the phase (writes run on a thread pool, per-item reads in a lane per API). A phase's first task reads
    the types it resolves, which its other tasks (chunks) reuse (the import role's snapshot); each task
    reads the lists and Describe* of its items the target already holds, and costs `task_seconds` beside
    its calls. No burst is counted: the import
    role starts every task's buckets empty (api_bucket_start), as the task before it may have drained
    Amazon's. With `from_preflight` (the preflight keeps its read for the import) a phase whose own type
    no earlier phase writes reads neither that type nor its items' per-item reads
    (reads_own_type_from_preflight). `verify` is the check after the import: every imported type read
    again, and each item's per-item reads, type after type (with `from_preflight`, only those of the items
    the plan writes: the verify of a migration takes the others' from the preflight's read)."""
    rows = []
    total = 0.0
    counts = {key: len(target.records(key)) for key in RESOURCE_TYPES if target.has_read(key)}

    def pages(key: str) -> int:
        read = RESOURCE_TYPES[key].read
        return max(1, math.ceil(counts.get(key, 0) / read.max_results)) if read.max_results else 1

    def slowest(calls: Mapping[str, int]) -> tuple[str | None, float]:
        seconds = {api: n / limiter.rate_for(api)[0] if limiter.enabled else 0.0 for api, n in calls.items()}
        api = max(seconds, key=lambda a: seconds[a]) if seconds else None
        return api, seconds[api] if api else 0.0

    bundle_items = sum(p.count for p in phases if p.phase.second_pass is None)
    per_task, per_phase = task_seconds(bundle_items), phase_seconds(bundle_items)
    # A phase's share of the tasks' start-up: its chunks, or its part of a task it shares with other phases.
    share: dict[int, float] = {}
    for group in task_groups(phases):
        for plan, _chunk in group:
            share[id(plan)] = share.get(id(plan), 0.0) + 1 / len(group)
    for phase_plan in phases:
        type_key = phase_plan.phase.type_key
        rtype = phase_plan.phase.rtype
        kept = from_preflight and reads_own_type_from_preflight(phase_plan.phase)
        calls = phase_plan.calls() + (Counter() if kept else phase_plan.reads)
        for key in {type_key, *rtype.referenced_types()} - ({type_key} if kept else set()):
            if key in counts:  # read by the phase's first task, kept for the others (PhaseSnapshot)
                calls[RESOURCE_TYPES[key].read.api] += pages(key)
        bottleneck, seconds = slowest(calls)
        phase_total = seconds + share.get(id(phase_plan), 0.0) * per_task + phase_plan.tasks * per_phase
        total += phase_total
        rows.append(
            {
                "phase": phase_plan.phase.name,
                "tasks": phase_plan.tasks,
                "calls": dict(sorted(calls.items())),
                "writes": sum(n for api, n in calls.items() if not api.startswith(READ_PREFIXES)),
                "seconds": round(phase_total, 1),
                "bottleneck": bottleneck,
            }
        )
        counts[type_key] = counts.get(type_key, 0) + len(phase_plan.outcomes()["created"])
    verify_calls: Counter[str] = Counter()
    verify_seconds = per_task + per_phase
    for phase_plan in phases:
        if phase_plan.phase.second_pass is not None:
            continue
        read = RESOURCE_TYPES[phase_plan.phase.type_key].read
        listing = Counter({read.api: pages(phase_plan.phase.type_key)})
        details = phase_plan.verify_reads_written if from_preflight else phase_plan.verify_reads
        verify_calls += listing + details
        verify_seconds += slowest(listing)[1] + slowest(details)[1]
    return {
        "seconds": round(total, 1),
        "phases": rows,
        "verify": {"seconds": round(verify_seconds, 1), "calls": dict(sorted(verify_calls.items()))},
        "task_startup_seconds": round(per_task, 2),
        "phase_seconds": round(per_phase, 3),
        "paced": limiter.enabled,
    }


def run_preflight(
    target: Reader,
    resources: Mapping[str, Any],
    *,
    include: list[str] | None = None,
    phone_map: Mapping[str, str] | None = None,
    flow_map: Mapping[str, str] | None = None,
    on_unmapped: str = "fail",
    target_quotas: Mapping[str, Any] | None = None,
    limiter: RateLimiter | None = None,
    chunk_size: int = 500,
    integration_map: Mapping[str, str] | None = None,
    update_default_flows: bool = False,
    prompt_audio: Mapping[str, Any] | None = None,
    assume_numbers: list[str] | None = None,
    kept_for_import: bool = False,
) -> Preflight:
    # Numbers the run will claim before it imports (connect_claim_phone_numbers) count as the target's,
    # under the source's number, so the plan and the dry run treat them as there.
    for number in assume_numbers or []:
        target.assume("phone_numbers", number)
    mapping, mapping_problems = map_bundle(
        target, resources, include, phone_map, flow_map, on_unmapped, integration_map, update_default_flows
    )
    # The S3 URI each prompt to create will be made from (prompt_bucket, prompt_prefix), in the plan and the
    # mapped bundle alike, so the import creates what the plan says.
    prompts = mapping.resources.get("prompts") or []
    _prompts.stage(prompts, prompt_audio or {})
    phases = plan_phases(target, mapping.resources, chunk_size, from_preflight=kept_for_import)
    by_name = {item["name"]: item for item in prompts}
    for phase in phases:
        if phase.phase.type_key == "prompts" and phase.phase.second_pass is None:
            for plan in phase.plans:
                problem = _prompts.missing_audio(by_name.get(plan.name, {}), prompt_audio or {})
                if plan.action == "created" and not plan.error and problem:
                    mapping_problems.append(f"prompt {plan.name}: {problem}")
    limits, quota_problems = quota_limits(target_quotas)
    quotas = check_quotas(target, phases, mapping.resources, limits)
    blocking = list(quota_problems) + list(mapping_problems)
    blocking += [quota_problem(row) for row in quotas if row["exceeded"]]
    if on_unmapped == "fail":
        for kind, entries in mapping.unmapped().items():
            title = title_of(kind)
            for entry in entries:
                users = entry["used_by"]
                shown = ", ".join(users[:3]) + (f" and {len(users) - 3} more" if len(users) > 3 else "")
                blocking.append(f"{title} '{entry['source']}' is not in the target (used by {shown})")
    result = Preflight(mapping, phases, quotas, mapping_problems=mapping_problems)
    result.estimate = estimate(phases, limiter or RateLimiter(), target, from_preflight=kept_for_import)
    result.blocking = blocking
    return result


def _secret_of(phase: Phase) -> dict[str, str] | None:
    rtype = phase.rtype
    if phase.second_pass is not None or not rtype.write.secret_key:
        return None
    return {"section": rtype.bundle_key, "identity": rtype.identity_key, "key": rtype.write.secret_key}


def task_groups(phases: list[PhasePlan]) -> list[list[tuple[PhasePlan, int]]]:
    """The import's tasks, in order: each a list of (phase, chunk). A phase of several chunks runs a task per
    chunk; consecutive phases of one chunk share a task while their items fit in one chunk and at most one of
    them carries secrets (the task is given one bundle section's passwords). A task costs its start-up
    (task_seconds) whatever it holds, which for twenty small phases was most of a small import."""
    groups: list[list[tuple[PhasePlan, int]]] = []
    room = 0
    for plan in phases:
        if plan.tasks == 0:
            continue  # nothing to import: no task
        if plan.tasks != 1:
            groups += [[(plan, chunk)] for chunk in range(1, plan.tasks + 1)]
            room = 0
            continue
        items = plan.chunk_items(1)
        secret = _secret_of(plan.phase) is not None
        last = groups[-1] if groups and room else None
        if last is not None and items <= room and not (secret and any(_secret_of(p.phase) for p, _c in last)):
            last.append((plan, 1))
            room -= items
        else:
            groups.append([(plan, 1)])
            room = plan.size - items
    return groups


def import_steps(phases: list[PhasePlan]) -> list[dict[str, Any]]:
    """The import's tasks, in order (task_groups), each a loop item for connect_import."""
    steps = []
    for group in task_groups(phases):
        steps.append(
            {
                "phase": ", ".join(plan.phase.name for plan, _chunk in group),
                "phases": [plan.phase.name for plan, _chunk in group],
                "type": ", ".join(dict.fromkeys(plan.phase.type_key for plan, _chunk in group)),
                "chunk": group[0][1],
                "of": group[0][0].tasks,
                "size": group[0][0].size,  # the chunk size the task cuts its phase with
                "items": sum(plan.chunk_items(chunk) for plan, chunk in group),
                # Where the task's items may carry a secret (a new user's password) that the mapped bundle leaves
                # out: the task then takes it from the bundle as given. None: they carry none.
                "secret": next(filter(None, (_secret_of(plan.phase) for plan, _chunk in group)), None),
            }
        )
    return steps


def summary(result: Preflight) -> dict[str, Any]:
    """Per type, what the import will create, update and leave alone (names), and what fails already."""
    plan: dict[str, dict[str, Any]] = {}
    for phase_plan in result.phases:
        outcomes = phase_plan.outcomes()
        failed = [{"name": p.name, "reason": p.error} for p in phase_plan.plans if p.error]
        plan[phase_plan.phase.name] = {
            "create": outcomes["created"],
            "update": outcomes["updated"],
            "unchanged": outcomes["unchanged"],
            "failed": failed,
            "calls": dict(sorted(phase_plan.calls().items())),
        }
    return plan
