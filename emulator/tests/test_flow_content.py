"""Published flow and module content is checked as Amazon checks it: it may name only this instance's
resources, and only Lambda functions and Lex bots associated with it. That is what makes a flow copied
from another instance, its references not rewritten, fail in a test instead of in production."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from connect_emulator.domain.flow_content import InvalidContactFlowException
from connect_emulator.domain.flow_modules import InvalidContactFlowModuleException
from connect_emulator.testing import EmulatorProcess

REGION = "eu-west-2"
ACCOUNT = "123456789012"
LAMBDA = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:lookup"
LEX = f"arn:aws:lex:{REGION}:{ACCOUNT}:bot-alias/BOT0000001/ALIAS00001"


def flow(*actions: dict[str, Any]) -> str:
    steps = [{"Identifier": f"a{n}", "Transitions": {}, **a} for n, a in enumerate(actions)]
    return json.dumps({"Version": "2019-10-30", "StartAction": "a0", "Actions": steps})


def to_queue(arn: str) -> dict[str, Any]:
    return {"Type": "UpdateContactTargetQueue", "Parameters": {"QueueId": arn}}


def instance(connect, alias: str) -> dict[str, Any]:
    made = connect(
        "CreateInstance",
        IdentityManagementType="CONNECT_MANAGED",
        InstanceAlias=alias,
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )
    return connect("DescribeInstance", InstanceId=made["Id"])["Instance"]


def basic_queue(connect, inst: dict[str, Any]) -> str:
    queues = connect("ListQueues", InstanceId=inst["Id"], QueueTypes=["STANDARD"])["QueueSummaryList"]
    return next(q["Arn"] for q in queues if q["Name"] == "BasicQueue")


def test_published_content_naming_this_instances_resources_and_associations_is_accepted(connect):
    inst = instance(connect, "target")
    connect("AssociateLambdaFunction", InstanceId=inst["Id"], FunctionArn=LAMBDA)
    connect("AssociateBot", InstanceId=inst["Id"], LexV2Bot={"AliasArn": LEX})
    content = flow(
        to_queue(basic_queue(connect, inst)),
        {"Type": "InvokeLambdaFunction", "Parameters": {"LambdaFunctionARN": LAMBDA}},
        {"Type": "ConnectParticipantWithLexBot", "Parameters": {"LexV2Bot": {"AliasArn": LEX}}},
    )
    made = connect("CreateContactFlow", InstanceId=inst["Id"], Name="Main", Type="CONTACT_FLOW", Content=content)
    module = connect("CreateContactFlowModule", InstanceId=inst["Id"], Name="Lookup", Content=content)
    modules = json.dumps(
        {
            "Actions": [
                {"Parameters": {"FlowModuleId": module["Arn"], "ContactFlowId": f"{made['ContactFlowArn']}:$SAVED"}}
            ]
        }
    )
    connect("UpdateContactFlowContent", InstanceId=inst["Id"], ContactFlowId=made["ContactFlowId"], Content=modules)


def test_a_flow_copied_from_another_instance_unrewritten_is_refused_naming_each_reference(connect):
    source, target = instance(connect, "source"), instance(connect, "target")
    content = flow(
        to_queue(basic_queue(connect, source)),
        {"Type": "InvokeLambdaFunction", "Parameters": {"LambdaFunctionARN": LAMBDA}},
    )
    with pytest.raises(InvalidContactFlowException) as refused:
        connect("CreateContactFlow", InstanceId=target["Id"], Name="Main", Type="CONTACT_FLOW", Content=content)
    assert [p["message"] for p in refused.value.fields["problems"]] == [
        f"$.Actions[0].Parameters.QueueId: {basic_queue(connect, source)} is a resource of another instance",
        f"$.Actions[1].Parameters.LambdaFunctionARN: the Lambda function {LAMBDA} is not associated with this instance",
    ]
    # The same content, saved and not published, is a draft Amazon accepts.
    saved = connect(
        "CreateContactFlow", InstanceId=target["Id"], Name="Draft", Type="CONTACT_FLOW", Content=content, Status="SAVED"
    )
    with pytest.raises(InvalidContactFlowModuleException) as refused_module:
        connect("CreateContactFlowModule", InstanceId=target["Id"], Name="Copy", Content=content)
    assert len(refused_module.value.fields["Problems"]) == 2
    assert connect("DescribeContactFlow", InstanceId=target["Id"], ContactFlowId=saved["ContactFlowId"])


def test_a_reference_to_a_deleted_or_unknown_item_of_this_instance_is_refused(connect):
    inst = instance(connect, "target")
    gone = f"{inst['Arn']}/queue/00000000-0000-0000-0000-000000000000"
    unknown_user = f"{inst['Arn']}/queue/agent/00000000-0000-0000-0000-000000000001"
    fid = connect(
        "CreateContactFlow",
        InstanceId=inst["Id"],
        Name="Main",
        Type="CONTACT_FLOW",
        Content=flow(to_queue(basic_queue(connect, inst))),
    )["ContactFlowId"]
    with pytest.raises(InvalidContactFlowException) as refused:
        connect(
            "UpdateContactFlowContent",
            InstanceId=inst["Id"],
            ContactFlowId=fid,
            Content=flow(to_queue(gone), to_queue(unknown_user)),
        )
    assert [p["message"].split(": ", 1)[1] for p in refused.value.fields["problems"]] == [
        f"{gone} does not exist in this instance (queue)",
        f"{unknown_user} does not exist in this instance (user)",
    ]


def test_boto3_sees_the_problems_in_the_error_it_raises() -> None:
    process = EmulatorProcess("--throttle", "off")
    try:
        client = process.client(region=REGION)
        iid = client.create_instance(
            IdentityManagementType="CONNECT_MANAGED",
            InstanceAlias="http",
            InboundCallsEnabled=True,
            OutboundCallsEnabled=True,
        )["Id"]
        with pytest.raises(ClientError) as refused:
            client.create_contact_flow(
                InstanceId=iid,
                Name="Main",
                Type="CONTACT_FLOW",
                Content=flow({"Type": "InvokeLambdaFunction", "Parameters": {"LambdaFunctionARN": LAMBDA}}),
            )
        assert refused.value.response["Error"]["Code"] == "InvalidContactFlowException"
        unassociated = f"the Lambda function {LAMBDA} is not associated with this instance"
        assert refused.value.response["problems"] == [
            {"message": f"$.Actions[0].Parameters.LambdaFunctionARN: {unassociated}"}
        ]
    finally:
        process.stop()


def test_saved_content_is_a_draft_beside_the_published_one_named_with_the_saved_qualifier(connect):
    inst = instance(connect, "target")
    iid = inst["Id"]
    published = flow(to_queue(basic_queue(connect, inst)))
    made = connect("CreateContactFlow", InstanceId=iid, Name="Main", Type="CONTACT_FLOW", Content=published)
    fid = made["ContactFlowId"]
    # A draft may be incomplete: it names a queue that does not exist yet, and it does not publish.
    draft = flow(to_queue(f"{inst['Arn']}/queue/00000000-0000-0000-0000-00000000abcd"))
    connect("UpdateContactFlowContent", InstanceId=iid, ContactFlowId=f"{fid}:$SAVED", Content=draft)
    current = connect("DescribeContactFlow", InstanceId=iid, ContactFlowId=fid)["ContactFlow"]
    assert (current["Status"], current["Content"]) == ("PUBLISHED", published)
    for ref in (f"{fid}:$SAVED", f"{made['ContactFlowArn']}:$SAVED"):
        saved = connect("DescribeContactFlow", InstanceId=iid, ContactFlowId=ref)["ContactFlow"]
        assert (saved["Status"], saved["Content"]) == ("SAVED", draft)
    # Publishing checks the content and replaces the draft.
    with pytest.raises(InvalidContactFlowException):
        connect("UpdateContactFlowContent", InstanceId=iid, ContactFlowId=fid, Content=draft)
    republished = flow(to_queue(basic_queue(connect, inst)), {"Type": "DisconnectParticipant", "Parameters": {}})
    connect("UpdateContactFlowContent", InstanceId=iid, ContactFlowId=fid, Content=republished)
    after = connect("DescribeContactFlow", InstanceId=iid, ContactFlowId=f"{fid}:$SAVED")["ContactFlow"]
    assert (after["Status"], after["Content"]) == ("PUBLISHED", republished)


def test_a_module_keeps_a_draft_the_same_way(connect):
    iid = instance(connect, "target")["Id"]
    first = flow({"Type": "EndFlowModuleExecution", "Parameters": {}})
    mid = connect("CreateContactFlowModule", InstanceId=iid, Name="Auth", Content=first)["Id"]
    draft = flow({"Type": "InvokeLambdaFunction", "Parameters": {"LambdaFunctionARN": LAMBDA}})
    connect("UpdateContactFlowModuleContent", InstanceId=iid, ContactFlowModuleId=f"{mid}:$SAVED", Content=draft)
    module = connect("DescribeContactFlowModule", InstanceId=iid, ContactFlowModuleId=mid)["ContactFlowModule"]
    saved = connect("DescribeContactFlowModule", InstanceId=iid, ContactFlowModuleId=f"{mid}:$SAVED")
    assert (module["Status"], module["Content"]) == ("PUBLISHED", first)
    assert (saved["ContactFlowModule"]["Status"], saved["ContactFlowModule"]["Content"]) == ("SAVED", draft)
    with pytest.raises(InvalidContactFlowModuleException):  # the Lambda function is not associated
        connect("UpdateContactFlowModuleContent", InstanceId=iid, ContactFlowModuleId=mid, Content=draft)
