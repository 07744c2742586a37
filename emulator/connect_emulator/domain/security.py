"""Security profiles: permissions, access-control tags and restrictions, and third-party applications."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidParameterException
from .registry import Ctx, operation
from .search import common_fields, run_search, tag_filter_matches
from .store import InstanceState, Record, compact, paginate, tags_checked, to_datetime

# Members a Create/Update call may set, stored as given; Update replaces the ones it names.
SETTINGS = (
    "Description",
    "Permissions",
    "AllowedAccessControlTags",
    "TagRestrictedResources",
    "Applications",
    "HierarchyRestrictedResources",
    "AllowedAccessControlHierarchyGroupId",
    "AllowedFlowModules",
    "AllowedAIAgents",
    "GranularAccessControlConfiguration",
)
# Of those, what DescribeSecurityProfile returns besides the identity members.
DESCRIBED = (
    "Description",
    "AllowedAccessControlTags",
    "TagRestrictedResources",
    "HierarchyRestrictedResources",
    "AllowedAccessControlHierarchyGroupId",
    "GranularAccessControlConfiguration",
)


# The model's maxima, which botocore's client-side validation does not check (it checks minima only).
MAX_ACCESS_CONTROL_TAGS = 4
MAX_TAG_RESTRICTED_RESOURCES = 10
MAX_APPLICATIONS = 10
MAX_APPLICATION_PERMISSIONS = 50


def _check_limits(p: dict[str, Any]) -> None:
    for member, most in (
        ("AllowedAccessControlTags", MAX_ACCESS_CONTROL_TAGS),
        ("TagRestrictedResources", MAX_TAG_RESTRICTED_RESOURCES),
        ("Applications", MAX_APPLICATIONS),
    ):
        if len(p.get(member) or ()) > most:
            raise InvalidParameterException(f"{member} takes at most {most} entries.")
    namespaces = [app["Namespace"] for app in p.get("Applications") or ()]
    if len(namespaces) != len(set(namespaces)):
        raise InvalidParameterException("Applications lists a namespace more than once.")
    for app in p.get("Applications") or ():
        if not 1 <= len(app.get("ApplicationPermissions") or ()) <= MAX_APPLICATION_PERMISSIONS:
            raise InvalidParameterException(
                f"Application {app['Namespace']} needs between 1 and {MAX_APPLICATION_PERMISSIONS} permissions."
            )


def _settings(inst: InstanceState, p: dict[str, Any]) -> dict[str, Any]:
    _check_limits(p)
    out = {k: p[k] for k in SETTINGS if k in p and p[k] is not None}
    if out.get("AllowedAccessControlHierarchyGroupId"):
        inst.require("hierarchy-group", out["AllowedAccessControlHierarchyGroupId"])
    if "Permissions" in out:
        out["Permissions"] = list(dict.fromkeys(out["Permissions"]))
    if "Applications" in out:
        out["Applications"] = [
            {**app, "ApplicationPermissions": list(dict.fromkeys(app["ApplicationPermissions"]))}
            for app in out["Applications"]
        ]
    return out


def _present(value: Any) -> Any:
    """Empty maps and lists are absent optionals in the output."""
    return value if value or value is False or value == 0 else None


def render_security_profile(inst: InstanceState, sp: Record) -> dict[str, Any]:
    return compact(
        {
            "Id": sp["Id"],
            "OrganizationResourceId": inst.id,
            "Arn": sp["Arn"],
            "SecurityProfileName": sp["SecurityProfileName"],
            **{k: _present(sp.get(k)) for k in DESCRIBED},
            "Tags": dict(sp["Tags"]),
            "LastModifiedTime": to_datetime(sp["LastModifiedTime"]),
            "LastModifiedRegion": sp["LastModifiedRegion"],
        }
    )


def create(inst: InstanceState, p: dict[str, Any]) -> Record:
    rec: Record = {
        "SecurityProfileName": p["SecurityProfileName"],
        "Permissions": [],
        **_settings(inst, p),
        "Tags": tags_checked(None, p.get("Tags")),
    }
    return inst.add("security-profile", rec)


@operation("CreateSecurityProfile")
def create_security_profile(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    rec = create(ctx.instance(p), p)
    return {"SecurityProfileId": rec["Id"], "SecurityProfileArn": rec["Arn"]}


@operation("DescribeSecurityProfile")
def describe_security_profile(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    sp = inst.require("security-profile", p["SecurityProfileId"])
    return {"SecurityProfile": render_security_profile(inst, sp)}


@operation("ListSecurityProfiles")
def list_security_profiles(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    page, token = paginate(inst.table("security-profile").values(), p, "ListSecurityProfiles", 1000)
    rows = [
        {
            "Id": sp["Id"],
            "Arn": sp["Arn"],
            "Name": sp["SecurityProfileName"],
            "LastModifiedTime": to_datetime(sp["LastModifiedTime"]),
            "LastModifiedRegion": sp["LastModifiedRegion"],
        }
        for sp in page
    ]
    return compact({"SecurityProfileSummaryList": rows, "NextToken": token})


@operation("SearchSecurityProfiles")
def search_security_profiles(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    tag_filter = (p.get("SearchFilter") or {}).get("TagFilter")
    return run_search(
        inst.table("security-profile").values(),
        p,
        op="SearchSecurityProfiles",
        result_key="SecurityProfiles",
        maximum=100,
        render=lambda sp: compact(
            {
                "Id": sp["Id"],
                "OrganizationResourceId": inst.id,
                "Arn": sp["Arn"],
                "SecurityProfileName": sp["SecurityProfileName"],
                "Description": _present(sp.get("Description")),
                "Tags": dict(sp["Tags"]),
            }
        ),
        fields=common_fields(name=lambda sp: sp["SecurityProfileName"]),
        keep=lambda sp: tag_filter_matches(tag_filter, sp["Tags"]),
    )


@operation("UpdateSecurityProfile")
def update_security_profile(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = dict(inst.require("security-profile", p["SecurityProfileId"]))
    rec.update(_settings(inst, p))
    inst.replace("security-profile", rec["Id"], rec)
    return {}


@operation("DeleteSecurityProfile")
def delete_security_profile(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    inst.require("security-profile", p["SecurityProfileId"])
    inst.remove("security-profile", p["SecurityProfileId"])
    return {}


@operation("ListSecurityProfilePermissions")
def list_permissions(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    sp = inst.require("security-profile", p["SecurityProfileId"])
    page, token = paginate(sp.get("Permissions", []), p, "ListSecurityProfilePermissions", 1000)
    return compact(
        {
            "Permissions": page,
            "NextToken": token,
            "LastModifiedTime": to_datetime(sp["LastModifiedTime"]),
            "LastModifiedRegion": sp["LastModifiedRegion"],
        }
    )


@operation("ListSecurityProfileApplications")
def list_applications(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    """The third-party applications a profile grants: DescribeSecurityProfile does not return them."""
    inst = ctx.instance(p)
    sp = inst.require("security-profile", p["SecurityProfileId"])
    apps = [
        {**app, "ApplicationPermissions": list(app["ApplicationPermissions"])} for app in sp.get("Applications", [])
    ]
    page, token = paginate(apps, p, "ListSecurityProfileApplications", 1000)
    return compact(
        {
            "Applications": page,
            "NextToken": token,
            "LastModifiedTime": to_datetime(sp["LastModifiedTime"]),
            "LastModifiedRegion": sp["LastModifiedRegion"],
        }
    )
