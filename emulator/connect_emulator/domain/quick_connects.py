"""Quick connects (transfer destinations) to a user, a queue, a phone number or a flow."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidParameterException
from .registry import Ctx, operation
from .search import common_fields, run_search, tag_filter_matches
from .store import InstanceState, Record, compact, paginate, tags_checked, to_datetime

# The member each type needs, and the flow type its ContactFlowId must have (None: any flow).
CONFIG_MEMBER = {"USER": "UserConfig", "QUEUE": "QueueConfig", "PHONE_NUMBER": "PhoneConfig", "FLOW": "FlowConfig"}
FLOW_TYPE = {"USER": "AGENT_TRANSFER", "QUEUE": "QUEUE_TRANSFER", "FLOW": None}


def _checked_config(inst: InstanceState, cfg: dict[str, Any]) -> dict[str, Any]:
    qc_type = cfg["QuickConnectType"]
    member = CONFIG_MEMBER[qc_type]
    sub = cfg.get(member)
    if not sub:
        raise InvalidParameterException(f"{member} is required for a quick connect of type {qc_type}.")
    if qc_type == "USER":
        inst.require("user", sub["UserId"])
    elif qc_type == "QUEUE":
        inst.require("queue", sub["QueueId"])
    if qc_type in FLOW_TYPE:
        flow = inst.require("contact-flow", sub["ContactFlowId"])
        wanted = FLOW_TYPE[qc_type]
        if wanted and flow["Type"] != wanted:
            raise InvalidParameterException(
                f"A {qc_type} quick connect needs a flow of type {wanted}; {flow['Name']!r} is {flow['Type']}."
            )
    # Only the member that matches the type is kept, as Amazon returns it.
    return {"QuickConnectType": qc_type, member: dict(sub)}


def summary(qc: Record) -> dict[str, Any]:
    return {
        "Id": qc["Id"],
        "Arn": qc["Arn"],
        "Name": qc["Name"],
        "QuickConnectType": qc["QuickConnectConfig"]["QuickConnectType"],
        "LastModifiedTime": to_datetime(qc["LastModifiedTime"]),
        "LastModifiedRegion": qc["LastModifiedRegion"],
    }


def render_quick_connect(qc: Record) -> dict[str, Any]:
    cfg = {k: dict(v) if isinstance(v, dict) else v for k, v in qc["QuickConnectConfig"].items()}
    return compact(
        {
            "QuickConnectARN": qc["Arn"],
            "QuickConnectId": qc["Id"],
            "Name": qc["Name"],
            "Description": qc.get("Description") or None,
            "QuickConnectConfig": cfg,
            "Tags": dict(qc["Tags"]),
            "LastModifiedTime": to_datetime(qc["LastModifiedTime"]),
            "LastModifiedRegion": qc["LastModifiedRegion"],
        }
    )


@operation("CreateQuickConnect")
def create_quick_connect(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = inst.add(
        "quick-connect",
        {
            "Name": p["Name"],
            "Description": p.get("Description"),
            "QuickConnectConfig": _checked_config(inst, p["QuickConnectConfig"]),
            "Tags": tags_checked(None, p.get("Tags")),
        },
    )
    return {"QuickConnectARN": rec["Arn"], "QuickConnectId": rec["Id"]}


@operation("DescribeQuickConnect")
def describe_quick_connect(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    return {"QuickConnect": render_quick_connect(inst.require("quick-connect", p["QuickConnectId"]))}


@operation("ListQuickConnects")
def list_quick_connects(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    types = set(p.get("QuickConnectTypes") or CONFIG_MEMBER)
    rows = [qc for qc in inst.table("quick-connect").values() if qc["QuickConnectConfig"]["QuickConnectType"] in types]
    page, token = paginate(rows, p, "ListQuickConnects", 1000)
    return compact({"QuickConnectSummaryList": [summary(qc) for qc in page], "NextToken": token})


@operation("SearchQuickConnects")
def search_quick_connects(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    tag_filter = (p.get("SearchFilter") or {}).get("TagFilter")
    return run_search(
        inst.table("quick-connect").values(),
        p,
        op="SearchQuickConnects",
        result_key="QuickConnects",
        maximum=100,
        render=render_quick_connect,
        fields=common_fields(),
        keep=lambda qc: tag_filter_matches(tag_filter, qc["Tags"]),
    )


@operation("DeleteQuickConnect")
def delete_quick_connect(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    qc_id = p["QuickConnectId"]
    inst.require("quick-connect", qc_id)
    # A deleted quick connect disappears from the queues that offered it.
    for queue_id in inst.referrers("quick-connect", qc_id, "queue"):
        queue = dict(inst.require("queue", queue_id))
        queue["QuickConnectIds"] = [q for q in queue.get("QuickConnectIds", ()) if q != qc_id]
        inst.replace("queue", queue_id, queue)
    inst.remove("quick-connect", qc_id)
    return {}


@operation("UpdateQuickConnectName")
def update_name(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    if p.get("Name") is None and p.get("Description") is None:
        raise InvalidParameterException("Name or Description must be provided.")
    rec = dict(inst.require("quick-connect", p["QuickConnectId"]))
    if p.get("Name"):
        rec["Name"] = p["Name"]
    if p.get("Description") is not None:
        rec["Description"] = p["Description"]  # an empty description clears it
    inst.replace("quick-connect", rec["Id"], rec)
    return {}


@operation("UpdateQuickConnectConfig")
def update_config(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = dict(inst.require("quick-connect", p["QuickConnectId"]))
    rec["QuickConnectConfig"] = _checked_config(inst, p["QuickConnectConfig"])
    inst.replace("quick-connect", rec["Id"], rec)
    return {}
