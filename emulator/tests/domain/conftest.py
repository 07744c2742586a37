"""A ConnectDomain over a tiny in-memory InstanceDirectory; every output is checked against botocore."""

from __future__ import annotations

import uuid
from typing import Any

import botocore.session
import pytest
from botocore.validate import ParamValidator

from connect_emulator.domain import ConnectDomain
from connect_emulator.instances import InstanceInfo

ACCOUNT = "123456789012"
REGION = "us-east-1"
PASSWORD = "Passw0rd!"

_MODEL = botocore.session.get_session().get_service_model("connect")


class FakeDirectory:
    def __init__(self) -> None:
        self.instances: dict[str, InstanceInfo] = {}
        self.tags: dict[str, dict[str, str]] = {}

    def add(self, identity_management_type: str = "CONNECT_MANAGED", region: str = REGION) -> InstanceInfo:
        iid = str(uuid.uuid4())
        info = InstanceInfo(
            id=iid,
            arn=f"arn:aws:connect:{region}:{ACCOUNT}:instance/{iid}",
            alias=f"alias-{iid[:8]}",
            identity_management_type=identity_management_type,
            account_id=ACCOUNT,
            region=region,
        )
        self.instances[iid] = info
        return info

    def get(self, account_id: str, region: str, instance_id: str) -> InstanceInfo | None:
        for info in self.instances.values():
            if (info.account_id, info.region) == (account_id, region) and instance_id in (info.id, info.arn):
                return info
        return None

    def list(self, account_id: str, region: str) -> list[InstanceInfo]:
        return [i for i in self.instances.values() if (i.account_id, i.region) == (account_id, region)]

    def tag_instance(self, account_id: str, region: str, instance_arn: str, tags: dict[str, str]) -> None:
        self.tags.setdefault(instance_arn, {}).update(tags)

    def untag_instance(self, account_id: str, region: str, instance_arn: str, tag_keys: list[str]) -> None:
        for key in tag_keys:
            self.tags.get(instance_arn, {}).pop(key, None)

    def list_instance_tags(self, account_id: str, region: str, instance_arn: str) -> dict[str, str]:
        return dict(self.tags.get(instance_arn, {}))


def check_output(operation: str, output: dict[str, Any]) -> None:
    """The output must fit the operation's botocore output shape: no unknown members, right types."""
    shape = _MODEL.operation_model(operation).output_shape
    if shape is None:
        assert output == {}, f"{operation} has no output shape but returned {output}"
        return
    report = ParamValidator().validate(output, shape)
    assert not report.has_errors(), f"{operation} output does not match the model:\n{report.generate_report()}"


class Connect:
    """Calls the domain like the framework does, in one account and region."""

    def __init__(self, domain: ConnectDomain, directory: FakeDirectory, region: str = REGION) -> None:
        self.domain = domain
        self.directory = directory
        self.region = region

    def __call__(self, operation: str, **params: Any) -> dict[str, Any]:
        out = self.domain.handle(operation, params, account_id=ACCOUNT, region=self.region)
        check_output(operation, out)
        return out


@pytest.fixture
def directory() -> FakeDirectory:
    return FakeDirectory()


@pytest.fixture
def domain(directory: FakeDirectory) -> ConnectDomain:
    return ConnectDomain(directory)


@pytest.fixture
def connect(domain: ConnectDomain, directory: FakeDirectory) -> Connect:
    return Connect(domain, directory)


@pytest.fixture
def instance(directory: FakeDirectory) -> InstanceInfo:
    return directory.add("CONNECT_MANAGED")


@pytest.fixture
def iid(instance: InstanceInfo) -> str:
    return instance.id


def by_name(connect: Connect, iid: str, operation: str, list_key: str, name: str) -> dict[str, Any]:
    out = connect(operation, InstanceId=iid, MaxResults=1000)
    return next(item for item in out[list_key] if item.get("Name") == name)


@pytest.fixture
def defaults(connect: Connect, iid: str) -> dict[str, str]:
    """Ids of the resources Amazon creates in every instance."""
    return {
        "hours": by_name(connect, iid, "ListHoursOfOperations", "HoursOfOperationSummaryList", "Basic Hours")["Id"],
        "queue": by_name(connect, iid, "ListQueues", "QueueSummaryList", "BasicQueue")["Id"],
        "routing_profile": by_name(
            connect, iid, "ListRoutingProfiles", "RoutingProfileSummaryList", "Basic Routing Profile"
        )["Id"],
        "agent_sp": by_name(connect, iid, "ListSecurityProfiles", "SecurityProfileSummaryList", "Agent")["Id"],
        "admin_sp": by_name(connect, iid, "ListSecurityProfiles", "SecurityProfileSummaryList", "Admin")["Id"],
        "agent_transfer": by_name(connect, iid, "ListContactFlows", "ContactFlowSummaryList", "Default agent transfer")[
            "Id"
        ],
        "queue_transfer": by_name(connect, iid, "ListContactFlows", "ContactFlowSummaryList", "Default queue transfer")[
            "Id"
        ],
    }


@pytest.fixture
def make_user(connect: Connect, iid: str, defaults: dict[str, str]):
    def make(username: str = "agent1", **overrides: Any) -> dict[str, Any]:
        params: dict[str, Any] = {
            "InstanceId": iid,
            "Username": username,
            "Password": PASSWORD,
            "IdentityInfo": {"FirstName": "Ada", "LastName": "Lovelace"},
            "PhoneConfig": {"PhoneType": "SOFT_PHONE", "AutoAccept": False, "AfterContactWorkTimeLimit": 30},
            "SecurityProfileIds": [defaults["agent_sp"]],
            "RoutingProfileId": defaults["routing_profile"],
        }
        params.update(overrides)
        return connect("CreateUser", **params)

    return make


@pytest.fixture
def make_queue(connect: Connect, iid: str, defaults: dict[str, str]):
    def make(name: str, **overrides: Any) -> dict[str, Any]:
        params = {"InstanceId": iid, "Name": name, "HoursOfOperationId": defaults["hours"], **overrides}
        return connect("CreateQueue", **params)

    return make
