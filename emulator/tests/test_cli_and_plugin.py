"""The command line server and the pytest plugin other test suites use."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from connect_emulator.__main__ import build_parser
from connect_emulator.testing import EmulatorHandle, EmulatorProcess

INSTANCE = {"IdentityManagementType": "CONNECT_MANAGED", "InboundCallsEnabled": True, "OutboundCallsEnabled": True}


def test_the_cli_accepts_the_documented_options() -> None:
    args = build_parser().parse_args(
        ["serve", "--port", "4567", "--throttle", "20", "--seed", "none", "--users", "5", "--faults", "error=0.1"]
    )
    assert (args.port, args.throttle, args.users, args.faults.error) == (4567, "20", 5, 0.1)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--throttle", "fast"])


def test_the_plugin_fixture_starts_clean(connect_emulator: EmulatorHandle) -> None:
    client = connect_emulator.client()
    client.create_instance(**INSTANCE)
    assert len(client.list_instances()["InstanceSummaryList"]) == 1
    connect_emulator.reset()
    assert connect_emulator.stats()["total"]["calls"] == 0
    assert client.list_instances()["InstanceSummaryList"] == []


def test_a_served_subprocess_answers_the_aws_cli_and_control_endpoints() -> None:
    process = EmulatorProcess("--throttle", "off")
    try:
        client = process.client(region="eu-central-1")
        created = client.create_instance(InstanceAlias="cli", **INSTANCE)
        aws = Path(sys.executable).with_name("aws")
        env = {**os.environ, **process.env(region="eu-central-1")}
        env.pop("AWS_PROFILE", None)
        # AWS_ENDPOINT_URL_CONNECT alone points the CLI at the emulator.
        out = subprocess.run(
            [str(aws), "connect", "describe-instance", "--instance-id", created["Id"]],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=True,
        )
        assert json.loads(out.stdout)["Instance"]["InstanceAlias"] == "cli"
        assert process.stats()["apis"]["DescribeInstance"]["calls"] == 1
        state = process.dump_state()
        assert [i["Id"] for i in state["instances"]] == [created["Id"]]
    finally:
        process.stop()
    assert process.process.returncode is not None


def test_a_state_file_is_loaded_at_start(tmp_path: Path) -> None:
    instance_id = "5d0c6bd4-5c55-4a9e-8a8f-0123456789ab"
    state = {
        "format": 1,
        "instances": [
            {
                "AccountId": "123456789012",
                "Region": "us-west-2",
                "Id": instance_id,
                "InstanceAlias": "from-file",
                "IdentityManagementType": "SAML",
                "CreatedTime": "2025-03-01T12:00:00+00:00",
                "Tags": {"env": "prod"},
            }
        ],
    }
    path = tmp_path / "state.json"
    path.write_text(json.dumps(state))
    process = EmulatorProcess("--throttle", "off", "--state", str(path))
    try:
        described = process.client(region="us-west-2").describe_instance(InstanceId=instance_id)["Instance"]
    finally:
        process.stop()
    assert described["InstanceAlias"] == "from-file"
    assert described["Tags"] == {"env": "prod"}
    assert described["CreatedTime"].isoformat() == "2025-03-01T12:00:00+00:00"
