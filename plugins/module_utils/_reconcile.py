# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Settle a write whose answer was lost by reading the target, never by guessing.

A network can lose the answer to a write Amazon applied; botocore then retries it, and a retried
create meets `DuplicateResourceException`, a retried delete `ResourceNotFoundException`. The
executor (_executor.py) hands such an ambiguous call here, and the item's own type is read again:

The read is one search for the item's name where the type has a Search* API (`Reader.reread_one`).

- a create: the item is absent → it was not made (failed: the rerun creates it); present and planning
  it again asks for nothing but the calls that were still to follow the create → it is ours (its ID
  and ARN stand in for the lost answer, the ledger confirms it, its associations and tags follow);
  present with other state → someone else's item of that name: a conflict, failed, named.
- an update, association or tag: planning the item again no longer asks for this call's change →
  the target holds it (done); otherwise the call failed.
- a delete: the item is gone → done; still there → failed.

When the target shows the call had no effect, the executor may send it again (it was transient: a
throttle, a 5xx, no answer), since a resend then cannot duplicate anything; the create's intent stays
open until the resend confirms it. A conflict is never resent.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from ._executor import Call, ItemPlan, Resolution, error_reason, response_with
from ._planner import Planner
from ._reader import Reader
from ._resources import HIERARCHY_LEVELS, HIERARCHY_STRUCTURE_WRITE, ResourceType


def _entries(params: Mapping[str, Any]) -> set[str]:
    """The list members of a call (queue configs, quick connect IDs, tag keys), comparable."""
    found: set[str] = set()
    for name, value in params.items():
        if isinstance(value, list):
            found |= {f"{name}={json.dumps(v, sort_keys=True, default=str)}" for v in value}
        elif isinstance(value, dict) and name == "tags":
            found |= {f"{name}={k}" for k in value}
    return found


class Reconciler:
    """Reads the target again for an ambiguous call of an item of `rtype_of(plan)`.

    `abandon(plan, call, reason)` is told when a create turns out not to be ours or not made, so the
    ledger can close the intent it opened (rollback must not delete another's item).
    """

    def __init__(
        self,
        target: Reader,
        rtype_of: Callable[[ItemPlan], ResourceType | None],
        abandon: Callable[[ItemPlan, Call, str], None] | None = None,
    ) -> None:
        self.target = target
        self.rtype_of = rtype_of
        self.abandon = abandon

    def __call__(
        self, plan: ItemPlan, index: int, call: Call, params: dict[str, Any], exc: BaseException
    ) -> Resolution:
        rtype = self.rtype_of(plan)
        lost = error_reason(call.api, exc)
        if call.api == HIERARCHY_STRUCTURE_WRITE:
            return self._levels(plan, params, lost)
        if rtype is None:
            return Resolution(reason=f"{plan.key}: {lost}")
        fresh = self.target.reread_one(rtype.key, plan.name)
        record = fresh.records(rtype.key).get(plan.name)
        write = rtype.write
        if call.api == write.create_api:
            return self._create(rtype, fresh, plan, index, call, record, lost)
        if call.api == write.delete_api:
            if record is None or any(params.get(k) != v for k, v in write.addressing(record).items()):
                return Resolution({}, note="answer lost; the item is gone from the target")
            return Resolution(reason=f"{plan.key}: {lost}; the item is still in the target", resend=True)
        if record is None:
            return Resolution(reason=f"{plan.key}: {lost}; the item is no longer in the target")
        # Untagging is judged with purge on (a key still there is not removed); everything else without.
        again = self._replan(rtype, fresh, plan, purge_tags=call.api == "UntagResource")
        pending = [c for c in again.calls if c.api == call.api]
        mine = _entries(params)
        still = [c for c in pending if not mine or mine & _entries(c.params)]
        if not still:
            return Resolution({}, note="answer lost; the target already holds the change")
        return Resolution(reason=f"{plan.key}: {lost}; the target does not hold the change", resend=True)

    def _replan(self, rtype: ResourceType, fresh: Reader, plan: ItemPlan, purge_tags: bool) -> ItemPlan:
        after = dict(plan.diff.get("after") or {})
        item = {**after, rtype.identity_key: plan.name}
        return Planner(rtype, fresh, purge_tags=purge_tags).plan_present(item)

    def _create(
        self,
        rtype: ResourceType,
        fresh: Reader,
        plan: ItemPlan,
        index: int,
        call: Call,
        record: dict[str, Any] | None,
        lost: str,
    ) -> Resolution:
        if record is None:
            # Not made: the intent stays open (a resend confirms it; if none does, rollback and rerun
            # read the target and find nothing to undo).
            reason = f"{plan.key}: {lost}; the target has no such item, so it was not created"
            return Resolution(reason=reason, resend=True)
        again = self._replan(rtype, fresh, plan, purge_tags=True)
        follow_ups = {c.api for c in plan.calls[index + 1 :]}
        differing = [c.api for c in again.calls if c.api not in follow_ups]
        if again.action == "failed" or differing:
            fields = sorted(set(again.diff.get("after") or {}) - {rtype.identity_key}) or differing
            reason = (
                f"{plan.key}: {lost}; the target holds a {rtype.title} of that name that this run did not "
                f"make as planned (it differs in {', '.join(fields) or again.error}): a conflict, left alone"
            )
            self._abandon(plan, call, reason)
            return Resolution(reason=reason)
        found = {rtype.write.create_id_key: record.get("Id"), rtype.write.create_arn_key: record.get("Arn")}
        response = response_with({path: value for path, value in found.items() if path})
        return Resolution(response, note="answer lost; found created as planned in the target")

    def _levels(self, plan: ItemPlan, params: dict[str, Any], lost: str) -> Resolution:
        current = self.target.client.describe_user_hierarchy_structure(InstanceId=self.target.instance_id)
        structure = current.get("HierarchyStructure") or {}
        now = [(structure.get(level) or {}).get("Name") for level in HIERARCHY_LEVELS]
        wanted = params.get("HierarchyStructure") or {}
        if all((wanted.get(level) or {}).get("Name") == now[i] for i, level in enumerate(HIERARCHY_LEVELS)):
            return Resolution({}, note="answer lost; the target already has these level names")
        return Resolution(reason=f"{plan.key}: {lost}; the target does not have these level names", resend=True)

    def _abandon(self, plan: ItemPlan, call: Call, reason: str) -> None:
        if self.abandon is not None:
            self.abandon(plan, call, reason)
