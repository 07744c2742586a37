"""The model's `pattern` constraints are checked on input, as Amazon's front end checks them.

botocore's Connect model gives Java-style patterns, not implicitly anchored (Smithy), some escaped
twice (the E.164 one) or written as JavaScript literals (the password one): the protocol layer undoes
both, and leaves the few it cannot say with Python's `re` unchecked. Those are pinned here, so a new
model that adds or fixes one shows up in review instead of silently.
"""

from __future__ import annotations

import botocore.session
import pytest
from botocore.exceptions import ClientError

from connect_emulator.errors import InvalidParameterException, ValidationError
from connect_emulator.protocol import python_pattern

MODEL = botocore.session.get_session().get_service_model("connect")

# Unicode property classes (\p{L}, \P{C}, ...) that `re` has no spelling for: not checked.
UNCHECKED = {
    "CommonHumanReadableDescription",
    "CommonHumanReadableName",
    "DataTableDescription",
    "DataTableName",
    "EvaluationFormMetricName",
    "FileName",
    "Page",
    "Slug",
    "TagKey",
    "ViewAction",
    "ViewDescription",
    "ViewName",
    "ViewsClientToken",
    "WorkspaceDescription",
    "WorkspaceTitle",
}


def pattern_of(shape: str) -> str:
    return MODEL.shape_for(shape).metadata["pattern"]


def test_the_patterns_python_cannot_check_are_exactly_the_pinned_ones():
    shapes = [name for name in MODEL.shape_names if "pattern" in MODEL.shape_for(name).metadata]
    assert len(shapes) > 50
    assert {name for name in shapes if python_pattern(pattern_of(name)) is None} == UNCHECKED


@pytest.mark.parametrize("number", ["+12125550197", "+442079460631", "+61255501000", "+4930123456"])
def test_the_mis_escaped_e164_pattern_accepts_a_valid_number(number):
    assert "\\\\+" in pattern_of("PhoneNumber")  # the model's double escape, still there
    compiled = python_pattern(pattern_of("PhoneNumber"))
    assert compiled is not None and compiled.search(number)
    assert not compiled.search("12125550197") and not compiled.search("+0123") and not compiled.search("+1 212 555")


def test_a_javascript_literal_is_read_as_its_regex():
    compiled = python_pattern(pattern_of("Password"))
    assert compiled is not None
    assert compiled.search("Secr3t-pass") and not compiled.search("alllowercase1")


def test_a_phone_number_off_the_pattern_is_refused_with_amazons_message(connect, iid):
    with pytest.raises(ValidationError) as refused:
        connect("ClaimPhoneNumber", InstanceId=iid, PhoneNumber="0044 20 7946 0000")
    assert isinstance(refused.value, InvalidParameterException)
    assert refused.value.code == "InvalidParameterException"
    assert "Value '0044 20 7946 0000' at 'phoneNumber' failed to satisfy constraint: " in refused.value.message
    assert "Member must satisfy regular expression pattern" in refused.value.message
    assert connect("ClaimPhoneNumber", InstanceId=iid, PhoneNumber="+442079460000")["PhoneNumberId"]


def test_patterns_apply_inside_nested_members_and_to_every_carried_type(connect, iid):
    routing = connect("ListRoutingProfiles", InstanceId=iid)["RoutingProfileSummaryList"][0]["Id"]
    profiles = connect("ListSecurityProfiles", InstanceId=iid)["SecurityProfileSummaryList"][0]["Id"]
    with pytest.raises(ValidationError, match=r"'phoneConfig\.deskPhoneNumber'"):
        connect(
            "CreateUser",
            InstanceId=iid,
            Username="desk",
            Password="Secr3t-pass",
            PhoneConfig={"PhoneType": "DESK_PHONE", "DeskPhoneNumber": "555-0100"},
            RoutingProfileId=routing,
            SecurityProfileIds=[profiles],
        )
    with pytest.raises(ValidationError, match="'password'"):
        connect(
            "CreateUser",
            InstanceId=iid,
            Username="weak",
            Password="weakpassword",
            PhoneConfig={"PhoneType": "SOFT_PHONE"},
            RoutingProfileId=routing,
            SecurityProfileIds=[profiles],
        )
    with pytest.raises(ValidationError, match="'securityProfileName'"):
        connect("CreateSecurityProfile", InstanceId=iid, SecurityProfileName="Team.Leads")
    with pytest.raises(ValidationError, match="'s3Uri'"):
        connect("CreatePrompt", InstanceId=iid, Name="Web", S3Uri="http://example.com/a.wav")


def test_what_the_collection_sends_still_passes(connect, iid):
    # IDs and ARNs, qualified or not, are not patterned where the collection sends them.
    flows = connect("ListContactFlows", InstanceId=iid)["ContactFlowSummaryList"]
    for ref in (flows[0]["Id"], flows[0]["Arn"], f"{flows[0]['Id']}:$SAVED", f"{flows[0]['Arn']}:$SAVED"):
        assert connect("DescribeContactFlow", InstanceId=iid, ContactFlowId=ref)["ContactFlow"]["Id"] == flows[0]["Id"]
    arn = connect("DescribeInstance", InstanceId=iid)["Instance"]["Arn"]
    assert connect("ListPhoneNumbersV2", TargetArn=arn, PhoneNumberPrefix="+44")["ListPhoneNumbersSummaryList"] == []
    assert connect("ListPhoneNumbersV2", TargetArn=arn, PhoneNumberPrefix="44")["ListPhoneNumbersSummaryList"] == []


def test_over_http_a_pattern_failure_is_a_400_invalid_parameter(connect_emulator):
    client = connect_emulator.client(region="eu-west-2")
    iid = client.create_instance(
        IdentityManagementType="CONNECT_MANAGED",
        InstanceAlias="patterns",
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )["Id"]
    with pytest.raises(ClientError) as refused:
        client.claim_phone_number(InstanceId=iid, PhoneNumber="+0")
    error = refused.value.response
    assert (error["ResponseMetadata"]["HTTPStatusCode"], error["Error"]["Code"]) == (400, "InvalidParameterException")
    assert "regular expression pattern" in error["Error"]["Message"]
    with pytest.raises(ClientError) as alias:
        client.create_instance(
            IdentityManagementType="CONNECT_MANAGED",
            InstanceAlias="d-bad_alias",
            InboundCallsEnabled=True,
            OutboundCallsEnabled=True,
        )
    assert alias.value.response["Error"]["Code"] == "InvalidParameterException"
