"""The domain's routes are registered on moto's connect service, so `mock_aws()` serves them too."""

from __future__ import annotations

import boto3
from fake_domain import make_fake_emulator
from moto import mock_aws

from connect_emulator import adapter
from connect_emulator.server import Emulator


def test_mock_aws_serves_domain_operations_through_the_registered_routes() -> None:
    emulator: Emulator = make_fake_emulator()
    with mock_aws():
        client = boto3.client("connect", region_name="eu-west-2")
        instance = client.create_instance(
            IdentityManagementType="CONNECT_MANAGED", InboundCallsEnabled=True, OutboundCallsEnabled=True
        )
        created = client.create_user(
            InstanceId=instance["Id"],
            Username="mocked",
            PhoneConfig={"PhoneType": "SOFT_PHONE"},
            SecurityProfileIds=["sp"],
            RoutingProfileId="rp",
        )
        user = client.describe_user(InstanceId=instance["Id"], UserId=created["UserId"])["User"]
        assert user["Username"] == "mocked"
        # Instance ARNs contain '/', and moto's router sees them decoded: the greedy route keeps them whole.
        client.tag_resource(resourceArn=instance["Arn"], tags={"k": "v"})
        assert client.list_tags_for_resource(resourceArn=instance["Arn"])["tags"] == {"k": "v"}
    assert emulator.domain.users


def test_routes_are_installed_once_per_operation() -> None:
    from moto.connect import urls

    make_fake_emulator()
    before = dict(urls.url_paths)
    make_fake_emulator()
    assert urls.url_paths.keys() == before.keys()
    assert urls.url_paths["{0}/users/(?P<InstanceId>[^/]+)/(?P<UserId>[^/]+)$"] == adapter.EmulatorResponse.dispatch
