"""playbooks/export.yml through ansible-playbook against the emulator seeded with the demo contact centre."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path
from typing import Any

import pytest

from ansible_collections.ccaas.connect.plugins.module_utils._bundle import load_bundle
from connect_emulator.from_bundle import load_bundle as load_into_emulator
from connect_emulator.seed import DEMO_SOURCE_ALIAS, DEMO_SOURCE_REGION, bu_queue_names

from .conftest import run_playbook
from .test_verify_report_rollback import portable

pytestmark = pytest.mark.integration

USER_READING_APIS = ("SearchUsers", "DescribeUser", "ListUsers")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def export(
    emulator: Any, output: Path, env: dict[str, str] | None = None, **extra_vars: Any
) -> tuple[dict[str, Any], Path]:
    """Run the export playbook; returns the bundle, validated by the collection's loader, and its path.

    Unpaced unless asked (the emulator is unthrottled): calls are counted here; pacing has tests of its own."""
    run = run_playbook(
        "playbooks/export.yml",
        {
            "source": DEMO_SOURCE_ALIAS,
            "source_region": DEMO_SOURCE_REGION,
            "output_dir": str(output),
            "api_rate_factor": 0,
            **extra_vars,
        },
        {**emulator.env(DEMO_SOURCE_REGION), **(env or {})},
    )
    assert run.returncode == 0, run.stderr + json.dumps(run.output)[-3000:]
    [path] = output.glob("bundle-*.json")
    return load_bundle(path), path


@pytest.fixture
def demo(connect_emulator):
    connect_emulator.seeded = connect_emulator.seed("demo", users=200)
    return connect_emulator


def exported_names(bundle: dict[str, Any], kind: str) -> set[str]:
    key = "phone_number" if kind == "phone_numbers" else "username" if kind == "users" else "name"
    return {item[key] for item in bundle["resources"].get(kind, [])}


def test_bu_tag_sales_selects_exactly_the_queues_tagged_sales_in_any_case(demo, tmp_path):
    bundle, path = export(demo, tmp_path, bu_tag="sales")
    wanted = bu_queue_names("Sales")
    assert wanted, "the demo must tag some queues BU=Sales"
    assert bundle["selection"]["matched"] == {"queues": sorted(wanted)}
    assert bundle["selection"]["filters"] == {"bu_tag": {"key": "BU", "value": "sales"}}
    # Everything else in the bundle is there because a selected item refers to it.
    queues = exported_names(bundle, "queues")
    assert queues == set(wanted) | set(bundle["selection"]["dependencies"].get("queues", []))
    # Users come only because something exported names them (a flow's duty manager, a queue's quick connect).
    assert exported_names(bundle, "users") == set(bundle["selection"]["dependencies"].get("users", []))
    # load_bundle (above) already checked the schema and that every reference resolves in the bundle.
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    summary = path.with_suffix(".summary.txt").read_text()
    assert re.search(rf"^\s+queues\s+{len(queues)}\s+\({len(wanted)} matched by the filters\)$", summary, re.M)


def test_bu_tag_and_prefix_together_select_the_queues_satisfying_both(demo, tmp_path):
    bundle = export(demo, tmp_path, bu_tag="Support", queue_prefix="Q_QC_")[0]
    assert bundle["selection"]["matched"] == {"queues": sorted(bu_queue_names("Support", prefix="Q_QC_"))}


def test_the_bundle_names_its_source_and_holds_no_source_ids_or_arns(demo, tmp_path):
    bundle, path = export(demo, tmp_path)
    assert bundle["format_version"] == 1
    assert bundle["source"]["instance_alias"] == DEMO_SOURCE_ALIAS
    assert bundle["source"]["region"] == DEMO_SOURCE_REGION
    # Flow language is exported as stored, with the ARNs it names listed beside it; the instance's own ARN says
    # which instance they belong to; integrations are named by their ARNs; prompts' audio by its path. Everything
    # else is names only.
    assert bundle["source"]["instance_arn"] == demo.seeded["source"]["instance_arn"]
    bundle["source"].pop("instance_arn")
    for key in ("contact_flows", "contact_flow_modules"):
        for flow in bundle["resources"][key]:
            flow.pop("content")
            assert all(r["arn"].startswith("arn:aws:") for r in flow.pop("references"))
    for key in ("lambda_functions", "lex_bots"):
        bundle["resources"].pop(key)
    for prompt in bundle["resources"]["prompts"]:
        assert Path(prompt.pop("file")).is_file()
    text = json.dumps(bundle)
    assert "arn:aws" not in text
    assert demo.seeded["source"]["instance_id"] not in text
    # Connect IDs are UUIDs.
    assert not UUID.findall(text)
    assert path.name.startswith(f"bundle-{DEMO_SOURCE_ALIAS}-")


def test_an_exported_demo_loaded_into_a_fresh_emulator_exports_the_same_bundle(demo, tmp_path):
    first = export(demo, tmp_path / "first")[0]
    # What Search leaves out of security profiles travels too: the comparison below would miss its absence.
    profiles = {p["name"]: p for p in first["resources"]["security_profiles"]}
    assert profiles["Sales Supervisor"]["allowed_access_control_tags"] == {"BU": "Sales"}
    assert profiles["Sales Supervisor"]["tag_restricted_resources"] == ["Queue", "RoutingProfile", "User"]
    assert [a["namespace"] for a in profiles["Support Agent Plus"]["applications"]] == [
        "acme-crm",
        "acme-knowledge-base",
    ]
    demo.reset()
    load_into_emulator(demo.emulator, first, region=DEMO_SOURCE_REGION, alias=DEMO_SOURCE_ALIAS)
    second = export(demo, tmp_path / "second")[0]
    assert first.pop("exported_at") and second.pop("exported_at")
    # The same, but for what names the instance itself: its ARN, the ARNs its flows name, where audio was written.
    assert portable(second) == portable(first)


def test_without_contact_details_every_user_costs_one_search_users_call_per_500_users(demo, tmp_path):
    demo.reset_stats()
    bundle = export(demo, tmp_path, resources="users", user_contact_details=False)[0]
    assert len(bundle["resources"]["users"]) == 200
    apis = demo.stats()["apis"]
    user_calls = {api: apis[api]["calls"] for api in USER_READING_APIS if api in apis}
    assert user_calls == {"SearchUsers": 1}
    assert not any(user["identity_info"].get("email") for user in bundle["resources"]["users"])
    assert bundle["selection"]["omitted"]["users"]["items"] == 200


def test_contact_details_are_exported_by_default_at_one_describe_user_per_user(demo, tmp_path):
    demo.reset_stats()
    bundle = export(demo, tmp_path, resources="users")[0]
    users = bundle["resources"]["users"]
    assert all(user["identity_info"]["email"].endswith("@acme.example.com") for user in users)
    assert demo.stats()["apis"]["DescribeUser"]["calls"] == len(users) == 200
    assert "omitted" not in bundle["selection"]


def test_a_secret_that_occurs_in_the_data_does_not_mask_the_written_bundle(demo, tmp_path):
    """Ansible masks every no_log value (the secret key among them) in a task's result; a bundle that went
    through the result would be written with "********" wherever the secret's text occurs in a name."""
    bundle, path = export(demo, tmp_path, env={"AWS_SECRET_ACCESS_KEY": "Sales"}, bu_tag="Sales")
    assert "********" not in path.read_text()
    assert exported_names(bundle, "queues") >= set(bu_queue_names("Sales"))
