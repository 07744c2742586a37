"""User hierarchy: the five-level structure and the groups placed in it."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidParameterException, InvalidRequestException, ResourceInUseException
from .registry import Ctx, operation
from .search import attribute_filter_matches, common_fields, run_search
from .store import InstanceState, Record, compact, now, paginate, tags_checked, to_datetime

LEVEL_NAMES = ("LevelOne", "LevelTwo", "LevelThree", "LevelFour", "LevelFive")


def level_arn(inst: InstanceState, level: str) -> str:
    return f"{inst.arn}/agent-group-level/{level}"


def group_path(inst: InstanceState, group_id: str | None) -> list[Record]:
    """The group and its ancestors, root first."""
    path: list[Record] = []
    current = inst.get("hierarchy-group", group_id)
    while current is not None:
        path.append(current)
        current = inst.get("hierarchy-group", current.get("ParentId"))
    path.reverse()
    return path


def in_subtree(inst: InstanceState, group_id: str | None, root_id: str) -> bool:
    return bool(group_id) and any(g["Id"] == root_id for g in group_path(inst, group_id))


def _summary(g: Record) -> dict[str, Any]:
    return {
        "Id": g["Id"],
        "Arn": g["Arn"],
        "Name": g["Name"],
        "LastModifiedTime": to_datetime(g["LastModifiedTime"]),
        "LastModifiedRegion": g["LastModifiedRegion"],
    }


def render_group(inst: InstanceState, g: Record) -> dict[str, Any]:
    path = group_path(inst, g["Id"])
    return compact(
        {
            "Id": g["Id"],
            "Arn": g["Arn"],
            "Name": g["Name"],
            "LevelId": g["LevelId"],
            "HierarchyPath": {LEVEL_NAMES[i]: _summary(p) for i, p in enumerate(path)},
            "Tags": dict(g["Tags"]),
            "LastModifiedTime": to_datetime(g["LastModifiedTime"]),
            "LastModifiedRegion": g["LastModifiedRegion"],
        }
    )


@operation("DescribeUserHierarchyStructure")
def describe_structure(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    structure = {
        LEVEL_NAMES[int(level) - 1]: {
            "Id": level,
            "Arn": level_arn(inst, level),
            "Name": data["Name"],
            "LastModifiedTime": to_datetime(data["LastModifiedTime"]),
            "LastModifiedRegion": inst.region,
        }
        for level, data in sorted(inst.hierarchy_levels.items())
    }
    return {"HierarchyStructure": structure}


@operation("UpdateUserHierarchyStructure")
def update_structure(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    wanted = p["HierarchyStructure"] or {}
    levels: dict[str, str] = {}
    for i, member in enumerate(LEVEL_NAMES):
        if wanted.get(member):
            levels[str(i + 1)] = wanted[member]["Name"]
    # Levels stack from the top: a level can only exist below the one above it.
    if sorted(levels) != [str(i) for i in range(1, len(levels) + 1)]:
        raise InvalidParameterException("Hierarchy levels must be contiguous, starting at LevelOne.")
    for level in inst.hierarchy_levels:
        if level not in levels and any(g["LevelId"] == level for g in inst.table("hierarchy-group").values()):
            raise ResourceInUseException(
                f"Hierarchy level {level} still has groups and cannot be removed.",
                ResourceType="HIERARCHY_LEVEL",
                ResourceId=level_arn(inst, level),
            )
    stamp = now()
    new_levels: dict[str, dict[str, Any]] = {}
    for level, name in levels.items():
        old = inst.hierarchy_levels.get(level)
        unchanged = old is not None and old["Name"] == name
        new_levels[level] = old if old is not None and unchanged else {"Name": name, "LastModifiedTime": stamp}
    inst.hierarchy_levels = new_levels
    return {}


@operation("CreateUserHierarchyGroup")
def create_group(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    parent_id = p.get("ParentGroupId")
    level = 1
    if parent_id:
        parent = inst.require("hierarchy-group", parent_id, "Parent hierarchy group")
        level = int(parent["LevelId"]) + 1
    if str(level) not in inst.hierarchy_levels:
        raise InvalidRequestException(
            f"The hierarchy structure has no level {level}; define it with UpdateUserHierarchyStructure first."
        )
    rec = inst.add(
        "hierarchy-group",
        {"Name": p["Name"], "ParentId": parent_id, "LevelId": str(level), "Tags": tags_checked(None, p.get("Tags"))},
    )
    return {"HierarchyGroupId": rec["Id"], "HierarchyGroupArn": rec["Arn"]}


@operation("DescribeUserHierarchyGroup")
def describe_group(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    return {"HierarchyGroup": render_group(inst, inst.require("hierarchy-group", p["HierarchyGroupId"]))}


@operation("ListUserHierarchyGroups")
def list_groups(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    page, token = paginate(inst.table("hierarchy-group").values(), p, "ListUserHierarchyGroups", 1000)
    return compact({"UserHierarchyGroupSummaryList": [_summary(g) for g in page], "NextToken": token})


@operation("SearchUserHierarchyGroups")
def search_groups(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    flt = (p.get("SearchFilter") or {}).get("AttributeFilter")
    fields = common_fields(parentid=lambda g: g.get("ParentId"), levelid=lambda g: g["LevelId"])
    del fields["description"]
    return run_search(
        inst.table("hierarchy-group").values(),
        p,
        op="SearchUserHierarchyGroups",
        result_key="UserHierarchyGroups",
        maximum=100,
        render=lambda g: render_group(inst, g),
        fields=fields,
        keep=lambda g: attribute_filter_matches(flt, g),
    )


@operation("DeleteUserHierarchyGroup")
def delete_group(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    inst.require("hierarchy-group", p["HierarchyGroupId"])
    inst.remove("hierarchy-group", p["HierarchyGroupId"])
    return {}


@operation("UpdateUserHierarchyGroupName")
def rename_group(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = dict(inst.require("hierarchy-group", p["HierarchyGroupId"]))
    rec["Name"] = p["Name"]
    inst.replace("hierarchy-group", rec["Id"], rec)
    return {}
