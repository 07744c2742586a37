"""Predefined attributes and the proficiencies users hold in them (skills-based routing).

A predefined attribute is named, not numbered: its name is the identifier every API takes, unique per
instance, with up to 500 values and 10 purposes. A user's proficiency is one value of one attribute at a
level from 1.0 to 5.0; an attribute some user is proficient in cannot be deleted, and a value a user holds
cannot be dropped from its attribute. At most `proficiencies_per_user` (Amazon's "Proficiencies per agent",
10) per user.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import InvalidParameterException, LimitExceededException
from . import quotas
from .registry import Ctx, operation
from .search import run_search
from .store import InstanceState, Record, compact, paginate, to_datetime

KIND = "predefined-attribute"
Held = dict[tuple[str, str], float]  # a user's proficiencies: level by (attribute, value)


def _values(p: dict[str, Any]) -> list[str] | None:
    values = p.get("Values")
    if values is None:
        return None
    listed = list(values.get("StringList") or [])
    if len(set(listed)) != len(listed):
        raise InvalidParameterException("Values.StringList holds a value more than once.")
    return listed


def _configuration(p: dict[str, Any]) -> dict[str, Any] | None:
    cfg = p.get("AttributeConfiguration")
    if cfg is None:
        return None
    # IsReadOnly is Amazon's to set (system attributes); a caller can only ask for value validation.
    return {
        "EnableValueValidationOnAssociation": bool(cfg.get("EnableValueValidationOnAssociation")),
        "IsReadOnly": False,
    }


def render_attribute(a: Record) -> dict[str, Any]:
    return compact(
        {
            "Name": a["Name"],
            "Values": {"StringList": list(a["Values"])} if a.get("Values") is not None else None,
            "Purposes": list(a["Purposes"]) if a.get("Purposes") else None,
            "AttributeConfiguration": dict(a["AttributeConfiguration"]) if a.get("AttributeConfiguration") else None,
            "LastModifiedTime": to_datetime(a["LastModifiedTime"]),
            "LastModifiedRegion": a["LastModifiedRegion"],
        }
    )


def _attribute(inst: InstanceState, name: str) -> Record:
    return inst.require(KIND, name, "Predefined attribute")


def _held_values(inst: InstanceState, name: str) -> set[str]:
    """The values of attribute `name` that some user holds a proficiency in."""
    held: set[str] = set()
    for user_id in inst.referrers(KIND, name, "user"):
        user = inst.get("user", user_id) or {}
        held.update(p["AttributeValue"] for p in user.get("Proficiencies", ()) if p["AttributeName"] == name)
    return held


def create_attribute(inst: InstanceState, p: dict[str, Any]) -> Record:
    rec: Record = {
        "Name": p["Name"],
        "Values": _values(p),
        "Purposes": list(p.get("Purposes") or []),
        "AttributeConfiguration": _configuration(p),
    }
    return inst.add(KIND, rec, quota_error=LimitExceededException, rid=p["Name"])


@operation("CreatePredefinedAttribute")
def create_predefined_attribute(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    create_attribute(ctx.instance(p), p)
    return {}


@operation("DescribePredefinedAttribute")
def describe_predefined_attribute(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    return {"PredefinedAttribute": render_attribute(_attribute(inst, p["Name"]))}


@operation("ListPredefinedAttributes")
def list_predefined_attributes(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    page, token = paginate(inst.table(KIND).values(), p, "ListPredefinedAttributes", 100)
    rows = [
        {
            "Name": a["Name"],
            "LastModifiedTime": to_datetime(a["LastModifiedTime"]),
            "LastModifiedRegion": a["LastModifiedRegion"],
        }
        for a in page
    ]
    return compact({"PredefinedAttributeSummaryList": rows, "NextToken": token})


@operation("SearchPredefinedAttributes")
def search_predefined_attributes(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    return run_search(
        inst.table(KIND).values(),
        p,
        op="SearchPredefinedAttributes",
        result_key="PredefinedAttributes",
        maximum=100,
        render=render_attribute,
        fields={"name": lambda a: a["Name"]},
    )


@operation("UpdatePredefinedAttribute")
def update_predefined_attribute(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = dict(_attribute(inst, p["Name"]))
    values = _values(p)
    if values is not None:
        dropped = sorted(_held_values(inst, rec["Name"]) - set(values))
        if dropped:
            raise InvalidParameterException(
                f"Values {dropped} of predefined attribute {rec['Name']!r} are held as proficiencies by users;"
                " disassociate them first."
            )
        rec["Values"] = values
    if p.get("Purposes") is not None:
        rec["Purposes"] = list(p["Purposes"])
    if p.get("AttributeConfiguration") is not None:
        rec["AttributeConfiguration"] = _configuration(p)
    inst.replace(KIND, rec["Id"], rec)
    return {}


@operation("DeletePredefinedAttribute")
def delete_predefined_attribute(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = _attribute(inst, p["Name"])
    inst.remove(KIND, rec["Id"])
    return {}


# --- user proficiencies ---------------------------------------------------------------------------
def _key(entry: dict[str, Any]) -> tuple[str, str]:
    return entry["AttributeName"], entry["AttributeValue"]


def _checked_entries(inst: InstanceState, entries: list[dict[str, Any]], *, levels: bool) -> dict[tuple[str, str], Any]:
    """The request's entries by (attribute, value), each naming a value its attribute defines."""
    out: dict[tuple[str, str], Any] = {}
    for entry in entries:
        key = _key(entry)
        if key in out:
            raise InvalidParameterException(f"Proficiency {key[0]}={key[1]} appears more than once in the request.")
        attribute = inst.get(KIND, key[0])
        if attribute is None:
            raise InvalidParameterException(f"Predefined attribute {key[0]!r} does not exist in this instance.")
        if key[1] not in (attribute.get("Values") or ()):
            raise InvalidParameterException(f"{key[1]!r} is not a value of predefined attribute {key[0]!r}.")
        out[key] = float(entry["Level"]) if levels else None
    return out


def _change_proficiencies(ctx: Ctx, p: dict[str, Any], apply: Callable[[InstanceState, Held], None]) -> dict[str, Any]:
    """Read the user, let `apply` change its proficiencies by key, check the quota and store it."""
    inst = ctx.instance(p)
    rec = dict(inst.require("user", p["UserId"]))
    held: Held = {_key(e): e["Level"] for e in rec.get("Proficiencies", ())}
    apply(inst, held)
    quotas.check(inst.quota_overrides, "proficiencies_per_user", len(held), 0, error=InvalidParameterException)
    rec["Proficiencies"] = [
        {"AttributeName": name, "AttributeValue": value, "Level": level} for (name, value), level in held.items()
    ]
    inst.replace("user", rec["Id"], rec)
    return {}


@operation("AssociateUserProficiencies")
def associate_user_proficiencies(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    def apply(inst: InstanceState, held: Held) -> None:
        for key, level in _checked_entries(inst, p["UserProficiencies"], levels=True).items():
            if key in held:
                raise InvalidParameterException(
                    f"The user already holds {key[0]}={key[1]}; change its level with UpdateUserProficiencies."
                )
            held[key] = level

    return _change_proficiencies(ctx, p, apply)


@operation("UpdateUserProficiencies")
def update_user_proficiencies(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    def apply(inst: InstanceState, held: Held) -> None:
        for key, level in _checked_entries(inst, p["UserProficiencies"], levels=True).items():
            if key not in held:
                raise InvalidParameterException(f"The user holds no proficiency {key[0]}={key[1]} to update.")
            held[key] = level

    return _change_proficiencies(ctx, p, apply)


@operation("DisassociateUserProficiencies")
def disassociate_user_proficiencies(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    def apply(inst: InstanceState, held: Held) -> None:
        for entry in p["UserProficiencies"]:
            if held.pop(_key(entry), None) is None:
                raise InvalidParameterException(
                    f"The user holds no proficiency {entry['AttributeName']}={entry['AttributeValue']}."
                )

    return _change_proficiencies(ctx, p, apply)


@operation("ListUserProficiencies")
def list_user_proficiencies(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    user = inst.require("user", p["UserId"])
    page, token = paginate(user.get("Proficiencies", []), p, "ListUserProficiencies", 100)
    return compact(
        {
            "UserProficiencyList": [dict(e) for e in page],
            "NextToken": token,
            "LastModifiedTime": to_datetime(user["LastModifiedTime"]),
            "LastModifiedRegion": user["LastModifiedRegion"],
        }
    )
