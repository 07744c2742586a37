"""Contact-flow modules: reusable pieces of flow language that flows invoke by ID.

Created PUBLISHED and ACTIVE, named uniquely per instance, their content flow-language JSON checked
as a flow's is; archived and restored through their metadata, deleted by ID. `CreateContactFlowModule`
is idempotent by `ClientToken`: the same token with the same request answers the module it made, with
another request `IdempotencyException`.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import ConnectError, LimitExceededException
from .flow_content import checked, content_sha256, qualified, updated, viewed
from .registry import Ctx, operation
from .search import common_fields, run_search, tag_filter_matches
from .store import InstanceState, Record, compact, paginate, tags_checked

KIND = "contact-flow-module"


class InvalidContactFlowModuleException(ConnectError):
    code = "InvalidContactFlowModuleException"
    status = 400


class IdempotencyException(ConnectError):
    code = "IdempotencyException"
    status = 409


def _checked_content(inst: InstanceState, content: str) -> str:
    """Flow-language JSON naming only what the instance has: a module is always published."""
    return checked(inst, content, published=True, error=InvalidContactFlowModuleException, member="Problems")


def _request_of(p: dict[str, Any]) -> str:
    """What a ClientToken stands for: the request without its token and instance."""
    return json.dumps({k: v for k, v in p.items() if k not in ("ClientToken", "InstanceId")}, sort_keys=True)


def create_module(inst: InstanceState, p: dict[str, Any]) -> Record:
    token = p.get("ClientToken")
    done = inst.module_tokens.get(token) if token else None
    if done is not None:
        if done["request"] != _request_of(p):
            raise IdempotencyException(f"ClientToken {token!r} was used for another request.")
        return inst.require(KIND, done["id"])
    rec: Record = {
        "Name": p["Name"],
        "Description": p.get("Description"),
        "Content": _checked_content(inst, p["Content"]),
        "Settings": p.get("Settings"),
        "State": "ACTIVE",
        "Status": "PUBLISHED",
        "Tags": tags_checked(None, p.get("Tags")),
    }
    if p.get("ExternalInvocationConfiguration") is not None:
        rec["ExternalInvocationConfiguration"] = dict(p["ExternalInvocationConfiguration"])
    rec = inst.add(KIND, rec, quota_error=LimitExceededException)
    if token:
        inst.module_tokens[token] = {"id": rec["Id"], "request": _request_of(p)}
    return rec


def render_module(m: Record) -> dict[str, Any]:
    return compact(
        {
            "Arn": m["Arn"],
            "Id": m["Id"],
            "Name": m["Name"],
            "Content": m["Content"],
            "Description": m.get("Description"),
            "State": m["State"],
            "Status": m["Status"],
            "Tags": dict(m["Tags"]),
            "FlowModuleContentSha256": content_sha256(m["Content"]),
            "Settings": m.get("Settings"),
            "ExternalInvocationConfiguration": m.get("ExternalInvocationConfiguration"),
        }
    )


def _module(inst: InstanceState, module_id: str) -> Record:
    # A module may be named by its ARN as well as its ID, as flows name it, and `:$SAVED` after either.
    return inst.require(KIND, qualified(module_id)[0])


@operation("CreateContactFlowModule")
def create_contact_flow_module(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    rec = create_module(ctx.instance(p), p)
    return {"Id": rec["Id"], "Arn": rec["Arn"]}


@operation("DescribeContactFlowModule")
def describe_contact_flow_module(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    saved = qualified(p["ContactFlowModuleId"])[1]
    return {"ContactFlowModule": render_module(viewed(_module(inst, p["ContactFlowModuleId"]), saved))}


@operation("ListContactFlowModules")
def list_contact_flow_modules(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    state = p.get("ContactFlowModuleState")
    modules = [m for m in inst.table(KIND).values() if not state or m["State"] == state]
    page, token = paginate(modules, p, "ListContactFlowModules", 1000)
    rows = [{"Id": m["Id"], "Arn": m["Arn"], "Name": m["Name"], "State": m["State"]} for m in page]
    return compact({"ContactFlowModulesSummaryList": rows, "NextToken": token})


@operation("SearchContactFlowModules")
def search_contact_flow_modules(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    flt = p.get("SearchFilter") or {}
    return run_search(
        inst.table(KIND).values(),
        p,
        op="SearchContactFlowModules",
        result_key="ContactFlowModules",
        maximum=100,
        render=render_module,
        fields=common_fields(),
        leaves={
            "StateCondition": lambda value, m: m["State"] == value,
            "StatusCondition": lambda value, m: m["Status"] == value,
        },
        keep=lambda m: tag_filter_matches(flt.get("TagFilter"), m["Tags"]),
    )


@operation("UpdateContactFlowModuleContent")
def update_contact_flow_module_content(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = dict(_module(inst, p["ContactFlowModuleId"]))
    if p.get("Content") is not None:
        saved = qualified(p["ContactFlowModuleId"])[1]
        error = InvalidContactFlowModuleException
        rec = updated(inst, rec, p["Content"], saved=saved, error=error, member="Problems")
    if p.get("Settings") is not None:
        rec["Settings"] = p["Settings"]
    inst.replace(KIND, rec["Id"], rec)
    return {}


@operation("UpdateContactFlowModuleMetadata")
def update_contact_flow_module_metadata(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = dict(_module(inst, p["ContactFlowModuleId"]))
    if p.get("Name"):
        rec["Name"] = p["Name"]
    if p.get("Description") is not None:
        rec["Description"] = p["Description"] or None
    if p.get("State"):
        rec["State"] = p["State"]
    inst.replace(KIND, rec["Id"], rec)
    return {}


@operation("DeleteContactFlowModule")
def delete_contact_flow_module(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    inst.remove(KIND, _module(inst, p["ContactFlowModuleId"])["Id"])
    return {}
