"""Load a ccaas.connect bundle (an export of a real or emulated instance) into a new emulated instance.

So an import can be rehearsed offline against a copy of the real source, and so the export can be
checked end to end: exporting an instance, loading the bundle here and exporting again must give the
same bundle (apart from the export time).

Everything goes through `emulator.call`, the same API the collection uses, in dependency order:
hours -> flows -> phone numbers -> security profiles -> hierarchy -> queues -> routing profiles ->
agent statuses -> users -> quick connects -> queue quick connects -> phone number flows.
Items whose name the new instance already has (the defaults Amazon creates with every instance, such
as `BasicQueue` or the `Agent` security profile) are left as they are. Users of a CONNECT_MANAGED
instance get a generated password: a bundle never holds passwords.

This is a second, independent reading of the bundle format (the collection's import is the first), so
the round trip also checks that the format says what both sides think it says.
"""

from __future__ import annotations

import json
import secrets
import string
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

DEFAULT_ACCOUNT_ID = "123456789012"
SUPPORTED_FORMAT_VERSION = 1
ROUTING_PROFILE_QUEUE_CHUNK = 10  # CreateRoutingProfile / AssociateRoutingProfileQueues take at most 10
QUEUE_QUICK_CONNECT_CHUNK = 50  # AssociateQueueQuickConnects takes at most 50
HIERARCHY_LEVEL_KEYS = ("LevelOne", "LevelTwo", "LevelThree", "LevelFour", "LevelFive")


class Emulator(Protocol):
    def call(self, operation: str, params: dict[str, Any], *, region: str, account_id: str = ...) -> dict[str, Any]: ...

    def set_quota(self, account_id: str, region: str, instance_id: str, quota_name: str, value: int) -> None: ...


class BundleLoadError(Exception):
    """The bundle cannot be loaded (wrong format version, a reference to something it lacks)."""


def load_bundle(
    emulator: Emulator,
    bundle: dict[str, Any] | str | Path,
    *,
    region: str,
    alias: str,
    identity_management_type: str = "CONNECT_MANAGED",
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> str:
    """Create an instance holding everything in `bundle`; returns its instance ID."""
    if isinstance(bundle, Path):
        bundle = bundle.read_text("utf-8")
    if isinstance(bundle, str):
        bundle = json.loads(bundle)
    assert isinstance(bundle, dict)
    if bundle.get("format_version") != SUPPORTED_FORMAT_VERSION:
        raise BundleLoadError(
            f"format_version {bundle.get('format_version')!r} is not supported; expected {SUPPORTED_FORMAT_VERSION}"
        )
    loader = _Loader(emulator, region, account_id, identity_management_type)
    loader.create_instance(alias)
    loader.load(bundle.get("resources") or {})
    return loader.instance_id


def _tags(item: dict[str, Any]) -> dict[str, Any]:
    # TagMap has a minimum of one entry: an untagged item is created without `Tags`.
    return {"Tags": dict(item["tags"])} if item.get("tags") else {}


def _optional(**members: Any) -> dict[str, Any]:
    return {k: v for k, v in members.items() if v is not None}


def _chunks(items: Sequence[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _password() -> str:
    # Connect's policy: 8-64 characters with upper case, lower case and a digit.
    alphabet = string.ascii_letters + string.digits
    core = [
        secrets.choice(string.ascii_uppercase),
        secrets.choice(string.ascii_lowercase),
        secrets.choice(string.digits),
    ]
    return "".join(core + [secrets.choice(alphabet) for _ in range(13)])


class _Loader:
    def __init__(self, emulator: Emulator, region: str, account_id: str, identity_management_type: str) -> None:
        self.emulator = emulator
        self.region = region
        self.account_id = account_id
        self.identity_management_type = identity_management_type
        self.instance_id = ""
        self.instance_arn = ""
        # type -> identity -> ID, for existing and created items
        self.ids: dict[str, dict[str, str]] = {}

    def call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        return self.emulator.call(operation, params, region=self.region, account_id=self.account_id)

    def i(self, **params: Any) -> dict[str, Any]:
        return {"InstanceId": self.instance_id, **params}

    def id_of(self, kind: str, name: str, where: str) -> str:
        try:
            return self.ids[kind][name]
        except KeyError:
            raise BundleLoadError(f"{where} refers to {kind} '{name}', which the bundle does not hold") from None

    def create_instance(self, alias: str) -> None:
        out = self.call(
            "CreateInstance",
            {
                "IdentityManagementType": self.identity_management_type,
                "InstanceAlias": alias,
                "InboundCallsEnabled": True,
                "OutboundCallsEnabled": True,
            },
        )
        self.instance_id, self.instance_arn = out["Id"], out["Arn"]

    def existing(self, kind: str, operation: str, list_key: str, name_key: str = "Name", **extra: Any) -> None:
        found: dict[str, str] = {}
        params = self.i(**extra)
        while True:
            page = self.call(operation, params)
            for summary in page.get(list_key, []):
                if summary.get(name_key):
                    found[summary[name_key]] = summary["Id"]
            if not page.get("NextToken"):
                break
            params = {**self.i(**extra), "NextToken": page["NextToken"]}
        self.ids[kind] = found

    def raise_quota(self, name: str, needed: int) -> None:
        # A bundle of a large instance outgrows a new instance's default quotas, as it would in AWS
        # until a quota increase; the rehearsal instance gets the increase up front.
        if needed > 0 and hasattr(self.emulator, "set_quota"):
            self.emulator.set_quota(self.account_id, self.region, self.instance_id, name, max(needed, 1))

    # ---- the load ---------------------------------------------------------------------------------

    def load(self, resources: dict[str, Any]) -> None:
        self.raise_quota("users", len(resources.get("users", [])) + 10)
        self.raise_quota("phone_numbers", len(resources.get("phone_numbers", [])) + 5)
        self.hours(resources.get("hours_of_operations", []))
        self.contact_flows(resources.get("contact_flows", []))
        self.phone_numbers(resources.get("phone_numbers", []))
        self.security_profiles(resources.get("security_profiles", []))
        self.hierarchy(resources.get("user_hierarchy") or {})
        self.queues(resources.get("queues", []))
        self.routing_profiles(resources.get("routing_profiles", []))
        self.agent_statuses(resources.get("agent_statuses", []))
        self.users(resources.get("users", []))
        self.quick_connects(resources.get("quick_connects", []))
        self.queue_quick_connects(resources.get("queues", []))
        self.phone_number_flows(resources.get("phone_numbers", []))

    def hours(self, items: list[dict[str, Any]]) -> None:
        self.existing("hours_of_operations", "ListHoursOfOperations", "HoursOfOperationSummaryList")
        for item in items:
            if item["name"] in self.ids["hours_of_operations"]:
                continue
            config = [
                {
                    "Day": c["day"],
                    "StartTime": {"Hours": c["start_time"]["hours"], "Minutes": c["start_time"]["minutes"]},
                    "EndTime": {"Hours": c["end_time"]["hours"], "Minutes": c["end_time"]["minutes"]},
                }
                for c in item["config"]
            ]
            params = self.i(Name=item["name"], TimeZone=item["time_zone"], Config=config, **_tags(item))
            params.update(_optional(Description=item.get("description")))
            out = self.call("CreateHoursOfOperation", params)
            self.ids["hours_of_operations"][item["name"]] = out["HoursOfOperationId"]

    def contact_flows(self, items: list[dict[str, Any]]) -> None:
        self.existing("contact_flows", "ListContactFlows", "ContactFlowSummaryList")
        for item in items:
            if item["name"] in self.ids["contact_flows"]:
                continue
            params = self.i(Name=item["name"], Type=item["type"], Content=item.get("content") or "{}", **_tags(item))
            params.update(_optional(Description=item.get("description"), Status=item.get("status")))
            out = self.call("CreateContactFlow", params)
            self.ids["contact_flows"][item["name"]] = out["ContactFlowId"]

    def phone_numbers(self, items: list[dict[str, Any]]) -> None:
        self.ids["phone_numbers"] = {}
        for item in items:
            params: dict[str, Any] = {"TargetArn": self.instance_arn, "PhoneNumber": item["phone_number"]}
            params.update(_optional(PhoneNumberDescription=item.get("description")))
            params.update(_tags(item))
            out = self.call("ClaimPhoneNumber", params)
            self.ids["phone_numbers"][item["phone_number"]] = out["PhoneNumberId"]

    def phone_number_flows(self, items: list[dict[str, Any]]) -> None:
        for item in items:
            if item.get("contact_flow"):
                where = f"phone number {item['phone_number']}"
                self.call(
                    "AssociatePhoneNumberContactFlow",
                    {
                        "PhoneNumberId": self.ids["phone_numbers"][item["phone_number"]],
                        "InstanceId": self.instance_id,
                        "ContactFlowId": self.id_of("contact_flows", item["contact_flow"], where),
                    },
                )

    def security_profiles(self, items: list[dict[str, Any]]) -> None:
        self.existing("security_profiles", "ListSecurityProfiles", "SecurityProfileSummaryList")
        for item in items:
            if item["name"] in self.ids["security_profiles"]:
                continue
            params = self.i(SecurityProfileName=item["name"], Permissions=list(item.get("permissions", [])))
            params.update(
                _optional(
                    Description=item.get("description"),
                    AllowedAccessControlTags=item.get("allowed_access_control_tags") or None,
                    TagRestrictedResources=item.get("tag_restricted_resources") or None,
                    Applications=[_camel(app) for app in item["applications"]] if item.get("applications") else None,
                )
            )
            params.update(_tags(item))
            out = self.call("CreateSecurityProfile", params)
            self.ids["security_profiles"][item["name"]] = out["SecurityProfileId"]

    def hierarchy(self, hierarchy: dict[str, Any]) -> None:
        levels = hierarchy.get("levels") or []
        if levels:
            structure = {key: {"Name": name} for key, name in zip(HIERARCHY_LEVEL_KEYS, levels, strict=False)}
            self.call("UpdateUserHierarchyStructure", self.i(HierarchyStructure=structure))
        self.ids["user_hierarchy"] = {}
        # Parents before children: a path is created after every shorter path.
        for group in sorted(hierarchy.get("groups") or [], key=lambda g: g["path"].count("/")):
            steps = group["path"].split("/")
            params = self.i(Name=steps[-1], **_tags(group))
            if len(steps) > 1:
                parent = "/".join(steps[:-1])
                params["ParentGroupId"] = self.id_of("user_hierarchy", parent, f"group {group['path']}")
            out = self.call("CreateUserHierarchyGroup", params)
            self.ids["user_hierarchy"][group["path"]] = out["HierarchyGroupId"]

    def queues(self, items: list[dict[str, Any]]) -> None:
        self.existing("queues", "ListQueues", "QueueSummaryList", QueueTypes=["STANDARD"])
        for item in items:
            if item["name"] in self.ids["queues"]:
                continue
            where = f"queue {item['name']}"
            params = self.i(
                Name=item["name"],
                HoursOfOperationId=self.id_of("hours_of_operations", item["hours_of_operation"], where),
                **_tags(item),
            )
            params.update(_optional(Description=item.get("description"), MaxContacts=item.get("max_contacts")))
            caller = item.get("outbound_caller_config") or {}
            config = _optional(
                OutboundCallerIdName=caller.get("outbound_caller_id_name"),
                OutboundCallerIdNumberId=self.id_of("phone_numbers", caller["outbound_caller_id_number"], where)
                if caller.get("outbound_caller_id_number")
                else None,
                OutboundFlowId=self.id_of("contact_flows", caller["outbound_flow"], where)
                if caller.get("outbound_flow")
                else None,
            )
            if config:
                params["OutboundCallerConfig"] = config
            out = self.call("CreateQueue", params)
            self.ids["queues"][item["name"]] = out["QueueId"]
            if item.get("status") == "DISABLED":
                self.call("UpdateQueueStatus", self.i(QueueId=out["QueueId"], Status="DISABLED"))

    def routing_profiles(self, items: list[dict[str, Any]]) -> None:
        self.existing("routing_profiles", "ListRoutingProfiles", "RoutingProfileSummaryList")
        for item in items:
            if item["name"] in self.ids["routing_profiles"]:
                continue
            where = f"routing profile {item['name']}"
            configs = [
                {
                    "QueueReference": {"QueueId": self.id_of("queues", c["queue"], where), "Channel": c["channel"]},
                    "Priority": c["priority"],
                    "Delay": c["delay"],
                }
                for c in item.get("queue_configs", [])
            ]
            concurrencies = []
            for m in item["media_concurrencies"]:
                entry: dict[str, Any] = {"Channel": m["channel"], "Concurrency": m["concurrency"]}
                if m.get("cross_channel_behavior"):
                    entry["CrossChannelBehavior"] = {"BehaviorType": m["cross_channel_behavior"]["behavior_type"]}
                concurrencies.append(entry)
            params = self.i(
                Name=item["name"],
                Description=item.get("description", ""),
                DefaultOutboundQueueId=self.id_of("queues", item["default_outbound_queue"], where),
                MediaConcurrencies=concurrencies,
                **_tags(item),
            )
            params.update(_optional(AgentAvailabilityTimer=item.get("agent_availability_timer")))
            if configs:
                params["QueueConfigs"] = configs[:ROUTING_PROFILE_QUEUE_CHUNK]
            out = self.call("CreateRoutingProfile", params)
            profile_id = out["RoutingProfileId"]
            self.ids["routing_profiles"][item["name"]] = profile_id
            for chunk in _chunks(configs[ROUTING_PROFILE_QUEUE_CHUNK:], ROUTING_PROFILE_QUEUE_CHUNK):
                self.call("AssociateRoutingProfileQueues", self.i(RoutingProfileId=profile_id, QueueConfigs=chunk))

    def agent_statuses(self, items: list[dict[str, Any]]) -> None:
        self.existing("agent_statuses", "ListAgentStatuses", "AgentStatusSummaryList")
        for item in items:
            # Only CUSTOM statuses can be created; Available and Offline come with every instance.
            if item["name"] in self.ids["agent_statuses"] or item.get("type", "CUSTOM") != "CUSTOM":
                continue
            params = self.i(Name=item["name"], State=item["state"], **_tags(item))
            params.update(_optional(Description=item.get("description"), DisplayOrder=item.get("display_order")))
            out = self.call("CreateAgentStatus", params)
            self.ids["agent_statuses"][item["name"]] = out["AgentStatusId"]

    def users(self, items: list[dict[str, Any]]) -> None:
        self.ids["users"] = {}
        for item in items:
            where = f"user {item['username']}"
            phone = item["phone_config"]
            params = self.i(
                Username=item["username"],
                PhoneConfig=_optional(
                    PhoneType=phone["phone_type"],
                    AutoAccept=phone.get("auto_accept"),
                    AfterContactWorkTimeLimit=phone.get("after_contact_work_time_limit"),  # seconds
                    DeskPhoneNumber=phone.get("desk_phone_number"),
                    PersistentConnection=phone.get("persistent_connection"),
                ),
                RoutingProfileId=self.id_of("routing_profiles", item["routing_profile"], where),
                SecurityProfileIds=[self.id_of("security_profiles", n, where) for n in item["security_profiles"]],
                **_tags(item),
            )
            identity = item.get("identity_info") or {}
            if identity:
                params["IdentityInfo"] = _optional(
                    FirstName=identity.get("first_name"),
                    LastName=identity.get("last_name"),
                    Email=identity.get("email"),
                    SecondaryEmail=identity.get("secondary_email"),
                    Mobile=identity.get("mobile"),
                )
            if item.get("hierarchy_group"):
                params["HierarchyGroupId"] = self.id_of("user_hierarchy", item["hierarchy_group"], where)
            if self.identity_management_type == "CONNECT_MANAGED":
                params["Password"] = _password()
            for key, member in (
                ("auto_accept_configs", "AutoAcceptConfigs"),
                ("after_contact_work_configs", "AfterContactWorkConfigs"),
                ("phone_number_configs", "PhoneNumberConfigs"),
                ("persistent_connection_configs", "PersistentConnectionConfigs"),
                ("voice_enhancement_configs", "VoiceEnhancementConfigs"),
            ):
                if item.get(key):
                    params[member] = [_camel(entry) for entry in item[key]]
            out = self.call("CreateUser", params)
            self.ids["users"][item["username"]] = out["UserId"]

    def quick_connects(self, items: list[dict[str, Any]]) -> None:
        self.existing("quick_connects", "ListQuickConnects", "QuickConnectSummaryList")
        for item in items:
            if item["name"] in self.ids["quick_connects"]:
                continue
            where = f"quick connect {item['name']}"
            config = item["quick_connect_config"]
            api_config: dict[str, Any] = {"QuickConnectType": config["quick_connect_type"]}
            if "user_config" in config:
                api_config["UserConfig"] = {
                    "UserId": self.id_of("users", config["user_config"]["user"], where),
                    "ContactFlowId": self.id_of("contact_flows", config["user_config"]["contact_flow"], where),
                }
            if "queue_config" in config:
                api_config["QueueConfig"] = {
                    "QueueId": self.id_of("queues", config["queue_config"]["queue"], where),
                    "ContactFlowId": self.id_of("contact_flows", config["queue_config"]["contact_flow"], where),
                }
            if "phone_config" in config:
                api_config["PhoneConfig"] = {"PhoneNumber": config["phone_config"]["phone_number"]}
            if "flow_config" in config:
                api_config["FlowConfig"] = {
                    "ContactFlowId": self.id_of("contact_flows", config["flow_config"]["contact_flow"], where)
                }
            params = self.i(Name=item["name"], QuickConnectConfig=api_config, **_tags(item))
            params.update(_optional(Description=item.get("description")))
            out = self.call("CreateQuickConnect", params)
            self.ids["quick_connects"][item["name"]] = out["QuickConnectId"]

    def queue_quick_connects(self, items: list[dict[str, Any]]) -> None:
        for item in items:
            names = item.get("quick_connects") or []
            where = f"queue {item['name']}"
            ids = [self.id_of("quick_connects", name, where) for name in names]
            for chunk in _chunks(ids, QUEUE_QUICK_CONNECT_CHUNK):
                self.call(
                    "AssociateQueueQuickConnects",
                    self.i(QueueId=self.ids["queues"][item["name"]], QuickConnectIds=chunk),
                )


def _camel(value: Any) -> Any:
    """snake_case bundle keys back to the API's PascalCase members (per-channel user configs)."""
    if isinstance(value, dict):
        return {"".join(part.title() for part in key.split("_")): _camel(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_camel(inner) for inner in value]
    return value
