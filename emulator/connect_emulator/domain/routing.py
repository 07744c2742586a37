"""Routing profiles: media concurrency, the default outbound queue and queue configs per channel."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidParameterException, LimitExceededException
from . import quotas
from .registry import Ctx, operation
from .search import common_fields, run_search, tag_filter_matches
from .store import InstanceState, Record, compact, copy_list, paginate, tags_checked, to_datetime

MAX_CONFIGS_PER_CALL = 10
MAX_CONCURRENCY = {"VOICE": 1, "CHAT": 10, "TASK": 10, "EMAIL": 10}


def _check_concurrency(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    for mc in items:
        channel = mc["Channel"]
        if channel in seen:
            raise InvalidParameterException(f"Channel {channel} appears more than once in MediaConcurrencies.")
        seen.add(channel)
        concurrency = mc.get("Concurrency")
        if concurrency is not None and concurrency > MAX_CONCURRENCY[channel]:
            raise InvalidParameterException(
                f"Concurrency for {channel} must be at most {MAX_CONCURRENCY[channel]}, got {concurrency}."
            )
    return copy_list(items)


def _key(cfg: dict[str, Any]) -> tuple[str, str]:
    ref = cfg.get("QueueReference", cfg)
    return ref["QueueId"], ref["Channel"]


def _new_configs(inst: InstanceState, configs: list[dict[str, Any]], existing: set[tuple[str, str]], *, manual=False):
    """Validated stored rows for configs being added next to `existing` (queue, channel) pairs."""
    if len(configs) > MAX_CONFIGS_PER_CALL:
        raise InvalidParameterException(f"At most {MAX_CONFIGS_PER_CALL} queue configs can be sent in one call.")
    rows, seen = [], set(existing)
    for cfg in configs:
        queue_id, channel = _key(cfg)
        inst.require("queue", queue_id)
        if (queue_id, channel) in seen:
            raise InvalidParameterException(f"Queue {queue_id} is already associated for channel {channel}.")
        seen.add((queue_id, channel))
        row = {"QueueId": queue_id, "Channel": channel}
        if not manual:
            row.update(Priority=cfg["Priority"], Delay=cfg["Delay"])
        rows.append(row)
    return rows


def _check_queue_quota(inst: InstanceState, rec: Record) -> None:
    # Routed and manual-assignment queue/channel combinations each count up to the quota on their own.
    for member in ("QueueConfigs", "ManualAssignmentQueueConfigs"):
        combos = len(rec.get(member, ()))
        quotas.check(inst.quota_overrides, "queues_per_routing_profile", combos, 0, error=LimitExceededException)


def render_routing_profile(inst: InstanceState, rp: Record) -> dict[str, Any]:
    queues = list(dict.fromkeys(c["QueueId"] for c in rp.get("QueueConfigs", ())))
    manual = list(dict.fromkeys(c["QueueId"] for c in rp.get("ManualAssignmentQueueConfigs", ())))
    return compact(
        {
            "InstanceId": inst.id,
            "Name": rp["Name"],
            "RoutingProfileArn": rp["Arn"],
            "RoutingProfileId": rp["Id"],
            "Description": rp["Description"],
            "MediaConcurrencies": copy_list(rp["MediaConcurrencies"]),
            "DefaultOutboundQueueId": rp["DefaultOutboundQueueId"],
            "Tags": dict(rp["Tags"]),
            "NumberOfAssociatedQueues": len(queues),
            "NumberOfAssociatedManualAssignmentQueues": len(manual),
            "NumberOfAssociatedUsers": inst.referrer_count("routing-profile", rp["Id"], "user"),
            "AgentAvailabilityTimer": rp.get("AgentAvailabilityTimer"),
            "LastModifiedTime": to_datetime(rp["LastModifiedTime"]),
            "LastModifiedRegion": rp["LastModifiedRegion"],
            "IsDefault": bool(rp.get("IsDefault")),
            "AssociatedQueueIds": queues,
            "AssociatedManualAssignmentQueueIds": manual,
        }
    )


def create(inst: InstanceState, p: dict[str, Any], *, is_default: bool = False) -> Record:
    inst.require("queue", p["DefaultOutboundQueueId"], "Default outbound queue")
    rec: Record = {
        "Name": p["Name"],
        "Description": p["Description"],
        "MediaConcurrencies": _check_concurrency(p["MediaConcurrencies"]),
        "DefaultOutboundQueueId": p["DefaultOutboundQueueId"],
        "QueueConfigs": _new_configs(inst, p.get("QueueConfigs") or [], set()),
        "ManualAssignmentQueueConfigs": _new_configs(
            inst, p.get("ManualAssignmentQueueConfigs") or [], set(), manual=True
        ),
        "AgentAvailabilityTimer": p.get("AgentAvailabilityTimer"),
        "IsDefault": is_default,
        "Tags": tags_checked(None, p.get("Tags")),
    }
    _check_queue_quota(inst, rec)
    return inst.add("routing-profile", rec)


@operation("CreateRoutingProfile")
def create_routing_profile(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    rec = create(ctx.instance(p), p)
    return {"RoutingProfileArn": rec["Arn"], "RoutingProfileId": rec["Id"]}


@operation("DescribeRoutingProfile")
def describe_routing_profile(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    return {"RoutingProfile": render_routing_profile(inst, inst.require("routing-profile", p["RoutingProfileId"]))}


@operation("ListRoutingProfiles")
def list_routing_profiles(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    page, token = paginate(inst.table("routing-profile").values(), p, "ListRoutingProfiles", 1000)
    summaries = [
        {
            "Id": rp["Id"],
            "Arn": rp["Arn"],
            "Name": rp["Name"],
            "LastModifiedTime": to_datetime(rp["LastModifiedTime"]),
            "LastModifiedRegion": rp["LastModifiedRegion"],
        }
        for rp in page
    ]
    return compact({"RoutingProfileSummaryList": summaries, "NextToken": token})


@operation("SearchRoutingProfiles")
def search_routing_profiles(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    tag_filter = (p.get("SearchFilter") or {}).get("TagFilter")
    return run_search(
        inst.table("routing-profile").values(),
        p,
        op="SearchRoutingProfiles",
        result_key="RoutingProfiles",
        maximum=500,
        render=lambda rp: render_routing_profile(inst, rp),
        fields=common_fields(associatedQueueIds=lambda rp: [c["QueueId"] for c in rp.get("QueueConfigs", ())]),
        keep=lambda rp: tag_filter_matches(tag_filter, rp["Tags"]),
    )


@operation("DeleteRoutingProfile")
def delete_routing_profile(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    inst.require("routing-profile", p["RoutingProfileId"])
    inst.remove("routing-profile", p["RoutingProfileId"])
    return {}


def _update(ctx: Ctx, p: dict[str, Any], change) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = dict(inst.require("routing-profile", p["RoutingProfileId"]))
    change(inst, rec)
    inst.replace("routing-profile", rec["Id"], rec)
    return {}


@operation("UpdateRoutingProfileName")
def update_name(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    if not p.get("Name") and not p.get("Description"):
        raise InvalidParameterException("Name or Description must be provided.")

    def change(inst: InstanceState, rec: Record) -> None:
        rec["Name"] = p.get("Name") or rec["Name"]
        rec["Description"] = p.get("Description") or rec["Description"]

    return _update(ctx, p, change)


@operation("UpdateRoutingProfileConcurrency")
def update_concurrency(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    def change(inst: InstanceState, rec: Record) -> None:
        rec["MediaConcurrencies"] = _check_concurrency(p["MediaConcurrencies"])

    return _update(ctx, p, change)


@operation("UpdateRoutingProfileDefaultOutboundQueue")
def update_default_outbound_queue(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    def change(inst: InstanceState, rec: Record) -> None:
        inst.require("queue", p["DefaultOutboundQueueId"], "Default outbound queue")
        rec["DefaultOutboundQueueId"] = p["DefaultOutboundQueueId"]

    return _update(ctx, p, change)


@operation("AssociateRoutingProfileQueues")
def associate_queues(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    if not p.get("QueueConfigs") and not p.get("ManualAssignmentQueueConfigs"):
        raise InvalidParameterException("QueueConfigs or ManualAssignmentQueueConfigs must be provided.")

    def change(inst: InstanceState, rec: Record) -> None:
        routed = rec.get("QueueConfigs", [])
        manual = rec.get("ManualAssignmentQueueConfigs", [])
        add = _new_configs(inst, p.get("QueueConfigs") or [], {_key(c) for c in routed})
        add_manual = _new_configs(
            inst, p.get("ManualAssignmentQueueConfigs") or [], {_key(c) for c in manual}, manual=True
        )
        rec["QueueConfigs"] = routed + add
        rec["ManualAssignmentQueueConfigs"] = manual + add_manual
        _check_queue_quota(inst, rec)

    return _update(ctx, p, change)


@operation("DisassociateRoutingProfileQueues")
def disassociate_queues(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    def change(inst: InstanceState, rec: Record) -> None:
        for member, refs_member in (
            ("QueueConfigs", "QueueReferences"),
            ("ManualAssignmentQueueConfigs", "ManualAssignmentQueueReferences"),
        ):
            drop = {_key(r) for r in p.get(refs_member) or ()}
            missing = drop - {_key(c) for c in rec.get(member, ())}
            if missing:
                queue_id, channel = sorted(missing)[0]
                raise InvalidParameterException(f"Queue {queue_id} is not associated for channel {channel}.")
            rec[member] = [c for c in rec.get(member, ()) if _key(c) not in drop]

    return _update(ctx, p, change)


@operation("UpdateRoutingProfileQueues")
def update_queues(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    """Changes priority and delay of queue configs that are already associated."""
    if len(p["QueueConfigs"]) > MAX_CONFIGS_PER_CALL:
        raise InvalidParameterException(f"At most {MAX_CONFIGS_PER_CALL} queue configs can be sent in one call.")

    def change(inst: InstanceState, rec: Record) -> None:
        rows = {_key(c): dict(c) for c in rec.get("QueueConfigs", ())}
        for cfg in p["QueueConfigs"]:
            key = _key(cfg)
            inst.require("queue", key[0])
            if key not in rows:
                raise InvalidParameterException(f"Queue {key[0]} is not associated for channel {key[1]}.")
            rows[key].update(Priority=cfg["Priority"], Delay=cfg["Delay"])
        rec["QueueConfigs"] = list(rows.values())

    return _update(ctx, p, change)


def _list_queue_configs(ctx: Ctx, p: dict[str, Any], *, manual: bool) -> dict[str, Any]:
    """A routing profile's queue configs, or its manual-assignment ones (no priority or delay), a page at a time."""
    inst = ctx.instance(p)
    rp = inst.require("routing-profile", p["RoutingProfileId"])
    member, op = (
        ("ManualAssignmentQueueConfigs", "ListRoutingProfileManualAssignmentQueues")
        if manual
        else ("QueueConfigs", "ListRoutingProfileQueues")
    )
    page, token = paginate(rp.get(member, []), p, op, 100)
    rows = []
    for c in page:
        queue = inst.get("queue", c["QueueId"]) or {"Arn": inst.arn_for("queue", c["QueueId"]), "Name": c["QueueId"]}
        row = {"QueueId": c["QueueId"], "QueueArn": queue["Arn"], "QueueName": queue["Name"], "Channel": c["Channel"]}
        if not manual:
            row.update(Priority=c["Priority"], Delay=c["Delay"])
        rows.append(row)
    return compact(
        {
            "NextToken": token,
            (
                "RoutingProfileManualAssignmentQueueConfigSummaryList"
                if manual
                else "RoutingProfileQueueConfigSummaryList"
            ): rows,
            "LastModifiedTime": to_datetime(rp["LastModifiedTime"]),
            "LastModifiedRegion": rp["LastModifiedRegion"],
        }
    )


@operation("ListRoutingProfileQueues")
def list_queues(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    return _list_queue_configs(ctx, p, manual=False)


@operation("ListRoutingProfileManualAssignmentQueues")
def list_manual_assignment_queues(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    return _list_queue_configs(ctx, p, manual=True)


@operation("UpdateRoutingProfileAgentAvailabilityTimer")
def update_agent_availability_timer(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    def change(inst: InstanceState, rec: Record) -> None:
        rec["AgentAvailabilityTimer"] = p["AgentAvailabilityTimer"]

    return _update(ctx, p, change)
