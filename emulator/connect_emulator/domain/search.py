"""Search criteria and filters, evaluated the same way for every searchable resource type.

A type supplies the string fields its `StringCondition` may name (lower-cased, as Amazon matches
them case-insensitively) and, for its extra leaf conditions (`HierarchyGroupCondition`,
`QueueTypeCondition`, ...), a predicate per member name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..errors import InvalidParameterException
from .store import Record, paginate

FieldGetter = Callable[[Record], Any]
Leaf = Callable[[Any, Record], bool]


def _string_matches(cond: dict[str, Any], fields: dict[str, FieldGetter], rec: Record) -> bool:
    name = cond.get("FieldName")
    value = cond.get("Value")
    comparison = cond.get("ComparisonType")
    if not name or value is None or not comparison:
        raise InvalidParameterException("StringCondition needs FieldName, Value and ComparisonType.")
    getter = fields.get(name.lower())
    if getter is None:
        allowed = ", ".join(sorted(fields))
        raise InvalidParameterException(f"FieldName {name!r} is not searchable here; use one of: {allowed}.")
    actual = getter(rec)
    candidates: Iterable[Any] = actual if isinstance(actual, list | tuple | set) else (actual,)
    wanted = str(value).casefold()
    for cand in candidates:
        if cand is None:
            continue
        text = str(cand).casefold()
        if (
            (comparison == "EXACT" and text == wanted)
            or (comparison == "CONTAINS" and wanted in text)
            or (comparison == "STARTS_WITH" and text.startswith(wanted))
        ):
            return True
    return False


def criteria_matches(
    criteria: dict[str, Any] | None, rec: Record, fields: dict[str, FieldGetter], leaves: dict[str, Leaf]
) -> bool:
    """All members present in one criteria node must hold; Or/And nest nodes of the same shape."""
    if not criteria:
        return True
    for key, value in criteria.items():
        if value is None:
            continue
        if key == "OrConditions":
            if not any(criteria_matches(c, rec, fields, leaves) for c in value):
                return False
        elif key == "AndConditions":
            if not all(criteria_matches(c, rec, fields, leaves) for c in value):
                return False
        elif key == "StringCondition":
            if not _string_matches(value, fields, rec):
                return False
        elif key in leaves:
            if not leaves[key](value, rec):
                return False
        else:
            raise InvalidParameterException(f"Search condition {key} is not supported for this resource.")
    return True


def tag_condition_matches(cond: dict[str, Any], tags: dict[str, str]) -> bool:
    key = cond.get("TagKey")
    if key is None or key not in tags:
        return False
    value = cond.get("TagValue")
    return value is None or tags[key] == value


def tag_filter_matches(flt: dict[str, Any] | None, tags: dict[str, str]) -> bool:
    """ControlPlaneTagFilter: an OR of ANDs, or one AND list, or one condition."""
    if not flt:
        return True
    if flt.get("OrConditions") and not any(
        all(tag_condition_matches(c, tags) for c in group) for group in flt["OrConditions"]
    ):
        return False
    if flt.get("AndConditions") and not all(tag_condition_matches(c, tags) for c in flt["AndConditions"]):
        return False
    return not (flt.get("TagCondition") and not tag_condition_matches(flt["TagCondition"], tags))


def attribute_filter_matches(
    flt: dict[str, Any] | None, rec: Record, conditions: dict[str, Leaf] | None = None
) -> bool:
    """ControlPlaneAttributeFilter and its kin: an OR of AND nodes, one AND node, or one condition.

    Every node holds TagConditions; `conditions` evaluates the type's other members of a node
    (HierarchyGroupCondition for users, ContactFlowTypeCondition for flows).
    """
    if not flt:
        return True
    tags = rec.get("Tags") or {}
    conditions = conditions or {}

    def holds(node: dict[str, Any]) -> bool:
        for key, value in node.items():
            if value is None:
                continue
            if key == "TagConditions":
                if not all(tag_condition_matches(c, tags) for c in value):
                    return False
            elif key == "TagCondition":
                if not tag_condition_matches(value, tags):
                    return False
            elif key in conditions:
                if not conditions[key](value, rec):
                    return False
            elif key not in ("OrConditions", "AndCondition"):
                raise InvalidParameterException(f"Filter condition {key} is not supported for this resource.")
        return True

    if flt.get("OrConditions") and not any(holds(n) for n in flt["OrConditions"]):
        return False
    if flt.get("AndCondition") and not holds(flt["AndCondition"]):
        return False
    return holds(flt)


def run_search(
    records: Sequence[Record],
    params: dict[str, Any],
    *,
    op: str,
    result_key: str,
    maximum: int,
    render: Callable[[Record], dict[str, Any]],
    fields: dict[str, FieldGetter],
    leaves: dict[str, Leaf] | None = None,
    keep: Callable[[Record], bool] | None = None,
) -> dict[str, Any]:
    """Filter, page and render: the body every Search* operation shares."""
    criteria = params.get("SearchCriteria")
    hits = [r for r in records if (keep is None or keep(r)) and criteria_matches(criteria, r, fields, leaves or {})]
    page, token = paginate(hits, params, op, maximum)
    out: dict[str, Any] = {result_key: [render(r) for r in page], "ApproximateTotalCount": len(hits)}
    if token:
        out["NextToken"] = token
    return out


def id_field(rec: Record) -> str:
    return rec["Id"]


def common_fields(**extra: FieldGetter) -> dict[str, FieldGetter]:
    fields: dict[str, FieldGetter] = {
        "name": lambda r: r.get("Name"),
        "description": lambda r: r.get("Description"),
        "resourceid": id_field,
    }
    fields.update({k.lower(): v for k, v in extra.items()})
    return fields
