"""Hours-of-operation overrides: dated exceptions to the week (holidays, special openings), kept on their hours.

Each override has its own ID, a name unique within its hours, a date range (`YYYY-MM-DD`, from no later
than till), an optional recurrence and the day slots that apply inside the range (none for a closure). At
most 50 per hours ("Overrides per hours of operation", not adjustable). Deleting the hours deletes them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..errors import (
    DuplicateResourceException,
    InvalidParameterException,
    LimitExceededException,
    ResourceNotFoundException,
)
from . import quotas
from .misc import check_config
from .registry import Ctx, operation
from .search import common_fields, run_search, tag_filter_matches
from .store import InstanceState, Record, compact, copy_list, new_id, paginate, to_datetime

# Which members of a recurrence pattern may hold which numbers (negative: counted from the end).
_RECURRENCE_RANGES = {"ByMonth": range(1, 13), "ByMonthDay": range(-1, 32), "ByWeekdayOccurrence": range(-1, 6)}


def _date(value: str, member: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidParameterException(f"{member} {value!r} is not a date (YYYY-MM-DD).") from None


def _check_recurrence(cfg: dict[str, Any] | None) -> dict[str, Any] | None:
    if cfg is None:
        return None
    pattern = dict(cfg["RecurrencePattern"])
    for member, allowed in _RECURRENCE_RANGES.items():
        for n in pattern.get(member) or ():
            if n not in allowed or n == 0:
                raise InvalidParameterException(f"RecurrencePattern.{member} holds {n}, which is out of range.")
    if pattern["Frequency"] == "YEARLY" and not pattern.get("ByMonth"):
        raise InvalidParameterException("A YEARLY recurrence names its months (ByMonth).")
    return {"RecurrencePattern": {k: (list(v) if isinstance(v, list) else v) for k, v in pattern.items()}}


def _checked(hours: Record, rec: Record, exclude_id: str | None = None) -> Record:
    if _date(rec["EffectiveFrom"], "EffectiveFrom") > _date(rec["EffectiveTill"], "EffectiveTill"):
        raise InvalidParameterException("EffectiveFrom must not be later than EffectiveTill.")
    for other in hours.get("Overrides", ()):
        if other["Name"] == rec["Name"] and other["HoursOfOperationOverrideId"] != exclude_id:
            raise DuplicateResourceException(
                f"Hours of operation {hours['Id']} already has an override {rec['Name']!r}."
            )
    return rec


def render_override(hours: Record, o: Record) -> dict[str, Any]:
    return compact(
        {
            "HoursOfOperationOverrideId": o["HoursOfOperationOverrideId"],
            "HoursOfOperationId": hours["Id"],
            "HoursOfOperationArn": hours["Arn"],
            "Name": o["Name"],
            "Description": o.get("Description") or None,
            "Config": copy_list(o["Config"]),
            "EffectiveFrom": o["EffectiveFrom"],
            "EffectiveTill": o["EffectiveTill"],
            "RecurrenceConfig": o.get("RecurrenceConfig"),
            "OverrideType": o.get("OverrideType"),
        }
    )


def _hours(inst: InstanceState, p: dict[str, Any]) -> Record:
    return dict(inst.require("hours", p["HoursOfOperationId"]))


def _override(hours: Record, override_id: str) -> Record:
    for o in hours.get("Overrides", ()):
        if o["HoursOfOperationOverrideId"] == override_id:
            return o
    raise ResourceNotFoundException(f"Hours of operation {hours['Id']} has no override {override_id!r}.")


def create_override(inst: InstanceState, p: dict[str, Any]) -> Record:
    hours = _hours(inst, p)
    existing = list(hours.get("Overrides", ()))
    quotas.check(inst.quota_overrides, "overrides_per_hours", len(existing), error=LimitExceededException)
    rec = _checked(
        hours,
        {
            "HoursOfOperationOverrideId": new_id(),
            "Name": p["Name"],
            "Description": p.get("Description"),
            "Config": check_config(p["Config"]),
            "EffectiveFrom": p["EffectiveFrom"],
            "EffectiveTill": p["EffectiveTill"],
            "RecurrenceConfig": _check_recurrence(p.get("RecurrenceConfig")),
            "OverrideType": p.get("OverrideType"),
        },
    )
    hours["Overrides"] = [*existing, rec]
    inst.replace("hours", hours["Id"], hours)
    return rec


@operation("CreateHoursOfOperationOverride")
def create_hours_of_operation_override(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    return {"HoursOfOperationOverrideId": create_override(ctx.instance(p), p)["HoursOfOperationOverrideId"]}


@operation("DescribeHoursOfOperationOverride")
def describe_hours_of_operation_override(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    hours = _hours(ctx.instance(p), p)
    return {"HoursOfOperationOverride": render_override(hours, _override(hours, p["HoursOfOperationOverrideId"]))}


@operation("ListHoursOfOperationOverrides")
def list_hours_of_operation_overrides(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    hours = _hours(ctx.instance(p), p)
    page, token = paginate(hours.get("Overrides", []), p, "ListHoursOfOperationOverrides", 100)
    return compact(
        {
            "HoursOfOperationOverrideList": [render_override(hours, o) for o in page],
            "NextToken": token,
            "LastModifiedTime": to_datetime(hours["LastModifiedTime"]),
            "LastModifiedRegion": hours["LastModifiedRegion"],
        }
    )


def _date_matches(cond: dict[str, Any], o: Record) -> bool:
    member = {"effectivefrom": "EffectiveFrom", "effectivetill": "EffectiveTill"}.get(
        str(cond.get("FieldName", "")).lower()
    )
    if member is None or not cond.get("Value") or not cond.get("ComparisonType"):
        raise InvalidParameterException(
            "DateCondition needs FieldName (EffectiveFrom or EffectiveTill), Value and ComparisonType."
        )
    actual, wanted = _date(o[member], member), _date(cond["Value"], "DateCondition.Value")
    return {
        "GREATER_THAN": actual > wanted,
        "LESS_THAN": actual < wanted,
        "GREATER_THAN_OR_EQUAL_TO": actual >= wanted,
        "LESS_THAN_OR_EQUAL_TO": actual <= wanted,
        "EQUAL_TO": actual == wanted,
    }[cond["ComparisonType"]]


@operation("SearchHoursOfOperationOverrides")
def search_hours_of_operation_overrides(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    tag_filter = (p.get("SearchFilter") or {}).get("TagFilter")
    # Overrides carry no tags: a tag filter applies to the hours they belong to.
    rows = [
        {**o, "_hours": h}
        for h in inst.table("hours").values()
        if tag_filter_matches(tag_filter, h["Tags"])
        for o in h.get("Overrides", ())
    ]
    return run_search(
        rows,
        p,
        op="SearchHoursOfOperationOverrides",
        result_key="HoursOfOperationOverrides",
        maximum=100,
        render=lambda o: render_override(o["_hours"], o),
        fields=common_fields(
            resourceid=lambda o: o["HoursOfOperationOverrideId"],
            hoursofoperationid=lambda o: o["_hours"]["Id"],
        ),
        leaves={"DateCondition": _date_matches},
    )


@operation("UpdateHoursOfOperationOverride")
def update_hours_of_operation_override(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    hours = _hours(inst, p)
    override_id = p["HoursOfOperationOverrideId"]
    rec = dict(_override(hours, override_id))
    for member in ("Name", "EffectiveFrom", "EffectiveTill", "OverrideType"):
        if p.get(member):
            rec[member] = p[member]
    if p.get("Description") is not None:
        rec["Description"] = p["Description"]
    if p.get("Config") is not None:
        rec["Config"] = check_config(p["Config"])
    if p.get("RecurrenceConfig") is not None:
        rec["RecurrenceConfig"] = _check_recurrence(p["RecurrenceConfig"])
    _checked(hours, rec, exclude_id=override_id)
    hours["Overrides"] = [rec if o["HoursOfOperationOverrideId"] == override_id else o for o in hours["Overrides"]]
    inst.replace("hours", hours["Id"], hours)
    return {}


@operation("DeleteHoursOfOperationOverride")
def delete_hours_of_operation_override(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    hours = _hours(inst, p)
    override_id = _override(hours, p["HoursOfOperationOverrideId"])["HoursOfOperationOverrideId"]
    hours["Overrides"] = [o for o in hours["Overrides"] if o["HoursOfOperationOverrideId"] != override_id]
    inst.replace("hours", hours["Id"], hours)
    return {}
