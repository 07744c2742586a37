# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading an instance into portable items: every resource type through its one description.

The steps, each written once for every type:
1. read every item of each type a closure can reach, with one paginated call per type at the API's
   largest page size (`Reader.records`);
2. pick the roots: all items of the asked-for types, or the items the filters select;
3. follow references from the roots (fields, per-item lists such as a routing profile's queues,
   instance-wide look-ups such as a phone number's flow) until the selection is self-contained;
   per-item lists are read only for items that end up in the export;
4. turn each selected record into a bundle item: portable fields only, snake_case keys, every
   reference spelled as the referenced item's identity (name, path, E.164 number), units normalised,
   `aws:` tags dropped. An item whose reference cannot be resolved (e.g. a quick connect to a deleted
   user) is left out and reported, and so are list entries pointing at it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ansible_collections.ccaas.connect.plugins.module_utils._client import paginate
from ansible_collections.ccaas.connect.plugins.module_utils._resources import (
    AWS_RESERVED_TAG_PREFIX,
    HIERARCHY_LEVELS,
    HIERARCHY_PATH_SEPARATOR,
    HIERARCHY_STRUCTURE_READ,
    RESOURCE_CHOICES,
    RESOURCE_TYPES,
    Field,
    ResourceType,
    SubList,
    ms_to_seconds,
    sorted_entries,
    walk_fields,
)

Record = dict[str, Any]
Ref = tuple[str, str]  # (resource type, ID or ARN)

DEFAULT_BU_TAG_KEY = "BU"


class ExportError(Exception):
    """The export cannot be made as asked (bad filter, unreadable identity, ...)."""


# ---------------------------------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------------------------------


def _fold(text: Any) -> str:
    return str(text).strip().casefold()


def tag_matches(tags: dict[str, str] | None, key: str, value: str) -> bool:
    """The business-unit rule: tag key and value both compared ignoring case and surrounding blanks.

    Tags are written by hand over years, so `BU=Sales`, `BU=SALES`, `bu=sales` and `Bu=Sales` all
    mean the Sales business unit; an exact match would silently drop resources from a migration.
    """
    wanted_key, wanted_value = _fold(key), _fold(value)
    return any(_fold(k) == wanted_key and _fold(v) == wanted_value for k, v in (tags or {}).items())


@dataclass
class Filters:
    """What a filtered export starts from. Queue filters combine with AND; so do user filters."""

    bu_tag_value: str | None = None
    bu_tag_key: str = DEFAULT_BU_TAG_KEY
    queue_prefix: str | None = None
    include_agent_queues: bool = False
    user_routing_profiles: list[str] = field(default_factory=list)
    user_hierarchy_groups: list[str] = field(default_factory=list)
    user_tags: dict[str, str] = field(default_factory=dict)

    @property
    def on_queues(self) -> bool:
        return bool(self.bu_tag_value) or bool(self.queue_prefix)

    @property
    def on_users(self) -> bool:
        return bool(self.user_routing_profiles or self.user_hierarchy_groups or self.user_tags)

    def describe(self) -> dict[str, Any]:
        """The filters in force, as the bundle records them."""
        out: dict[str, Any] = {}
        if self.bu_tag_value:
            out["bu_tag"] = {"key": self.bu_tag_key, "value": self.bu_tag_value}
        if self.queue_prefix:
            out["queue_prefix"] = self.queue_prefix
        if self.include_agent_queues:
            out["include_agent_queues"] = True
        if self.user_routing_profiles:
            out["user_routing_profiles"] = sorted(self.user_routing_profiles)
        if self.user_hierarchy_groups:
            out["user_hierarchy_groups"] = sorted(self.user_hierarchy_groups)
        if self.user_tags:
            out["user_tags"] = dict(sorted(self.user_tags.items()))
        return out


def queue_selected(name: str, tags: dict[str, str] | None, filters: Filters) -> bool:
    """A queue is selected when it carries the BU tag (see `tag_matches`) and its name starts with the prefix.

    The prefix is compared as written (case-sensitive): it is part of a naming convention such as `Q_QC_`.
    """
    if filters.bu_tag_value and not tag_matches(tags, filters.bu_tag_key, filters.bu_tag_value):
        return False
    return not (filters.queue_prefix and not name.startswith(filters.queue_prefix))


def user_selected(
    routing_profile: str | None, hierarchy_group: str | None, tags: dict[str, str] | None, filters: Filters
) -> bool:
    """A user is selected when each user filter given holds.

    Routing profiles match by name; a hierarchy group matches the group itself and every group below
    it (`EMEA/London` selects users of `EMEA/London/Sales Team A`); tags follow the BU rule.
    """
    if filters.user_routing_profiles and routing_profile not in filters.user_routing_profiles:
        return False
    if filters.user_hierarchy_groups:
        if not hierarchy_group:
            return False
        if not any(
            hierarchy_group == path or hierarchy_group.startswith(path.rstrip(HIERARCHY_PATH_SEPARATOR) + "/")
            for path in filters.user_hierarchy_groups
        ):
            return False
    return all(tag_matches(tags, key, value) for key, value in filters.user_tags.items())


# ---------------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------------


class Reader:
    """Reads through one boto3 Connect client, each list at most once, at the API's largest page size."""

    def __init__(self, client: Any, instance_id: str, instance_arn: str | None = None) -> None:
        self.client = client
        self.instance_id = instance_id
        self.instance_arn = instance_arn
        self._records: dict[str, list[Record]] = {}
        self._sublists: dict[tuple[str, str, str], list[Any]] = {}
        self._lookups: dict[tuple[str, str], dict[str, str]] = {}

    def records(self, rtype: ResourceType, *, override_params: dict[str, Any] | None = None) -> list[Record]:
        if rtype.key not in self._records:
            read = rtype.read
            params = {read.instance_param: self.instance_id, **dict(read.params)}
            if override_params is not None:
                params = {read.instance_param: self.instance_id, **override_params}
            found = list(paginate(self.client, read.api, params, read.result_key, read.max_results))
            if rtype.describe is not None:
                found = [self._described(rtype, r) for r in found]
            self._records[rtype.key] = found
        return self._records[rtype.key]

    def _described(self, rtype: ResourceType, record: Record) -> Record:
        describe = rtype.describe
        if describe is None:
            return record
        params = {describe.item_param: record[rtype.read.id_field]}
        if describe.instance_param:
            params[describe.instance_param] = self.instance_id
        detail = getattr(self.client, _snake(describe.api))(**params).get(describe.result_key) or {}
        return {**record, **detail}

    def sublist(self, rtype: ResourceType, sub: SubList, item_id: str) -> list[Any]:
        key = (rtype.key, sub.key, item_id)
        if key not in self._sublists:
            params = {"InstanceId": self.instance_id, sub.item_param: item_id}
            self._sublists[key] = list(paginate(self.client, sub.api, params, sub.result_key, sub.max_results))
        return self._sublists[key]

    def lookup(self, rtype: ResourceType, index: int) -> dict[str, str]:
        """Item ID or ARN -> referenced ID or ARN, from one instance-wide paginated list."""
        lk = rtype.lookups[index]
        key = (rtype.key, lk.key)
        if key not in self._lookups:
            params = {"InstanceId": self.instance_id, **dict(lk.params)}
            self._lookups[key] = {
                entry[lk.item_field]: entry[lk.value_field]
                for entry in paginate(self.client, lk.api, params, lk.result_key, lk.max_results)
                if entry.get(lk.item_field) and entry.get(lk.value_field)
            }
        return self._lookups[key]

    def hierarchy_levels(self) -> list[str]:
        structure = getattr(self.client, _snake(HIERARCHY_STRUCTURE_READ))(InstanceId=self.instance_id)
        levels = structure.get("HierarchyStructure") or {}
        return [levels[name]["Name"] for name in HIERARCHY_LEVELS if (levels.get(name) or {}).get("Name")]


def _snake(api: str) -> str:
    """boto3's method name for an API (SearchUsers -> search_users), as botocore derives it."""
    from botocore import xform_name

    return xform_name(api)


# ---------------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------------


@dataclass
class Export:
    resources: dict[str, Any]
    selection: dict[str, Any]
    warnings: list[str]


def types_for(resources: Iterable[str] | None) -> list[str]:
    """Resource type keys for the module's `resources` choices (None: every type)."""
    if resources is None:
        return list(RESOURCE_TYPES)
    chosen: set[str] = set()
    for name in resources:
        if name not in RESOURCE_CHOICES:
            raise ExportError(f"unknown resource type '{name}'; choose from {', '.join(RESOURCE_CHOICES)}")
        chosen.update(RESOURCE_CHOICES[name])
    return [key for key in RESOURCE_TYPES if key in chosen]


def reachable_types(keys: Iterable[str]) -> list[str]:
    """The types a closure from `keys` can reach: they are read so references can be followed."""
    seen: set[str] = set()
    todo = list(keys)
    while todo:
        key = todo.pop()
        if key not in seen:
            seen.add(key)
            todo.extend(RESOURCE_TYPES[key].referenced_types())
    return [key for key in RESOURCE_TYPES if key in seen]


class Exporter:
    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.warnings: list[str] = []
        # Per type: ID -> record and ARN -> ID, for every record read.
        self.by_id: dict[str, dict[str, Record]] = {}
        self.arn_to_id: dict[str, dict[str, str]] = {}
        self._included: dict[str, set[str]] = {}

    # ---- the index ----------------------------------------------------------------------------

    def _index(self, key: str, filters: Filters) -> None:
        rtype = RESOURCE_TYPES[key]
        override = {} if key == "queues" and filters.include_agent_queues else None
        records = self.reader.records(rtype, override_params=override)
        ids: dict[str, Record] = {}
        arns: dict[str, str] = {}
        for record in records:
            identity = rtype.identity(record)
            if not identity:
                continue  # an AGENT queue has no name: it belongs to its user, not to the bundle
            if rtype.key == "user_hierarchy_groups" and HIERARCHY_PATH_SEPARATOR in str(record.get("Name", "")):
                raise ExportError(
                    f"hierarchy group '{record['Name']}' has '{HIERARCHY_PATH_SEPARATOR}' in its name, "
                    "which a hierarchy path cannot spell"
                )
            rid = record[rtype.read.id_field]
            ids[rid] = record
            if record.get(rtype.read.arn_field):
                arns[record[rtype.read.arn_field]] = rid
        self.by_id[key] = ids
        self.arn_to_id[key] = arns

    def _id_of(self, key: str, reference: str | None) -> str | None:
        if not reference or key not in self.by_id:
            return None
        if reference in self.by_id[key]:
            return reference
        return self.arn_to_id[key].get(reference)

    def _name(self, key: str, rid: str) -> str:
        return RESOURCE_TYPES[key].identity(self.by_id[key][rid]) or rid

    # ---- references -----------------------------------------------------------------------------

    def _refs(self, key: str, rid: str) -> Iterator[Ref]:
        """Every reference of one item, reading its per-item lists if it has any."""
        rtype = RESOURCE_TYPES[key]
        record = self.by_id[key][rid]
        yield from _field_refs(rtype.fields, record)
        for sub in rtype.sublists:
            for entry in self.reader.sublist(rtype, sub, rid):
                if sub.ref and sub.entry_id:
                    yield sub.ref, entry[sub.entry_id]
                elif sub.fields:
                    yield from _field_refs(sub.fields, entry)
        for index, lk in enumerate(rtype.lookups):
            target = self._lookup_value(rtype, index, record)
            if target:
                yield lk.ref, target
        if rtype.implicit_refs is not None:
            yield from rtype.implicit_refs(record)

    def _lookup_value(self, rtype: ResourceType, index: int, record: Record) -> str | None:
        table = self.reader.lookup(rtype, index)
        return table.get(record[rtype.read.id_field]) or table.get(record.get(rtype.read.arn_field) or "")

    # ---- the run ----------------------------------------------------------------------------------

    def run(self, resources: Iterable[str] | None, filters: Filters, *, describe: bool = False) -> Export:
        asked = types_for(resources)
        if filters.on_queues and "queues" not in asked:
            raise ExportError("queue filters (bu_tag, queue_prefix) need 'queues' among the resources")
        if filters.on_users and "users" not in asked:
            raise ExportError("user filters need 'users' among the resources")
        for key in reachable_types(asked):
            self._index(key, filters)

        # Without `resources`, a filter narrows the export to what it selects (plus dependencies);
        # types named in `resources` without a filter of their own are exported in full.
        filtered = {k for k, on in (("queues", filters.on_queues), ("users", filters.on_users)) if on}
        roots_of = asked if resources is not None or not filtered else sorted(filtered)
        matched: dict[str, list[str]] = {}
        roots: list[Ref] = []
        for key in roots_of:
            ids = list(self.by_id[key])
            if key in filtered:
                ids = [rid for rid in ids if self._selected(key, rid, filters)]
                matched[key] = sorted(self._name(key, rid) for rid in ids)
            roots.extend((key, rid) for rid in ids)

        included = self._closure(roots)
        skipped = self._unresolvable(included)
        for key, rid in skipped:
            included[key].discard(rid)
        self._included = included
        self._describe_omitted(included, asked=describe)

        out: dict[str, Any] = {}
        for key in RESOURCE_TYPES:
            if key not in self.by_id:
                continue
            items = [self._item(key, rid) for rid in included.get(key, ())]
            items.sort(key=lambda item, k=key: str(item[RESOURCE_TYPES[k].identity_key]))
            out[key] = items
        hierarchy_wanted = "user_hierarchy_groups" in roots_of or bool(included.get("user_hierarchy_groups"))
        resources_out: dict[str, Any] = {}
        for key, items in out.items():
            if key == "user_hierarchy_groups":
                if hierarchy_wanted:
                    resources_out["user_hierarchy"] = {"levels": self.reader.hierarchy_levels(), "groups": items}
            elif items or key in roots_of:
                resources_out[key] = items

        root_set = set(roots)
        dependencies: dict[str, list[str]] = {}
        if filtered or resources is not None:
            for key, ids in included.items():
                extra = sorted(self._name(key, rid) for rid in ids if (key, rid) not in root_set)
                if extra:
                    dependencies[_bundle_key(key)] = extra
        selection = {
            "filters": filters.describe(),
            "matched": {_bundle_key(k): v for k, v in matched.items()},
            "dependencies": dict(sorted(dependencies.items())),
        }
        return Export(resources_out, selection, self.warnings)

    def _describe_omitted(self, included: dict[str, set[str]], *, asked: bool) -> None:
        """Fill in what Search leaves out with one Describe call per exported item.

        Always for types whose Describe is cheap enough (`Describe.always`: security profiles' access-control
        tags); for the others (users' e-mail and mobile) only when `asked`.
        """
        for key, ids in included.items():
            rtype = RESOURCE_TYPES[key]
            describe = rtype.write.describe
            if describe is None or not any(f.search_omits for f in walk_fields(rtype.fields)):
                continue
            if not (asked or describe.always):
                continue
            for rid in sorted(ids):
                params = {describe.item_param: rid}
                if describe.instance_param:
                    params[describe.instance_param] = self.reader.instance_id
                described = getattr(self.reader.client, _snake(describe.api))(**params).get(describe.result_key) or {}
                _merge_omitted(rtype.fields, self.by_id[key][rid], described)

    def _selected(self, key: str, rid: str, filters: Filters) -> bool:
        record = self.by_id[key][rid]
        if key == "queues":
            return queue_selected(record.get("Name") or "", record.get("Tags"), filters)
        routing = self._id_of("routing_profiles", record.get("RoutingProfileId"))
        group = self._id_of("user_hierarchy_groups", record.get("HierarchyGroupId"))
        return user_selected(
            self._name("routing_profiles", routing) if routing else None,
            self._name("user_hierarchy_groups", group) if group else None,
            record.get("Tags"),
            filters,
        )

    def _closure(self, roots: list[Ref]) -> dict[str, set[str]]:
        included: dict[str, set[str]] = {}
        todo = deque(roots)
        while todo:
            key, reference = todo.popleft()
            rid = self._id_of(key, reference)
            if rid is None or rid in included.setdefault(key, set()):
                continue
            included[key].add(rid)
            for ref_key, ref in self._refs(key, rid):
                if ref_key in self.by_id:
                    todo.append((ref_key, ref))
        return included

    def _unresolvable(self, included: dict[str, set[str]]) -> set[Ref]:
        """Items with a single-valued reference to nothing exported, repeated until nothing changes."""
        skipped: set[Ref] = set()
        changed = True
        while changed:
            changed = False
            for key, ids in included.items():
                rtype = RESOURCE_TYPES[key]
                for rid in ids:
                    if (key, rid) in skipped:
                        continue
                    missing = self._missing_scalar_ref(rtype, self.by_id[key][rid], included, skipped)
                    if missing:
                        skipped.add((key, rid))
                        changed = True
                        self.warnings.append(
                            f"{rtype.title} '{self._name(key, rid)}' left out: its {missing} refers to "
                            "something that does not exist or was left out"
                        )
        return skipped

    def _missing_scalar_ref(
        self, rtype: ResourceType, record: Record, included: dict[str, set[str]], skipped: set[Ref]
    ) -> str | None:
        for f, value in _scalar_refs(rtype.fields, record):
            rid = self._id_of(f.ref or "", value)
            if rid is None or rid not in included.get(f.ref or "", set()) or (f.ref, rid) in skipped:
                return f.key
        return None

    # ---- bundle items -----------------------------------------------------------------------------

    def _resolve(self, key: str, reference: str | None) -> str | None:
        """The identity of a referenced item, or None when it is not in the export."""
        rid = self._id_of(key, reference)
        return self._name(key, rid) if rid is not None and rid in self._included.get(key, set()) else None

    def _item(self, key: str, rid: str) -> dict[str, Any]:
        rtype = RESOURCE_TYPES[key]
        record = self.by_id[key][rid]
        where = f"{rtype.title} '{self._name(key, rid)}'"
        item: dict[str, Any] = {}
        if rtype.identity_key not in {f.key for f in rtype.fields}:
            item[rtype.identity_key] = self._name(key, rid)
        item.update(self._convert(rtype.fields, record, rtype.read.api, where))
        for sub in rtype.sublists:
            entries = self.reader.sublist(rtype, sub, rid)
            if sub.ref and sub.entry_id:
                names = [self._resolve(sub.ref, e[sub.entry_id]) for e in entries]
                self._report_dropped(where, sub.key, names)
                item[sub.key] = sorted(n for n in names if n)
            elif sub.fields:
                converted = [self._convert(sub.fields, e, sub.api, where, drop_on_missing=True) for e in entries]
                self._report_dropped(where, sub.key, converted)
                item[sub.key] = sorted_entries([c for c in converted if c], sub.sort_by)
            else:
                item[sub.key] = sorted(entries)
        for index, lk in enumerate(rtype.lookups):
            target = self._lookup_value(rtype, index, record)
            name = self._resolve(lk.ref, target) if target else None
            if name:
                item[lk.key] = name
        return item

    def _report_dropped(self, where: str, key: str, values: list[Any]) -> None:
        dropped = sum(1 for v in values if not v)
        if dropped:
            self.warnings.append(f"{where}: {dropped} of its {key} refer to nothing exported and were left out")

    def _convert(
        self, fields: tuple[Field, ...], record: Record, api: str, where: str, drop_on_missing: bool = False
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields:
            value = record.get(f.api)
            if value is None and f.tags:
                value = {}  # Connect omits an empty tag map; the bundle says "no tags" the same way every time
            if value is None:
                continue
            if f.tags:
                out[f.key] = {k: v for k, v in sorted(value.items()) if not k.startswith(AWS_RESERVED_TAG_PREFIX)}
            elif f.ref and f.many:
                names = [self._resolve(f.ref, v) for v in value]
                self._report_dropped(where, f.key, names)
                out[f.key] = sorted(n for n in names if n)
            elif f.ref:
                name = self._resolve(f.ref, value)
                if name is None:
                    if drop_on_missing:
                        return {}
                    continue  # `_unresolvable` left such items out; an optional reference stays unset
                out[f.key] = name
            elif f.sub and f.many:
                converted = [self._convert(f.sub, v, api, where) for v in value]
                out[f.key] = sorted_entries(converted, f.sort_by)
            elif f.sub:
                converted = self._convert(f.sub, value, api, where)
                if converted:
                    out[f.key] = converted
            elif isinstance(value, dict):
                out[f.key] = dict(sorted(value.items()))  # a map (access-control tags), stable for diffs
            elif f.many:
                out[f.key] = sorted(value)
            elif f.search_reports_ms and api.startswith("Search"):
                out[f.key] = ms_to_seconds(value)
            else:
                out[f.key] = value
        return out


def _merge_omitted(fields: tuple[Field, ...], record: Record, described: Record) -> None:
    """Copy into `record` the members marked `search_omits`, and only those, from a Describe result."""
    for f in fields:
        value = described.get(f.api)
        if value is None or value == [] or value == {}:
            continue  # no restriction is said by leaving the key out, whether Describe omits it or empties it
        if f.search_omits:
            record[f.api] = value
        elif f.sub and not f.many and isinstance(value, dict):
            inner = dict(record.get(f.api) or {})
            _merge_omitted(f.sub, inner, value)
            if inner:
                record[f.api] = inner


def _field_refs(fields: tuple[Field, ...], record: Record) -> Iterator[Ref]:
    for f in fields:
        value = record.get(f.api)
        if value is None:
            continue
        if f.ref:
            for v in value if f.many else [value]:
                yield f.ref, v
        elif f.sub:
            for v in value if f.many else [value]:
                yield from _field_refs(f.sub, v)


def _scalar_refs(fields: tuple[Field, ...], record: Record) -> Iterator[tuple[Field, str]]:
    """Single-valued references (not lists of them), through nested structures."""
    for f in fields:
        value = record.get(f.api)
        if value is None:
            continue
        if f.ref and not f.many:
            yield f, value
        elif f.sub and not f.many:
            yield from _scalar_refs(f.sub, value)


def _bundle_key(key: str) -> str:
    return "user_hierarchy" if key == "user_hierarchy_groups" else key


def export_instance(
    client: Any,
    instance: dict[str, Any],
    resources: Iterable[str] | None = None,
    filters: Filters | None = None,
    *,
    describe: bool = False,
) -> Export:
    """Read the instance (a DescribeInstance result) into bundle resources and the selection made.

    `describe` adds what the Search APIs leave out (users' e-mail addresses and mobile number) at the
    cost of one Describe call per exported item of those types.
    """
    exporter = Exporter(Reader(client, instance["Id"], instance.get("Arn")))
    return exporter.run(resources, filters or Filters(), describe=describe)
