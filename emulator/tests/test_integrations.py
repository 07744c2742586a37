"""An instance's Lambda functions and Lex bots, as Amazon serves their associations.

The three generations of API (`*LambdaFunction(s)`, `*LexBot(s)` for V1, `*Bot`/`ListBots` for V1 and
V2) through the whole in-process emulator with the model's validation, then through boto3 over HTTP
and the AWS CLI; quotas, conflicts, a retried request and the state file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from connect_emulator.errors import (
    InvalidParameterException,
    InvalidRequestException,
    ResourceConflictException,
    ResourceNotFoundException,
    ServiceQuotaExceededException,
)
from connect_emulator.testing import EmulatorProcess

REGION = "eu-west-2"
ACCOUNT = "123456789012"


def function(name: str, region: str = REGION) -> str:
    return f"arn:aws:lambda:{region}:{ACCOUNT}:function:{name}"


def alias(n: int) -> str:
    return f"arn:aws:lex:{REGION}:{ACCOUNT}:bot-alias/BOT{n:07d}/ALIAS{n:05d}"


def test_lambda_functions_are_associated_listed_in_pages_of_25_and_disassociated(connect, iid):
    arns = [function(f"fn-{n:02}") for n in range(30)]
    for arn in arns:
        assert connect("AssociateLambdaFunction", InstanceId=iid, FunctionArn=arn) == {}
    first = connect("ListLambdaFunctions", InstanceId=iid)
    assert len(first["LambdaFunctions"]) == 25 and first["NextToken"]
    rest = connect("ListLambdaFunctions", InstanceId=iid, NextToken=first["NextToken"])
    assert first["LambdaFunctions"] + rest["LambdaFunctions"] == arns and "NextToken" not in rest
    with pytest.raises(InvalidParameterException):
        connect("ListLambdaFunctions", InstanceId=iid, MaxResults=26)  # the model's maximum is 25
    connect("DisassociateLambdaFunction", InstanceId=iid, FunctionArn=arns[0])
    assert arns[0] not in connect("ListLambdaFunctions", InstanceId=iid, MaxResults=25)["LambdaFunctions"]
    with pytest.raises(ResourceNotFoundException):
        connect("DisassociateLambdaFunction", InstanceId=iid, FunctionArn=arns[0])


def test_a_function_twice_conflicts_but_the_same_request_retried_succeeds(connect, iid):
    arn = function("router")
    connect("AssociateLambdaFunction", InstanceId=iid, FunctionArn=arn, ClientToken="t-1")
    # A retry of the request whose answer was lost carries the same ClientToken: done already, not a conflict.
    assert connect("AssociateLambdaFunction", InstanceId=iid, FunctionArn=arn, ClientToken="t-1") == {}
    with pytest.raises(ResourceConflictException):
        connect("AssociateLambdaFunction", InstanceId=iid, FunctionArn=arn, ClientToken="t-2")
    assert connect("ListLambdaFunctions", InstanceId=iid)["LambdaFunctions"] == [arn]


def test_a_function_must_be_a_lambda_arn_of_the_instances_region(connect, iid):
    with pytest.raises(InvalidParameterException):
        connect("AssociateLambdaFunction", InstanceId=iid, FunctionArn="router")
    with pytest.raises(InvalidRequestException):
        connect("AssociateLambdaFunction", InstanceId=iid, FunctionArn=function("router", "us-east-1"))


def test_the_lambda_quota_is_amazons_default_and_can_be_raised(connect, iid, emulator):
    for n in range(50):
        connect("AssociateLambdaFunction", InstanceId=iid, FunctionArn=function(f"fn-{n}"))
    with pytest.raises(ServiceQuotaExceededException):
        connect("AssociateLambdaFunction", InstanceId=iid, FunctionArn=function("one-too-many"))
    emulator.set_quota("123456789012", REGION, iid, "AWS Lambda functions per instance", 51)
    connect("AssociateLambdaFunction", InstanceId=iid, FunctionArn=function("one-too-many"))


def test_lex_v1_bots_are_one_list_for_the_v1_api_and_the_newer_one(connect, iid):
    connect("AssociateLexBot", InstanceId=iid, LexBot={"Name": "Orders", "LexRegion": REGION})
    connect("AssociateBot", InstanceId=iid, LexBot={"Name": "Billing", "LexRegion": "us-east-1"})
    v1 = [{"Name": "Orders", "LexRegion": REGION}, {"Name": "Billing", "LexRegion": "us-east-1"}]
    assert connect("ListLexBots", InstanceId=iid)["LexBots"] == v1
    assert connect("ListBots", InstanceId=iid, LexVersion="V1")["LexBots"] == [{"LexBot": b} for b in v1]
    assert connect("ListBots", InstanceId=iid, LexVersion="V2")["LexBots"] == []
    with pytest.raises(ResourceConflictException):
        connect("AssociateBot", InstanceId=iid, LexBot={"Name": "Orders", "LexRegion": REGION})
    connect("DisassociateBot", InstanceId=iid, LexBot={"Name": "Orders", "LexRegion": REGION})
    connect("DisassociateLexBot", InstanceId=iid, BotName="Billing", LexRegion="us-east-1")
    assert connect("ListLexBots", InstanceId=iid)["LexBots"] == []
    with pytest.raises(ResourceNotFoundException):
        connect("DisassociateLexBot", InstanceId=iid, BotName="Billing", LexRegion="us-east-1")


def test_lex_v2_bots_are_associated_by_alias_arn_one_bot_per_request(connect, iid):
    connect("AssociateBot", InstanceId=iid, LexV2Bot={"AliasArn": alias(1)})
    assert connect("ListBots", InstanceId=iid, LexVersion="V2")["LexBots"] == [{"LexV2Bot": {"AliasArn": alias(1)}}]
    with pytest.raises(InvalidRequestException):  # both, or neither
        connect(
            "AssociateBot", InstanceId=iid, LexBot={"Name": "x", "LexRegion": REGION}, LexV2Bot={"AliasArn": alias(2)}
        )
    with pytest.raises(InvalidRequestException):
        connect("AssociateBot", InstanceId=iid)
    with pytest.raises(InvalidParameterException):
        connect("AssociateBot", InstanceId=iid, LexV2Bot={"AliasArn": "arn:aws:lex:eu-west-2:1:bot/x"})
    connect("DisassociateBot", InstanceId=iid, LexV2Bot={"AliasArn": alias(1)})
    assert connect("ListBots", InstanceId=iid, LexVersion="V2")["LexBots"] == []


def test_associations_survive_the_state_file(connect, iid, emulator):
    connect("AssociateLambdaFunction", InstanceId=iid, FunctionArn=function("router"))
    connect("AssociateBot", InstanceId=iid, LexV2Bot={"AliasArn": alias(3)})
    state = json.loads(json.dumps(emulator.dump_state()))
    emulator.reset()
    emulator.load_state(state)
    assert connect("ListLambdaFunctions", InstanceId=iid)["LambdaFunctions"] == [function("router")]
    assert connect("ListBots", InstanceId=iid, LexVersion="V2")["LexBots"] == [{"LexV2Bot": {"AliasArn": alias(3)}}]


def test_boto3_and_the_aws_cli_over_http_see_the_same_associations() -> None:
    process = EmulatorProcess("--throttle", "off")
    try:
        client = process.client(region=REGION)
        iid = client.create_instance(
            IdentityManagementType="CONNECT_MANAGED",
            InstanceAlias="cli-integrations",
            InboundCallsEnabled=True,
            OutboundCallsEnabled=True,
        )["Id"]
        client.associate_lambda_function(InstanceId=iid, FunctionArn=function("router"))
        client.associate_bot(InstanceId=iid, LexV2Bot={"AliasArn": alias(4)})
        pages = client.get_paginator("list_lambda_functions").paginate(InstanceId=iid)
        assert [arn for page in pages for arn in page["LambdaFunctions"]] == [function("router")]
        with pytest.raises(client.exceptions.ResourceConflictException):
            client.associate_lambda_function(InstanceId=iid, FunctionArn=function("router"))
        aws = Path(sys.executable).with_name("aws")
        env = {**os.environ, **process.env(region=REGION)}
        env.pop("AWS_PROFILE", None)
        out = subprocess.run(
            [str(aws), "connect", "list-bots", "--instance-id", iid, "--lex-version", "V2"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=True,
        )
        assert json.loads(out.stdout)["LexBots"] == [{"LexV2Bot": {"AliasArn": alias(4)}}]
    finally:
        process.stop()
