"""The demo source, whole, into a brand-new instance: flows, modules, prompts, Lambda and Lex, numbers.

A new instance has only what Amazon puts in every instance. The migration must leave a contact centre that
takes calls: every flow and module there, published as in the source, naming only the new instance's
resources; every number answering with its flow. A rerun writes nothing, the dry run predicted the run call
by call, and a rollback leaves the new instance as Amazon made it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from ansible_collections.ccaas.connect.plugins.module_utils._resources import RESOURCE_TYPES
from connect_emulator.seed import DEMO_SOURCE_ALIAS, DEMO_SOURCE_REGION, DEMO_TARGET_REGION
from connect_emulator.testing import claim_numbers_like

from .conftest import DEMO_INTEGRATION_MAP
from .test_import_bundle import failures, results, writes
from .test_migrate import comparable, migrate
from .test_verify_report_rollback import UNDO, export, only, retired_after_rollback, rollback

pytestmark = pytest.mark.integration

NEW_ALIAS = "acme-contact-centre-eu-new"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def pages(client: Any, method: str, key: str, **params: Any) -> list[dict[str, Any]]:
    found, token = [], None
    while True:
        page = getattr(client, method)(**params, **({"NextToken": token} if token else {}))
        found += page[key]
        token = page.get("NextToken")
        if not token:
            return found


def source_ids(emulator: Any) -> set[str]:
    """Every ID of the source instance's resources, and the instance's own."""
    client = emulator.client(DEMO_SOURCE_REGION)
    instance = emulator.seeded["source"]["instance_id"]
    listings = {
        "list_users": ("UserSummaryList", "Id"),
        "list_queues": ("QueueSummaryList", "Id"),
        "list_routing_profiles": ("RoutingProfileSummaryList", "Id"),
        "list_security_profiles": ("SecurityProfileSummaryList", "Id"),
        "list_hours_of_operations": ("HoursOfOperationSummaryList", "Id"),
        "list_quick_connects": ("QuickConnectSummaryList", "Id"),
        "list_contact_flows": ("ContactFlowSummaryList", "Id"),
        "list_contact_flow_modules": ("ContactFlowModulesSummaryList", "Id"),
        "list_prompts": ("PromptSummaryList", "Id"),
        "list_agent_statuses": ("AgentStatusSummaryList", "Id"),
        "list_user_hierarchy_groups": ("UserHierarchyGroupSummaryList", "Id"),
    }
    ids = {instance}
    for method, (key, member) in listings.items():
        ids |= {entry[member] for entry in pages(client, method, key, InstanceId=instance)}
    numbers = pages(
        client,
        "list_phone_numbers_v2",
        "ListPhoneNumbersSummaryList",
        TargetArn=emulator.seeded["source"]["instance_arn"],
    )
    return ids | {n["PhoneNumberId"] for n in numbers}


def contents(client: Any, instance: str) -> dict[str, tuple[str, str]]:
    """Every flow's and module's (status, content) in an instance, by name."""
    flows = pages(client, "list_contact_flows", "ContactFlowSummaryList", InstanceId=instance)
    modules = pages(client, "list_contact_flow_modules", "ContactFlowModulesSummaryList", InstanceId=instance)
    out = {}
    for flow in flows:
        described = client.describe_contact_flow(InstanceId=instance, ContactFlowId=flow["Id"])["ContactFlow"]
        out[f"flow {flow['Name']}"] = (described["Status"], described["Content"])
    for module in modules:
        described = client.describe_contact_flow_module(InstanceId=instance, ContactFlowModuleId=module["Id"])
        out[f"module {module['Name']}"] = (
            described["ContactFlowModule"]["Status"],
            described["ContactFlowModule"]["Content"],
        )
    return out


def in_source_words(
    exported: dict[str, Any], phone_map: dict[str, str], integrations: dict[str, str]
) -> dict[str, Any]:
    """An export's resources with what a migration renames by design put back in the source's words, and what it
    leaves alone by design left out, so a source and its migrated target compare equal item by item, member by
    member (e-mail, proficiencies, overrides, restrictions included):

    - phone numbers are the target's own (claimed, then mapped): a target number is named by the source number
      mapped to it, and only what the import writes of a number is compared, the flow it answers with;
    - a Lambda function is the one of that name in the target's account and region: compared by name; a Lex V2
      alias maps through the integration map: the target's is named by the source's;
    - instance defaults (Basic Hours, BasicQueue, the default flows, prompts, profiles...) are the target's own,
      mapped and never overwritten: compared by name only.
    """
    back = {target: source for source, target in phone_map.items()}
    lex_back = {t.split("bot-alias/", 1)[-1]: s.split("bot-alias/", 1)[-1] for s, t in integrations.items()}
    resources = json.loads(json.dumps(exported["resources"]))
    resources["phone_numbers"] = sorted(
        (
            {"phone_number": back.get(n["phone_number"], n["phone_number"]), "contact_flow": n.get("contact_flow")}
            for n in resources.get("phone_numbers", [])
        ),
        key=lambda n: n["phone_number"],
    )
    for q in resources.get("queues", []):
        caller = q.get("outbound_caller_config") or {}
        if caller.get("outbound_caller_id_number"):
            caller["outbound_caller_id_number"] = back.get(
                caller["outbound_caller_id_number"], caller["outbound_caller_id_number"]
            )
    for fn in resources.get("lambda_functions", []):
        fn.pop("arn", None)
    for bot in resources.get("lex_bots", []):
        bot["name"] = lex_back.get(bot["name"], bot["name"])
        bot.pop("arn", None)
    resources["lex_bots"] = sorted(resources.get("lex_bots", []), key=lambda b: b["name"])
    for key in ("contact_flows", "contact_flow_modules"):
        for item in resources.get(key, []):
            for target_name, source_name in lex_back.items():
                item["content"] = item.get("content", "").replace(
                    f"<lex_bots:{target_name}>", f"<lex_bots:{source_name}>"
                )
            for ref in item.get("references", []):
                ref["name"] = lex_back.get(ref["name"], ref["name"]) if ref["type"] == "lex_bots" else ref["name"]
            item["references"] = sorted(item.get("references", []), key=lambda r: (r["type"], r["name"]))
    for rtype in RESOURCE_TYPES.values():
        defaults = set(rtype.instance_defaults)
        if defaults and isinstance(resources.get(rtype.bundle_key), list):
            resources[rtype.bundle_key] = [
                {rtype.identity_key: item[rtype.identity_key]} if item[rtype.identity_key] in defaults else item
                for item in resources[rtype.bundle_key]
            ]
    return resources


def differences(source: dict[str, Any], target: dict[str, Any]) -> list[str]:
    """Every item and member in which two exports (in source words) differ, named: type, item, member."""
    out = []
    for section in sorted(set(source) | set(target)):
        one, other = source.get(section), target.get(section)
        if isinstance(one, list) and isinstance(other, list):
            identity = next((k for k in ("name", "username", "phone_number", "path") if one and k in one[0]), "name")
            mine = {json.dumps(i.get(identity)): i for i in one}
            theirs = {json.dumps(i.get(identity)): i for i in other}
            for name in sorted(set(mine) | set(theirs)):
                a, b = mine.get(name), theirs.get(name)
                if a is None or b is None:
                    out.append(f"{section} {name}: {'missing in the target' if b is None else 'not in the source'}")
                    continue
                out += [
                    f"{section} {name}: {k}: {a.get(k)!r} != {b.get(k)!r}"
                    for k in sorted(set(a) | set(b))
                    if a.get(k) != b.get(k)
                ]
        elif one != other:
            out.append(f"{section}: {one!r} != {other!r}")
    return out


@pytest.mark.parametrize("users", [20])
def test_the_demo_source_migrates_whole_into_a_brand_new_instance_and_rolls_back_to_it(demo, tmp_path):
    client = demo.client(DEMO_TARGET_REGION)
    made = client.create_instance(
        IdentityManagementType="CONNECT_MANAGED",
        InstanceAlias=NEW_ALIAS,
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )
    new_id, new_arn = made["Id"], made["Arn"]
    # The operator asked Amazon for more numbers than a new instance's five (the source has six).
    raised = {"region": DEMO_TARGET_REGION, "instance_id": new_id, "quota": "phone_numbers", "value": 10}
    demo.configure(quotas=[raised])
    phone_map = tmp_path / "phone-map.yml"
    phone_map.write_text(yaml.safe_dump(claim_numbers_like(demo, demo.seeded["source"]["instance_arn"], new_arn)))
    new = {"alias": NEW_ALIAS, "region": DEMO_TARGET_REGION}
    before = export(demo, new, tmp_path / "before")
    options = {"target": NEW_ALIAS, "bu_tag": "", "phone_map": str(phone_map), "on_unmapped": "fail", "chunk_size": 10}

    demo.reset_stats()
    dry = migrate(demo, tmp_path / "dry", "--check", **options)
    assert dry.returncode == 0, failures(dry)
    assert writes(demo) == {}
    [preflight] = dry.task_results("Show the preflight")
    assert not [line for line in preflight["msg"] if "NOT MAPPED" in line]
    real = migrate(demo, tmp_path / "real", **options)
    assert real.returncode == 0, failures(real)
    done = results(real)
    assert comparable({n: r["item_results"] for n, r in done.items()}) == comparable(
        {n: r["item_results"] for n, r in results(dry).items()}
    )
    assert sum(len(i["api_calls"]) for r in done.values() for i in r["item_results"]) == sum(writes(demo).values())
    for phase in ("prompts", "Lambda functions", "Lex bots", "flow modules", "contact flows", "contact flow content"):
        assert done[phase]["totals"]["created" if "content" not in phase else "updated"] > 0, phase
        assert done[phase]["totals"]["failed"] == 0, phase
    assert done["phone number flows"]["totals"]["updated"] == 2  # the sales line and the billing line

    # Every flow and module of the source is there, as published or saved as in the source, and names nothing of
    # the source: no ID, no ARN of its instance, no Lambda function or Lex alias of its region.
    source = contents(demo.client(DEMO_SOURCE_REGION), demo.seeded["source"]["instance_id"])
    target = contents(client, new_id)
    carried = {name for name in source if not name.startswith(("flow Default ", "flow Sample "))}
    assert carried <= set(target)
    assert {name: target[name][0] for name in carried} == {name: source[name][0] for name in carried}
    ids = source_ids(demo)
    assert any(new_id in target[name][1] for name in carried)  # the rewritten references are the new instance's
    for name in carried:
        text = target[name][1]
        assert not set(UUID.findall(text)) & ids, name
        assert demo.seeded["source"]["instance_id"] not in text and ":us-east-1:" not in text, name

    # Each number answers with the flow its source number answered with.
    associations = pages(
        client,
        "list_flow_associations",
        "FlowAssociationSummaryList",
        InstanceId=new_id,
        ResourceType="VOICE_PHONE_NUMBER",
    )
    assert len(associations) == 2

    # A rerun writes nothing.
    demo.reset_stats()
    again = migrate(demo, tmp_path / "again", **options)
    assert again.returncode == 0, failures(again)
    assert writes(demo) == {}

    # Nothing lost: the source and the new instance, each exported, are the same contact centre in other IDs,
    # for every type and member (users' e-mail and mobile, proficiencies, holiday overrides, supervisors'
    # hierarchy scope, manual-assignment queues, views...), but for what a migration renames by design.
    mapped = yaml.safe_load(phone_map.read_text())
    integrations = yaml.safe_load(DEMO_INTEGRATION_MAP.read_text())
    source_export = export(demo, {"alias": DEMO_SOURCE_ALIAS, "region": DEMO_SOURCE_REGION}, tmp_path / "source")
    target_export = export(demo, new, tmp_path / "target")
    assert target_export["resources"]["users"] and target_export["resources"]["predefined_attributes"]
    assert any(u.get("proficiencies") for u in target_export["resources"]["users"])
    assert any(u["identity_info"].get("email") for u in target_export["resources"]["users"])
    assert any(h.get("overrides") for h in target_export["resources"]["hours_of_operations"])
    assert target_export["resources"].get("views")
    assert (
        differences(
            in_source_words(source_export, mapped, integrations), in_source_words(target_export, mapped, integrations)
        )
        == []
    )

    # The rollback leaves the new instance as Amazon made it (with the numbers the operator claimed), but for the
    # agent statuses the run created: Connect cannot delete them, so they are disabled.
    [ledger] = (tmp_path / "real").glob("ledger-*.jsonl")
    undone = rollback(demo, new, ledger)
    assert undone.returncode == 0, json.dumps(undone.output)[-3000:]
    assert only(undone, UNDO)["totals"]["failed"] == 0
    after = export(demo, new, tmp_path / "after")
    [bundle] = Path(tmp_path / "real").glob("bundle-*.json")
    custom = [s for s in json.loads(bundle.read_text())["resources"]["agent_statuses"] if s["type"] == "CUSTOM"]
    assert retired_after_rollback(before, after) == {s["name"]: {**s, "state": "DISABLED"} for s in custom}
    assert pages(client, "list_lambda_functions", "LambdaFunctions", InstanceId=new_id) == []
    assert pages(client, "list_bots", "LexBots", InstanceId=new_id, LexVersion="V2") == []


CLAIMS_ALIAS = "acme-contact-centre-eu-claims"


def tagged_numbers(client: Any, instance_arn: str) -> list[dict[str, Any]]:
    """Every number of an instance, described (with its tags)."""
    listed = pages(client, "list_phone_numbers_v2", "ListPhoneNumbersSummaryList", TargetArn=instance_arn)
    return [client.describe_phone_number(PhoneNumberId=n["PhoneNumberId"])["ClaimedPhoneNumberSummary"] for n in listed]


@pytest.mark.parametrize("users", [20])
def test_claim_phone_numbers_claims_one_number_per_source_number_and_rollback_releases_them(demo, tmp_path):
    client = demo.client(DEMO_TARGET_REGION)
    made = client.create_instance(
        IdentityManagementType="CONNECT_MANAGED",
        InstanceAlias=CLAIMS_ALIAS,
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )
    new_id, new_arn = made["Id"], made["Arn"]
    raised = {"region": DEMO_TARGET_REGION, "instance_id": new_id, "quota": "phone_numbers", "value": 10}
    demo.configure(quotas=[raised])
    options = {
        "target": CLAIMS_ALIAS,
        "bu_tag": "",
        "on_unmapped": "fail",
        "chunk_size": 10,
        "claim_phone_numbers": True,
    }
    source_numbers = {
        n["PhoneNumber"]: n
        for n in pages(
            demo.client(DEMO_SOURCE_REGION),
            "list_phone_numbers_v2",
            "ListPhoneNumbersSummaryList",
            TargetArn=demo.seeded["source"]["instance_arn"],
        )
    }

    # The dry run claims nothing and plans the import as if the numbers were there.
    demo.reset_stats()
    dry = migrate(demo, tmp_path / "dry", "--check", **options)
    assert dry.returncode == 0, failures(dry)
    assert writes(demo) == {}
    assert tagged_numbers(client, new_arn) == []
    [preflight] = dry.task_results("Show the preflight")
    assert not [line for line in preflight["msg"] if "NOT MAPPED" in line]

    demo.reset_stats()
    real = migrate(demo, tmp_path / "real", **options)
    assert real.returncode == 0, failures(real)
    assert writes(demo)["ClaimPhoneNumber"] == len(source_numbers)
    claimed = tagged_numbers(client, new_arn)
    by_source = {n["Tags"]["ccaas-connect:claimed-for"]: n for n in claimed}
    assert set(by_source) == set(source_numbers) and len(claimed) == len(source_numbers)
    for number, source in source_numbers.items():
        assert by_source[number]["PhoneNumberCountryCode"] == source["PhoneNumberCountryCode"], number
        assert by_source[number]["PhoneNumberType"] == source["PhoneNumberType"], number
    # The dry run predicted the import: the same outcomes per phase (the numbers' names differ: the dry run
    # could only name the source's).
    done = results(real)
    assert {n: r["totals"] for n, r in done.items()} == {n: r["totals"] for n, r in results(dry).items()}
    assert done["phone number flows"]["totals"]["updated"] == 2
    associations = pages(
        client,
        "list_flow_associations",
        "FlowAssociationSummaryList",
        InstanceId=new_id,
        ResourceType="VOICE_PHONE_NUMBER",
    )
    assert {a["ResourceId"] for a in associations} <= {n["PhoneNumberArn"] for n in claimed} | {
        n["PhoneNumberId"] for n in claimed
    }
    assert len(associations) == 2

    # A rerun finds the numbers by their tag: it claims nothing and writes nothing.
    demo.reset_stats()
    again = migrate(demo, tmp_path / "again", **options)
    assert again.returncode == 0, failures(again)
    assert writes(demo) == {}

    # The rollback releases the numbers the run claimed, with everything else it made.
    [ledger] = (tmp_path / "real").glob("ledger-*.jsonl")
    undone = rollback(demo, {"alias": CLAIMS_ALIAS, "region": DEMO_TARGET_REGION}, ledger)
    assert undone.returncode == 0, json.dumps(undone.output)[-3000:]
    assert only(undone, UNDO)["totals"]["failed"] == 0
    assert tagged_numbers(client, new_arn) == []
