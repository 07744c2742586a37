"""The demo is data: two bundles in the export's format, loaded by the one bundle loader."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import random
from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest

from connect_emulator import from_bundle
from connect_emulator.__main__ import main
from connect_emulator.seed import (
    DEMO_BUNDLE_FILES,
    DEMO_BUNDLE_SEED,
    DEMO_BUNDLE_USERS,
    DEMO_SOURCE_PHONE_NUMBERS,
    DEMO_TARGET_PHONE_NUMBERS,
    bundle_text,
    demo_bundles,
    generate_demo_bundles,
    seed,
)
from connect_emulator.server import Emulator


def _committed(role: str) -> str:
    return resources.files("connect_emulator").joinpath(DEMO_BUNDLE_FILES[role]).read_text("utf-8")


@pytest.fixture(scope="module")
def generated() -> dict[str, dict[str, Any]]:
    return generate_demo_bundles(users=DEMO_BUNDLE_USERS, seed=DEMO_BUNDLE_SEED)


@pytest.mark.parametrize("role", ["source", "target"])
def test_the_committed_demo_files_are_what_the_generator_writes(generated, role) -> None:
    # If this fails after a change to seed.py's data: python -m connect_emulator demo-bundle
    assert _committed(role) == bundle_text(generated[role])


def test_the_default_demo_is_read_from_the_files_and_any_other_is_generated(generated) -> None:
    assert demo_bundles() == {role: json.loads(_committed(role)) for role in DEMO_BUNDLE_FILES}
    small = demo_bundles(users=3, seed=DEMO_BUNDLE_SEED)
    assert [u["username"] for u in small["source"]["resources"]["users"]] == [
        "dkelly2987",
        "aramirez4059",
        "eobrien9168",
    ]
    # The users stream is the same whatever the count: the first users of the default demo.
    assert [u["username"] for u in generated["source"]["resources"]["users"][:3]] == [
        u["username"] for u in small["source"]["resources"]["users"]
    ]


# What the bundle format gained for flows (their references, modules, prompts, Lambda and Lex, the
# source's instance ARN) before the collection's schema knows it: another change teaches the export to write it.
def _as_the_collection_writes_it(bundle: dict[str, Any]) -> dict[str, Any]:
    """The demo bundle with each prompt's audio named as the collection's export names it (its SHA-256, the file
    beside the bundle) instead of inline: `audio_base64` is the emulator's own way to carry a file in memory."""
    bundle = copy.deepcopy(bundle)
    for prompt in bundle["resources"].get("prompts", []):
        audio = base64.b64decode(prompt.pop("audio_base64"))
        prompt["sha256"] = hashlib.sha256(audio).hexdigest()
        prompt["file"] = f"prompts/{prompt['sha256']}.wav"
    return bundle


@pytest.mark.parametrize("role", ["source", "target"])
def test_the_demo_bundles_are_valid_bundles_for_the_collection(role) -> None:
    bundle_module = pytest.importorskip("ansible_collections.ccaas.connect.plugins.module_utils._bundle")
    # Fewer users than the default demo (the validator takes seconds per hundred users); every shape
    # of item is there all the same.
    bundle = _as_the_collection_writes_it(generate_demo_bundles(users=30)[role])
    assert bundle_module.validate_bundle(bundle) == []


def test_every_phone_number_spec_is_found_by_its_unique_description(generated) -> None:
    for specs in (DEMO_SOURCE_PHONE_NUMBERS, DEMO_TARGET_PHONE_NUMBERS):
        descriptions = [spec.description for spec in specs]
        assert len(set(descriptions)) == len(descriptions)
    source_numbers = {p["description"]: p for p in generated["source"]["resources"]["phone_numbers"]}
    assert {spec.description for spec in DEMO_SOURCE_PHONE_NUMBERS} == set(source_numbers)


def test_the_demo_has_custom_agent_statuses_one_of_them_disabled(generated) -> None:
    statuses = generated["source"]["resources"]["agent_statuses"]
    assert len(statuses) >= 3 and {s["type"] for s in statuses} == {"CUSTOM"}
    assert [s["name"] for s in statuses if s["state"] == "DISABLED"] == ["Project Work"]


def test_demo_bundle_command_writes_a_demo_of_any_size_to_a_directory(tmp_path, capsys) -> None:
    assert main(["demo-bundle", "--users", "4", "--seed-value", "3", "--out", str(tmp_path)]) == 0
    written = {p.name: json.loads(p.read_text("utf-8")) for p in tmp_path.iterdir()}
    assert written["demo-source.bundle.json"] == generate_demo_bundles(users=4, seed=3)["source"]
    assert len(written["demo-source.bundle.json"]["resources"]["users"]) == 4
    # Another size never goes over the committed files.
    assert main(["demo-bundle", "--users", "4"]) == 2
    assert "--out" in capsys.readouterr().err


# -- the loader's order ---------------------------------------------------------------------------


def test_the_load_order_puts_every_step_after_the_steps_it_needs() -> None:
    position = {step.name: i for i, step in enumerate(from_bundle.LOAD_ORDER)}
    for step in from_bundle.LOAD_ORDER:
        assert all(position[need] < position[step.name] for need in step.needs), step.name
    assert {s.name for s in from_bundle.LOAD_ORDER} == {s.name for s in from_bundle.STEPS}


def test_the_order_is_derived_whatever_order_the_steps_are_declared_in() -> None:
    steps = list(from_bundle.STEPS)
    for attempt in range(20):
        random.Random(attempt).shuffle(steps)
        order = from_bundle._derived_order(steps)
        done: set[str] = set()
        for step in order:
            assert set(step.needs) <= done, (attempt, step.name)
            done.add(step.name)


def test_steps_that_need_each_other_or_nothing_known_are_refused() -> None:
    step = from_bundle.STEPS[0]
    a = from_bundle.Step("a", "a", ("b",), (), step.run)
    b = from_bundle.Step("b", "b", ("a",), (), step.run)
    with pytest.raises(ValueError, match="need each other"):
        from_bundle._derived_order([a, b])
    with pytest.raises(ValueError, match="which no step loads"):
        from_bundle._derived_order([a])


def test_the_seed_summary_counts_follow_the_load_order() -> None:
    assert from_bundle.COUNT_ORDER.index("hours_of_operation") < from_bundle.COUNT_ORDER.index("queues")
    assert from_bundle.COUNT_ORDER.index("users") < from_bundle.COUNT_ORDER.index("quick_connects")


# -- the loader against the in-process emulator -----------------------------------------------------


class QuotaRecorder:
    """The real emulator, with every quota raise recorded."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.raised: list[tuple[str, int]] = []

    def call(self, operation: str, params: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return self.emulator.call(operation, params, **kwargs)

    def set_quota(self, account_id: str, region: str, instance_id: str, quota_name: str, value: int) -> None:
        self.raised.append((quota_name, value))
        self.emulator.set_quota(account_id, region, instance_id, quota_name, value)

    def put_object(self, account_id: str, region: str, bucket: str, key: str, body: bytes) -> None:
        self.emulator.put_object(account_id, region, bucket, key, body)  # the demo source's prompt audio


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    emulator = Emulator(throttle="off", validate_output=True)
    emulator.reset()
    yield emulator
    emulator.reset()


def _bundle(resources_: dict[str, Any]) -> dict[str, Any]:
    return {
        "format_version": 1,
        "source": {"region": "us-east-1", "instance_alias": "acme"},
        "exported_at": "2026-01-01T00:00:00Z",
        "resources": resources_,
    }


def test_a_small_bundle_leaves_every_quota_at_amazons_default(emulator) -> None:
    recorder = QuotaRecorder(emulator)
    from_bundle.load_bundle(recorder, _bundle({}), region="eu-west-2", alias="small")
    assert recorder.raised == []


def test_a_bundle_that_outgrows_a_quota_gets_exactly_what_it_needs(emulator) -> None:
    numbers = [{"phone_number": f"+1212555010{i}"} for i in range(7)]
    recorder = QuotaRecorder(emulator)
    from_bundle.load_bundle(recorder, _bundle({"phone_numbers": numbers}), region="us-east-1", alias="numbers")
    assert recorder.raised == [("phone_numbers", 7)]


def test_a_child_group_listed_before_its_parent_is_created_after_it(emulator) -> None:
    hierarchy = {"levels": ["Region", "Site"], "groups": [{"path": "EMEA/London"}, {"path": "EMEA"}]}
    instance_id = from_bundle.load_bundle(
        emulator, _bundle({"user_hierarchy": hierarchy}), region="eu-west-2", alias="groups"
    )
    groups = emulator.call("ListUserHierarchyGroups", {"InstanceId": instance_id}, region="eu-west-2")
    assert [g["Name"] for g in groups["UserHierarchyGroupSummaryList"]] == ["EMEA", "London"]


def test_a_group_whose_parent_the_bundle_lacks_is_named(emulator) -> None:
    hierarchy = {"levels": ["Region", "Site"], "groups": [{"path": "EMEA/London"}]}
    with pytest.raises(from_bundle.BundleLoadError, match="group EMEA/London refers to user_hierarchy 'EMEA'"):
        from_bundle.load_bundle(emulator, _bundle({"user_hierarchy": hierarchy}), region="eu-west-2", alias="g")


def test_a_users_password_in_the_bundle_is_the_one_used(emulator) -> None:
    recorder: list[dict[str, Any]] = []

    class Spy(QuotaRecorder):
        def call(self, operation: str, params: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            if operation == "CreateUser":
                recorder.append(params)
            return super().call(operation, params, **kwargs)

    bundle = demo_bundles(users=2, seed=1)["source"]
    instance = from_bundle.create_instance(emulator, region="us-east-1", alias="pw")
    spy = Spy(emulator)
    from_bundle.raise_quotas(spy, instance, from_bundle.quota_needs(bundle))
    loaded = from_bundle.load(spy, bundle, instance)
    assert [p["Password"] for p in recorder] == [u["password"] for u in bundle["resources"]["users"]]
    assert loaded.counts["users"] == 2


def test_seeding_the_default_demo_loads_the_committed_files(emulator) -> None:
    result = seed(emulator)
    source = json.loads(_committed("source"))["resources"]
    assert result["source"]["counts"]["users"] == len(source["users"]) == DEMO_BUNDLE_USERS
    assert result["source"]["counts"]["quick_connects"] == len(source["quick_connects"])
    assert result["source"]["counts"]["queue_quick_connect_associations"] == sum(
        len(q["quick_connects"]) for q in source["queues"]
    )
    listed = emulator.call(
        "ListUsers", {"InstanceId": result["source"]["instance_id"], "MaxResults": 1000}, region="us-east-1"
    )
    assert {u["Username"] for u in listed["UserSummaryList"]} == {u["username"] for u in source["users"]}
