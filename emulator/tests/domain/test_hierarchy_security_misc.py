from __future__ import annotations

import json

import pytest

from connect_emulator.domain.flow_content import InvalidContactFlowException
from connect_emulator.errors import (
    DuplicateResourceException,
    InvalidParameterException,
    InvalidRequestException,
    LimitExceededException,
    ResourceInUseException,
    ResourceNotFoundException,
    ServiceQuotaExceededException,
)

FLOW = json.dumps({"Version": "2019-10-30", "StartAction": "a", "Actions": []})


@pytest.fixture
def levels(connect, iid):
    connect(
        "UpdateUserHierarchyStructure",
        InstanceId=iid,
        HierarchyStructure={
            "LevelOne": {"Name": "Region"},
            "LevelTwo": {"Name": "Site"},
            "LevelThree": {"Name": "Team"},
        },
    )


def test_hierarchy_structure_levels(connect, iid, levels):
    structure = connect("DescribeUserHierarchyStructure", InstanceId=iid)["HierarchyStructure"]
    assert [structure[k]["Name"] for k in ("LevelOne", "LevelTwo", "LevelThree")] == ["Region", "Site", "Team"]
    assert structure["LevelTwo"]["Arn"].endswith("/agent-group-level/2")
    with pytest.raises(InvalidParameterException):
        connect("UpdateUserHierarchyStructure", InstanceId=iid, HierarchyStructure={"LevelTwo": {"Name": "Site"}})


def test_groups_get_their_level_from_the_parent_and_describe_their_path(connect, iid, levels):
    emea = connect("CreateUserHierarchyGroup", InstanceId=iid, Name="EMEA", Tags={"bu": "x"})["HierarchyGroupId"]
    paris = connect("CreateUserHierarchyGroup", InstanceId=iid, Name="Paris", ParentGroupId=emea)
    team = connect("CreateUserHierarchyGroup", InstanceId=iid, Name="Blue", ParentGroupId=paris["HierarchyGroupId"])
    assert paris["HierarchyGroupArn"].endswith(f"/agent-group/{paris['HierarchyGroupId']}")

    group = connect("DescribeUserHierarchyGroup", InstanceId=iid, HierarchyGroupId=team["HierarchyGroupId"])
    group = group["HierarchyGroup"]
    assert group["LevelId"] == "3"
    assert [group["HierarchyPath"][k]["Name"] for k in ("LevelOne", "LevelTwo", "LevelThree")] == [
        "EMEA",
        "Paris",
        "Blue",
    ]


def test_a_group_needs_its_level_to_exist(connect, iid):
    with pytest.raises(InvalidRequestException):
        connect("CreateUserHierarchyGroup", InstanceId=iid, Name="EMEA")


def test_groups_with_children_or_users_cannot_be_deleted(connect, iid, levels, make_user):
    emea = connect("CreateUserHierarchyGroup", InstanceId=iid, Name="EMEA")["HierarchyGroupId"]
    paris = connect("CreateUserHierarchyGroup", InstanceId=iid, Name="Paris", ParentGroupId=emea)["HierarchyGroupId"]
    uid = make_user("jdoe", HierarchyGroupId=paris)["UserId"]
    with pytest.raises(ResourceInUseException):
        connect("DeleteUserHierarchyGroup", InstanceId=iid, HierarchyGroupId=emea)
    with pytest.raises(ResourceInUseException):
        connect("DeleteUserHierarchyGroup", InstanceId=iid, HierarchyGroupId=paris)
    with pytest.raises(ResourceInUseException):
        connect("UpdateUserHierarchyStructure", InstanceId=iid, HierarchyStructure={"LevelOne": {"Name": "Region"}})
    connect("UpdateUserHierarchy", InstanceId=iid, UserId=uid)
    connect("DeleteUserHierarchyGroup", InstanceId=iid, HierarchyGroupId=paris)
    connect("DeleteUserHierarchyGroup", InstanceId=iid, HierarchyGroupId=emea)


def test_group_names_rename_list_and_search(connect, iid, levels):
    emea = connect("CreateUserHierarchyGroup", InstanceId=iid, Name="EMEA")["HierarchyGroupId"]
    connect("CreateUserHierarchyGroup", InstanceId=iid, Name="AMER", Tags={"bu": "us"})
    with pytest.raises(DuplicateResourceException):
        connect("CreateUserHierarchyGroup", InstanceId=iid, Name="AMER")
    with pytest.raises(DuplicateResourceException):
        connect("UpdateUserHierarchyGroupName", InstanceId=iid, HierarchyGroupId=emea, Name="AMER")
    connect("UpdateUserHierarchyGroupName", InstanceId=iid, HierarchyGroupId=emea, Name="Europe")
    listed = connect("ListUserHierarchyGroups", InstanceId=iid)["UserHierarchyGroupSummaryList"]
    assert [g["Name"] for g in listed] == ["Europe", "AMER"]
    found = connect(
        "SearchUserHierarchyGroups",
        InstanceId=iid,
        SearchFilter={"AttributeFilter": {"TagCondition": {"TagKey": "bu", "TagValue": "us"}}},
    )
    assert [g["Name"] for g in found["UserHierarchyGroups"]] == ["AMER"]
    by_level = connect(
        "SearchUserHierarchyGroups",
        InstanceId=iid,
        SearchCriteria={"StringCondition": {"FieldName": "levelId", "Value": "1", "ComparisonType": "EXACT"}},
    )
    assert by_level["ApproximateTotalCount"] == 2


def test_hierarchy_group_quota(connect, domain, iid, levels):
    domain.set_quota("123456789012", "us-east-1", iid, "hierarchy_groups", 1)
    connect("CreateUserHierarchyGroup", InstanceId=iid, Name="One")
    with pytest.raises(LimitExceededException):
        connect("CreateUserHierarchyGroup", InstanceId=iid, Name="Two")


def test_security_profiles(connect, iid, defaults, make_user):
    sp = connect(
        "CreateSecurityProfile",
        InstanceId=iid,
        SecurityProfileName="Supervisors",
        Description="sup",
        Permissions=["BasicAgentAccess", "Users.View"],
        Tags={"bu": "ops"},
    )["SecurityProfileId"]
    with pytest.raises(DuplicateResourceException):
        connect("CreateSecurityProfile", InstanceId=iid, SecurityProfileName="Supervisors")
    connect("UpdateSecurityProfile", InstanceId=iid, SecurityProfileId=sp, Permissions=["Users.View", "Queues.View"])
    perms = connect("ListSecurityProfilePermissions", InstanceId=iid, SecurityProfileId=sp)
    assert perms["Permissions"] == ["Users.View", "Queues.View"]
    described = connect("DescribeSecurityProfile", InstanceId=iid, SecurityProfileId=sp)["SecurityProfile"]
    assert described["Description"] == "sup" and described["OrganizationResourceId"] == iid
    found = connect(
        "SearchSecurityProfiles",
        InstanceId=iid,
        SearchCriteria={"StringCondition": {"FieldName": "name", "Value": "super", "ComparisonType": "CONTAINS"}},
    )
    assert [s["SecurityProfileName"] for s in found["SecurityProfiles"]] == ["Supervisors"]
    assert found["SecurityProfiles"][0]["Tags"] == {"bu": "ops"}

    agent_perms = connect("ListSecurityProfilePermissions", InstanceId=iid, SecurityProfileId=defaults["agent_sp"])
    assert "BasicAgentAccess" in agent_perms["Permissions"]

    uid = make_user("jdoe", SecurityProfileIds=[sp])["UserId"]
    with pytest.raises(ResourceInUseException):
        connect("DeleteSecurityProfile", InstanceId=iid, SecurityProfileId=sp)
    connect("DeleteUser", InstanceId=iid, UserId=uid)
    connect("DeleteSecurityProfile", InstanceId=iid, SecurityProfileId=sp)
    with pytest.raises(ResourceNotFoundException):
        connect("DescribeSecurityProfile", InstanceId=iid, SecurityProfileId=sp)


CRM = {"Namespace": "crm.example.com", "ApplicationPermissions": ["ACCESS", "READ"], "Type": "THIRD_PARTY_APPLICATION"}
WIKI = {"Namespace": "wiki.example.com", "ApplicationPermissions": ["ACCESS"]}


def test_access_control_tags_and_restrictions_are_described_and_applications_listed(connect, iid):
    sp = connect(
        "CreateSecurityProfile",
        InstanceId=iid,
        SecurityProfileName="Sales Leads",
        Permissions=["Users.View"],
        AllowedAccessControlTags={"BU": "Sales"},
        TagRestrictedResources=["User", "Queue"],
        Applications=[CRM],
    )["SecurityProfileId"]
    described = connect("DescribeSecurityProfile", InstanceId=iid, SecurityProfileId=sp)["SecurityProfile"]
    assert described["AllowedAccessControlTags"] == {"BU": "Sales"}
    assert described["TagRestrictedResources"] == ["User", "Queue"]
    assert "Applications" not in described  # as in the model: only ListSecurityProfileApplications has them
    listed = connect("ListSecurityProfileApplications", InstanceId=iid, SecurityProfileId=sp)
    assert listed["Applications"] == [CRM]
    # SearchSecurityProfiles returns none of them, which is why the export describes each profile.
    [found] = connect(
        "SearchSecurityProfiles",
        InstanceId=iid,
        SearchCriteria={"StringCondition": {"FieldName": "name", "Value": "Sales Leads", "ComparisonType": "EXACT"}},
    )["SecurityProfiles"]
    assert not {"AllowedAccessControlTags", "TagRestrictedResources", "Applications"} & set(found)


def test_update_security_profile_replaces_the_members_it_names_and_keeps_the_others(connect, iid):
    sp = connect(
        "CreateSecurityProfile",
        InstanceId=iid,
        SecurityProfileName="Sales Leads",
        AllowedAccessControlTags={"BU": "Sales"},
        TagRestrictedResources=["User"],
        Applications=[CRM],
    )["SecurityProfileId"]
    connect("UpdateSecurityProfile", InstanceId=iid, SecurityProfileId=sp, AllowedAccessControlTags={"BU": "Support"})
    described = connect("DescribeSecurityProfile", InstanceId=iid, SecurityProfileId=sp)["SecurityProfile"]
    assert (described["AllowedAccessControlTags"], described["TagRestrictedResources"]) == ({"BU": "Support"}, ["User"])
    connect("UpdateSecurityProfile", InstanceId=iid, SecurityProfileId=sp, Applications=[WIKI, CRM])
    listed = connect("ListSecurityProfileApplications", InstanceId=iid, SecurityProfileId=sp)["Applications"]
    assert listed == [WIKI, CRM]
    # An empty map or list clears the restriction.
    connect(
        "UpdateSecurityProfile",
        InstanceId=iid,
        SecurityProfileId=sp,
        AllowedAccessControlTags={},
        TagRestrictedResources=[],
        Applications=[],
    )
    described = connect("DescribeSecurityProfile", InstanceId=iid, SecurityProfileId=sp)["SecurityProfile"]
    assert not {"AllowedAccessControlTags", "TagRestrictedResources"} & set(described)
    assert connect("ListSecurityProfileApplications", InstanceId=iid, SecurityProfileId=sp)["Applications"] == []


def test_security_profile_applications_are_paginated(connect, iid):
    apps = [{"Namespace": f"app{n}.example.com", "ApplicationPermissions": ["ACCESS"]} for n in range(10)]
    sp = connect("CreateSecurityProfile", InstanceId=iid, SecurityProfileName="Apps", Applications=apps)[
        "SecurityProfileId"
    ]
    first = connect("ListSecurityProfileApplications", InstanceId=iid, SecurityProfileId=sp, MaxResults=4)
    second = connect(
        "ListSecurityProfileApplications",
        InstanceId=iid,
        SecurityProfileId=sp,
        MaxResults=4,
        NextToken=first["NextToken"],
    )
    third = connect(
        "ListSecurityProfileApplications",
        InstanceId=iid,
        SecurityProfileId=sp,
        MaxResults=4,
        NextToken=second["NextToken"],
    )
    assert [a["Namespace"] for a in first["Applications"] + second["Applications"] + third["Applications"]] == [
        a["Namespace"] for a in apps
    ]
    assert "NextToken" not in third


@pytest.mark.parametrize(
    "members",
    [
        {"AllowedAccessControlTags": {f"k{n}": "v" for n in range(5)}},
        {"TagRestrictedResources": ["User"] * 11},
        {"Applications": [CRM, CRM]},
        {"Applications": [{"Namespace": "big.example.com", "ApplicationPermissions": [f"P{n}" for n in range(51)]}]},
    ],
)
def test_security_profile_limits_of_the_model_are_enforced(connect, iid, members):
    with pytest.raises(InvalidParameterException):
        connect("CreateSecurityProfile", InstanceId=iid, SecurityProfileName="Too much", **members)


def test_hours_of_operation(connect, iid, defaults):
    nine_to_five = [
        {"Day": d, "StartTime": {"Hours": 9, "Minutes": 0}, "EndTime": {"Hours": 17, "Minutes": 0}}
        for d in ("MONDAY", "TUESDAY")
    ]
    hid = connect(
        "CreateHoursOfOperation",
        InstanceId=iid,
        Name="Office",
        TimeZone="Europe/London",
        Config=nine_to_five,
        Tags={"bu": "uk"},
    )["HoursOfOperationId"]
    with pytest.raises(InvalidParameterException):
        connect("CreateHoursOfOperation", InstanceId=iid, Name="Bad TZ", TimeZone="Mars/Olympus", Config=[])
    with pytest.raises(InvalidParameterException):
        connect(
            "CreateHoursOfOperation",
            InstanceId=iid,
            Name="Backwards",
            TimeZone="UTC",
            Config=[{"Day": "MONDAY", "StartTime": {"Hours": 17, "Minutes": 0}, "EndTime": {"Hours": 9, "Minutes": 0}}],
        )
    with pytest.raises(DuplicateResourceException):
        connect("UpdateHoursOfOperation", InstanceId=iid, HoursOfOperationId=hid, Name="Basic Hours")
    connect("UpdateHoursOfOperation", InstanceId=iid, HoursOfOperationId=hid, TimeZone="UTC", Config=nine_to_five[:1])
    hours = connect("DescribeHoursOfOperation", InstanceId=iid, HoursOfOperationId=hid)["HoursOfOperation"]
    assert (hours["TimeZone"], len(hours["Config"]), hours["Tags"]) == ("UTC", 1, {"bu": "uk"})
    found = connect(
        "SearchHoursOfOperations",
        InstanceId=iid,
        SearchCriteria={"StringCondition": {"FieldName": "timezone", "Value": "UTC", "ComparisonType": "EXACT"}},
    )
    assert sorted(h["Name"] for h in found["HoursOfOperations"]) == ["Basic Hours", "Office"]


def test_hours_quota_answers_service_quota_exceeded(connect, domain, iid):
    domain.set_quota("123456789012", "us-east-1", iid, "hours_of_operation", 1)
    with pytest.raises(ServiceQuotaExceededException):
        connect("CreateHoursOfOperation", InstanceId=iid, Name="Second", TimeZone="UTC", Config=[])


def test_contact_flows(connect, iid):
    created = connect("CreateContactFlow", InstanceId=iid, Name="Inbound", Type="CONTACT_FLOW", Content=FLOW)
    assert len(created["FlowContentSha256"]) == 64
    with pytest.raises(DuplicateResourceException):
        connect("CreateContactFlow", InstanceId=iid, Name="Inbound", Type="CONTACT_FLOW", Content=FLOW)
    with pytest.raises(InvalidContactFlowException):
        connect("CreateContactFlow", InstanceId=iid, Name="Broken", Type="CONTACT_FLOW", Content="{not json")
    flow = connect("DescribeContactFlow", InstanceId=iid, ContactFlowId=created["ContactFlowId"])["ContactFlow"]
    assert (flow["Name"], flow["Type"], flow["Status"], flow["Content"]) == (
        "Inbound",
        "CONTACT_FLOW",
        "PUBLISHED",
        FLOW,
    )
    whispers = connect("ListContactFlows", InstanceId=iid, ContactFlowTypes=["AGENT_WHISPER"])
    assert [f["Name"] for f in whispers["ContactFlowSummaryList"]] == ["Default agent whisper"]


def test_agent_statuses(connect, iid):
    created = connect("CreateAgentStatus", InstanceId=iid, Name="Lunch", State="ENABLED", DisplayOrder=3)
    assert created["AgentStatusARN"].endswith(f"/agent-state/{created['AgentStatusId']}")
    with pytest.raises(DuplicateResourceException):
        connect("CreateAgentStatus", InstanceId=iid, Name="Available", State="ENABLED")
    status = connect("DescribeAgentStatus", InstanceId=iid, AgentStatusId=created["AgentStatusId"])["AgentStatus"]
    assert (status["Type"], status["DisplayOrder"]) == ("CUSTOM", 3)
    custom = connect("ListAgentStatuses", InstanceId=iid, AgentStatusTypes=["CUSTOM"])["AgentStatusSummaryList"]
    assert [s["Name"] for s in custom] == ["Lunch"]
    found = connect(
        "SearchAgentStatuses",
        InstanceId=iid,
        SearchCriteria={"StringCondition": {"FieldName": "type", "Value": "ROUTABLE", "ComparisonType": "EXACT"}},
    )
    assert [s["Name"] for s in found["AgentStatuses"]] == ["Available"]


def test_agent_status_quota(connect, domain, iid):
    domain.set_quota("123456789012", "us-east-1", iid, "Agent status per instance", 3)
    connect("CreateAgentStatus", InstanceId=iid, Name="Lunch", State="ENABLED")
    with pytest.raises(LimitExceededException):
        connect("CreateAgentStatus", InstanceId=iid, Name="Break", State="ENABLED")


def test_unknown_quota_names_are_refused(domain, iid):
    with pytest.raises(InvalidParameterException):
        domain.set_quota("123456789012", "us-east-1", iid, "unicorns", 3)


def test_contact_flow_updates_and_search(connect, iid):
    fid = connect(
        "CreateContactFlow", InstanceId=iid, Name="Inbound", Type="CONTACT_FLOW", Content=FLOW, Tags={"bu": "x"}
    )["ContactFlowId"]
    new_content = json.dumps({"Version": "2019-10-30", "StartAction": "b", "Actions": []})
    connect("UpdateContactFlowContent", InstanceId=iid, ContactFlowId=fid, Content=new_content)
    connect("UpdateContactFlowMetadata", InstanceId=iid, ContactFlowId=fid, Name="Main", Description="entry")
    with pytest.raises(InvalidContactFlowException):
        connect("UpdateContactFlowContent", InstanceId=iid, ContactFlowId=fid, Content="[]")
    with pytest.raises(DuplicateResourceException):
        connect("UpdateContactFlowMetadata", InstanceId=iid, ContactFlowId=fid, Name="Default outbound")

    found = connect(
        "SearchContactFlows",
        InstanceId=iid,
        SearchCriteria={"TypeCondition": "CONTACT_FLOW", "StatusCondition": "PUBLISHED"},
        SearchFilter={"TagFilter": {"TagCondition": {"TagKey": "bu", "TagValue": "x"}}},
    )["ContactFlows"]
    assert [(f["Name"], f["Description"], f["Content"]) for f in found] == [("Main", "entry", new_content)]
    whispers = connect(
        "SearchContactFlows",
        InstanceId=iid,
        SearchFilter={"FlowAttributeFilter": {"ContactFlowTypeCondition": {"ContactFlowType": "AGENT_WHISPER"}}},
    )
    assert [f["Name"] for f in whispers["ContactFlows"]] == ["Default agent whisper"]


def test_agent_status_updates(connect, iid):
    sid = connect("CreateAgentStatus", InstanceId=iid, Name="Lunch", State="ENABLED", DisplayOrder=3)["AgentStatusId"]
    connect(
        "UpdateAgentStatus", InstanceId=iid, AgentStatusId=sid, Name="Break", State="DISABLED", ResetOrderNumber=True
    )
    status = connect("DescribeAgentStatus", InstanceId=iid, AgentStatusId=sid)["AgentStatus"]
    assert (status["Name"], status["State"], status.get("DisplayOrder")) == ("Break", "DISABLED", None)
    with pytest.raises(DuplicateResourceException):
        connect("UpdateAgentStatus", InstanceId=iid, AgentStatusId=sid, Name="Offline")
