"""The rest of a carried resource's life: phone numbers searched, claimed, moved and released; flows
renamed, versioned and deleted; which flow answers which number, in a batch.

Through the whole in-process emulator (the model's validation on both sides), then boto3 over HTTP.
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from connect_emulator.errors import (
    DuplicateResourceException,
    InvalidParameterException,
    InvalidRequestException,
    ResourceInUseException,
    ResourceNotFoundException,
    ServiceQuotaExceededException,
)

REGION = "eu-west-2"
ACCOUNT = "123456789012"
CONTENT = json.dumps(
    {
        "Version": "2019-10-30",
        "StartAction": "a",
        "Actions": [{"Identifier": "a", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}}],
    }
)


def new_instance(connect, alias: str) -> str:
    return connect(
        "CreateInstance",
        IdentityManagementType="CONNECT_MANAGED",
        InstanceAlias=alias,
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )["Id"]


def available(connect, iid: str, country: str = "US", kind: str = "DID", **extra) -> list[str]:
    found = connect(
        "SearchAvailablePhoneNumbers", InstanceId=iid, PhoneNumberCountryCode=country, PhoneNumberType=kind, **extra
    )
    assert all(
        (n["PhoneNumberCountryCode"], n["PhoneNumberType"]) == (country, kind) for n in found["AvailableNumbersList"]
    )
    return [n["PhoneNumber"] for n in found["AvailableNumbersList"]]


def claimed(connect, iid: str) -> list[str]:
    rows = connect("ListPhoneNumbersV2", InstanceId=iid)["ListPhoneNumbersSummaryList"]
    return [n["PhoneNumber"] for n in rows]


# -- phone numbers -------------------------------------------------------------------------------------


def test_search_offers_a_stable_inventory_by_prefix_and_pages(connect, iid):
    first = available(connect, iid)
    assert first == available(connect, iid) and len(first) == 10  # ten a page, the model's maximum
    assert available(connect, iid, PhoneNumberPrefix="+1312") == [f"+131255501{n:02d}" for n in range(10)]
    assert available(connect, iid, PhoneNumberPrefix="1312") == available(connect, iid, PhoneNumberPrefix="+1312")
    page = connect(
        "SearchAvailablePhoneNumbers",
        InstanceId=iid,
        PhoneNumberCountryCode="GB",
        PhoneNumberType="TOLL_FREE",
        MaxResults=3,
    )
    following = connect(
        "SearchAvailablePhoneNumbers",
        InstanceId=iid,
        PhoneNumberCountryCode="GB",
        PhoneNumberType="TOLL_FREE",
        MaxResults=3,
        NextToken=page["NextToken"],
    )
    numbers = [n["PhoneNumber"] for n in page["AvailableNumbersList"] + following["AvailableNumbersList"]]
    assert numbers == [f"+448081570{n:03d}" for n in range(6)]
    assert available(connect, iid, "US", "SHORT_CODE") == []  # no inventory for that type


def test_search_needs_exactly_one_target(connect, iid):
    with pytest.raises(InvalidParameterException):
        connect("SearchAvailablePhoneNumbers", PhoneNumberCountryCode="US", PhoneNumberType="DID")
    with pytest.raises(InvalidParameterException):
        connect("SearchAvailablePhoneNumbers", InstanceId="no-such", PhoneNumberCountryCode="US", PhoneNumberType="DID")


@pytest.mark.parametrize(
    ("country", "kind"), [("US", "DID"), ("US", "TOLL_FREE"), ("CA", "DID"), ("GB", "DID"), ("AU", "TOLL_FREE")]
)
def test_a_number_search_offered_is_claimed_as_what_it_was_offered_as_and_not_offered_again(
    connect, iid, country, kind
):
    number = available(connect, iid, country, kind)[0]
    made = connect("ClaimPhoneNumber", InstanceId=iid, PhoneNumber=number)
    described = connect("DescribePhoneNumber", PhoneNumberId=made["PhoneNumberId"])["ClaimedPhoneNumberSummary"]
    assert (described["PhoneNumberCountryCode"], described["PhoneNumberType"]) == (country, kind)
    other = new_instance(connect, "other")
    assert number not in available(connect, other, country, kind)


def test_release_frees_the_number_with_its_flow_and_it_cools_down(connect, iid):
    number = available(connect, iid)[0]
    made = connect("ClaimPhoneNumber", InstanceId=iid, PhoneNumber=number)
    flows = connect("ListContactFlows", InstanceId=iid, ContactFlowTypes=["CONTACT_FLOW"])["ContactFlowSummaryList"]
    connect(
        "AssociatePhoneNumberContactFlow",
        InstanceId=iid,
        PhoneNumberId=made["PhoneNumberId"],
        ContactFlowId=flows[0]["Id"],
    )
    assert connect("ListFlowAssociations", InstanceId=iid)["FlowAssociationSummaryList"]
    connect("ReleasePhoneNumber", PhoneNumberId=made["PhoneNumberArn"])
    assert number not in claimed(connect, iid)
    assert connect("ListFlowAssociations", InstanceId=iid)["FlowAssociationSummaryList"] == []
    with pytest.raises(ResourceNotFoundException):
        connect("DescribePhoneNumber", PhoneNumberId=made["PhoneNumberId"])
    with pytest.raises(ResourceNotFoundException):
        connect("ReleasePhoneNumber", PhoneNumberId=made["PhoneNumberId"])
    # "a cooldown period for up to 180 days": neither offered nor claimable.
    assert number not in available(connect, iid)
    with pytest.raises(InvalidParameterException, match="released"):
        connect("ClaimPhoneNumber", InstanceId=iid, PhoneNumber=number)


def test_a_queues_outbound_caller_id_cannot_be_released_or_moved(connect, iid):
    made = connect("ClaimPhoneNumber", InstanceId=iid, PhoneNumber=available(connect, iid)[0])
    hours = connect("ListHoursOfOperations", InstanceId=iid)["HoursOfOperationSummaryList"][0]["Id"]
    connect(
        "CreateQueue",
        InstanceId=iid,
        Name="Outbound",
        HoursOfOperationId=hours,
        OutboundCallerConfig={"OutboundCallerIdNumberId": made["PhoneNumberId"]},
    )
    with pytest.raises(ResourceInUseException) as refused:
        connect("ReleasePhoneNumber", PhoneNumberId=made["PhoneNumberId"])
    assert refused.value.fields["ResourceType"] == "PHONE_NUMBER"
    other = new_instance(connect, "other")
    with pytest.raises(ResourceInUseException):
        connect("UpdatePhoneNumber", PhoneNumberId=made["PhoneNumberId"], InstanceId=other)


def test_update_phone_number_moves_it_to_another_instance_without_its_flow(connect, iid, emulator):
    number = available(connect, iid)[0]
    made = connect("ClaimPhoneNumber", InstanceId=iid, PhoneNumber=number)
    flows = connect("ListContactFlows", InstanceId=iid, ContactFlowTypes=["CONTACT_FLOW"])["ContactFlowSummaryList"]
    connect(
        "AssociatePhoneNumberContactFlow",
        InstanceId=iid,
        PhoneNumberId=made["PhoneNumberId"],
        ContactFlowId=flows[0]["Id"],
    )
    other = new_instance(connect, "other")
    target_arn = connect("DescribeInstance", InstanceId=other)["Instance"]["Arn"]
    moved = connect("UpdatePhoneNumber", PhoneNumberId=made["PhoneNumberId"], TargetArn=target_arn)
    assert moved == {"PhoneNumberId": made["PhoneNumberId"], "PhoneNumberArn": made["PhoneNumberArn"]}
    assert (claimed(connect, iid), claimed(connect, other)) == ([], [number])
    assert connect("ListFlowAssociations", InstanceId=other)["FlowAssociationSummaryList"] == []
    with pytest.raises(InvalidParameterException):
        connect("UpdatePhoneNumber", PhoneNumberId=made["PhoneNumberId"])
    emulator.set_quota(ACCOUNT, REGION, iid, "phone_numbers", 0)
    with pytest.raises(ServiceQuotaExceededException):
        connect("UpdatePhoneNumber", PhoneNumberId=made["PhoneNumberId"], InstanceId=iid)


def test_batch_get_flow_association_names_the_flow_of_each_number_that_has_one(connect, iid):
    numbers = available(connect, iid)[:2]
    made = [connect("ClaimPhoneNumber", InstanceId=iid, PhoneNumber=n) for n in numbers]
    flow = connect("ListContactFlows", InstanceId=iid, ContactFlowTypes=["CONTACT_FLOW"])["ContactFlowSummaryList"][0]
    connect(
        "AssociatePhoneNumberContactFlow",
        InstanceId=iid,
        PhoneNumberId=made[0]["PhoneNumberId"],
        ContactFlowId=flow["Id"],
    )
    got = connect(
        "BatchGetFlowAssociation",
        InstanceId=iid,
        ResourceIds=[m["PhoneNumberArn"] for m in made],
        ResourceType="VOICE_PHONE_NUMBER",
    )
    assert got["FlowAssociationSummaryList"] == [
        {"ResourceId": made[0]["PhoneNumberArn"], "FlowId": flow["Arn"], "ResourceType": "VOICE_PHONE_NUMBER"}
    ]


# -- contact flows -----------------------------------------------------------------------------------------


def make_flow(connect, iid: str, name: str = "Main") -> dict:
    return connect("CreateContactFlow", InstanceId=iid, Name=name, Type="CONTACT_FLOW", Content=CONTENT)


def test_a_flow_is_renamed_and_its_description_changed_or_cleared(connect, iid):
    made = make_flow(connect, iid)
    connect(
        "UpdateContactFlowName", InstanceId=iid, ContactFlowId=made["ContactFlowArn"], Name="Renamed", Description="d"
    )
    flow = connect("DescribeContactFlow", InstanceId=iid, ContactFlowId=made["ContactFlowId"])["ContactFlow"]
    assert (flow["Name"], flow["Description"]) == ("Renamed", "d")
    connect("UpdateContactFlowName", InstanceId=iid, ContactFlowId=made["ContactFlowId"], Description="")
    assert (
        "Description"
        not in connect("DescribeContactFlow", InstanceId=iid, ContactFlowId=made["ContactFlowId"])["ContactFlow"]
    )
    with pytest.raises(DuplicateResourceException):
        connect("UpdateContactFlowName", InstanceId=iid, ContactFlowId=made["ContactFlowId"], Name="Default outbound")


def test_an_unused_flow_is_deleted(connect, iid):
    made = make_flow(connect, iid)
    connect("DeleteContactFlow", InstanceId=iid, ContactFlowId=made["ContactFlowId"])
    with pytest.raises(ResourceNotFoundException):
        connect("DescribeContactFlow", InstanceId=iid, ContactFlowId=made["ContactFlowId"])
    with pytest.raises(ResourceNotFoundException):
        connect("DeleteContactFlow", InstanceId=iid, ContactFlowId=made["ContactFlowId"])


def test_a_flow_a_number_queue_or_quick_connect_uses_is_not_deleted(connect, iid):
    flow = make_flow(connect, iid, "Answers")
    number = connect("ClaimPhoneNumber", InstanceId=iid, PhoneNumber=available(connect, iid)[0])
    connect(
        "AssociatePhoneNumberContactFlow",
        InstanceId=iid,
        PhoneNumberId=number["PhoneNumberId"],
        ContactFlowId=flow["ContactFlowId"],
    )
    with pytest.raises(InvalidRequestException, match="phone number"):
        connect("DeleteContactFlow", InstanceId=iid, ContactFlowId=flow["ContactFlowId"])
    connect("DisassociatePhoneNumberContactFlow", InstanceId=iid, PhoneNumberId=number["PhoneNumberId"])
    transfer = connect("CreateContactFlow", InstanceId=iid, Name="To queue", Type="QUEUE_TRANSFER", Content=CONTENT)
    queues = connect("ListQueues", InstanceId=iid, QueueTypes=["STANDARD"])["QueueSummaryList"]
    connect(
        "CreateQuickConnect",
        InstanceId=iid,
        Name="Basic",
        QuickConnectConfig={
            "QuickConnectType": "QUEUE",
            "QueueConfig": {"QueueId": queues[0]["Id"], "ContactFlowId": transfer["ContactFlowId"]},
        },
    )
    with pytest.raises(InvalidRequestException, match="quick connect"):
        connect("DeleteContactFlow", InstanceId=iid, ContactFlowId=transfer["ContactFlowId"])
    whisper = connect("CreateContactFlow", InstanceId=iid, Name="Whisper", Type="OUTBOUND_WHISPER", Content=CONTENT)
    connect(
        "UpdateQueueOutboundCallerConfig",
        InstanceId=iid,
        QueueId=queues[0]["Id"],
        OutboundCallerConfig={"OutboundFlowId": whisper["ContactFlowId"]},
    )
    with pytest.raises(InvalidRequestException, match="queue"):
        connect("DeleteContactFlow", InstanceId=iid, ContactFlowId=whisper["ContactFlowId"])
    connect("DeleteContactFlow", InstanceId=iid, ContactFlowId=flow["ContactFlowId"])  # no longer in use


def test_versions_are_numbered_copies_of_the_published_content(connect, iid):
    made = make_flow(connect, iid)
    flow = connect("DescribeContactFlow", InstanceId=iid, ContactFlowId=made["ContactFlowId"])["ContactFlow"]
    one = connect(
        "CreateContactFlowVersion",
        InstanceId=iid,
        ContactFlowId=made["ContactFlowId"],
        Description="first",
        FlowContentSha256=flow["FlowContentSha256"],
    )
    assert one == {"ContactFlowArn": f"{made['ContactFlowArn']}:1", "Version": 1}
    changed = CONTENT.replace("DisconnectParticipant", "EndFlowExecution")
    connect("UpdateContactFlowContent", InstanceId=iid, ContactFlowId=made["ContactFlowId"], Content=changed)
    with pytest.raises(InvalidRequestException, match="FlowContentSha256"):
        connect(
            "CreateContactFlowVersion",
            InstanceId=iid,
            ContactFlowId=made["ContactFlowId"],
            FlowContentSha256=flow["FlowContentSha256"],
        )
    assert connect("CreateContactFlowVersion", InstanceId=iid, ContactFlowId=made["ContactFlowId"])["Version"] == 2
    old = connect("DescribeContactFlow", InstanceId=iid, ContactFlowId=f"{made['ContactFlowId']}:1")["ContactFlow"]
    assert (old["Content"], old["Arn"]) == (CONTENT, f"{made['ContactFlowArn']}:1")
    listed = connect("ListContactFlowVersions", InstanceId=iid, ContactFlowId=made["ContactFlowId"])
    assert [(v["Version"], v.get("VersionDescription")) for v in listed["ContactFlowVersionSummaryList"]] == [
        (1, "first"),
        (2, None),
    ]
    connect("DeleteContactFlowVersion", InstanceId=iid, ContactFlowId=made["ContactFlowId"], ContactFlowVersion=2)
    with pytest.raises(ResourceNotFoundException):
        connect("DescribeContactFlow", InstanceId=iid, ContactFlowId=f"{made['ContactFlowId']}:2")
    with pytest.raises(ResourceNotFoundException):
        connect("DeleteContactFlowVersion", InstanceId=iid, ContactFlowId=made["ContactFlowId"], ContactFlowVersion=2)
    # Numbers are never reused.
    assert connect("CreateContactFlowVersion", InstanceId=iid, ContactFlowId=made["ContactFlowId"])["Version"] == 3
    draft = connect(
        "CreateContactFlow", InstanceId=iid, Name="Draft", Type="CONTACT_FLOW", Content=CONTENT, Status="SAVED"
    )
    with pytest.raises(InvalidRequestException):
        connect("CreateContactFlowVersion", InstanceId=iid, ContactFlowId=draft["ContactFlowId"])


# -- over HTTP -----------------------------------------------------------------------------------------------


def test_boto3_searches_claims_releases_and_versions_over_http(connect_emulator):
    client = connect_emulator.client(region=REGION)
    iid = client.create_instance(
        IdentityManagementType="CONNECT_MANAGED",
        InstanceAlias="http-life",
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )["Id"]
    offered = client.search_available_phone_numbers(
        InstanceId=iid, PhoneNumberCountryCode="GB", PhoneNumberType="DID", PhoneNumberPrefix="+44113", MaxResults=2
    )["AvailableNumbersList"]
    assert [n["PhoneNumber"] for n in offered] == ["+441134960000", "+441134960001"]
    made = client.claim_phone_number(InstanceId=iid, PhoneNumber=offered[0]["PhoneNumber"])
    client.release_phone_number(PhoneNumberId=made["PhoneNumberId"])
    assert client.list_phone_numbers_v2(InstanceId=iid)["ListPhoneNumbersSummaryList"] == []
    with pytest.raises(ClientError) as refused:
        client.claim_phone_number(InstanceId=iid, PhoneNumber=offered[0]["PhoneNumber"])
    assert refused.value.response["Error"]["Code"] == "InvalidParameterException"
    flow = client.create_contact_flow(InstanceId=iid, Name="Versioned", Type="CONTACT_FLOW", Content=CONTENT)
    assert client.create_contact_flow_version(InstanceId=iid, ContactFlowId=flow["ContactFlowId"])["Version"] == 1
    versions = client.list_contact_flow_versions(InstanceId=iid, ContactFlowId=flow["ContactFlowId"])
    assert [v["Version"] for v in versions["ContactFlowVersionSummaryList"]] == [1]
    client.update_contact_flow_name(InstanceId=iid, ContactFlowId=flow["ContactFlowId"], Name="Renamed")
    client.delete_contact_flow(InstanceId=iid, ContactFlowId=flow["ContactFlowId"])
    assert "Renamed" not in [f["Name"] for f in client.list_contact_flows(InstanceId=iid)["ContactFlowSummaryList"]]
