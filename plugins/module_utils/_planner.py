# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Desired state + one read of the target -> the exact API calls that make them agree.

Nothing else decides what an import writes. For each item the planner resolves the names it
references in the target, compares what the task mentions with what is there, and emits a
create, or only the Update* calls whose fields differ, association changes in the API's chunk
sizes, and tag/untag calls with amazon.aws's tags/purge_tags meaning. Fields the task does not
mention are left alone. Check mode stops here and returns the plan; its diff shows, per item,
the before and after of each changed field in the bundle's words (names, not IDs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._executor import Call, ItemPlan, Ref
from ._target import KIND_WORDS, Target


@dataclass(frozen=True)
class Attr:
    """One portable field: its bundle key, its API parameter, and how a change to it is written.

    `ref` names the kind the value refers to (by name in the bundle, by ID in the API); `many`
    makes it a list compared as a set; `sub` maps the keys of a nested dict (only the sub-keys a
    task mentions are compared, the others keep their current value); `update` is the Update*
    API that writes it (attrs sharing one API are written by one call), None when Connect cannot
    change it after creation; `read` is the record field when it differs from `param`.
    """

    key: str
    param: str
    ref: str | None = None
    many: bool = False
    sub: Mapping[str, str] | None = None
    update: str | None = None
    read: str | None = None
    # Shapes the generic rules do not cover (a list of dicts, references inside a dict): the
    # conversions between bundle words and API values, and the reference errors of a value.
    to_api: Callable[[Target, Any], Any] | None = None
    from_api: Callable[[Target, Any], Any] | None = None
    errors: Callable[[Target, Any], list[str]] | None = None
    # False when the Create* API does not take the field: it is written by its Update* call
    # right after the create (a queue's status).
    on_create: bool = True
    create_default: Any = None  # what Create* leaves it at, so a create that wants that value skips the update


@dataclass
class Association:
    """A list kept by separate Associate/Disassociate calls (queues of a routing profile, ...).

    `current(target, record)` returns the portable list now in the target; `calls(...)` returns
    the calls that turn it into the desired list, chunked as the API requires.
    """

    key: str
    current: Callable[[Target, dict[str, Any]], list[Any]]
    calls: Callable[[Target, Any, list[Any], list[Any], bool], list[Call]]
    resolve: Callable[[Target, Any], list[str]]  # reference errors in the desired value


@dataclass
class WriteSpec:
    kind: str
    key: str  # the bundle key that names an item (name, username)
    name_param: str  # the API parameter that carries it
    create_api: str
    id_param: str  # the parameter that names an existing item in Update*/Delete*
    delete_api: str | None
    attrs: list[Attr]
    create_outputs: dict[str, str]
    associations: list[Association] = field(default_factory=list)
    tags_on_create: bool = True
    # Fix-ups of a target record before comparison (API quirks such as SearchUsers' milliseconds),
    # and extra reads a comparison needs (DescribeUser for the e-mail that SearchUsers omits).
    fix_record: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    enrich: Callable[[Any, Target, dict[str, Any], dict[str, Any]], dict[str, Any]] | None = None
    create_defaults: dict[str, Any] = field(default_factory=dict)

    @property
    def word(self) -> str:
        return KIND_WORDS.get(self.kind, self.kind)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def current_value(spec: WriteSpec, attr: Attr, target: Target, record: dict[str, Any]) -> Any:
    """The target's value of one attr in the bundle's words."""
    raw = record.get(attr.read or attr.param)
    if attr.from_api is not None:
        return attr.from_api(target, raw)
    if attr.sub is not None:
        raw = raw or {}
        return {key: raw.get(param) for key, param in attr.sub.items()}
    if attr.ref is not None:
        if attr.many:
            return sorted(target.name_of(attr.ref, ref) for ref in raw or [])
        return target.name_of(attr.ref, raw) if raw else None
    return raw


def _normalized(attr: Attr, target: Target, desired: Any) -> Any:
    """The desired value in the bundle's words: references given as IDs become names."""
    if attr.from_api is not None and attr.to_api is not None:
        return attr.from_api(target, attr.to_api(target, desired))
    if attr.ref is None:
        return desired
    if attr.many:
        return sorted(target.name_of(attr.ref, ref) for ref in desired)
    return target.name_of(attr.ref, desired) if desired else desired


def _api_value(attr: Attr, target: Target, value: Any) -> Any:
    if attr.to_api is not None:
        return attr.to_api(target, value)
    if attr.sub is not None:
        return {attr.sub[key]: sub for key, sub in value.items() if sub is not None}
    if attr.ref is not None:
        if attr.many:
            return [target.id_of(attr.ref, ref) for ref in value]
        return target.id_of(attr.ref, value) if value else None
    return value


def reference_errors(spec: WriteSpec, target: Target, item: Mapping[str, Any]) -> list[str]:
    errors = []
    for attr in spec.attrs:
        value = item.get(attr.key)
        if attr.errors is not None and value is not None:
            errors.extend(attr.errors(target, value))
        if attr.ref is None or not value:
            continue
        for ref in value if attr.many else [value]:
            if target.id_of(attr.ref, ref) is None:
                errors.append(f"{KIND_WORDS[attr.ref]} '{ref}' not found in target")
    for association in spec.associations:
        if item.get(association.key) is not None:
            errors.extend(association.resolve(target, item[association.key]))
    return errors


def diff_tags(current: Mapping[str, str], desired: Mapping[str, str] | None, purge: bool) -> tuple[dict, list]:
    """(tags to set, keys to remove); AWS-reserved `aws:` keys are never removed."""
    if desired is None:
        return {}, []
    to_set = {k: v for k, v in desired.items() if current.get(k) != v}
    to_remove = sorted(k for k in current if k not in desired and not k.startswith("aws:")) if purge else []
    return to_set, to_remove


def tag_calls(arn: Any, to_set: Mapping[str, str], to_remove: list[str]) -> list[Call]:
    calls = []
    if to_remove:
        calls.append(Call("UntagResource", {"resourceArn": arn, "tagKeys": to_remove}))
    if to_set:
        calls.append(Call("TagResource", {"resourceArn": arn, "tags": dict(to_set)}))
    return calls


class Planner:
    def __init__(self, spec: WriteSpec, target: Target, purge_tags: bool = True) -> None:
        self.spec = spec
        self.target = target
        self.purge_tags = purge_tags

    def plan(self, items: Iterable[Mapping[str, Any]], state: str = "present") -> list[ItemPlan]:
        plans = []
        seen: set[str] = set()
        for item in items:
            name = item[self.spec.key]
            if name in seen:
                # Two entries for one name would race each other; the first one wins, visibly.
                error = f"{self._key(name)}: listed more than once in this task"
                plans.append(ItemPlan(self._key(name) + " (again)", name, "failed", error=error))
                continue
            seen.add(name)
            plans.append(self.plan_absent(item) if state == "absent" else self.plan_present(item))
        return plans

    def _key(self, name: str) -> str:
        return f"{self.spec.word} {name}"

    def plan_absent(self, item: Mapping[str, Any]) -> ItemPlan:
        spec, name = self.spec, item[self.spec.key]
        record = self.target.records(spec.kind).get(name)
        if record is None:
            return ItemPlan(self._key(name), name, "unchanged")
        before = {a.key: current_value(spec, a, self.target, record) for a in spec.attrs}
        call = Call(spec.delete_api or "", {"InstanceId": self.target.instance_id, spec.id_param: record["Id"]})
        outputs = {"id": record["Id"], "arn": record["Arn"]}
        return ItemPlan(self._key(name), name, "deleted", [call], {"before": before, "after": {}}, outputs)

    def plan_present(self, item: Mapping[str, Any]) -> ItemPlan:
        spec, target, name = self.spec, self.target, item[self.spec.key]
        key = self._key(name)
        errors = reference_errors(spec, target, item)
        if errors:
            return ItemPlan(key, name, "failed", error=f"{key}: " + "; ".join(errors))
        record = target.records(spec.kind).get(name)
        if record is None:
            return self._plan_create(key, name, item)
        if spec.fix_record:
            record = spec.fix_record(record)
        if spec.enrich:
            record = spec.enrich(target.client, target, record, dict(item))
        return self._plan_update(key, name, item, record)

    def _plan_create(self, key: str, name: str, item: Mapping[str, Any]) -> ItemPlan:
        spec, target = self.spec, self.target
        params: dict[str, Any] = {"InstanceId": target.instance_id, **spec.create_defaults}
        after: dict[str, Any] = {spec.key: name}
        later: list[Call] = []
        for attr in spec.attrs:
            value = item.get(attr.key)
            if _empty(value) or attr.key == spec.key:
                continue
            after[attr.key] = _normalized(attr, target, value)
            if attr.on_create:
                params[attr.param] = _api_value(attr, target, value)
            elif attr.update and value != attr.create_default:
                update = {"InstanceId": target.instance_id, spec.id_param: Ref(key, "id")}
                later.append(Call(attr.update, {**update, attr.param: _api_value(attr, target, value)}))
        params[spec.name_param] = name
        if item.get("tags"):
            after["tags"] = dict(item["tags"])
            if spec.tags_on_create:
                params["Tags"] = dict(item["tags"])
        calls = [Call(spec.create_api, params, dict(spec.create_outputs)), *later]
        for association in spec.associations:
            desired = item.get(association.key)
            if desired:
                after[association.key] = desired
                calls.extend(association.calls(target, Ref(key, "id"), [], list(desired), True))
        if item.get("tags") and not spec.tags_on_create:
            calls.extend(tag_calls(Ref(key, "arn"), item["tags"], []))
        return ItemPlan(key, name, "created", calls, {"before": {}, "after": after})

    def _plan_update(self, key: str, name: str, item: Mapping[str, Any], record: dict[str, Any]) -> ItemPlan:
        spec, target = self.spec, self.target
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        changed_by_api: dict[str, list[Attr]] = {}
        merged: dict[str, Any] = {}
        for attr in spec.attrs:
            desired = item.get(attr.key)
            if desired is None or attr.update is None or attr.key == spec.key:
                continue
            current = current_value(spec, attr, target, record)
            if isinstance(current, dict) and isinstance(desired, dict):
                # Only the sub-keys the task mentions are compared; the others keep their value.
                if attr.to_api is not None:
                    desired = {**desired, **_normalized(attr, target, desired)}
                mentioned = {k: v for k, v in desired.items() if v is not None}
                wanted = {**current, **mentioned}
                differs = {k: v for k, v in mentioned.items() if current.get(k) != v}
                if differs:
                    before[attr.key] = {k: current.get(k) for k in differs}
                    after[attr.key] = differs
                merged[attr.key] = wanted
            else:
                wanted = _normalized(attr, target, desired)
                if wanted != current and not (_empty(wanted) and _empty(current)):
                    before[attr.key], after[attr.key] = current, wanted
                merged[attr.key] = desired
            if attr.key in after:
                changed_by_api.setdefault(attr.update, [])
        calls = []
        for api in changed_by_api:
            # An Update* call writes all of its attrs: the ones not changing keep their current value.
            params: dict[str, Any] = {"InstanceId": target.instance_id, spec.id_param: record["Id"]}
            for attr in spec.attrs:
                if attr.update != api:
                    continue
                value = merged.get(attr.key, current_value(spec, attr, target, record))
                api_value = None if _empty(value) else _api_value(attr, target, value)
                if api_value is not None:
                    params[attr.param] = api_value
            calls.append(Call(api, params))
        for association in spec.associations:
            desired = item.get(association.key)
            if desired is None:
                continue
            current_list = association.current(target, record)
            new_calls = association.calls(target, record["Id"], current_list, list(desired), False)
            if new_calls:
                before[association.key], after[association.key] = current_list, list(desired)
                calls.extend(new_calls)
        to_set, to_remove = diff_tags(record.get("Tags") or {}, item.get("tags"), self.purge_tags)
        if to_set or to_remove:
            before["tags"], after["tags"] = dict(record.get("Tags") or {}), dict(item["tags"] or {})
            calls.extend(tag_calls(record["Arn"], to_set, to_remove))
        action = "updated" if calls else "unchanged"
        outputs = {"id": record["Id"], "arn": record["Arn"]}
        return ItemPlan(key, name, action, calls, {"before": before, "after": after}, outputs)


def chunks(values: list[Any], size: int) -> list[list[Any]]:
    return [values[i : i + size] for i in range(0, len(values), size)]
