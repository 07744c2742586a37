"""Report rendering: counts, failures, mappings, API calls, escaping, and a report for a run that died early."""

from __future__ import annotations

import json
import re

from ansible_collections.ccaas.connect.plugins.module_utils._report import (
    duration_text,
    html,
    markdown,
    parse_time,
    render_all,
    summarize,
)

USERS_TASK = {
    "changed": True,
    "failed": True,
    "resource_type": "users",
    "totals": {"created": 2, "updated": 0, "unchanged": 1, "deleted": 0, "failed": 1, "skipped": 0},
    "item_results": [
        {"name": "a", "outcome": "created", "api_calls": ["CreateUser"]},
        {"name": "b", "outcome": "created", "api_calls": ["CreateUser"]},
        {"name": "c", "outcome": "unchanged", "api_calls": []},
        {
            "name": "<script>",
            "outcome": "failed",
            "api_calls": [],
            "reason": "user <script>: routing profile 'R&D' not found",
        },
    ],
    "api_calls": {"SearchUsers": {"calls": 1, "retries": 0}, "CreateUser": {"calls": 2, "retries": 3}},
}
QUEUES_CHUNKS = {  # a registered loop: one result per chunk
    "results": [
        {
            "resource_type": "queues",
            "totals": {"created": 3, "failed": 0},
            "item_results": [],
            "api_calls": {"CreateQueue": {"calls": 3, "retries": 1}},
        },
        {
            "resource_type": "queues",
            "totals": {"created": 2, "failed": 0},
            "item_results": [],
            "api_calls": {"CreateQueue": {"calls": 2, "retries": 0}},
        },
    ]
}
MAPPINGS = {
    "phone_numbers": {
        "mapped": [{"source": "+442071234567", "target": "+442079460000", "how": "phone map"}],
        "unmapped": [{"source": "+15550100", "used_by": ["queue Sales"], "effects": ["reference left out"]}],
    },
    "contact_flows": {"mapped": [{"source": "Transfer", "target": "Transfer", "how": "same name"}], "unmapped": []},
}
RUN = {
    "run_id": "20261125T143000Z",
    "source": "acme-source",
    "target": "acme-target",
    "started_at": "2026-11-25T14:30:00Z",
    "finished_at": "2026-11-25T14:42:05Z",
    "import_results": [USERS_TASK, QUEUES_CHUNKS, {"skipped": True, "changed": False}],
    "preflight": {"api_calls": {"SearchQueues": {"calls": 1, "retries": 0}}},
    "mappings": MAPPINGS,
    "verify": {
        "ok": False,
        "types": {"queues": {"checked": 5, "matched": 4}},
        "differences": [{"type": "queues", "name": "Q1", "field": "max_contacts", "expected": 50, "actual": 99}],
        "missing": [],
        "unresolved": [],
        "api_calls": {"SearchQueues": {"calls": 1, "retries": 0}},
    },
}


def test_counts_sum_every_task_of_a_type_including_the_chunks_of_a_loop():
    model = summarize(RUN)
    assert model["counts"]["queues"]["created"] == 5
    assert model["counts"]["users"] == {
        "created": 2,
        "updated": 0,
        "unchanged": 1,
        "deleted": 0,
        "failed": 1,
        "skipped": 0,
    }
    assert model["totals"]["created"] == 7


def test_api_calls_and_retries_are_summed_per_api_over_import_preflight_and_verify():
    calls = summarize(RUN)["api_calls"]
    assert calls["CreateQueue"] == {"calls": 5, "retries": 1}
    assert calls["CreateUser"] == {"calls": 2, "retries": 3}
    assert calls["SearchQueues"] == {"calls": 2, "retries": 0}


def test_a_failure_a_difference_or_an_error_makes_the_run_failed_and_says_why():
    model = summarize(RUN)
    assert model["status"] == "failed"
    assert model["failures"] == [
        {"type": "users", "name": "<script>", "reason": "user <script>: routing profile 'R&D' not found"}
    ]
    assert "1 item(s) failed" in model["problems"]
    assert "the target differs from the bundle (see Verification)" in model["problems"]
    assert duration_text(model["duration_seconds"]) == "12m 05s"


def test_the_markdown_holds_counts_failures_mappings_unmapped_references_and_api_calls():
    text = markdown(summarize(RUN))
    assert "| users | 2 | 0 | 1 | 0 | 1 | 0 |" in text
    assert "| users | <script> | user <script>: routing profile 'R&D' not found |" in text
    assert "| phone_numbers | +442071234567 | +442079460000 | phone map |" in text
    assert "| phone_numbers | +15550100 | queue Sales | reference left out |" in text
    assert "| CreateUser | 2 | 3 |" in text
    assert "| queues | Q1 | max_contacts | 50 | 99 |" in text
    assert "Duration | 12m 05s" in text


def test_markdown_cells_cannot_break_the_table():
    run = {
        **RUN,
        "import_results": [{**USERS_TASK, "item_results": [{"name": "x|y", "outcome": "failed", "reason": "a\nb"}]}],
    }
    assert "| users | x\\|y | a b |" in markdown(summarize(run))


def test_the_html_is_self_contained_and_escapes_every_value():
    run = {**RUN, "error": "Could not connect to the endpoint URL: https://connect.example/"}
    page = html(summarize(run))
    assert "<script>" not in page
    assert "&lt;script&gt;" in page and "R&amp;D" in page
    assert not re.search(r"https?://", page)
    assert not re.search(r"\b(?:href|src)\s*=|@import|url\(", page)
    assert "<style>" in page


def test_a_run_that_failed_before_importing_still_gets_a_report():
    model, files = render_all({"run_id": "20261125T143000Z", "error": "preflight: 3 blocking problems"})
    assert model["status"] == "failed"
    assert set(files) == {"report-20261125T143000Z.md", "report-20261125T143000Z.html", "run-20261125T143000Z.jsonl"}
    assert "No import task ran." in files["report-20261125T143000Z.md"]
    assert "preflight: 3 blocking problems" in files["report-20261125T143000Z.md"]


def test_the_run_log_is_one_json_object_per_line_from_start_to_finish():
    files = render_all(RUN)[1]
    events = [json.loads(line) for line in files["run-20261125T143000Z.jsonl"].splitlines()]
    assert events[0]["event"] == "run_started" and events[-1]["event"] == "run_finished"
    assert {e["event"] for e in events} >= {"import_task", "item_failed", "mapping", "verify", "difference"}
    assert all(e["run_id"] == "20261125T143000Z" for e in events)
    assert events[-1]["status"] == "failed"


def test_times_are_read_in_the_forms_a_play_has_them():
    assert (
        parse_time("20261125T143000Z") == parse_time("2026-11-25T14:30:00Z") == parse_time("2026-11-25T14:30:00+00:00")
    )
    assert parse_time(1795617000) is not None
    assert parse_time("not a time") is None


def test_an_item_two_tasks_wrote_counts_once_by_its_strongest_outcome():
    created = {
        "resource_type": "queues",
        "item_results": [{"name": "Hub", "outcome": "created"}],
        "totals": {"created": 1},
    }
    associated = {
        "resource_type": "queues",
        "item_results": [{"name": "Hub", "outcome": "updated"}],
        "totals": {"updated": 1},
    }
    counts = summarize({"run_id": "r", "import_results": [created, associated]})["counts"]
    assert counts["queues"]["created"] == 1
    assert counts["queues"]["updated"] == 0


CLEAN_QUEUES = {"resource_type": "queues", "item_results": [{"name": "Hub", "outcome": "created"}], "totals": {}}


def first_lines(text: str, count: int = 8) -> str:
    return "\n".join(text.splitlines()[:count])


def test_a_clean_run_succeeded_and_its_report_says_so_first():
    model, files = render_all({"run_id": "r", "import_results": [CLEAN_QUEUES], "verify": {"ok": True}})
    assert model["status"] == "succeeded" and model["problems"] == [] and model["warnings"] == []
    assert "**Status: succeeded**" in first_lines(files["report-r.md"])


def test_fields_not_carried_or_items_left_out_make_succeeded_with_warnings_naming_them():
    warning = "12 user(s) lose e-mail, secondary e-mail, mobile: exported with user_contact_details=false"
    run = {
        "run_id": "r",
        "import_results": [CLEAN_QUEUES],
        "warnings": [warning],
        "preflight": {"skipped": [{"type": "queues", "name": "Sales", "reason": "unmapped number"}], "blocking": []},
    }
    model, files = render_all(run)
    assert model["status"] == "succeeded with warnings"
    assert model["warnings"] == [warning, "1 item(s) left out (see Items left out)"]
    assert f"- Warning: {warning}" in first_lines(files["report-r.md"])


def test_a_preflight_stop_is_blocked_with_each_blocking_problem_in_the_first_lines():
    blocking = ["phone number +15550100 (used by queue Sales) is not mapped", "Users per instance: 41 of 3"]
    run = {"run_id": "r", "error": "Preflight found 2 blocking problem(s)", "preflight": {"blocking": blocking}}
    model, files = render_all(run)
    assert model["status"] == "blocked"
    assert model["problems"][:2] == blocking
    head = first_lines(files["report-r.md"])
    assert all(f"- Blocking: {b}" in head for b in blocking)
    events = [json.loads(line) for line in files["run-r.jsonl"].splitlines()]
    assert events[1]["event"] == "run_outcome" and events[1]["problems"][:2] == blocking
    assert "Blocking: phone number +15550100" in html(model).split("<h2>", maxsplit=1)[0]


def test_blocking_problems_the_run_went_past_are_not_blocked_but_the_failures_they_caused():
    failed = {
        **CLEAN_QUEUES,
        "item_results": [{"name": "Sales", "outcome": "failed", "reason": "queue Sales: no number"}],
    }
    run = {"run_id": "r", "preflight": {"blocking": ["unmapped"]}, "import_results": [failed]}
    model, files = render_all(run)
    assert model["status"] == "failed"
    assert "- Failed: queue Sales: no number" in first_lines(files["report-r.md"])  # the reason names the item


def test_a_failure_whose_reason_does_not_name_its_item_is_led_by_the_item():
    failed = {**CLEAN_QUEUES, "item_results": [{"name": "Sales", "outcome": "failed", "reason": "CreateQueue: boom"}]}
    _model, files = render_all({"run_id": "r", "import_results": [failed]})
    assert "- Failed: queues Sales: CreateQueue: boom" in first_lines(files["report-r.md"])


def test_a_failed_run_names_its_error_and_failures_first():
    model, files = render_all({"run_id": "r", "error": "could not read phone map /x/map.yml"})
    assert model["status"] == "failed"
    assert "- Problem: could not read phone map /x/map.yml" in first_lines(files["report-r.md"])


def test_a_run_that_started_and_never_ended_reads_interrupted():
    model, files = render_all({"run_id": "r", "state": "started", "import_results": [CLEAN_QUEUES]})
    assert model["status"] == "interrupted"
    assert [json.loads(line)["event"] for line in files["run-r.jsonl"].splitlines()] == ["run_started"]
    assert "**Status: interrupted**" in first_lines(files["report-r.md"])


def test_a_failed_rollback_is_failed():
    rollback = {
        "totals": {"deleted": 3, "failed": 1},
        "item_results": [{"type": "users", "name": "a", "outcome": "failed"}],
    }
    model = summarize({"run_id": "r", "rollback": rollback})
    assert model["status"] == "failed" and "the rollback left items it could not undo" in model["problems"]
    assert model["rollback"]["results"][0]["name"] == "a"


def test_a_rollback_that_disabled_what_connect_cannot_delete_succeeds_with_a_warning_saying_so():
    retired = "agent status 'Lunch': state DISABLED, not deleted (Connect has no delete for it)"
    rollback = {
        "totals": {"updated": 1, "deleted": 3, "failed": 0},
        "item_results": [{"type": "agent_statuses", "name": "Lunch", "undo": "retire", "outcome": "updated"}],
        "retired": [retired],
    }
    model = summarize({"run_id": "r", "rollback": rollback})
    assert model["status"] == "succeeded with warnings"
    assert model["warnings"] == ["1 item(s) disabled, not deleted: Amazon Connect cannot delete them (see Rollback)"]
    assert model["rollback"]["retired"] == [retired]
