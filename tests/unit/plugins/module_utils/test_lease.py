"""The lease on a target instance: taken with a read-after-write check, renewed, refused, stolen, released."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ansible_collections.ccaas.connect.plugins.module_utils._lease import (
    LEASE_TAG,
    Lease,
    LeaseError,
    acquire,
    check_held,
    read_lease,
    release,
)

ARN = "arn:aws:connect:eu-west-2:123456789012:instance/11111111-2222-3333-4444-555555555555"
T0 = datetime(2026, 12, 1, 10, 0, 0, tzinfo=UTC)


class Tags:
    """An instance's tags as Connect keeps them: last writer wins. `during_settle` runs another writer."""

    def __init__(self) -> None:
        self.tags: dict[str, str] = {}
        self.writes: list[tuple[str, Any]] = []

    def list_tags_for_resource(self, resourceArn: str) -> dict[str, Any]:
        assert resourceArn == ARN
        return {"tags": dict(self.tags)}

    def tag_resource(self, resourceArn: str, tags: dict[str, str]) -> dict[str, Any]:
        self.writes.append(("tag", tags))
        self.tags.update(tags)
        return {}

    def untag_resource(self, resourceArn: str, tagKeys: list[str]) -> dict[str, Any]:
        self.writes.append(("untag", tagKeys))
        for key in tagKeys:
            self.tags.pop(key, None)
        return {}


def take(client: Tags, run_id: str = "R1", token: str = "a", at: datetime = T0, sleep=lambda _s: None, **kw: Any):
    return acquire(client, ARN, run_id, "ops@host1", 3600, token=token, now=lambda: at, sleep=sleep, **kw)


def test_a_free_target_is_leased_with_run_holder_since_and_expiry_in_one_tag():
    client = Tags()
    taken = take(client)
    lease = read_lease(client, ARN)
    assert lease == taken["lease"]
    assert lease.as_dict() == {
        "run_id": "R1",
        "holder": "ops@host1",
        "since": "2026-12-01T10:00:00Z",
        "until": "2026-12-01T11:00:00Z",
    }
    assert client.writes == [("tag", {LEASE_TAG: "R1|ops@host1|2026-12-01T10:00:00Z|2026-12-01T11:00:00Z|a"})]


def test_another_runs_live_lease_stops_the_run_before_it_writes_and_names_the_holder():
    client = Tags()
    take(client, "R1", "a")
    client.writes.clear()
    with pytest.raises(LeaseError) as refused:
        take(client, "R2", "b", at=T0 + timedelta(minutes=5), steal=True)  # steal never takes a live lease
    message = str(refused.value)
    assert "run R1 (holder ops@host1) since 2026-12-01T10:00:00Z, expiring 2026-12-01T11:00:00Z" in message
    assert "nothing was written" in message and "steal_lease=true" in message and "untag-resource" in message
    assert refused.value.holder.run_id == "R1"
    assert client.writes == []


def test_an_expired_lease_is_taken_over_only_with_steal():
    client = Tags()
    take(client, "R1", "a")
    later = T0 + timedelta(hours=2)
    with pytest.raises(LeaseError, match=r"expired but was not released.*-e steal_lease=true"):
        take(client, "R2", "b", at=later)
    taken = take(client, "R2", "b", at=later, steal=True)
    assert taken["stolen"].run_id == "R1"
    assert read_lease(client, ARN).run_id == "R2"


def test_the_same_run_renews_keeping_since_and_two_runs_with_one_run_id_are_told_apart_by_token():
    client = Tags()
    take(client, "R1", "a")
    renewed = take(client, "R1", "a", at=T0 + timedelta(minutes=30))
    assert renewed["renewed"] and renewed["lease"].since == T0
    assert renewed["lease"].until == T0 + timedelta(minutes=90)
    with pytest.raises(LeaseError, match="leased to another run"):
        take(client, "R1", "other-token", at=T0 + timedelta(minutes=31))


def test_of_two_runs_writing_at_once_only_the_last_writer_holds_the_lease():
    client = Tags()

    # R2 read "free" too and writes while R1 waits to re-read: last writer wins, R1 sees R2 and gives up.
    def r2_writes(_seconds: float) -> None:
        client.tag_resource(
            resourceArn=ARN, tags={LEASE_TAG: Lease("R2", "ops@host2", T0, T0 + timedelta(hours=1), "b").encode()}
        )

    with pytest.raises(LeaseError, match="another run took the target's lease at the same moment: run R2"):
        take(client, "R1", "a", sleep=r2_writes)
    assert read_lease(client, ARN).run_id == "R2"  # the loser does not remove the winner's tag


def test_a_take_slower_than_the_settle_time_gives_the_lease_back():
    client = Tags()
    ticks = iter([0.0, 5.0])
    with pytest.raises(LeaseError, match=r"longer than the 2\.0s settle time"):
        take(client, clock=lambda: next(ticks), settle=2.0)
    assert read_lease(client, ARN) is None


def test_release_removes_only_this_runs_lease():
    client = Tags()
    take(client, "R1", "a")
    assert release(client, ARN, "R2", "b") == (False, read_lease(client, ARN))
    assert read_lease(client, ARN).run_id == "R1"
    released, found = release(client, ARN, "R1", "a")
    assert released and found.run_id == "R1"
    assert read_lease(client, ARN) is None
    assert release(client, ARN, "R1", "a") == (False, None)


def test_an_unreadable_lease_value_counts_as_held_and_expired_so_only_steal_takes_it():
    client = Tags()
    client.tags[LEASE_TAG] = "garbage"
    with pytest.raises(LeaseError, match=r"expired but was not released: run garbage "):
        take(client)
    assert take(client, steal=True)["stolen"].run_id == "garbage"


def test_a_value_longer_than_a_tag_value_allows_is_refused_before_any_write():
    client = Tags()
    with pytest.raises(ValueError, match="more than the 256 allowed"):
        acquire(client, ARN, "R1", "x" * 300, 60, now=lambda: T0, sleep=lambda _s: None)
    assert client.writes == []


def test_a_task_checks_its_run_still_holds_the_lease_before_writing_and_stops_once_it_was_taken_over():
    client = Tags()
    take(client, "R1", "a")
    assert check_held(client, ARN, "R1", "a").run_id == "R1"
    with pytest.raises(LeaseError, match="run R1 no longer holds"):
        check_held(client, ARN, "R1", "b")  # another run with the same run id: told apart by its token
    take(client, "R2", "c", at=T0 + timedelta(hours=2), steal=True)  # R1's lease expired and was taken over
    with pytest.raises(LeaseError, match=r"run R1 no longer holds the target's lease \(run R2"):
        check_held(client, ARN, "R1", "a")
    client.tags.clear()
    with pytest.raises(LeaseError, match="nobody holds it"):
        check_held(client, ARN, "R1", "a")
