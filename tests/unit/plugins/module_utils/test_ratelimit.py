from __future__ import annotations

import json
import threading
from pathlib import Path

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import ClientError

from ansible_collections.ccaas.connect.plugins.module_utils._client import instrument
from ansible_collections.ccaas.connect.plugins.module_utils._quota_table import API_RATES, DEFAULT_RATE
from ansible_collections.ccaas.connect.plugins.module_utils._ratelimit import (
    RateLimiter,
    TokenBucket,
    parse_rate,
    quota_error_message,
    quota_floor,
)

ROOT = Path(__file__).resolve().parents[4]
EMULATOR_RATES = ROOT / "emulator" / "connect_emulator" / "data" / "api_rates.json"


class FakeClock:
    """Time that moves only when a caller sleeps: pacing is tested without timing anything."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


def test_a_full_bucket_lets_a_burst_through_without_waiting():
    clock = FakeClock()
    bucket = TokenBucket(rate=2, burst=5, clock=clock, sleep=clock.sleep)
    assert [bucket.acquire() for _n in range(5)] == [0.0] * 5
    assert clock.sleeps == []


def test_past_the_burst_each_call_waits_one_interval_of_the_rate():
    clock = FakeClock()
    bucket = TokenBucket(rate=2, burst=5, clock=clock, sleep=clock.sleep)
    for _n in range(5):
        bucket.acquire()
    waits = [bucket.acquire() for _n in range(4)]
    assert waits == pytest.approx([0.5] * 4)
    assert clock.now == pytest.approx(2.0)


def test_callers_waiting_together_are_spaced_by_the_rate_in_arrival_order():
    clock = FakeClock()
    bucket = TokenBucket(rate=4, burst=1, clock=clock, sleep=clock.sleep)
    bucket.acquire()
    # Three reservations at the same instant: each is due 1/rate after the one before it.
    assert [bucket.reserve() for _n in range(3)] == pytest.approx([0.25, 0.5, 0.75])


def test_an_idle_bucket_refills_only_up_to_its_burst():
    clock = FakeClock()
    bucket = TokenBucket(rate=10, burst=3, clock=clock, sleep=clock.sleep)
    for _n in range(3):
        bucket.acquire()
    clock.now += 60
    assert [bucket.reserve() for _n in range(4)] == pytest.approx([0, 0, 0, 0.1])


def test_the_long_run_rate_is_the_bucket_rate_from_many_threads():
    clock = FakeClock()
    bucket = TokenBucket(rate=40, burst=99, clock=clock, sleep=clock.sleep)
    threads = [threading.Thread(target=lambda: [bucket.acquire() for _n in range(100)]) for _t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 800 tokens = 99 from the burst + 701 refilled at 40/s
    assert bucket.reserve() > 0
    assert clock.now + 1e-6 >= 701 / 40


def test_apis_without_an_entry_take_the_documented_default_and_the_factor_scales_it():
    limiter = RateLimiter(factor=20)
    assert limiter.rate_for("CreateUser") == (DEFAULT_RATE[0] * 20, DEFAULT_RATE[1] * 20)
    assert limiter.rate_for("GetMetricData") == (API_RATES["GetMetricData"][0] * 20, API_RATES["GetMetricData"][1] * 20)


def test_an_override_states_the_accounts_quota_and_is_not_scaled():
    limiter = RateLimiter({"CreateUser": 4, "UpdateUserRoutingProfile": {"rate": 6, "burst": 12}}, factor=20)
    assert limiter.rate_for("CreateUser") == (4.0, 100.0)
    assert limiter.rate_for("UpdateUserRoutingProfile") == (6.0, 12.0)
    assert RateLimiter({"CreateUser": 8}).rate_for("CreateUser") == (8.0, 8.0)


@pytest.mark.parametrize("bad", [0, -1, "fast", {"burst": 3}, {"rate": 2, "speed": 1}, {"rate": 2, "burst": 0}])
def test_a_malformed_override_is_refused_with_the_api_named(bad):
    with pytest.raises(ValueError, match=r"api_rates\.CreateUser"):
        parse_rate("CreateUser", bad)


def test_the_client_paces_one_burst_below_amazons_to_absorb_jitter():
    clock = FakeClock()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    assert limiter.bucket("CreateUser").burst == DEFAULT_RATE[1] - 1


def test_a_zero_factor_turns_pacing_off():
    clock = FakeClock()
    limiter = RateLimiter(factor=0, clock=clock, sleep=clock.sleep)
    for _n in range(100):
        limiter.acquire("CreateUser")
    assert clock.sleeps == []


# ---- where one task's buckets start: chunk boundaries ----


class AmazonBucket:
    """Amazon's side of one API, as the emulator models it: a full bucket, a token per call or a 429."""

    def __init__(self, rate: float, burst: float, clock: FakeClock) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens, self.stamp = burst, clock()
        self.throttled = 0

    def call(self) -> None:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
        else:
            self.throttled += 1


def run_tasks(start: str, tasks: int = 5, calls: int = 40, startup: float = 0.3) -> AmazonBucket:
    """`tasks` tasks in a row, each a new module (a new limiter) making `calls` CreateUser calls."""
    clock = FakeClock()
    rate, burst = DEFAULT_RATE
    amazon = AmazonBucket(rate, burst, clock)
    for number in range(tasks):
        clock.now += startup  # Ansible starts the next module
        limiter = RateLimiter(clock=clock, sleep=clock.sleep, start="full" if number == 0 else start)
        for _n in range(calls):
            limiter.acquire("CreateUser")
            amazon.call()
    return amazon


def test_a_bucket_can_start_empty_and_then_fills_at_its_rate():
    clock = FakeClock()
    bucket = TokenBucket(rate=2, burst=5, clock=clock, sleep=clock.sleep, level=0.0)
    assert bucket.acquire() == pytest.approx(0.5)
    clock.now += 10
    assert [bucket.acquire() for _n in range(5)] == [0.0] * 5


def test_full_buckets_at_every_task_meet_throttles_at_every_chunk_boundary():
    # The next task's client spends a whole burst that the previous task left Amazon without.
    assert run_tasks("full").throttled >= 4


def test_a_task_that_continues_a_run_starting_empty_is_never_throttled():
    assert run_tasks("empty").throttled == 0
    assert run_tasks("empty", startup=0.0).throttled == 0  # however short the gap between the tasks


def test_an_empty_start_counts_what_refilled_since_the_module_started():
    clock = FakeClock()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep, start="empty")
    clock.now += 1.0  # the module's read pass: CreateUser's bucket fills meanwhile
    for _n in range(2):
        limiter.acquire("CreateUser")
    assert clock.sleeps == []
    limiter.acquire("CreateUser")
    assert clock.sleeps == pytest.approx([0.5])


def test_an_empty_start_costs_at_most_one_burst_of_time():
    clock = FakeClock()
    full = RateLimiter(clock=clock, sleep=clock.sleep)
    for _n in range(100):
        full.acquire("CreateUser")
    took_full = clock.now
    clock = FakeClock()
    empty = RateLimiter(clock=clock, sleep=clock.sleep, start="empty")
    for _n in range(100):
        empty.acquire("CreateUser")
    assert clock.now - took_full == pytest.approx((DEFAULT_RATE[1] - 1) / DEFAULT_RATE[0])


def test_an_unknown_start_is_refused():
    with pytest.raises(ValueError, match="api_bucket_start"):
        RateLimiter(start="half")


def test_the_table_agrees_with_the_emulators():
    if not EMULATOR_RATES.exists():
        pytest.skip("the emulator's rate table is not in this checkout")
    emulator = json.loads(EMULATOR_RATES.read_text())
    assert (emulator["default"]["rate"], emulator["default"]["burst"]) == DEFAULT_RATE
    assert {api: (v["rate"], v["burst"]) for api, v in emulator["apis"].items()} == API_RATES


# ---- through a real botocore client: pacing per HTTP attempt and no retries for full quotas ----


class FakeConnect:
    """Answers every HTTP attempt at before-send (registered last, after the limiter) with a canned error."""

    def __init__(self, code: str, status: int, failures: int) -> None:
        self.code, self.status, self.failures = code, status, failures
        self.attempts = 0

    def __call__(self, request, **_kwargs):
        self.attempts += 1
        if self.attempts <= self.failures:
            body = json.dumps({"__type": self.code, "Message": "quota or rate"}).encode()
            return AWSResponse(request.url, self.status, {"x-amzn-ErrorType": self.code}, _Raw(body))
        return AWSResponse(request.url, 200, {}, _Raw(b'{"UserId": "u-1", "UserArn": "arn:u-1"}'))


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_kwargs):
        yield self._body


def client_answering(fake: FakeConnect, limiter: RateLimiter):
    client = boto3.client(
        "connect",
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
        config=Config(retries={"mode": "standard", "max_attempts": 5}),
    )
    stats = instrument(client, limiter)
    client.meta.events.register_last("before-send.connect", fake)
    # No real backoff sleeps in a unit test.
    client.meta.events.register_last("needs-retry.connect", lambda **_: None)
    return client, stats


CREATE_USER = {
    "Username": "jdoe",
    "Password": "Passw0rd!",
    "SecurityProfileIds": ["sp"],
    "RoutingProfileId": "rp",
    "InstanceId": "i",
    "PhoneConfig": {"PhoneType": "SOFT_PHONE"},
}


@pytest.mark.parametrize("code", ["LimitExceededException", "ServiceQuotaExceededException"])
def test_a_full_resource_quota_is_not_retried(code, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda _s: None)
    clock = FakeClock()
    fake = FakeConnect(code, 429 if code == "LimitExceededException" else 402, failures=10)
    client, stats = client_answering(fake, RateLimiter(clock=clock, sleep=clock.sleep))
    with pytest.raises(ClientError) as raised:
        client.create_user(**CREATE_USER)
    assert raised.value.response["Error"]["Code"] == code
    assert fake.attempts == 1
    assert stats.as_dict() == {"CreateUser": {"calls": 1, "retries": 0}}


def test_throttling_is_retried_and_every_retry_takes_a_token(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda _s: None)
    clock = FakeClock()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    fake = FakeConnect("ThrottlingException", 429, failures=2)
    client, stats = client_answering(fake, limiter)
    assert client.create_user(**CREATE_USER)["UserId"] == "u-1"
    assert fake.attempts == 3
    assert stats.as_dict() == {"CreateUser": {"calls": 1, "retries": 2}}
    # The burst (4 after the margin) has lost three tokens: one per HTTP attempt.
    assert limiter.bucket("CreateUser").reserve() == 0.0
    assert limiter.bucket("CreateUser").reserve() > 0


def test_the_quota_message_names_the_full_quota_and_its_code():
    message = quota_error_message("CreateUser", "LimitExceededException", "limit reached")
    assert "'Users per instance'" in message
    assert "L-9A46857E" in message
    assert "not retried" in message


def test_the_quota_floor_is_the_slowest_apis_calls_beyond_its_burst_over_its_rate_and_their_sum_serially():
    limiter = RateLimiter({"DescribeUser": {"rate": 5, "burst": 15}, "ListUserProficiencies": {"rate": 2, "burst": 5}})
    floor = quota_floor({"DescribeUser": 115, "ListUserProficiencies": 45, "SearchUsers": 3}, limiter)
    assert floor["by_api"]["DescribeUser"] == {"calls": 115, "seconds": 20.0}
    assert floor["by_api"]["ListUserProficiencies"] == {"calls": 45, "seconds": 20.0}
    assert floor["by_api"]["SearchUsers"]["seconds"] == 0.0  # within its burst
    assert floor["seconds"] == 20.0  # the APIs side by side
    assert floor["serial_seconds"] == 40.0  # one after another
    assert quota_floor({"DescribeUser": 115}, RateLimiter(None, 0))["seconds"] == 0.0  # not paced
