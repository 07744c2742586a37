"""Fixtures for the emulator's own tests: a server over the fake domain, and the whole emulator in process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_domain import make_fake_emulator

from connect_emulator.server import Emulator, EmulatorServer
from connect_emulator.testing import EmulatorHandle

# The region the in-process tests call (`connect`) and create their instance in (`iid`).
REGION = "eu-west-2"


@pytest.fixture(scope="session")
def fake_server() -> Iterator[tuple[EmulatorServer, EmulatorHandle]]:
    server = EmulatorServer(make_fake_emulator()).start()
    try:
        yield server, EmulatorHandle(server.endpoint, server.emulator)
    finally:
        server.stop()


@pytest.fixture
def fake_emulator(fake_server: tuple[EmulatorServer, EmulatorHandle]) -> EmulatorHandle:
    handle = fake_server[1]
    handle.reset()
    handle.emulator.domain.reset()
    return handle


@pytest.fixture
def fake_instance(fake_emulator: EmulatorHandle) -> dict[str, str]:
    created = fake_emulator.client().create_instance(
        IdentityManagementType="CONNECT_MANAGED",
        InstanceAlias="unit",
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )
    return {"Id": created["Id"], "Arn": created["Arn"]}


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """The whole emulator in this process, the model's validation on both sides."""
    emulator = Emulator(throttle="off", validate_output=True)
    emulator.reset()  # instances live in moto's process-wide backend
    yield emulator
    emulator.reset()


@pytest.fixture
def connect(emulator: Emulator):
    """`connect("Operation", **params)`: one call to the in-process emulator, in REGION."""

    def call(operation: str, **params: object) -> dict:
        return emulator.call(operation, params, region=REGION)

    return call


@pytest.fixture
def iid(connect) -> str:
    """A new CONNECT_MANAGED instance's ID, with Amazon's defaults."""
    return connect(
        "CreateInstance",
        IdentityManagementType="CONNECT_MANAGED",
        InstanceAlias="unit-instance",
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )["Id"]
