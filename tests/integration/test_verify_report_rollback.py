"""A run's aftermath through ansible-playbook: verify the target, report the run, roll it back."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path
from typing import Any

import pytest

from .conftest import run_playbook
from .test_import_bundle import as_bundle, bundle, writes

pytestmark = pytest.mark.integration

RUN = "tests/integration/playbooks/import_verify_report.yml"
RUN_ID = re.compile(r"\d{8}T\d{6}Z")


def export(emulator, tgt, output: Path) -> dict[str, Any]:
    """The target as the export sees it, without the time of the export."""
    done = run_playbook(
        "playbooks/export.yml",
        # Unpaced: the emulator is unthrottled, and every user is described (200 at 2/s would be 100 s).
        {"source": tgt["alias"], "source_region": tgt["region"], "output_dir": str(output), "api_rate_factor": 0},
        emulator.env(tgt["region"]),
    )
    assert done.returncode == 0, json.dumps(done.output)[-3000:]
    [path] = output.glob("bundle-*.json")
    exported = json.loads(path.read_text())
    exported.pop("exported_at")
    return portable(exported)


def portable(exported: dict[str, Any]) -> dict[str, Any]:
    """An export in words that do not depend on the IDs Connect gave (two seeds of the same demo compare
    equal): each flow's and module's content with its references named by type and name instead of ARN and
    ID, the instance's ARN and the place its prompts' audio was written to left out."""
    exported.get("source", {}).pop("instance_arn", None)
    resources = exported.get("resources", exported)
    for prompt in resources.get("prompts", []):
        prompt.pop("file", None)
    for key in ("contact_flows", "contact_flow_modules"):
        for item in resources.get(key, []):
            names = {}
            for ref in item.get("references", []):
                names[ref["arn"]] = names[ref["arn"].rsplit("/", 1)[-1]] = f"<{ref['type']}:{ref['name']}>"
            text = item.get("content", "")
            if names:
                # One pass, longest first: a name put in is never read again (a Lex alias's name holds its ID).
                words = re.compile("|".join(re.escape(found) for found in sorted(names, key=len, reverse=True)))
                text = words.sub(lambda m, names=names: names[m.group(0)], text)
            item["content"] = text
            named = {(r["type"], r["name"]) for r in item.get("references", [])}
            item["references"] = [{"type": kind, "name": name} for kind, name in sorted(named)]
    return exported


def retired_after_rollback(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The agent statuses `after` holds that `before` did not, by name, once all else is proven equal.

    Connect cannot delete an agent status, so a rollback disables the ones its run created: they are the
    only difference a rollback may leave. `before` and `after` are two exports, or their resources; the
    statuses `before` had must be as they were, and everything else identical.
    """

    def split(doc: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        resources = doc.get("resources", doc)
        statuses = {s["name"]: s for s in resources.get("agent_statuses", [])}
        rest = {k: v for k, v in resources.items() if k != "agent_statuses"}
        return ({**doc, "resources": rest} if "resources" in doc else rest), statuses

    (before_rest, old), (after_rest, new) = split(before), split(after)
    assert after_rest == before_rest
    assert {name: new.get(name) for name in old} == old
    return {name: status for name, status in new.items() if name not in old}


def import_run(emulator, tgt, output: Path, users: int = 20, data: dict[str, Any] | None = None):
    extra = {
        "bundle": as_bundle(data or bundle(users=users)),
        "instance": tgt["alias"],
        "region": tgt["region"],
        "output_dir": str(output),
        "password_file": str(output / "passwords.json"),
    }
    return run_playbook(RUN, extra, emulator.env(tgt["region"]))


def rollback(emulator, tgt, ledger: Path | str, *args: str):
    extra = {"ledger": str(ledger), "target": tgt["alias"], "target_region": tgt["region"], "api_rate_factor": 0}
    return run_playbook("playbooks/rollback.yml", extra, emulator.env(tgt["region"]), *args)


def only(run_, task: str) -> dict[str, Any]:
    """The one result of a task, named with or without its role's prefix."""
    found = [
        host
        for play in run_.output.get("plays", [])
        for t in play["tasks"]
        if t["task"]["name"] == task or t["task"]["name"].endswith(f" : {task}")
        for host in t["hosts"].values()
    ]
    assert len(found) == 1, f"{len(found)} results for task {task!r}"
    return found[0]


UNDO = "Undo the run in reverse order (restore what existed, then delete what it created)"
VERIFY = "Keep the verification for the report"


def test_rollback_returns_the_target_to_its_state_before_the_run(target, tmp_path):
    emulator, tgt = target
    # A queue the target had before the run, which the run moves to hours it creates and retags: the
    # rollback must put it back before it can delete those hours.
    client = emulator.client(tgt["region"])
    hours = client.list_hours_of_operations(InstanceId=tgt["instance_id"])["HoursOfOperationSummaryList"]
    [basic] = [h["Id"] for h in hours if h["Name"] == "Basic Hours"]
    client.create_queue(
        InstanceId=tgt["instance_id"], Name="Q03", HoursOfOperationId=basic, MaxContacts=5, Tags={"BU": "Old"}
    )
    before = export(emulator, tgt, tmp_path / "before")

    done = import_run(emulator, tgt, tmp_path / "run")
    assert done.returncode == 0, json.dumps(done.output)[-3000:]
    assert only(done, VERIFY)["ansible_facts"]["ccaas_verify"]["ok"] is True
    [ledger] = (tmp_path / "run").glob("ledger-*.jsonl")
    entries = [json.loads(line) for line in ledger.read_text().splitlines()]
    assert sum(e["action"] == "created" for e in entries) == 20 + 30 + 60 + 1 + 1 + 2 + 1 + 2  # users ... statuses
    changed = {(e["name"], e["action"]): e["before"] for e in entries if e["type"] == "queues" and e["name"] == "Q03"}
    assert changed == {
        ("Q03", "updated"): {"hours_of_operation": "Basic Hours"},
        ("Q03", "tagged"): {"tags": {"BU": "Old"}},
    }
    assert not any("Passw" in json.dumps(e) for e in entries)

    # A run split in two (an interrupted run and its resume) rolls back as one: its ledgers, oldest first.
    lines = ledger.read_text().splitlines(keepends=True)
    halves = [tmp_path / "run" / "ledger-20261125T100000Z.jsonl", tmp_path / "run" / "ledger-20261125T110000Z.jsonl"]
    halves[0].write_text("".join(lines[: len(lines) // 2]))
    halves[1].write_text("".join(lines[len(lines) // 2 :]))
    emulator.reset_stats()
    dry = rollback(emulator, tgt, ",".join(map(str, halves)), "--check")
    assert dry.returncode == 0, json.dumps(dry.output)[-3000:]
    assert writes(emulator) == {}
    planned = only(dry, UNDO)
    # Connect cannot delete an agent status: the two the run created are retired (disabled) instead.
    assert planned["totals"]["deleted"] == len([e for e in entries if e["action"] == "created"]) - 2
    restored = {(r["type"], r["name"], r["undo"]) for r in planned["item_results"] if r["outcome"] == "updated"}
    assert restored == {
        ("queues", "Q03", "restore"),
        ("user_hierarchy", "levels", "restore levels"),
        ("agent_statuses", "Lunch", "retire"),  # Project Work was created disabled: nothing to do
    }

    undone = rollback(emulator, tgt, ledger)
    assert undone.returncode == 0, json.dumps(undone.output)[-3000:]
    result = only(undone, UNDO)
    assert result["totals"]["failed"] == 0
    assert sorted(result["retired"]) == [
        "agent status 'Lunch': state DISABLED, not deleted (Connect has no delete for it)",
        "agent status 'Project Work': state DISABLED, not deleted (Connect has no delete for it)",
    ]
    [report] = [p for p in (tmp_path / "run").glob("report-*.md") if f"rollback of {ledger}" in p.read_text()]
    assert "**Status: succeeded with warnings**" in report.read_text()
    assert "2 item(s) disabled, not deleted: Amazon Connect cannot delete them" in report.read_text()
    after = export(emulator, tgt, tmp_path / "after")
    # Identical but for the statuses, which are there, disabled, as the run created them otherwise.
    lunch, project_work = bundle()["agent_statuses"][1:]
    assert retired_after_rollback(before, after) == {
        "Lunch": {**lunch, "state": "DISABLED", "tags": {}},
        "Project Work": project_work,
    }

    emulator.reset_stats()
    again = rollback(emulator, tgt, ledger)
    assert again.returncode == 0
    assert only(again, UNDO)["changed"] is False
    assert writes(emulator) == {}


def test_the_report_files_carry_the_run_time_are_private_and_hold_counts_mappings_and_calls(target, tmp_path):
    emulator, tgt = target
    output = tmp_path / "run"
    done = import_run(emulator, tgt, output, users=20)
    assert done.returncode == 0, json.dumps(done.output)[-3000:]
    report = only(done, "Keep where the report is")["ansible_facts"]["ccaas_report"]
    run_id = RUN_ID.search(Path(report["markdown"]).name).group(0)
    names = {p.name for p in output.iterdir()}
    assert {f"report-{run_id}.md", f"report-{run_id}.html", f"run-{run_id}.jsonl", f"ledger-{run_id}.jsonl"} <= names
    for name in (f"report-{run_id}.md", f"report-{run_id}.html", f"run-{run_id}.jsonl", f"ledger-{run_id}.jsonl"):
        assert stat.S_IMODE((output / name).stat().st_mode) == 0o600, name
    text = (output / f"report-{run_id}.md").read_text()
    assert "| users | 20 | 0 | 0 | 0 | 0 | 0 |" in text
    assert "| quick_connects | 60 |" in text
    assert re.search(r"\| CreateUser \| 20 \| 0 \|", text)
    assert "Verification: passed" in text
    page = (output / f"report-{run_id}.html").read_text()
    assert not re.search(r"https?://", page)
    assert "<h2>Items per type and outcome</h2>" in page
    events = [json.loads(line) for line in (output / f"run-{run_id}.jsonl").read_text().splitlines()]
    assert events[-1]["event"] == "run_finished" and events[-1]["status"] == "succeeded"


def test_verify_fails_naming_the_field_changed_in_the_target_after_the_import(target, tmp_path):
    emulator, tgt = target
    data = bundle(users=3)
    data["queues"][7]["max_contacts"] = 10
    done = import_run(emulator, tgt, tmp_path / "run", data=data)
    assert done.returncode == 0, json.dumps(done.output)[-3000:]

    client = emulator.client(tgt["region"])
    [queue] = [
        q for q in client.list_queues(InstanceId=tgt["instance_id"])["QueueSummaryList"] if q.get("Name") == "Q07"
    ]
    client.update_queue_max_contacts(InstanceId=tgt["instance_id"], QueueId=queue["Id"], MaxContacts=99)

    bundle_file = tmp_path / "bundle.json"
    bundle_file.write_text(json.dumps(as_bundle(data)))
    extra = {"bundle": str(bundle_file), "target": tgt["alias"], "target_region": tgt["region"], "api_rate_factor": 0}
    verified = run_playbook("playbooks/verify.yml", extra, emulator.env(tgt["region"]))
    assert verified.returncode != 0, json.dumps(verified.output)[-3000:]
    failed = only(verified, "Fail when the target differs from the bundle")
    assert "queue Q07: max_contacts is 99 in the target, the bundle says 10" in failed["msg"]
    found = only(verified, VERIFY)["ansible_facts"]["ccaas_verify"]
    assert found["differences"] == [
        {"type": "queues", "name": "Q07", "field": "max_contacts", "expected": 10, "actual": 99}
    ]
