from __future__ import annotations

import pytest

from connect_emulator.errors import (
    DuplicateResourceException,
    InvalidParameterException,
    LimitExceededException,
    ResourceNotFoundException,
)

from .conftest import PASSWORD


def test_create_then_describe_returns_what_was_sent(connect, iid, defaults, make_user):
    created = make_user("jdoe", Tags={"team": "blue"})
    assert created["UserArn"] == f"{connect.directory.instances[iid].arn}/agent/{created['UserId']}"

    user = connect("DescribeUser", InstanceId=iid, UserId=created["UserId"])["User"]

    assert user["Username"] == "jdoe"
    assert user["IdentityInfo"] == {"FirstName": "Ada", "LastName": "Lovelace"}
    assert user["PhoneConfig"]["AfterContactWorkTimeLimit"] == 30
    assert user["RoutingProfileId"] == defaults["routing_profile"]
    assert user["SecurityProfileIds"] == [defaults["agent_sp"]]
    assert user["Tags"] == {"team": "blue"}
    assert user["LastModifiedTime"].tzinfo is not None
    assert "Password" not in user


def test_usernames_are_unique_per_instance(make_user):
    make_user("jdoe")
    with pytest.raises(DuplicateResourceException):
        make_user("jdoe")


def test_the_same_username_may_exist_in_another_instance(connect, directory, make_user):
    make_user("jdoe")
    other = directory.add()
    rp = connect("ListRoutingProfiles", InstanceId=other.id)["RoutingProfileSummaryList"][0]["Id"]
    sp = connect("ListSecurityProfiles", InstanceId=other.id)["SecurityProfileSummaryList"][0]["Id"]
    connect(
        "CreateUser",
        InstanceId=other.id,
        Username="jdoe",
        Password=PASSWORD,
        IdentityInfo={"FirstName": "A", "LastName": "B"},
        SecurityProfileIds=[sp],
        RoutingProfileId=rp,
    )


@pytest.mark.parametrize("password", ["short1A", "alllower1", "ALLUPPER1", "NoDigitsHere", "x" * 60 + "Aa1" * 2])
def test_connect_managed_passwords_follow_the_policy(make_user, password):
    with pytest.raises(InvalidParameterException):
        make_user("jdoe", Password=password)


def test_connect_managed_users_need_a_password_and_names(make_user):
    with pytest.raises(InvalidParameterException):
        make_user("nopass", Password=None)
    with pytest.raises(InvalidParameterException):
        make_user("noname", IdentityInfo={"FirstName": "Ada"})


def test_saml_instances_refuse_a_password(connect, directory):
    saml = directory.add("SAML")
    rp = connect("ListRoutingProfiles", InstanceId=saml.id)["RoutingProfileSummaryList"][0]["Id"]
    sp = connect("ListSecurityProfiles", InstanceId=saml.id)["SecurityProfileSummaryList"][0]["Id"]
    base = {
        "InstanceId": saml.id,
        "Username": "ada@example.com",
        "IdentityInfo": {"FirstName": "Ada", "LastName": "L"},
        "SecurityProfileIds": [sp],
        "RoutingProfileId": rp,
    }
    with pytest.raises(InvalidParameterException, match="password"):
        connect("CreateUser", Password=PASSWORD, **base)
    with pytest.raises(InvalidParameterException):
        connect("CreateUser", DirectoryUserId="abc", **base)
    connect("CreateUser", **base)


def test_existing_directory_users_need_no_password_or_names(connect, directory):
    ad = directory.add("EXISTING_DIRECTORY")
    rp = connect("ListRoutingProfiles", InstanceId=ad.id)["RoutingProfileSummaryList"][0]["Id"]
    sp = connect("ListSecurityProfiles", InstanceId=ad.id)["SecurityProfileSummaryList"][0]["Id"]
    base = {"InstanceId": ad.id, "Username": "jdoe", "SecurityProfileIds": [sp], "RoutingProfileId": rp}
    with pytest.raises(InvalidParameterException):
        connect("CreateUser", Password=PASSWORD, **base)
    created = connect("CreateUser", DirectoryUserId="S-1-5-21", **base)
    user = connect("DescribeUser", InstanceId=ad.id, UserId=created["UserId"])["User"]
    assert user["DirectoryUserId"] == "S-1-5-21"


def test_username_may_hold_at_sign_only_as_an_email(make_user):
    with pytest.raises(InvalidParameterException):
        make_user("testuser@example")
    make_user("testuser@example.com")


def test_references_must_exist(make_user):
    with pytest.raises(ResourceNotFoundException):
        make_user("a", RoutingProfileId="00000000-0000-0000-0000-000000000000")
    with pytest.raises(ResourceNotFoundException):
        make_user("b", SecurityProfileIds=["00000000-0000-0000-0000-000000000000"])
    with pytest.raises(ResourceNotFoundException):
        make_user("c", HierarchyGroupId="00000000-0000-0000-0000-000000000000")


def test_more_than_ten_security_profiles_are_refused(connect, iid, make_user):
    ids = [
        connect("CreateSecurityProfile", InstanceId=iid, SecurityProfileName=f"sp{i}")["SecurityProfileId"]
        for i in range(11)
    ]
    with pytest.raises(InvalidParameterException):
        make_user("many", SecurityProfileIds=ids)
    make_user("ten", SecurityProfileIds=ids[:10])


def test_desk_phone_needs_a_number(make_user):
    with pytest.raises(InvalidParameterException):
        make_user("desk", PhoneConfig={"PhoneType": "DESK_PHONE"})
    make_user("desk", PhoneConfig={"PhoneType": "DESK_PHONE", "DeskPhoneNumber": "+14155550100"})


def test_unknown_user_and_unknown_instance(connect, iid):
    with pytest.raises(ResourceNotFoundException):
        connect("DescribeUser", InstanceId=iid, UserId="00000000-0000-0000-0000-000000000000")
    with pytest.raises(ResourceNotFoundException):
        connect("ListUsers", InstanceId="00000000-0000-0000-0000-000000000000")


def test_instance_can_be_named_by_arn(connect, instance, make_user):
    make_user("jdoe")
    users = connect("ListUsers", InstanceId=instance.arn)["UserSummaryList"]
    assert [u["Username"] for u in users] == ["jdoe"]


def test_updates_change_only_what_they_name(connect, iid, defaults, make_user):
    uid = make_user("jdoe")["UserId"]
    rp2 = connect(
        "CreateRoutingProfile",
        InstanceId=iid,
        Name="RP2",
        Description="second",
        DefaultOutboundQueueId=defaults["queue"],
        MediaConcurrencies=[{"Channel": "VOICE", "Concurrency": 1}],
    )["RoutingProfileId"]
    connect("UpdateUserRoutingProfile", InstanceId=iid, UserId=uid, RoutingProfileId=rp2)
    connect("UpdateUserSecurityProfiles", InstanceId=iid, UserId=uid, SecurityProfileIds=[defaults["admin_sp"]])
    connect("UpdateUserIdentityInfo", InstanceId=iid, UserId=uid, IdentityInfo={"FirstName": "A", "LastName": "B"})
    connect("UpdateUserPhoneConfig", InstanceId=iid, UserId=uid, PhoneConfig={"AutoAccept": True})

    user = connect("DescribeUser", InstanceId=iid, UserId=uid)["User"]
    assert user["RoutingProfileId"] == rp2
    assert user["SecurityProfileIds"] == [defaults["admin_sp"]]
    assert user["IdentityInfo"] == {"FirstName": "A", "LastName": "B"}
    assert user["PhoneConfig"] == {"PhoneType": "SOFT_PHONE", "AutoAccept": True, "AfterContactWorkTimeLimit": 30}

    with pytest.raises(ResourceNotFoundException):
        connect("UpdateUserRoutingProfile", InstanceId=iid, UserId=uid, RoutingProfileId="missing")


def test_user_hierarchy_can_be_set_and_cleared(connect, iid, make_user):
    connect("UpdateUserHierarchyStructure", InstanceId=iid, HierarchyStructure={"LevelOne": {"Name": "Site"}})
    gid = connect("CreateUserHierarchyGroup", InstanceId=iid, Name="Paris")["HierarchyGroupId"]
    uid = make_user("jdoe")["UserId"]
    connect("UpdateUserHierarchy", InstanceId=iid, UserId=uid, HierarchyGroupId=gid)
    assert connect("DescribeUser", InstanceId=iid, UserId=uid)["User"]["HierarchyGroupId"] == gid
    connect("UpdateUserHierarchy", InstanceId=iid, UserId=uid)
    assert "HierarchyGroupId" not in connect("DescribeUser", InstanceId=iid, UserId=uid)["User"]


def test_every_user_gets_an_agent_queue_that_goes_with_the_user(connect, iid, make_user):
    uid = make_user("jdoe")["UserId"]

    agent_queues = connect("ListQueues", InstanceId=iid, QueueTypes=["AGENT"])["QueueSummaryList"]
    assert agent_queues == [
        {
            "Id": uid,
            "Arn": f"{connect.directory.instances[iid].arn}/queue/agent/{uid}",
            "QueueType": "AGENT",
            "LastModifiedTime": agent_queues[0]["LastModifiedTime"],
            "LastModifiedRegion": "us-east-1",
        }
    ]
    standard = connect("ListQueues", InstanceId=iid, QueueTypes=["STANDARD"])["QueueSummaryList"]
    assert [q["Name"] for q in standard] == ["BasicQueue"]
    assert len(connect("ListQueues", InstanceId=iid)["QueueSummaryList"]) == 2

    connect("DeleteUser", InstanceId=iid, UserId=uid)
    assert connect("ListQueues", InstanceId=iid, QueueTypes=["AGENT"])["QueueSummaryList"] == []
    with pytest.raises(ResourceNotFoundException):
        connect("DeleteUser", InstanceId=iid, UserId=uid)


def test_user_quota_is_enforced_and_can_be_raised(connect, domain, iid, make_user):
    domain.set_quota("123456789012", "us-east-1", iid, "Users per instance", 2)
    make_user("u1")
    make_user("u2")
    with pytest.raises(LimitExceededException):
        make_user("u3")
    domain.set_quota("123456789012", "us-east-1", iid, "users", 3)
    assert domain.get_quota("123456789012", "us-east-1", iid, "L-9A46857E") == 3
    make_user("u3")


def test_list_users_pages_through_everyone(connect, iid, make_user):
    for i in range(5):
        make_user(f"user{i}")
    seen, token = [], None
    while True:
        params = {"InstanceId": iid, "MaxResults": 2}
        if token:
            params["NextToken"] = token
        page = connect("ListUsers", **params)
        seen += [u["Username"] for u in page["UserSummaryList"]]
        token = page.get("NextToken")
        if not token:
            break
    assert seen == [f"user{i}" for i in range(5)]


def test_a_token_from_another_operation_is_refused(connect, iid, make_user):
    for i in range(3):
        make_user(f"user{i}")
    token = connect("ListUsers", InstanceId=iid, MaxResults=1)["NextToken"]
    with pytest.raises(InvalidParameterException):
        connect("ListQueues", InstanceId=iid, NextToken=token)
    with pytest.raises(InvalidParameterException):
        connect("ListUsers", InstanceId=iid, NextToken="garbage!")


def test_per_channel_user_config_replaces_the_lists_it_names(connect, iid, make_user):
    uid = make_user("jdoe", AutoAcceptConfigs=[{"Channel": "VOICE", "AutoAccept": False}])["UserId"]
    acw = [{"Channel": "CHAT", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 60}}]
    connect(
        "UpdateUserConfig",
        InstanceId=iid,
        UserId=uid,
        AutoAcceptConfigs=[{"Channel": "CHAT", "AutoAccept": True}],
        AfterContactWorkConfigs=acw,
    )
    user = connect("DescribeUser", InstanceId=iid, UserId=uid)["User"]
    assert user["AutoAcceptConfigs"] == [{"Channel": "CHAT", "AutoAccept": True}]
    assert user["AfterContactWorkConfigs"] == acw
    searched = connect("SearchUsers", InstanceId=iid)["Users"][0]
    assert searched["AfterContactWorkConfigs"][0]["AfterContactWorkConfig"]["AfterContactWorkTimeLimit"] == 60_000
