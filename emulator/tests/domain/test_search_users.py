from __future__ import annotations

import pytest

from connect_emulator.errors import InvalidParameterException


@pytest.fixture
def team(connect, iid, defaults, make_user):
    connect(
        "UpdateUserHierarchyStructure",
        InstanceId=iid,
        HierarchyStructure={"LevelOne": {"Name": "Region"}, "LevelTwo": {"Name": "Site"}},
    )
    emea = connect("CreateUserHierarchyGroup", InstanceId=iid, Name="EMEA")["HierarchyGroupId"]
    paris = connect("CreateUserHierarchyGroup", InstanceId=iid, Name="Paris", ParentGroupId=emea)["HierarchyGroupId"]
    ids = {
        "ann": make_user(
            "ann", IdentityInfo={"FirstName": "Ann", "LastName": "Smith"}, Tags={"bu": "sales"}, HierarchyGroupId=emea
        )["UserId"],
        "bob": make_user(
            "bob",
            IdentityInfo={"FirstName": "Bob", "LastName": "Smithers"},
            Tags={"bu": "support", "site": "paris"},
            HierarchyGroupId=paris,
        )["UserId"],
        "cid": make_user(
            "cid", IdentityInfo={"FirstName": "Cid", "LastName": "Jones"}, SecurityProfileIds=[defaults["admin_sp"]]
        )["UserId"],
    }
    return {"emea": emea, "paris": paris, **ids}


def names(out):
    return sorted(u["Username"] for u in out["Users"])


def test_search_reports_after_contact_work_in_milliseconds(connect, iid, make_user):
    uid = make_user("slow", PhoneConfig={"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": 45})["UserId"]

    found = connect("SearchUsers", InstanceId=iid)["Users"][0]

    assert found["PhoneConfig"]["AfterContactWorkTimeLimit"] == 45_000
    described = connect("DescribeUser", InstanceId=iid, UserId=uid)["User"]
    assert described["PhoneConfig"]["AfterContactWorkTimeLimit"] == 45


def test_search_returns_full_records_with_tags(connect, iid, team):
    out = connect("SearchUsers", InstanceId=iid)
    assert out["ApproximateTotalCount"] == 3
    bob = next(u for u in out["Users"] if u["Username"] == "bob")
    assert bob["Tags"] == {"bu": "support", "site": "paris"}
    assert bob["IdentityInfo"] == {"FirstName": "Bob", "LastName": "Smithers"}
    assert bob["HierarchyGroupId"] == team["paris"]


def test_string_conditions(connect, iid, team, defaults):
    def search(**cond):
        return names(connect("SearchUsers", InstanceId=iid, SearchCriteria={"StringCondition": cond}))

    assert search(FieldName="LastName", Value="Smith", ComparisonType="EXACT") == ["ann"]
    assert search(FieldName="lastname", Value="smith", ComparisonType="STARTS_WITH") == ["ann", "bob"]
    assert search(FieldName="Username", Value="o", ComparisonType="CONTAINS") == ["bob"]
    assert search(FieldName="SecurityProfileId", Value=defaults["admin_sp"], ComparisonType="EXACT") == ["cid"]
    assert search(FieldName="resourceId", Value=team["ann"], ComparisonType="EXACT") == ["ann"]
    with pytest.raises(InvalidParameterException):
        search(FieldName="Shoe", Value="x", ComparisonType="EXACT")


def test_or_and_conditions_nest(connect, iid, team):
    criteria = {
        "OrConditions": [
            {"StringCondition": {"FieldName": "FirstName", "Value": "Cid", "ComparisonType": "EXACT"}},
            {
                "AndConditions": [
                    {"StringCondition": {"FieldName": "LastName", "Value": "Smith", "ComparisonType": "STARTS_WITH"}},
                    {"StringCondition": {"FieldName": "Username", "Value": "b", "ComparisonType": "STARTS_WITH"}},
                ]
            },
        ]
    }
    assert names(connect("SearchUsers", InstanceId=iid, SearchCriteria=criteria)) == ["bob", "cid"]


def test_hierarchy_condition_exact_or_with_children(connect, iid, team):
    def search(match):
        cond = {"HierarchyGroupCondition": {"Value": team["emea"], "HierarchyGroupMatchType": match}}
        return names(connect("SearchUsers", InstanceId=iid, SearchCriteria=cond))

    assert search("EXACT") == ["ann"]
    assert search("WITH_CHILD_GROUPS") == ["ann", "bob"]


def test_tag_filters(connect, iid, team):
    def search(tag_filter):
        return names(connect("SearchUsers", InstanceId=iid, SearchFilter={"TagFilter": tag_filter}))

    assert search({"TagCondition": {"TagKey": "bu", "TagValue": "sales"}}) == ["ann"]
    assert search({"AndConditions": [{"TagKey": "bu", "TagValue": "support"}, {"TagKey": "site"}]}) == ["bob"]
    assert search(
        {"OrConditions": [[{"TagKey": "bu", "TagValue": "sales"}], [{"TagKey": "site", "TagValue": "paris"}]]}
    ) == ["ann", "bob"]
    assert search({"TagCondition": {"TagKey": "bu", "TagValue": "nobody"}}) == []


def test_user_attribute_filter_combines_tags_and_hierarchy(connect, iid, team):
    flt = {
        "UserAttributeFilter": {
            "AndCondition": {
                "TagConditions": [{"TagKey": "bu"}],
                "HierarchyGroupCondition": {"Value": team["emea"], "HierarchyGroupMatchType": "WITH_CHILD_GROUPS"},
            }
        }
    }
    assert names(connect("SearchUsers", InstanceId=iid, SearchFilter=flt)) == ["ann", "bob"]


def test_search_pages_up_to_500(connect, iid, make_user):
    for i in range(7):
        make_user(f"user{i}")
    first = connect("SearchUsers", InstanceId=iid, MaxResults=5)
    assert len(first["Users"]) == 5 and first["ApproximateTotalCount"] == 7
    second = connect("SearchUsers", InstanceId=iid, MaxResults=5, NextToken=first["NextToken"])
    assert len(second["Users"]) == 2 and "NextToken" not in second
    with pytest.raises(InvalidParameterException):
        connect("SearchUsers", InstanceId=iid, MaxResults=501)
