#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_rollback
short_description: Undo what one run of the write modules did to an Amazon Connect instance, from its ledger
version_added: 0.2.0
description:
  - Reads the ledger a run's write modules wrote (their O(ccaas.connect.connect_user#module:ledger) option) and
    returns the target instance to its state before the run, in reverse order.
  - First recreates what the run deleted, then restores each field the run changed on items that existed before
    it to its value before the run's first change of it (tags and association lists whole), then deletes what
    the run created, dependents first (quick connects, users, agent statuses, routing profiles, queues, hierarchy
    groups deepest first, security profiles, hours of operation), and last puts the hierarchy's level names back.
  - Amazon Connect has no API that deletes an agent status. The agent statuses the run created are disabled
    instead (C(State=DISABLED)); the task warns, naming them, and their C(undo) is C(retire). A later
    migration enables them again rather than creating them twice.
  - Idempotent. An item the run created that is gone already is fine; an item that now carries its name but
    another ID is left alone; a field already back at its old value is not written. Running it twice writes
    nothing the second time.
  - An intent to create that the ledger never confirmed (a run killed mid-create, or a create whose answer
    was lost) is resolved by reading the target; an item of that name there is deleted as the run's.
  - A delete whose answer was lost is settled by reading the target (gone means done). After the rollback
    the target is read again, and every item still there that it meant to delete is a failure
    (RV(left_behind)), so it never reports success while leaving the run's items behind.
  - Check mode plans and writes nothing; with C(--diff) it shows each item's change.
author:
  - ccaas.connect contributors (@ccaas-connect)
options:
  instance:
    description: The target instance the run wrote to, by instance ID, instance ARN or instance alias.
    type: str
    required: true
    aliases: ['instance_id', 'instance_alias']
  ledger:
    description:
      - The run's ledger, C(ledger-<run_id>.jsonl). A last line cut short by a killed process is skipped and
        named in RV(ledger_problems).
      - Several ledgers, oldest first, are undone as one run, for example an interrupted run and the run that
        resumed it.
    type: list
    elements: path
    required: true
  run_id:
    description: Undo only the ledger lines of this run id (a ledger that several runs appended to).
    type: str
  rollback_ledger:
    description:
      - Where to record the rollback's own changes, in the ledger's format, so that a rollback can itself be
        reviewed (or undone). Created C(0600) when missing. Check mode writes nothing to it.
    type: path
  continue_on_error:
    description: Go on with the other items when one fails (V(true)) or start no further item (V(false)).
    type: bool
    default: true
  max_workers:
    description: How many items are undone at once within a step.
    type: int
    default: 8
extends_documentation_fragment:
  - ccaas.connect.pacing
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - A field that had no value before the run (an empty description) cannot be emptied again through the
    Amazon Connect API; it keeps the run's value and the item's result says so in RV(item_results[].unrestored).
  - Passwords are never in a ledger; a deleted user that is recreated gets no password, as with C(SAML) users.
"""

EXAMPLES = r"""
- name: See what a rollback would do
  ccaas.connect.connect_rollback:
    instance: acme-target
    ledger: output/ledger-20261125T143000Z.jsonl
  check_mode: true
  diff: true

- name: Roll the run back
  ccaas.connect.connect_rollback:
    instance: acme-target
    ledger: output/ledger-20261125T143000Z.jsonl
    rollback_ledger: output/rollback-20261125T143000Z.jsonl
"""

RETURN = r"""
item_results:
  description: One entry per item undone, in the order of the plan.
  returned: always
  type: list
  elements: dict
  contains:
    type:
      description: The resource type.
      type: str
    name:
      description: The item's identity.
      type: str
    undo:
      description: >-
        What was planned for it, C(recreate), C(restore), C(delete), C(delete unconfirmed intent),
        C(retire) or C(retire unconfirmed intent) (a type Amazon Connect cannot delete, an agent status: disabled
        instead) or C(restore levels).
      type: str
    outcome:
      description: C(deleted), C(updated) (restored), C(created) (recreated), C(unchanged) (nothing to do), C(failed).
      type: str
    api_calls:
      description: The write calls made for it, in order (in check mode, the calls a real run makes).
      type: list
      elements: str
    reason:
      description: Why it failed.
      type: str
      returned: when it failed
    unrestored:
      description: Fields that had no value before the run and cannot be emptied again.
      type: list
      elements: str
      returned: when there are any
  sample: [{"type": "users", "name": "agent1", "undo": "delete", "outcome": "deleted", "api_calls": ["DeleteUser"]}]
totals:
  description: How many items had each outcome.
  returned: always
  type: dict
  sample: {"created": 0, "updated": 1, "unchanged": 0, "deleted": 12, "failed": 0, "skipped": 0}
entries:
  description: How many ledger lines were read (after the O(run_id) filter).
  returned: always
  type: int
left_behind:
  description:
    - Items the rollback meant to delete that the target still holds when it ends, read from the target
      afterwards. Each is also a failed item, so the task fails when any is left.
  returned: always
  type: list
  elements: str
retired:
  description:
    - Items the run created that Amazon Connect cannot delete (agent statuses), each with what was set instead
      (C(state DISABLED)). The task also warns, naming them.
  returned: always
  type: list
  elements: str
  sample: ["agent status 'Lunch': state DISABLED, not deleted (Connect has no delete for it)"]
ledger_problems:
  description: Ledger lines that were skipped, with the reason.
  returned: always
  type: list
  elements: str
api_calls:
  description: The Amazon Connect API calls the module made, per API, with the retries botocore made.
  returned: always
  type: dict
  sample: {"DeleteUser": {"calls": 12, "retries": 0}}
"""

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._client import PACING_OPTIONS, reading
from ansible_collections.ccaas.connect.plugins.module_utils._errors import CcaasError
from ansible_collections.ccaas.connect.plugins.module_utils._executor import (
    AttemptCounter,
    Call,
    Executor,
    ItemPlan,
    preview,
)
from ansible_collections.ccaas.connect.plugins.module_utils._ledger import Ledger, change_entry, read_ledger
from ansible_collections.ccaas.connect.plugins.module_utils._reader import Reader
from ansible_collections.ccaas.connect.plugins.module_utils._reconcile import Reconciler
from ansible_collections.ccaas.connect.plugins.module_utils._rollback import RollbackPlanner
from ansible_collections.ccaas.connect.plugins.module_utils._shell import Session, run_module

ARGUMENT_SPEC = {
    "instance": {"type": "str", "required": True, "aliases": ["instance_id", "instance_alias"]},
    "ledger": {"type": "list", "elements": "path", "required": True},
    "run_id": {"type": "str"},
    "rollback_ledger": {"type": "path"},
    "continue_on_error": {"type": "bool", "default": True},
    **PACING_OPTIONS,
    "max_workers": {"type": "int", "default": 8},
}


def main() -> None:
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    entries: list[dict[str, Any]] = []
    problems: list[str] = []
    for path in params["ledger"]:
        try:
            found, skipped = read_ledger(path)
        except (OSError, UnicodeDecodeError) as exc:
            module.fail_json(msg=f"cannot read the ledger {path}: {exc}")
        # One sequence over every ledger, oldest first: the rollback undoes the latest change first.
        for entry in found:
            entry["seq"] = len(entries) + 1
            entries.append(entry)
        problems += [f"{path}: {problem}" for problem in skipped]
    if params.get("run_id"):
        entries = [e for e in entries if e.get("run_id") == params["run_id"]]
    workers = max(1, params["max_workers"])

    def roll_back(session: Session) -> dict[str, Any]:
        client, instance = session.client, session.instance
        left_behind: dict[str, str] = {}
        planner = RollbackPlanner(Reader.of(client, instance))
        plans = planner.plan(entries)
        if module.check_mode:
            report = preview(plans)
        else:
            ledger = Ledger(params["rollback_ledger"]) if params.get("rollback_ledger") else None

            def record(plan: ItemPlan, call: Call, outputs: dict[str, Any]) -> None:
                rtype = planner.types.get(plan.key)
                entry = change_entry(rtype, plan, call, outputs) if ledger and rtype else None
                if entry is not None and ledger is not None:
                    ledger.append(entry)

            target = Reader.of(client, instance)
            # A delete whose answer was lost and whose retry found nothing is settled by reading the target.
            reconcile = Reconciler(target, lambda plan: planner.types.get(plan.key))
            try:
                executor = Executor(
                    client,
                    workers,
                    fail_fast=not params["continue_on_error"],
                    on_change=record,
                    reconcile=reconcile,
                    attempts=AttemptCounter().attach(client),
                )
                report = executor.run(plans)
            finally:
                if ledger is not None:
                    ledger.close()
            left_behind = reading(lambda: planner.left_behind(Reader.of(client, instance)))
            for plan, item in zip(plans, report.items, strict=True):
                if plan.key in left_behind and item.outcome != "failed":
                    item.outcome, item.reason = "failed", left_behind[plan.key]
        retired = [
            planner.retired[plan.key]
            for plan, item in zip(plans, report.items, strict=True)
            if plan.key in planner.retired and item.outcome != "failed"
        ]
        if retired:
            shown = "; ".join(retired[:10]) + (f"; and {len(retired) - 10} more" if len(retired) > 10 else "")
            done = "would be" if module.check_mode else "were"
            module.warn(f"{len(retired)} items the run created cannot be deleted and {done} retired instead: {shown}")
        results = []
        for plan, item in zip(plans, report.items, strict=True):
            kind, undo = planner.undo.get(plan.key, ("", ""))
            entry = {"type": kind, "undo": undo, **item.as_dict(module._diff)}
            if plan.key in planner.unrestored:
                entry["unrestored"] = planner.unrestored[plan.key]
            results.append(entry)
        result = {
            "changed": report.changed,
            "item_results": results,
            "totals": report.totals,
            "entries": len(entries),
            "left_behind": sorted(left_behind.values()),
            "retired": retired,
            "ledger_problems": problems,
        }
        if module._diff:
            result["diff"] = [
                {"before_header": plan.key, "after_header": plan.key, **plan.diff}
                for plan, item in zip(plans, report.items, strict=True)
                if item.outcome in ("created", "updated", "deleted")
            ]
        if report.failed:
            failed = [item for item in report.items if item.outcome == "failed"]
            reasons = "; ".join(item.reason or item.name for item in failed[:5])
            raise CcaasError(f"{len(failed)} of {len(report.items)} items could not be undone: {reasons}", **result)
        return result

    run_module(module, roll_back, max_pool_connections=workers + 2)


if __name__ == "__main__":
    main()
