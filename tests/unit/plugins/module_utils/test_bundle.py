from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from ansible_collections.ccaas.connect.plugins.module_utils import _bundle
from ansible_collections.ccaas.connect.plugins.module_utils._bundle import (
    BundleError,
    Problem,
    load_bundle,
    load_bundle_file,
    schema_text,
    validate_bundle,
)

ROOT = Path(__file__).resolve().parents[4]

GOOD = {
    "format_version": 1,
    "source": {"region": "us-east-1", "instance_alias": "acme", "identity_management_type": "CONNECT_MANAGED"},
    "exported_at": "2026-11-25T14:30:00Z",
    "selection": {"filters": {}, "matched": {}, "dependencies": {}},
    "resources": {
        "hours_of_operations": [
            {
                "name": "Sales Hours",
                "time_zone": "America/New_York",
                "config": [
                    {"day": "MONDAY", "start_time": {"hours": 8, "minutes": 0}, "end_time": {"hours": 20, "minutes": 0}}
                ],
                "tags": {"BU": "Sales"},
            }
        ],
        "security_profiles": [{"name": "Agent", "permissions": ["BasicAgentAccess"], "tags": {}}],
        "user_hierarchy": {
            "levels": ["Region", "Site"],
            "groups": [{"path": "EMEA", "tags": {}}, {"path": "EMEA/London", "tags": {}}],
        },
        "queues": [
            {
                "name": "Q_QC_Sales_Inbound",
                "hours_of_operation": "Sales Hours",
                "quick_connects": ["Reception"],
                "tags": {"BU": "Sales"},
            }
        ],
        "routing_profiles": [
            {
                "name": "Sales Agents",
                "default_outbound_queue": "Q_QC_Sales_Inbound",
                "media_concurrencies": [{"channel": "VOICE", "concurrency": 1}],
                "queue_configs": [{"queue": "Q_QC_Sales_Inbound", "channel": "VOICE", "priority": 1, "delay": 0}],
                "tags": {},
            }
        ],
        "users": [
            {
                "username": "jdoe",
                "phone_config": {"phone_type": "SOFT_PHONE", "after_contact_work_time_limit": 30},
                "routing_profile": "Sales Agents",
                "security_profiles": ["Agent"],
                "hierarchy_group": "EMEA/London",
                "tags": {},
            }
        ],
        "quick_connects": [
            {
                "name": "Reception",
                "quick_connect_config": {
                    "quick_connect_type": "PHONE_NUMBER",
                    "phone_config": {"phone_number": "+442079460000"},
                },
                "tags": {},
            }
        ],
    },
}


def bundle(**changes):
    """GOOD with `changes` applied, each a dotted path (list indices as numbers) -> value (None deletes)."""
    document = copy.deepcopy(GOOD)
    for path, value in changes.items():
        *parents, last = [int(p) if p.isdigit() else p for p in path.split("__")]
        node = document
        for step in parents:
            node = node[step]
        if value is None:
            del node[last]
        else:
            node[last] = value
    return document


def test_a_well_formed_bundle_has_no_problems():
    assert validate_bundle(GOOD) == []
    assert load_bundle(json.dumps(GOOD)) == GOOD


def test_every_schema_problem_is_reported_with_its_json_path():
    broken = bundle(
        exported_at="yesterday",
        source__region=None,
        resources__users__0__phone_config__after_contact_work_time_limit="30s",
        resources__users__0__routing_profile=None,
        resources__queues__0__colour="blue",
        resources__hours_of_operations__0__config__0__day="FUNDAY",
    )
    paths = [p.path for p in validate_bundle(broken)]
    assert paths == [
        "$.exported_at",
        "$.resources.hours_of_operations[0].config[0].day",
        "$.resources.queues[0]",
        "$.resources.users[0].phone_config.after_contact_work_time_limit",
        "$.resources.users[0].routing_profile",
        "$.source.region",
    ]


def test_the_loader_rejects_a_bundle_listing_every_problem():
    broken = bundle(resources__users__0__username=None, resources__queues__0__name=None)
    with pytest.raises(BundleError) as raised:
        load_bundle(broken)
    assert [str(p) for p in raised.value.problems] == [
        "$.resources.queues[0].name: is required",
        "$.resources.users[0].username: is required",
    ]
    assert "$.resources.users[0].username" in str(raised.value)


@pytest.mark.parametrize(
    ("version", "message"),
    [(2, "2 is not supported"), ("1", "'1' is not supported"), (None, "missing")],
)
def test_a_wrong_or_missing_format_version_is_rejected_on_its_own(version, message):
    broken = bundle(format_version=version, resources__users__0__username=None)
    problems = validate_bundle(broken)
    assert problems == [Problem("$.format_version", f"{message}; this collection reads format_version 1")]


def test_text_that_is_not_json_is_rejected_at_the_root():
    with pytest.raises(BundleError) as raised:
        load_bundle("{not json")
    [problem] = raised.value.problems
    assert problem.path == "$" and problem.message.startswith("not JSON")


def test_a_reference_to_something_not_in_the_bundle_is_reported_where_it_is_made():
    broken = bundle(
        resources__users__0__routing_profile="Support Agents",
        resources__users__0__security_profiles=["Agent", "Admin"],
        resources__queues__0__quick_connects=["Reception", "Main Menu"],
        resources__routing_profiles__0__queue_configs__0__queue="Sales_Chat",
    )
    assert [str(p) for p in validate_bundle(broken)] == [
        "$.resources.queues[0].quick_connects[1]: no quick connect 'Main Menu' in the bundle",
        "$.resources.routing_profiles[0].queue_configs[0].queue: no queue 'Sales_Chat' in the bundle",
        "$.resources.users[0].routing_profile: no routing profile 'Support Agents' in the bundle",
        "$.resources.users[0].security_profiles[1]: no security profile 'Admin' in the bundle",
    ]


def test_a_user_hierarchy_group_needs_its_parent_and_room_in_the_structure():
    broken = bundle(
        resources__user_hierarchy__groups=[
            {"path": "EMEA/London", "tags": {}},
            {"path": "EMEA/London/Sales Team A", "tags": {}},
        ],
        resources__users__0__hierarchy_group="EMEA/London/Sales Team A",
    )
    assert [str(p) for p in validate_bundle(broken)] == [
        "$.resources.user_hierarchy.groups[0].path: its parent group 'EMEA' is not in the bundle",
        "$.resources.user_hierarchy.groups[1].path: 'EMEA/London/Sales Team A' is 3 levels deep; the structure has 2",
    ]


def test_two_items_of_a_type_cannot_share_an_identity():
    twice = copy.deepcopy(GOOD["resources"]["security_profiles"][0])
    broken = bundle(resources__security_profiles=[twice, twice])
    assert [str(p) for p in validate_bundle(broken)] == [
        "$.resources.security_profiles[1].name: another security profile is also 'Agent'"
        " (at $.resources.security_profiles[0])"
    ]


def test_aws_reserved_tags_and_non_e164_numbers_are_refused():
    broken = bundle(
        resources__queues__0__tags={"aws:cloudformation:stack-name": "x"},
        resources__queues__0__outbound_caller_config={"outbound_caller_id_number": "212-555-0100"},
    )
    messages = {str(p) for p in validate_bundle(broken)}
    assert "$.resources.queues[0].tags: tag key 'aws:cloudformation:stack-name' is reserved by AWS" in messages
    assert any(
        m.startswith("$.resources.queues[0].outbound_caller_config.outbound_caller_id_number:") for m in messages
    )


def test_the_schema_file_shipped_in_docs_is_the_generated_schema():
    shipped = (ROOT / "docs" / "bundle.schema.json").read_text()
    assert shipped == schema_text(), "regenerate: .venv/bin/python scripts/bundle_schema.py > docs/bundle.schema.json"


def test_without_jsonschema_the_loader_says_what_to_install(monkeypatch):
    monkeypatch.setattr(_bundle, "HAS_JSONSCHEMA", False)
    with pytest.raises(_bundle.MissingJsonSchema, match="pip install jsonschema"):
        load_bundle(GOOD)


# ---- the one door: the API's constraints, identities, hours, hierarchy, malformed entries ----------


def messages(document) -> list[str]:
    return [p.describe() for p in validate_bundle(document)]


@pytest.mark.parametrize("version", [2, "1", True, 1.0])
def test_only_the_integer_format_version_is_read(version):
    assert [p.path for p in validate_bundle(bundle(format_version=version))] == ["$.format_version"]


@pytest.mark.parametrize("version", [[1], {"v": 1}])
def test_a_format_version_of_the_wrong_shape_is_refused_not_a_crash(version):
    assert [p.path for p in validate_bundle(bundle(format_version=version))] == ["$.format_version"]


def test_true_is_not_read_as_format_version_1_even_after_a_bundle_of_version_1():
    assert validate_bundle(bundle()) == []
    assert [p.path for p in validate_bundle(bundle(format_version=True))] == ["$.format_version"]


def test_the_api_constraints_come_from_botocores_connect_model():
    broken = bundle(
        resources__queues__0__description="d" * 251,  # QueueDescription max 250
        resources__routing_profiles__0__media_concurrencies__0__concurrency=11,  # Concurrency max 10
        resources__routing_profiles__0__queue_configs__0__priority=0,  # Priority min 1
        resources__hours_of_operations__0__config__0__end_time={"hours": 25, "minutes": 61},
        resources__users__0__security_profiles=[f"SP{n}" for n in range(11)],  # SecurityProfileIds max 10
    )
    found = messages(broken)
    for part in (
        "queue 'Q_QC_Sales_Inbound': $.resources.queues[0].description: 'dddd",
        "$.resources.routing_profiles[0].media_concurrencies[0].concurrency: 11 is more than the maximum of 10",
        "$.resources.routing_profiles[0].queue_configs[0].priority: 0 is less than the minimum of 1",
        "$.resources.hours_of_operations[0].config[0].end_time.hours: 25 is more than the maximum of 23",
        "$.resources.hours_of_operations[0].config[0].end_time.minutes: 61 is more than the maximum of 59",
        "user 'jdoe': $.resources.users[0].security_profiles: has more than 10 entries",
    ):
        assert any(part in m for m in found), (part, found)


def test_a_ten_megabyte_string_is_refused_quickly_without_being_echoed():
    import time

    broken = bundle(resources__queues__0__description="x" * 10_000_000)
    started = time.monotonic()
    [problem] = validate_bundle(broken)
    assert time.monotonic() - started < 5
    assert problem.path == "$.resources.queues[0].description"
    assert "(10000000 characters)" in problem.message and len(problem.message) < 200


def test_tags_are_at_most_fifty_and_no_key_starts_with_aws_in_any_case():
    broken = bundle(
        resources__queues__0__tags={f"k{n}": "v" for n in range(51)},
        resources__users__0__tags={"AWS:owner": "x", "Aws:x": "y"},
    )
    found = messages(broken)
    assert "queue 'Q_QC_Sales_Inbound': $.resources.queues[0].tags: has more than 50 members" in found
    assert sum("reserved by AWS" in m and "users[0].tags" in m for m in found) == 2


def test_usernames_that_differ_only_in_case_clash():
    other = {**GOOD["resources"]["users"][0], "username": "JDoe"}
    broken = bundle(resources__users=[GOOD["resources"]["users"][0], other])
    assert messages(broken) == [
        "user 'JDoe': $.resources.users[1].username: username 'JDoe' differs from the username at "
        "$.resources.users[0] only in case"
    ]


def test_an_unknown_time_zone_and_an_end_before_the_start_are_refused_but_midnight_ends_the_day():
    config = [
        {"day": "MONDAY", "start_time": {"hours": 9, "minutes": 0}, "end_time": {"hours": 8, "minutes": 0}},
        {"day": "TUESDAY", "start_time": {"hours": 0, "minutes": 0}, "end_time": {"hours": 0, "minutes": 0}},
    ]
    broken = bundle(
        resources__hours_of_operations__0__time_zone="Mars/Olympus", resources__hours_of_operations__0__config=config
    )
    assert [str(p) for p in validate_bundle(broken)] == [
        "$.resources.hours_of_operations[0].config[0].end_time: the end time must be after the start time",
        "$.resources.hours_of_operations[0].time_zone: 'Mars/Olympus' is not an IANA time zone (e.g. Europe/London)",
    ]


def test_a_six_level_hierarchy_is_refused():
    broken = bundle(
        resources__user_hierarchy={
            "levels": ["A", "B", "C", "D", "E"],
            "groups": [{"path": "/".join("abcdef"[: n + 1])} for n in range(6)],
        },
        resources__users__0__hierarchy_group=None,
    )
    assert "'a/b/c/d/e/f' is 6 levels deep; Connect allows 5" in " ".join(messages(broken))


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"resources__users": ["jdoe"]}, "$.resources.users[0]"),
        ({"resources__users__0__phone_config": []}, "$.resources.users[0].phone_config"),
        ({"resources__users__0__security_profiles": "Agent"}, "$.resources.users[0].security_profiles"),
        ({"resources__queues": {"name": "x"}}, "$.resources.queues"),
        ({"resources__user_hierarchy": []}, "$.resources.user_hierarchy"),
        ({"resources": []}, "$.resources"),
        ({"resources__routing_profiles__0__queue_configs": [None]}, "$.resources.routing_profiles[0].queue_configs[0]"),
    ],
)
def test_a_malformed_entry_is_refused_with_its_path_never_a_crash(change, path):
    problems = validate_bundle(bundle(**change))
    assert path in [p.path for p in problems]


def test_a_refusal_lists_every_problem_and_caps_what_it_shows():
    queues = [{**GOOD["resources"]["queues"][0], "name": f"Q{n}", "max_contact": 1} for n in range(60)]
    broken = bundle(resources__queues=queues)
    with pytest.raises(BundleError) as raised:
        load_bundle(broken)
    assert len(raised.value.problems) >= 60
    text = str(raised.value)
    assert "queue 'Q0': $.resources.queues[0]" in text and "more problem(s)" in text


def test_mapped_resources_are_checked_with_the_same_schema_without_their_references():
    resources = copy.deepcopy(GOOD["resources"])
    resources["users"][0]["routing_profile"] = "Target Only Profile"
    assert _bundle.validate_resources(resources, references=False) == []
    resources["queues"][0]["max_contact"] = 1
    assert [p.path for p in _bundle.validate_resources(resources, references=False)] == ["$.resources.queues[0]"]


def test_the_connect_model_is_read_once_per_process(monkeypatch):
    """The schema reads botocore's Connect model (about 2 MB of JSON) for each of its ~270 shapes: a
    lost cache made every bundle-validating task read it hundreds of times (seconds each time)."""
    reads = []
    real = _bundle.Loader.load_service_model

    def counting(self, *args, **kwargs):
        reads.append(args)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(_bundle.Loader, "load_service_model", counting)
    _bundle._connect_model.cache_clear()
    _bundle._validator.cache_clear()
    validate_bundle(copy.deepcopy(GOOD))
    validate_bundle(copy.deepcopy(GOOD))
    assert len(reads) == 1


def test_a_bundle_file_is_validated_in_full_once_for_its_exact_bytes(tmp_path, monkeypatch):
    path = tmp_path / "mapped.json"
    path.write_text(json.dumps(GOOD))
    assert load_bundle_file(path) == GOOD
    stamp = tmp_path / "mapped.json.valid"
    assert oct(stamp.stat().st_mode & 0o777) == "0o600"
    validated = []
    real = _bundle.validate_bundle
    monkeypatch.setattr(_bundle, "validate_bundle", lambda document: validated.append(1) or real(document))
    assert load_bundle_file(path) == GOOD  # the same bytes: parsed, not validated again
    assert validated == []
    # One changed byte (a bundle edited by hand after the preflight) is validated in full, and refused.
    path.write_text(json.dumps(bundle(resources__hours_of_operations__0__time_zone="Mars/Olympus")))
    with pytest.raises(BundleError, match="Mars/Olympus"):
        load_bundle_file(path)
    assert validated == [1]


def test_a_stamp_for_another_schema_or_an_unreadable_one_means_a_full_validation(tmp_path, monkeypatch):
    path = tmp_path / "mapped.json"
    path.write_text(json.dumps(GOOD))
    load_bundle_file(path)
    stamp = tmp_path / "mapped.json.valid"
    validated = []
    real = _bundle.validate_bundle
    monkeypatch.setattr(_bundle, "validate_bundle", lambda document: validated.append(1) or real(document))
    stamp.write_text(json.dumps({**json.loads(stamp.read_text()), "schema": "an older collection's"}))
    load_bundle_file(path)
    stamp.write_text("{torn")
    load_bundle_file(path)
    assert validated == [1, 1]
    with pytest.raises(BundleError, match="cannot read"):
        load_bundle_file(tmp_path / "missing.json")
