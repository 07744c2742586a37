"""Users (agents): identity rules per identity management type, references, and each user's AGENT queue."""

from __future__ import annotations

import re
from typing import Any

from ..errors import InvalidParameterException
from .hierarchy import in_subtree
from .registry import Ctx, operation
from .search import attribute_filter_matches, run_search, tag_filter_matches
from .store import InstanceState, Record, compact, copy_list, paginate, tags_checked, to_datetime

# Connect's password policy: 8-64 characters with at least one lower-case letter, one upper-case
# letter and one digit (the botocore model carries the same rule as its pattern).
PASSWORD = re.compile(r"^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)\S{8,64}$")
# A username may hold "@" only when it is an e-mail address.
EMAIL_LIKE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SAML_USERNAME = re.compile(r"^[a-zA-Z0-9_\-.@]+$")
MAX_SECURITY_PROFILES = 10

CHANNEL_LISTS = (
    "AutoAcceptConfigs",
    "AfterContactWorkConfigs",
    "PhoneNumberConfigs",
    "PersistentConnectionConfigs",
    "VoiceEnhancementConfigs",
)


def _check_password(inst: InstanceState, password: str | None) -> None:
    if inst.identity_management_type == "CONNECT_MANAGED":
        if not password:
            raise InvalidParameterException("A password is required when users are managed in Amazon Connect.")
        if not PASSWORD.match(password):
            raise InvalidParameterException(
                "The password must be 8-64 characters long and contain at least one upper-case letter, "
                "one lower-case letter and one number."
            )
    elif password is not None:
        raise InvalidParameterException(
            "A password cannot be set for users of an instance using "
            f"{inst.identity_management_type} identity management."
        )


def _check_identity_info(inst: InstanceState, info: dict[str, Any] | None) -> None:
    idm = inst.identity_management_type
    info = info or {}
    if idm in ("CONNECT_MANAGED", "SAML") and (not info.get("FirstName") or not info.get("LastName")):
        raise InvalidParameterException(f"FirstName and LastName are required with {idm} identity management.")
    if idm == "SAML" and info.get("Email"):
        raise InvalidParameterException("Email cannot be set for users of an instance using SAML identity management.")


def _check_username(inst: InstanceState, username: str) -> None:
    if "@" in username and not EMAIL_LIKE.match(username):
        raise InvalidParameterException("A username may contain '@' only in an e-mail address format.")
    if inst.identity_management_type == "SAML" and (len(username) > 64 or not SAML_USERNAME.match(username)):
        raise InvalidParameterException("SAML usernames are at most 64 characters from [a-zA-Z0-9_-.@].")


def _check_phone_config(cfg: dict[str, Any]) -> None:
    if cfg.get("PhoneType") == "DESK_PHONE" and not cfg.get("DeskPhoneNumber"):
        raise InvalidParameterException("DeskPhoneNumber is required when PhoneType is DESK_PHONE.")


def _check_security_profiles(inst: InstanceState, ids: list[str]) -> list[str]:
    if not ids or len(ids) > MAX_SECURITY_PROFILES:
        raise InvalidParameterException(f"A user has between 1 and {MAX_SECURITY_PROFILES} security profiles.")
    unique = list(dict.fromkeys(ids))
    for sp in unique:
        inst.require("security-profile", sp)
    return unique


def _seconds_to_ms(cfg: dict[str, Any] | None) -> dict[str, Any] | None:
    if not cfg or cfg.get("AfterContactWorkTimeLimit") is None:
        return cfg
    return {**cfg, "AfterContactWorkTimeLimit": cfg["AfterContactWorkTimeLimit"] * 1000}


def render_user(u: Record) -> dict[str, Any]:
    return compact(
        {
            "Id": u["Id"],
            "Arn": u["Arn"],
            "Username": u["Username"],
            "IdentityInfo": dict(u["IdentityInfo"]) if u.get("IdentityInfo") else None,
            "PhoneConfig": dict(u["PhoneConfig"]),
            "DirectoryUserId": u.get("DirectoryUserId"),
            "SecurityProfileIds": list(u["SecurityProfileIds"]),
            "RoutingProfileId": u["RoutingProfileId"],
            "HierarchyGroupId": u.get("HierarchyGroupId"),
            "Tags": dict(u["Tags"]),
            **{k: copy_list(u[k]) for k in CHANNEL_LISTS if u.get(k)},
            "LastModifiedTime": to_datetime(u["LastModifiedTime"]),
            "LastModifiedRegion": u["LastModifiedRegion"],
        }
    )


def render_user_search(u: Record) -> dict[str, Any]:
    """SearchUsers reports AfterContactWorkTimeLimit in milliseconds where Create/Describe use seconds."""
    info = u.get("IdentityInfo") or {}
    lite = compact({"FirstName": info.get("FirstName"), "LastName": info.get("LastName")})
    acw = [
        {**c, "AfterContactWorkConfig": _seconds_to_ms(c.get("AfterContactWorkConfig"))}
        for c in copy_list(u.get("AfterContactWorkConfigs"))
    ]
    return compact(
        {
            "Arn": u["Arn"],
            "DirectoryUserId": u.get("DirectoryUserId"),
            "HierarchyGroupId": u.get("HierarchyGroupId"),
            "Id": u["Id"],
            "IdentityInfo": lite or None,
            "PhoneConfig": _seconds_to_ms(dict(u["PhoneConfig"])),
            "RoutingProfileId": u["RoutingProfileId"],
            "SecurityProfileIds": list(u["SecurityProfileIds"]),
            "Tags": dict(u["Tags"]),
            "Username": u["Username"],
            **{k: copy_list(u[k]) for k in CHANNEL_LISTS if u.get(k) and k != "AfterContactWorkConfigs"},
            "AfterContactWorkConfigs": acw or None,
        }
    )


@operation("CreateUser")
def create_user(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    _check_username(inst, p["Username"])
    _check_password(inst, p.get("Password"))
    _check_identity_info(inst, p.get("IdentityInfo"))
    if inst.identity_management_type == "SAML" and p.get("DirectoryUserId"):
        raise InvalidParameterException("DirectoryUserId cannot be set with SAML identity management.")
    phone = dict(p.get("PhoneConfig") or {"PhoneType": "SOFT_PHONE", "AutoAccept": False})
    phone.setdefault("AfterContactWorkTimeLimit", 0)
    _check_phone_config(phone)
    security = _check_security_profiles(inst, p["SecurityProfileIds"])
    inst.require("routing-profile", p["RoutingProfileId"])
    if p.get("HierarchyGroupId"):
        inst.require("hierarchy-group", p["HierarchyGroupId"])
    rec: Record = {
        "Username": p["Username"],
        "IdentityInfo": dict(p.get("IdentityInfo") or {}),
        "PhoneConfig": phone,
        "DirectoryUserId": p.get("DirectoryUserId"),
        "SecurityProfileIds": security,
        "RoutingProfileId": p["RoutingProfileId"],
        "HierarchyGroupId": p.get("HierarchyGroupId"),
        "Tags": tags_checked(None, p.get("Tags")),
        **{k: copy_list(p[k]) for k in CHANNEL_LISTS if p.get(k)},
    }
    rec = inst.add("user", rec)
    return {"UserId": rec["Id"], "UserArn": rec["Arn"]}


@operation("DescribeUser")
def describe_user(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    return {"User": render_user(inst.require("user", p["UserId"]))}


@operation("ListUsers")
def list_users(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    page, token = paginate(inst.table("user").values(), p, "ListUsers", 1000)
    summaries = [
        {
            "Id": u["Id"],
            "Arn": u["Arn"],
            "Username": u["Username"],
            "LastModifiedTime": to_datetime(u["LastModifiedTime"]),
            "LastModifiedRegion": u["LastModifiedRegion"],
        }
        for u in page
    ]
    return compact({"UserSummaryList": summaries, "NextToken": token})


def _hierarchy_matches(inst: InstanceState):
    def matches(cond: dict[str, Any], u: Record) -> bool:
        target = cond.get("Value")
        if not target:
            raise InvalidParameterException("HierarchyGroupCondition needs a Value (a hierarchy group id).")
        if cond.get("HierarchyGroupMatchType") == "WITH_CHILD_GROUPS":
            return in_subtree(inst, u.get("HierarchyGroupId"), target)
        return u.get("HierarchyGroupId") == target

    return matches


@operation("SearchUsers")
def search_users(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    flt = p.get("SearchFilter") or {}
    hierarchy = _hierarchy_matches(inst)
    fields = {
        "username": lambda u: u["Username"],
        "firstname": lambda u: (u.get("IdentityInfo") or {}).get("FirstName"),
        "lastname": lambda u: (u.get("IdentityInfo") or {}).get("LastName"),
        "routingprofileid": lambda u: u["RoutingProfileId"],
        "securityprofileid": lambda u: u["SecurityProfileIds"],
        "resourceid": lambda u: u["Id"],
    }

    def keep(u: Record) -> bool:
        return tag_filter_matches(flt.get("TagFilter"), u["Tags"]) and attribute_filter_matches(
            flt.get("UserAttributeFilter"), u, {"HierarchyGroupCondition": hierarchy}
        )

    return run_search(
        inst.table("user").values(),
        p,
        op="SearchUsers",
        result_key="Users",
        maximum=500,
        render=render_user_search,
        fields=fields,
        leaves={
            "HierarchyGroupCondition": hierarchy,
            # Users have no proficiencies here, so a proficiency ListCondition matches nobody.
            "ListCondition": lambda cond, u: False,
        },
        keep=keep,
    )


@operation("DeleteUser")
def delete_user(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    inst.require("user", p["UserId"])
    # Quick connects that point at the user stay behind, as Amazon documents.
    inst.remove("user", p["UserId"])
    return {}


def _update(ctx: Ctx, p: dict[str, Any], change) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = dict(inst.require("user", p["UserId"]))
    change(inst, rec)
    inst.replace("user", rec["Id"], rec)
    return {}


@operation("UpdateUserIdentityInfo")
def update_identity_info(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    def change(inst: InstanceState, rec: Record) -> None:
        _check_identity_info(inst, p["IdentityInfo"])
        rec["IdentityInfo"] = dict(p["IdentityInfo"])

    return _update(ctx, p, change)


@operation("UpdateUserPhoneConfig")
def update_phone_config(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    def change(inst: InstanceState, rec: Record) -> None:
        # Members left out keep their value: the call changes what it names.
        cfg = {**rec["PhoneConfig"], **p["PhoneConfig"]}
        _check_phone_config(cfg)
        rec["PhoneConfig"] = cfg

    return _update(ctx, p, change)


@operation("UpdateUserRoutingProfile")
def update_routing_profile(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    def change(inst: InstanceState, rec: Record) -> None:
        inst.require("routing-profile", p["RoutingProfileId"])
        rec["RoutingProfileId"] = p["RoutingProfileId"]

    return _update(ctx, p, change)


@operation("UpdateUserSecurityProfiles")
def update_security_profiles(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    def change(inst: InstanceState, rec: Record) -> None:
        rec["SecurityProfileIds"] = _check_security_profiles(inst, p["SecurityProfileIds"])

    return _update(ctx, p, change)


@operation("UpdateUserHierarchy")
def update_hierarchy(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    def change(inst: InstanceState, rec: Record) -> None:
        group = p.get("HierarchyGroupId")
        if group:
            inst.require("hierarchy-group", group)
        rec["HierarchyGroupId"] = group or None

    return _update(ctx, p, change)


@operation("UpdateUserConfig")
def update_user_config(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    """Per-channel settings: each list given replaces the user's list of that kind."""

    def change(inst: InstanceState, rec: Record) -> None:
        for member in CHANNEL_LISTS:
            if p.get(member) is not None:
                rec[member] = copy_list(p[member])

    return _update(ctx, p, change)
