"""What the Connect domain may know about instances.

Instances (Create/Describe/List/DeleteInstance) are served by moto, so the domain never owns them:
it asks this directory whether an instance exists and delegates tags on instance ARNs to it. The
adapter implements the Protocol over moto's backends; tests can pass any object with these methods.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class InstanceInfo:
    id: str
    arn: str
    alias: str | None
    identity_management_type: str
    account_id: str
    region: str


class InstanceDirectory(Protocol):
    def get(self, account_id: str, region: str, instance_id: str) -> InstanceInfo | None:
        """The instance whose ID or ARN is `instance_id` in that account and region, else None."""
        ...

    def list(self, account_id: str, region: str) -> list[InstanceInfo]:
        """All instances of that account and region, oldest first."""
        ...

    def tag_instance(self, account_id: str, region: str, instance_arn: str, tags: dict[str, str]) -> None:
        """Add or overwrite tags on an instance ARN (stored where moto keeps them)."""
        ...

    def untag_instance(self, account_id: str, region: str, instance_arn: str, tag_keys: builtins.list[str]) -> None: ...

    def list_instance_tags(self, account_id: str, region: str, instance_arn: str) -> dict[str, str]: ...
