# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Finding a Connect instance by its ID, ARN or alias: every task names its instance one of these ways."""

from __future__ import annotations

import re
from typing import Any

from ._errors import CcaasError

_INSTANCE_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_INSTANCE_ARN = re.compile(r"^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance/(?P<id>[0-9a-f-]{36})$")


class InstanceNotFound(CcaasError):
    """The instance named by the task does not exist in this account and region."""


def instance_id_from(reference: str) -> str | None:
    """The instance ID a reference spells directly (an ID or an instance ARN), else None (an alias)."""
    if _INSTANCE_ID.match(reference):
        return reference
    match = _INSTANCE_ARN.match(reference)
    return match.group("id") if match else None


def describe_instance(client: Any, reference: str) -> dict[str, Any]:
    """DescribeInstance for an ID, ARN or alias; an alias costs one paginated ListInstances walk."""
    instance_id = instance_id_from(reference)
    if instance_id is None:
        for page in client.get_paginator("list_instances").paginate():
            for summary in page.get("InstanceSummaryList", []):
                if summary.get("InstanceAlias") == reference:
                    instance_id = summary["Id"]
                    break
            if instance_id:
                break
        if instance_id is None:
            raise InstanceNotFound(f"no Amazon Connect instance with alias '{reference}' in this account and region")
    try:
        return client.describe_instance(InstanceId=instance_id)["Instance"]
    except client.exceptions.ResourceNotFoundException as exc:
        message = f"no Amazon Connect instance with ID '{instance_id}' in this account and region"
        raise InstanceNotFound(message) from exc
