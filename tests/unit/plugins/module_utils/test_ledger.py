"""The ledger: whole lines under concurrency, 0600, a create on record before its follow-up calls."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
import threading

from botocore.exceptions import ClientError

from ansible_collections.ccaas.connect.plugins.module_utils._executor import Call, Executor, ItemPlan, Ref
from ansible_collections.ccaas.connect.plugins.module_utils._ledger import (
    Ledger,
    change_entry,
    ledger_entries,
    read_ledger,
    run_id_of,
)
from ansible_collections.ccaas.connect.plugins.module_utils._resources import QUEUES, SECURITY_PROFILES, USERS


def _append_many(path: str, worker: int, count: int) -> None:
    with Ledger(path) as ledger:
        for n in range(count):
            # Long lines make a torn write visible if two appends ever interleaved.
            ledger.append({"type": "users", "name": f"w{worker}-{n}", "action": "created", "pad": "x" * 5000})


def test_threads_and_processes_appending_at_once_leave_only_whole_lines(tmp_path):
    path = str(tmp_path / "ledger-20261125T143000Z.jsonl")
    fork = multiprocessing.get_context("fork")
    processes = [fork.Process(target=_append_many, args=(path, 10 + n, 50)) for n in range(3)]
    threads = [threading.Thread(target=_append_many, args=(path, n, 50)) for n in range(4)]
    for worker in (*processes, *threads):  # fork before any thread exists
        worker.start()
    for worker in (*processes, *threads):
        worker.join()
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    assert len(lines) == 7 * 50
    names = {json.loads(line)["name"] for line in lines}  # every line parses on its own
    assert len(names) == 350
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_each_line_carries_the_time_and_the_run_id_from_the_file_name(tmp_path):
    path = tmp_path / "out" / "ledger-20261125T143000Z.jsonl"
    with Ledger(str(path)) as ledger:
        ledger.append({"type": "queues", "name": "Sales", "action": "created"})
    [entry] = read_ledger(str(path))[0]
    assert entry["run_id"] == "20261125T143000Z"
    assert entry["time"].endswith("Z")
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert run_id_of("/x/ledger.jsonl") is None


def test_a_torn_last_line_from_a_killed_process_is_skipped_and_named(tmp_path):
    path = tmp_path / "ledger.jsonl"
    path.write_text('{"type": "users", "name": "a", "action": "created"}\n{"type": "users", "na')
    entries, problems = read_ledger(str(path))
    assert [e["name"] for e in entries] == ["a"]
    assert problems == ["line 2: not a whole JSON record, skipped"]


def created_queue() -> ItemPlan:
    create = Call("CreateQueue", {"Name": "Sales"}, produces={"id": "QueueId", "arn": "QueueArn"})
    status = Call("UpdateQueueStatus", {"QueueId": Ref("queue Sales", "id"), "Status": "DISABLED"})
    diff = {"before": {}, "after": {"name": "Sales", "status": "DISABLED"}}
    return ItemPlan("queue Sales", "Sales", "created", [create, status], diff)


class Connect:
    def __init__(self, fail: str | None = None) -> None:
        self.fail = fail

    def __getattr__(self, method: str):
        def call(**_params):
            if method == self.fail:
                raise ClientError({"Error": {"Code": "InternalServiceException", "Message": "boom"}}, method)
            return {"QueueId": "q-1", "QueueArn": "arn:q-1"}

        return call


def test_a_create_is_on_record_even_when_its_follow_up_call_fails(tmp_path):
    path = str(tmp_path / "ledger.jsonl")
    with Ledger(path) as ledger:

        def record(plan, call, outputs):
            entry = change_entry(QUEUES, plan, call, outputs)
            if entry:
                ledger.append(entry)

        report = Executor(Connect(fail="update_queue_status"), on_change=record).run([created_queue()])
    assert report.items[0].outcome == "failed"
    [entry] = read_ledger(path)[0]
    assert (entry["action"], entry["id"], entry["arn"], entry["api"]) == ("created", "q-1", "arn:q-1", "CreateQueue")
    assert entry["after"] == {"name": "Sales", "status": "DISABLED"}


def test_an_update_records_only_the_fields_its_call_writes_in_the_bundles_words():
    diff = {
        "before": {"routing_profile": "Old RP", "tags": {"BU": "Sales"}},
        "after": {"routing_profile": "New RP", "tags": {"BU": "Support"}},
    }
    plan = ItemPlan("user jdoe", "jdoe", "updated", [], diff, {"id": "u-1", "arn": "arn:u-1"})
    entry = change_entry(USERS, plan, Call("UpdateUserRoutingProfile", {}), plan.outputs)
    assert entry is not None
    assert (entry["type"], entry["name"], entry["action"], entry["id"]) == ("users", "jdoe", "updated", "u-1")
    assert (entry["before"], entry["after"]) == ({"routing_profile": "Old RP"}, {"routing_profile": "New RP"})
    tagged = change_entry(USERS, plan, Call("TagResource", {}), plan.outputs)
    assert tagged is not None and tagged["action"] == "tagged" and tagged["before"] == {"tags": {"BU": "Sales"}}


def test_association_calls_are_recorded_with_the_whole_list_before_and_after():
    diff = {"before": {"quick_connects": ["A"]}, "after": {"quick_connects": ["A", "B"]}}
    plan = ItemPlan("queue Hub", "Hub", "updated", [], diff, {"id": "q", "arn": "arn:q"})
    entry = change_entry(QUEUES, plan, Call("AssociateQueueQuickConnects", {}), plan.outputs)
    assert entry is not None and entry["action"] == "associated"
    assert entry["before"] == {"quick_connects": ["A"]}


def test_a_security_profiles_permissions_ride_on_its_update_call():
    diff = {"before": {"permissions": ["A"]}, "after": {"permissions": ["A", "B"]}}
    plan = ItemPlan("security profile S", "S", "updated", [], diff, {"id": "s", "arn": "arn:s"})
    entry = change_entry(SECURITY_PROFILES, plan, Call("UpdateSecurityProfile", {}), plan.outputs)
    assert entry is not None and entry["before"] == {"permissions": ["A"]}


def test_no_password_reaches_the_ledger_of_a_created_user(tmp_path):
    create = Call("CreateUser", {"Username": "a", "Password": "Secret123x"}, produces={"id": "UserId"})
    plan = ItemPlan("user a", "a", "created", [create], {"before": {}, "after": {"username": "a"}})
    entry = change_entry(USERS, plan, create, {"id": "u-1"})
    assert "Secret123x" not in json.dumps(entry)


def test_pointing_a_number_at_a_flow_is_recorded_with_the_flow_it_had_so_a_rollback_can_put_it_back():
    from ansible_collections.ccaas.connect.plugins.module_utils._executor import Call, ItemPlan
    from ansible_collections.ccaas.connect.plugins.module_utils._ledger import change_entry
    from ansible_collections.ccaas.connect.plugins.module_utils._resources import PHONE_NUMBERS

    call = Call("AssociatePhoneNumberContactFlow", {"PhoneNumberId": "pn-1", "ContactFlowId": "cf-1"})
    diff = {"before": {"contact_flow": None}, "after": {"contact_flow": "Main IVR"}}
    plan = ItemPlan("phone number +442079460631", "+442079460631", "updated", [call], diff)
    entry = change_entry(PHONE_NUMBERS, plan, call, {"id": "pn-1"})
    assert entry is not None
    assert (entry["action"], entry["before"], entry["after"]) == (
        "associated",
        {"contact_flow": None},
        {"contact_flow": "Main IVR"},
    )


def test_a_ledger_read_again_is_read_from_where_it_ended_whole_lines_only(tmp_path):
    path = tmp_path / "ledger-run1.jsonl"
    first = {"type": "users", "name": "agent0", "action": "intent"}
    path.write_text(json.dumps(first) + "\n")
    assert [e["name"] for e in ledger_entries(str(path))] == ["agent0"]
    with path.open("a") as handle:  # a line being written: not read yet
        handle.write(json.dumps({"type": "users", "name": "agent0", "action": "created"}) + "\n")
        handle.write('{"type": "users", "name": "agent1", "act')
    assert [(e["name"], e["action"], e["seq"]) for e in ledger_entries(str(path))] == [
        ("agent0", "intent", 1),
        ("agent0", "created", 2),
    ]
    with path.open("a") as handle:
        handle.write('ion": "intent"}\nnot json\n')
    assert [(e["name"], e["action"], e["seq"]) for e in ledger_entries(str(path))][2:] == [("agent1", "intent", 3)]
    assert ledger_entries(str(path)) == read_ledger(str(path))[0]
    # Another file in its place is read afresh.
    replaced = tmp_path / "new.jsonl"
    replaced.write_text(json.dumps({"type": "queues", "name": "Q1", "action": "intent"}) + "\n")
    replaced.replace(path)
    assert [e["name"] for e in ledger_entries(str(path))] == ["Q1"]
