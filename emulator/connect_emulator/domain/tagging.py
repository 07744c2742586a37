"""TagResource / UntagResource / ListTagsForResource on every ARN the domain serves.

Instance ARNs are delegated to the InstanceDirectory (moto keeps instance tags); phone numbers
live in the account's phone book; everything else is a record of an instance's table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import ResourceNotFoundException
from .registry import Ctx, operation
from .store import KIND_BY_SEGMENT, tags_checked


def _not_found(arn: str) -> ResourceNotFoundException:
    return ResourceNotFoundException(f"Resource not found: {arn}")


def _with_tags(ctx: Ctx, arn: str, change: Callable[[dict[str, str]], dict[str, str]] | None) -> dict[str, str]:
    """Apply `change` to the tags of the resource at `arn` (None: read only); return its tags."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "connect" or parts[3] != ctx.region or parts[4] != ctx.account_id:
        raise _not_found(arn)
    path = parts[5].split("/")
    if path[0] == "phone-number" and len(path) == 2:
        number = ctx.phones.numbers.get(path[1])
        if number is None:
            raise _not_found(arn)
        if change is not None:
            number["Tags"] = change(number["Tags"])
        return dict(number["Tags"])
    if path[0] != "instance" or len(path) < 2:
        raise _not_found(arn)
    if len(path) == 2:
        directory = ctx.domain._directory
        if directory.get(ctx.account_id, ctx.region, path[1]) is None:
            raise _not_found(arn)
        current = directory.list_instance_tags(ctx.account_id, ctx.region, arn)
        if change is not None:
            wanted = change(current)
            removed = [k for k in current if k not in wanted]
            if removed:
                directory.untag_instance(ctx.account_id, ctx.region, arn, removed)
            added = {k: v for k, v in wanted.items() if current.get(k) != v}
            if added:
                directory.tag_instance(ctx.account_id, ctx.region, arn, added)
            return dict(wanted)
        return dict(current)
    kind = KIND_BY_SEGMENT.get(path[2])
    if kind is None or len(path) != 4:
        raise _not_found(arn)
    try:
        inst = ctx.instance_by_id(path[1])
    except ResourceNotFoundException:
        raise _not_found(arn) from None
    rec = inst.get(kind.key, path[3])
    if rec is None:
        raise _not_found(arn)
    if change is not None:
        # Tagging does not count as a modification of the resource itself.
        rec = inst.replace(kind.key, rec["Id"], {**rec, "Tags": change(rec["Tags"])}, touch=False)
    return dict(rec["Tags"])


@operation("TagResource")
def tag_resource(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    _with_tags(ctx, p["resourceArn"], lambda current: tags_checked(current, p["tags"]))
    return {}


@operation("UntagResource")
def untag_resource(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    drop = set(p["tagKeys"])
    _with_tags(ctx, p["resourceArn"], lambda current: {k: v for k, v in current.items() if k not in drop})
    return {}


@operation("ListTagsForResource")
def list_tags_for_resource(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    return {"tags": _with_tags(ctx, p["resourceArn"], None)}
