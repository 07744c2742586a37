# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ledger: one JSON line per change a run made to a target, enough to undo it.

Write modules append a line as each write call returns (a create right after its Create* call,
before any follow-up call), so a process killed mid-item still leaves what it created on record.
Parallel workers and parallel Ansible forks append to the same file: it is opened with O_APPEND
and each line goes out in one write() under a lock and is fsynced, so lines never interleave and a
killed process leaves whole lines only. The file is created 0600: it names the run's users.
`connect_rollback` reads it back (`read_ledger`) and undoes the changes in reverse order.

Creates are two records. An `intent` (type, name, API, instance) is on disk before the Create* is
sent; the `created` record (with the new ID and ARN) confirms it after. A run killed in between, or a
create whose answer was lost and could not be settled, leaves an unconfirmed intent: the item may
exist. Rollback resolves it by reading the target (there → delete it as the run's), and a rerun into
the same output directory confirms it in its own ledger when it finds the item (`unconfirmed_intents`).
An `abandoned` record closes an intent the target showed was not ours (another item holds the name)
or not made. Ledgers written before intents existed have only `created` records and read as before.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from ._resources import HIERARCHY_STRUCTURE_WRITE, ResourceType

if TYPE_CHECKING:
    from ._executor import Call, ItemPlan

# The hierarchy's level names are one item of their own (connect_user_hierarchy's `levels`).
HIERARCHY_STRUCTURE_TYPE = "user_hierarchy"

LedgerAction = Literal["created", "updated", "associated", "disassociated", "tagged", "untagged", "deleted"]
ACTIONS: tuple[LedgerAction, ...] = (
    "created",
    "updated",
    "associated",
    "disassociated",
    "tagged",
    "untagged",
    "deleted",
)
# Records that are not changes: an intent to create (before the call) and its closing without a change.
INTENT, ABANDONED = "intent", "abandoned"
RECORDS = (*ACTIONS, INTENT, ABANDONED)
# The run id the run's files carry: ledger-20261125T143000Z.jsonl
RUN_ID = re.compile(r"(\d{8}T\d{6}Z)")


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def run_id_of(path: str) -> str | None:
    """The run id in a ledger's file name (`ledger-<run_id>.jsonl`), if it has one."""
    found = RUN_ID.findall(os.path.basename(path))
    return found[-1] if found else None


class Ledger:
    """Appends change records to a file; safe to share between threads and processes."""

    def __init__(self, path: str, run_id: str | None = None) -> None:
        self.path = os.path.abspath(os.path.expanduser(path))
        self.run_id = run_id or run_id_of(self.path)
        self._lock = threading.Lock()
        self._fd: int | None = None

    def _open(self) -> int:
        if self._fd is None:
            directory = os.path.dirname(self.path)
            if directory:
                os.makedirs(directory, mode=0o700, exist_ok=True)
            # The mode applies when the file is created: it is 0600 from its first byte.
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return self._fd

    def append(self, entry: Mapping[str, Any]) -> None:
        record = {"time": now(), **({"run_id": self.run_id} if self.run_id else {}), **entry}
        line = (json.dumps(record, ensure_ascii=False, default=str) + "\n").encode("utf-8")
        with self._lock:
            fd = self._open()
            written = os.write(fd, line)
            if written != len(line):  # a full disk: say so rather than leave half a line unnoticed
                raise OSError(f"ledger {self.path}: wrote {written} of {len(line)} bytes")
            os.fsync(fd)

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.close()


def call_effect(rtype: ResourceType, api: str) -> tuple[LedgerAction, tuple[str, ...] | None] | None:
    """(action, bundle keys the call writes; None = the whole item) for a write API of `rtype`."""
    write = rtype.write
    if api == write.create_api:
        return "created", None
    if api == write.delete_api:
        return "deleted", None
    if api == "TagResource":
        return "tagged", ("tags",)
    if api == "UntagResource":
        return "untagged", ("tags",)
    if api == HIERARCHY_STRUCTURE_WRITE:
        return "updated", ("levels",)
    keys: list[str] = []
    for update in write.updates:
        if update.api == api:
            keys.extend(update.keys)
    for sub in rtype.sublists:
        if api == sub.associate_api:
            return "associated", (sub.key,)
        if api == sub.disassociate_api:
            return "disassociated", (sub.key,)
        if api == sub.update_api and sub.key not in keys:
            keys.append(sub.key)
    for lk in rtype.lookups:  # an instance-wide association of the item (a number's flow)
        if api == lk.associate_api:
            return "associated", (lk.key,)
        if api == lk.disassociate_api:
            return "disassociated", (lk.key,)
    return ("updated", tuple(keys)) if keys else None


def change_entry(rtype: ResourceType, plan: ItemPlan, call: Call, outputs: Mapping[str, Any]) -> dict[str, Any] | None:
    """The ledger record of one write call that succeeded, or None when it needs none.

    The follow-up calls of an item this run creates (its associations, a status set after the create)
    are part of the create: deleting the item undoes them, so only the create is recorded.
    """
    effect = call_effect(rtype, call.api)
    if effect is None:
        return None
    action, keys = effect
    if plan.action == "created" and action != "created":
        return None
    before, after = plan.diff.get("before") or {}, plan.diff.get("after") or {}
    if keys is not None:
        touched = [k for k in keys if k in before or k in after]
        before, after = {k: before.get(k) for k in touched}, {k: after.get(k) for k in touched}
    kind = HIERARCHY_STRUCTURE_TYPE if call.api == HIERARCHY_STRUCTURE_WRITE else rtype.key
    return {
        "type": kind,
        "name": plan.name,
        "action": action,
        "id": outputs.get("id"),
        "arn": outputs.get("arn"),
        "api": call.api,
        "before": before,
        "after": after,
    }


def intent_entry(rtype: ResourceType, plan: ItemPlan, call: Call, instance_id: str | None) -> dict[str, Any] | None:
    """The record written before a create is sent, or None for any other call."""
    if call.api != rtype.write.create_api:
        return None
    return {"type": rtype.key, "name": plan.name, "action": INTENT, "api": call.api, "instance": instance_id}


def abandoned_entry(rtype: ResourceType, plan: ItemPlan, call: Call, reason: str) -> dict[str, Any]:
    return {"type": rtype.key, "name": plan.name, "action": ABANDONED, "api": call.api, "reason": reason}


def unconfirmed_intents(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Intents that no later `created` or `abandoned` record of the same item closes, in order."""
    open_intents: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in entries:
        key = (entry["type"], str(entry.get("name")))
        if entry["action"] == INTENT:
            open_intents[key] = entry
        elif entry["action"] in ("created", ABANDONED):
            open_intents.pop(key, None)
    return list(open_intents.values())


def read_ledger(path: str) -> tuple[list[dict[str, Any]], list[str]]:
    """(entries in the order written, problems): a line that is not a whole JSON object is skipped and named."""
    entries: list[dict[str, Any]] = []
    problems: list[str] = []
    with open(os.path.expanduser(path), encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            _parse_line(line, number, entries, problems)
    return entries, problems


def _parse_line(line: str, number: int, entries: list[dict[str, Any]], problems: list[str]) -> None:
    if not line.strip():
        return
    try:
        entry = json.loads(line)
    except ValueError:
        problems.append(f"line {number}: not a whole JSON record, skipped")
        return
    if not isinstance(entry, dict) or entry.get("action") not in RECORDS or not entry.get("type"):
        problems.append(f"line {number}: not a change record, skipped")
        return
    entry["seq"] = number
    entries.append(entry)


# Ledgers read by this process: by real path, the file's inode, how many bytes and lines were read, the entries.
_READ: dict[str, dict[str, Any]] = {}


def ledger_entries(path: str) -> list[dict[str, Any]]:
    """read_ledger's entries, kept for the process: a task of several phases looks for earlier runs' open intents
    before each phase, in ledgers of 10,000 users and more, and a ledger only grows (appended whole lines), so
    a file read before is read again only from where it ended (whole lines; one being written is read next
    time). Another file in its place, or a shorter one, is read afresh. The entries are shared: read only."""
    real = os.path.realpath(os.path.expanduser(path))
    stat = os.stat(real)
    kept = _READ.get(real)
    if kept is None or kept["ino"] != stat.st_ino or stat.st_size < kept["size"]:
        kept = {"ino": stat.st_ino, "size": 0, "lines": 0, "entries": []}
    if stat.st_size > kept["size"]:
        with open(real, "rb") as handle:
            handle.seek(kept["size"])
            data = handle.read(stat.st_size - kept["size"])
        whole = data[: data.rfind(b"\n") + 1]
        for raw in whole.splitlines():
            kept["lines"] += 1
            _parse_line(raw.decode("utf-8", "replace"), kept["lines"], kept["entries"], [])
        kept["size"] += len(whole)
    _READ[real] = kept
    return kept["entries"]
