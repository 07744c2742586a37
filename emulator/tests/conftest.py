"""Fixtures for the framework's own tests: a server over the fake domain."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_domain import make_fake_emulator

from connect_emulator.server import EmulatorServer
from connect_emulator.testing import EmulatorHandle


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
