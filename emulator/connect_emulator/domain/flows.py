"""A contact flow's life beyond its content: renaming, deleting, and its published versions.

(Creating, describing, listing, searching and updating content or metadata are in misc.py.)
A version is an immutable copy of the published content, numbered 1, 2, ... per flow; `ID:N` (or
`ARN:N`) names it, as flows name a version of another flow.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import DuplicateResourceException, InvalidRequestException, ResourceNotFoundException
from .flow_content import content_sha256, qualified
from .registry import Ctx, operation
from .store import InstanceState, Record, compact, now, paginate, to_datetime

KIND = "contact-flow"
VERSION_QUALIFIER = re.compile(r"^(?P<base>.+):(?P<version>[1-9][0-9]*)$")


def flow_and_version(inst: InstanceState, ref: str) -> tuple[Record, dict[str, Any] | None]:
    """The flow an ID or ARN names, and the version its `:N` qualifier names (None without one)."""
    found = VERSION_QUALIFIER.match(ref)
    rec = inst.require(KIND, qualified(found["base"] if found else ref)[0])
    if not found:
        return rec, None
    number = int(found["version"])
    for version in rec.get("Versions") or ():
        if version["Version"] == number:
            return rec, version
    raise ResourceNotFoundException(f"Contact flow {rec['Id']} has no version {number}.")


def _flow(inst: InstanceState, ref: str) -> Record:
    return inst.require(KIND, qualified(ref)[0])


def _users_of(ctx: Ctx, inst: InstanceState, flow_id: str) -> list[str]:
    """What answers to the flow and would be left without it: queues, quick connects, phone numbers."""
    found = [f"queue {q}" for q in inst.referrers(KIND, flow_id, "queue")]
    found += [f"quick connect {q}" for q in inst.referrers(KIND, flow_id, "quick-connect")]
    found += [
        f"phone number {n['PhoneNumber']}"
        for n in ctx.phones.numbers.values()
        if n["InstanceId"] == inst.id and n.get("ContactFlowId") == flow_id
    ]
    return found


@operation("DeleteContactFlow")
def delete_contact_flow(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = _flow(inst, p["ContactFlowId"])
    users = _users_of(ctx, inst, rec["Id"])
    if users:
        # DeleteContactFlow's model has no ResourceInUseException: a refused request is an InvalidRequestException.
        raise InvalidRequestException(f"Contact flow {rec['Name']!r} is in use by {', '.join(users)}.")
    inst.remove(KIND, rec["Id"])
    return {}


@operation("UpdateContactFlowName")
def update_contact_flow_name(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = dict(_flow(inst, p["ContactFlowId"]))
    if p.get("Name"):
        rec["Name"] = p["Name"]
    if p.get("Description") is not None:
        rec["Description"] = p["Description"] or None  # an empty description clears it
    try:
        inst.replace(KIND, rec["Id"], rec)
    except DuplicateResourceException:
        raise DuplicateResourceException(f"A contact flow named {rec['Name']!r} already exists.") from None
    return {}


@operation("CreateContactFlowVersion")
def create_contact_flow_version(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = dict(_flow(inst, p["ContactFlowId"]))
    if rec["Status"] != "PUBLISHED":
        raise InvalidRequestException(f"Contact flow {rec['Name']!r} is a draft: only published content has versions.")
    expected = p.get("FlowContentSha256")
    if expected and expected != content_sha256(rec["Content"]):
        raise InvalidRequestException("FlowContentSha256 is not the hash of the flow's latest published content.")
    versions = list(rec.get("Versions") or [])
    number = int(rec.get("LastVersion") or 0) + 1  # never reused, even after a version is deleted
    stamp = now()
    versions.append(
        {
            "Version": number,
            "Description": p.get("Description") or None,
            "Content": rec["Content"],
            "LastModifiedTime": stamp,
            "LastModifiedRegion": inst.region,
        }
    )
    rec["Versions"], rec["LastVersion"] = versions, number
    inst.replace(KIND, rec["Id"], rec, touch=False)
    return {"ContactFlowArn": f"{rec['Arn']}:{number}", "Version": number}


@operation("ListContactFlowVersions")
def list_contact_flow_versions(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = _flow(inst, p["ContactFlowId"])
    page, token = paginate(list(rec.get("Versions") or ()), p, "ListContactFlowVersions", 1000)
    rows = [
        compact(
            {
                "Arn": f"{rec['Arn']}:{v['Version']}",
                "VersionDescription": v.get("Description"),
                "Version": v["Version"],
                "LastModifiedTime": to_datetime(v["LastModifiedTime"]),
                "LastModifiedRegion": v["LastModifiedRegion"],
            }
        )
        for v in page
    ]
    return compact({"ContactFlowVersionSummaryList": rows, "NextToken": token})


@operation("DeleteContactFlowVersion")
def delete_contact_flow_version(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = dict(_flow(inst, p["ContactFlowId"]))
    versions = [v for v in rec.get("Versions") or () if v["Version"] != p["ContactFlowVersion"]]
    if len(versions) == len(rec.get("Versions") or ()):
        raise ResourceNotFoundException(f"Contact flow {rec['Id']} has no version {p['ContactFlowVersion']}.")
    rec["Versions"] = versions
    inst.replace(KIND, rec["Id"], rec, touch=False)
    return {}
