"""connect_import's failure paths: each ends the task truthfully, naming what is wrong, before any write."""

from __future__ import annotations

import json

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.modules import connect_import

HOURS = {
    "name": "Sales Hours",
    "time_zone": "Europe/London",
    "config": [{"day": "MONDAY", "start_time": {"hours": 9, "minutes": 0}, "end_time": {"hours": 17, "minutes": 0}}],
    "tags": {"BU": "Sales"},
}


def mapped_bundle(tmp_path, mapped_onto="8a1f5b3c-0d2e-4f6a-9b7c-1d2e3f4a5b6c", **resources):
    document = {
        "format_version": 1,
        "source": {"region": "us-east-1", "instance_alias": "acme", "identity_management_type": "CONNECT_MANAGED"},
        "exported_at": "2026-11-25T14:30:00Z",
        "selection": {"filters": {}, "matched": {}, "dependencies": {}},
        "resources": resources or {"hours_of_operations": [HOURS]},
    }
    if mapped_onto:
        document["mapped_onto"] = mapped_onto
    path = tmp_path / "mapped.json"
    path.write_text(json.dumps(document))
    return str(path)


def run(monkeypatch, capsys, *, client=False, **args):
    """Run connect_import; unless `client`, building a Connect client fails the test (nothing may be called)."""
    if not client:
        monkeypatch.setattr(AnsibleAWSModule, "client", lambda *_a, **_k: pytest.fail("a client was built"))
    with patch_module_args({"region": "us-east-1", "instance": "acme-target", **args}), pytest.raises(SystemExit) as e:
        connect_import.main()
    return e.value.code, json.loads(capsys.readouterr().out)


def test_an_unknown_phase_fails_naming_the_phases_there_are(monkeypatch, capsys, tmp_path):
    code, result = run(monkeypatch, capsys, bundle=mapped_bundle(tmp_path), phase="agents")
    assert code == 1
    assert result["msg"].startswith("phase: no phase 'agents'; the import's phases are hours of operation, ")
    assert "queue quick connects" in result["msg"]


def test_a_chunk_past_the_phases_last_fails_saying_how_many_it_has(monkeypatch, capsys, tmp_path):
    code, result = run(monkeypatch, capsys, bundle=mapped_bundle(tmp_path), phase="hours of operation", chunk=2)
    assert code == 1
    assert result["msg"] == "phase hours of operation has 1 chunk(s) of 500 items, not 2"


@pytest.mark.parametrize("chunk, chunk_size", [(0, 500), (1, 0), (-1, 10)])
def test_chunks_are_counted_from_one(monkeypatch, capsys, tmp_path, chunk, chunk_size):
    bundle = mapped_bundle(tmp_path)
    code, result = run(monkeypatch, capsys, bundle=bundle, phase="users", chunk=chunk, chunk_size=chunk_size)
    assert code == 1
    assert result["msg"] == "chunk and chunk_size are counted from 1"


def test_an_invalid_mapped_bundle_fails_naming_each_problem_and_its_path(monkeypatch, capsys, tmp_path):
    bad = {**HOURS, "time_zone": "Mars/Olympus", "max_contact": 3}
    bundle = mapped_bundle(tmp_path, hours_of_operations=[bad])
    code, result = run(monkeypatch, capsys, bundle=bundle, phase="hours of operation")
    assert code == 1
    assert result["msg"].startswith(f"the mapped bundle {bundle} is invalid:")
    assert "$.resources.hours_of_operations[0].time_zone" in result["msg"]
    assert "max_contact" in result["msg"]


@pytest.mark.parametrize("content", [None, "{not json", "\xff\xfe"])
def test_an_unreadable_mapped_bundle_fails_saying_so(monkeypatch, capsys, tmp_path, content):
    path = tmp_path / "mapped.json"
    if content is not None:
        path.write_bytes(content.encode("latin-1"))
    code, result = run(monkeypatch, capsys, bundle=str(path), phase="users")
    assert code == 1
    assert str(path) in result["msg"]
    assert "cannot read" in result["msg"] or "not JSON" in result["msg"]


def test_a_bundle_the_preflight_did_not_map_is_refused(monkeypatch, capsys, tmp_path):
    code, result = run(monkeypatch, capsys, bundle=mapped_bundle(tmp_path, mapped_onto=None), phase="users")
    assert code == 1
    assert "is not a mapped bundle (no mapped_onto)" in result["msg"]


@pytest.fixture
def emulator_target(connect_emulator, monkeypatch):
    """The in-process emulator with the demo seeded; the module reaches it through the environment."""
    seeded = connect_emulator.seed("demo", users=10)
    for name, value in connect_emulator.env(seeded["target"]["region"]).items():
        monkeypatch.setenv(name, value)
    return connect_emulator, seeded["target"]


def test_a_bundle_mapped_onto_another_instance_is_refused_before_any_write(
    monkeypatch, capsys, tmp_path, emulator_target
):
    emulator, target = emulator_target
    bundle = mapped_bundle(tmp_path, mapped_onto=target["instance_id"] + "x")
    code, result = run(
        monkeypatch,
        capsys,
        client=True,
        bundle=bundle,
        phase="hours of operation",
        instance=target["alias"],
        region=target["region"],
    )
    assert code == 1
    assert f"was mapped onto instance {target['instance_id']}x, not onto {target['alias']}" in result["msg"]
    assert not [api for api in emulator.stats()["apis"] if not api.startswith(("List", "Search", "Describe"))]


def test_an_unwritable_results_file_leaves_the_outcome_in_the_result_and_says_it_is_not_recorded(
    monkeypatch, capsys, tmp_path, emulator_target
):
    _emulator, target = emulator_target
    results = tmp_path / "missing-directory" / "results.jsonl"
    bundle = mapped_bundle(tmp_path, mapped_onto=target["instance_id"])
    code, result = run(
        monkeypatch,
        capsys,
        client=True,
        bundle=bundle,
        phase="hours of operation",
        instance=target["alias"],
        region=target["region"],
        results_file=str(results),
    )
    assert code == 0
    assert result["recorded"] is False and "results_file" not in result
    assert result["totals"]["created"] == 1
    assert "could not write the results file" in json.dumps(result["warnings"])
    assert not results.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        ({"phases": []}, "phases: name at least one phase"),
        ({"phases": ["queues", "hours of operation"]}, "phases: the phases must be given in the import's order: "),
        ({"phases": ["queues", "queues"]}, "phases: several phases run whole (chunk 1), each once"),
        ({"phases": ["hours of operation", "queues"], "chunk": 2}, "phases: several phases run whole (chunk 1)"),
        ({"phases": ["hours of operation", "agents"]}, "phase: no phase 'agents'"),
        ({"phase": "queues", "phases": ["queues"]}, "parameters are mutually exclusive: phase|phases"),
    ],
)
def test_phases_given_wrongly_fail_before_any_call(monkeypatch, capsys, tmp_path, args, message):
    code, result = run(monkeypatch, capsys, bundle=mapped_bundle(tmp_path), **args)
    assert code == 1
    assert result["msg"].startswith(message)


def test_a_phase_of_several_chunks_is_not_run_beside_other_phases(monkeypatch, capsys, tmp_path):
    hours = [{**HOURS, "name": f"Hours {n}"} for n in range(3)]
    bundle = mapped_bundle(tmp_path, hours_of_operations=hours)
    code, result = run(monkeypatch, capsys, bundle=bundle, phases=["hours of operation", "queues"], chunk_size=2)
    assert code == 1
    assert result["msg"] == "phases: phase hours of operation has 2 chunks of 2 items; run it alone, by chunk"


QUEUE = {"name": "Sales Queue", "hours_of_operation": "Sales Hours", "max_contacts": 10, "tags": {"BU": "Sales"}}


def test_phases_run_in_one_task_each_seeing_what_the_one_before_created_each_with_its_line(
    monkeypatch, capsys, tmp_path, emulator_target
):
    emulator, target = emulator_target
    bundle = mapped_bundle(tmp_path, mapped_onto=target["instance_id"], hours_of_operations=[HOURS], queues=[QUEUE])
    results = tmp_path / "results.jsonl"
    emulator.reset_stats()
    common = {"bundle": bundle, "instance": target["alias"], "region": target["region"], "results_file": str(results)}
    code, result = run(monkeypatch, capsys, client=True, phases=["hours of operation", "queues"], **common)
    assert code == 0, result.get("msg")
    # The queue names the hours the first phase created: the second phase read the target afresh.
    assert [(p["phase"], p["totals"]["created"], p["failures"]) for p in result["phases"]] == [
        ("hours of operation", 1, []),
        ("queues", 1, []),
    ]
    assert result["phase"] == "hours of operation, queues" and result["totals"]["created"] == 2
    assert result["chunk"] == {"index": 1, "of": 1, "items": 2} and result["recorded"] is True
    lines = [json.loads(line) for line in results.read_text().splitlines()]
    assert [(line["phase"], [i["outcome"] for i in line["item_results"]]) for line in lines] == [
        ("hours of operation", ["created"]),
        ("queues", ["created"]),
    ]
    # One lookup of the instance for both; each phase counts its own calls, the task all of them.
    calls = emulator.stats()["apis"]
    assert sum(n["calls"] for api, n in result["api_calls"].items()) == sum(a["calls"] for a in calls.values())
    assert "CreateHoursOfOperation" not in result["phases"][1]["api_calls"]
    assert result["phases"][0]["api_calls"]["CreateHoursOfOperation"]["calls"] == 1
    assert "ListInstances" not in result["phases"][0]["api_calls"]
    # A rerun writes nothing.
    code, again = run(monkeypatch, capsys, client=True, phases=["hours of operation", "queues"], **common)
    assert code == 0 and again["changed"] is False and again["totals"]["unchanged"] == 2


def test_a_phase_that_cannot_run_fails_the_task_naming_it_and_what_was_not_run(
    monkeypatch, capsys, tmp_path, emulator_target
):
    _emulator, target = emulator_target
    bundle = mapped_bundle(tmp_path, mapped_onto=target["instance_id"], hours_of_operations=[HOURS], queues=[QUEUE])
    planned = connect_import.plan_phase

    def plan_phase(target, phase, *args, **kwargs):
        if phase.name == "queues":
            raise connect_import.CcaasError("the queues could not be read")
        return planned(target, phase, *args, **kwargs)

    monkeypatch.setattr(connect_import, "plan_phase", plan_phase)
    results = tmp_path / "results.jsonl"
    code, result = run(
        monkeypatch,
        capsys,
        client=True,
        bundle=bundle,
        phases=["hours of operation", "queues", "quick connects"],
        instance=target["alias"],
        region=target["region"],
        results_file=str(results),
    )
    assert code == 1
    assert result["msg"] == "phase queues: the queues could not be read; not run: quick connects"
    assert "totals" not in result  # the import role counts the task as failed
    assert [(p["phase"], p["totals"]["created"]) for p in result["phases"]] == [("hours of operation", 1)]
    assert [json.loads(line)["phase"] for line in results.read_text().splitlines()] == ["hours of operation"]
