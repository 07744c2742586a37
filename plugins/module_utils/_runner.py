# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every write module does, once: read options, plan, apply or preview, shape the result.

A write module is its documentation, its item options and one call to `run_import()`. A task
names one item with options at the top level, or many with `items` (the same options per entry),
so one task can carry 10,000 users; both go through the same planner and executor.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from . import _prompts
from ._client import PACING_OPTIONS, CallStats, connect_client
from ._executor import DEFAULT_WORKERS, AttemptCounter, Executor, ItemPlan, Report, preview
from ._instance import describe_instance
from ._lease import check_held
from ._ledger import (
    Ledger,
    abandoned_entry,
    change_entry,
    intent_entry,
    ledger_entries,
    run_id_of,
    unconfirmed_intents,
)
from ._planner import Planner
from ._reader import Reader
from ._reconcile import Reconciler
from ._resources import RESOURCE_TYPES, TYPE_OF_SECTION, ResourceType, type_of
from ._secrets import JournalingClient, PasswordFile, passwords_for
from ._shell import failures

# Options every write module takes besides its items' own (doc_fragments/import_options.py and pacing.py).
COMMON_OPTIONS: dict[str, Any] = {
    "instance": {"type": "str", "required": True, "aliases": ["instance_id", "instance_alias"]},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    "purge_tags": {"type": "bool", "default": True},
    "continue_on_error": {"type": "bool", "default": True},
    **PACING_OPTIONS,
    "max_workers": {"type": "int", "default": DEFAULT_WORKERS},
    "pending_references": {"type": "dict"},
    "ledger": {"type": "path"},
    "run_id": {"type": "str"},
    "lease_run_id": {"type": "str"},
    "lease_token": {"type": "str", "no_log": False},
}


def argument_spec(item_options: Mapping[str, Any], identity: str, deletable: bool = True) -> dict[str, Any]:
    """The module's spec: the item options at the top level, and `items`, entries checked one by one.

    `items` has no sub-options in the spec on purpose: Ansible would reject the whole task for one
    malformed entry, where an import of thousands should fail that entry alone (`validate_items`).
    A type Connect cannot delete (an agent status) has no `state: absent`; its items may have a
    `state` of their own (ENABLED, DISABLED).
    """
    top = {name: {**spec, "required": False} for name, spec in item_options.items()}
    top["tags"] = {"type": "dict", "aliases": ["resource_tags"]}
    common = COMMON_OPTIONS if deletable else {k: v for k, v in COMMON_OPTIONS.items() if k != "state"}
    return {**common, **top, "items": {"type": "list", "elements": "dict"}}


def entry_spec(item_options: Mapping[str, Any], identity: str) -> dict[str, Any]:
    entry = {**{name: dict(spec) for name, spec in item_options.items()}, "tags": {"type": "dict"}}
    entry[identity] = {**entry[identity], "required": True}
    return entry


def validate_items(
    entries: list[dict[str, Any]], item_options: Mapping[str, Any], identity: str
) -> tuple[list[dict[str, Any]], list[tuple[str, str]], set[str]]:
    """(valid entries with defaults applied, (name, error) per invalid entry, no_log values found)."""
    validator = ArgumentSpecValidator(entry_spec(item_options, identity))
    valid, invalid, secrets = [], [], set()
    for index, entry in enumerate(entries):
        # Named by its identity when it has a usable one, and always by its path in `items`.
        given = entry.get(identity) if isinstance(entry, dict) else None
        name = given if isinstance(given, str) and given and len(given) <= 200 else f"entry {index + 1}"
        where = f"{name} (items[{index}])"
        if not isinstance(entry, dict):
            invalid.append((name, f"{where}: an entry of items must be a dictionary, not a {type(entry).__name__}"))
            continue
        result = validator.validate(entry)
        if entry.get("password"):
            secrets.add(str(entry["password"]))
        if result.error_messages:
            invalid.append((name, f"{where}: " + "; ".join(result.error_messages)))
        else:
            valid.append(result.validated_parameters)
    return valid, invalid, secrets


def desired_items(params: Mapping[str, Any], item_options: Mapping[str, Any], entries: list[dict]) -> list[dict]:
    # Secrets go to the password handling only, never into a plan, a diff or a result.
    names = [name for name in (*item_options, "tags") if name != "password"]
    chosen = entries if params.get("items") is not None else [{name: params.get(name) for name in names}]
    return [{k: v for k, v in entry.items() if v is not None and k in names} for entry in chosen]


def _diffs(plans: list[ItemPlan], report: Report) -> list[dict[str, Any]]:
    return [
        {"before_header": plan.key, "after_header": plan.key, **plan.diff}
        for plan, item in zip(plans, report.items, strict=True)
        if item.outcome in ("created", "updated", "deleted") and (plan.diff["before"] or plan.diff["after"])
    ]


def passwords_given(passwords: Mapping[str, str] | None, entries: list[Any], identity: str) -> dict[str, str]:
    """The passwords a task gives new users, by user name: its `passwords`, then each entry's own."""
    given = dict(passwords or {})
    for entry in entries:
        if isinstance(entry, dict) and entry.get("password") and entry.get(identity):
            given[entry[identity]] = str(entry["password"])
    return given


PlanItems = Callable[[Reader, Mapping[str, str]], list[ItemPlan]]


def run_import(
    module: Any,
    type_key: str,
    item_options: Mapping[str, Any],
    identity: str,
    extra_plans: Callable[[Reader, Mapping[str, Any]], list[ItemPlan]] | None = None,
) -> None:
    """Plan and apply (or, in check mode, preview) the task's items; exit the module with the result.

    `extra_plans` adds items that are not of the type itself and go first (a hierarchy's level names).
    """
    params = module.params
    rtype = RESOURCE_TYPES[type_key]
    if params.get("items") is not None and params.get(identity) is not None:
        module.fail_json(msg=f"set either {identity} (one item) or items (many), not both")
    if params.get("items") is None and params.get(identity) is None and extra_plans is None:
        module.fail_json(msg=f"one of {identity} (one item) or items (many) is required")
    entries, invalid, secret_values = validate_items(params.get("items") or [], item_options, identity)
    module.no_log_values.update(secret_values)  # an entry's password is masked wherever it might appear
    single = params.get("items") is None and params.get(identity) is not None
    items = desired_items(params, item_options, entries) if (entries or single) else []
    given = passwords_given(params.get("passwords"), params.get("items") or [], identity)
    if params.get("password") and single:
        given[items[0][identity]] = params["password"]

    def plan_items(target: Reader, secrets: Mapping[str, str]) -> list[ItemPlan]:
        if module.check_mode and params.get("pending_references"):
            assume_pending(target, params["pending_references"])
        planner = Planner(rtype, target, purge_tags=params["purge_tags"])
        extra = extra_plans(target, params) if extra_plans else []
        state = params["state"] if rtype.write.delete_api else "present"  # an item's own `state` is a field
        return extra + planner.plan(items, state, dict(secrets))

    _plans, report, result, _stats = execute(module, rtype, items, plan_items, invalid, given)
    if report.failed:
        failed = [item for item in report.items if item.outcome == "failed"]
        reasons = "; ".join(item.reason or item.name for item in failed[:5])
        more = f" (and {len(failed) - 5} more)" if len(failed) > 5 else ""
        module.fail_json(msg=f"{len(failed)} of {len(report.items)} items failed: {reasons}{more}", **result)
    module.exit_json(**result)


@dataclass
class Connection:
    """A task's client (counted and paced) and target instance, for several `execute` calls in one task."""

    client: Any
    instance: dict[str, Any]


def connect(module: Any) -> tuple[Connection, CallStats]:
    """The connection a task running several phases shares, and the counts of all its calls."""
    client, stats = connect_client(module, max_pool_connections=_pool_size(module))
    with failures(module, stats, "Failed to find the target instance"):
        return Connection(client, describe_instance(client, module.params["instance"])), stats


def _pool_size(module: Any) -> int:
    """HTTP connections for the executor's threads and the read lanes beside them."""
    return max(1, module.params["max_workers"]) + 2


@contextmanager
def _counted(
    module: Any, connection: Connection | None, aws_failure: str
) -> Iterator[tuple[Any, CallStats, dict[str, Any] | None]]:
    """The client one `execute` call uses, the counts of its calls, and the instance if already known (the task's
    own client, or a shared connection's, counted apart for this call only), failing the task cleanly for what
    the block raises (`failures`)."""
    if connection is None:
        client, stats = connect_client(module, max_pool_connections=_pool_size(module))
        with failures(module, stats, aws_failure):
            yield client, stats, None
        return
    stats = CallStats()
    stats.attach(connection.client)
    try:
        with failures(module, stats, aws_failure):
            yield connection.client, stats, connection.instance
    finally:
        stats.detach(connection.client)


def execute(
    module: Any,
    rtype: ResourceType,
    items: list[dict[str, Any]],
    plan_items: PlanItems,
    invalid: list[tuple[str, str]] = (),  # type: ignore[assignment]
    given_passwords: Mapping[str, str] | None = None,
    on_target: Callable[[Reader], None] | None = None,
    connection: Connection | None = None,
) -> tuple[list[ItemPlan], Report, dict[str, Any], Any]:
    """Plan a task's items in the target and apply the plans (a dry run: preview them), once for every
    write task: the per-type modules and connect_import. `on_target` sees the target's reader before
    anything is read through it. With `connection` (a task that runs several phases) the task's client,
    its pacing and the instance are shared, and only this call's calls are counted in its result.
    Returns the plans, the executor's report, the module result and the call counts; the caller exits."""
    params = module.params
    identity = rtype.identity_key
    workers = max(1, params["max_workers"])
    failure = f"Failed to read the target instance's {rtype.title}s and their references"
    with _counted(module, connection, failure) as (client, stats, instance):
        if instance is None:
            instance = describe_instance(client, params["instance"])
        target = Reader.of(client, instance)
        if on_target is not None:
            on_target(target)
        store = (
            PasswordFile(params["password_file"]) if rtype.write.secret_member and params.get("password_file") else None
        )
        # What a killed task journaled is folded in first; its users keep those passwords if created now.
        on_record = (store.read() if module.check_mode else store.compact()) if store else {}
        secrets, generated, refused = _passwords(
            module, rtype, items, identity, instance, target, on_record, given_passwords or {}
        )
        if rtype.key == "prompts":
            _prompts.stage(items, params)  # the S3 URI each create names, before it is planned
        plans = plan_items(target, secrets)
        plans += [ItemPlan(f"invalid {name}", name, "failed", error=error) for name, error in invalid]
        for plan in plans:
            if plan.name in refused and plan.action == "created":
                plan.action, plan.error, plan.calls = "failed", refused[plan.name], []
        if rtype.key == "prompts":
            _prompt_audio(module, plans, items)
        if module.check_mode:
            report = preview(plans)  # a dry run changes nothing, so it writes no ledger either
        else:
            if params.get("lease_run_id"):
                # The run's lease may have been taken over (a steal, a lost race): stop before this task writes.
                check_held(client, instance["Arn"], params["lease_run_id"], params.get("lease_token") or "")
            attempts = AttemptCounter().attach(client)
            with (
                _detached(attempts, client),
                Ledger(params["ledger"], params.get("run_id")) if params.get("ledger") else _NoLedger() as ledger,
            ):
                on_change = on_intent = abandon = None
                if ledger is not None:
                    confirm_earlier_intents(ledger, rtype, target, instance["Id"], {plan.name for plan in plans})
                    on_change, on_intent = _recorder(rtype, ledger), _intender(rtype, ledger, instance["Id"])

                    def abandon(plan: ItemPlan, call: Any, reason: str) -> None:
                        ledger.append(abandoned_entry(rtype, plan, call, reason))

                reconcile = Reconciler(target, lambda _plan: rtype, abandon)
                # Each generated password is on disk before its CreateUser is sent (see _secrets.py).
                writer = JournalingClient(client, store, generated, on_record) if store else client
                executor = Executor(
                    writer,
                    workers,
                    fail_fast=not params["continue_on_error"],
                    on_change=on_change,
                    on_intent=on_intent,
                    reconcile=reconcile,
                    attempts=attempts,
                )
                report = executor.run(plans)
            if store:
                store.compact()
    result: dict[str, Any] = {
        "changed": report.changed,
        "resource_type": rtype.key,
        "item_results": [item.as_dict(with_diff=module._diff) for item in report.items],
        "totals": report.totals,
        "api_calls": stats.as_dict(),
    }
    if module._diff:
        result["diff"] = _diffs(plans, report)
    return plans, report, result, stats


def _prompt_audio(module: Any, plans: list[ItemPlan], items: list[dict[str, Any]]) -> None:
    """Each prompt to create has its audio in S3 before its create is sent (a dry run only checks it can be):
    one that cannot fails alone, named."""
    by_name = {item["name"]: item for item in items}
    s3 = None
    for plan in plans:
        item = by_name.get(plan.name)
        if plan.action != "created" or plan.error or item is None:
            continue
        problem = _prompts.missing_audio(item, module.params)
        if problem is None and not module.check_mode and item.get("file"):
            try:
                s3 = s3 or _prompts.s3_client(module)
                _prompts.upload(s3, item)
            except Exception as exc:  # an upload that fails fails its prompt, whatever broke
                problem = f"its audio could not be uploaded to {item.get('s3_uri')}: {exc}"
        if problem:
            plan.action, plan.error, plan.calls = "failed", f"{plan.key}: {problem}", []


def confirm_earlier_intents(ledger: Ledger, rtype: Any, target: Reader, instance_id: str, names: set[str]) -> int:
    """Confirm in this run's ledger what earlier runs into this target meant to create and did.

    An earlier run killed between sending a create and confirming it (or whose answer was lost and
    could not be settled) left an open intent in its ledger in the same directory. The item this task
    now finds in the target under that name is that run's creation: recorded here as created, the
    rollback of this resumed run removes it. Returns how many were confirmed.
    """
    found: list[dict[str, Any]] = []
    # An intent's ledger's run, by the entry's id (the entries are shared, read only: not copied).
    run_of: dict[int, str | None] = {}
    for path in sorted(glob.glob(os.path.join(os.path.dirname(ledger.path), "ledger-*.jsonl"))):
        try:
            entries = ledger_entries(path)
        except (OSError, UnicodeDecodeError):
            continue  # an unreadable old ledger is the rollback's to report, not this import's
        found += entries
        run_of.update((id(e), run_id_of(path)) for e in entries if e["action"] == "intent")
    confirmed = 0
    for intent in unconfirmed_intents(found):
        name = str(intent.get("name"))
        if intent["type"] != rtype.key or intent.get("instance") != instance_id or name not in names:
            continue
        record = target.records(rtype.key).get(name)
        if record is None or record.get("planned"):
            continue  # not made: this task creates it afresh, under an intent of its own
        ledger.append(
            {
                "type": rtype.key,
                "name": name,
                "action": "created",
                "id": record.get("Id"),
                "arn": record.get("Arn"),
                "api": intent.get("api"),
                "confirms": intent.get("run_id") or run_of.get(id(intent)),
                "before": {},
                "after": {},
            }
        )
        confirmed += 1
    return confirmed


def _intender(rtype: Any, ledger: Ledger, instance_id: str) -> Callable[[ItemPlan, Any], None]:
    def intend(plan: ItemPlan, call: Any) -> None:
        entry = intent_entry(rtype, plan, call, instance_id)
        if entry is not None:
            ledger.append(entry)

    return intend


@contextmanager
def _detached(attempts: AttemptCounter, client: Any) -> Iterator[None]:
    """The attempt counter counts this call's sends only (a shared client outlives it)."""
    try:
        yield
    finally:
        attempts.detach(client)


class _NoLedger:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *_exc: Any) -> None:
        return None


def _recorder(rtype: Any, ledger: Ledger) -> Callable[[ItemPlan, Any, dict[str, Any]], None]:
    def record(plan: ItemPlan, call: Any, outputs: dict[str, Any]) -> None:
        entry = change_entry(rtype, plan, call, outputs)
        if entry is not None:
            ledger.append(entry)

    return record


def assume_pending(target: Reader, pending: Mapping[str, Any]) -> None:
    """Take the items earlier tasks of this run create as present (check mode; see Reader.assume).

    `pending` maps a type, or a bundle section (`user_hierarchy`: its levels and groups), to its items:
    identities, or entries as a bundle holds them.
    """
    for key, entries in pending.items():
        if key in RESOURCE_TYPES:
            rtype = RESOURCE_TYPES[key]
        elif key in TYPE_OF_SECTION:
            rtype = type_of(key)
            entries = rtype.entries({key: entries})
        else:
            continue
        for entry in entries or []:
            identity = entry.get(rtype.identity_key) if isinstance(entry, Mapping) else entry
            if identity:
                target.assume(rtype.key, str(identity))


def _passwords(
    module: Any,
    rtype: ResourceType,
    items: list[dict[str, Any]],
    identity: str,
    instance: Mapping[str, Any],
    target: Reader,
    on_record: Mapping[str, str],
    given: Mapping[str, str],
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Passwords for the users this run creates; (chosen, generated, refusal per user)."""
    if rtype.write.secret_member is None or module.params.get("state", "present") != "present":
        return {}, {}, {}
    params = module.params
    existing = target.records(rtype.key)
    new = [item[identity] for item in items if item[identity] not in existing]
    generate = bool(params.get("generate_passwords"))
    if generate and not params.get("password_file"):
        module.fail_json(msg="generate_passwords needs password_file: generated passwords are written only there")
    return passwords_for(
        new, instance.get("IdentityManagementType", "CONNECT_MANAGED"), dict(given), generate, on_record
    )
