"""A tiny fake Connect domain, so the framework's tests do not depend on the real domain's rules."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from typing import Any

from connect_emulator import errors
from connect_emulator.instances import InstanceDirectory
from connect_emulator.server import Emulator


class FakeDomain:
    OPERATIONS = frozenset(
        {"CreateUser", "DescribeUser", "DeleteUser", "TagResource", "UntagResource", "ListTagsForResource"}
    )

    def __init__(self, instances: InstanceDirectory) -> None:
        self.instances = instances
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.users: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.tags: dict[str, dict[str, str]] = {}
        self.quotas: dict[tuple[str, str, str, str], int] = {}
        self.bad_output = False

    def _instance(self, account_id: str, region: str, instance_id: str) -> Any:
        info = self.instances.get(account_id, region, instance_id)
        if info is None:
            raise errors.ResourceNotFoundException(f"Instance not found: {instance_id}")
        return info

    def handle(self, operation: str, params: dict[str, Any], *, account_id: str, region: str) -> dict[str, Any]:
        if operation == "CreateUser":
            info = self._instance(account_id, region, params["InstanceId"])
            with self.lock:
                limit = self.quotas.get((account_id, region, info.id, "users"))
                if limit is not None and sum(1 for k in self.users if k[2] == info.id) >= limit:
                    raise errors.ServiceQuotaExceededException("Users per instance quota reached")
                user_id = str(uuid.uuid4())
                arn = f"{info.arn}/agent/{user_id}"
                self.users[(account_id, region, user_id)] = {
                    "Id": user_id,
                    "Arn": arn,
                    "Username": params["Username"],
                    "SecurityProfileIds": params["SecurityProfileIds"],
                    "RoutingProfileId": params["RoutingProfileId"],
                    "PhoneConfig": params.get("PhoneConfig"),
                    "HierarchyGroupId": None,
                    "LastModifiedTime": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
                    "_instance": info.id,
                }
            return {"UserId": user_id, "UserArn": arn}
        if operation == "DescribeUser":
            self._instance(account_id, region, params["InstanceId"])
            user = self.users.get((account_id, region, params["UserId"]))
            if user is None:
                raise errors.ResourceNotFoundException(f"User not found for UserId: {params['UserId']}")
            shown = {k: v for k, v in user.items() if not k.startswith("_")}
            if self.bad_output:
                shown["Username"] = 42
            return {"User": shown}
        if operation == "DeleteUser":
            user = self.users.get((account_id, region, params["UserId"]))
            if user is None:
                raise errors.ResourceNotFoundException("User not found")
            if user["Username"] == "in-use":
                raise errors.ResourceInUseException("User is in use", ResourceType="USER", ResourceId=user["Id"])
            del self.users[(account_id, region, params["UserId"])]
            return {}
        arn = params["resourceArn"]
        if operation == "TagResource":
            self.tags.setdefault(arn, {}).update(params["tags"])
            return {}
        if operation == "UntagResource":
            for key in params["tagKeys"]:
                self.tags.get(arn, {}).pop(key, None)
            return {}
        if operation == "ListTagsForResource":
            if arn == "arn:aws:connect:us-east-1:123456789012:instance/bad":
                raise errors.InvalidRequestException("bad", Reason={"AttachedFileInvalidRequestExceptionReason": "X"})
            return {"tags": dict(self.tags.get(arn, {}))}
        raise AssertionError(operation)

    def dump_state(self) -> dict[str, Any]:
        return {"users": [{**u, "LastModifiedTime": u["LastModifiedTime"].isoformat()} for u in self.users.values()]}

    def load_state(self, state: dict[str, Any]) -> None:
        self.reset()
        for user in state.get("users", []):
            user = {**user, "LastModifiedTime": datetime.fromisoformat(user["LastModifiedTime"])}
            self.users[("123456789012", "us-east-1", user["Id"])] = user

    def set_quota(self, account_id: str, region: str, instance_id: str, quota_name: str, value: int) -> None:
        self.quotas[(account_id, region, instance_id, quota_name)] = value


def make_fake_emulator() -> Emulator:
    return Emulator(throttle="off", validate_output=True, domain_factory=FakeDomain)
