# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Desired state + one read of the target -> the exact API calls that make them agree.

Nothing else decides what an import writes. For each item the planner resolves the names it
references in the target, compares what the task mentions with what is there, and emits a
create, or only the Update* calls whose fields differ, association changes in the API's chunk
sizes, and tag/untag calls with amazon.aws's tags/purge_tags meaning. Fields the task does not
mention are left alone. It reads everything from the type's description (_resources.py), so a new
type needs a description, not planner code. Check mode stops here and returns the plan; its diff
shows, per item, the before and after of each changed field in the bundle's words (names, not IDs).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import groupby
from typing import Any

from . import _flow
from ._codec import convert, convert_struct, decode_list, decoding, encoding, normalizing, references
from ._executor import Action, Call, ItemPlan, Ref
from ._reader import Reader, title_of
from ._resources import (
    AWS_RESERVED_TAG_PREFIX,
    HIERARCHY_PATH_SEPARATOR,
    RESOURCE_TYPES,
    Describe,
    Field,
    ResourceType,
    SubList,
    Update,
    sorted_entries,
)

MAX_NAMED = 5  # missing references named one by one in an error; beyond that, counted

# ---- bundle words <-> API values ----------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def to_api(target: Reader, f: Field, value: Any) -> Any:
    return convert(f, value, encoding(target.id_of))


def struct_to_api(target: Reader, fields: tuple[Field, ...], value: Mapping[str, Any]) -> dict[str, Any]:
    return convert_struct(fields, value, encoding(target.id_of)) or {}


def from_api(target: Reader, f: Field, raw: Any, searched: bool = True) -> Any:
    """A target value in the bundle's words (what the export would write for it)."""
    return convert(f, raw, decoding(target.name_of, searched=searched))


def struct_from_api(target: Reader, fields: tuple[Field, ...], raw: Mapping[str, Any], searched: bool) -> dict:
    return convert_struct(fields, raw, decoding(target.name_of, searched=searched)) or {}


def normalize(target: Reader, f: Field, value: Any) -> Any:
    """A desired value in the bundle's words: references given as IDs or ARNs become names, lists sorted."""
    return convert(f, value, normalizing(target.name_of))


def normalize_struct(target: Reader, fields: tuple[Field, ...], value: Mapping[str, Any]) -> dict[str, Any]:
    return convert_struct(fields, value, normalizing(target.name_of)) or {}


def missing_refs(target: Reader, f: Field, value: Any) -> list[str]:
    """'routing profile 'Sales RP' not found in target' for each reference the target lacks."""
    errors: list[str] = []
    # One group per field occurrence: a list of references is judged as one, each entry of a list of
    # structures on its own.
    for _group, found in groupby(references((f,), {f.key: value}), key=lambda r: r.group):
        refs = list(found)
        missing = [r.value for r in refs if target.id_of(r.kind, r.value) is None]
        if not missing:
            continue
        kind = refs[0].kind
        if len(missing) > MAX_NAMED:
            # 60 missing quick connects are one problem; say it once, with a few of the names.
            shown = ", ".join(f"'{ref}'" for ref in missing[:MAX_NAMED])
            errors.append(f"{len(missing)} {title_of(kind)}s not found in target: {shown}, ...")
        else:
            errors += [f"{title_of(kind)} '{ref}' not found in target" for ref in missing]
    return errors


# ---- flow language ---------------------------------------------------------------------------------


def flow_table(target: Reader, refs: list[Mapping[str, Any]] | None) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """(source ARN or ID -> the target's, [(source ARN, why it cannot be mapped)]) for a flow's references,
    their names already the target's (_mapping.py)."""
    table: dict[str, str] = {}
    missing: list[tuple[str, str]] = []
    for ref in refs or []:
        kind, name, arn = ref.get("type"), ref.get("name"), str(ref.get("arn"))
        if kind not in RESOURCE_TYPES:
            missing.append((arn, f"{kind} '{name}', which this collection does not carry"))
            continue
        record = target.records(kind).get(name) if name is not None else None
        if record is None or not record.get("Arn"):
            missing.append((arn, f"{title_of(kind)} '{name}', not found in target"))
            continue
        table[arn] = _flow.target_arn(arn, record["Arn"])
        bare = _flow.source_id(arn)
        if bare:
            table[bare] = record["Id"]
    return table, missing


def flow_content(target: Reader, item: Mapping[str, Any], content: Any) -> tuple[str, list[str]]:
    """The item's content with its references rewritten to the target's, and what cannot be: each
    problem names the action and the reference."""
    document = _flow.parse(content)
    if document is None:
        return content, []  # not JSON: Amazon stores a draft as it is; nothing in it can be rewritten
    table, missing = flow_table(target, item.get("references"))
    problems = [f"{_flow.action_naming(document, arn)} names {why} ({arn})" for arn, why in missing]
    rewritten = _flow.rewrite(document, table)
    text = _flow.rewritten_text(content, document, rewritten)
    written = set(table.values())
    associated = {r.get("Arn") for key in ("lambda_functions", "lex_bots") for r in target.records(key).values()}
    for path, found in _flow.leftovers(rewritten, target.instance_arn, written):
        if found in associated or any(found in (arn, _flow.source_id(arn)) for arn, _why in missing):
            continue
        problems.append(f"{_flow.action_at(document, path)} names {found}, which no reference of the bundle maps")
    return text, problems


def diff_tags(current: Mapping[str, str], desired: Mapping[str, str] | None, purge: bool) -> tuple[dict, list]:
    """(tags to set, keys to remove); AWS-reserved `aws:` keys are never removed."""
    if desired is None:
        return {}, []
    to_set = {k: v for k, v in desired.items() if current.get(k) != v}
    removable = [k for k in current if k not in desired and not k.startswith(AWS_RESERVED_TAG_PREFIX)]
    return to_set, sorted(removable) if purge else []


def chunks(values: list[Any], size: int | None) -> list[list[Any]]:
    size = size or max(1, len(values))
    return [values[i : i + size] for i in range(0, len(values), size)]


# ---- sub-lists (associations) --------------------------------------------------------------------


def sublist_current(target: Reader, sub: SubList, item_id: str) -> tuple[list[Any], dict[tuple, str]]:
    """An item's sub-list as a bundle holds it, and (entries written one call each) each entry's ID by its key."""
    raw = target.sublist(sub, item_id)
    ids: dict[tuple, str] = {}
    if sub.entry_create_api and sub.entry_id:
        api_of = {f.key: f.api for f in sub.fields}  # the entries' key (their name) is a plain string
        ids = {tuple(e.get(api_of[k]) for k in sub.sort_by): e[sub.entry_id] for e in raw if e.get(sub.entry_id)}
    return decode_list(sub, raw, decoding(target.name_of)), ids


def sublist_normalized(target: Reader, sub: SubList, desired: list[Any]) -> list[Any]:
    if sub.ref:
        return sorted(target.name_of(sub.ref, v) for v in desired)
    if sub.fields:
        return sorted_entries([normalize_struct(target, sub.fields, v) for v in desired], sub.sort_by)
    return sorted(desired)


def sublist_errors(target: Reader, sub: SubList, desired: list[Any]) -> list[str]:
    if sub.ref:
        return missing_refs(target, Field("", sub.key, ref=sub.ref, many=True), desired)
    return [error for entry in desired for f in sub.fields for error in missing_refs(target, f, entry.get(f.key))]


def _entry_api(target: Reader, sub: SubList, entry: Any) -> Any:
    if sub.ref:
        return target.id_of(sub.ref, entry)
    if sub.fields:
        api = struct_to_api(target, sub.fields, entry)
        return sub.entry_to_api(api) if sub.entry_to_api else api
    return entry


def _reference_api(target: Reader, sub: SubList, entry: Any) -> Any:
    if sub.ref or not sub.fields:
        return _entry_api(target, sub, entry)
    api = struct_to_api(target, sub.fields, entry)
    return sub.reference_to_api(api) if sub.reference_to_api else api


def sublist_calls(
    target: Reader,
    sub: SubList,
    base: dict[str, Any],
    current: list,
    desired: list,
    ids: Mapping[tuple, str] | None = None,
) -> list[Call]:
    """The listed entries are the whole list: missing ones associated, changed ones updated, others removed.

    Entries that are items of their own (an hours' overrides) are created, updated and deleted one call each,
    an existing one named by its ID in `ids` (by its `sort_by` key)."""
    if sub.entry_create_api:
        return _entry_calls(target, sub, base, current, desired, ids or {})
    if sub.associate_api is None:
        # One Update* carries the whole list (a security profile's permissions or applications).
        entries = [_entry_api(target, sub, e) for e in desired]
        return [Call(sub.update_api or "", {**base, sub.member or "": entries})] if current != desired else []
    identity = (lambda e: tuple(e.get(k) for k in sub.sort_by)) if sub.fields else (lambda e: e)
    now = {identity(e): e for e in current}
    wanted = {identity(e): e for e in desired}
    add = [e for k, e in wanted.items() if k not in now]
    change = [e for k, e in wanted.items() if k in now and now[k] != e]
    remove = [e for k, e in now.items() if k not in wanted]
    calls = []
    for chunk in chunks(remove, sub.chunk):
        refs = [_reference_api(target, sub, e) for e in chunk]
        calls.append(Call(sub.disassociate_api or "", {**base, sub.reference_member or sub.member or "": refs}))
    for api, entries in ((sub.associate_api, add), (sub.update_api, change)):
        for chunk in chunks(entries, sub.chunk):
            calls.append(Call(api or "", {**base, sub.member or "": [_entry_api(target, sub, e) for e in chunk]}))
    return calls


def _entry_calls(
    target: Reader, sub: SubList, base: dict[str, Any], current: list, desired: list, ids: Mapping[tuple, str]
) -> list[Call]:
    def key(e: Mapping[str, Any]) -> tuple:
        return tuple(e.get(k) for k in sub.sort_by)

    now = {key(e): e for e in current}
    wanted = {key(e): e for e in desired}
    entry_id = sub.entry_id or ""
    calls = [Call(sub.entry_delete_api or "", {**base, entry_id: ids[k]}) for k in now if k not in wanted]
    for k, e in wanted.items():
        if k not in now:
            calls.append(Call(sub.entry_create_api or "", {**base, **_entry_api(target, sub, e)}))
        elif now[k] != e:
            calls.append(Call(sub.entry_update_api or "", {**base, entry_id: ids[k], **_entry_api(target, sub, e)}))
    return calls


def tag_calls(arn: Any, to_set: Mapping[str, str], to_remove: list[str]) -> list[Call]:
    calls = []
    if to_remove:
        calls.append(Call("UntagResource", {"resourceArn": arn, "tagKeys": to_remove}))
    if to_set:
        calls.append(Call("TagResource", {"resourceArn": arn, "tags": dict(to_set)}))
    return calls


# ---- the planner ----------------------------------------------------------------------------------


class Planner:
    def __init__(self, rtype: ResourceType, target: Reader, purge_tags: bool = True) -> None:
        self.rtype = rtype
        self.target = target
        self.purge_tags = purge_tags
        self.fields = {f.key: f for f in rtype.fields}
        self.updates = {key: update for update in rtype.write.updates for key in update.keys}
        self.update_api = {key: update.api for key, update in self.updates.items()}
        self._lookups: dict[int, dict[str, str]] = {}

    def key_of(self, identity: str) -> str:
        return f"{self.rtype.title} {identity}"

    def plan(
        self,
        items: Iterable[Mapping[str, Any]],
        state: str = "present",
        secrets: Mapping[str, str] | None = None,
    ) -> list[ItemPlan]:
        """One ItemPlan per item, in the order given; `secrets` maps an identity to its Create* secret."""
        items = list(items)
        if state != "absent":
            self._read_ahead(items)
        plans = []
        seen: set[str] = set()
        for item in items:
            identity = item[self.rtype.identity_key]
            if identity in seen:
                # Two entries for one item would race each other: the first one is applied, visibly.
                error = f"{self.key_of(identity)}: listed more than once in this task"
                plans.append(ItemPlan(self.key_of(identity) + " (again)", identity, "failed", error=error))
                continue
            seen.add(identity)
            if state == "absent":
                plans.append(self.plan_absent(identity))
            else:
                plans.append(self.plan_present(item, (secrets or {}).get(identity)))
        return plans

    def _read_ahead(self, items: list[Mapping[str, Any]]) -> None:
        """Send the per-item reads the plans of items already in the target need (their lists, and the
        Describe* of what Search leaves out) all at once, each API in its own lane (Reader.prefetch):
        planning 10,000 existing users then waits on the quotas of both APIs side by side, not on one
        call at a time. Only reads `_plan_update` makes for certain are sent."""
        for sub, describe, ids in self.reads_ahead(items):
            self.target.prefetch(self.rtype, ids, sublists=(sub,) if sub else (), describe=describe)

    def reads_ahead(
        self, items: Iterable[Mapping[str, Any]], *, all_exist: bool = False
    ) -> list[tuple[SubList | None, Describe | None, list[str]]]:
        """The per-item reads planning these items makes: (a list, or a Describe*, and the IDs it is read for),
        for the items the target holds (`all_exist`: every item, by identity, as after their import)."""
        rtype = self.rtype
        if not rtype.sublists and rtype.write.describe is None:
            return []
        records = {} if all_exist else self.target.records(rtype.key)
        existing = []
        for item in items:
            identity = item[rtype.identity_key]
            record = records.get(identity) if not all_exist else {"Id": identity}
            if record is not None and not record.get("pending"):
                existing.append((item, record["Id"]))
        out: list[tuple[SubList | None, Describe | None, list[str]]] = [
            (sub, None, [rid for item, rid in existing if item.get(sub.key) is not None]) for sub in rtype.sublists
        ]
        if rtype.write.describe is not None:
            described = [
                rid for item, rid in existing if any(self._needs_describe(f, item.get(f.key)) for f in rtype.fields)
            ]
            out.append((None, rtype.write.describe, described))
        return [entry for entry in out if entry[2]]

    def _needs_describe(self, f: Field, desired: Any) -> bool:
        """Whether planning an existing item's `desired` value of `f` reads its Describe* for certain: the
        field is one Search leaves out, or members of it are (the conditions of `_plan_update`)."""
        if desired is None or f.tags or f.derived or f.flow_language or f.key not in self.update_api:
            return False
        if f.search_omits:
            return True
        omitted = {s.key for s in f.sub if s.search_omits}
        return bool(f.sub) and not f.many and isinstance(desired, Mapping) and bool(omitted & set(desired))

    def plan_absent(self, identity: str) -> ItemPlan:
        record = self.target.records(self.rtype.key).get(identity)
        key = self.key_of(identity)
        if record is None:
            return ItemPlan(key, identity, "unchanged")
        write = self.rtype.write
        call = Call(write.delete_api or "", write.delete_params(self.target.instance_id, record))
        before = {f.key: from_api(self.target, f, record.get(f.api)) for f in self.rtype.fields}
        outputs = {"id": record["Id"], "arn": record["Arn"]}
        diff = {"before": {k: v for k, v in before.items() if not _empty(v)}, "after": {}}
        return ItemPlan(key, identity, "deleted", [call], diff, outputs)

    def plan_present(self, item: Mapping[str, Any], secret: str | None = None) -> ItemPlan:
        identity = item[self.rtype.identity_key]
        key = self.key_of(identity)
        existing = self.target.records(self.rtype.key).get(identity)
        # The fields of an item an earlier task creates are that task's to check (see _plan_update).
        fields = () if existing is not None and existing.get("pending") else self.rtype.fields
        errors = [e for f in fields for e in missing_refs(self.target, f, item.get(f.key))]
        errors += [
            e
            for sub in self.rtype.sublists
            if item.get(sub.key)
            for e in sublist_errors(self.target, sub, item[sub.key])
        ]
        errors += [e for f in self.rtype.fields if f.flow_language and f.key in item for e in self._content(f, item)[1]]
        if item.get("tags") and not any(f.tags for f in self.rtype.fields):
            errors.append(f"a {self.rtype.title} association carries no tags; leave tags unset")
        if self.rtype.identity_key == "path":
            return self._plan_group(key, identity, item, errors)
        errors += [
            e
            for lk in self.rtype.lookups
            if item.get(lk.key)
            for e in missing_refs(self.target, Field("", lk.key, ref=lk.ref), item[lk.key])
        ]
        if existing is None and self.rtype.mapped_only:
            errors.append(f"the target has no {self.rtype.title} {identity} (an import does not create one)")
        if errors:
            return ItemPlan(key, identity, "failed", error=f"{key}: " + "; ".join(dict.fromkeys(errors)))
        if existing is None:
            return self._plan_create(key, identity, item, secret)
        return self._plan_update(key, identity, item, existing)

    # ---- create ----

    def _plan_create(self, key: str, identity: str, item: Mapping[str, Any], secret: str | None) -> ItemPlan:
        rtype, target, write = self.rtype, self.target, self.rtype.write
        params: dict[str, Any] = {"InstanceId": target.instance_id, **dict(write.create_defaults)}
        after: dict[str, Any] = {}
        later: list[Call] = []
        after_create = dict(write.after_create)
        for f in rtype.fields:
            value = item.get(f.key)
            if _empty(value) or f.derived:
                continue
            if f.flow_language:
                value = self._content(f, item)[0]
            after[f.key] = normalize(target, f, value)
            if f.key in after_create and f.key not in self.update_api and value != after_create[f.key]:
                made = f"{write.create_api} creates {after_create[f.key]!r} only"
                error = f"{key}: {f.key} is {value!r} in the task, {made}, and no Connect API changes it"
                return ItemPlan(key, identity, "failed", error=error)
            if f.key in after_create:
                if value != after_create[f.key]:
                    base: dict[str, Any] = {"InstanceId": target.instance_id, write.id_param or "": Ref(key, "id")}
                    update = self.updates[f.key]
                    later.append(Call(update.api, {**base, _member(update, f): to_api(target, f, value)}))
            else:
                api_value = to_api(target, f, value)
                default = params.get(f.api)
                # A partial structure keeps the defaults it does not mention (PhoneConfig's PhoneType).
                params[f.api] = {**default, **api_value} if isinstance(default, dict) else api_value
        params[rtype.read.identity_field] = identity
        if write.identify is not None:  # an association: Associate* takes only what names it
            params = {"InstanceId": target.instance_id, **write.identify(params)}
        if secret is not None and write.secret_member:
            params[write.secret_member] = secret
        for sub in rtype.sublists:
            desired = item.get(sub.key)
            if not desired:
                continue
            after[sub.key] = sublist_normalized(target, sub, desired)
            if sub.on_create:
                params[sub.member or ""] = [_entry_api(target, sub, e) for e in after[sub.key]]
            else:
                base = {"InstanceId": target.instance_id, write.id_param or "": Ref(key, "id")}
                later.extend(sublist_calls(target, sub, base, [], after[sub.key]))
        outputs = {"id": write.create_id_key or "", "arn": write.create_arn_key or ""}
        calls = [Call(write.create_api or "", params, {k: v for k, v in outputs.items() if v}), *later]
        return ItemPlan(key, identity, "created", calls, {"before": {}, "after": after})

    # ---- update ----

    def _plan_update(self, key: str, identity: str, item: Mapping[str, Any], record: dict[str, Any]) -> ItemPlan:
        rtype, target = self.rtype, self.target
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        updates: dict[str, dict[str, Any]] = {}
        base = {"InstanceId": target.instance_id, **rtype.write.addressing(record)}
        described: dict[str, Any] | None = None
        # An item an earlier task of this run creates (check mode) was written from the same entry:
        # its fields and tags are taken as given, and only what this task adds is planned: a second
        # pass's fields (a flow's content), which the create left to it.
        pending = bool(record.get("pending"))
        fields = tuple(f for f in rtype.fields if f.second_pass and f.key in item) if pending else rtype.fields
        # A member no Update* writes (an agent status's type) cannot be made to agree: say so, write nothing.
        fixed = [problem for f in fields if not f.derived and (problem := self._fixed(f, item.get(f.key), record))]
        if fixed:
            return ItemPlan(key, identity, "failed", error=f"{key}: {'; '.join(fixed)}")
        created_with = dict(rtype.write.create_defaults)
        for f in fields:
            desired = item.get(f.key)
            if desired is None or f.tags or f.derived or f.key == rtype.identity_key or f.key not in self.update_api:
                continue
            raw = created_with.get(f.api) if pending else record.get(f.api)
            if f.flow_language:
                content = self._content(f, item)[0]
                if not _flow.same_content(raw, content):
                    before[f.key], after[f.key] = raw, content
                    updates.setdefault(self.update_api[f.key], dict(base))[f.api] = content
                continue
            wanted = normalize(target, f, desired)
            current = from_api(target, f, raw)
            if f.search_omits and rtype.write.describe and not record.get("pending"):
                # Search does not return it (a security profile's access-control tags): read Describe*, once.
                described = described or target.describe(rtype, record["Id"])
                current = from_api(target, f, described.get(f.api), searched=False)
            if f.sub and not f.many and isinstance(wanted, dict):
                omitted = {s.key for s in f.sub if s.search_omits}
                needs_describe = set(wanted) & omitted or _differs(current, wanted)
                if omitted and needs_describe and rtype.write.describe and not record.get("pending"):
                    # The Update* call carries the whole structure: read what Search left out first.
                    described = described or target.describe(rtype, record["Id"])
                    current = from_api(target, f, described.get(f.api), searched=False)
                if all(not s.sub for s in f.sub):
                    wanted = {**(current or {}), **wanted}  # members the task does not mention keep their value
            structure = bool(f.sub) and not f.many  # members compared one by one; a map is compared whole
            if not _differs(current, wanted, structure):
                continue
            before[f.key], after[f.key] = _changed_part(current, wanted) if structure else (current, wanted)
            update = self.updates[f.key]
            updates.setdefault(update.api, dict(base))[_member(update, f)] = to_api(target, f, wanted)
        for update in rtype.write.updates:
            if update.whole and update.api in updates:  # members the API takes together: the unchanged ones too
                for f in (self.fields[k] for k in update.keys if k in item):
                    value = self._content(f, item)[0] if f.flow_language else to_api(target, f, item[f.key])
                    updates[update.api].setdefault(_member(update, f), value)
        calls = [Call(api, params) for api, params in updates.items()]
        for sub in rtype.sublists:
            desired = item.get(sub.key)
            if desired is None:
                continue
            current_list, ids = ([], {}) if record.get("pending") else sublist_current(target, sub, record["Id"])
            wanted_list = sublist_normalized(target, sub, desired)
            if sub.fields and sub.associate_api is None and not sub.entry_create_api:
                wanted_list = _keep_unmentioned(sub, current_list, wanted_list)
            sub_calls = sublist_calls(target, sub, base, current_list, wanted_list, ids)
            if sub_calls:
                before[sub.key], after[sub.key] = current_list, wanted_list
                # A whole-list Update* joins a field's Update* call; association calls stay their own (two
                # sub-lists may share an Associate*, a routing profile's queues and manual-assignment queues).
                whole_list = sub.associate_api is None and not sub.entry_create_api
                calls.extend(self._merge(calls, sub_calls) if whole_list else sub_calls)
        for index, lk in enumerate(rtype.lookups):
            if lk.key not in item or lk.associate_api is None:
                continue
            desired = item[lk.key]  # None: the association goes (a rollback to a number without a flow)
            table = self._lookup(index)
            now = table.get(record["Id"]) or table.get(record.get("Arn") or "")
            current = target.name_of(lk.ref, now) if now else None
            if current == desired or (desired is None and lk.disassociate_api is None):
                continue
            before[lk.key], after[lk.key] = current, desired
            params = {"InstanceId": target.instance_id, lk.item_param or "": record["Id"]}
            if desired is None:
                calls.append(Call(lk.disassociate_api or "", params))
            else:
                calls.append(Call(lk.associate_api, {**params, lk.value_param or "": target.id_of(lk.ref, desired)}))
        current_tags = from_api(target, Field("Tags", "tags", tags=True), record.get("Tags"))
        wanted_tags = None if record.get("pending") else item.get("tags")
        to_set, to_remove = diff_tags(current_tags, wanted_tags, self.purge_tags)
        if to_set or to_remove:
            # The tags the item will really have: with purge_tags false, the ones kept as well as the new.
            kept = {k: v for k, v in current_tags.items() if k not in to_remove}
            before["tags"], after["tags"] = current_tags, {**kept, **to_set}
            calls.extend(tag_calls(record["Arn"], to_set, to_remove))
        outputs = {"id": record["Id"], "arn": record["Arn"]}
        action: Action = "updated" if calls else "unchanged"
        return ItemPlan(key, identity, action, calls, {"before": before, "after": after}, outputs)

    def _lookup(self, index: int) -> dict[str, str]:
        """An instance-wide look-up (phone number -> flow), read once per plan."""
        if index not in self._lookups:
            self._lookups[index] = self.target.lookup(self.rtype, index)
        return self._lookups[index]

    def _content(self, f: Field, item: Mapping[str, Any]) -> tuple[str, list[str]]:
        """The item's flow language rewritten for the target, and what cannot be rewritten."""
        return flow_content(self.target, item, item.get(f.key))

    def _fixed(self, f: Field, desired: Any, record: dict[str, Any]) -> str | None:
        """Why a member the task gives cannot be written (no Update* carries it and the target differs), if so."""
        if desired is None or f.tags or f.create_only or f.key == self.rtype.identity_key or f.key in self.update_api:
            return None
        current = from_api(self.target, f, record.get(f.api))
        if not _differs(current, normalize(self.target, f, desired)):
            return None
        return f"{f.key} is {current!r} in the target, {desired!r} in the task, and no Connect API changes it"

    @staticmethod
    def _merge(calls: list[Call], new: list[Call]) -> list[Call]:
        """A sub-list written by an Update* already planned for a field (UpdateSecurityProfile) joins that call."""
        out = []
        for call in new:
            same = next((c for c in calls if c.api == call.api), None)
            if same is not None:
                same.params.update(call.params)
            else:
                out.append(call)
        return out

    # ---- hierarchy groups: identified by path, created parent first ----

    def _plan_group(self, key: str, path: str, item: Mapping[str, Any], errors: list[str]) -> ItemPlan:
        target, write = self.target, self.rtype.write
        records = target.records(self.rtype.key)
        parts = path.split(HIERARCHY_PATH_SEPARATOR)
        if errors:
            return ItemPlan(key, path, "failed", error=f"{key}: " + "; ".join(errors))
        record = records.get(path)
        if record is not None and (record.get("pending") or not record.get("planned")):
            return self._plan_update(key, path, item, record)
        params: dict[str, Any] = {"InstanceId": target.instance_id, "Name": parts[-1]}
        wave = len(parts) - 1
        if len(parts) > 1:
            parent = HIERARCHY_PATH_SEPARATOR.join(parts[:-1])
            found = records.get(parent)
            if found is None:
                message = f"{key}: parent group '{parent}' not found in target nor in this task"
                return ItemPlan(key, path, "failed", error=message)
            in_this_task = found.get("planned") and not found.get("pending")
            params["ParentGroupId"] = Ref(self.key_of(parent), "id") if in_this_task else found["Id"]
        if item.get("tags"):
            params["Tags"] = dict(item["tags"])
        target.add(self.rtype.key, path, {"Id": None, "Arn": None, "planned": True})
        outputs = {"id": write.create_id_key or "", "arn": write.create_arn_key or ""}
        after: dict[str, Any] = {"path": path, **({"tags": dict(item["tags"])} if item.get("tags") else {})}
        call = Call(write.create_api or "", params, {k: v for k, v in outputs.items() if v})
        return ItemPlan(key, path, "created", [call], {"before": {}, "after": after}, wave=wave)


def _member(update: Update, f: Field) -> str:
    """The request member an Update* takes a field's value in."""
    return dict(update.rename).get(f.api, f.api)


def _differs(current: Any, wanted: Any, structure: bool = True) -> bool:
    if structure and isinstance(current, dict) and isinstance(wanted, dict):
        return any(current.get(k) != v for k, v in wanted.items())
    return current != wanted and not (_empty(current) and _empty(wanted))


def _keep_unmentioned(sub: SubList, current: list[dict], wanted: list[dict]) -> list[dict]:
    """Entries written whole by one Update* keep the members the task leaves out (an application's type).

    So a security profile's applications compare as namespaces with their permissions unless the task
    also gives a type; the Update* then carries the type the target already has.
    """
    now = {tuple(e.get(k) for k in sub.sort_by): e for e in current}
    return [{**now.get(tuple(e.get(k) for k in sub.sort_by), {}), **e} for e in wanted]


def _changed_part(current: Any, wanted: Any) -> tuple[Any, Any]:
    """For a structure, only the members that change; otherwise the whole value."""
    if isinstance(current, dict) and isinstance(wanted, dict):
        changed = [k for k, v in wanted.items() if current.get(k) != v]
        return {k: current.get(k) for k in changed}, {k: wanted[k] for k in changed}
    return current, wanted
