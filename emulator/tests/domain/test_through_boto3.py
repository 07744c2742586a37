"""The domain behind the real server, as boto3 sees it: wire errors, quirks, paginators, state."""

from __future__ import annotations

import pytest


@pytest.fixture
def client(connect_emulator):
    return connect_emulator.client()


@pytest.fixture
def instance_id(client):
    return client.create_instance(
        IdentityManagementType="CONNECT_MANAGED", InstanceAlias="domain-boto3", InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )["Id"]  # fmt: skip


def _defaults(client, instance_id):
    rp = client.list_routing_profiles(InstanceId=instance_id)["RoutingProfileSummaryList"][0]["Id"]
    sps = {
        s["Name"]: s["Id"] for s in client.list_security_profiles(InstanceId=instance_id)["SecurityProfileSummaryList"]
    }
    return rp, sps


def _create_user(client, instance_id, username, **extra):
    rp, sps = _defaults(client, instance_id)
    params = {
        "InstanceId": instance_id,
        "Username": username,
        "Password": "Passw0rd!",
        "IdentityInfo": {"FirstName": "Ada", "LastName": "Lovelace"},
        "PhoneConfig": {"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": 20},
        "SecurityProfileIds": [sps["Agent"]],
        "RoutingProfileId": rp,
    }
    return client.create_user(**{**params, **extra})


def test_user_round_trip_and_search_quirk(client, instance_id):
    uid = _create_user(client, instance_id, "jdoe", Tags={"bu": "sales"})["UserId"]

    user = client.describe_user(InstanceId=instance_id, UserId=uid)["User"]
    found = client.search_users(InstanceId=instance_id)["Users"]

    assert user["PhoneConfig"]["AfterContactWorkTimeLimit"] == 20
    assert found[0]["PhoneConfig"]["AfterContactWorkTimeLimit"] == 20_000
    assert found[0]["Tags"] == {"bu": "sales"}
    assert user["LastModifiedTime"].tzinfo is not None


def test_errors_carry_amazons_codes_and_members(client, instance_id):
    _create_user(client, instance_id, "jdoe")
    with pytest.raises(client.exceptions.DuplicateResourceException):
        _create_user(client, instance_id, "jdoe")
    with pytest.raises(client.exceptions.InvalidParameterException):
        _create_user(client, instance_id, "weak", Password="password")
    rp, _ = _defaults(client, instance_id)
    with pytest.raises(client.exceptions.ResourceInUseException) as err:
        client.delete_routing_profile(InstanceId=instance_id, RoutingProfileId=rp)
    assert err.value.response["ResourceType"] == "USER"
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_queue(InstanceId=instance_id, QueueId="00000000-0000-0000-0000-000000000000")


def test_paginators_walk_every_page(client, instance_id):
    for i in range(7):
        _create_user(client, instance_id, f"user{i}")
    pages = client.get_paginator("search_users").paginate(InstanceId=instance_id, PaginationConfig={"PageSize": 3})
    assert sum(len(p["Users"]) for p in pages) == 7
    agent_queues = client.get_paginator("list_queues").paginate(InstanceId=instance_id, QueueTypes=["AGENT"])
    assert sum(len(p["QueueSummaryList"]) for p in agent_queues) == 7


def test_quota_raised_through_the_control_endpoint(connect_emulator, client, instance_id):
    connect_emulator.configure(
        quotas=[{"region": "us-east-1", "instance_id": instance_id, "quota": "users", "value": 1}]
    )
    _create_user(client, instance_id, "one")
    with pytest.raises(client.exceptions.LimitExceededException):
        _create_user(client, instance_id, "two")


def test_instance_tags_and_state_round_trip(connect_emulator, client, instance_id):
    arn = client.describe_instance(InstanceId=instance_id)["Instance"]["Arn"]
    client.tag_resource(resourceArn=arn, tags={"env": "rehearsal"})
    uid = _create_user(client, instance_id, "jdoe")["UserId"]

    state = connect_emulator.dump_state()
    connect_emulator.reset()
    connect_emulator.load_state(state)

    assert client.list_tags_for_resource(resourceArn=arn)["tags"] == {"env": "rehearsal"}
    assert client.describe_user(InstanceId=instance_id, UserId=uid)["User"]["Username"] == "jdoe"
