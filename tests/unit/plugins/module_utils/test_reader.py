"""The one instance reader: each type read once, indexed by identity, ID and ARN; views that keep additions."""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest
from botocore.exceptions import ClientError
from fake_connect import FakeConnect

from ansible_collections.ccaas.connect.plugins.module_utils._reader import PhaseSnapshot, Reader
from ansible_collections.ccaas.connect.plugins.module_utils._resources import RESOURCE_TYPES

QUEUES = [
    {"Name": "Sales", "QueueId": "q-sales", "QueueArn": "arn:q-sales"},
    {"Name": None, "QueueId": "q-agent", "QueueArn": "arn:q-agent"},  # an AGENT queue: no name, not an item
    {"Name": "Support", "QueueId": "q-support", "QueueArn": "arn:q-support"},
]
QUICK_CONNECTS = [
    {"Name": "Twice", "QuickConnectId": "qc-1", "QuickConnectARN": "arn:qc-1"},
    {"Name": "Twice", "QuickConnectId": "qc-2", "QuickConnectARN": "arn:qc-2"},
]


def reader(**options) -> tuple[Reader, FakeConnect]:
    client = FakeConnect({"queues": QUEUES, "quick_connects": QUICK_CONNECTS}, levels=["Region", "Site"])
    return Reader(client, "inst", **options), client


def test_a_type_is_read_once_and_found_by_identity_id_and_arn():
    instance, client = reader()
    assert instance.id_of("queues", "Sales") == "q-sales"
    assert instance.id_of("queues", "arn:q-support") == "q-support"
    assert instance.name_of("queues", "q-sales") == "Sales"
    assert instance.by_ref("queues", "arn:q-sales")["Name"] == "Sales"
    assert instance.by_ref("queues", "Sales") is None  # an identity is not an ID
    assert instance.id_of("queues", "Nowhere") is None
    assert instance.name_of("queues", "q-elsewhere") == "q-elsewhere"  # not ours: left as given
    assert client.reads == ["search_queues"]


def test_an_item_without_identity_is_not_indexed():
    instance, _client = reader()
    assert set(instance.records("queues")) == {"Sales", "Support"}
    assert instance.by_ref("queues", "q-agent") is None


def test_two_items_of_one_identity_are_both_listed_and_both_found_by_id():
    instance, _client = reader()
    assert [r["Id"] for r in instance.listed("quick_connects")] == ["qc-1", "qc-2"]
    assert instance.by_ref("quick_connects", "qc-1")["Id"] == "qc-1"
    assert instance.records("quick_connects")["Twice"]["Id"] == "qc-2"


def test_an_overlay_reads_through_its_base_and_keeps_what_is_assumed_to_itself():
    base, client = reader()
    view = base.overlay()
    view.assume("queues", "Planned")
    assert view.id_of("queues", "Planned") == "(created by an earlier task) Planned"
    assert base.id_of("queues", "Planned") is None
    other = base.overlay()
    assert "Planned" not in other.records("queues")
    assert client.reads == ["search_queues"]
    assert base.has_read("queues") and not base.has_read("users")


def test_a_reread_reads_only_that_type_again():
    instance, client = reader()
    instance.records("queues")
    instance.records("quick_connects")
    fresh = instance.reread("queues")
    fresh.records("queues")
    fresh.records("quick_connects")
    assert client.reads == ["search_queues", "search_quick_connects", "search_queues"]


def test_per_item_lists_are_kept_only_when_asked():
    sub = RESOURCE_TYPES["queues"].sublists[0]
    for keep, reads in ((False, 2), (True, 1)):
        client = FakeConnect({}, lists={"list_queue_quick_connects": ("QuickConnectSummaryList", [{"Id": "qc-1"}])})
        instance = Reader(client, "inst", keep_lists=keep)
        assert instance.sublist(sub, "q-sales") == instance.sublist(sub, "q-sales") == [{"Id": "qc-1"}]
        assert len(client.reads) == reads


def test_the_hierarchy_levels_in_use_first_level_first():
    instance, _client = reader()
    assert instance.hierarchy_levels() == ["Region", "Site"]


def test_read_with_replaces_a_types_fixed_request_members_before_its_first_read():
    instance, _client = reader()
    instance.read_with("queues", {})
    instance.records("queues")
    try:
        instance.read_with("queues", {})
    except ValueError as exc:
        assert "read already" in str(exc)
    else:
        raise AssertionError("read_with after the read must refuse")


class SlowLists:
    """DescribeUser and ListUserProficiencies answers, each call held until the other API is in flight too
    (or two seconds have passed): a reader that sends them one API after another never sees both at once."""

    def __init__(self, fail: str | None = None) -> None:
        self.fail = fail
        self.calls: list[str] = []
        self.in_flight: set[str] = set()
        self.together = threading.Event()
        self.lock = threading.Lock()

    def _call(self, api: str, item: str) -> None:
        with self.lock:
            self.calls.append(api)
            self.in_flight.add(api)
            if len(self.in_flight) == 2:
                self.together.set()
        self.together.wait(2)
        with self.lock:
            self.in_flight.discard(api)
        if item == self.fail:
            raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, api)

    def describe_user(self, InstanceId: str, UserId: str) -> dict[str, Any]:
        self._call("DescribeUser", UserId)
        return {"User": {"Id": UserId}}

    def list_user_proficiencies(self, InstanceId: str, UserId: str, MaxResults: int) -> dict[str, Any]:
        self._call("ListUserProficiencies", UserId)
        return {"UserProficiencyList": [{"AttributeName": "Language", "AttributeValue": UserId}]}


USER = RESOURCE_TYPES["users"]


def test_reads_sent_ahead_run_each_api_in_its_own_lane_side_by_side_and_are_taken_once():
    client = SlowLists()
    instance = Reader(client, "inst")
    ids = [f"u-{n}" for n in range(20)]
    instance.prefetch(USER, ids, describe=USER.write.describe)  # every DescribeUser is queued first
    instance.prefetch(USER, ids, sublists=USER.sublists)
    assert [instance.describe(USER, rid)["Id"] for rid in ids] == ids
    assert [instance.sublist(USER.sublists[0], rid)[0]["AttributeValue"] for rid in ids] == ids
    assert client.together.is_set()  # the two APIs were read at once, not one after the other
    assert client.calls.count("DescribeUser") == client.calls.count("ListUserProficiencies") == 20
    instance.describe(USER, "u-0")  # an answer is taken once: asked again, the item is read again
    assert client.calls.count("DescribeUser") == 21


def test_a_read_sent_ahead_that_failed_raises_its_error_to_whoever_takes_it():
    client = SlowLists(fail="u-1")
    client.together.set()
    instance = Reader(client, "inst")
    instance.prefetch(USER, ["u-0", "u-1"], sublists=USER.sublists)
    assert instance.sublist(USER.sublists[0], "u-0")
    with pytest.raises(ClientError, match="AccessDenied"):
        instance.sublist(USER.sublists[0], "u-1")


def test_a_phase_snapshot_is_read_once_and_reused_by_the_phases_later_tasks_only(tmp_path):
    bundle = tmp_path / "mapped.json"
    bundle.write_text("{}")
    path = str(tmp_path / "snapshot-users.json")
    first, _client = reader()
    first.records("queues")
    assert PhaseSnapshot(path, "users", str(bundle)).save(first) is None
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"

    later, later_client = reader()
    assert PhaseSnapshot(path, "users", str(bundle)).load(later) is None
    assert later.id_of("queues", "Sales") == "q-sales" and later.name_of("queues", "arn:q-support") == "Support"
    assert later.by_ref("queues", "q-agent") is None  # indexed as a read indexes it
    later.records("quick_connects")  # a type the snapshot lacks is read
    assert later_client.reads == ["search_quick_connects"]

    for other in (
        PhaseSnapshot(path, "queues", str(bundle)),
        PhaseSnapshot(str(tmp_path / "none.json"), "users", str(bundle)),
    ):
        fresh, fresh_client = reader()
        assert other.load(fresh) is None
        fresh.records("queues")
        assert fresh_client.reads == ["search_queues"]  # another phase's, or none: the target is read
    bundle.write_text('{"changed": true}')  # the preflight mapped the bundle again
    os.utime(bundle, ns=(1, 1))
    fresh, fresh_client = reader()
    PhaseSnapshot(path, "users", str(bundle)).load(fresh)
    fresh.records("queues")
    assert fresh_client.reads == ["search_queues"]


def test_an_unreadable_phase_snapshot_is_read_around_and_said(tmp_path):
    path = tmp_path / "snapshot.json"
    path.write_text('{"torn')
    fresh, client = reader()
    problem = PhaseSnapshot(str(path), "users", str(tmp_path / "mapped.json")).load(fresh)
    assert "unreadable" in problem and str(path) in problem
    fresh.records("queues")
    assert client.reads == ["search_queues"]


def test_the_preflights_per_item_reads_are_given_to_a_later_task_once_and_only_for_the_types_it_takes(tmp_path):
    users, queues = RESOURCE_TYPES["users"], RESOURCE_TYPES["queues"]
    sub = queues.sublists[0]
    bundle = tmp_path / "mapped.json"
    bundle.write_text("{}")
    lists = {
        "list_queue_quick_connects": ("QuickConnectSummaryList", [{"Id": "qc-1"}]),
        "describe_user": ("User", {"Id": "u-1", "IdentityInfo": {"Email": "agent@example.com"}}),
    }
    preflight = Reader(FakeConnect({"queues": QUEUES}, lists=lists), "inst", keep_item_reads=True)
    view = preflight.overlay()  # a preflight phase reads through a view: the reads are kept by the reader under it
    view.records("queues")
    assert view.describe(users, "u-1")["IdentityInfo"]["Email"] == "agent@example.com"
    view.sublist(sub, "q-sales")
    view.sublist(sub, "q-support")
    kept = PhaseSnapshot(str(tmp_path / "snapshot-preflight.json"), PhaseSnapshot.PREFLIGHT, str(bundle))
    assert kept.save(preflight) is None

    client = FakeConnect({"queues": QUEUES}, lists=lists)
    first = Reader(client, "inst")
    assert kept.load(first, types=["queues"]) is None
    first.prefetch(queues, ["q-sales", "q-support"], sublists=[sub])  # answered already: nothing is sent
    assert first.overlay().sublist(sub, "q-sales") == [{"Id": "qc-1"}]
    assert first.id_of("queues", "Support") == "q-support"
    assert client.reads == []
    first.describe(users, "u-1")  # users were not taken: read
    first.sublist(sub, "q-sales")  # an answer is taken once
    assert client.reads == ["describe_user", "list_queue_quick_connects"]

    # What the first task did not take goes on, with the types, to the phase's later tasks.
    phase = PhaseSnapshot(str(tmp_path / "snapshot-queues.json"), "queues", str(bundle))
    assert phase.save(first) is None
    later_client = FakeConnect({}, lists=lists)
    later = Reader(later_client, "inst")
    assert phase.load(later) is None
    assert later.sublist(sub, "q-support") == [{"Id": "qc-1"}] and later.id_of("queues", "Sales") == "q-sales"
    assert later_client.reads == []


def test_phases_of_one_task_load_the_preflights_read_once_each_type_going_to_one_reader_only(tmp_path):
    users = RESOURCE_TYPES["users"]
    bundle = tmp_path / "mapped.json"
    bundle.write_text("{}")
    lists = {"describe_user": ("User", {"Id": "u-1", "IdentityInfo": {"Email": "agent@example.com"}})}
    agents = [{"Username": "agent", "Id": "u-1", "Arn": "arn:u-1"}]
    preflight = Reader(FakeConnect({"queues": QUEUES, "users": agents}, lists=lists), "inst", keep_item_reads=True)
    preflight.records("queues")
    preflight.records("users")
    preflight.describe(users, "u-1")
    kept = PhaseSnapshot(str(tmp_path / "snapshot-preflight.json"), PhaseSnapshot.PREFLIGHT, str(bundle))
    assert kept.save(preflight) is None

    # The queues phase and then the users phase of one task (one process): each takes its own type.
    queues_client, users_client = FakeConnect({"queues": QUEUES}, lists=lists), FakeConnect({}, lists=lists)
    queues_phase, users_phase = Reader(queues_client, "inst"), Reader(users_client, "inst")
    assert kept.load(queues_phase, types=["queues"]) is None
    assert kept.load(users_phase, types=["users"]) is None
    assert queues_phase.id_of("queues", "Sales") == "q-sales" and queues_client.reads == []
    assert users_phase.describe(users, "u-1")["IdentityInfo"]["Email"] == "agent@example.com"
    assert users_client.reads == []
    # A type is given once per process: a second reader of it reads the target, sharing no record.
    again_client = FakeConnect({"queues": QUEUES}, lists=lists)
    again = Reader(again_client, "inst")
    assert kept.load(again, types=["queues", "users"]) is None
    again.records("queues")
    again.describe(users, "u-1")
    assert again_client.reads == ["search_queues", "describe_user"]
    # The file rewritten (another preflight) is parsed afresh.
    assert kept.save(preflight) is None
    fresh = Reader(FakeConnect({}, lists=lists), "inst")
    assert kept.load(fresh, types=["queues"]) is None and fresh.id_of("queues", "Support") == "q-support"


def test_a_describe_that_is_part_of_a_types_list_is_read_afresh_never_taken_from_what_was_given():
    views = RESOURCE_TYPES["views"]
    listed = {"Id": "v-1", "Arn": "arn:v-1", "Name": "Desk"}
    client = FakeConnect({"views": [listed]}, lists={"describe_view": ("View", {**listed, "Status": "PUBLISHED"})})
    target = Reader(client, "inst")
    target.give_item_reads(
        [["views", ["describe", views.describe.api, "v-1"], {**listed, "Status": "SAVED"}]], ["views"]
    )
    assert target.records("views")["Desk"]["Status"] == "PUBLISHED"
    assert client.reads == ["list_views", "describe_view"] and target.given_taken() == {}


def test_a_read_that_cannot_be_kept_is_said_and_one_loaded_without_lists_gives_only_the_per_item_reads(tmp_path):
    bundle = tmp_path / "mapped.json"
    bundle.write_text("{}")
    sub = RESOURCE_TYPES["queues"].sublists[0]
    lists = {"list_queue_quick_connects": ("QuickConnectSummaryList", [{"Id": "qc-1"}])}
    first = Reader(FakeConnect({"queues": QUEUES}, lists=lists), "inst", keep_item_reads=True)
    first.records("queues")
    first.sublist(sub, "q-sales")
    missing = str(tmp_path / "no-such-directory" / "snapshot.json")
    problem = PhaseSnapshot(missing, PhaseSnapshot.PREFLIGHT, str(bundle)).save(first)
    assert problem and missing in problem and "the next task reads it again" in problem

    path = str(tmp_path / "snapshot-preflight.json")
    assert PhaseSnapshot(path, PhaseSnapshot.PREFLIGHT, str(bundle)).save(first) is None
    client = FakeConnect({"queues": QUEUES}, lists=lists)
    verifying = Reader(client, "inst")
    assert PhaseSnapshot(path, PhaseSnapshot.PREFLIGHT, str(bundle)).load(verifying, lists=False) is None
    verifying.records("queues")  # the list is read afresh
    assert verifying.sublist(sub, "q-sales") == [{"Id": "qc-1"}]  # the per-item read is the kept one
    assert client.reads == ["search_queues"] and verifying.given_taken() == {"queues": 1}
