"""Pytest fixtures for the emulator (registered as a pytest11 plugin).

- `connect_emulator_server` (session): one server in a background thread on a free 127.0.0.1
  port, throttling off, output validation on (a domain answer that botocore's model does not allow
  fails the test instead of passing silently).
- `connect_emulator` (function): the same server, emptied before the test (state, stats, throttle
  and fault settings), so tests do not see each other's data.
- `connect_emulator_process` (session): the server as a subprocess, for ansible-playbook and other
  subprocess tests; `.env()` gives the environment that points AWS clients at it.

All handles talk to the server over HTTP (control endpoints), so they behave the same in-process
and out of process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from typing import Any, TypedDict

import pytest


class _Credentials(TypedDict):
    aws_access_key_id: str
    aws_secret_access_key: str


DUMMY_CREDENTIALS: _Credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


class EmulatorHandle:
    """What a test needs from a running emulator."""

    def __init__(self, endpoint: str, emulator: Any = None) -> None:
        self.endpoint = endpoint
        self.emulator = emulator  # the in-process Emulator, when there is one

    # ---- control endpoints --------------------------------------------------------------

    def control(self, method: str, name: str, document: Any = None) -> Any:
        data = json.dumps(document).encode() if document is not None else None
        request = urllib.request.Request(f"{self.endpoint}/_emulator/{name}", data=data, method=method)
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=60) as response:
            body = response.read()
        return json.loads(body) if body else None

    def stats(self) -> dict[str, Any]:
        return self.control("GET", "stats")

    def reset_stats(self) -> None:
        self.control("DELETE", "stats")

    def reset(self) -> None:
        """Empty state, statistics and settings: a clean emulator with throttling, faults and IAM off."""
        self.control("POST", "reset")
        self.control("DELETE", "stats")
        self.control("PUT", "config", {"throttle": {"mode": "off", "rates": {}}, "faults": "off", "iam_auth": False})

    def configure(self, **settings: Any) -> dict[str, Any]:
        """PUT /_emulator/config, e.g. configure(throttle="20", faults="error=0.1,seed=3")."""
        return self.control("PUT", "config", settings)

    def dump_state(self) -> dict[str, Any]:
        return self.control("GET", "state")

    def load_state(self, state: dict[str, Any]) -> None:
        self.control("PUT", "state", state)

    def seed(self, scenario: str = "demo", users: int = 200, seed: int = 7) -> dict[str, Any]:
        """Create the seeded source/target instances; returns their IDs, aliases and regions."""
        return self.control("POST", "seed", {"scenario": scenario, "users": users, "seed": seed})

    # ---- clients ------------------------------------------------------------------------

    def client(self, region: str = "us-east-1", *, max_attempts: int = 1, **config: Any) -> Any:
        """A boto3 Connect client for the emulator. No retries by default, so a test sees every error."""
        import boto3
        from botocore.config import Config

        return boto3.client(
            "connect",
            region_name=region,
            endpoint_url=self.endpoint,
            config=Config(retries={"total_max_attempts": max_attempts, "mode": "standard"}, **config),
            **DUMMY_CREDENTIALS,
        )

    def env(self, region: str = "us-east-1") -> dict[str, str]:
        """Environment for subprocesses (aws CLI, ansible-playbook) to use the emulator."""
        return {
            "AWS_ENDPOINT_URL_CONNECT": self.endpoint,
            "AWS_ACCESS_KEY_ID": DUMMY_CREDENTIALS["aws_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": DUMMY_CREDENTIALS["aws_secret_access_key"],
            "AWS_DEFAULT_REGION": region,
            "AWS_REGION": region,
            "AWS_EC2_METADATA_DISABLED": "true",
        }


class EmulatorProcess(EmulatorHandle):
    """`python -m connect_emulator serve` in a subprocess on a free port."""

    def __init__(self, *args: str, timeout: float = 60.0) -> None:
        command = [sys.executable, "-m", "connect_emulator", "serve", "--port", "0", *args]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        self.output: list[str] = []
        self.seeded: dict[str, Any] | None = None
        wants_seed = "--seed" in args and args[args.index("--seed") + 1 : args.index("--seed") + 2] == ("demo",)
        endpoint = None
        deadline = time.monotonic() + timeout
        assert self.process.stdout is not None
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.output.append(line)
            if line.startswith("connect_emulator listening on "):
                endpoint = line.split()[3]
            if line.startswith("SEEDED "):
                self.seeded = json.loads(line[len("SEEDED ") :])
            if endpoint and (not wants_seed or self.seeded is not None):
                break
        if endpoint is None:
            self.stop()
            raise RuntimeError("connect_emulator did not start:\n" + "".join(self.output))
        # Keep reading: a server whose full pipe blocks its next log line would hang mid-request.
        threading.Thread(target=self._drain, daemon=True).start()
        super().__init__(endpoint)

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            if len(self.output) > 2000:
                del self.output[:1000]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture(scope="session")
def connect_emulator_server() -> Iterator[EmulatorHandle]:
    from connect_emulator.server import Emulator, EmulatorServer

    server = EmulatorServer(Emulator(throttle="off", validate_output=True)).start()
    try:
        yield EmulatorHandle(server.endpoint, server.emulator)
    finally:
        server.stop()


@pytest.fixture
def connect_emulator(connect_emulator_server: EmulatorHandle) -> EmulatorHandle:
    connect_emulator_server.reset()
    return connect_emulator_server


@pytest.fixture(scope="session")
def connect_emulator_process() -> Iterator[EmulatorProcess]:
    process = EmulatorProcess("--throttle", "off", "--validate-output")
    try:
        yield process
    finally:
        process.stop()


def claim_numbers_like(handle: EmulatorHandle, source_arn: str, target_arn: str) -> dict[str, str]:
    """What an operator does before migrating into a new instance: claim in the target a number of the same
    country and type for each of the source's, and return the phone map (source number -> claimed number).
    The source is read in the demo's source region, the target claimed in its target region."""
    from .seed import DEMO_SOURCE_REGION, DEMO_TARGET_REGION

    source = handle.client(DEMO_SOURCE_REGION)
    target = handle.client(DEMO_TARGET_REGION)
    phone_map: dict[str, str] = {}
    for page in source.get_paginator("list_phone_numbers_v2").paginate(TargetArn=source_arn):
        for number in page["ListPhoneNumbersSummaryList"]:
            offered = target.search_available_phone_numbers(
                TargetArn=target_arn,
                PhoneNumberCountryCode=number["PhoneNumberCountryCode"],
                PhoneNumberType=number["PhoneNumberType"],
                MaxResults=10,
            )["AvailableNumbersList"]
            pick = next(o["PhoneNumber"] for o in offered if o["PhoneNumber"] not in phone_map.values())
            target.claim_phone_number(TargetArn=target_arn, PhoneNumber=pick)
            phone_map[number["PhoneNumber"]] = pick
    return phone_map
