# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One read pass of the target instance per resource type: names to IDs, and current records.

A bundle names its references (routing profile 'Sales RP', hierarchy group 'Sales/EMEA', phone
number '+442071234567'); the target knows them by ID. Each type is read once, on first need, the
way its description says (_resources.py: the Search API at its largest page, else List), and kept:
resolving 10,000 users' references then costs a handful of calls, not one Describe per user.
Identities are matched case-sensitively, as Connect matches names.
"""

from __future__ import annotations

from typing import Any

from ._client import paginate
from ._resources import RESOURCE_TYPES, ResourceType, SubList

try:
    from botocore import xform_name
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore itself


def title_of(key: str) -> str:
    return RESOURCE_TYPES[key].title if key in RESOURCE_TYPES else key


class Target:
    """The target instance as the planner sees it; each type is read at most once per run."""

    def __init__(self, client: Any, instance_id: str) -> None:
        self.client = client
        self.instance_id = instance_id
        self._records: dict[str, dict[str, dict[str, Any]]] = {}  # type -> identity -> record
        self._ids: dict[str, dict[str, str]] = {}  # type -> ID or ARN -> identity

    def records(self, key: str) -> dict[str, dict[str, Any]]:
        """Every item of type `key` in the target, by identity, with `Id` and `Arn` set."""
        if key not in self._records:
            rtype = RESOURCE_TYPES[key]
            read = rtype.read
            params = {read.instance_param: self.instance_id, **dict(read.params)}
            by_identity: dict[str, dict[str, Any]] = {}
            by_id: dict[str, str] = {}
            for record in paginate(self.client, read.api, params, read.result_key, read.max_results):
                identity = rtype.identity(record)
                if identity is None:
                    continue
                normalized = {**record, "Id": record.get(read.id_field), "Arn": record.get(read.arn_field)}
                by_identity[identity] = normalized
                for reference in (normalized["Id"], normalized["Arn"]):
                    if reference:
                        by_id[reference] = identity
            self._records[key], self._ids[key] = by_identity, by_id
        return self._records[key]

    def id_of(self, key: str, reference: str) -> str | None:
        """The ID for an identity (or an ID/ARN given as such); None when the target has no such item."""
        records = self.records(key)
        if reference in records:
            return records[reference]["Id"]
        identity = self._ids[key].get(reference)
        return records[identity]["Id"] if identity is not None else None

    def name_of(self, key: str, reference: str | None) -> str | None:
        """The identity of an ID or ARN, as a bundle spells it; anything else comes back as it is."""
        if reference is None:
            return None
        self.records(key)
        return self._ids[key].get(reference, reference)

    def add(self, key: str, identity: str, record: dict[str, Any]) -> None:
        """Make an item this run creates known to later look-ups in the same run."""
        self.records(key)[identity] = record
        for reference in (record.get("Id"), record.get("Arn")):
            if reference:
                self._ids[key][reference] = identity

    def assume(self, key: str, identity: str) -> None:
        """Check mode: an item an earlier task of the same run creates counts as there.

        Its placeholder ID is never sent (check mode sends nothing) and maps back to the identity,
        so a dry run of a whole import into an empty target plans what the real run will do instead
        of failing on references the real run will have created by then.
        """
        if identity not in self.records(key):
            placeholder = f"(created by an earlier task) {identity}"
            self.add(key, identity, {"Id": placeholder, "Arn": placeholder, "planned": True, "pending": True})

    def sublist(self, sub: SubList, item_id: str) -> list[Any]:
        params = {"InstanceId": self.instance_id, sub.item_param: item_id}
        return list(paginate(self.client, sub.api, params, sub.result_key, sub.max_results))

    def describe(self, rtype: ResourceType, item_id: str) -> dict[str, Any]:
        describe = rtype.write.describe
        if describe is None:
            raise ValueError(f"{rtype.title} has no Describe API in its description")
        params = {describe.item_param: item_id}
        if describe.instance_param:
            params[describe.instance_param] = self.instance_id
        return getattr(self.client, xform_name(describe.api))(**params).get(describe.result_key) or {}
