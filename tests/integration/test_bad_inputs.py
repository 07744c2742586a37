"""The bad-input corpus: every bad bundle, mapping and option is refused before the first write.

Every case goes through connect_preflight, the module the import role calls before anything else, in
one ansible-playbook run (tests/integration/playbooks/bad_inputs.yml) against the emulator: each case
must fail naming its item and JSON path (or its option), and the emulator must count no write call
(any API but Describe/List/Search/Get). A selection of cases also runs through the real
playbooks/import.yml and migrate.yml, one run each, with the same assertions.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from .conftest import run_playbook
from .test_import_bundle import READ_PREFIXES, as_bundle, bundle, without_quick_connects

pytestmark = [pytest.mark.integration, pytest.mark.slow]

STOP = "Stop when the bundle or the options are invalid (nothing was read from or written to the target)"


def base() -> dict[str, Any]:
    return as_bundle(without_quick_connects(bundle(users=3)))


def change(mutate: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    document = base()
    mutate(document)
    return document


def res(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["resources"]


def tags(n: int) -> dict[str, str]:
    return {f"k{i}": "v" for i in range(n)}


# (case id, bundle, extra vars, substrings the error must hold: the item and the JSON path or option)
CASES: list[tuple[str, Any, dict[str, Any], tuple[str, ...]]] = [
    ("format-version-2", change(lambda d: d.update(format_version=2)), {}, ("$.format_version", "2 is not supported")),
    ("format-version-string", change(lambda d: d.update(format_version="1")), {}, ("$.format_version", "'1'")),
    ("format-version-missing", change(lambda d: d.pop("format_version")), {}, ("$.format_version", "missing")),
    ("format-version-true", change(lambda d: d.update(format_version=True)), {}, ("$.format_version",)),
    ("only-resources", {"resources": base()["resources"]}, {}, ("$.format_version", "missing")),
    ("unknown-type", change(lambda d: res(d).update(widgets=[{"name": "w"}])), {}, ("$.resources", "widgets")),
    ("unknown-section", change(lambda d: d.update(extras={})), {}, ("$", "extras")),
    (
        "typo-field",
        change(lambda d: res(d)["queues"][3].update(max_contact=5)),
        {},
        ("queue 'Q03'", "$.resources.queues[3]", "max_contact"),
    ),
    (
        "wrong-type",
        change(lambda d: res(d)["queues"][2].update(max_contacts="ten")),
        {},
        ("queue 'Q02'", "$.resources.queues[2].max_contacts"),
    ),
    (
        "duplicate-queue",
        change(lambda d: res(d)["queues"].append(copy.deepcopy(res(d)["queues"][0]))),
        {},
        ("queue 'Q00'", "$.resources.queues[30].name", "another queue"),
    ),
    (
        "duplicate-user",
        change(lambda d: res(d)["users"].append(copy.deepcopy(res(d)["users"][0]))),
        {},
        ("user 'agent0'", "$.resources.users[3].username"),
    ),
    (
        "username-case-clash",
        change(lambda d: res(d)["users"][1].update(username="AGENT0")),
        {},
        ("user 'AGENT0'", "$.resources.users[1].username", "only in case"),
    ),
    (
        "51-tags",
        change(lambda d: res(d)["queues"][0].update(tags=tags(51))),
        {},
        ("queue 'Q00'", "$.resources.queues[0].tags", "50"),
    ),
    (
        "aws-tag",
        change(lambda d: res(d)["queues"][1].update(tags={"aws:cloudformation:stack-name": "x"})),
        {},
        ("queue 'Q01'", "$.resources.queues[1].tags", "reserved"),
    ),
    (
        "AWS-tag-upper-case",
        change(lambda d: res(d)["users"][0].update(tags={"AWS:owner": "x"})),
        {},
        ("user 'agent0'", "$.resources.users[0].tags", "reserved"),
    ),
    (
        "tag-key-129",
        change(lambda d: res(d)["queues"][4].update(tags={"k" * 129: "v"})),
        {},
        ("queue 'Q04'", "$.resources.queues[4].tags"),
    ),
    (
        "tag-value-257",
        change(lambda d: res(d)["queues"][5].update(tags={"k": "v" * 257})),
        {},
        ("queue 'Q05'", "$.resources.queues[5].tags.k", "longer than 256"),
    ),
    (
        "over-long-queue-name",
        change(lambda d: res(d)["queues"][6].update(name="Q" * 128)),
        {},
        ("queue 'QQQ", "$.resources.queues[6].name", "longer than 127"),
    ),
    (
        "over-long-description",
        change(lambda d: res(d)["queues"][7].update(description="d" * 251)),
        {},
        ("queue 'Q07'", "$.resources.queues[7].description", "longer than 250"),
    ),
    (
        "10-MB-string",
        change(lambda d: res(d)["queues"][8].update(description="x" * 10_000_000)),
        {},
        ("queue 'Q08'", "$.resources.queues[8].description", "10000000 characters"),
    ),
    (
        "empty-name",
        change(lambda d: res(d)["queues"][9].update(name="")),
        {},
        ("queue #10", "$.resources.queues[9].name"),
    ),
    (
        "bad-time-zone",
        change(lambda d: res(d)["hours_of_operations"][0].update(time_zone="Mars/Olympus_Mons")),
        {},
        ("hours of operation 'Office'", "$.resources.hours_of_operations[0].time_zone", "IANA"),
    ),
    (
        "hours-25-61",
        change(lambda d: res(d)["hours_of_operations"][0]["config"][0].update(end_time={"hours": 25, "minutes": 61})),
        {},
        ("hours of operation 'Office'", "$.resources.hours_of_operations[0].config[0].end_time.hours"),
    ),
    (
        "end-before-start",
        change(lambda d: res(d)["hours_of_operations"][0]["config"][1].update(end_time={"hours": 8, "minutes": 0})),
        {},
        ("hours of operation 'Office'", "$.resources.hours_of_operations[0].config[1].end_time", "after the start"),
    ),
    (
        "six-level-hierarchy",
        change(
            lambda d: res(d).update(
                user_hierarchy={
                    "levels": ["L1", "L2", "L3", "L4", "L5", "L6"],
                    "groups": [{"path": "/".join("ABCDEF"[: n + 1])} for n in range(6)],
                }
            )
        ),
        {},
        ("$.resources.user_hierarchy.levels", "more than 5"),
    ),
    (
        "group-deeper-than-levels",
        change(lambda d: res(d)["user_hierarchy"]["groups"].append({"path": "EMEA/London/Sales"})),
        {},
        ("user hierarchy group 'EMEA/London/Sales'", "$.resources.user_hierarchy.groups[2].path", "3 levels deep"),
    ),
    (
        "user-entry-a-string",
        change(lambda d: res(d)["users"].append("jdoe")),
        {},
        ("user #4", "$.resources.users[3]", "not of type 'object'"),
    ),
    (
        "routing-profile-null",
        change(lambda d: res(d)["users"][2].update(routing_profile=None)),
        {},
        ("user 'agent2'", "$.resources.users[2].routing_profile"),
    ),
    (
        "list-where-dict-due",
        change(lambda d: res(d)["users"][1].update(phone_config=[])),
        {},
        ("user 'agent1'", "$.resources.users[1].phone_config", "a list"),
    ),
    (
        "section-a-dict",
        change(lambda d: res(d).update(queues={"name": "Q"})),
        {},
        ("$.resources.queues", "not of type 'array'"),
    ),
    ("resources-a-list", change(lambda d: d.update(resources=[])), {}, ("$.resources", "not of type 'object'")),
    (
        "missing-required",
        change(lambda d: res(d)["queues"][10].pop("hours_of_operation")),
        {},
        ("queue 'Q10'", "$.resources.queues[10].hours_of_operation", "required"),
    ),
    (
        "bad-enum",
        change(lambda d: res(d)["users"][0]["phone_config"].update(phone_type="CELL_PHONE")),
        {},
        ("user 'agent0'", "$.resources.users[0].phone_config.phone_type", "not one of"),
    ),
    (
        "out-of-range-concurrency",
        change(lambda d: res(d)["routing_profiles"][0]["media_concurrencies"][0].update(concurrency=11)),
        {},
        ("routing profile 'Big RP'", "$.resources.routing_profiles[0].media_concurrencies[0].concurrency", "10"),
    ),
    (
        "out-of-range-priority",
        change(lambda d: res(d)["routing_profiles"][0]["queue_configs"][0].update(priority=0)),
        {},
        ("routing profile 'Big RP'", "$.resources.routing_profiles[0].queue_configs[0].priority", "minimum of 1"),
    ),
    (
        "negative-max-contacts",
        change(lambda d: res(d)["queues"][11].update(max_contacts=-1)),
        {},
        ("queue 'Q11'", "$.resources.queues[11].max_contacts", "minimum"),
    ),
    (
        "caller-id-not-e164",
        change(lambda d: res(d)["queues"][12].update(outbound_caller_config={"outbound_caller_id_number": "212-555"})),
        {},
        ("queue 'Q12'", "$.resources.queues[12].outbound_caller_config.outbound_caller_id_number", "does not match"),
    ),
    (
        "desk-phone-not-e164",
        change(
            lambda d: res(d)["users"][1].update(
                phone_config={"phone_type": "DESK_PHONE", "desk_phone_number": "555 0100"}
            )
        ),
        {},
        ("user 'agent1'", "$.resources.users[1].phone_config.desk_phone_number", "does not match"),
    ),
    (
        "eleven-security-profiles",
        change(lambda d: res(d)["users"][0].update(security_profiles=[f"SP{i}" for i in range(11)])),
        {},
        ("user 'agent0'", "$.resources.users[0].security_profiles", "more than 10"),
    ),
    (
        "dangling-routing-profile",
        change(lambda d: res(d)["users"][1].update(routing_profile="Nobody's Profile")),
        {},
        ("user 'agent1'", "$.resources.users[1].routing_profile", "no routing profile 'Nobody's Profile'"),
    ),
    (
        "dangling-hours",
        change(lambda d: res(d)["queues"][13].update(hours_of_operation="Night")),
        {},
        ("queue 'Q13'", "$.resources.queues[13].hours_of_operation", "no hours of operation 'Night'"),
    ),
    (
        "many-problems-all-listed",
        change(lambda d: [q.update(max_contact=1) for q in res(d)["queues"]]),
        {},
        ("queue 'Q00'", "queue 'Q29'", "$.resources.queues[29]", "30 problems"),
    ),
    ("bad-phone-map-target", base(), {"phone_map": {"+16465550179": "not-a-number"}}, ("phone_map['+16465550179']",)),
    ("bad-phone-map-source", base(), {"phone_map": {"call me": "+442079460631"}}, ("phone_map['call me']",)),
    ("bad-flow-map", base(), {"flow_map": {"Transfer to Sales": ""}}, ("flow_map['Transfer to Sales']",)),
    ("bad-flow-map-value", base(), {"flow_map": {"Transfer to Sales": "x" * 128}}, ("flow_map['Transfer to Sales']",)),
    ("chunk-size-0", base(), {"chunk_size": 0}, ("chunk_size", "at least 1")),
    ("chunk-size-negative", base(), {"chunk_size": -1}, ("chunk_size", "at least 1")),
    ("bogus-region", base(), {"target_region": "not_a_region"}, ("region", "'not_a_region' is not an AWS region")),
]


# Cases that also run through the real playbooks/import.yml, one ansible-playbook run each.
THROUGH_IMPORT = (
    "format-version-missing",
    "typo-field",
    "10-MB-string",
    "username-case-clash",
    "chunk-size-0",
    "bogus-region",
)
MODULE_OPTIONS = {"target_region": "region"}  # an import.yml variable -> the module's option


@pytest.fixture(scope="module")
def emulator(connect_emulator_process):
    emulator = connect_emulator_process
    emulator.reset()
    emulator.seeded = emulator.seed("demo", users=10)
    return emulator


def writes(emulator) -> dict[str, int]:
    apis = emulator.stats()["apis"]
    return {api: v["calls"] for api, v in apis.items() if not api.startswith(READ_PREFIXES) and v["calls"]}


@pytest.fixture(scope="module")
def corpus(emulator, tmp_path_factory):
    """Every case through connect_preflight in one run: {case id: its result}, and the writes counted."""
    target = emulator.seeded["target"]
    folder = tmp_path_factory.mktemp("corpus")
    cases = []
    for case_id, document, options, _expected in CASES:
        path = folder / f"{case_id}.json"
        path.write_text(json.dumps(document))
        cases.append({"id": case_id, "bundle": str(path), **{MODULE_OPTIONS.get(k, k): v for k, v in options.items()}})
    emulator.reset_stats()
    extra = {"cases": cases, "target": target["alias"], "target_region": target["region"]}
    run = run_playbook("tests/integration/playbooks/bad_inputs.yml", extra, emulator.env(target["region"]))
    [task] = run.task_results("Preflight a bad input")
    return {r["item"]["id"]: r for r in task["results"]}, writes(emulator)


def refusal(run) -> str:
    """The message an import.yml run stopped with: the validation stop, or any failed task's message."""
    return "\n".join(
        str(r.get("msg", ""))
        for play in run.output.get("plays", [])
        for task in play["tasks"]
        for r in task["hosts"].values()
        if r.get("failed") and not r.get("censored")
    )


def test_the_corpus_has_every_class_and_made_no_write(corpus):
    results, written = corpus
    assert len(results) == len(CASES) >= 40
    assert written == {}


@pytest.mark.parametrize(("case_id", "expected"), [(c[0], c[3]) for c in CASES], ids=[c[0] for c in CASES])
def test_a_bad_input_is_refused_by_the_preflight_naming_item_and_path(corpus, case_id, expected):
    result = corpus[0][case_id]
    # Refused (the module's failure lists its problems; the loop's JSON output drops `failed`), before
    # planning, so before reading the target's resources.
    assert result.get("problems") and "plan" not in result
    message = str(result.get("msg", ""))
    for part in expected:
        assert part in message, message[-3000:]
    assert len(message) < 20_000  # a 10 MB value is never echoed
    # The only calls allowed before a refusal: none, or DescribeInstance for target = source.
    assert set(result.get("api_calls", {})) <= {"DescribeInstance"}


def test_the_valid_base_bundle_passes_the_preflight(emulator, tmp_path):
    """The control: without the corpus' changes the same run goes through, so each refusal is the change's."""
    target = emulator.seeded["target"]
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(base()))
    extra = {"bundle": str(path), "target": target["alias"], "target_region": target["region"]}
    extra |= {"output_dir": str(tmp_path), "preflight_only": True, "api_rate_factor": 0}
    run = run_playbook("playbooks/import.yml", extra, emulator.env(target["region"]))
    assert run.returncode == 0, refusal(run)[-3000:]


@pytest.mark.parametrize(
    ("document", "options", "expected"),
    [c[1:] for c in CASES if c[0] in THROUGH_IMPORT],
    ids=[c[0] for c in CASES if c[0] in THROUGH_IMPORT],
)
def test_a_bad_input_stops_import_yml_naming_item_and_path_with_zero_writes(
    emulator, tmp_path, document, options, expected
):
    target = emulator.seeded["target"]
    emulator.reset_stats()
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(document))
    extra = {"bundle": str(path), "target": target["alias"], "target_region": target["region"]}
    extra |= {"output_dir": str(tmp_path), "api_rate_factor": 0, "on_unmapped": "skip", **options}
    run = run_playbook("playbooks/import.yml", extra, emulator.env(target["region"]))
    assert run.returncode != 0
    assert writes(emulator) == {}
    message = refusal(run)
    for part in expected:
        assert part in message, message[-3000:]
    assert len(message) < 20_000  # a 10 MB value is never echoed


def test_a_migration_into_its_own_source_is_refused_before_any_write(emulator, tmp_path):
    source = emulator.seeded["source"]
    emulator.reset_stats()
    extra = {"source": source["alias"], "source_region": source["region"], "target": source["alias"]}
    extra |= {"target_region": source["region"], "output_dir": str(tmp_path), "api_rate_factor": 0}
    extra |= {"on_unmapped": "skip", "include": "queues,hours_of_operations"}
    run = run_playbook("playbooks/migrate.yml", extra, emulator.env(source["region"]))
    assert run.returncode != 0
    assert writes(emulator) == {}
    message = refusal(run)
    assert "the target is the source" in message and f"'{source['alias']}'" in message, message[-3000:]
