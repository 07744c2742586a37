"""Mapping a bundle onto a target: what maps by itself, what a file maps, and nothing dropped silently."""

from __future__ import annotations

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
    assert mapping.mapped["contact_flows"] == [
        {"source": "Billing Legacy IVR", "target": "Transfer to Sales", "how": "flow_map"}
    ]


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
