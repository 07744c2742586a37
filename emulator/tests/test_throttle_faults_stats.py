"""Throttling, injected faults, statistics and the control endpoints."""

from __future__ import annotations

import threading
import time

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError

from connect_emulator.faults import FaultConfig, FaultInjector
from connect_emulator.testing import EmulatorHandle
from connect_emulator.throttle import Throttle


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_the_burst_then_refills_at_the_rate() -> None:
    clock = FakeClock()
    throttle = Throttle("aws", clock=clock)
    assert [throttle.allow("1", "us-east-1", "CreateUser") for _ in range(6)] == [True] * 5 + [False]
    clock.now += 1.0  # 2 tokens per second by default
    assert [throttle.allow("1", "us-east-1", "CreateUser") for _ in range(3)] == [True, True, False]


def test_buckets_are_per_api_account_and_region() -> None:
    throttle = Throttle("aws", clock=FakeClock())
    for _ in range(5):
        assert throttle.allow("1", "us-east-1", "CreateUser")
    assert not throttle.allow("1", "us-east-1", "CreateUser")
    assert throttle.allow("1", "us-east-1", "DescribeUser")
    assert throttle.allow("1", "eu-west-2", "CreateUser")
    assert throttle.allow("2", "us-east-1", "CreateUser")


def test_a_factor_scales_rate_and_burst_and_off_never_throttles() -> None:
    clock = FakeClock()
    throttle = Throttle("10", clock=clock)
    assert sum(throttle.allow("1", "r", "GetMetricData") for _ in range(100)) == 80  # burst 8 x 10
    clock.now += 0.5
    assert sum(throttle.allow("1", "r", "GetMetricData") for _ in range(100)) == 25  # 5/s x 10 x 0.5 s
    off = Throttle("off")
    assert all(off.allow("1", "r", "CreateUser") for _ in range(1000))


def test_throttling_over_http_answers_429_past_the_burst_and_holds_the_rate(
    fake_emulator: EmulatorHandle, fake_instance: dict
) -> None:
    factor = 25  # DescribeInstance: 2/s burst 5 -> 50/s burst 125
    fake_emulator.configure(throttle=str(factor))
    client = fake_emulator.client()
    outcomes: list[tuple[float, float, bool]] = []
    lock = threading.Lock()
    # Clients are built before the clock starts, and the window runs from the first request sent:
    # a full bucket does not refill, so time spent before the first call (client start-up on a
    # loaded machine) would otherwise read as a lower rate.
    clients = [fake_emulator.client() for _ in range(3)]
    deadline = time.monotonic() + 3.0

    def hammer(local) -> None:
        while time.monotonic() < deadline:
            sent = time.monotonic()
            try:
                local.describe_instance(InstanceId=fake_instance["Id"])
                ok = True
            except ClientError as error:
                assert error.response["Error"]["Code"] == "ThrottlingException"
                assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 429
                ok = False
            with lock:
                outcomes.append((sent, time.monotonic(), ok))

    threads = [threading.Thread(target=hammer, args=(local,)) for local in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = max(done for _, done, _ in outcomes) - min(sent for sent, _, _ in outcomes)
    succeeded = sum(ok for _, _, ok in outcomes)
    assert len(outcomes) - succeeded > 0, "nothing was throttled: the test drove too slowly"
    sustained = (succeeded - 5 * factor) / elapsed
    assert sustained == pytest.approx(2 * factor, rel=0.10)
    stats = fake_emulator.stats()["apis"]["DescribeInstance"]
    assert stats["throttled"] == len(outcomes) - succeeded
    assert client.meta.region_name == "us-east-1"


def test_per_api_rate_overrides_apply(fake_emulator: EmulatorHandle, fake_instance: dict) -> None:
    fake_emulator.configure(throttle={"mode": "aws", "rates": {"DescribeInstance": {"rate": 0.001, "burst": 2}}})
    client = fake_emulator.client()
    client.describe_instance(InstanceId=fake_instance["Id"])
    client.describe_instance(InstanceId=fake_instance["Id"])
    with pytest.raises(ClientError, match="ThrottlingException"):
        client.describe_instance(InstanceId=fake_instance["Id"])


def test_fault_spec_parses_and_rejects_nonsense() -> None:
    config = FaultConfig.parse("throttle=0.1,error=0.05,drop=0.01,latency=0.5:0.2,seed=9,apis=CreateUser|DescribeUser")
    assert (config.throttle, config.error, config.drop, config.latency, config.latency_seconds) == (
        0.1,
        0.05,
        0.01,
        0.5,
        0.2,
    )
    assert config.seed == 9 and config.apis == ["CreateUser", "DescribeUser"]
    assert not FaultConfig.parse("off").enabled
    with pytest.raises(ValueError):
        FaultConfig.parse("throttle=2")
    with pytest.raises(ValueError):
        FaultConfig.parse("explode=0.1")


def test_the_same_seed_gives_the_same_faults() -> None:
    def run(seed: int) -> list[str | None]:
        injector = FaultInjector(FaultConfig(throttle=0.2, error=0.2, drop=0.1, seed=seed))
        return [injector.decide("CreateUser").fault for _ in range(200)]

    assert run(1) == run(1)
    assert run(1) != run(2)
    assert {"throttle", "error", "drop", None} == set(run(1))


def outcomes_over_http(emulator: EmulatorHandle, instance_id: str, n: int) -> list[str]:
    client = emulator.client()
    seen = []
    for _ in range(n):
        try:
            client.describe_instance(InstanceId=instance_id)
            seen.append("ok")
        except ClientError as error:
            seen.append(error.response["Error"]["Code"])
        except ConnectionClosedError:
            seen.append("dropped")
    return seen


def test_faults_over_http_are_deterministic_and_counted(fake_emulator: EmulatorHandle, fake_instance: dict) -> None:
    spec = "throttle=0.2,error=0.2,drop=0.1,seed=42,apis=DescribeInstance"
    fake_emulator.configure(faults=spec)
    first = outcomes_over_http(fake_emulator, fake_instance["Id"], 40)
    fake_emulator.configure(faults=spec)  # reconfiguring restarts the sequence
    second = outcomes_over_http(fake_emulator, fake_instance["Id"], 40)
    assert first == second
    assert {"ok", "ThrottlingException", "InternalServiceException", "dropped"} == set(first)
    errors = fake_emulator.stats()["apis"]["DescribeInstance"]["errors"]
    assert errors["InternalServiceException"] == 2 * first.count("InternalServiceException")
    assert errors["ConnectionDropped"] == 2 * first.count("dropped")


def test_latency_is_added(fake_emulator: EmulatorHandle, fake_instance: dict) -> None:
    fake_emulator.configure(faults="latency=0.2")
    start = time.monotonic()
    fake_emulator.client().describe_instance(InstanceId=fake_instance["Id"])
    assert time.monotonic() - start >= 0.2


def test_stats_count_calls_throttles_and_errors_per_api(fake_emulator: EmulatorHandle, fake_instance: dict) -> None:
    client = fake_emulator.client()
    fake_emulator.reset_stats()
    client.list_instances()
    client.list_instances()
    with pytest.raises(ClientError):
        client.describe_user(InstanceId=fake_instance["Id"], UserId="nobody")
    stats = fake_emulator.stats()
    assert stats["apis"]["ListInstances"] == {"calls": 2, "throttled": 0, "errors": {}}
    assert stats["apis"]["DescribeUser"]["errors"] == {"ResourceNotFoundException": 1}
    assert stats["total"] == {"calls": 3, "throttled": 0, "errors": 1}
    fake_emulator.reset_stats()
    assert fake_emulator.stats()["total"]["calls"] == 0


def test_tagging_an_instance_itself_is_counted_apart_from_tagging_its_resources(
    fake_emulator: EmulatorHandle, fake_instance: dict
) -> None:
    client = fake_emulator.client()
    queue_arn = f"{fake_instance['Arn']}/queue/11111111-2222-3333-4444-555555555555"
    fake_emulator.reset_stats()
    client.tag_resource(resourceArn=fake_instance["Arn"], tags={"ccaas:lease": "R1|ops@host|x|y|t"})
    client.tag_resource(resourceArn=queue_arn, tags={"BU": "Sales"})
    assert client.list_tags_for_resource(resourceArn=fake_instance["Arn"])["tags"] == {
        "ccaas:lease": "R1|ops@host|x|y|t"
    }
    client.untag_resource(resourceArn=fake_instance["Arn"], tagKeys=["ccaas:lease"])
    assert client.list_tags_for_resource(resourceArn=fake_instance["Arn"])["tags"] == {}
    stats = fake_emulator.stats()
    assert stats["apis"]["TagResource"]["calls"] == 2
    assert stats["instance_tags"] == {"ListTagsForResource": 2, "TagResource": 1, "UntagResource": 1}


def test_state_round_trips_with_the_same_ids(fake_emulator: EmulatorHandle, fake_instance: dict) -> None:
    client = fake_emulator.client()
    client.tag_resource(resourceArn=fake_instance["Arn"], tags={"env": "rehearsal"})
    user = client.create_user(
        InstanceId=fake_instance["Id"],
        Username="kept",
        PhoneConfig={"PhoneType": "SOFT_PHONE"},
        SecurityProfileIds=["sp"],
        RoutingProfileId="rp",
    )
    state = fake_emulator.dump_state()
    fake_emulator.control("POST", "reset")
    assert client.list_instances()["InstanceSummaryList"] == []
    fake_emulator.load_state(state)
    described = client.describe_instance(InstanceId=fake_instance["Id"])["Instance"]
    assert described["Arn"] == fake_instance["Arn"]
    assert client.describe_user(InstanceId=fake_instance["Id"], UserId=user["UserId"])["User"]["Username"] == "kept"


def test_config_reports_and_sets_modes_and_quotas(fake_emulator: EmulatorHandle, fake_instance: dict) -> None:
    config = fake_emulator.configure(
        throttle="aws",
        faults={"error": 0.5, "seed": 3},
        quotas=[{"region": "us-east-1", "instance_id": fake_instance["Id"], "quota": "users", "value": 0}],
    )
    assert config["throttle"]["mode"] == "aws"
    assert config["faults"]["error"] == 0.5 and config["faults"]["enabled"]
    assert fake_emulator.control("GET", "config")["throttle"]["mode"] == "aws"
    fake_emulator.configure(faults="off")
    with pytest.raises(ClientError) as caught:
        fake_emulator.client().create_user(
            InstanceId=fake_instance["Id"],
            Username="over",
            PhoneConfig={"PhoneType": "SOFT_PHONE"},
            SecurityProfileIds=["sp"],
            RoutingProfileId="rp",
        )
    assert caught.value.response["Error"]["Code"] == "ServiceQuotaExceededException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 402
