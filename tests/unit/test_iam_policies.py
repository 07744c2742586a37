"""The shipped IAM policies (playbooks/files/iam/) grant what the code can call, and no more.

The APIs each playbook can call are derived from the code, not listed by hand: the resource
descriptions (`_resources.RESOURCE_TYPES`: read, describe, sub-list, look-up, create, update,
associate, delete APIs) and every other Connect operation the plugins name (a string literal such
as "TagResource", or a call such as `client.describe_user_hierarchy_structure(...)`). A new API in
the code that a policy lacks fails here before it fails as AccessDenied in someone's account; the
integration test (tests/integration/test_least_privilege.py) then proves the policies by running
the playbooks under them with IAM enforced.

After a change of the code's APIs, `.venv/bin/python tests/unit/test_iam_policies.py --write`
rewrites the three files from the same derivation (review the diff: it is what operators attach).
"""

from __future__ import annotations

import ast
import json
import sys
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from botocore import xform_name
from botocore.session import get_session

if __name__ == "__main__":  # run as a script (--write): make the collection importable as pytest does
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    import conftest  # noqa: F401  # pylint: disable=unused-import

from ansible_collections.ccaas.connect.plugins.module_utils import _resources as R

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT / "playbooks" / "files" / "iam"
CONNECT_OPERATIONS = frozenset(get_session().get_service_model("connect").operation_names)
BY_SNAKE_NAME = {xform_name(op): op for op in CONNECT_OPERATIONS}
READ_VERBS = ("Describe", "List", "Search", "Get")
# A table of AWS's quotas for APIs the collection may never call, and the descriptions (read by type
# below, so that writes of types no playbook imports, e.g. CreateContactFlow, are not counted).
NOT_CALLS = {"_quota_table.py", "_resources.py"}
# The run lease on the target instance (a tag read back after it is written, then removed): import
# and rollback take it, the export never writes.
LEASE = frozenset({"TagResource", "UntagResource", "ListTagsForResource"})


# Actions of other services a Connect operation needs the caller to hold too ("Dependent actions" in the
# Service Authorization Reference for Amazon Connect), and the import's own upload of prompts' audio.
DEPENDENT: dict[str, tuple[str, ...]] = {
    "AssociateLambdaFunction": ("lambda:AddPermission",),
    "DisassociateLambdaFunction": ("lambda:RemovePermission",),
    "AssociateBot": ("lex:CreateResourcePolicy", "lex:DescribeBotAlias", "lex:GetBot", "lex:UpdateResourcePolicy"),
    "DisassociateBot": ("lex:DeleteResourcePolicy", "lex:UpdateResourcePolicy"),
    "CreatePrompt": ("s3:GetObject", "s3:PutObject"),
}


def action(api: str) -> str:
    """An IAM action: a Connect operation by its name, another service's action as it is spelled."""
    return api if ":" in api else f"connect:{api}"


def is_read(operation: str) -> bool:
    return operation.startswith(READ_VERBS)


def description_apis(obj: Any) -> Iterator[str]:
    """Every Connect operation a description names, in any of its parts."""
    if isinstance(obj, str):
        if obj in CONNECT_OPERATIONS:
            yield obj
    elif is_dataclass(obj):
        for f in fields(obj):
            yield from description_apis(getattr(obj, f.name))
    elif isinstance(obj, tuple | list):
        for part in obj:
            yield from description_apis(part)


@cache
def named_in_code() -> frozenset[str]:
    """Connect operations the plugins name as strings or call as client methods."""
    found: set[str] = set()
    for path in sorted((ROOT / "plugins").rglob("*.py")):
        if path.name in NOT_CALLS:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if node.value in CONNECT_OPERATIONS:
                    found.add(node.value)
                elif node.value in BY_SNAKE_NAME:  # get_paginator("list_instances")
                    found.add(BY_SNAKE_NAME[node.value])
            elif (
                isinstance(node, ast.Attribute)
                and node.attr in BY_SNAKE_NAME
                and isinstance(node.value, ast.Name | ast.Attribute)
                and "client" in ast.unparse(node.value)
            ):
                found.add(BY_SNAKE_NAME[node.attr])
    return frozenset(found)


def imported_types() -> list[R.ResourceType]:
    """The types an import (import.yml, migrate.yml) writes: `user_hierarchy` is the groups."""
    keys = {key for section in R.IMPORT_ORDER for key in R.RESOURCE_CHOICES.get(section, (section,))}
    return [R.RESOURCE_TYPES[key] for key in sorted(keys)]


def required() -> dict[str, set[str]]:
    """What each policy must allow, derived from the descriptions and the code."""
    everything = {api for rtype in R.RESOURCE_TYPES.values() for api in description_apis(rtype)} | named_in_code()
    reads = {api for api in everything if is_read(api)}
    creates = {t.write.create_api for t in imported_types() if t.write.create_api}
    deletes = {t.write.delete_api for t in imported_types() if t.write.delete_api}
    # Every write of a type the import writes, but not its delete: an import never deletes.
    import_writes = {api for t in imported_types() for api in description_apis(t) if not is_read(api)} - deletes
    # Writes the code names outside the descriptions (the hierarchy's level names, tags).
    import_writes |= {api for api in named_in_code() if not is_read(api) and not api.startswith("Delete")}
    import_writes |= {"TagResource", "UntagResource"}  # tag_with_resource_api: tags are written by ARN
    policies = {
        "export": reads - LEASE,  # the export takes no lease
        "import": reads | import_writes | LEASE,
        # Rollback restores what a run changed (the same Update*/Associate*/Tag* calls), deletes what it
        # created, and takes the lease; it recreates nothing an import made, so it needs no Create*.
        "rollback": reads | {api for api in import_writes - creates if not api.startswith("Create")} | deletes | LEASE,
    }
    return {name: apis | {d for api in apis for d in DEPENDENT.get(api, ())} for name, apis in policies.items()}


def policy_actions(name: str) -> set[str]:
    document = json.loads((POLICIES / f"ccaas-connect-{name}.json").read_text("utf-8"))
    actions: set[str] = set()
    for statement in document["Statement"]:
        assert statement["Effect"] == "Allow"
        listed = statement["Action"]
        actions |= {listed} if isinstance(listed, str) else set(listed)
    return actions


@pytest.mark.parametrize("name", ["export", "import", "rollback"])
def test_each_policy_allows_every_connect_api_its_playbook_can_call(name):
    actions = policy_actions(name)
    missing = sorted(action(api) for api in required()[name] if action(api) not in actions)
    assert missing == [], f"ccaas-connect-{name}.json lacks {missing}"


@pytest.mark.parametrize("name", ["export", "import", "rollback"])
def test_each_policy_allows_nothing_its_playbook_cannot_call(name):
    actions = policy_actions(name)
    dependent = {d for ds in DEPENDENT.values() for d in ds}
    assert all("*" not in a for a in actions), "no wildcards"
    assert all(a.startswith("connect:") or a in dependent for a in actions), "another service only as Connect needs it"
    extra = sorted(a for a in actions if a.removeprefix("connect:") not in required()[name])
    assert extra == [], f"ccaas-connect-{name}.json grants what no code path calls: {extra}"


def test_the_export_policy_is_read_only_and_the_rollback_policy_creates_nothing():
    # An item's entries written one call each (an hours' holiday overrides) are members of the item: an import
    # makes the list what the bundle says (deleting an extra one), a rollback puts back one the run removed.
    entries = {
        f"connect:{api}"
        for rtype in R.RESOURCE_TYPES.values()
        for sub in rtype.sublists
        for api in (sub.entry_create_api, sub.entry_delete_api)
        if api
    }
    assert all(a.startswith("connect:") and is_read(a.removeprefix("connect:")) for a in policy_actions("export"))
    assert not any(a.startswith("connect:Create") for a in policy_actions("rollback") if a not in entries)
    assert not any(a.startswith("connect:Delete") for a in policy_actions("import") if a not in entries)


def test_the_derivation_sees_the_calls_outside_the_descriptions():
    # If the scan went blind (a refactor renaming `client`), the policies would pass vacuously.
    named = named_in_code()
    assert {"DescribeInstance", "ListInstances", "DescribeUserHierarchyStructure", "CreateUser"} <= named
    assert "UpdateUserHierarchyStructure" in required()["import"]
    assert "GetMetricData" not in named  # only in the quota table


SIDS = {"export": "ConnectReadForExport", "import": "ConnectImportIntoTarget", "rollback": "ConnectRollbackOfARun"}


def write_policies() -> None:
    for name, apis in required().items():
        statements = [
            {
                "Sid": SIDS[name],
                "Effect": "Allow",
                "Action": sorted(action(a) for a in apis if ":" not in a),
                "Resource": "*",
            }
        ]
        others = sorted(a for a in apis if ":" in a)
        if others:
            # Narrow these to your functions, bots and prompt bucket where you can.
            statements.append({"Sid": "DependentActions", "Effect": "Allow", "Action": others, "Resource": "*"})
        document = {"Version": "2012-10-17", "Statement": statements}
        (POLICIES / f"ccaas-connect-{name}.json").write_text(json.dumps(document, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        raise SystemExit("usage: test_iam_policies.py --write")
    write_policies()
