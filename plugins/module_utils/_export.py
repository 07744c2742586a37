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

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ansible_collections.ccaas.connect.plugins.module_utils import _flow
from ansible_collections.ccaas.connect.plugins.module_utils._codec import (
    convert_struct,
    decode_list,
    decoding,
    references,
    with_searched,
)
from ansible_collections.ccaas.connect.plugins.module_utils._errors import CcaasError
from ansible_collections.ccaas.connect.plugins.module_utils._prompts import download
from ansible_collections.ccaas.connect.plugins.module_utils._reader import Reader
from ansible_collections.ccaas.connect.plugins.module_utils._resources import (
    HIERARCHY_PATH_SEPARATOR,
    RESOURCE_CHOICES,
    RESOURCE_TYPES,
    Describe,
    Field,
    ResourceType,
)

Record = dict[str, Any]
Ref = tuple[str, str]  # (resource type, ID or ARN)

DEFAULT_BU_TAG_KEY = "BU"


class ExportError(CcaasError):
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
    def __init__(self, reader: Reader, prompt_dir: str | None = None) -> None:
        self.reader = reader
        self.prompt_dir = prompt_dir  # where prompts' audio is downloaded; None: not downloaded
        self.warnings: list[str] = []
        self._included: dict[str, set[str]] = {}
        self.describe_all = True  # every item with members only its Describe returns is described (run's `describe`)

    # ---- the index: the reader's, for the types a closure can reach --------------------------------

    def _index(self, key: str) -> None:
        for record in self.reader.listed(key):
            if key == "user_hierarchy_groups" and HIERARCHY_PATH_SEPARATOR in str(record.get("Name", "")):
                raise ExportError(
                    f"hierarchy group '{record['Name']}' has '{HIERARCHY_PATH_SEPARATOR}' in its name, "
                    "which a hierarchy path cannot spell"
                )

    def _ids(self, key: str) -> list[str]:
        """Every item's ID, in the order the read returned them."""
        return [record["Id"] for record in self.reader.listed(key) if record["Id"]]

    def _record(self, key: str, rid: str) -> Record:
        record = self.reader.by_ref(key, rid)
        if record is None:  # every ID asked for here came from the same reader's read
            raise KeyError(f"{key} {rid} was not read")
        return record

    def _id_of(self, key: str, reference: str | None) -> str | None:
        if not reference or not self.reader.has_read(key):
            return None  # a type no closure can reach was not read: nothing there is exported
        record = self.reader.by_ref(key, reference)
        return record["Id"] if record is not None else None

    def _name(self, key: str, rid: str) -> str:
        return RESOURCE_TYPES[key].identity(self._record(key, rid)) or rid

    # ---- references -----------------------------------------------------------------------------

    def _refs(self, key: str, rid: str) -> Iterator[Ref]:
        """Every reference of one item, reading its per-item lists if it has any."""
        rtype = RESOURCE_TYPES[key]
        record = self._record(key, rid)
        yield from ((r.kind, r.value) for r in references(rtype.fields, record, api=True))
        for sub in rtype.sublists:
            for entry in self.reader.sublist(sub, rid):
                if sub.ref and sub.entry_id:
                    yield sub.ref, entry[sub.entry_id]
                elif sub.fields:
                    yield from ((r.kind, r.value) for r in references(sub.fields, entry, api=True))
        for index, lk in enumerate(rtype.lookups):
            target = self._lookup_value(rtype, index, record)
            if target:
                yield lk.ref, target
        if rtype.implicit_refs is not None:
            yield from rtype.implicit_refs(record)
        for found in self._in_content(rtype, record):
            yield found.type, found.id

    def _in_content(self, rtype: ResourceType, record: Record) -> list[_flow.Found]:
        """What an item's flow language names (see _flow.py), of the types this export reads."""
        out: list[_flow.Found] = []
        for f in rtype.fields:
            if f.flow_language:
                document = _flow.parse(record.get(f.api))
                out += [
                    found
                    for found in _flow.scan(document, self.reader.instance_arn, self._type_of_id)
                    if self.reader.has_read(found.type)
                ]
        return out

    def _type_of_id(self, text: str) -> str | None:
        """The type of a bare ID the export read (flow language may name a module or a queue by its ID)."""
        for key in _flow.REFERENCE_TYPES:
            if self.reader.has_read(key) and self.reader.by_ref(key, text) is not None:
                return key
        return None

    def _content_references(self, key: str, record: Record, where: str) -> list[dict[str, str]]:
        """A flow's or module's references as the bundle keeps them: `{arn, type, name}`, one per resource."""
        refs: dict[str, dict[str, str]] = {}
        for found in self._in_content(RESOURCE_TYPES[key], record):
            name = self._resolve(found.type, found.id)
            if name is None:
                self.warnings.append(
                    f"{where}: its content names {found.value}, which is not in the export; the import will "
                    "report it as unmapped"
                )
                continue
            arn = found.arn if found.arn != found.id else (self._record(found.type, found.id).get("Arn") or found.id)
            refs.setdefault(arn, {"arn": arn, "type": found.type, "name": name})
        for f in RESOURCE_TYPES[key].fields:  # what names a kind of resource no bundle type carries
            if f.flow_language:
                for path, text in _flow.uncarried(_flow.parse(record.get(f.api)), self.reader.instance_arn):
                    self.warnings.append(
                        f"{where}: {_flow.action_at(_flow.parse(record.get(f.api)), path)} names {text}, a kind of "
                        "resource this collection does not carry; the import will report it as unmapped"
                    )
        return sorted(refs.values(), key=lambda r: r["arn"])

    def _lookup_value(self, rtype: ResourceType, index: int, record: Record) -> str | None:
        table = self.reader.lookup(rtype, index)
        return table.get(record[rtype.read.id_field]) or table.get(record.get(rtype.read.arn_field) or "")

    # ---- the run ----------------------------------------------------------------------------------

    def run(self, resources: Iterable[str] | None, filters: Filters, *, describe: bool = True) -> Export:
        asked = types_for(resources)
        self.describe_all = describe
        if filters.on_queues and "queues" not in asked:
            raise ExportError("queue filters (bu_tag, queue_prefix) need 'queues' among the resources")
        if filters.on_users and "users" not in asked:
            raise ExportError("user filters need 'users' among the resources")
        if filters.include_agent_queues:
            self.reader.read_with("queues", {})  # every queue: AGENT ones are read, then left out unnamed
        readable = reachable_types(asked)
        for key in readable:
            self._index(key)

        # Without `resources`, a filter narrows the export to what it selects (plus dependencies);
        # types named in `resources` without a filter of their own are exported in full.
        filtered = {k for k, on in (("queues", filters.on_queues), ("users", filters.on_users)) if on}
        roots_of = asked if resources is not None or not filtered else sorted(filtered)
        matched: dict[str, list[str]] = {}
        roots: list[Ref] = []
        for key in roots_of:
            ids = self._ids(key)
            if key in filtered:
                ids = [rid for rid in ids if self._selected(key, rid, filters)]
                matched[key] = sorted(self._name(key, rid) for rid in ids)
            roots.extend((key, rid) for rid in ids)

        included = self._closure(roots)
        skipped = self._unresolvable(included)
        for key, rid in skipped:
            included[key].discard(rid)
        self._included = included
        omitted = self._describe_omitted(included)

        if included.get("prompts") and not self.prompt_dir:
            self.warnings.append(
                f"{len(included['prompts'])} prompt(s) exported without their audio (no prompt_dir): an import can "
                "create them only from an S3 URI of its own"
            )
        out: dict[str, Any] = {}
        for key in RESOURCE_TYPES:
            if key not in readable:
                continue
            identity = RESOURCE_TYPES[key].identity_key
            items = sorted((self._item(key, rid) for rid in included.get(key, ())), key=_by(identity))
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
            for key, kept in included.items():
                extra = sorted(self._name(key, rid) for rid in kept if (key, rid) not in root_set)
                if extra:
                    dependencies[_bundle_key(key)] = extra
        selection = {
            "filters": filters.describe(),
            "matched": {_bundle_key(k): v for k, v in matched.items()},
            "dependencies": dict(sorted(dependencies.items())),
        }
        if omitted:
            selection["omitted"] = omitted
        return Export(resources_out, selection, self.warnings)

    def _describe_omitted(self, included: dict[str, set[str]]) -> dict[str, Any]:
        """Fill in what Search leaves out with one Describe call per exported item (sent ahead by the closure).

        By default every such member is carried (users' e-mail, secondary e-mail and mobile); with the run's
        `describe` False (an operator's knowing choice, user_contact_details=false) only the types whose Describe is
        always read (security profiles' access-control settings) are described, and what the others lose is
        returned, per bundle section: `{"fields": [dotted keys], "items": count}`, for the bundle to say.
        """
        omitted: dict[str, Any] = {}
        for key, ids in included.items():
            rtype = RESOURCE_TYPES[key]
            if not ids or rtype.write.describe is None or not omitted_keys(rtype.fields):
                continue
            describe = self._describe_of(rtype)
            if describe is None:
                omitted[rtype.bundle_key] = {"fields": omitted_keys(rtype.fields), "items": len(ids)}
                continue
            order = sorted(ids)
            for rid, described in zip(order, self.reader.each_described(rtype, order, describe), strict=True):
                _merge_omitted(rtype.fields, self._record(key, rid), described)
        return omitted

    def _selected(self, key: str, rid: str, filters: Filters) -> bool:
        record = self._record(key, rid)
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
        """Every item the roots reach through their references, wave by wave: each wave's per-item
        reads (its lists, and the Describe the export needs of it) are sent together before its
        references are followed, so they run at every API's quota instead of one after another."""
        included: dict[str, set[str]] = {}
        wave = roots
        while wave:
            new: dict[str, list[str]] = {}
            for key, reference in wave:
                rid = self._id_of(key, reference)
                if rid is None or rid in included.setdefault(key, set()):
                    continue
                included[key].add(rid)
                new.setdefault(key, []).append(rid)
            for key, rids in new.items():
                rtype = RESOURCE_TYPES[key]
                self.reader.prefetch(rtype, rids, sublists=rtype.sublists, describe=self._describe_of(rtype))
            wave = [
                (ref_key, ref)
                for key, rids in new.items()
                for rid in rids
                for ref_key, ref in self._refs(key, rid)
                if self.reader.has_read(ref_key)
            ]
        return included

    def _describe_of(self, rtype: ResourceType) -> Describe | None:
        """The Describe* the export reads each item of this type with for what Search leaves out, if any."""
        describe = rtype.write.describe
        if describe is None or not omitted_keys(rtype.fields) or not (self.describe_all or describe.always):
            return None
        return describe

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
                    missing = self._missing_scalar_ref(rtype, self._record(key, rid), included, skipped)
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
        for ref in references(rtype.fields, record, api=True):
            if not ref.single:
                continue  # a list keeps what it can name (see _item); one reference must resolve
            rid = self._id_of(ref.kind, ref.value)
            if rid is None or rid not in included.get(ref.kind, set()) or (ref.kind, rid) in skipped:
                return ref.field.key
        return None

    # ---- bundle items -----------------------------------------------------------------------------

    def _resolve(self, key: str, reference: str | None) -> str | None:
        """The identity of a referenced item, or None when it is not in the export."""
        rid = self._id_of(key, reference)
        return self._name(key, rid) if rid is not None and rid in self._included.get(key, set()) else None

    def _item(self, key: str, rid: str) -> dict[str, Any]:
        rtype = RESOURCE_TYPES[key]
        record = self._record(key, rid)
        where = f"{rtype.title} '{self._name(key, rid)}'"
        policy = decoding(
            self._resolve,
            searched=rtype.read.api.startswith("Search"),
            portable=True,
            dropped=lambda field_key, count: self.warnings.append(
                f"{where}: {count} of its {field_key} refer to nothing exported and were left out"
            ),
        )
        for member, why in rtype.not_carried:
            if record.get(member) not in (None, [], {}):
                self.warnings.append(f"{where}: its {member} is not carried ({why})")
        item: dict[str, Any] = {}
        if rtype.identity_key not in {f.key for f in rtype.fields}:
            item[rtype.identity_key] = self._name(key, rid)
        # An unresolvable single reference left the item out (`_unresolvable`); an optional one stays unset.
        item.update(convert_struct(rtype.fields, record, policy) or {})
        if any(f.flow_language for f in rtype.fields):
            item["references"] = self._content_references(key, record, where)
        if key == "prompts" and self.prompt_dir:
            audio, digest = download(self.reader.client, self.reader.instance_id, rid, self.prompt_dir)
            item["file"], item["sha256"] = str(Path(self.prompt_dir) / audio), digest
        for sub in rtype.sublists:
            item[sub.key] = decode_list(sub, self.reader.sublist(sub, rid), with_searched(policy, sub.api))
        for index, lk in enumerate(rtype.lookups):
            target = self._lookup_value(rtype, index, record)
            name = self._resolve(lk.ref, target) if target else None
            if name:
                item[lk.key] = name
        return item


def omitted_keys(fields: tuple[Field, ...], prefix: str = "") -> list[str]:
    """The bundle keys (dotted, `identity_info.email`) of the members a Search record leaves out."""
    out: list[str] = []
    for f in fields:
        if f.search_omits:
            out.append(prefix + f.key)
        elif f.sub and not f.many:
            out += omitted_keys(f.sub, f"{prefix}{f.key}.")
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


def _bundle_key(key: str) -> str:
    return "user_hierarchy" if key == "user_hierarchy_groups" else key


def export_instance(
    client: Any,
    instance: dict[str, Any],
    resources: Iterable[str] | None = None,
    filters: Filters | None = None,
    *,
    describe: bool = True,
    prompt_dir: str | None = None,
) -> Export:
    """Read the instance (a DescribeInstance result) into bundle resources and the selection made.

    `describe` (the default) carries what the Search APIs leave out (users' e-mail addresses and mobile
    number) at the cost of one Describe call per exported item of those types, made several at a time;
    without it the selection's `omitted` names what each type loses.
    """
    reader = Reader.of(client, instance, complete=True, keep_lists=True)
    exporter = Exporter(reader, prompt_dir)
    return exporter.run(resources, filters or Filters(), describe=describe)


def _by(identity: str) -> Callable[[dict[str, Any]], str]:
    """A sort key: an item's identity, as text."""
    return lambda item: str(item[identity])
