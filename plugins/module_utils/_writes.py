# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The write side of each resource type: how it is created, which Update* call writes which field.

The bundle keys are the ones connect_info exports (snake_case, references by name), so an export
feeds an import unchanged. These descriptions belong beside the read side in _resources.py; they
live here until that file exists and will move into it, one description per type.
"""

from __future__ import annotations

from typing import Any

from ._executor import Call
from ._planner import Association, Attr, WriteSpec, chunks
from ._target import Target

ROUTING_QUEUE_CHUNK = 10  # Associate/Disassociate/UpdateRoutingProfileQueues take at most 10 configs
QUICK_CONNECT_CHUNK = 50  # Associate/DisassociateQueueQuickConnects take at most 50 IDs

IDENTITY_INFO = {
    "first_name": "FirstName",
    "last_name": "LastName",
    "email": "Email",
    "secondary_email": "SecondaryEmail",
    "mobile": "Mobile",
}
PHONE_CONFIG = {
    "phone_type": "PhoneType",
    "auto_accept": "AutoAccept",
    "after_contact_work_time_limit": "AfterContactWorkTimeLimit",
    "desk_phone_number": "DeskPhoneNumber",
    "persistent_connection": "PersistentConnection",
}


# ---- users ------------------------------------------------------------------------------------


def _user_search_record(record: dict[str, Any]) -> dict[str, Any]:
    """SearchUsers reports AfterContactWorkTimeLimit in milliseconds; Create/Update take seconds."""
    phone = dict(record.get("PhoneConfig") or {})
    if phone.get("AfterContactWorkTimeLimit") is not None and not record.get("described"):
        phone["AfterContactWorkTimeLimit"] = phone["AfterContactWorkTimeLimit"] // 1000
    return {**record, "PhoneConfig": phone}


def _user_identity_from_describe(client: Any, target: Target, record: dict[str, Any], item: dict) -> dict[str, Any]:
    """SearchUsers returns first and last name only; a task that sets e-mail or mobile needs DescribeUser."""
    wanted = {k for k, v in (item.get("identity_info") or {}).items() if v is not None}
    if not wanted - {"first_name", "last_name"}:
        return record
    user = client.describe_user(InstanceId=target.instance_id, UserId=record["Id"])["User"]
    return {**record, "IdentityInfo": user.get("IdentityInfo") or {}}


USER = WriteSpec(
    kind="user",
    key="username",
    name_param="Username",
    create_api="CreateUser",
    id_param="UserId",
    delete_api="DeleteUser",
    create_outputs={"id": "UserId", "arn": "UserArn"},
    attrs=[
        Attr("identity_info", "IdentityInfo", sub=IDENTITY_INFO, update="UpdateUserIdentityInfo"),
        Attr("phone_config", "PhoneConfig", sub=PHONE_CONFIG, update="UpdateUserPhoneConfig"),
        Attr("routing_profile", "RoutingProfileId", ref="routing_profile", update="UpdateUserRoutingProfile"),
        Attr(
            "security_profiles",
            "SecurityProfileIds",
            ref="security_profile",
            many=True,
            update="UpdateUserSecurityProfiles",
        ),
        Attr("hierarchy_group", "HierarchyGroupId", ref="hierarchy_group", update="UpdateUserHierarchy"),
        Attr("directory_user_id", "DirectoryUserId"),
    ],
    fix_record=_user_search_record,
    enrich=_user_identity_from_describe,
    # Connect requires a phone configuration; a soft phone is what the console gives a new agent.
    create_defaults={"PhoneConfig": {"PhoneType": "SOFT_PHONE"}},
)


# ---- routing profiles -------------------------------------------------------------------------


def _concurrencies_to_api(_target: Target, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for entry in value:
        api = {"Channel": entry["channel"], "Concurrency": int(entry["concurrency"])}
        if entry.get("cross_channel_behavior"):
            api["CrossChannelBehavior"] = {"BehaviorType": entry["cross_channel_behavior"]}
        out.append(api)
    return out


def _concurrencies_from_api(_target: Target, raw: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    out = []
    for entry in raw or []:
        portable: dict[str, Any] = {"channel": entry["Channel"], "concurrency": entry["Concurrency"]}
        behavior = (entry.get("CrossChannelBehavior") or {}).get("BehaviorType")
        if behavior:
            portable["cross_channel_behavior"] = behavior
        out.append(portable)
    return sorted(out, key=lambda e: e["channel"])


def _queue_config_key(config: dict[str, Any]) -> tuple[str, str]:
    return config["queue"], config["channel"]


def _routing_queues_current(target: Target, record: dict[str, Any]) -> list[dict[str, Any]]:
    paginator = target.client.get_paginator("list_routing_profile_queues")
    configs = []
    for page in paginator.paginate(InstanceId=target.instance_id, RoutingProfileId=record["Id"]):
        for summary in page.get("RoutingProfileQueueConfigSummaryList", []):
            configs.append(
                {
                    "queue": target.name_of("queue", summary["QueueId"]),
                    "channel": summary["Channel"],
                    "priority": summary["Priority"],
                    "delay": summary["Delay"],
                }
            )
    return sorted(configs, key=_queue_config_key)


def _queue_config_api(target: Target, config: dict[str, Any]) -> dict[str, Any]:
    return {
        "QueueReference": {"QueueId": target.id_of("queue", config["queue"]), "Channel": config["channel"]},
        "Priority": int(config.get("priority", 1)),
        "Delay": int(config.get("delay", 0)),
    }


def _routing_queue_calls(target: Target, profile_id: Any, current: list, desired: list, _new: bool) -> list[Call]:
    """The list is authoritative: missing configs are added, changed ones updated, others removed."""
    current_by = {_queue_config_key(c): c for c in current}
    desired_by = {_queue_config_key(d): {"priority": 1, "delay": 0, **d} for d in desired}
    add = [d for k, d in desired_by.items() if k not in current_by]
    change = [
        d
        for k, d in desired_by.items()
        if k in current_by
        and (current_by[k]["priority"], current_by[k]["delay"]) != (int(d["priority"]), int(d["delay"]))
    ]
    remove = [c for k, c in current_by.items() if k not in desired_by]
    base = {"InstanceId": target.instance_id, "RoutingProfileId": profile_id}
    calls = []
    for chunk in chunks(remove, ROUTING_QUEUE_CHUNK):
        references = [{"QueueId": target.id_of("queue", c["queue"]), "Channel": c["channel"]} for c in chunk]
        calls.append(Call("DisassociateRoutingProfileQueues", {**base, "QueueReferences": references}))
    for chunk in chunks(add, ROUTING_QUEUE_CHUNK):
        configs = [_queue_config_api(target, c) for c in chunk]
        calls.append(Call("AssociateRoutingProfileQueues", {**base, "QueueConfigs": configs}))
    for chunk in chunks(change, ROUTING_QUEUE_CHUNK):
        configs = [_queue_config_api(target, c) for c in chunk]
        calls.append(Call("UpdateRoutingProfileQueues", {**base, "QueueConfigs": configs}))
    return calls


def _queue_config_errors(target: Target, desired: list[dict[str, Any]]) -> list[str]:
    missing = sorted({c["queue"] for c in desired if target.id_of("queue", c["queue"]) is None})
    return [f"queue '{name}' not found in target" for name in missing]


ROUTING_PROFILE = WriteSpec(
    kind="routing_profile",
    key="name",
    name_param="Name",
    create_api="CreateRoutingProfile",
    id_param="RoutingProfileId",
    delete_api="DeleteRoutingProfile",
    create_outputs={"id": "RoutingProfileId", "arn": "RoutingProfileArn"},
    attrs=[
        Attr("name", "Name", update="UpdateRoutingProfileName"),
        Attr("description", "Description", update="UpdateRoutingProfileName"),
        Attr(
            "media_concurrencies",
            "MediaConcurrencies",
            update="UpdateRoutingProfileConcurrency",
            to_api=_concurrencies_to_api,
            from_api=_concurrencies_from_api,
        ),
        Attr(
            "default_outbound_queue",
            "DefaultOutboundQueueId",
            ref="queue",
            update="UpdateRoutingProfileDefaultOutboundQueue",
        ),
        Attr("agent_availability_timer", "AgentAvailabilityTimer", update="UpdateRoutingProfileAgentAvailabilityTimer"),
    ],
    associations=[
        Association(
            "queue_configs",
            current=_routing_queues_current,
            calls=_routing_queue_calls,
            resolve=_queue_config_errors,
        )
    ],
)


# ---- queues -----------------------------------------------------------------------------------


def _caller_config_to_api(target: Target, value: dict[str, Any]) -> dict[str, Any]:
    api: dict[str, Any] = {}
    if value.get("outbound_caller_id_name") is not None:
        api["OutboundCallerIdName"] = value["outbound_caller_id_name"]
    if value.get("outbound_caller_id_number"):
        api["OutboundCallerIdNumberId"] = target.id_of("phone_number", value["outbound_caller_id_number"])
    if value.get("outbound_flow"):
        api["OutboundFlowId"] = target.id_of("contact_flow", value["outbound_flow"])
    return api


def _caller_config_from_api(target: Target, raw: dict[str, Any] | None) -> dict[str, Any]:
    raw = raw or {}
    portable = {
        "outbound_caller_id_name": raw.get("OutboundCallerIdName"),
        "outbound_caller_id_number": target.name_of("phone_number", raw.get("OutboundCallerIdNumberId")),
        "outbound_flow": target.name_of("contact_flow", raw.get("OutboundFlowId")),
    }
    return {k: v for k, v in portable.items() if v is not None}


def _caller_config_errors(target: Target, value: dict[str, Any]) -> list[str]:
    errors = []
    number, flow = value.get("outbound_caller_id_number"), value.get("outbound_flow")
    if number and target.id_of("phone_number", number) is None:
        errors.append(f"phone number '{number}' not found in target")
    if flow and target.id_of("contact_flow", flow) is None:
        errors.append(f"contact flow '{flow}' not found in target")
    return errors


def _queue_quick_connects_current(target: Target, record: dict[str, Any]) -> list[str]:
    paginator = target.client.get_paginator("list_queue_quick_connects")
    names = []
    for page in paginator.paginate(InstanceId=target.instance_id, QueueId=record["Id"]):
        names.extend(target.name_of("quick_connect", s["Id"]) for s in page.get("QuickConnectSummaryList", []))
    return sorted(names)


def _queue_quick_connect_calls(target: Target, queue_id: Any, current: list, desired: list, _new: bool) -> list[Call]:
    base = {"InstanceId": target.instance_id, "QueueId": queue_id}
    add = sorted(set(desired) - set(current))
    remove = sorted(set(current) - set(desired))
    calls = []
    for chunk in chunks(remove, QUICK_CONNECT_CHUNK):
        ids = [target.id_of("quick_connect", name) for name in chunk]
        calls.append(Call("DisassociateQueueQuickConnects", {**base, "QuickConnectIds": ids}))
    for chunk in chunks(add, QUICK_CONNECT_CHUNK):
        ids = [target.id_of("quick_connect", name) for name in chunk]
        calls.append(Call("AssociateQueueQuickConnects", {**base, "QuickConnectIds": ids}))
    return calls


def _quick_connect_errors(target: Target, desired: list[str]) -> list[str]:
    missing = sorted({name for name in desired if target.id_of("quick_connect", name) is None})
    return [f"quick connect '{name}' not found in target" for name in missing]


QUEUE = WriteSpec(
    kind="queue",
    key="name",
    name_param="Name",
    create_api="CreateQueue",
    id_param="QueueId",
    delete_api="DeleteQueue",
    create_outputs={"id": "QueueId", "arn": "QueueArn"},
    attrs=[
        Attr("name", "Name", update="UpdateQueueName"),
        Attr("description", "Description", update="UpdateQueueName"),
        Attr(
            "hours_of_operation", "HoursOfOperationId", ref="hours_of_operation", update="UpdateQueueHoursOfOperation"
        ),
        Attr("max_contacts", "MaxContacts", update="UpdateQueueMaxContacts"),
        Attr(
            "outbound_caller_config",
            "OutboundCallerConfig",
            update="UpdateQueueOutboundCallerConfig",
            to_api=_caller_config_to_api,
            from_api=_caller_config_from_api,
            errors=_caller_config_errors,
        ),
        Attr("status", "Status", update="UpdateQueueStatus", on_create=False, create_default="ENABLED"),
    ],
    associations=[
        Association(
            "quick_connects",
            current=_queue_quick_connects_current,
            calls=_queue_quick_connect_calls,
            resolve=_quick_connect_errors,
        )
    ],
)
