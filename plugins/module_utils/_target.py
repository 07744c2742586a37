# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One read pass of the target instance per resource type: names to IDs, and current records.

A bundle names its references (routing profile 'Sales RP', hierarchy group 'Sales/EMEA', phone
number '+442071234567'); the target knows them by ID. Each kind is listed once, on first need,
and kept: resolving 10,000 users' references then costs a handful of List calls, not one
Describe per user. Names are matched case-sensitively, as Connect matches them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# The kinds a description may reference, in the words an error message uses.
KIND_WORDS = {
    "user": "user",
    "routing_profile": "routing profile",
    "security_profile": "security profile",
    "hierarchy_group": "hierarchy group",
    "queue": "queue",
    "hours_of_operation": "hours of operation",
    "contact_flow": "contact flow",
    "quick_connect": "quick connect",
    "phone_number": "phone number",
}


@dataclass(frozen=True)
class Lister:
    """How to list one kind: paginated method, result key, and the record fields that name it."""

    method: str
    result: str
    name: str = "Name"
    id: str = "Id"
    arn: str = "Arn"
    params: dict[str, Any] = field(default_factory=dict)


LISTERS: dict[str, Lister] = {
    "user": Lister("search_users", "Users", name="Username"),
    "routing_profile": Lister(
        "search_routing_profiles", "RoutingProfiles", id="RoutingProfileId", arn="RoutingProfileArn"
    ),
    "security_profile": Lister("list_security_profiles", "SecurityProfileSummaryList"),
    "queue": Lister("search_queues", "Queues", id="QueueId", arn="QueueArn"),
    "hours_of_operation": Lister("list_hours_of_operations", "HoursOfOperationSummaryList"),
    "contact_flow": Lister("list_contact_flows", "ContactFlowSummaryList"),
    "quick_connect": Lister("search_quick_connects", "QuickConnects", id="QuickConnectId", arn="QuickConnectARN"),
    "phone_number": Lister(
        "list_phone_numbers_v2",
        "ListPhoneNumbersSummaryList",
        name="PhoneNumber",
        id="PhoneNumberId",
        arn="PhoneNumberArn",
    ),
    "hierarchy_group": Lister("search_user_hierarchy_groups", "UserHierarchyGroups"),
}


class Target:
    """The target instance as the planner sees it; each kind is read at most once per run."""

    def __init__(self, client: Any, instance_id: str, instance_arn: str | None = None) -> None:
        self.client = client
        self.instance_id = instance_id
        self.instance_arn = instance_arn
        self._records: dict[str, dict[str, dict[str, Any]]] = {}  # kind -> name -> record
        self._ids: dict[str, dict[str, str]] = {}  # kind -> id -> name

    def _pages(self, lister: Lister) -> Iterator[dict[str, Any]]:
        params = dict(lister.params)
        if lister.method == "list_phone_numbers_v2":
            # Phone numbers are claimed to an instance (or its traffic distribution group), by ARN.
            params["TargetArn"] = self.instance_arn or self.instance_id
        else:
            params["InstanceId"] = self.instance_id
        if lister.method == "search_queues":
            # Agent queues come with users; only standard queues are the bundle's business.
            params["SearchCriteria"] = {"QueueTypeCondition": "STANDARD"}
        paginator = self.client.get_paginator(lister.method)
        for page in paginator.paginate(**params):
            yield from page.get(lister.result, [])

    def records(self, kind: str) -> dict[str, dict[str, Any]]:
        """Every record of `kind` in the target, by name (hierarchy groups by their full path)."""
        if kind not in self._records:
            lister = LISTERS[kind]
            by_name: dict[str, dict[str, Any]] = {}
            by_id: dict[str, str] = {}
            for record in self._pages(lister):
                name = hierarchy_path(record) if kind == "hierarchy_group" else record.get(lister.name)
                if name is None:
                    continue
                normalized = {**record, "Id": record.get(lister.id), "Arn": record.get(lister.arn)}
                by_name[name] = normalized
                by_id[normalized["Id"]] = name
                if normalized["Arn"]:
                    by_id[normalized["Arn"]] = name
            self._records[kind], self._ids[kind] = by_name, by_id
        return self._records[kind]

    def add(self, kind: str, name: str, record: dict[str, Any]) -> None:
        """Record an item this run plans to create, so later items of the same run can name it."""
        self.records(kind)[name] = record
        if record.get("Id"):
            self._ids[kind][record["Id"]] = name

    def id_of(self, kind: str, reference: str) -> str | None:
        """The ID for a name (or an ID/ARN given as such); None when the target has no such item."""
        records = self.records(kind)
        if reference in records:
            return records[reference]["Id"]
        name = self._ids[kind].get(reference)
        if name is not None:
            return records[name]["Id"]
        if kind == "hierarchy_group":
            # A plain group name is accepted when it is unique across the levels.
            matches = [r for path, r in records.items() if path.rsplit("/", 1)[-1] == reference]
            if len(matches) == 1:
                return matches[0]["Id"]
        return None

    def name_of(self, kind: str, reference: str | None) -> str | None:
        """The name of an ID or ARN (what the bundle says); a name, or an unknown ID, comes back as is."""
        if reference is None:
            return None
        self.records(kind)
        return self._ids[kind].get(reference, reference)


def hierarchy_path(group: dict[str, Any]) -> str:
    """'Level one name/Level two name/...' from SearchUserHierarchyGroups' HierarchyPath."""
    path = group.get("HierarchyPath") or {}
    names = [
        (path.get(level) or {}).get("Name")
        for level in ("LevelOne", "LevelTwo", "LevelThree", "LevelFour", "LevelFive")
    ]
    names = [name for name in names if name]
    return "/".join(names) if names else group.get("Name", "")
