# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Preflight: what an import of a mapped bundle will do to a target, decided before the first write.

One read pass of the target (`Target`, each type read once) feeds:
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
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._executor import Call, ItemPlan
from ._mapping import BUNDLE_KEY_OF, TYPE_OF, BundleMapping, map_bundle
from ._planner import Planner
from ._quota_table import INSTANCE_QUOTA_ALIASES, INSTANCE_QUOTAS
from ._ratelimit import RateLimiter
from ._resources import HIERARCHY_LEVELS, RESOURCE_TYPES
from ._target import Target

READ_PREFIXES = ("Search", "List", "Describe", "Get")


@dataclass(frozen=True)
class Phase:
    """One step of the import: a type, and which of its keys that step writes."""

    name: str  # as the import role names its task
    bundle_key: str
    only_keys: tuple[str, ...] | None = None  # None: the whole entry
    without_keys: tuple[str, ...] = ()
    chunked: bool = True  # written in chunks of chunk_size items, one task each


PHASES = (
    Phase("hours of operation", "hours_of_operations"),
    Phase("security profiles", "security_profiles"),
    # Groups name their parents: one task, parents first within it.
    Phase("user hierarchy", "user_hierarchy", chunked=False),
    # Queues first without their quick connects, which need the users and queues created after them.
    Phase("queues", "queues", without_keys=("quick_connects",)),
    Phase("routing profiles", "routing_profiles"),
    Phase("users", "users"),
    Phase("quick connects", "quick_connects"),
    Phase("queue quick connects", "queues", only_keys=("name", "quick_connects")),
)


def phase_items(phase: Phase, resources: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The entries a phase writes, exactly as the import role passes them."""
    value = resources.get(phase.bundle_key)
    entries = (value or {}).get("groups", []) if phase.bundle_key == "user_hierarchy" else (value or [])
    if phase.only_keys is not None:
        return [{k: e[k] for k in phase.only_keys if k in e} for e in entries if "quick_connects" in e]
    return [{k: v for k, v in e.items() if k not in phase.without_keys} for e in entries]


class Snapshot(Target):
    """A phase's own view of the target: the one read pass, plus what earlier phases create."""

    def __init__(self, base: Target) -> None:
        super().__init__(base.client, base.instance_id)
        self.base = base

    def records(self, key: str) -> dict[str, dict[str, Any]]:
        if key not in self._records:
            self._records[key] = dict(self.base.records(key))
            self._ids[key] = dict(self.base._ids[key])
        return self._records[key]


@dataclass
class PhasePlan:
    phase: Phase
    plans: list[ItemPlan]
    tasks: int = 1  # chunks

    def outcomes(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {"created": [], "updated": [], "unchanged": [], "deleted": [], "failed": []}
        for plan in self.plans:
            out["failed" if plan.error else plan.action].append(plan.name)
        return out

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


def plan_phases(target: Target, resources: Mapping[str, Any], chunk_size: int) -> list[PhasePlan]:
    """Plan every phase as the import will run it, each seeing what the earlier ones create."""
    out: list[PhasePlan] = []
    created_before: dict[str, list[str]] = {}
    for phase in PHASES:
        if phase.bundle_key not in resources:
            continue
        type_key = TYPE_OF.get(phase.bundle_key, phase.bundle_key)
        rtype = RESOURCE_TYPES[type_key]
        items = phase_items(phase, resources)
        view = Snapshot(target)
        for key, identities in created_before.items():
            for identity in identities:
                view.assume(key, identity)
        plans: list[ItemPlan] = []
        if phase.bundle_key == "user_hierarchy":
            plans += hierarchy_levels_plan(view, (resources.get("user_hierarchy") or {}).get("levels"))
        plans += Planner(rtype, view).plan(items)
        tasks = math.ceil(len(items) / max(1, chunk_size)) if phase.chunked else 1
        out.append(PhasePlan(phase, plans, tasks))
        created_before.setdefault(type_key, []).extend(
            p.name for p in plans if p.action == "created" and not p.error and p.key != "hierarchy levels"
        )
    return out


def hierarchy_levels_plan(target: Target, levels: list[str] | None) -> list[ItemPlan]:
    """The level names, as connect_user_hierarchy plans them (one UpdateUserHierarchyStructure)."""
    if not levels:
        return []
    current = target.client.describe_user_hierarchy_structure(InstanceId=target.instance_id)["HierarchyStructure"]
    now = [current[level]["Name"] for level in HIERARCHY_LEVELS if (current.get(level) or {}).get("Name")]
    if now[: len(levels)] == list(levels):
        return [ItemPlan("hierarchy levels", "levels", "unchanged")]
    call = Call("UpdateUserHierarchyStructure", {"InstanceId": target.instance_id})
    return [ItemPlan("hierarchy levels", "levels", "updated", [call])]


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
    target: Target, phases: list[PhasePlan], resources: Mapping[str, Any], limits: Mapping[str, int]
) -> list[dict[str, Any]]:
    """Per quota: the limit, what the target holds, what the import adds, and whether that exceeds it."""
    creating: Counter[str] = Counter()
    for phase_plan in phases:
        type_key = TYPE_OF.get(phase_plan.phase.bundle_key, phase_plan.phase.bundle_key)
        creating[type_key] += len(phase_plan.outcomes()["created"])
    rows = []
    for type_key in ("hours_of_operations", "security_profiles", "user_hierarchy_groups", "queues", "routing_profiles",
                     "users", "quick_connects"):  # fmt: skip
        if BUNDLE_KEY_OF.get(type_key, type_key) not in resources:
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


def estimate(phases: list[PhasePlan], limiter: RateLimiter, target: Target) -> dict[str, Any]:
    """Seconds per phase at the paced rates: per API, its calls over its rate; the slowest API bounds
    the phase. Each task of a phase (a chunk) first reads the types it resolves. No burst is counted:
    the import role starts every task's buckets empty (api_bucket_start), as the task before it may
    have drained Amazon's."""
    rows = []
    total = 0.0
    counts = {key: len(target.records(key)) for key in RESOURCE_TYPES if key in target._records}
    for phase_plan in phases:
        calls = phase_plan.calls()
        type_key = TYPE_OF.get(phase_plan.phase.bundle_key, phase_plan.phase.bundle_key)
        rtype = RESOURCE_TYPES[type_key]
        for key in {type_key, *rtype.referenced_types()}:
            read = RESOURCE_TYPES[key].read
            if key not in counts:
                continue
            pages = max(1, math.ceil(counts[key] / read.max_results)) if read.max_results else 1
            calls[read.api] += pages * phase_plan.tasks
        seconds: dict[str, float] = {}
        for api, n in calls.items():
            if not limiter.enabled:
                seconds[api] = 0.0
                continue
            rate, _burst = limiter.rate_for(api)
            seconds[api] = n / rate
        slowest = max(seconds, key=lambda a: seconds[a]) if seconds else None
        phase_seconds = seconds[slowest] if slowest else 0.0
        total += phase_seconds
        rows.append(
            {
                "phase": phase_plan.phase.name,
                "tasks": phase_plan.tasks,
                "calls": dict(sorted(calls.items())),
                "writes": sum(n for api, n in calls.items() if not api.startswith(READ_PREFIXES)),
                "seconds": round(phase_seconds, 1),
                "bottleneck": slowest,
            }
        )
        counts[type_key] = counts.get(type_key, 0) + len(phase_plan.outcomes()["created"])
    return {"seconds": round(total, 1), "phases": rows, "paced": limiter.enabled}


def run_preflight(
    target: Target,
    resources: Mapping[str, Any],
    *,
    include: list[str] | None = None,
    phone_map: Mapping[str, str] | None = None,
    flow_map: Mapping[str, str] | None = None,
    on_unmapped: str = "fail",
    target_quotas: Mapping[str, Any] | None = None,
    limiter: RateLimiter | None = None,
    chunk_size: int = 500,
) -> Preflight:
    mapping, mapping_problems = map_bundle(target, resources, include, phone_map, flow_map, on_unmapped)
    phases = plan_phases(target, mapping.resources, chunk_size)
    limits, quota_problems = quota_limits(target_quotas)
    quotas = check_quotas(target, phases, mapping.resources, limits)
    blocking = list(quota_problems) + list(mapping_problems)
    blocking += [quota_problem(row) for row in quotas if row["exceeded"]]
    if on_unmapped == "fail":
        for kind, entries in mapping.unmapped().items():
            title = RESOURCE_TYPES[kind].title
            for entry in entries:
                users = entry["used_by"]
                shown = ", ".join(users[:3]) + (f" and {len(users) - 3} more" if len(users) > 3 else "")
                blocking.append(f"{title} '{entry['source']}' is not in the target (used by {shown})")
    result = Preflight(mapping, phases, quotas, mapping_problems=mapping_problems)
    result.estimate = estimate(phases, limiter or RateLimiter(), target)
    result.blocking = blocking
    return result


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
