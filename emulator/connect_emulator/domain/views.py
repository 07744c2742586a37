"""Views: the UI pages (step-by-step guides, forms) the agent workspace renders, and their versions.

A customer-managed view has two contents, as Amazon's qualifiers name them: `$SAVED`, the last content
written, and `$LATEST`, the last content published. `CreateView` and `UpdateViewContent` always write
`$SAVED` and, with `Status` PUBLISHED, `$LATEST` too; a view never published has no `$LATEST`. A view is
named by its ID or ARN, optionally qualified: `:$SAVED`, `:$LATEST`, or `:N` for version N; unqualified
is `$LATEST` ("an error is returned if there is no published content available"). `CreateViewVersion`
snapshots `$LATEST` as version 1, 2, ... (numbers never reused; a request whose `$LATEST` equals the
highest version answers that version); versions are read-only and go with their view.

The AWS-managed views (defaults.AWS_MANAGED_VIEWS) are Amazon's, the same in every instance of a Region:
listed beside the instance's own, described by their ARN (`arn:aws:connect:REGION:aws:view/NAME`, version
1 assumed), never changed nor deleted. Names are unique per instance; `CreateView` is idempotent by
`ClientToken`.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from ..errors import (
    InvalidParameterException,
    InvalidRequestException,
    ResourceInUseException,
    ResourceNotFoundException,
)
from .defaults import AWS_MANAGED_VIEWS
from .registry import Ctx, operation
from .store import InstanceState, Record, compact, paginate, tags_checked, to_datetime

KIND = "view"
SAVED, LATEST = "$SAVED", "$LATEST"
MAX_CONTENT_BYTES = 400 * 1024  # "The total uncompressed content has a maximum file size of 400kB."
MAX_RESULTS = 100  # ListViews' and ListViewVersions' MaxResults: 1-100, 100 by default

_QUALIFIED = re.compile(r"^(?P<base>.+?)(?::(?P<qualifier>\$SAVED|\$LATEST|[1-9][0-9]*))?$")
_CUSTOMER_ARN = re.compile(
    r"^arn:aws[a-z-]*:connect:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):instance/(?P<instance>[^/]+)/view/(?P<id>[^/:]+)$"
)
_MANAGED_ARN = re.compile(r"^arn:aws[a-z-]*:connect:(?P<region>[a-z0-9-]+):aws:view/(?P<name>[^/:]+)$")


def content_sha256(content: dict[str, Any]) -> str:
    """The hash Amazon reports as `ViewContentSha256`: SHA-256 of the content (template and actions) as
    compact JSON with sorted keys."""
    canonical = json.dumps(
        {"Actions": list(content.get("Actions") or []), "Template": content["Template"]},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def checked_content(content: dict[str, Any], status: str) -> dict[str, Any]:
    """The content to store, if Amazon would take it: a template of JSON text (a JSON object to publish),
    a list of actions, and at most 400 kB in all."""
    template = content.get("Template")
    if not isinstance(template, str):
        raise InvalidParameterException("Content.Template is required: the view's template as JSON text.")
    try:
        document = json.loads(template)
    except ValueError:
        raise InvalidParameterException("Content.Template is not valid JSON.") from None
    if status == "PUBLISHED" and not isinstance(document, dict):
        raise InvalidParameterException("A published view's Content.Template must be a JSON object.")
    actions = list(content.get("Actions") or [])
    size = len(template.encode()) + sum(len(a.encode()) for a in actions)
    if size > MAX_CONTENT_BYTES:
        raise InvalidParameterException(f"The view content is {size} bytes; it must be at most 400 kB.")
    return {"Template": template, "Actions": actions}


def _request_of(p: dict[str, Any]) -> str:
    """What a ClientToken stands for: the request without its token and instance."""
    return json.dumps({k: v for k, v in p.items() if k not in ("ClientToken", "InstanceId")}, sort_keys=True)


def create(inst: InstanceState, p: dict[str, Any]) -> Record:
    token = p.get("ClientToken")
    done = inst.view_tokens.get(token) if token else None
    if done is not None:
        made = inst.get(KIND, done["id"])
        if done["request"] != _request_of(p) or made is None:
            # CreateView's model has no IdempotencyException: the token is a resource already in use.
            raise ResourceInUseException(
                f"ClientToken {token!r} was used for another CreateView request.", ResourceId=done["arn"]
            )
        return made
    content = checked_content(p["Content"], p["Status"])
    rec: Record = {
        "Name": p["Name"],
        "Description": p.get("Description"),
        "Status": p["Status"],
        "Saved": content,
        "Latest": dict(content) if p["Status"] == "PUBLISHED" else None,
        "Versions": [],
        "LastVersion": 0,
        "Tags": tags_checked(None, p.get("Tags")),
    }
    rec = inst.add(KIND, rec)
    if token:
        inst.view_tokens[token] = {"id": rec["Id"], "arn": rec["Arn"], "request": _request_of(p)}
    return rec


# --- naming a view ------------------------------------------------------------------------------
def _parts(ref: str) -> tuple[str, str | None]:
    """(the view's ID or ARN, its qualifier: `$SAVED`, `$LATEST`, a version number, or None)."""
    found = _QUALIFIED.match(ref)
    assert found is not None  # the pattern matches any non-empty text
    return found["base"], found["qualifier"]


def _managed(ctx: Ctx, base: str) -> tuple[str, str, tuple[str, ...]] | None:
    """The AWS-managed view an ARN of the caller's Region names, or None."""
    found = _MANAGED_ARN.match(base)
    if found is None or found["region"] != ctx.region:
        return None
    return next((v for v in AWS_MANAGED_VIEWS if v[0] == found["name"]), None)


def _customer(inst: InstanceState, base: str, ref: str) -> Record:
    found = _CUSTOMER_ARN.match(base)
    if found is not None:
        if (found["region"], found["account"], found["instance"]) != (inst.region, inst.account_id, inst.id):
            raise ResourceNotFoundException(f"View {ref} is not a view of instance {inst.id}.")
        base = found["id"]
    return inst.require(KIND, base, "View")


def _editable(ctx: Ctx, inst: InstanceState, ref: str) -> Record:
    """The customer-managed view an update or delete names: not a version, not one of Amazon's."""
    base, qualifier = _parts(ref)
    if _managed(ctx, base) is not None:
        raise InvalidRequestException(f"{base} is an AWS managed view: it cannot be changed or deleted.")
    rec = _customer(inst, base, ref)
    if qualifier not in (None, SAVED, LATEST):
        raise InvalidRequestException(f"Version {qualifier} of view {rec['Id']} is read-only.")
    return rec


# --- rendering ----------------------------------------------------------------------------------
def _render(
    rec: Record,
    content: dict[str, Any],
    status: str,
    *,
    version: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return compact(
        {
            "Id": rec["Id"],
            "Arn": rec["Arn"],
            "Name": rec["Name"],
            "Status": status,
            "Type": "CUSTOMER_MANAGED",
            "Description": rec.get("Description"),
            "Version": version["Version"] if version else None,
            "VersionDescription": version.get("VersionDescription") if version else None,
            "Content": {"Template": content["Template"], "Actions": list(content["Actions"])},
            "Tags": dict(rec["Tags"]),
            "CreatedTime": to_datetime(rec["CreatedTime"]),
            "LastModifiedTime": to_datetime(rec["LastModifiedTime"]),
            "ViewContentSha256": content_sha256(content),
        }
    )


def _managed_template(name: str, actions: tuple[str, ...]) -> str:
    body = [{"_id": f"{name}-{a.lower()}", "Type": "Button", "Props": {"Action": a}} for a in actions]
    return json.dumps({"Head": {"Title": name}, "Body": body}, separators=(",", ":"))


def _managed_arn(region: str, key: str) -> str:
    return f"arn:aws:connect:{region}:aws:view/{key}"


def _render_managed(region: str, view: tuple[str, str, tuple[str, ...]]) -> dict[str, Any]:
    key, name, actions = view
    content = {"Template": _managed_template(name, actions), "Actions": list(actions)}
    return {
        "Id": key,
        "Arn": _managed_arn(region, key),
        "Name": name,
        "Status": "PUBLISHED",
        "Type": "AWS_MANAGED",
        "Version": 1,
        "Content": {"InputSchema": json.dumps({"type": "object"}), **content},
        "ViewContentSha256": content_sha256(content),
    }


def _version(rec: Record, number: int) -> dict[str, Any]:
    for version in rec["Versions"]:
        if version["Version"] == number:
            return version
    raise ResourceNotFoundException(f"View {rec['Id']} has no version {number}.")


# --- operations ---------------------------------------------------------------------------------
@operation("CreateView")
def create_view(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    rec = create(ctx.instance(p), p)
    return {"View": _render(rec, rec["Saved"], rec["Status"])}


@operation("DescribeView")
def describe_view(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    base, qualifier = _parts(p["ViewId"])
    managed = _managed(ctx, base)
    if managed is not None:
        if qualifier not in (None, LATEST, "1"):
            raise ResourceNotFoundException(f"AWS managed view {base} has no version {qualifier}.")
        return {"View": _render_managed(ctx.region, managed)}
    rec = _customer(inst, base, p["ViewId"])
    if qualifier == SAVED:
        return {"View": _render(rec, rec["Saved"], rec["Status"])}
    if qualifier is None or qualifier == LATEST:
        if rec["Latest"] is None:
            raise ResourceNotFoundException(
                f"View {rec['Id']} has no published content ($LATEST); describe {rec['Id']}:$SAVED."
            )
        return {"View": _render(rec, rec["Latest"], "PUBLISHED")}
    version = _version(rec, int(qualifier))
    return {"View": _render(rec, version["Content"], "PUBLISHED", version=version)}


@operation("ListViews")
def list_views(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    wanted = p.get("Type")
    rows: list[dict[str, Any]] = []
    if wanted in (None, "AWS_MANAGED"):
        for key, name, _ in AWS_MANAGED_VIEWS:
            arn = _managed_arn(ctx.region, key)
            rows.append({"Id": key, "Arn": arn, "Name": name, "Type": "AWS_MANAGED", "Status": "PUBLISHED"})
    if wanted in (None, "CUSTOMER_MANAGED"):
        for v in inst.table(KIND).values():
            summary = {"Id": v["Id"], "Arn": v["Arn"], "Name": v["Name"], "Type": "CUSTOMER_MANAGED"}
            rows.append(compact({**summary, "Status": v["Status"], "Description": v.get("Description")}))
    # "Results are sorted primarily by type, and secondarily by name."
    rows.sort(key=lambda row: (row["Type"], row["Name"]))
    page, token = paginate(rows, p, "ListViews", MAX_RESULTS)
    return compact({"ViewsSummaryList": page, "NextToken": token})


@operation("UpdateViewContent")
def update_view_content(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = dict(_editable(ctx, inst, p["ViewId"]))
    content = checked_content(p["Content"], p["Status"])
    # "the $SAVED alias' content will always be updated, but the $LATEST alias' content will only be
    # updated if Status is PUBLISHED"
    rec["Saved"], rec["Status"] = content, p["Status"]
    if p["Status"] == "PUBLISHED":
        rec["Latest"] = dict(content)
    rec = inst.replace(KIND, rec["Id"], rec)
    return {"View": _render(rec, content, p["Status"])}


@operation("UpdateViewMetadata")
def update_view_metadata(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = dict(_editable(ctx, inst, p["ViewId"]))
    if p.get("Name") is None and p.get("Description") is None:
        raise InvalidParameterException("UpdateViewMetadata needs a Name or a Description.")
    if p.get("Name") is not None:
        rec["Name"] = p["Name"]
    if p.get("Description") is not None:
        rec["Description"] = p["Description"]
    # LastModifiedTime is "the latest timestamp of the UpdateViewContent or CreateViewVersion operations".
    inst.replace(KIND, rec["Id"], rec, touch=False)
    return {}


@operation("DeleteView")
def delete_view(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = _editable(ctx, inst, p["ViewId"])
    inst.remove(KIND, rec["Id"])  # its versions are in the record: they go with it
    return {}


@operation("CreateViewVersion")
def create_view_version(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = dict(_editable(ctx, inst, p["ViewId"]))
    latest = rec["Latest"]
    if latest is None:
        raise InvalidRequestException(f"View {rec['Id']} has no published content ($LATEST) to make a version of.")
    expected = p.get("ViewContentSha256")
    if expected and expected != content_sha256(latest):
        raise InvalidRequestException("ViewContentSha256 is not the ViewContentSha256 of the view's $LATEST content.")
    versions = list(rec["Versions"])
    if versions and versions[-1]["Content"] == latest:
        # "It returns the highest version if there is no change in content compared to that version."
        return {"View": _render(rec, latest, "PUBLISHED", version=versions[-1])}
    number = int(rec["LastVersion"]) + 1  # "monotonically increasing": never reused after a delete
    version = {
        "Version": number,
        "VersionDescription": p.get("VersionDescription"),
        "Content": dict(latest),
    }
    rec["Versions"], rec["LastVersion"] = [*versions, version], number
    rec = inst.replace(KIND, rec["Id"], rec)
    return {"View": _render(rec, latest, "PUBLISHED", version=version)}


@operation("ListViewVersions")
def list_view_versions(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    base, _ = _parts(p["ViewId"])
    managed = _managed(ctx, base)
    if managed is not None:  # Amazon's views have the one version
        key, name, _ = managed
        only = {"Id": key, "Arn": _managed_arn(ctx.region, key), "Name": name, "Type": "AWS_MANAGED", "Version": 1}
        page, token = paginate([only], p, "ListViewVersions", MAX_RESULTS)
        return compact({"ViewVersionSummaryList": page, "NextToken": token})
    rec = _customer(inst, base, p["ViewId"])
    # "Results will be sorted from highest to lowest."
    newest_first = sorted(rec["Versions"], key=lambda v: v["Version"], reverse=True)
    page, token = paginate(newest_first, p, "ListViewVersions", MAX_RESULTS)
    rows = [
        compact(
            {
                "Id": rec["Id"],
                "Arn": rec["Arn"],
                "Name": rec["Name"],
                "Description": rec.get("Description"),
                "Type": "CUSTOMER_MANAGED",
                "Version": v["Version"],
                "VersionDescription": v.get("VersionDescription"),
            }
        )
        for v in page
    ]
    return compact({"ViewVersionSummaryList": rows, "NextToken": token})


@operation("DeleteViewVersion")
def delete_view_version(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = dict(_editable(ctx, inst, p["ViewId"]))
    _version(rec, p["ViewVersion"])
    rec["Versions"] = [v for v in rec["Versions"] if v["Version"] != p["ViewVersion"]]
    inst.replace(KIND, rec["Id"], rec, touch=False)
    return {}
