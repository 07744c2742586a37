# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one walk over a type's fields (`Field` trees in _resources.py) between API form and bundle form.

Three conversions share one walk, each a `Policy`:
- `decoding`: an API record (Search*, List*, Describe*) into bundle form: snake_case keys, every
  reference spelled as the referenced item's identity, lists sorted, `aws:` tags dropped, units
  normalised (SearchUsers' milliseconds to seconds);
- `encoding`: a bundle entry into an API request's members, references as the target's IDs;
- `normalizing`: a bundle entry given by a task into the bundle's own words (a reference given as an
  ID or ARN becomes a name, lists sorted), so it compares with what decoding the target gives.
How a reference resolves is the caller's: the export names only what it exports and reports what it
drops; the planner names what the target holds. `references` walks the same tree for the references
of an item, in either form, with the JSON path of each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ._resources import AWS_RESERVED_TAG_PREFIX, Field, SubList, ms_to_seconds, sorted_entries

Resolve = Callable[[str, Any], Any]  # (referenced type, reference) -> the reference in the other form, or None


def _api_key(f: Field) -> str:
    return f.api


def _bundle_key(f: Field) -> str:
    return f.key


@dataclass(frozen=True)
class Policy:
    """How one conversion reads, writes and resolves; see `decoding`, `encoding`, `normalizing`."""

    read: Callable[[Field], str]  # the key a structure holds a field under
    write: Callable[[Field], str]  # the key the converted structure holds it under
    resolve: Resolve
    decoding: bool = False  # from API form: tags filtered, maps and lists sorted, an absent tag map is empty
    sort: bool = True  # lists in the bundle's order (API requests keep the order given)
    searched: bool = False  # the record comes from a Search* API (its unit quirks apply)
    # As the export writes it: create-only members and structures left empty are left out.
    portable: bool = False
    keep_none: bool = False  # a member that converts to None stays (an API request shows what failed to resolve)
    # Called with a field's key and how many of its list's references did not resolve (left out).
    dropped: Callable[[str, int], None] | None = None


def decoding(
    resolve: Resolve,
    *,
    searched: bool = False,
    portable: bool = False,
    dropped: Callable[[str, int], None] | None = None,
) -> Policy:
    """API form -> bundle form; `resolve` names a referenced ID or ARN (None: it cannot be named)."""
    return Policy(_api_key, _bundle_key, resolve, decoding=True, searched=searched, portable=portable, dropped=dropped)


def encoding(resolve: Resolve) -> Policy:
    """Bundle form -> an API request's members; `resolve` gives the target's ID for an identity."""
    return Policy(_bundle_key, _api_key, resolve, sort=False, keep_none=True)


def normalizing(resolve: Resolve) -> Policy:
    """Bundle form as given -> bundle form as decoded; `resolve` names an ID or ARN given for a name."""
    return Policy(_bundle_key, _bundle_key, resolve)


def convert(f: Field, value: Any, policy: Policy) -> Any:
    """One field's value converted; None when there is nothing to say (or a reference did not resolve)."""
    if value is None:
        return {} if f.tags and policy.decoding else None  # Connect omits an empty tag map
    if f.tags:
        if not policy.decoding:
            return dict(value)
        return {k: v for k, v in sorted(value.items()) if not k.startswith(AWS_RESERVED_TAG_PREFIX)}
    if f.sub and f.many:
        entries = [convert_struct(f.sub, v, policy) for v in value]
        return sorted_entries(entries, f.sort_by) if policy.sort else entries  # type: ignore[arg-type]
    if f.sub:
        out = convert_struct(f.sub, value, policy)
        return None if policy.portable and not out else out
    if f.ref and f.many:
        resolved = [policy.resolve(f.ref, v) for v in value]
        if not policy.sort:
            return resolved
        kept = [r for r in resolved if r is not None]
        if policy.dropped is not None and len(kept) < len(resolved):
            policy.dropped(f.key, len(resolved) - len(kept))
        return sorted(kept)
    if f.ref:
        return policy.resolve(f.ref, value)
    if policy.decoding and isinstance(value, dict):
        return dict(sorted(value.items()))  # a map (access-control tags), stable for diffs
    if f.many and policy.sort:
        return sorted(value)
    if f.search_reports_ms and policy.searched:
        return ms_to_seconds(value)
    return value


def convert_struct(
    fields: tuple[Field, ...], struct: Mapping[str, Any], policy: Policy, *, strict: bool = False
) -> dict[str, Any] | None:
    """A structure converted member by member; `strict`: None when one of its own single references
    does not resolve (a list entry that points at nothing is no entry)."""
    out: dict[str, Any] = {}
    for f in fields:
        if policy.portable and f.create_only:
            continue  # written by Create* only, never carried (a user's directory ID)
        raw = struct.get(policy.read(f))
        if raw is None and not (f.tags and policy.decoding):
            continue
        value = convert(f, raw, policy)
        if value is None and not policy.keep_none:
            if strict and f.ref and not f.many:
                return None
            continue
        out[policy.write(f)] = value
    return out


def decode_list(sub: SubList, entries: list[Any], policy: Policy) -> list[Any]:
    """A per-item list (List* entries) in bundle form, sorted; entries that cannot be named are left
    out and counted through `policy.dropped`."""
    if not (sub.ref and sub.entry_id) and not sub.fields:
        return sorted(entries)  # plain strings
    if sub.ref and sub.entry_id:
        decoded: list[Any] = [policy.resolve(sub.ref, e[sub.entry_id]) for e in entries]
    else:
        decoded = [convert_struct(sub.fields, e, policy, strict=True) for e in entries]
    # An entry that says nothing is no entry in a bundle.
    kept = [d for d in decoded if d] if policy.portable else [d for d in decoded if d is not None]
    if policy.dropped is not None and len(kept) < len(decoded):
        policy.dropped(sub.key, len(decoded) - len(kept))
    return sorted_entries(kept, sub.sort_by) if sub.fields else sorted(kept)


def with_searched(policy: Policy, api: str) -> Policy:
    """The policy for records read by `api` (the unit quirks of Search* records apply to them only)."""
    searched = api.startswith("Search")
    return policy if policy.searched == searched else replace(policy, searched=searched)


# ---- the references of an item --------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    path: str  # where the value is, e.g. $.resources.users[3].routing_profile or .queue_configs[0].queue
    group: str  # the path of the field it belongs to (one per list of references)
    field: Field
    kind: str  # the referenced type
    value: Any
    single: bool  # neither one of a list of references nor inside an entry of a list of structures


def references(
    fields: tuple[Field, ...], struct: Mapping[str, Any], *, api: bool = False, where: str = ""
) -> Iterator[Reference]:
    """Every reference in a structure, in bundle form (`api`: in API form), depth first, in field order.

    Tolerant of entries of the wrong shape (a bundle not yet validated): what is not a structure is
    not walked into; a lone value where a list belongs counts as one value.
    """
    yield from _references(fields, struct, _api_key if api else _bundle_key, where, True)


def _references(
    fields: tuple[Field, ...], struct: Mapping[str, Any], read: Callable[[Field], str], where: str, single: bool
) -> Iterator[Reference]:
    for f in fields:
        value = struct.get(read(f))
        if value is None:
            continue
        group = f"{where}.{f.key}"
        listed = f.many and isinstance(value, list)
        for index, v in enumerate(value) if listed else [(None, value)]:
            path = group + (f"[{index}]" if index is not None else "")
            if f.ref:
                yield Reference(path, group, f, f.ref, v, single and not f.many)
            elif f.sub and isinstance(v, Mapping):
                yield from _references(f.sub, v, read, path, single and not f.many)
