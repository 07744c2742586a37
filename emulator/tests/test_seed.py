"""The seed builds the same realistic source instance and empty target for the same seed number.

`RecordingEmulator` stands in for the framework's in-process emulator: it checks every request
against botocore's Connect model (as the real one does), records it, and answers with counter IDs.
"""

from __future__ import annotations

import copy
import re
import time
from collections import Counter, defaultdict
from typing import Any

import botocore.session
import pytest
from botocore.validate import ParamValidator

from connect_emulator import from_bundle
from connect_emulator import seed as seed_module
from connect_emulator.demo_flows import ORIGINAL_INSTANCE_ID
from connect_emulator.seed import (
    BUSINESS_UNITS,
    DEMO_AGENT_STATUSES,
    DEMO_CONTACT_FLOWS,
    DEMO_FLOW_MODULES,
    DEMO_HIERARCHY_GROUPS,
    DEMO_HOURS,
    DEMO_LAMBDA_FUNCTIONS,
    DEMO_QUEUES,
    DEMO_ROUTING_PROFILES,
    DEMO_SECURITY_PROFILES,
    DEMO_SOURCE_ALIAS,
    DEMO_SOURCE_REGION,
    DEMO_TARGET_ALIAS,
    DEMO_TARGET_REGION,
    HOLIDAY_FLOW,
    MAIN_IVR_FLOW,
    MANY_QUEUES_ROUTING_PROFILE,
    MANY_QUICK_CONNECTS,
    MANY_QUICK_CONNECTS_QUEUE,
    SOURCE_ONLY_FLOW,
    SUPPORT_MENU_FLOW,
    SUPPORT_TRANSFER_FLOW,
    bu_queue_names,
    describe_seed,
    seed,
)

_MODEL = botocore.session.get_session().get_service_model("connect")
_DEFAULT_SECURITY_PROFILES = ("Admin", "Agent", "CallCenterManager", "QualityAnalyst")
# The source's flows with flow-language content and references (demo_flows.py).
FLOWS_WITH_REFERENCES = {MAIN_IVR_FLOW, SUPPORT_MENU_FLOW, SUPPORT_TRANSFER_FLOW, HOLIDAY_FLOW}
# Connect's password policy as the model states it (without the JavaScript-style slashes).
PASSWORD = re.compile(r"^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[a-zA-Z\d\S]{8,64}$")


class RecordingEmulator:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict[str, Any]]] = []
        self.answers: list[dict[str, Any]] = []
        self.quotas: list[tuple[str, str, str, str, int, int]] = []
        self.objects: dict[tuple[str, str], bytes] = {}
        self._next = 0
        self._instance_of_region: dict[str, list[str]] = defaultdict(list)

    def call(
        self, operation: str, params: dict[str, Any], *, region: str, account_id: str = "123456789012"
    ) -> dict[str, Any]:
        op = _MODEL.operation_model(operation)
        report = ParamValidator().validate(params, op.input_shape)
        assert not report.has_errors(), f"{operation}: {report.generate_report()}"
        self.calls.append((operation, region, copy.deepcopy(params)))
        out = self._answer(op, params, region, account_id)
        self.answers.append(out)
        return out

    def _answer(self, op: Any, params: dict[str, Any], region: str, account_id: str) -> dict[str, Any]:
        if op.name == "ListSecurityProfiles":
            return {
                "SecurityProfileSummaryList": [
                    {"Id": f"default-sp-{name}", "Arn": f"arn:sp/{name}", "Name": name}
                    for name in _DEFAULT_SECURITY_PROFILES
                ]
            }
        out: dict[str, Any] = {}
        if op.output_shape is None:
            return out
        self._next += 1
        for member, shape in op.output_shape.members.items():
            if shape.type_name == "structure" and {"Id", "Arn"} <= set(shape.members):
                # A create that answers the whole resource (CreateView's View): its ID and ARN inside it.
                arn = f"arn:aws:connect:{region}:{account_id}:thing/id-{self._next:06d}"
                out[member] = {"Id": f"id-{self._next:06d}", "Arn": arn}
            elif member.endswith("Id"):
                out[member] = f"id-{self._next:06d}"
            elif member.upper().endswith("ARN"):
                out[member] = f"arn:aws:connect:{region}:{account_id}:thing/id-{self._next:06d}"
        return out

    def set_quota(self, account_id: str, region: str, instance_id: str, quota_name: str, value: int) -> None:
        self.quotas.append((account_id, region, instance_id, quota_name, value, len(self.calls)))

    def put_object(self, account_id: str, region: str, bucket: str, key: str, body: bytes) -> None:
        self.objects[(bucket, key)] = body

    # -- views on what was recorded ---------------------------------------------------------------

    def params(self, operation: str) -> list[dict[str, Any]]:
        return [p for op, _, p in self.calls if op == operation]

    def by_name(self, operation: str, key: str = "Name") -> dict[str, dict[str, Any]]:
        return {p[key]: p for p in self.params(operation)}


@pytest.fixture(scope="module")
def demo() -> tuple[RecordingEmulator, dict[str, Any]]:
    emulator = RecordingEmulator()
    return emulator, seed(emulator, scenario="demo", users=200, seed=7)


def test_same_seed_creates_the_same_calls_and_another_seed_other_users() -> None:
    first, second, other = RecordingEmulator(), RecordingEmulator(), RecordingEmulator()
    seed(first, users=50, seed=11)
    seed(second, users=50, seed=11)
    seed(other, users=50, seed=12)
    assert first.calls == second.calls
    assert [p["Username"] for p in first.params("CreateUser")] != [p["Username"] for p in other.params("CreateUser")]
    # Only the random parts move with the seed: the named configuration stays put.
    assert first.by_name("CreateQueue").keys() == other.by_name("CreateQueue").keys()


def test_seed_7_is_pinned_and_its_numbers_do_not_move_with_the_number_of_users() -> None:
    # Docs and integration tests may quote these; a change here must be deliberate.
    results = [seed(RecordingEmulator(), users=n, seed=7) for n in (0, 200, 1200)]
    assert results[0]["source"]["phone_numbers"] == {
        "sales-main": "+12125550197",
        "sales-outbound": "+16465550179",
        "support-main": "+18005550163",
        "support-outbound": "+13125550111",
        "billing-main": "+14155550106",
        "general": "+18885550155",
    }
    assert results[0]["target"]["phone_numbers"] == {
        "uk-sales": "+442079460631",
        "uk-freephone": "+448081570874",
        "support-main": "+18005550163",
    }
    for side in ("source", "target"):
        assert len({repr(r[side]["phone_numbers"]) for r in results}) == 1
    emulator = RecordingEmulator()
    seed(emulator, users=3, seed=7)
    assert [u["Username"] for u in emulator.params("CreateUser")] == ["dkelly2987", "aramirez4059", "eobrien9168"]


def test_no_users_still_gives_a_queue_sixty_quick_connects() -> None:
    emulator = RecordingEmulator()
    result = seed(emulator, users=0)
    assert "users" not in result["source"]["counts"]
    assert result["source"]["counts"]["quick_connects"] >= MANY_QUICK_CONNECTS
    types = {p["QuickConnectConfig"]["QuickConnectType"] for p in emulator.params("CreateQuickConnect")}
    assert types == {"QUEUE", "PHONE_NUMBER", "FLOW"}


def test_source_and_target_are_connect_managed_instances_in_two_regions(demo) -> None:
    emulator, result = demo
    created = [
        (region, p["InstanceAlias"], p["IdentityManagementType"])
        for op, region, p in emulator.calls
        if op == "CreateInstance"
    ]
    assert created == [
        (DEMO_SOURCE_REGION, DEMO_SOURCE_ALIAS, "CONNECT_MANAGED"),
        (DEMO_TARGET_REGION, DEMO_TARGET_ALIAS, "CONNECT_MANAGED"),
    ]
    assert result["source"]["region"] == "us-east-1" and result["target"]["region"] == "eu-west-2"
    assert {"instance_id", "alias", "region", "identity_management_type"} <= result["source"].keys()


def test_every_request_goes_to_its_own_instance(demo) -> None:
    emulator, result = demo
    instance_of = {
        DEMO_SOURCE_REGION: result["source"]["instance_id"],
        DEMO_TARGET_REGION: result["target"]["instance_id"],
    }
    for op, region, params in emulator.calls:
        if "InstanceId" in params:
            assert params["InstanceId"] == instance_of[region], op
        if op == "ClaimPhoneNumber":
            assert (
                params["TargetArn"]
                == (result["source"] if region == DEMO_SOURCE_REGION else result["target"])["instance_arn"]
            )


def test_counts_match_the_scenario_data(demo) -> None:
    emulator, result = demo
    counts = result["source"]["counts"]
    assert counts["users"] == 200 == len(emulator.params("CreateUser"))
    assert counts["queues"] == len(DEMO_QUEUES)
    assert counts["hours_of_operation"] == len(DEMO_HOURS)
    assert counts["routing_profiles"] == len(DEMO_ROUTING_PROFILES)
    assert counts["security_profiles"] == len(DEMO_SECURITY_PROFILES)
    assert counts["hierarchy_groups"] == len(DEMO_HIERARCHY_GROUPS)
    assert counts["agent_statuses"] == len(DEMO_AGENT_STATUSES)
    assert counts["contact_flows"] == len(DEMO_CONTACT_FLOWS)
    assert counts["quick_connects"] >= MANY_QUICK_CONNECTS
    target = result["target"]["counts"]
    assert set(target) == {"contact_flows", "phone_numbers"}


def test_some_security_profiles_restrict_by_tag_and_grant_applications(demo) -> None:
    emulator, _ = demo
    profiles = emulator.by_name("CreateSecurityProfile", "SecurityProfileName")
    sales = profiles["Sales Supervisor"]
    assert sales["AllowedAccessControlTags"] == {"BU": "Sales"}
    assert sales["TagRestrictedResources"] == ["User", "Queue", "RoutingProfile"]
    assert [a["Namespace"] for a in profiles["Support Agent Plus"]["Applications"]] == [
        "acme-crm",
        "acme-knowledge-base",
    ]
    # The others carry none of it, so an export shows both shapes.
    assert not {"AllowedAccessControlTags", "Applications"} & set(profiles["Workforce Planner"])


def test_business_unit_tags_vary_in_case_and_some_queues_have_none(demo) -> None:
    emulator, _ = demo
    queue_tags = [p.get("Tags", {}) for p in emulator.params("CreateQueue")]
    bu_pairs = {(k, v) for tags in queue_tags for k, v in tags.items() if k.lower() == "bu"}
    assert {k for k, _ in bu_pairs} >= {"BU", "bu", "Bu"}
    for bu in BUSINESS_UNITS:
        spellings = {v for _, v in bu_pairs if v.lower() == bu.lower()}
        assert len(spellings) >= 2, (bu, spellings)
    assert any(not any(k.lower() == "bu" for k in tags) for tags in queue_tags)
    # Users carry a BU too, in every spelling, which is what makes a case-insensitive filter matter.
    user_pairs = {(k, v) for p in emulator.params("CreateUser") for k, v in p["Tags"].items() if k.lower() == "bu"}
    assert len(user_pairs) >= 8


def test_queues_use_qc_prefix_hours_caller_ids_and_the_outbound_whisper(demo) -> None:
    emulator, _ = demo
    queues = emulator.by_name("CreateQueue")
    assert any(n.startswith("Q_QC_") for n in queues) and any(not n.startswith("Q_QC_") for n in queues)
    inbound = queues["Q_QC_Sales_Inbound"]
    caller = inbound["OutboundCallerConfig"]
    assert caller["OutboundCallerIdName"] == "Acme Sales"
    assert caller["OutboundCallerIdNumberId"] in {
        i for i in _created_ids(emulator, "ClaimPhoneNumber", "PhoneNumberId", DEMO_SOURCE_REGION)
    }
    assert inbound["MaxContacts"] == 50


def test_one_routing_profile_has_more_queues_than_create_accepts(demo) -> None:
    emulator, _ = demo
    created = emulator.by_name("CreateRoutingProfile")[MANY_QUEUES_ROUTING_PROFILE]
    assert len(created["QueueConfigs"]) == 10
    associated = [p for p in emulator.params("AssociateRoutingProfileQueues") if "QueueConfigs" in p]
    assert [len(p["QueueConfigs"]) for p in associated] == [10, 5]
    pairs = [
        (c["QueueReference"]["QueueId"], c["QueueReference"]["Channel"])
        for c in created["QueueConfigs"] + [c for p in associated for c in p["QueueConfigs"]]
    ]
    assert len(pairs) == len(set(pairs)) == 25
    channels = {m["Channel"] for m in created["MediaConcurrencies"]}
    assert channels == {"VOICE", "CHAT", "TASK"}


def test_one_queue_has_sixty_quick_connects_in_chunks_of_fifty(demo) -> None:
    emulator, result = demo
    queue_ids = _created_ids_by_name(emulator, "CreateQueue", "QueueId")
    calls = [
        p
        for p in emulator.params("AssociateQueueQuickConnects")
        if p["QueueId"] == queue_ids[MANY_QUICK_CONNECTS_QUEUE]
    ]
    assert [len(p["QuickConnectIds"]) for p in calls] == [50, 10]
    ids = [i for p in calls for i in p["QuickConnectIds"]]
    assert len(set(ids)) == MANY_QUICK_CONNECTS
    assert result["source"]["counts"]["queue_quick_connect_associations"] >= MANY_QUICK_CONNECTS


def test_quick_connects_of_every_type_point_at_matching_flows(demo) -> None:
    emulator, _ = demo
    qcs = emulator.params("CreateQuickConnect")
    assert Counter(p["QuickConnectConfig"]["QuickConnectType"] for p in qcs).keys() == {
        "USER",
        "QUEUE",
        "PHONE_NUMBER",
        "FLOW",
    }
    flow_type = {
        flow_id: p["Type"]
        for flow_id, p in zip(
            _created_ids(emulator, "CreateContactFlow", "ContactFlowId", DEMO_SOURCE_REGION),
            [p for op, r, p in emulator.calls if op == "CreateContactFlow" and r == DEMO_SOURCE_REGION],
            strict=True,
        )
    }
    expected = {
        "USER": ("UserConfig", "AGENT_TRANSFER"),
        "QUEUE": ("QueueConfig", "QUEUE_TRANSFER"),
        "FLOW": ("FlowConfig", "CONTACT_FLOW"),
    }
    for p in qcs:
        config = p["QuickConnectConfig"]
        if config["QuickConnectType"] in expected:
            key, wanted = expected[config["QuickConnectType"]]
            assert flow_type[config[key]["ContactFlowId"]] == wanted
    assert len({p["Name"] for p in qcs}) == len(qcs)


def test_users_are_realistic_unique_and_meet_the_password_policy(demo) -> None:
    emulator, _ = demo
    users = emulator.params("CreateUser")
    usernames = [u["Username"] for u in users]
    assert len(set(usernames)) == len(usernames) == 200
    assert all(re.fullmatch(r"[a-z]{2,12}\d{4,}", name) for name in usernames)
    assert all(PASSWORD.match(u["Password"]) for u in users)
    assert all(1 <= len(u["SecurityProfileIds"]) <= 3 for u in users)
    assert all(u["IdentityInfo"]["Email"].endswith("@acme.example.com") for u in users)
    phone_types = Counter(u["PhoneConfig"]["PhoneType"] for u in users)
    assert phone_types["SOFT_PHONE"] and phone_types["DESK_PHONE"]
    assert all(
        re.fullmatch(r"\+[1-9]\d{1,14}", u["PhoneConfig"]["DeskPhoneNumber"])
        for u in users
        if u["PhoneConfig"]["PhoneType"] == "DESK_PHONE"
    )
    assert len({u["HierarchyGroupId"] for u in users}) > 3
    assert len({u["RoutingProfileId"] for u in users}) == 5  # every BU profile; overflow has no users
    assert any(len(u["SecurityProfileIds"]) > 1 for u in users)


def test_hierarchy_has_three_levels_and_parents_come_first(demo) -> None:
    emulator, _ = demo
    (structure,) = emulator.params("UpdateUserHierarchyStructure")
    assert [v["Name"] for v in structure["HierarchyStructure"].values()] == ["Region", "Site", "Team"]
    created_ids: set[str] = set()
    ids = _created_ids(emulator, "CreateUserHierarchyGroup", "HierarchyGroupId", DEMO_SOURCE_REGION)
    for group, group_id in zip(emulator.params("CreateUserHierarchyGroup"), ids, strict=True):
        if "ParentGroupId" in group:
            assert group["ParentGroupId"] in created_ids
        created_ids.add(group_id)


def test_target_has_the_shared_flows_and_one_ported_number(demo) -> None:
    emulator, result = demo
    source_flows = {p["Name"] for op, r, p in emulator.calls if op == "CreateContactFlow" and r == DEMO_SOURCE_REGION}
    target_flows = {p["Name"] for op, r, p in emulator.calls if op == "CreateContactFlow" and r == DEMO_TARGET_REGION}
    # The source-only flows: the one a migration cannot map by name, the support menu and the holiday draft.
    assert source_flows - target_flows == {SOURCE_ONLY_FLOW, SUPPORT_MENU_FLOW, HOLIDAY_FLOW}
    assert target_flows < source_flows
    source_numbers = set(result["source"]["phone_numbers"].values())
    target_numbers = set(result["target"]["phone_numbers"].values())
    assert len(source_numbers & target_numbers) == 1
    assert len(target_numbers - source_numbers) >= 2


def test_quotas_the_demo_outgrows_are_raised_before_it_needs_them() -> None:
    emulator = RecordingEmulator()
    result = seed(emulator, users=750, seed=1)
    source, target = result["source"]["instance_id"], result["target"]["instance_id"]
    raised = {(region, instance_id, name): value for _, region, instance_id, name, value, _ in emulator.quotas}
    # Six source numbers exceed the default five; the users quota is raised on both sides so a
    # rehearsal can migrate every user.
    assert raised == {
        (DEMO_SOURCE_REGION, source, "users"): 750,
        (DEMO_SOURCE_REGION, source, "phone_numbers"): 6,
        (DEMO_TARGET_REGION, target, "users"): 750,
    }
    first_write = next(i for i, (op, _, _) in enumerate(emulator.calls) if op != "CreateInstance")
    assert all(calls_before <= first_write for *_, calls_before in emulator.quotas)


def test_the_default_users_quota_is_left_alone_for_few_users() -> None:
    emulator = RecordingEmulator()
    seed(emulator, users=20, seed=1)
    assert [q[3] for q in emulator.quotas] == ["phone_numbers"]


def test_empty_scenario_creates_only_the_two_instances() -> None:
    emulator = RecordingEmulator()
    result = seed(emulator, scenario="empty")
    assert [op for op, _, _ in emulator.calls] == ["CreateInstance", "CreateInstance"]
    assert result["source"]["counts"] == {} and result["target"]["counts"] == {}


def test_unknown_scenario_is_refused_before_any_call() -> None:
    emulator = RecordingEmulator()
    with pytest.raises(ValueError, match="unknown scenario"):
        seed(emulator, scenario="nope")
    assert emulator.calls == []


def test_describe_seed_names_both_instances_and_counts(demo) -> None:
    _, result = demo
    text = describe_seed(result)
    for side in ("source", "target"):
        assert result[side]["instance_id"] in text
        assert result[side]["alias"] in text
        assert result[side]["region"] in text
    assert "200 users" in text
    assert "instance defaults only" in describe_seed(seed(RecordingEmulator(), scenario="empty"))


def test_the_targets_flows_keep_their_small_content_and_the_sources_other_flows_share_it(demo) -> None:
    emulator, _ = demo
    created = defaultdict(dict)
    for op, region, p in emulator.calls:
        if op == "CreateContactFlow":
            created[region][p["Name"]] = p["Content"]
    specs = {spec.name: spec for spec in DEMO_CONTACT_FLOWS}
    # The target's flows are what they were before the source had real flows: the collection cannot
    # write flows yet.
    assert created[DEMO_TARGET_REGION] == {
        name: seed_module.flow_content(spec) for name, spec in specs.items() if spec.in_target
    }
    # The source's flows without references have the same small content; those with references are
    # created with a stub and written in the second pass.
    written = {p["ContactFlowId"]: p["Content"] for p in emulator.params("UpdateContactFlowContent")}
    assert len(written) == len(FLOWS_WITH_REFERENCES)
    for name, content in created[DEMO_SOURCE_REGION].items():
        if name in FLOWS_WITH_REFERENCES:
            assert content == from_bundle.stub_content(specs[name].type), name
        else:
            assert content == seed_module.flow_content(specs[name]), name


def test_the_sources_flows_and_modules_name_the_loaded_items_and_nothing_of_the_original_instance(demo) -> None:
    emulator, result = demo
    contents = [p["Content"] for p in emulator.params("UpdateContactFlowContent")]
    contents += [p["Content"] for p in emulator.params("UpdateContactFlowModuleContent")]
    assert len(contents) == len(FLOWS_WITH_REFERENCES) + len(DEMO_FLOW_MODULES)
    for content in contents:
        assert ORIGINAL_INSTANCE_ID not in content
        # Every Connect ARN left names the seeded source (the recording emulator's ARNs).
        for arn in re.findall(r"arn:aws:connect:[^\"]+", content):
            assert arn.startswith(f"arn:aws:connect:{DEMO_SOURCE_REGION}:123456789012:thing/id-"), arn
    counts = result["source"]["counts"]
    assert counts["flow_modules"] == len(DEMO_FLOW_MODULES)
    assert counts["contact_flow_references"] > 0 and counts["contact_flow_module_references"] > 0
    assert "contact_flows_unchecked" not in counts and "contact_flow_modules_unchecked" not in counts


def test_lambda_functions_and_lex_bots_are_associated_with_the_source_before_any_flow(demo) -> None:
    emulator, _ = demo
    ops = [op for op, region, _ in emulator.calls if region == DEMO_SOURCE_REGION]
    first_flow = ops.index("CreateContactFlow")
    assert ops.index("AssociateLambdaFunction") < first_flow and ops.index("AssociateBot") < first_flow
    assert [p["FunctionArn"] for p in emulator.params("AssociateLambdaFunction")] == [
        seed_module.lambda_arn(name) for name in DEMO_LAMBDA_FUNCTIONS
    ]
    assert [p["LexV2Bot"]["AliasArn"] for p in emulator.params("AssociateBot")] == [seed_module.lex_v2_alias_arn()]
    assert emulator.params("AssociateLexBot")[0]["LexBot"] == {"Name": "AcmeOrderStatus", "LexRegion": "us-east-1"}
    # The target has none: the collection, which migrates into it, cannot associate them yet.
    target_ops = {op for op, region, _ in emulator.calls if region == DEMO_TARGET_REGION}
    assert not target_ops & {"AssociateLambdaFunction", "AssociateBot", "AssociateLexBot"}


# -- helpers --------------------------------------------------------------------------------------


def _created_ids(emulator: RecordingEmulator, operation: str, id_key: str, region: str) -> list[str]:
    return [
        out[id_key]
        for (op, r, _), out in zip(emulator.calls, emulator.answers, strict=True)
        if op == operation and r == region
    ]


def _created_ids_by_name(emulator: RecordingEmulator, operation: str, id_key: str) -> dict[str, str]:
    return {
        p["Name"]: out[id_key]
        for (op, r, p), out in zip(emulator.calls, emulator.answers, strict=True)
        if op == operation and r == DEMO_SOURCE_REGION
    }


# -- against the real in-process emulator ---------------------------------------------------------
# Seeding runs in-process (as the server's --seed does); what was created is read back over HTTP with
# boto3, i.e. exactly as the collection will see it.


@pytest.fixture
def real(connect_emulator: Any) -> Any:
    domain = getattr(connect_emulator.emulator, "domain", None)
    if domain is None or type(domain).__name__ == "_NoDomain":
        pytest.skip("the Connect domain is not available yet")
    return connect_emulator


def _all(client: Any, operation: str, key: str, **params: Any) -> list[dict[str, Any]]:
    return [item for page in client.get_paginator(operation).paginate(**params) for item in page[key]]


def _snapshot(handle: Any, result: dict[str, Any]) -> dict[str, Any]:
    """Everything the seed chose, by name (IDs differ between runs; names and data must not)."""
    out: dict[str, Any] = {}
    for role in ("source", "target"):
        side = result[role]
        client = handle.client(side["region"])
        instance = side["instance_id"]
        queues = _all(client, "list_queues", "QueueSummaryList", InstanceId=instance, QueueTypes=["STANDARD"])
        users = _all(client, "search_users", "Users", InstanceId=instance)
        out[role] = {
            "queues": sorted(
                (q["Name"], sorted(client.list_tags_for_resource(resourceArn=q["Arn"])["tags"].items())) for q in queues
            ),
            "users": sorted(
                (u["Username"], u["IdentityInfo"], u["PhoneConfig"], sorted(u.get("Tags", {}).items())) for u in users
            ),
            "quick_connects": sorted(
                (q["Name"], q["QuickConnectType"])
                for q in _all(client, "list_quick_connects", "QuickConnectSummaryList", InstanceId=instance)
            ),
            "flows": sorted(
                f["Name"] for f in _all(client, "list_contact_flows", "ContactFlowSummaryList", InstanceId=instance)
            ),
            "numbers": sorted(
                n["PhoneNumber"]
                for n in _all(
                    client, "list_phone_numbers_v2", "ListPhoneNumbersSummaryList", TargetArn=side["instance_arn"]
                )
            ),
            # Contents name the IDs this run assigned: each UUID becomes its order of first appearance.
            "flow_contents": sorted(
                (f["Name"], f["Status"], _ids_numbered(f["Content"]))
                for f in _all(client, "search_contact_flows", "ContactFlows", InstanceId=instance)
            ),
            "module_contents": sorted(
                (m["Name"], _ids_numbered(_module(client, instance, m["Id"])["Content"]))
                for m in _all(client, "list_contact_flow_modules", "ContactFlowModulesSummaryList", InstanceId=instance)
            ),
            "lambda_functions": _all(client, "list_lambda_functions", "LambdaFunctions", InstanceId=instance),
            "lex_bots": [
                _all(client, "list_bots", "LexBots", InstanceId=instance, LexVersion=version)
                for version in ("V1", "V2")
            ],
        }
    return out


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _ids_numbered(content: str) -> str:
    seen: dict[str, str] = {}
    return UUID.sub(lambda found: seen.setdefault(found.group(0), f"<id {len(seen)}>"), content)


def _module(client: Any, instance: str, module_id: str) -> dict[str, Any]:
    return client.describe_contact_flow_module(InstanceId=instance, ContactFlowModuleId=module_id)["ContactFlowModule"]


def test_real_seed_is_deterministic_for_the_same_seed(real: Any) -> None:
    first = _snapshot(real, seed(real.emulator, users=60, seed=5))
    real.reset()
    second = _snapshot(real, seed(real.emulator, users=60, seed=5))
    assert first == second
    assert len(first["source"]["users"]) == 60


def test_real_demo_has_what_the_migration_tests_rely_on(real: Any) -> None:
    result = seed(real.emulator, users=200, seed=7)
    source = real.client(DEMO_SOURCE_REGION)
    target = real.client(DEMO_TARGET_REGION)
    src, tgt = result["source"]["instance_id"], result["target"]["instance_id"]

    queues = {
        q["Name"]: q for q in _all(source, "list_queues", "QueueSummaryList", InstanceId=src, QueueTypes=["STANDARD"])
    }
    assert {q.name for q in DEMO_QUEUES} | {"BasicQueue"} <= queues.keys()
    tagged = [source.list_tags_for_resource(resourceArn=queues[q.name]["Arn"])["tags"] for q in DEMO_QUEUES]
    assert {k for tags in tagged for k in tags if k.lower() == "bu"} >= {"BU", "bu", "Bu"}

    profiles = {
        p["Name"]: p["Id"] for p in _all(source, "list_routing_profiles", "RoutingProfileSummaryList", InstanceId=src)
    }
    configs = _all(
        source,
        "list_routing_profile_queues",
        "RoutingProfileQueueConfigSummaryList",
        InstanceId=src,
        RoutingProfileId=profiles[MANY_QUEUES_ROUTING_PROFILE],
    )
    assert len(configs) == 25

    qcs = _all(
        source,
        "list_queue_quick_connects",
        "QuickConnectSummaryList",
        InstanceId=src,
        QueueId=queues[MANY_QUICK_CONNECTS_QUEUE]["Id"],
    )
    assert len(qcs) == MANY_QUICK_CONNECTS
    all_qcs = _all(source, "list_quick_connects", "QuickConnectSummaryList", InstanceId=src)
    types = {q["QuickConnectType"] for q in all_qcs}
    assert types == {"USER", "QUEUE", "PHONE_NUMBER", "FLOW"}

    users = _all(source, "search_users", "Users", InstanceId=src)
    assert len(users) == 200 == result["source"]["counts"]["users"]
    assert all(u["SecurityProfileIds"] and u["RoutingProfileId"] and u["HierarchyGroupId"] for u in users)

    target_flows = {f["Name"] for f in _all(target, "list_contact_flows", "ContactFlowSummaryList", InstanceId=tgt)}
    assert {f.name for f in DEMO_CONTACT_FLOWS if f.in_target} <= target_flows
    assert SOURCE_ONLY_FLOW not in target_flows
    assert _all(target, "list_queues", "QueueSummaryList", InstanceId=tgt, QueueTypes=["STANDARD"])  # BasicQueue
    target_numbers = {
        n["PhoneNumber"]
        for n in _all(
            target, "list_phone_numbers_v2", "ListPhoneNumbersSummaryList", TargetArn=result["target"]["instance_arn"]
        )
    }
    assert target_numbers == set(result["target"]["phone_numbers"].values())
    assert describe_seed(result).count("region=") == 2


def test_real_demo_flows_are_published_through_the_reference_check_and_name_the_source_itself(real: Any) -> None:
    result = seed(real.emulator, users=30, seed=7)
    client = real.client(DEMO_SOURCE_REGION)
    src, arn = result["source"]["instance_id"], result["source"]["instance_arn"]
    flows = {f["Name"]: f for f in _all(client, "search_contact_flows", "ContactFlows", InstanceId=src)}
    modules = {
        m["Name"]: _module(client, src, m["Id"])
        for m in _all(client, "list_contact_flow_modules", "ContactFlowModulesSummaryList", InstanceId=src)
    }
    assert set(modules) == {spec.name for spec in DEMO_FLOW_MODULES}
    for item in [*flows.values(), *modules.values()]:
        assert ORIGINAL_INSTANCE_ID not in item["Content"], item["Name"]
        for named in re.findall(r"arn:aws:connect:[^\"]+", item["Content"]):
            assert named.startswith(arn + "/"), (item["Name"], named)
    # The main IVR and the support menu transfer to each other; the holiday greeting stays a draft.
    main, menu = flows[MAIN_IVR_FLOW], flows[SUPPORT_MENU_FLOW]
    assert menu["Arn"] in main["Content"] and main["Arn"] in menu["Content"]
    assert (main["Status"], menu["Status"], flows[HOLIDAY_FLOW]["Status"]) == ("PUBLISHED", "PUBLISHED", "SAVED")
    assert main["Arn"] + ":$SAVED" in flows[HOLIDAY_FLOW]["Content"]
    assert modules["Acme Authenticate Caller"]["Arn"] in main["Content"]
    lambdas = _all(client, "list_lambda_functions", "LambdaFunctions", InstanceId=src)
    assert lambdas == [seed_module.lambda_arn(name) for name in DEMO_LAMBDA_FUNCTIONS]
    assert all(
        function in modules["Acme Authenticate Caller"]["Content"] + modules["Acme Callback Offer"]["Content"]
        for function in lambdas
    )
    v2 = _all(client, "list_bots", "LexBots", InstanceId=src, LexVersion="V2")
    assert v2 == [{"LexV2Bot": {"AliasArn": seed_module.lex_v2_alias_arn()}}]
    assert seed_module.lex_v2_alias_arn() in menu["Content"]
    v1 = _all(client, "list_bots", "LexBots", InstanceId=src, LexVersion="V1")
    assert v1 == [{"LexBot": {"Name": "AcmeOrderStatus", "LexRegion": DEMO_SOURCE_REGION}}]
    # The support transfer falls back to a duty manager: a user's ARN, rewritten like the rest.
    users = {u["Username"]: u for u in _all(client, "search_users", "Users", InstanceId=src)}
    [duty] = [name for name, user in users.items() if user["Arn"] in flows[SUPPORT_TRANSFER_FLOW]["Content"]]
    assert "contact_flows_unchecked" not in result["source"]["counts"]
    assert duty


def test_real_counts_match_what_the_list_apis_report(real: Any) -> None:
    result = seed(real.emulator, users=30, seed=3)
    client = real.client(DEMO_SOURCE_REGION)
    src = result["source"]["instance_id"]
    counts = result["source"]["counts"]

    def names(operation: str, key: str, **params: Any) -> set[str]:
        return {item["Name"] for item in _all(client, operation, key, InstanceId=src, **params)}

    assert {h.name for h in DEMO_HOURS} <= names("list_hours_of_operations", "HoursOfOperationSummaryList")
    assert {p.name for p in DEMO_SECURITY_PROFILES} | {"Agent"} <= names(
        "list_security_profiles", "SecurityProfileSummaryList"
    )
    assert {s.name for s in DEMO_AGENT_STATUSES} | {"Available", "Offline"} <= names(
        "list_agent_statuses", "AgentStatusSummaryList"
    )
    assert {p.name for p in DEMO_ROUTING_PROFILES} <= names("list_routing_profiles", "RoutingProfileSummaryList")
    assert len(names("list_quick_connects", "QuickConnectSummaryList")) == counts["quick_connects"]
    groups = _all(client, "list_user_hierarchy_groups", "UserHierarchyGroupSummaryList", InstanceId=src)
    assert len(groups) == len(DEMO_HIERARCHY_GROUPS)
    team = next(g for g in groups if g["Name"] == "Sales Team A")
    path = client.describe_user_hierarchy_group(InstanceId=src, HierarchyGroupId=team["Id"])["HierarchyGroup"]
    assert [path["HierarchyPath"][level]["Name"] for level in ("LevelOne", "LevelTwo", "LevelThree")] == [
        "EMEA",
        "London",
        "Sales Team A",
    ]
    queue_id = next(
        q["Id"]
        for q in _all(client, "list_queues", "QueueSummaryList", InstanceId=src, QueueTypes=["STANDARD"])
        if q["Name"] == "Q_QC_Sales_Inbound"
    )
    queue = client.describe_queue(InstanceId=src, QueueId=queue_id)["Queue"]
    caller = queue["OutboundCallerConfig"]
    assert caller["OutboundCallerIdName"] == "Acme Sales"
    number = client.describe_phone_number(PhoneNumberId=caller["OutboundCallerIdNumberId"])["ClaimedPhoneNumberSummary"]
    assert number["PhoneNumber"] == result["source"]["phone_numbers"]["sales-outbound"]
    flow = client.describe_contact_flow(InstanceId=src, ContactFlowId=caller["OutboundFlowId"])["ContactFlow"]
    assert (flow["Name"], flow["Type"]) == ("Acme Outbound Whisper", "OUTBOUND_WHISPER")


def test_real_ten_thousand_users_seed_quickly(real: Any) -> None:
    started = time.perf_counter()
    result = seed(real.emulator, users=10_000, seed=7)
    elapsed = time.perf_counter() - started
    client = real.client(DEMO_SOURCE_REGION)
    users = _all(client, "list_users", "UserSummaryList", InstanceId=result["source"]["instance_id"], MaxResults=1000)
    assert len(users) == 10_000 == len({u["Username"] for u in users})
    # Generous on purpose (it takes about a second): this guards against accidental quadratic work.
    assert elapsed < 60, elapsed


def test_real_bu_queue_names_are_what_a_case_insensitive_tag_filter_finds(real: Any) -> None:
    result = seed(real.emulator, users=0)
    client = real.client(DEMO_SOURCE_REGION)
    src = result["source"]["instance_id"]
    tags_by_queue = {
        q["Name"]: client.list_tags_for_resource(resourceArn=q["Arn"])["tags"]
        for q in _all(client, "list_queues", "QueueSummaryList", InstanceId=src, QueueTypes=["STANDARD"])
    }
    for bu in BUSINESS_UNITS:
        found = [
            name
            for name, tags in tags_by_queue.items()
            if any(k.lower() == "bu" and v.lower() == bu.lower() for k, v in tags.items())
        ]
        assert sorted(found) == sorted(bu_queue_names(bu))
        # An exact-case filter would miss some of them, which is the point of the variety.
        assert sorted(n for n, tags in tags_by_queue.items() if tags.get("BU") == bu) != sorted(found)


def test_the_demo_carries_what_agents_and_supervisors_depend_on(demo) -> None:
    emulator, _ = demo
    # Skills: the attributes first, then most agents hold proficiencies in their values.
    attributes = emulator.by_name("CreatePredefinedAttribute")
    assert set(attributes) == {"Language", "Product", "Certification"}
    users = emulator.params("CreateUser")
    proficient = emulator.params("AssociateUserProficiencies")
    assert 0.7 * len(users) <= len(proficient) < len(users)
    for call in proficient:
        for entry in call["UserProficiencies"]:
            assert entry["AttributeValue"] in attributes[entry["AttributeName"]]["Values"]["StringList"]
            assert 1.0 <= entry["Level"] <= 5.0
    # Contact details: every user an e-mail address, some a second one and a mobile.
    assert all(u["IdentityInfo"].get("Email") for u in users)
    assert any(u["IdentityInfo"].get("SecondaryEmail") for u in users)
    assert any(u["IdentityInfo"].get("Mobile") for u in users)
    # A holiday calendar on three hours, closures and openings, one recurring each year.
    overrides = emulator.params("CreateHoursOfOperationOverride")
    assert len({o["HoursOfOperationId"] for o in overrides}) == 3
    assert {o["OverrideType"] for o in overrides} == {"CLOSED", "OPEN", "STANDARD"}
    assert any(o.get("RecurrenceConfig") for o in overrides)
    # A supervisor profile scoped to a hierarchy group, and manual-assignment queues.
    lead = emulator.by_name("CreateSecurityProfile", "SecurityProfileName")["London Team Lead"]
    assert lead["AllowedAccessControlHierarchyGroupId"] and lead["HierarchyRestrictedResources"] == ["User"]
    manual = [p for p in emulator.params("AssociateRoutingProfileQueues") if "ManualAssignmentQueueConfigs" in p]
    assert sum(len(p["ManualAssignmentQueueConfigs"]) for p in manual) == 3
