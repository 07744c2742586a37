# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Verify a target against a bundle: the target matches when the import's plan for it is empty.

Verification does not compare records its own way: it asks the planner (_planner.py) what an import
of the bundle would still write, reading the target once per type exactly as an import does, and
turns that plan into findings. An item the plan would create is missing; an item it would update
differs, field by field (the planner's diff, in the bundle's words); an item whose references the
target lacks is unresolved. So "verify passes" and "a rerun of the import writes nothing" are the
same statement, and a field the import learns to write is verified without a change here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ._files import read_lines
from ._ledger import read_ledger
from ._planner import Planner
from ._reader import Reader, title_of
from ._resources import IMPORT_ORDER, RESOURCE_CHOICES, RESOURCE_TYPES

# Verification checks, by default, every type an import writes.
IMPORTED_TYPES = IMPORT_ORDER
MAX_LISTED = 20  # differences spelled out in a failure message; the result holds them all


@dataclass(frozen=True)
class Difference:
    type: str
    name: str
    field: str
    expected: Any
    actual: Any

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("type", "name", "field", "expected", "actual")}


def bundle_items(resources: Mapping[str, Any], choice: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """(resource type key, the bundle's items of it) for one `resources` choice."""
    if choice == "user_hierarchy":
        return [("user_hierarchy_groups", list((resources.get("user_hierarchy") or {}).get("groups") or []))]
    return [(key, list(resources.get(key) or [])) for key in RESOURCE_CHOICES[choice]]


def field_differences(kind: str, name: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Difference]:
    """The planner's diff of one item as one difference per field; a structure's members one by one."""
    found = []
    for key in sorted(set(before) | set(after), key=lambda k: (k == "tags", k)):
        expected, actual = after.get(key), before.get(key)
        if isinstance(expected, dict) and isinstance(actual, dict | None):
            actual = actual or {}
            members = sorted(set(expected) | (set(actual) if key == "tags" else set()))
            found += [
                Difference(kind, name, f"{key}.{m}", expected.get(m), actual.get(m))
                for m in members
                if expected.get(m) != actual.get(m)
            ]
        else:
            found.append(Difference(kind, name, key, expected, actual))
    return found


def verify_levels(target: Reader, levels: list[str] | None) -> list[Difference]:
    if levels is None:
        return []
    now = target.hierarchy_levels()
    if now[: len(levels)] == list(levels):
        return []
    return [Difference("user_hierarchy", "levels", "levels", list(levels), now)]


def verify(
    target: Reader,
    resources: Mapping[str, Any],
    choices: Iterable[str] = IMPORTED_TYPES,
    unchanged: Mapping[str, set[str]] | None = None,
) -> dict[str, Any]:
    """Findings per type and overall; `ok` is true when the target holds every item as the bundle says.

    Every type is listed afresh. `unchanged` (per type, the identities the run planned and did not write)
    goes with per-item reads the target reader was given (the preflight's, `PhaseSnapshot`): those items'
    Describe* and sub-lists are taken from there; every other item's given answers are dropped first, so
    what the run wrote, or might have, is read again. `from_preflight` counts, per type, the items whose
    per-item reads were taken from what was given."""
    types: dict[str, dict[str, int]] = {}
    differences: list[Difference] = []
    missing: list[dict[str, str]] = []
    unresolved: list[dict[str, str]] = []
    for choice in choices:
        if choice == "user_hierarchy":
            differences += verify_levels(target, (resources.get("user_hierarchy") or {}).get("levels"))
        for key, items in bundle_items(resources, choice):
            counts = {"checked": len(items), "matched": 0, "differing": 0, "missing": 0, "unresolved": 0}
            if items:
                if unchanged is not None:
                    kept = unchanged.get(key, set())
                    target.forget_item_reads(
                        str(record["Id"]) for name, record in target.records(key).items() if name not in kept
                    )
                planner = Planner(RESOURCE_TYPES[key], target, purge_tags=True)
                for plan in planner.plan(items):
                    if plan.action == "unchanged":
                        counts["matched"] += 1
                    elif plan.action == "created":
                        counts["missing"] += 1
                        missing.append({"type": key, "name": plan.name})
                    elif plan.action == "updated":
                        counts["differing"] += 1
                        differences += field_differences(key, plan.name, plan.diff["before"], plan.diff["after"])
                    else:
                        counts["unresolved"] += 1
                        unresolved.append({"type": key, "name": plan.name, "reason": plan.error or plan.action})
            types[key] = counts
    ok = not (differences or missing or unresolved)
    from_preflight = target.given_taken()
    text = summary(types, differences, missing, unresolved)
    if from_preflight:
        counted = ", ".join(f"{n} {title_of(key)}(s)" for key, n in sorted(from_preflight.items()))
        text += (
            f"\nDetails (Describe*, per-item lists) of {counted} the run did not write were compared as the "
            "preflight read them; every list, and everything the run wrote, was read again."
        )
    return {
        "ok": ok,
        "from_preflight": from_preflight,
        "types": types,
        "differences": [d.as_dict() for d in differences],
        "missing": missing,
        "unresolved": unresolved,
        "summary": text,
    }


def unchanged_items(results_file: str, ledger: str) -> dict[str, set[str]]:
    """Per type, the identities the run's import tasks planned and left as they were: every outcome the
    results file holds for them is `unchanged`, and the run's ledger holds no record of them (a task that
    died before writing its results still recorded each write, and each create's intent, as it went)."""
    outcomes: dict[str, dict[str, bool]] = {}
    for line in read_lines(results_file):
        key = line.get("resource_type")
        for item in line.get("item_results") or []:
            if isinstance(key, str) and isinstance(item, dict) and isinstance(item.get("name"), str):
                seen = outcomes.setdefault(key, {})
                seen[item["name"]] = seen.get(item["name"], True) and item.get("outcome") == "unchanged"
    try:
        entries, _problems = read_ledger(ledger) if os.path.exists(ledger) else ([], [])
    except (OSError, UnicodeDecodeError):
        return {}  # what the run wrote cannot be told: everything is read again
    for entry in entries:
        if str(entry.get("type")) in outcomes:
            outcomes[str(entry.get("type"))][str(entry.get("name"))] = False
    return {key: {name for name, same in names.items() if same} for key, names in outcomes.items()}


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def describe(difference: Difference | Mapping[str, Any]) -> str:
    """'queue Sales: max_contacts is 99 in the target, the bundle says 50'."""
    d = difference.as_dict() if isinstance(difference, Difference) else difference
    title = RESOURCE_TYPES[d["type"]].title if d["type"] in RESOURCE_TYPES else d["type"]
    expected, actual = d["expected"], d["actual"]
    if isinstance(expected, list) and isinstance(actual, list | None):
        actual = actual or []
        absent = [e for e in expected if e not in actual]
        extra = [a for a in actual if a not in expected]
        parts = ([f"lacks {_short(absent)}"] if absent else []) + ([f"has extra {_short(extra)}"] if extra else [])
        if parts:
            return f"{title} {d['name']}: {d['field']} " + " and ".join(parts)
    return f"{title} {d['name']}: {d['field']} is {_short(actual)} in the target, the bundle says {_short(expected)}"


def summary(
    types: Mapping[str, Mapping[str, int]],
    differences: list[Difference],
    missing: list[dict[str, str]],
    unresolved: list[dict[str, str]],
) -> str:
    checked = sum(c["checked"] for c in types.values())
    matched = sum(c["matched"] for c in types.values())
    if not (differences or missing or unresolved):
        return f"the target matches the bundle: {matched} of {checked} items checked, no difference"
    lines = [
        f"the target differs from the bundle: {matched} of {checked} items match, "
        f"{len(differences)} field differences, {len(missing)} missing, {len(unresolved)} unresolved"
    ]
    findings = [describe(d) for d in differences]
    findings += [f"{RESOURCE_TYPES[m['type']].title} {m['name']}: missing from the target" for m in missing]
    findings += [u["reason"] for u in unresolved]
    lines += [f"- {finding}" for finding in findings[:MAX_LISTED]]
    if len(findings) > MAX_LISTED:
        lines.append(f"- ... and {len(findings) - MAX_LISTED} more (see the differences in the result)")
    return "\n".join(lines)
