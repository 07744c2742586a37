from __future__ import annotations

from ansible_collections.ccaas.connect.plugins.module_utils._runner import (
    argument_spec,
    desired_items,
    validate_items,
)

OPTIONS = {
    "username": {"type": "str"},
    "password": {"type": "str", "no_log": True},
    "routing_profile": {"type": "str"},
    "phone_config": {"type": "dict", "options": {"auto_accept": {"type": "bool"}}},
}


def test_a_malformed_entry_fails_alone_and_names_itself():
    entries = [
        {"username": "ok", "routing_profile": "Sales RP"},
        {"username": "typo", "routing_profil": "Sales RP"},
        {"routing_profile": "Sales RP"},
        "not a dict",
    ]
    valid, invalid, _secrets = validate_items(entries, OPTIONS, "username")
    assert [entry["username"] for entry in valid] == ["ok"]
    names = [name for name, _message in invalid]
    assert names == ["typo", "entry 3", "entry 4"]
    assert "routing_profil" in invalid[0][1]
    assert invalid[0][1].startswith("typo (items[1]): ")
    assert invalid[2][1] == "entry 4 (items[3]): an entry of items must be a dictionary, not a str"


def test_an_entrys_password_is_collected_for_masking_and_never_reaches_the_planner():
    params = {"items": [{"username": "a", "password": "Secret123x"}]}
    valid, _invalid, secrets = validate_items(params["items"], OPTIONS, "username")
    assert secrets == {"Secret123x"}
    assert desired_items(params, OPTIONS, valid) == [{"username": "a"}]


def test_the_top_level_form_is_one_item_built_from_the_options_given():
    params = {"items": None, "username": "jdoe", "routing_profile": "Sales RP", "password": "x", "tags": {"a": "b"}}
    assert desired_items(params, OPTIONS, []) == [
        {"username": "jdoe", "routing_profile": "Sales RP", "tags": {"a": "b"}}
    ]


def test_items_carries_no_sub_options_so_ansible_does_not_reject_the_whole_task_for_one_entry():
    spec = argument_spec(OPTIONS, "username")
    assert spec["items"] == {"type": "list", "elements": "dict"}
    assert spec["username"]["required"] is False
    assert spec["tags"]["aliases"] == ["resource_tags"]
