"""The per-type write modules document exactly the options their description generates, and no other.

A documented option with no field in the description would be accepted by nobody (Ansible refuses
it); a field with no documented option would be taken without a word in `ansible-doc`. Names, types,
choices, requirements and defaults are compared, at every level of sub-options.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from ansible_collections.ccaas.connect.plugins.module_utils._argspec import item_options
from ansible_collections.ccaas.connect.plugins.module_utils._resources import RESOURCE_TYPES, walk_fields
from ansible_collections.ccaas.connect.plugins.modules import (
    connect_agent_status,
    connect_contact_flow,
    connect_flow_module,
    connect_hours_of_operation,
    connect_lambda_function,
    connect_lex_bot,
    connect_predefined_attribute,
    connect_prompt,
    connect_queue,
    connect_quick_connect,
    connect_routing_profile,
    connect_security_profile,
    connect_user,
    connect_user_hierarchy,
    connect_view,
)

# module, its resource type, the options it documents that are not an item's (how to handle passwords, levels).
MODULES = [
    (connect_agent_status, "agent_statuses", set()),
    (connect_contact_flow, "contact_flows", set()),
    (connect_flow_module, "contact_flow_modules", set()),
    (connect_hours_of_operation, "hours_of_operations", set()),
    (connect_lambda_function, "lambda_functions", set()),
    (connect_lex_bot, "lex_bots", set()),
    (connect_predefined_attribute, "predefined_attributes", set()),
    (connect_prompt, "prompts", {"prompt_bucket", "prompt_prefix"}),
    (connect_queue, "queues", set()),
    (connect_quick_connect, "quick_connects", set()),
    (connect_routing_profile, "routing_profiles", set()),
    (connect_security_profile, "security_profiles", set()),
    (connect_user, "users", {"passwords", "generate_passwords", "password_file"}),
    (connect_user_hierarchy, "user_hierarchy_groups", {"levels"}),
    (connect_view, "views", set()),
]
IDS = [module.__name__.rsplit(".", 1)[-1] for module, _key, _extra in MODULES]


def documented(module: Any) -> dict[str, Any]:
    return yaml.safe_load(module.DOCUMENTATION)["options"]


def mismatches(docs: dict[str, Any], spec: dict[str, Any], where: str = "") -> list[str]:
    found = []
    for name in sorted(set(docs) - set(spec)):
        found.append(f"{where}{name}: documented, but no field of the description")
    for name in sorted(set(spec) - set(docs)):
        found.append(f"{where}{name}: a field of the description, but not documented")
    for name in sorted(set(docs) & set(spec)):
        doc, option = docs[name], spec[name]
        pairs = {a: (doc.get(a), option.get(a)) for a in ("type", "elements", "choices", "default")}
        pairs["required"] = (bool(doc.get("required")), bool(option.get("required")))
        for attribute, (in_docs, in_spec) in pairs.items():
            if in_docs != in_spec:
                found.append(f"{where}{name}: {attribute} is {in_docs!r} in the docs, {in_spec!r} in the spec")
        found += mismatches(doc.get("suboptions") or {}, option.get("options") or {}, f"{where}{name}.")
    return found


@pytest.mark.parametrize(("module", "key", "extra"), MODULES, ids=IDS)
def test_the_documented_item_options_are_the_descriptions_fields(module, key, extra):
    docs = {name: doc for name, doc in documented(module).items() if name not in extra}
    assert mismatches(docs, item_options(RESOURCE_TYPES[key])) == []


@pytest.mark.parametrize(("module", "key", "extra"), MODULES, ids=IDS)
def test_every_field_of_the_description_is_a_documented_option(module, key, extra):
    rtype = RESOURCE_TYPES[key]
    docs = documented(module)
    top = {f.key for f in rtype.fields if not f.tags} | {s.key for s in rtype.sublists} | {rtype.identity_key}
    assert top <= set(docs)
    # ... and every member of a structure, wherever it sits.
    documented_members = set()
    stack = list(docs.values())
    while stack:
        doc = stack.pop()
        documented_members |= set(doc.get("suboptions") or {})
        stack += list((doc.get("suboptions") or {}).values())
    members = {m.key for f in rtype.fields for m in walk_fields(f.sub)}
    members |= {m.key for s in rtype.sublists for m in walk_fields(s.fields)}
    assert members <= documented_members


def test_a_users_password_is_an_option_never_logged():
    assert item_options(RESOURCE_TYPES["users"])["password"] == {"type": "str", "no_log": True}


def test_a_mismatch_is_named_by_its_path():
    docs = {"config": {"type": "list", "elements": "dict", "suboptions": {"day": {"type": "str"}, "typo": {}}}}
    spec = {"config": {"type": "list", "elements": "dict", "options": {"day": {"type": "str", "required": True}}}}
    assert mismatches(docs, spec) == [
        "config.typo: documented, but no field of the description",
        "config.day: required is False in the docs, True in the spec",
    ]


def test_every_type_an_import_writes_has_its_write_module():
    assert sorted(key for _module, key, _extra in MODULES) == sorted(
        t.key for t in RESOURCE_TYPES.values() if t.imported
    )
