# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Undo a run from its ledger (_ledger.py): the plan that returns the target to its state before the run.

The plan has four steps, each a wave (or several) of the executor, so each starts when the one
before it is done:

1. Recreate what the run deleted (parents first), from the state the ledger kept of it.
2. Restore what the run changed on items that existed before it: each field back to its value before
   the run's *first* change of it, through the planner, so only fields still differing are written
   and tags and association lists come back whole. This comes before any delete, because an item
   that existed before may now point at something the run created (a user moved to a new routing
   profile) and must let go of it first.
3. Delete what the run created, dependents first (the import's order reversed: quick connects, users,
   agent statuses, routing profiles, queues, hierarchy groups deepest first, security profiles, hours
   of operation; the phone numbers it claimed right after the queues). The run's later changes to an item it created are
   not undone one by one: the delete undoes them all. An item already gone is fine (`unchanged`), and an
   item that now has the name but another ID is not touched. A type Connect cannot delete (an agent
   status) is retired instead (`Write.retire`: disabled), and the result says so.
4. Restore the hierarchy's level names, once no group of the run is left on a level it added.

An intent to create that nothing confirmed (the run was killed after sending the create, or its answer
was lost and could not be settled) is resolved by reading the target: an item of that name is there →
it is deleted as the run's (the name was free when the run planned it); none → nothing to undo. An
intent closed as `abandoned` (the name was another's) is left alone.

Running the plan again plans nothing: every step compares with the target, as an import does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ._executor import Call, ItemPlan
from ._ledger import ABANDONED, HIERARCHY_STRUCTURE_TYPE, INTENT, unconfirmed_intents
from ._planner import Planner
from ._reader import Reader
from ._resources import (
    CREATE_ORDER,
    HIERARCHY_LEVELS,
    HIERARCHY_PATH_SEPARATOR,
    HIERARCHY_STRUCTURE_WRITE,
    RESOURCE_TYPES,
    USER_HIERARCHY_GROUPS,
    ResourceType,
)


# Rollback recreates in the order an import creates types (_resources.CREATE_ORDER, derived from the
# descriptions) and deletes in the reverse order, dependants before what they depend on. A ledger only
# holds types an import writes.
# A type the import only maps but a run may claim before importing (a phone number) is released once what the
# import made that names it (a queue's outbound caller ID number) is gone, and before what it names (the flow
# it answers with), which Connect will not delete while a number uses it.
def _names(rtype: ResourceType, key: str) -> bool:
    fields = [*rtype.fields, *(s for f in rtype.fields for s in f.sub or ())]
    return any(f.ref == key for f in fields)


def _delete_order() -> tuple[str, ...]:
    order = [key for key in reversed(CREATE_ORDER) if not RESOURCE_TYPES[key].mapped_only]
    for key in (k for k in CREATE_ORDER if RESOURCE_TYPES[k].mapped_only):
        naming = [i for i, k in enumerate(order) if _names(RESOURCE_TYPES[k], key)]
        order.insert(max(naming) + 1 if naming else 0, key)
    return tuple(order)


DELETE_ORDER = _delete_order()

# Waves of the executor: every step ends before the next begins (see the module docstring).
RECREATE_WAVE, RESTORE_WAVE, DELETE_WAVE, LEVELS_WAVE = 0, 1000, 2000, 9000


def _item_key(entry: Mapping[str, Any]) -> tuple[str, str]:
    return entry["type"], str(entry.get("name"))


def _first_befores(entries: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Each field's value before the run's first change of it: the state to go back to."""
    restore: dict[str, Any] = {}
    for entry in entries:
        for key, value in (entry.get("before") or {}).items():
            restore.setdefault(key, value)
    return restore


class RollbackPlanner:
    def __init__(self, target: Reader) -> None:
        self.target = target
        self.types: dict[str, ResourceType] = {}  # plan key -> the type its calls write, for the ledger
        self.undo: dict[str, tuple[str, str]] = {}  # plan key -> (type as the ledger names it, step)
        self.unrestored: dict[str, list[str]] = {}  # plan key -> fields empty before the run, not emptied again
        self.deletes: dict[str, tuple[str, str, str]] = {}  # plan key -> (type, name, ID) a delete is sent for
        self.retired: dict[str, str] = {}  # plan key -> what stands for its delete (Write.retire), to say so

    def plan(self, entries: list[dict[str, Any]]) -> list[ItemPlan]:
        entries = sorted(entries, key=lambda e: e.get("seq", 0))
        created = {_item_key(e): e for e in entries if e["action"] == "created"}
        for intent in unconfirmed_intents(entries):
            created.setdefault(_item_key(intent), {**intent, "unconfirmed": True})
        entries = [e for e in entries if e["action"] not in (INTENT, ABANDONED)]
        deleted = {_item_key(e): e for e in entries if e["action"] == "deleted" and _item_key(e) not in created}
        changed: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for entry in entries:
            key = _item_key(entry)
            if entry["action"] not in ("created", "deleted") and key not in created:
                changed.setdefault(key, []).append(entry)
        plans = [self._recreate(entry) for entry in self._forward(deleted.values())]
        for (kind, name), item_entries in reversed(list(changed.items())):
            if kind == HIERARCHY_STRUCTURE_TYPE:
                continue
            plans.append(self._restore(kind, name, item_entries))
        plans += [self._delete(entry) for entry in self._backward(created.values())]
        for entry in [*created.values(), *deleted.values()]:
            if entry["type"] not in CREATE_ORDER:  # never silently: the ledger holds what no import writes
                what = f"undo {entry['type']} {entry.get('name')}"
                self.undo[what] = (str(entry["type"]), str(entry["action"]))
                error = f"{what}: the ledger names a type '{entry['type']}' that a rollback cannot undo"
                plans.append(ItemPlan(what, str(entry.get("name")), "failed", error=error))
        levels = changed.get((HIERARCHY_STRUCTURE_TYPE, "levels"))
        if levels:
            plans.append(self._restore_levels(_first_befores(levels).get("levels") or []))
        return plans

    # ---- ordering ----

    @staticmethod
    def _depth(entry: Mapping[str, Any]) -> int:
        return str(entry.get("name")).count(HIERARCHY_PATH_SEPARATOR) if entry["type"] == "user_hierarchy_groups" else 0

    def _forward(self, entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        known = [e for e in entries if e["type"] in CREATE_ORDER]
        return sorted(known, key=lambda e: (CREATE_ORDER.index(e["type"]), self._depth(e), e.get("seq", 0)))

    def _backward(self, entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        known = [e for e in entries if e["type"] in DELETE_ORDER]
        return sorted(known, key=lambda e: (DELETE_ORDER.index(e["type"]), -self._depth(e), -e.get("seq", 0)))

    # ---- steps ----

    def _recreate(self, entry: Mapping[str, Any]) -> ItemPlan:
        rtype = RESOURCE_TYPES[entry["type"]]
        item = {**(entry.get("before") or {}), rtype.identity_key: entry["name"]}
        plan = Planner(rtype, self.target).plan([item])[0]
        # Parents before children, types in import order: a wave per (type, depth).
        plan.wave = RECREATE_WAVE + CREATE_ORDER.index(rtype.key) * 10 + self._depth(entry)
        if plan.action == "updated":  # it is back already; only put its fields right
            plan.wave = RESTORE_WAVE
        self.types[plan.key], self.undo[plan.key] = rtype, (rtype.key, "recreate")
        return plan

    def _restore(self, kind: str, name: str, entries: list[dict[str, Any]]) -> ItemPlan:
        rtype = RESOURCE_TYPES.get(kind)
        key = f"restore {rtype.title if rtype else kind} {name}"
        self.undo[key] = (kind, "restore")
        if rtype is None:
            return ItemPlan(key, name, "failed", error=f"{key}: the ledger names an unknown type '{kind}'")
        befores = _first_befores(entries)
        # An association the item lacked before the run (a number without a flow) is removed again.
        emptied = {lk.key for lk in rtype.lookups if lk.disassociate_api} if rtype else set()
        restore = {k: v for k, v in befores.items() if v is not None or k in emptied}
        empty = sorted(k for k, v in befores.items() if v is None and k != "tags" and k not in emptied)
        if empty:
            self.unrestored[key] = empty
        record = self.target.records(kind).get(name)
        if record is None:
            return ItemPlan(key, name, "failed", error=f"{key}: not found in the target, nothing to restore")
        if "tags" in befores and "tags" not in restore:
            restore["tags"] = {}  # it had none: the run's tags go
        item = {**restore, rtype.identity_key: name}
        plan = Planner(rtype, self.target, purge_tags=True).plan([item])[0]
        plan.key, plan.wave = key, RESTORE_WAVE
        self.types[key] = rtype
        return plan

    def _delete(self, entry: Mapping[str, Any]) -> ItemPlan:
        rtype = RESOURCE_TYPES[entry["type"]]
        name, created_id = str(entry["name"]), entry.get("id")
        verb = "delete" if rtype.write.delete_api else "retire"  # Connect cannot delete every type (Write.retire)
        key = f"{verb} {rtype.title} {name}"
        wave = DELETE_WAVE + DELETE_ORDER.index(rtype.key) * 10 + (5 - self._depth(entry))
        step = f"{verb} unconfirmed intent" if entry.get("unconfirmed") else verb
        self.types[key], self.undo[key] = rtype, (rtype.key, step)
        record = self.target.records(rtype.key).get(name)
        if record is None or record.get("planned"):
            return ItemPlan(key, name, "unchanged", wave=wave)  # gone already
        if created_id and record["Id"] != created_id:
            # Someone made another item of that name since: it is not this run's to delete.
            return ItemPlan(key, name, "unchanged", wave=wave)
        write = rtype.write
        if write.delete_api is None:
            return self._retire(rtype, key, name, wave)
        call = Call(write.delete_api or "", write.delete_params(self.target.instance_id, record))
        diff = {"before": dict(entry.get("after") or {}), "after": {}}
        self.deletes[key] = (rtype.key, name, record["Id"])
        return ItemPlan(key, name, "deleted", [call], diff, {"id": record["Id"], "arn": record["Arn"]}, wave=wave)

    def _retire(self, rtype: ResourceType, key: str, name: str, wave: int) -> ItemPlan:
        """What stands for a delete where Connect has none (Write.retire: an agent status is disabled)."""
        retire = dict(rtype.write.retire)
        if not retire:
            return ItemPlan(key, name, "failed", error=f"{key}: Amazon Connect has no API that deletes a {rtype.title}")
        plan = Planner(rtype, self.target).plan([{rtype.identity_key: name, **retire}])[0]
        plan.key, plan.wave = key, wave
        settings = ", ".join(f"{k} {v}" for k, v in retire.items())
        self.retired[key] = f"{rtype.title} '{name}': {settings}, not deleted (Connect has no delete for it)"
        return plan

    def left_behind(self, target: Reader) -> dict[str, str]:
        """Plan key -> message, for each item a delete was planned for that the target still holds.

        Read after the rollback from a fresh view of the target: the rollback's report counts what it
        could not undo from what is there, not from what the calls answered.
        """
        found: dict[str, str] = {}
        for key, (kind, name, item_id) in self.deletes.items():
            record = target.records(kind).get(name)
            if record is not None and record.get("Id") == item_id:
                found[key] = f"{key}: still in the target after the rollback (ID {item_id})"
        return found

    def _restore_levels(self, levels: list[str]) -> ItemPlan:
        instance = self.target.instance_id
        now = self.target.hierarchy_levels()
        key = "restore hierarchy levels"
        self.types[key], self.undo[key] = USER_HIERARCHY_GROUPS, (HIERARCHY_STRUCTURE_TYPE, "restore levels")
        if now == list(levels):
            return ItemPlan(key, "levels", "unchanged", wave=LEVELS_WAVE)
        structure = {level: {"Name": name} for level, name in zip(HIERARCHY_LEVELS, levels, strict=False)}
        call = Call(HIERARCHY_STRUCTURE_WRITE, {"InstanceId": instance, "HierarchyStructure": structure})
        diff = {"before": {"levels": now}, "after": {"levels": list(levels)}}
        return ItemPlan(key, "levels", "updated", [call], diff, wave=LEVELS_WAVE)
