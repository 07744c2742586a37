"""Hours of operation, contact flows and agent statuses."""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any

from ..errors import InvalidParameterException, ServiceQuotaExceededException
from .flow_content import checked, content_sha256, qualified, updated, viewed
from .flows import flow_and_version
from .registry import Ctx, operation
from .search import attribute_filter_matches, common_fields, run_search, tag_filter_matches
from .store import InstanceState, Record, compact, copy_list, paginate, tags_checked, to_datetime


# --- hours of operation -----------------------------------------------------------------------
@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _check_time_zone(tz: str) -> str:
    if _time_zones() and tz not in _time_zones():
        raise InvalidParameterException(f"Unknown time zone {tz!r}.")
    return tz


def check_config(config: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for slot in config:
        start = (slot["StartTime"]["Hours"], slot["StartTime"]["Minutes"])
        end = (slot["EndTime"]["Hours"], slot["EndTime"]["Minutes"])
        # An end of 00:00 means midnight at the end of the day, so 00:00-00:00 is the whole day.
        if end != (0, 0) and end <= start:
            raise InvalidParameterException(f"{slot['Day']}: the end time must be after the start time.")
    return [{"Day": s["Day"], "StartTime": dict(s["StartTime"]), "EndTime": dict(s["EndTime"])} for s in config]


def create_hours(inst: InstanceState, p: dict[str, Any]) -> Record:
    parents = [
        c["HoursOfOperationId"] for c in p.get("ParentHoursOfOperationConfigs") or () if c.get("HoursOfOperationId")
    ]
    for parent in parents:
        inst.require("hours", parent, "Parent hours of operation")
    rec: Record = {
        "Name": p["Name"],
        "Description": p.get("Description"),
        "TimeZone": _check_time_zone(p["TimeZone"]),
        "Config": check_config(p["Config"]),
        "ParentIds": parents,
        "Tags": tags_checked(None, p.get("Tags")),
    }
    return inst.add("hours", rec, quota_error=ServiceQuotaExceededException)


def render_hours(inst: InstanceState, h: Record) -> dict[str, Any]:
    parents = [inst.get("hours", pid) for pid in h.get("ParentIds", ())]
    return compact(
        {
            "HoursOfOperationId": h["Id"],
            "HoursOfOperationArn": h["Arn"],
            "Name": h["Name"],
            "Description": h.get("Description") or None,
            "TimeZone": h["TimeZone"],
            "Config": copy_list(h["Config"]),
            "ParentHoursOfOperations": [{"Name": x["Name"], "Id": x["Id"], "Arn": x["Arn"]} for x in parents if x]
            or None,
            "Tags": dict(h["Tags"]),
            "LastModifiedTime": to_datetime(h["LastModifiedTime"]),
            "LastModifiedRegion": h["LastModifiedRegion"],
        }
    )


@operation("CreateHoursOfOperation")
def create_hours_of_operation(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    rec = create_hours(ctx.instance(p), p)
    return {"HoursOfOperationId": rec["Id"], "HoursOfOperationArn": rec["Arn"]}


@operation("DescribeHoursOfOperation")
def describe_hours_of_operation(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    return {"HoursOfOperation": render_hours(inst, inst.require("hours", p["HoursOfOperationId"]))}


@operation("ListHoursOfOperations")
def list_hours_of_operations(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    page, token = paginate(inst.table("hours").values(), p, "ListHoursOfOperations", 1000)
    rows = [
        {
            "Id": h["Id"],
            "Arn": h["Arn"],
            "Name": h["Name"],
            "LastModifiedTime": to_datetime(h["LastModifiedTime"]),
            "LastModifiedRegion": h["LastModifiedRegion"],
        }
        for h in page
    ]
    return compact({"HoursOfOperationSummaryList": rows, "NextToken": token})


@operation("SearchHoursOfOperations")
def search_hours_of_operations(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    tag_filter = (p.get("SearchFilter") or {}).get("TagFilter")
    return run_search(
        inst.table("hours").values(),
        p,
        op="SearchHoursOfOperations",
        result_key="HoursOfOperations",
        maximum=100,
        render=lambda h: render_hours(inst, h),
        fields=common_fields(timezone=lambda h: h["TimeZone"]),
        keep=lambda h: tag_filter_matches(tag_filter, h["Tags"]),
    )


@operation("UpdateHoursOfOperation")
def update_hours_of_operation(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = dict(inst.require("hours", p["HoursOfOperationId"]))
    if p.get("Name"):
        rec["Name"] = p["Name"]
    if p.get("Description") is not None:
        rec["Description"] = p["Description"]  # an empty description clears it
    if p.get("TimeZone"):
        rec["TimeZone"] = _check_time_zone(p["TimeZone"])
    if p.get("Config") is not None:
        rec["Config"] = check_config(p["Config"])
    inst.replace("hours", rec["Id"], rec)
    return {}


@operation("DeleteHoursOfOperation")
def delete_hours_of_operation(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    inst.require("hours", p["HoursOfOperationId"])
    inst.remove("hours", p["HoursOfOperationId"])
    return {}


# --- contact flows ----------------------------------------------------------------------------
def create_flow(inst: InstanceState, p: dict[str, Any]) -> Record:
    status = p.get("Status") or "PUBLISHED"
    rec: Record = {
        "Name": p["Name"],
        "Type": p["Type"],
        "Description": p.get("Description"),
        "Content": checked(inst, p["Content"], published=status == "PUBLISHED"),
        "Status": status,
        "State": "ACTIVE",
        "Tags": tags_checked(None, p.get("Tags")),
    }
    return inst.add("contact-flow", rec)


@operation("CreateContactFlow")
def create_contact_flow(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    rec = create_flow(ctx.instance(p), p)
    return {
        "ContactFlowId": rec["Id"],
        "ContactFlowArn": rec["Arn"],
        "FlowContentSha256": content_sha256(rec["Content"]),
    }


def render_flow(f: Record) -> dict[str, Any]:
    return compact(
        {
            "Arn": f["Arn"],
            "Id": f["Id"],
            "Name": f["Name"],
            "Type": f["Type"],
            "State": f["State"],
            "Status": f["Status"],
            "Description": f.get("Description"),
            "Content": f["Content"],
            "Tags": dict(f["Tags"]),
            "FlowContentSha256": content_sha256(f["Content"]),
            "LastModifiedTime": to_datetime(f["LastModifiedTime"]),
            "LastModifiedRegion": f["LastModifiedRegion"],
        }
    )


@operation("DescribeContactFlow")
def describe_contact_flow(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec, version = flow_and_version(inst, p["ContactFlowId"])
    if version is not None:  # `ID:N`: that version's content, as it was published
        shown = {**rec, "Content": version["Content"], "LastModifiedTime": version["LastModifiedTime"]}
        return {"ContactFlow": {**render_flow(shown), "Arn": f"{rec['Arn']}:{version['Version']}"}}
    return {"ContactFlow": render_flow(viewed(rec, qualified(p["ContactFlowId"])[1]))}


@operation("SearchContactFlows")
def search_contact_flows(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    flt = p.get("SearchFilter") or {}
    of_type = {"ContactFlowTypeCondition": lambda cond, f: f["Type"] == cond.get("ContactFlowType")}

    def keep(f: Record) -> bool:
        return tag_filter_matches(flt.get("TagFilter"), f["Tags"]) and attribute_filter_matches(
            flt.get("FlowAttributeFilter"), f, of_type
        )

    return run_search(
        inst.table("contact-flow").values(),
        p,
        op="SearchContactFlows",
        result_key="ContactFlows",
        maximum=100,
        render=render_flow,
        fields=common_fields(),
        leaves={
            "TypeCondition": lambda value, f: f["Type"] == value,
            "StateCondition": lambda value, f: f["State"] == value,
            "StatusCondition": lambda value, f: f["Status"] == value,
        },
        keep=keep,
    )


@operation("UpdateContactFlowContent")
def update_contact_flow_content(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    flow_id, saved = qualified(p["ContactFlowId"])
    rec = updated(inst, inst.require("contact-flow", flow_id), p["Content"], saved=saved)
    inst.replace("contact-flow", rec["Id"], rec)
    return {}


@operation("UpdateContactFlowMetadata")
def update_contact_flow_metadata(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = dict(inst.require("contact-flow", qualified(p["ContactFlowId"])[0]))
    if p.get("Name"):
        rec["Name"] = p["Name"]
    if p.get("Description") is not None:
        rec["Description"] = p["Description"] or None
    if p.get("ContactFlowState"):
        rec["State"] = p["ContactFlowState"]
    inst.replace("contact-flow", rec["Id"], rec)
    return {}


@operation("ListContactFlows")
def list_contact_flows(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    types = set(p.get("ContactFlowTypes") or ())
    flows = [f for f in inst.table("contact-flow").values() if not types or f["Type"] in types]
    page, token = paginate(flows, p, "ListContactFlows", 1000)
    rows = [
        {
            "Id": f["Id"],
            "Arn": f["Arn"],
            "Name": f["Name"],
            "ContactFlowType": f["Type"],
            "ContactFlowState": f["State"],
            "ContactFlowStatus": f["Status"],
        }
        for f in page
    ]
    return compact({"ContactFlowSummaryList": rows, "NextToken": token})


# --- agent statuses ---------------------------------------------------------------------------
def create_agent_status(inst: InstanceState, p: dict[str, Any], *, status_type: str = "CUSTOM") -> Record:
    rec: Record = {
        "Name": p["Name"],
        "Description": p.get("Description"),
        "State": p["State"],
        "DisplayOrder": p.get("DisplayOrder"),
        "Type": status_type,
        "Tags": tags_checked(None, p.get("Tags")),
    }
    return inst.add("agent-status", rec)


def render_agent_status(s: Record) -> dict[str, Any]:
    return compact(
        {
            "AgentStatusARN": s["Arn"],
            "AgentStatusId": s["Id"],
            "Name": s["Name"],
            "Description": s.get("Description"),
            "Type": s["Type"],
            "DisplayOrder": s.get("DisplayOrder"),
            "State": s["State"],
            "Tags": dict(s["Tags"]),
            "LastModifiedTime": to_datetime(s["LastModifiedTime"]),
            "LastModifiedRegion": s["LastModifiedRegion"],
        }
    )


@operation("CreateAgentStatus")
def create_agent_status_op(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    rec = create_agent_status(ctx.instance(p), p)
    return {"AgentStatusARN": rec["Arn"], "AgentStatusId": rec["Id"]}


@operation("DescribeAgentStatus")
def describe_agent_status(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    return {"AgentStatus": render_agent_status(inst.require("agent-status", p["AgentStatusId"]))}


@operation("ListAgentStatuses")
def list_agent_statuses(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    types = set(p.get("AgentStatusTypes") or ())
    statuses = [s for s in inst.table("agent-status").values() if not types or s["Type"] in types]
    page, token = paginate(statuses, p, "ListAgentStatuses", 1000)
    rows = [
        {
            "Id": s["Id"],
            "Arn": s["Arn"],
            "Name": s["Name"],
            "Type": s["Type"],
            "LastModifiedTime": to_datetime(s["LastModifiedTime"]),
            "LastModifiedRegion": s["LastModifiedRegion"],
        }
        for s in page
    ]
    return compact({"NextToken": token, "AgentStatusSummaryList": rows})


@operation("SearchAgentStatuses")
def search_agent_statuses(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    flt = (p.get("SearchFilter") or {}).get("AttributeFilter")
    fields = common_fields(
        state=lambda s: s["State"],
        type=lambda s: s["Type"],
        displayOrder=lambda s: None if s.get("DisplayOrder") is None else str(s["DisplayOrder"]),
    )
    return run_search(
        inst.table("agent-status").values(),
        p,
        op="SearchAgentStatuses",
        result_key="AgentStatuses",
        maximum=100,
        render=render_agent_status,
        fields=fields,
        keep=lambda s: attribute_filter_matches(flt, s),
    )


@operation("UpdateAgentStatus")
def update_agent_status(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = dict(inst.require("agent-status", p["AgentStatusId"]))
    if p.get("Name"):
        rec["Name"] = p["Name"]
    if p.get("Description") is not None:
        rec["Description"] = p["Description"] or None  # an empty description clears it
    if p.get("State"):
        rec["State"] = p["State"]
    if p.get("ResetOrderNumber"):
        rec["DisplayOrder"] = None
    elif p.get("DisplayOrder") is not None:
        rec["DisplayOrder"] = p["DisplayOrder"]
    inst.replace("agent-status", rec["Id"], rec)
    return {}
