from __future__ import annotations

import json
import threading

import pytest

from connect_emulator.domain import ConnectDomain
from connect_emulator.errors import (
    InvalidParameterException,
    ResourceNotFoundException,
    ServiceQuotaExceededException,
)

from .conftest import ACCOUNT, REGION, Connect


def test_tags_on_every_kind_of_arn(connect, iid, instance, defaults, make_user):
    user_arn = make_user("jdoe")["UserArn"]
    number_arn = connect("ClaimPhoneNumber", InstanceId=iid, PhoneNumber="+14155550100")["PhoneNumberArn"]
    queue_arn = f"{instance.arn}/queue/{defaults['queue']}"
    for arn in (user_arn, number_arn, queue_arn, instance.arn):
        connect("TagResource", resourceArn=arn, tags={"env": "test", "owner": "me"})
        connect("UntagResource", resourceArn=arn, tagKeys=["owner"])
        assert connect("ListTagsForResource", resourceArn=arn) == {"tags": {"env": "test"}}
    assert connect.directory.tags[instance.arn] == {"env": "test"}
    queue = connect("DescribeQueue", InstanceId=iid, QueueId=defaults["queue"])["Queue"]
    assert queue["Tags"] == {"env": "test"}


def test_tag_rules(connect, make_user):
    arn = make_user("jdoe")["UserArn"]
    with pytest.raises(InvalidParameterException):
        connect("TagResource", resourceArn=arn, tags={"aws:reserved": "x"})
    connect("TagResource", resourceArn=arn, tags={f"k{i}": "v" for i in range(50)})
    with pytest.raises(InvalidParameterException):
        connect("TagResource", resourceArn=arn, tags={"one-too-many": "v"})


def test_unknown_arns_are_not_found(connect, instance):
    for arn in (
        f"{instance.arn}/agent/00000000-0000-0000-0000-000000000000",
        f"{instance.arn}/unicorn/1",
        "arn:aws:connect:us-east-1:123456789012:instance/00000000-0000-0000-0000-000000000000",
        "arn:aws:connect:eu-west-1:123456789012:instance/x/agent/y",
    ):
        with pytest.raises(ResourceNotFoundException):
            connect("ListTagsForResource", resourceArn=arn)


def test_claimed_numbers_are_listed_and_described(connect, iid, instance):
    tf = connect("ClaimPhoneNumber", TargetArn=instance.arn, PhoneNumber="+18005550100", Tags={"a": "b"})
    did = connect("ClaimPhoneNumber", InstanceId=iid, PhoneNumber="+442071234567", PhoneNumberDescription="London")
    with pytest.raises(InvalidParameterException):
        connect("ClaimPhoneNumber", InstanceId=iid, PhoneNumber="+442071234567")

    described = connect("DescribePhoneNumber", PhoneNumberId=tf["PhoneNumberId"])["ClaimedPhoneNumberSummary"]
    assert (described["PhoneNumberType"], described["PhoneNumberCountryCode"]) == ("TOLL_FREE", "US")
    assert described["PhoneNumberStatus"] == {"Status": "CLAIMED"} and described["Tags"] == {"a": "b"}
    assert described["PhoneNumberArn"] == f"arn:aws:connect:{REGION}:{ACCOUNT}:phone-number/{tf['PhoneNumberId']}"

    listed = connect("ListPhoneNumbersV2", TargetArn=instance.arn)["ListPhoneNumbersSummaryList"]
    assert [n["PhoneNumber"] for n in listed] == ["+18005550100", "+442071234567"]
    uk = connect("ListPhoneNumbersV2", InstanceId=iid, PhoneNumberCountryCodes=["GB"])["ListPhoneNumbersSummaryList"]
    assert [n["PhoneNumberId"] for n in uk] == [did["PhoneNumberId"]]
    assert uk[0]["PhoneNumberDescription"] == "London"

    # The older per-instance list, which scripts still call: same numbers, its own shape and filters.
    old = connect("ListPhoneNumbers", InstanceId=iid)["PhoneNumberSummaryList"]
    assert [(n["PhoneNumber"], n["PhoneNumberType"], n["PhoneNumberCountryCode"]) for n in old] == [
        ("+18005550100", "TOLL_FREE", "US"),
        ("+442071234567", "DID", "GB"),
    ]
    assert old[1]["Id"] == did["PhoneNumberId"] and old[1]["Arn"] == did["PhoneNumberArn"]
    tolls = connect("ListPhoneNumbers", InstanceId=iid, PhoneNumberTypes=["TOLL_FREE"])["PhoneNumberSummaryList"]
    assert [n["Id"] for n in tolls] == [tf["PhoneNumberId"]]


def test_claim_is_idempotent_by_client_token(connect, iid):
    first = connect("ClaimPhoneNumber", InstanceId=iid, PhoneNumber="+14155550100", ClientToken="t1")
    again = connect("ClaimPhoneNumber", InstanceId=iid, PhoneNumber="+14155550100", ClientToken="t1")
    assert first == again


def test_phone_number_quota(connect, domain, iid):
    domain.set_quota(ACCOUNT, REGION, iid, "phone_numbers", 1)
    connect("ClaimPhoneNumber", InstanceId=iid, PhoneNumber="+14155550100")
    with pytest.raises(ServiceQuotaExceededException):
        connect("ClaimPhoneNumber", InstanceId=iid, PhoneNumber="+14155550101")


def test_phone_number_answers_with_an_inbound_flow(connect, iid):
    number = connect("ClaimPhoneNumber", InstanceId=iid, PhoneNumber="+14155550100")["PhoneNumberId"]
    flows = connect("ListContactFlows", InstanceId=iid, ContactFlowTypes=["CONTACT_FLOW"])["ContactFlowSummaryList"]
    connect("AssociatePhoneNumberContactFlow", PhoneNumberId=number, InstanceId=iid, ContactFlowId=flows[0]["Id"])
    whisper = connect("ListContactFlows", InstanceId=iid, ContactFlowTypes=["AGENT_WHISPER"])["ContactFlowSummaryList"]
    with pytest.raises(InvalidParameterException):
        connect("AssociatePhoneNumberContactFlow", PhoneNumberId=number, InstanceId=iid, ContactFlowId=whisper[0]["Id"])
    connect("DisassociatePhoneNumberContactFlow", PhoneNumberId=number, InstanceId=iid)


def test_dump_and_load_round_trip(connect, domain, directory, iid, defaults, make_user):
    connect("UpdateUserHierarchyStructure", InstanceId=iid, HierarchyStructure={"LevelOne": {"Name": "Site"}})
    gid = connect("CreateUserHierarchyGroup", InstanceId=iid, Name="Paris")["HierarchyGroupId"]
    uid = make_user("jdoe", HierarchyGroupId=gid, Tags={"k": "v"})["UserId"]
    connect("ClaimPhoneNumber", InstanceId=iid, PhoneNumber="+14155550100")
    domain.set_quota(ACCOUNT, REGION, iid, "users", 777)

    state = json.loads(json.dumps(domain.dump_state()))
    fresh = ConnectDomain(directory)
    fresh.load_state(state)
    again = Connect(fresh, directory)

    assert again("DescribeUser", InstanceId=iid, UserId=uid) == connect("DescribeUser", InstanceId=iid, UserId=uid)
    assert again("ListPhoneNumbersV2", InstanceId=iid) == connect("ListPhoneNumbersV2", InstanceId=iid)
    assert fresh.get_quota(ACCOUNT, REGION, iid, "users") == 777
    # References survive the trip: the group and the routing profile are still in use.
    with pytest.raises(Exception, match="in use"):
        again("DeleteUserHierarchyGroup", InstanceId=iid, HierarchyGroupId=gid)
    with pytest.raises(Exception, match="in use"):
        again("DeleteRoutingProfile", InstanceId=iid, RoutingProfileId=defaults["routing_profile"])
    assert fresh.dump_state() == state


def test_reset_forgets_everything_and_defaults_come_back(connect, domain, iid, make_user):
    make_user("jdoe")
    domain.reset()
    assert connect("ListUsers", InstanceId=iid)["UserSummaryList"] == []
    assert connect("ListQueues", InstanceId=iid, QueueTypes=["STANDARD"])["QueueSummaryList"][0]["Name"] == "BasicQueue"


def test_load_of_an_empty_state_resets(domain, connect, iid, make_user):
    make_user("jdoe")
    domain.load_state({})
    assert connect("ListUsers", InstanceId=iid)["UserSummaryList"] == []


def test_concurrent_creates_keep_names_unique(connect, iid, make_user):
    errors: list[Exception] = []

    def create(i: int) -> None:
        try:
            make_user(f"user{i % 10}")
        except Exception as exc:  # duplicates are expected: 10 names, 40 attempts
            errors.append(exc)

    threads = [threading.Thread(target=create, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(connect("ListUsers", InstanceId=iid)["UserSummaryList"]) == 10
    assert len(errors) == 30


def test_every_served_operation_is_in_the_model():
    import botocore.session

    model_ops = set(botocore.session.get_session().get_service_model("connect").operation_names)
    assert model_ops >= ConnectDomain.OPERATIONS
    assert len(ConnectDomain.OPERATIONS) >= 70


def test_flow_associations_and_number_metadata(connect, iid, instance):
    number = connect("ClaimPhoneNumber", InstanceId=iid, PhoneNumber="+14155550100")
    flows = connect("ListContactFlows", InstanceId=iid, ContactFlowTypes=["CONTACT_FLOW"])["ContactFlowSummaryList"]
    connect(
        "AssociatePhoneNumberContactFlow",
        PhoneNumberId=number["PhoneNumberId"],
        InstanceId=iid,
        ContactFlowId=flows[0]["Id"],
    )
    connect("UpdatePhoneNumberMetadata", PhoneNumberId=number["PhoneNumberId"], PhoneNumberDescription="main line")

    assoc = connect("ListFlowAssociations", InstanceId=iid, ResourceType="VOICE_PHONE_NUMBER")
    assert assoc["FlowAssociationSummaryList"] == [
        {"ResourceId": number["PhoneNumberArn"], "FlowId": flows[0]["Arn"], "ResourceType": "VOICE_PHONE_NUMBER"}
    ]
    described = connect("DescribePhoneNumber", PhoneNumberId=number["PhoneNumberId"])["ClaimedPhoneNumberSummary"]
    assert described["PhoneNumberDescription"] == "main line"
