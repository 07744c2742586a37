"""Writes whose answer was lost: settled by reading the target, recorded in the ledger, undone by rollback."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError

from ansible_collections.ccaas.connect.plugins.module_utils._executor import Executor
from ansible_collections.ccaas.connect.plugins.module_utils._ledger import (
    Ledger,
    abandoned_entry,
    read_ledger,
    unconfirmed_intents,
)
from ansible_collections.ccaas.connect.plugins.module_utils._planner import Planner
from ansible_collections.ccaas.connect.plugins.module_utils._reader import Reader
from ansible_collections.ccaas.connect.plugins.module_utils._reconcile import Reconciler
from ansible_collections.ccaas.connect.plugins.module_utils._resources import QUEUES
from ansible_collections.ccaas.connect.plugins.module_utils._rollback import RollbackPlanner
from ansible_collections.ccaas.connect.plugins.module_utils._runner import (
    _intender,
    _recorder,
    confirm_earlier_intents,
)

INSTANCE = "i-1"
OFFICE = {"Name": "Office", "HoursOfOperationId": "h-office", "HoursOfOperationArn": "arn:h-office"}


def error(code: str, status: int) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "x"}, "ResponseMetadata": {"HTTPStatusCode": status}}, "op")


class Attempts:
    """Stands in for AttemptCounter: the fake target says how many times botocore sent a call."""

    def __init__(self) -> None:
        self.count = 0

    def reset(self) -> None:
        self.count = 0


class Target_:
    """A stateful Connect target for queues; `faults[(api, name)]` is a list of what happens per send.

    'lost': applied, then the answer is lost (a 500 after botocore's retries, which met a Duplicate);
    'dropped': not applied, the connection closed; 'throttled': a single-attempt 429, not applied.
    """

    def __init__(self, queues: list[dict[str, Any]] | None = None) -> None:
        self.queues = {q["Name"]: q for q in queues or []}
        self.faults: dict[tuple[str, str], list[str]] = {}
        self.attempts = Attempts()
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.searches: list[Any] = []
        self._serial = 0

    def _fault(self, api: str, name: str) -> str | None:
        queue = self.faults.get((api, name)) or []
        return queue.pop(0) if queue else None

    def search_hours_of_operations(self, **_params: Any) -> dict[str, Any]:
        return {"HoursOfOperations": [OFFICE]}

    def search_queues(self, **params: Any) -> dict[str, Any]:
        self.searches.append(params.get("SearchCriteria"))
        return {"Queues": [dict(q) for q in self.queues.values()]}

    def list_queue_quick_connects(self, **_params: Any) -> dict[str, Any]:
        return {"QuickConnectSummaryList": []}

    def _named(self, queue_id: str) -> dict[str, Any]:
        return next(q for q in self.queues.values() if q["QueueId"] == queue_id)

    def create_queue(self, **params: Any) -> dict[str, Any]:
        self.sent.append(("CreateQueue", params))
        self.attempts.count += 1
        name = params["Name"]
        fault = self._fault("CreateQueue", name)
        if fault in ("dropped", "throttled"):
            raise ConnectionClosedError(endpoint_url="x") if fault == "dropped" else error("ThrottlingException", 429)
        if name in self.queues:
            self.attempts.count += fault == "lost"
            raise error("DuplicateResourceException", 409)
        self._serial += 1
        queue_id = f"q-{self._serial}"
        self.queues[name] = {
            "Name": name,
            "QueueId": queue_id,
            "QueueArn": f"arn:{queue_id}",
            "HoursOfOperationId": params["HoursOfOperationId"],
            "MaxContacts": params.get("MaxContacts"),
            "Status": "ENABLED",
        }
        if fault == "lost":
            # botocore sent it again after the lost answer: the retry met the item the first attempt made.
            self.attempts.count += 1
            raise error("DuplicateResourceException", 409)
        return {"QueueId": queue_id, "QueueArn": f"arn:{queue_id}"}

    def update_queue_status(self, **params: Any) -> dict[str, Any]:
        self.sent.append(("UpdateQueueStatus", params))
        self.attempts.count += 1
        queue = self._named(params["QueueId"])
        queue["Status"] = params["Status"]
        if self._fault("UpdateQueueStatus", queue["Name"]) == "lost":
            raise error("InternalServiceException", 500)
        return {}

    def delete_queue(self, **params: Any) -> dict[str, Any]:
        self.sent.append(("DeleteQueue", params))
        self.attempts.count += 1
        queue = self._named(params["QueueId"])
        fault = self._fault("DeleteQueue", queue["Name"])
        del self.queues[queue["Name"]]
        if fault == "lost":
            self.attempts.count += 1
            raise error("ResourceNotFoundException", 404)
        return {}


def run_import(fake: Target_, items: list[dict[str, Any]], ledger_path: str, resends: int = 6):
    target = Reader(fake, INSTANCE)
    plans = Planner(QUEUES, target).plan(items)
    with Ledger(ledger_path, "20260101T000000Z") as ledger:

        def abandon(plan, call, reason):
            ledger.append(abandoned_entry(QUEUES, plan, call, reason))

        executor = Executor(
            fake,
            workers=2,
            on_change=_recorder(QUEUES, ledger),
            on_intent=_intender(QUEUES, ledger, INSTANCE),
            reconcile=Reconciler(target, lambda _plan: QUEUES, abandon),
            attempts=fake.attempts,
            resends=resends,
            sleep=lambda _s: None,
        )
        report = executor.run(plans)
    entries, problems = read_ledger(ledger_path)
    assert problems == []
    return report, entries


SALES = {"name": "Sales", "hours_of_operation": "Office", "max_contacts": 5}


def test_a_create_applied_whose_answer_was_lost_is_ours_created_in_the_ledger_and_its_next_calls_run(tmp_path):
    fake = Target_()
    fake.faults[("CreateQueue", "Sales")] = ["lost"]
    ledger = str(tmp_path / "ledger-20260101T000000Z.jsonl")
    report, entries = run_import(fake, [{**SALES, "status": "DISABLED"}], ledger)
    [item] = report.items
    assert (item.outcome, item.id) == ("created", "q-1")
    assert item.reconciled and "CreateQueue" in item.reconciled[0]
    assert item.api_calls == ["CreateQueue", "UpdateQueueStatus"]
    assert fake.queues["Sales"]["Status"] == "DISABLED"  # the follow-up after the create still ran
    assert [(e["action"], e["name"], e.get("id")) for e in entries] == [
        ("intent", "Sales", None),
        ("created", "Sales", "q-1"),
    ]
    assert unconfirmed_intents(entries) == []
    # The plan's read pass read every queue; settling the lost answer searched for that one name.
    assert fake.searches[-1] == {
        "AndConditions": [
            {"QueueTypeCondition": "STANDARD"},
            {"StringCondition": {"FieldName": "name", "Value": "Sales", "ComparisonType": "EXACT"}},
        ]
    }


def test_an_item_of_that_name_with_other_state_is_a_conflict_named_and_never_taken_for_ours(tmp_path):
    fake = Target_()
    target = Reader(fake, INSTANCE)
    plans = Planner(QUEUES, target).plan([SALES])
    # Someone else makes a queue of that name between the plan and the create.
    theirs = {"QueueId": "q-theirs", "QueueArn": "arn:q-theirs", "HoursOfOperationId": "h-office", "MaxContacts": 99}
    fake.queues["Sales"] = {"Name": "Sales", **theirs}
    fake.faults[("CreateQueue", "Sales")] = ["lost"]  # two attempts, then a Duplicate: ambiguous
    with Ledger(str(tmp_path / "ledger.jsonl")) as ledger:

        def abandon(plan, call, reason):
            ledger.append(abandoned_entry(QUEUES, plan, call, reason))

        executor = Executor(
            fake,
            on_change=_recorder(QUEUES, ledger),
            on_intent=_intender(QUEUES, ledger, INSTANCE),
            reconcile=Reconciler(target, lambda _plan: QUEUES, abandon),
            attempts=fake.attempts,
            sleep=lambda _s: None,
        )
        [item] = executor.run(plans).items
    assert item.outcome == "failed"
    assert "queue Sales" in item.reason and "conflict" in item.reason and "max_contacts" in item.reason
    entries, _problems = read_ledger(str(tmp_path / "ledger.jsonl"))
    assert [e["action"] for e in entries] == ["intent", "abandoned"]
    assert unconfirmed_intents(entries) == []
    # Rollback leaves another's item alone.
    assert RollbackPlanner(Reader(fake, INSTANCE)).plan(entries) == []


def test_a_create_the_target_shows_was_not_made_fails_naming_it_when_no_resend_is_allowed(tmp_path):
    fake = Target_()
    fake.faults[("CreateQueue", "Sales")] = ["dropped"]
    report, entries = run_import(fake, [SALES], str(tmp_path / "ledger-20260101T000000Z.jsonl"), resends=0)
    [item] = report.items
    assert item.outcome == "failed"
    assert "queue Sales" in item.reason and "not created" in item.reason
    assert "Sales" not in fake.queues
    assert [e["action"] for e in unconfirmed_intents(entries)] == ["intent"]  # rollback reads the target for it


def test_a_create_the_target_shows_was_not_made_is_sent_again_and_created_once(tmp_path):
    fake = Target_()
    fake.faults[("CreateQueue", "Sales")] = ["dropped", "dropped"]
    report, entries = run_import(fake, [SALES], str(tmp_path / "ledger-20260101T000000Z.jsonl"))
    assert report.items[0].outcome == "created"
    assert [api for api, _params in fake.sent].count("CreateQueue") == 3
    assert len(fake.queues) == 1
    assert [e["action"] for e in entries] == ["intent", "created"]


def test_a_single_attempt_duplicate_is_a_conflict_without_reading_the_target(tmp_path):
    fake = Target_()
    target = Reader(fake, INSTANCE)
    plans = Planner(QUEUES, target).plan([SALES])
    fake.queues["Sales"] = {"Name": "Sales", "QueueId": "q-x", "QueueArn": "arn:q-x", "HoursOfOperationId": "h-office"}
    reads: list[str] = []
    reconcile = Reconciler(target, lambda _plan: QUEUES)
    executor = Executor(fake, reconcile=lambda *a: reads.append("read") or reconcile(*a), attempts=fake.attempts)
    [item] = executor.run(plans).items
    assert item.outcome == "failed" and "DuplicateResourceException" in item.reason
    assert reads == []


def test_an_update_applied_whose_answer_was_lost_is_done(tmp_path):
    sales = {"Name": "Sales", "QueueId": "q-s", "QueueArn": "arn:q-s", "HoursOfOperationId": "h-office"}
    fake = Target_([{**sales, "MaxContacts": 5, "Status": "ENABLED"}])
    fake.faults[("UpdateQueueStatus", "Sales")] = ["lost"]
    report, entries = run_import(fake, [{**SALES, "status": "DISABLED"}], str(tmp_path / "l.jsonl"))
    [item] = report.items
    assert item.outcome == "updated" and item.reconciled
    assert [api for api, _params in fake.sent].count("UpdateQueueStatus") == 1  # the target held it: not resent
    assert [e["action"] for e in entries if e["action"] == "updated"] == ["updated"]


def test_rollback_deletes_what_an_unconfirmed_intent_left_and_skips_one_that_made_nothing(tmp_path):
    fake = Target_([{"Name": "Sales", "QueueId": "q-7", "QueueArn": "arn:q-7", "HoursOfOperationId": "h-office"}])
    entries = [
        {"type": "queues", "name": "Sales", "action": "intent", "api": "CreateQueue", "seq": 1},
        {"type": "queues", "name": "Never made", "action": "intent", "api": "CreateQueue", "seq": 2},
    ]
    planner = RollbackPlanner(Reader(fake, INSTANCE))
    plans = planner.plan(entries)
    by_name = {plan.name: plan for plan in plans}
    assert by_name["Sales"].action == "deleted"
    assert planner.undo[by_name["Sales"].key] == ("queues", "delete unconfirmed intent")
    assert by_name["Never made"].action == "unchanged"
    Executor(fake).run(plans)
    assert fake.queues == {}
    assert planner.left_behind(Reader(fake, INSTANCE)) == {}


def test_a_rollback_delete_whose_answer_was_lost_is_done_and_nothing_is_left_behind():
    fake = Target_([{"Name": "Sales", "QueueId": "q-7", "QueueArn": "arn:q-7", "HoursOfOperationId": "h-office"}])
    entries = [{"type": "queues", "name": "Sales", "action": "created", "id": "q-7", "seq": 1}]
    target = Reader(fake, INSTANCE)
    planner = RollbackPlanner(target)
    plans = planner.plan(entries)
    fake.faults[("DeleteQueue", "Sales")] = ["lost"]
    reconcile = Reconciler(target, lambda plan: planner.types.get(plan.key))
    [item] = Executor(fake, reconcile=reconcile, attempts=fake.attempts, sleep=lambda _s: None).run(plans).items
    assert item.outcome == "deleted" and item.reconciled
    assert planner.left_behind(Reader(fake, INSTANCE)) == {}


def test_rollback_names_what_it_meant_to_delete_and_the_target_still_holds():
    fake = Target_([{"Name": "Sales", "QueueId": "q-7", "QueueArn": "arn:q-7", "HoursOfOperationId": "h-office"}])
    planner = RollbackPlanner(Reader(fake, INSTANCE))
    planner.plan([{"type": "queues", "name": "Sales", "action": "created", "id": "q-7", "seq": 1}])
    assert list(planner.left_behind(Reader(fake, INSTANCE))) == ["delete queue Sales"]


def test_a_rerun_confirms_an_earlier_runs_open_intent_so_its_rollback_removes_the_item(tmp_path):
    fake = Target_([{"Name": "Sales", "QueueId": "q-7", "QueueArn": "arn:q-7", "HoursOfOperationId": "h-office"}])
    killed = tmp_path / "ledger-20260101T000000Z.jsonl"
    intent = {"type": "queues", "name": "Sales", "action": "intent", "api": "CreateQueue", "instance": INSTANCE}
    other = {**intent, "name": "Other", "instance": "i-elsewhere"}
    killed.write_text(json.dumps({**intent, "run_id": "20260101T000000Z"}) + "\n" + json.dumps(other) + "\n")
    with Ledger(str(tmp_path / "ledger-20260102T000000Z.jsonl")) as ledger:
        found = confirm_earlier_intents(ledger, QUEUES, Reader(fake, INSTANCE), INSTANCE, {"Sales", "Other"})
    assert found == 1
    entries, _problems = read_ledger(ledger.path)
    assert [(e["action"], e["name"], e["id"], e["confirms"]) for e in entries] == [
        ("created", "Sales", "q-7", "20260101T000000Z")
    ]
    plans = RollbackPlanner(Reader(fake, INSTANCE)).plan(entries)
    assert [(p.action, p.outputs.get("id")) for p in plans] == [("deleted", "q-7")]


@pytest.mark.parametrize("line", ['{"type": "users", "name": "a", "action": "created", "id": "u-1"}'])
def test_a_ledger_written_before_intents_reads_as_before(tmp_path, line):
    path = tmp_path / "old.jsonl"
    path.write_text(line + "\n")
    entries, problems = read_ledger(str(path))
    assert problems == [] and [e["action"] for e in entries] == ["created"]
    assert unconfirmed_intents(entries) == []
