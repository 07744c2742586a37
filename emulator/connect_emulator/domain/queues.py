"""Queues: standard queues are stored; every user's AGENT queue is derived from the user itself."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidParameterException, LimitExceededException, ResourceNotFoundException
from . import quotas
from .quick_connects import summary
from .registry import Ctx, operation
from .search import common_fields, run_search, tag_filter_matches
from .store import InstanceState, PhoneBook, Record, compact, paginate, tags_checked, to_datetime

MAX_QUICK_CONNECTS_PER_CALL = 50


def check_outbound_caller_config(inst: InstanceState, phones: PhoneBook, cfg: dict[str, Any] | None) -> None:
    if not cfg:
        return
    number_id = cfg.get("OutboundCallerIdNumberId")
    if number_id:
        number = phones.numbers.get(number_id)
        if number is None or number.get("InstanceId") != inst.id:
            raise ResourceNotFoundException(f"Phone number {number_id} is not claimed to instance {inst.id}.")
    if cfg.get("OutboundFlowId"):
        inst.require("contact-flow", cfg["OutboundFlowId"], "Outbound whisper flow")


def _quick_connect_ids(inst: InstanceState, ids: list[str]) -> list[str]:
    if len(ids) > MAX_QUICK_CONNECTS_PER_CALL:
        raise InvalidParameterException(f"At most {MAX_QUICK_CONNECTS_PER_CALL} quick connects per call.")
    for qc in ids:
        inst.require("quick-connect", qc)
    return list(dict.fromkeys(ids))


def render_queue(q: Record) -> dict[str, Any]:
    return compact(
        {
            "Name": q["Name"],
            "QueueArn": q["Arn"],
            "QueueId": q["Id"],
            "Description": q.get("Description"),
            "OutboundCallerConfig": dict(q["OutboundCallerConfig"]) if q.get("OutboundCallerConfig") else None,
            "OutboundEmailConfig": dict(q["OutboundEmailConfig"]) if q.get("OutboundEmailConfig") else None,
            "HoursOfOperationId": q["HoursOfOperationId"],
            "MaxContacts": q.get("MaxContacts"),
            "Status": q["Status"],
            "Tags": dict(q["Tags"]),
            "LastModifiedTime": to_datetime(q["LastModifiedTime"]),
            "LastModifiedRegion": q["LastModifiedRegion"],
        }
    )


def create(inst: InstanceState, phones: PhoneBook, p: dict[str, Any]) -> Record:
    inst.require("hours", p["HoursOfOperationId"])
    check_outbound_caller_config(inst, phones, p.get("OutboundCallerConfig"))
    rec: Record = {
        "Name": p["Name"],
        "Description": p.get("Description"),
        "OutboundCallerConfig": dict(p["OutboundCallerConfig"]) if p.get("OutboundCallerConfig") else None,
        "OutboundEmailConfig": dict(p["OutboundEmailConfig"]) if p.get("OutboundEmailConfig") else None,
        "HoursOfOperationId": p["HoursOfOperationId"],
        "MaxContacts": p.get("MaxContacts"),
        "Status": "ENABLED",
        "QuickConnectIds": _quick_connect_ids(inst, p.get("QuickConnectIds") or []),
        "Tags": tags_checked(None, p.get("Tags")),
    }
    return inst.add("queue", rec)


@operation("CreateQueue")
def create_queue(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    rec = create(ctx.instance(p), ctx.phones, p)
    return {"QueueArn": rec["Arn"], "QueueId": rec["Id"]}


@operation("DescribeQueue")
def describe_queue(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    return {"Queue": render_queue(inst.require("queue", p["QueueId"]))}


@operation("ListQueues")
def list_queues(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    types = set(p.get("QueueTypes") or ("STANDARD", "AGENT"))
    rows: list[dict[str, Any]] = []
    if "STANDARD" in types:
        rows.extend(
            {
                "Id": q["Id"],
                "Arn": q["Arn"],
                "Name": q["Name"],
                "QueueType": "STANDARD",
                "LastModifiedTime": to_datetime(q["LastModifiedTime"]),
                "LastModifiedRegion": q["LastModifiedRegion"],
            }
            for q in inst.table("queue").values()
        )
    if "AGENT" in types:
        # Agent queues have no name; their id is the user's id and their ARN ends in queue/agent/<user id>.
        rows.extend(
            {
                "Id": u["Id"],
                "Arn": inst.agent_queue_arn(u["Id"]),
                "QueueType": "AGENT",
                "LastModifiedTime": to_datetime(u["CreatedTime"]),
                "LastModifiedRegion": u["LastModifiedRegion"],
            }
            for u in inst.table("user").values()
        )
    page, token = paginate(rows, p, "ListQueues", 1000)
    return compact({"QueueSummaryList": page, "NextToken": token})


@operation("SearchQueues")
def search_queues(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    tag_filter = (p.get("SearchFilter") or {}).get("TagFilter")
    return run_search(
        inst.table("queue").values(),
        p,
        op="SearchQueues",
        result_key="Queues",
        maximum=500,
        render=render_queue,
        fields=common_fields(),
        # Only standard queues are searchable, so a STANDARD type condition holds for every hit.
        leaves={"QueueTypeCondition": lambda value, q: value == "STANDARD"},
        keep=lambda q: tag_filter_matches(tag_filter, q["Tags"]),
    )


@operation("DeleteQueue")
def delete_queue(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    inst.require("queue", p["QueueId"])
    inst.remove("queue", p["QueueId"])
    return {}


def _update(ctx: Ctx, p: dict[str, Any], change) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = dict(inst.require("queue", p["QueueId"]))
    change(inst, rec)
    inst.replace("queue", rec["Id"], rec)
    return {}


@operation("UpdateQueueName")
def update_name(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    if not p.get("Name") and not p.get("Description"):
        raise InvalidParameterException("Name or Description must be provided.")

    def change(inst: InstanceState, rec: Record) -> None:
        rec["Name"] = p.get("Name") or rec["Name"]
        rec["Description"] = p.get("Description") or rec.get("Description")

    return _update(ctx, p, change)


@operation("UpdateQueueHoursOfOperation")
def update_hours(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    def change(inst: InstanceState, rec: Record) -> None:
        inst.require("hours", p["HoursOfOperationId"])
        rec["HoursOfOperationId"] = p["HoursOfOperationId"]

    return _update(ctx, p, change)


@operation("UpdateQueueMaxContacts")
def update_max_contacts(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    def change(inst: InstanceState, rec: Record) -> None:
        rec["MaxContacts"] = p.get("MaxContacts")  # leaving it out removes the limit

    return _update(ctx, p, change)


@operation("UpdateQueueOutboundCallerConfig")
def update_outbound_caller_config(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    def change(inst: InstanceState, rec: Record) -> None:
        check_outbound_caller_config(inst, ctx.phones, p["OutboundCallerConfig"])
        rec["OutboundCallerConfig"] = dict(p["OutboundCallerConfig"]) or None

    return _update(ctx, p, change)


@operation("UpdateQueueStatus")
def update_status(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    def change(inst: InstanceState, rec: Record) -> None:
        rec["Status"] = p["Status"]

    return _update(ctx, p, change)


@operation("AssociateQueueQuickConnects")
def associate_quick_connects(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    def change(inst: InstanceState, rec: Record) -> None:
        merged = list(dict.fromkeys([*rec.get("QuickConnectIds", ()), *_quick_connect_ids(inst, p["QuickConnectIds"])]))
        quotas.check(inst.quota_overrides, "quick_connects_per_queue", len(merged), 0, error=LimitExceededException)
        rec["QuickConnectIds"] = merged

    return _update(ctx, p, change)


@operation("DisassociateQueueQuickConnects")
def disassociate_quick_connects(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    def change(inst: InstanceState, rec: Record) -> None:
        drop = set(_quick_connect_ids(inst, p["QuickConnectIds"]))
        rec["QuickConnectIds"] = [q for q in rec.get("QuickConnectIds", ()) if q not in drop]

    return _update(ctx, p, change)


@operation("ListQueueQuickConnects")
def list_quick_connects(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    queue = inst.require("queue", p["QueueId"])
    page, token = paginate(queue.get("QuickConnectIds", []), p, "ListQueueQuickConnects", 100)
    rows = [summary(qc) for qc in (inst.get("quick-connect", i) for i in page) if qc is not None]
    return compact(
        {
            "NextToken": token,
            "QuickConnectSummaryList": rows,
            "LastModifiedTime": to_datetime(queue["LastModifiedTime"]),
            "LastModifiedRegion": queue["LastModifiedRegion"],
        }
    )
