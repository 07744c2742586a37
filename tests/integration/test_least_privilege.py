"""The shipped IAM policies, proven with IAM enforced: each playbook passes under its own policy,
and a write under the read-only policy is refused and reported as such.

The emulator authorises every Connect request through moto's IAM backend (`iam_auth`, see
emulator/README.md): the caller's access key must belong to an IAM user, the SigV4 signature must
verify, and the user's policies must allow `connect:<Operation>`. The test makes one IAM user per
policy through the IAM API, attaches the policy file the collection ships, and runs the playbooks
with that user's keys (instead of the harness's dummy credentials, which IAM does not know).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import boto3
import pytest

from ansible_collections.ccaas.connect.plugins.module_utils._resources import RESOURCE_TYPES
from connect_emulator.seed import DEMO_SOURCE_ALIAS, DEMO_SOURCE_REGION, DEMO_TARGET_ALIAS, DEMO_TARGET_REGION

from .conftest import ROOT, run_playbook

pytestmark = [pytest.mark.integration, pytest.mark.slow]

POLICIES = ROOT / "playbooks" / "files" / "iam"
READ_PREFIXES = ("Describe", "List", "Search", "Get")
PHONE_MAP = ROOT / "playbooks" / "files" / "demo-phone-map.yml"


@pytest.fixture
def demo(connect_emulator_process):
    emulator = connect_emulator_process
    emulator.reset()
    emulator.seeded = emulator.seed("demo", users=20)
    emulator.reset_stats()
    yield emulator
    emulator.configure(iam_auth=False)  # the process is shared with the other tests


def iam_user(emulator: Any, policy: str, *extra_actions: str) -> dict[str, str]:
    """An IAM user holding only the shipped policy `policy` (and `extra_actions`); the environment that signs as it."""
    iam = boto3.client(
        "iam",
        endpoint_url=emulator.endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    name = f"ccaas-{policy}-{uuid.uuid4().hex[:8]}"
    document = (POLICIES / f"ccaas-connect-{policy}.json").read_text("utf-8")
    if extra_actions:
        parsed = json.loads(document)
        parsed["Statement"].append({"Effect": "Allow", "Action": list(extra_actions), "Resource": "*"})
        document = json.dumps(parsed)
    arn = iam.create_policy(PolicyName=name, PolicyDocument=document)["Policy"]["Arn"]
    iam.create_user(UserName=name)
    iam.attach_user_policy(UserName=name, PolicyArn=arn)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    # An empty session token: botocore then signs with the user's key alone (a token would name a role).
    return {
        "AWS_ACCESS_KEY_ID": key["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"],
        "AWS_SESSION_TOKEN": "",
    }


def denied(emulator: Any) -> dict[str, int]:
    apis = emulator.stats()["apis"]
    counts = {api: v["errors"].get("AccessDeniedException", 0) for api, v in apis.items()}
    return {api: count for api, count in counts.items() if count}


def called(emulator: Any) -> set[str]:
    return {api for api, v in emulator.stats()["apis"].items() if v["calls"] > len(v["errors"])}


def succeeded_writes(emulator: Any) -> dict[str, int]:
    apis = emulator.stats()["apis"]
    return {
        api: v["calls"] - sum(v["errors"].values())
        for api, v in apis.items()
        if not api.startswith(READ_PREFIXES) and v["calls"] > sum(v["errors"].values())
    }


def policy_actions(policy: str) -> set[str]:
    document = json.loads((POLICIES / f"ccaas-connect-{policy}.json").read_text("utf-8"))
    return {a.removeprefix("connect:") for s in document["Statement"] for a in s["Action"]}


def migrate_vars(output: Path) -> dict[str, Any]:
    return {
        "source": DEMO_SOURCE_ALIAS,
        "source_region": DEMO_SOURCE_REGION,
        "target": DEMO_TARGET_ALIAS,
        "target_region": DEMO_TARGET_REGION,
        "output_dir": str(output),
        "phone_map": str(PHONE_MAP),
        "on_unmapped": "skip",
        "api_rate_factor": 0,
    }


def test_each_playbook_passes_under_its_own_policy_with_iam_enforced(demo, tmp_path):
    exporter, importer, roller = (iam_user(demo, p) for p in ("export", "import", "rollback"))
    demo.configure(iam_auth=True)
    # IAM is really on: the harness's dummy key is not an IAM user's.
    with pytest.raises(Exception, match="UnrecognizedClientException"):
        demo.client(DEMO_SOURCE_REGION).list_instances()
    demo.reset_stats()

    exported = run_playbook(
        "playbooks/export.yml",
        {
            "source": DEMO_SOURCE_ALIAS,
            "source_region": DEMO_SOURCE_REGION,
            "output_dir": str(tmp_path / "export"),
            "api_rate_factor": 0,
        },
        {**demo.env(DEMO_SOURCE_REGION), **exporter},
    )
    assert exported.returncode == 0, json.dumps(exported.output)[-3000:]
    assert list((tmp_path / "export").glob("bundle-*.json"))
    assert denied(demo) == {}
    assert called(demo) <= policy_actions("export")
    assert succeeded_writes(demo) == {}
    demo.reset_stats()

    migrated = run_playbook(
        "playbooks/migrate.yml", migrate_vars(tmp_path / "run"), {**demo.env(DEMO_SOURCE_REGION), **importer}
    )
    assert migrated.returncode == 0, json.dumps(migrated.output)[-3000:]
    assert denied(demo) == {}
    assert called(demo) <= policy_actions("import")
    assert succeeded_writes(demo).get("CreateUser") == 20
    demo.reset_stats()

    [ledger] = (tmp_path / "run").glob("ledger-*.jsonl")
    extra = {"ledger": str(ledger), "target": DEMO_TARGET_ALIAS, "target_region": DEMO_TARGET_REGION}
    extra["api_rate_factor"] = 0
    undone = run_playbook("playbooks/rollback.yml", extra, {**demo.env(DEMO_TARGET_REGION), **roller})
    assert undone.returncode == 0, json.dumps(undone.output)[-3000:]
    assert denied(demo) == {}
    assert called(demo) <= policy_actions("rollback")
    assert succeeded_writes(demo).get("DeleteUser") == 20


def test_a_write_under_the_read_only_policy_is_refused_once_and_reported_with_the_missing_permission(demo, tmp_path):
    demo.configure(iam_auth=True)
    # Under the read-only policy alone, the run cannot take the lease (it reads the instance's tags first):
    # refused once, and the run stops before any write.
    reader = iam_user(demo, "export")
    stopped = run_playbook(
        "playbooks/migrate.yml", migrate_vars(tmp_path / "stop"), {**demo.env(DEMO_SOURCE_REGION), **reader}
    )
    assert stopped.returncode != 0
    assert denied(demo) == {"ListTagsForResource": 1}
    assert succeeded_writes(demo) == {}
    [report] = (tmp_path / "stop").glob("report-*.md")
    text = report.read_text("utf-8")
    assert "failed" in text.splitlines()[0] + text and "connect:ListTagsForResource" in text

    # Allowed the lease but no other write: each item's write is refused once and reported by item.
    demo.reset_stats()
    reader = iam_user(demo, "export", "connect:TagResource", "connect:UntagResource", "connect:ListTagsForResource")
    env = {**demo.env(DEMO_SOURCE_REGION), **reader}
    run = run_playbook("playbooks/migrate.yml", migrate_vars(tmp_path / "run"), env)

    assert run.returncode != 0
    refused = denied(demo)
    assert refused, "no write reached the emulator to be refused"
    assert all(not api.startswith(READ_PREFIXES) for api in refused)
    assert succeeded_writes(demo) == {"TagResource": 1, "UntagResource": 1}  # the lease, taken and released
    # Refused, not retried: an AccessDenied is final, so no item is asked for more than once (the
    # import goes on with the items that do not depend on a failed one, as it does for any failure).
    [bundle_path] = (tmp_path / "run").glob("bundle-*.json")
    bundle = json.loads(bundle_path.read_text("utf-8"))
    sections = {**bundle["resources"], "user_hierarchy_groups": bundle["resources"]["user_hierarchy"]["groups"]}
    creates = {t.write.create_api: key for key, t in RESOURCE_TYPES.items()}
    # Beside the creates: the levels, once per run, and each mapped number's flow, once per number.
    assert set(refused) - set(creates) <= {"UpdateUserHierarchyStructure", "AssociatePhoneNumberContactFlow"}
    assert refused.get("UpdateUserHierarchyStructure", 1) == 1
    assert refused.get("AssociatePhoneNumberContactFlow", 0) <= len(sections.get("phone_numbers", []))
    for api, count in refused.items():
        if api in creates:
            assert count <= len(sections[creates[api]]), (api, count)
    # The report says the run failed, and which item lacked which permission (by its IAM name).
    [report] = (tmp_path / "run").glob("report-*.md")
    lines = report.read_text("utf-8").splitlines()
    assert any(line.startswith("| Status |") and "failed" in line for line in lines)
    names = {item["name"] for item in sections["hours_of_operations"]}
    refusals = [line for line in lines if "AccessDeniedException" in line and "connect:CreateHoursOfOperation" in line]
    rows = [line for line in refusals if line.startswith("|")]  # the failures table; the headline comes first
    assert rows and all(any(f"| {name} |" in line for name in names) for line in rows)
    headline = [line for line in refusals if line.startswith("- Failed: ")]
    assert headline and all(any(f"hours of operation {name}: " in line for name in names) for line in headline)
