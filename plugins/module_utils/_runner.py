# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every write module does, once: read options, plan, apply or preview, shape the result.

A write module is its documentation, its item options and one call to `run_import()`. A task
names one item with options at the top level, or many with `items` (the same options per entry),
so one task can carry 10,000 users; both go through the same planner and executor.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ._client import PACING_OPTIONS, connect_client
from ._executor import DEFAULT_WORKERS, Executor, ItemPlan, Report, preview
from ._instance import InstanceNotFound, describe_instance
from ._ledger import Ledger, change_entry
from ._planner import Planner
from ._resources import RESOURCE_TYPES
from ._secrets import JournalingClient, PasswordError, PasswordFile, passwords_for
from ._target import Target

try:
    import botocore
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore itself

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
}


def argument_spec(item_options: Mapping[str, Any], identity: str) -> dict[str, Any]:
    """The module's spec: the item options at the top level, and `items`, entries checked one by one.

    `items` has no sub-options in the spec on purpose: Ansible would reject the whole task for one
    malformed entry, where an import of thousands should fail that entry alone (`validate_items`).
    """
    top = {name: {**spec, "required": False} for name, spec in item_options.items()}
    top["tags"] = {"type": "dict", "aliases": ["resource_tags"]}
    return {**COMMON_OPTIONS, **top, "items": {"type": "list", "elements": "dict"}}


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
    for number, entry in enumerate(entries, start=1):
        name = str(entry.get(identity) or f"entry {number}") if isinstance(entry, dict) else f"entry {number}"
        if not isinstance(entry, dict):
            invalid.append((name, f"{name}: an entry of items must be a dictionary"))
            continue
        result = validator.validate(entry)
        if entry.get("password"):
            secrets.add(str(entry["password"]))
        if result.error_messages:
            invalid.append((name, f"{name}: " + "; ".join(result.error_messages)))
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


def run_import(
    module: Any,
    type_key: str,
    item_options: Mapping[str, Any],
    identity: str,
    extra_plans: Callable[[Target, Mapping[str, Any]], list[ItemPlan]] | None = None,
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
    workers = max(1, params["max_workers"])
    client, stats = connect_client(module, max_pool_connections=workers + 2)
    try:
        instance = describe_instance(client, params["instance"])
        target = Target(client, instance["Id"])
        if module.check_mode and params.get("pending_references"):
            assume_pending(target, params["pending_references"])
        planner = Planner(rtype, target, purge_tags=params["purge_tags"])
        store = (
            PasswordFile(params["password_file"]) if rtype.write.secret_member and params.get("password_file") else None
        )
        # What a killed task journaled is folded in first; its users keep those passwords if created now.
        on_record = (store.read() if module.check_mode else store.compact()) if store else {}
        secrets, generated, refused = _passwords(
            module, rtype.write.secret_member, items, identity, instance, target, on_record
        )
        plans = (extra_plans(target, params) if extra_plans else []) + planner.plan(items, params["state"], secrets)
        plans += [ItemPlan(f"invalid {name}", name, "failed", error=error) for name, error in invalid]
        for plan in plans:
            if plan.name in refused and plan.action == "created":
                plan.action, plan.error, plan.calls = "failed", refused[plan.name], []
        if module.check_mode:
            report = preview(plans)  # a dry run changes nothing, so it writes no ledger either
        else:
            with Ledger(params["ledger"], params.get("run_id")) if params.get("ledger") else _NoLedger() as ledger:
                on_change = _recorder(rtype, ledger) if params.get("ledger") else None
                # Each generated password is on disk before its CreateUser is sent (see _secrets.py).
                writer = JournalingClient(client, store, generated, on_record) if store else client
                executor = Executor(writer, workers, fail_fast=not params["continue_on_error"], on_change=on_change)
                report = executor.run(plans)
            if store:
                store.compact()
    except InstanceNotFound as exc:
        module.fail_json(msg=str(exc), api_calls=stats.as_dict())
    except PasswordError as exc:
        module.fail_json(msg=str(exc), api_calls=stats.as_dict())
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
        module.fail_json_aws(exc, msg=f"Failed to read the target instance's {rtype.title}s and their references")
    result: dict[str, Any] = {
        "changed": report.changed,
        "resource_type": type_key,
        "results": [item.as_dict(with_diff=module._diff) for item in report.items],
        "totals": report.totals,
        "api_calls": stats.as_dict(),
    }
    if module._diff:
        result["diff"] = _diffs(plans, report)
    if report.failed:
        failed = [item for item in report.items if item.outcome == "failed"]
        reasons = "; ".join(item.reason or item.name for item in failed[:5])
        more = f" (and {len(failed) - 5} more)" if len(failed) > 5 else ""
        module.fail_json(msg=f"{len(failed)} of {len(report.items)} items failed: {reasons}{more}", **result)
    module.exit_json(**result)


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


def assume_pending(target: Target, pending: Mapping[str, Any]) -> None:
    """Take the items earlier tasks of this run create as present (check mode; see Target.assume).

    `pending` maps a type to its items (identities, or entries as a bundle holds them); a bundle's
    `user_hierarchy` ({levels, groups}) is accepted for the hierarchy groups.
    """
    for key, entries in pending.items():
        if key == "user_hierarchy" and isinstance(entries, Mapping):
            key, entries = "user_hierarchy_groups", entries.get("groups") or []
        rtype = RESOURCE_TYPES.get(key)
        if rtype is None:
            continue
        for entry in entries or []:
            identity = entry.get(rtype.identity_key) if isinstance(entry, Mapping) else entry
            if identity:
                target.assume(key, str(identity))


def _passwords(
    module: Any,
    secret_member: str | None,
    items: list[dict[str, Any]],
    identity: str,
    instance: Mapping[str, Any],
    target: Target,
    on_record: Mapping[str, str],
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Passwords for the users this run creates; (chosen, generated, refusal per user)."""
    if secret_member is None or module.params["state"] != "present":
        return {}, {}, {}
    params = module.params
    existing = target.records("users")
    new = [item[identity] for item in items if item[identity] not in existing]
    given = dict(params.get("passwords") or {})
    if params.get("password") and params.get("items") is None:
        given[items[0][identity]] = params["password"]
    for item in params.get("items") or []:
        if isinstance(item, dict) and item.get("password") and item.get(identity):
            given[item[identity]] = item["password"]
    generate = bool(params.get("generate_passwords"))
    if generate and not params.get("password_file"):
        module.fail_json(msg="generate_passwords needs password_file: generated passwords are written only there")
    return passwords_for(new, instance.get("IdentityManagementType", "CONNECT_MANAGED"), given, generate, on_record)
