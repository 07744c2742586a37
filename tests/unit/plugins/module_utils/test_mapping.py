"""Mapping a bundle onto a target: what maps by itself, what a file maps, and nothing dropped silently."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ansible_collections.ccaas.connect.plugins.module_utils._mapping import (
    map_bundle,
    parse_phone_map,
    phone_map_by_number,
    phone_map_template,
    source_ids_in,
)


class FakeTarget:
    """What the mapping reads of a target: its items by identity, and IDs back to identities."""

    def __init__(self, items: dict[str, list[str]]) -> None:
        self.items = {k: {n: {"Id": f"id-{n}", "Arn": f"arn:{n}"} for n in v} for k, v in items.items()}

    def records(self, key: str) -> dict[str, dict[str, Any]]:
        return self.items.setdefault(key, {})

    def name_of(self, key: str, reference: str | None) -> str | None:
        for name, record in self.records(key).items():
            if reference in (record["Id"], record["Arn"]):
                return name
        return reference


TARGET = FakeTarget(
    {
        "contact_flows": ["Transfer to Sales", "Acme Outbound Whisper"],
        "phone_numbers": ["+18005550163", "+442079460631"],
        "security_profiles": ["Admin", "Agent"],
        "queues": ["BasicQueue"],
        "routing_profiles": ["Basic Routing Profile"],
        "hours_of_operations": ["Basic Hours"],
    }
)


def queue(name: str, number: str | None = None, **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"name": name, "hours_of_operation": "Office", **extra}
    if number:
        item["outbound_caller_config"] = {"outbound_caller_id_number": number, "outbound_flow": "Acme Outbound Whisper"}
    return item


def bundle(**extra: Any) -> dict[str, Any]:
    return {
        "hours_of_operations": [{"name": "Office", "time_zone": "UTC", "config": []}],
        "contact_flows": [{"name": "Transfer to Sales", "type": "QUEUE_TRANSFER"}],
        "queues": [queue("Sales", "+16465550179", quick_connects=["To Support", "Legacy Menu"]), queue("Support")],
        "quick_connects": [
            {
                "name": "To Support",
                "quick_connect_config": {
                    "quick_connect_type": "QUEUE",
                    "queue_config": {"queue": "Support", "contact_flow": "Transfer to Sales"},
                },
            },
            {
                "name": "Legacy Menu",
                "quick_connect_config": {
                    "quick_connect_type": "FLOW",
                    "flow_config": {"contact_flow": "Billing Legacy IVR"},
                },
            },
        ],
        **extra,
    }


def by_name(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {i.get("name") or i.get("username"): i for i in items}


def test_a_number_the_target_claims_under_the_same_e164_maps_by_itself():
    data = bundle(queues=[queue("Support", "+18005550163")])
    mapping, problems = map_bundle(TARGET, data, on_unmapped="fail")
    assert problems == []
    assert mapping.report()["phone_numbers"]["mapped"] == [
        {"source": "+18005550163", "target": "+18005550163", "how": "same number"}
    ]
    assert mapping.resources["queues"][0]["outbound_caller_config"]["outbound_caller_id_number"] == "+18005550163"


def test_a_mapping_file_maps_a_number_to_the_targets_number_or_its_id():
    for given in ("+442079460631", "id-+442079460631", "arn:+442079460631"):
        mapping, problems = map_bundle(TARGET, bundle(), phone_map={"+16465550179": given}, on_unmapped="skip")
        assert problems == []
        sales = by_name(mapping.resources["queues"])["Sales"]
        assert sales["outbound_caller_config"]["outbound_caller_id_number"] == "+442079460631"
        assert {"source": "+16465550179", "target": "+442079460631", "how": "phone_map"} in mapping.mapped[
            "phone_numbers"
        ]


def test_a_mapping_to_a_number_the_target_lacks_is_a_problem_not_a_silent_miss():
    _mapping, problems = map_bundle(TARGET, bundle(), phone_map={"+16465550179": "+449999999999"})
    assert problems == ["phone_map maps +16465550179 to +449999999999, which the target has not claimed"]


def test_with_on_unmapped_fail_an_unmapped_number_is_listed_with_its_users_and_left_in_place_to_fail():
    mapping, _problems = map_bundle(TARGET, bundle(), on_unmapped="fail")
    unmapped = mapping.report()["phone_numbers"]["unmapped"]
    assert unmapped == [{"source": "+16465550179", "used_by": ["queue Sales"], "effects": ["item fails"]}]
    sales = by_name(mapping.resources["queues"])["Sales"]
    assert sales["outbound_caller_config"]["outbound_caller_id_number"] == "+16465550179"
    assert mapping.skipped == []


def test_with_on_unmapped_skip_an_optional_reference_is_left_out_and_the_queue_kept():
    mapping, _problems = map_bundle(TARGET, bundle(), on_unmapped="skip")
    sales = by_name(mapping.resources["queues"])["Sales"]
    assert sales["outbound_caller_config"] == {"outbound_flow": "Acme Outbound Whisper"}
    assert mapping.report()["phone_numbers"]["unmapped"][0]["effects"] == ["reference left out"]


def test_with_on_unmapped_skip_an_item_missing_a_required_flow_is_left_out_and_so_are_the_entries_naming_it():
    mapping, _problems = map_bundle(TARGET, bundle(), on_unmapped="skip")
    assert [q["name"] for q in mapping.resources["quick_connects"]] == ["To Support"]
    assert mapping.skipped == [
        {
            "type": "quick_connects",
            "name": "Legacy Menu",
            "reason": "contact flow 'Billing Legacy IVR' not in the target",
        }
    ]
    assert by_name(mapping.resources["queues"])["Sales"]["quick_connects"] == ["To Support"]
    report = mapping.report()
    assert report["contact_flows"]["unmapped"] == [
        {"source": "Billing Legacy IVR", "used_by": ["quick connect Legacy Menu"], "effects": ["item left out"]}
    ]
    assert report["quick_connects"]["unmapped"] == [
        {"source": "Legacy Menu", "used_by": ["queue Sales"], "effects": ["entry left out"]}
    ]


def test_flows_map_by_name_and_a_flow_map_renames():
    data = bundle(quick_connects=[bundle()["quick_connects"][1]], queues=[queue("Support")])
    mapping, _problems = map_bundle(TARGET, data, flow_map={"Billing Legacy IVR": "Transfer to Sales"})
    [menu] = mapping.resources["quick_connects"]
    assert menu["quick_connect_config"]["flow_config"]["contact_flow"] == "Transfer to Sales"
    # The bundle's flow without content is the target's own, named alike: mapped, not written.
    assert mapping.mapped["contact_flows"] == [
        {"source": "Transfer to Sales", "target": "Transfer to Sales", "how": "same name (no content in the bundle)"},
        {"source": "Billing Legacy IVR", "target": "Transfer to Sales", "how": "flow_map"},
    ]
    assert "contact_flows" not in mapping.resources or mapping.resources["contact_flows"] == []


def test_instance_defaults_are_mapped_to_the_targets_own_and_never_written():
    data = {
        "security_profiles": [{"name": "Agent", "permissions": ["BasicAgentAccess"]}, {"name": "Sales Lead"}],
        "routing_profiles": [{"name": "Basic Routing Profile", "default_outbound_queue": "BasicQueue"}],
        "users": [{"username": "jdoe", "routing_profile": "Basic Routing Profile", "security_profiles": ["Agent"]}],
    }
    mapping, _problems = map_bundle(TARGET, data)
    assert [p["name"] for p in mapping.resources["security_profiles"]] == ["Sales Lead"]
    assert mapping.resources["routing_profiles"] == []
    assert mapping.resources["users"][0]["security_profiles"] == ["Agent"]
    defaults = {(m["source"], m["how"]) for m in mapping.mapped["defaults"]}
    assert defaults == {
        ("Agent", "instance default security profile"),
        ("Basic Routing Profile", "instance default routing profile"),
    }
    assert mapping.misses == []


def test_a_type_not_included_must_already_be_in_the_target():
    data = {
        "routing_profiles": [{"name": "Sales RP", "default_outbound_queue": "BasicQueue"}],
        "users": [{"username": "jdoe", "routing_profile": "Sales RP", "security_profiles": ["Agent"]}],
    }
    mapping, _problems = map_bundle(TARGET, data, include=["users"], on_unmapped="skip")
    assert list(mapping.resources) == ["users"]
    assert mapping.resources["users"] == []
    assert mapping.skipped == [
        {"type": "users", "name": "jdoe", "reason": "routing profile 'Sales RP' not in the target"}
    ]


def test_unknown_on_unmapped_is_refused():
    with pytest.raises(ValueError, match="on_unmapped"):
        map_bundle(TARGET, bundle(), on_unmapped="ignore")


def test_a_phone_map_file_may_nest_its_numbers_and_leave_template_entries_empty():
    assert parse_phone_map({"phone_numbers": {"+1646": "+4420", "+1888": ""}}) == {"+1646": "+4420"}
    assert parse_phone_map(None) == {}
    with pytest.raises(ValueError):
        parse_phone_map(["+1646"])


def test_the_template_lists_each_unmapped_number_with_where_it_is_used_and_reads_back_as_an_empty_map():
    mapping, _problems = map_bundle(TARGET, bundle())
    text = phone_map_template(mapping.unmapped()["phone_numbers"], "acme", "acme-eu")
    assert "# used by queue Sales" in text
    assert '"+16465550179": ""' in text
    import yaml

    assert parse_phone_map(yaml.safe_load(text)) == {}


def test_a_mapping_keyed_by_source_phone_number_ids_is_rekeyed_by_number_and_an_unknown_id_is_a_problem():
    given = {
        "+16465550179": "+4420",
        "pn-1": "+4480",
        "arn:aws:connect:us-east-1:1:phone-number/pn-2": "x",
        "pn-9": "y",
    }
    assert source_ids_in(given) == ["pn-1", "arn:aws:connect:us-east-1:1:phone-number/pn-2", "pn-9"]
    source = {"pn-1": "+18885550155", "arn:aws:connect:us-east-1:1:phone-number/pn-2": "+13125550111"}
    rekeyed, problems = phone_map_by_number(given, source)
    assert rekeyed == {"+16465550179": "+4420", "+18885550155": "+4480", "+13125550111": "x"}
    assert problems == ["phone_map names pn-9, which is neither an E.164 number nor a phone number of the source"]


# ---- flows, integrations and the numbers that answer with a flow ----------------------------------------

SRC = "arn:aws:connect:us-east-1:111111111111:instance/aaaaaaaa-0000-4000-8000-000000000000"
TGT = "arn:aws:connect:eu-west-2:222222222222:instance/bbbbbbbb-0000-4000-8000-000000000000"
SRC_FN = "arn:aws:lambda:us-east-1:111111111111:function:crm-lookup:live"
SRC_ALIAS = "arn:aws:lex:us-east-1:111111111111:bot-alias/BOTID00001/ALIASID001"


class PlacedTarget(FakeTarget):
    instance_arn = TGT


def flow(name: str, *refs: tuple[str, str, str]) -> dict[str, Any]:
    actions = [{"Identifier": f"a{n}", "Type": "X", "Parameters": {"P": arn}} for n, (arn, _t, _n) in enumerate(refs)]
    return {
        "name": name,
        "type": "CONTACT_FLOW",
        "content": json.dumps({"Version": "2019-10-30", "Actions": actions}),
        "references": [{"arn": arn, "type": kind, "name": ident} for arn, kind, ident in refs],
    }


def flows_bundle(**extra: Any) -> dict[str, Any]:
    return {
        "hours_of_operations": [{"name": "Office", "time_zone": "UTC", "config": []}],
        "lambda_functions": [{"name": "crm-lookup:live", "arn": SRC_FN}],
        "lex_bots": [
            {"name": "BOTID00001/ALIASID001", "lex_version": "V2", "arn": SRC_ALIAS},
            {"name": "OrderFlowers", "lex_version": "V1", "lex_region": "us-east-1"},
        ],
        "contact_flows": [
            flow(
                "Main IVR",
                (f"{SRC}/contact-flow/s1", "contact_flows", "Support Menu"),
                (SRC_FN, "lambda_functions", "crm-lookup:live"),
                (SRC_ALIAS, "lex_bots", "BOTID00001/ALIASID001"),
                (f"{SRC}/prompt/p1", "prompts", "Welcome"),
            ),
            flow("Support Menu", (f"{SRC}/contact-flow/m1", "contact_flows", "Main IVR")),
            flow("Default customer queue"),
        ],
        **extra,
    }


def test_a_lambda_function_maps_to_the_function_of_that_name_in_the_targets_account_and_region():
    mapping, _problems = map_bundle(
        PlacedTarget({"contact_flows": ["Default customer queue"]}), flows_bundle(), on_unmapped="skip"
    )
    [fn] = mapping.resources["lambda_functions"]
    assert fn == {"name": "crm-lookup:live", "arn": "arn:aws:lambda:eu-west-2:222222222222:function:crm-lookup:live"}


def test_a_lex_v2_alias_of_another_region_needs_the_integration_map_and_without_it_is_listed_not_guessed():
    target = PlacedTarget({"contact_flows": ["Default customer queue"]})
    mapping, _problems = map_bundle(target, flows_bundle(), on_unmapped="fail")
    unmapped = mapping.report()["lex_bots"]["unmapped"]
    assert [u["source"] for u in unmapped] == [SRC_ALIAS]
    assert "integration_map" in unmapped[0]["used_by"][0]
    wanted = "arn:aws:lex:eu-west-2:222222222222:bot-alias/NEWBOT0001/NEWALIAS01"
    mapping, _problems = map_bundle(target, flows_bundle(), on_unmapped="fail", integration_map={SRC_ALIAS: wanted})
    assert "lex_bots" not in mapping.unmapped()
    v2 = next(b for b in mapping.resources["lex_bots"] if b["lex_version"] == "V2")
    assert v2 == {"name": "NEWBOT0001/NEWALIAS01", "lex_version": "V2", "arn": wanted}
    # The flow's reference follows the rename, so its content is rewritten to the mapped alias.
    ivr = by_name(mapping.resources["contact_flows"])["Main IVR"]
    assert {"arn": SRC_ALIAS, "type": "lex_bots", "name": "NEWBOT0001/NEWALIAS01"} in ivr["references"]


def test_a_flow_reference_nothing_maps_names_the_flow_and_the_action_and_fails_or_leaves_the_flow_out():
    target = PlacedTarget({"contact_flows": ["Default customer queue"]})
    mapping, _problems = map_bundle(target, flows_bundle(), on_unmapped="fail")
    [prompt] = mapping.report()["prompts"]["unmapped"]
    assert prompt == {
        "source": "Welcome",
        "used_by": ["contact flow Main IVR, action 'a3' (X)"],
        "effects": ["item fails"],
    }
    skipped, _problems = map_bundle(
        target,
        flows_bundle(),
        on_unmapped="skip",
        integration_map={SRC_ALIAS: SRC_ALIAS.replace("us-east-1", "eu-west-2")},
    )
    assert [f["name"] for f in skipped.resources["contact_flows"]] == []  # Main IVR left out, and Support Menu needs it
    assert {s["name"] for s in skipped.skipped} == {"Main IVR", "Support Menu"}


def test_flows_naming_each_other_map_to_each_other_and_the_instance_default_flows_are_left_alone_unless_asked():
    target = PlacedTarget({"contact_flows": ["Default customer queue"], "prompts": []})
    data = flows_bundle()
    data["contact_flows"][0]["references"].pop()  # no prompt
    mapping, _problems = map_bundle(target, data, on_unmapped="fail", integration_map={SRC_ALIAS: SRC_ALIAS})
    assert mapping.unmapped() == {}
    assert [f["name"] for f in mapping.resources["contact_flows"]] == ["Main IVR", "Support Menu"]
    assert {
        "source": "Default customer queue",
        "target": "Default customer queue",
        "how": "instance default contact flow",
    } in mapping.mapped["defaults"]
    updated, _problems = map_bundle(
        target, data, on_unmapped="fail", integration_map={SRC_ALIAS: SRC_ALIAS}, update_default_flows=True
    )
    assert "Default customer queue" in [f["name"] for f in updated.resources["contact_flows"]]


def test_a_number_answered_by_a_flow_is_mapped_to_the_targets_number_and_one_nothing_maps_is_listed():
    data = flows_bundle(
        phone_numbers=[
            {"phone_number": "+12125550197", "contact_flow": "Support Menu"},
            {"phone_number": "+18005550163", "contact_flow": "Main IVR"},
            {"phone_number": "+13125550100"},  # no flow: nothing of it is written
        ]
    )
    data["contact_flows"][0]["references"].pop()  # no prompt
    target = PlacedTarget(
        {"contact_flows": ["Default customer queue"], "phone_numbers": ["+18005550163", "+442079460631"]}
    )
    aliases = {SRC_ALIAS: SRC_ALIAS}
    phone_map = {"+12125550197": "+442079460631"}
    mapping, _problems = map_bundle(target, data, on_unmapped="fail", phone_map=phone_map, integration_map=aliases)
    assert mapping.unmapped() == {}
    assert mapping.resources["phone_numbers"] == [
        {"phone_number": "+442079460631", "contact_flow": "Support Menu"},
        {"phone_number": "+18005550163", "contact_flow": "Main IVR"},
    ]
    lonely, _problems = map_bundle(target, data, on_unmapped="fail", integration_map=aliases)
    [entry] = lonely.report()["phone_numbers"]["unmapped"]
    assert entry["source"] == "+12125550197" and "contact flow 'Support Menu'" in entry["used_by"][0]
    assert entry["effects"] == ["item fails"]


def test_an_integration_map_entry_that_is_not_an_arn_of_the_same_kind_is_refused_before_anything_is_read():
    from ansible_collections.ccaas.connect.plugins.module_utils._mapping import integration_map_problems

    assert integration_map_problems({SRC_FN: SRC_ALIAS}) == [
        f"integration_map[{SRC_FN!r}]: maps a Lambda function to a Lex bot alias, or the other way round"
    ]
    assert integration_map_problems({"crm": "x"})[0].startswith("integration_map['crm']: the source must be")
    assert integration_map_problems({SRC_FN: ""}) == []  # a template entry not filled in yet


def test_a_flow_without_content_that_the_target_lacks_is_listed_not_created_empty():
    data = {"contact_flows": [{"name": "Nowhere IVR", "type": "CONTACT_FLOW"}]}
    mapping, _problems = map_bundle(TARGET, data, on_unmapped="skip")
    assert mapping.resources["contact_flows"] == []
    assert mapping.report()["contact_flows"]["unmapped"] == [
        {"source": "Nowhere IVR", "used_by": ["contact flow Nowhere IVR: no content"], "effects": ["item left out"]}
    ]
