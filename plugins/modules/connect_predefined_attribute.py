#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_predefined_attribute
short_description: Create or update Amazon Connect predefined attributes, one or many per task
version_added: 0.4.0
description:
  - Makes the predefined attributes of an Amazon Connect instance match the task, idempotently. Missing ones are
    created (C(CreatePredefinedAttribute)); existing ones get one C(UpdatePredefinedAttribute) call carrying the
    members that differ; V(absent) deletes one (C(DeletePredefinedAttribute)).
  - A predefined attribute is named, not numbered - its name is what every API and every user's proficiency names
    (M(ccaas.connect.connect_user) O(ccaas.connect.connect_user#module:proficiencies)), so it is the identity in
    both instances.
author:
  - ccaas.connect contributors (@ccaas-connect)
options:
  name:
    description:
      - The attribute's name, the identity. Required unless O(items) is set.
    type: str
  values:
    description:
      - The values agents can be given a proficiency in. Required to create.
    type: dict
    suboptions:
      string_list:
        description: The values, compared as a set.
        type: list
        elements: str
        required: true
  purposes:
    description: What the attribute is for (Amazon Connect's purpose names), compared as a set.
    type: list
    elements: str
  attribute_configuration:
    description: Whether values are checked when a proficiency names them.
    type: dict
    suboptions:
      enable_value_validation_on_association:
        description: Refuse a proficiency whose value is not one of O(values).
        type: bool
extends_documentation_fragment:
  - ccaas.connect.import_options
  - ccaas.connect.import_options.items
  - ccaas.connect.import_options.state
  - ccaas.connect.pacing
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Predefined attributes carry no tags; O(tags) must be left unset.
  - Whether an attribute is read-only is Amazon Connect's to say (its own attributes); it is not an option.
"""

EXAMPLES = r"""
- name: The languages agents can be skilled in
  ccaas.connect.connect_predefined_attribute:
    instance: acme-target
    name: Language
    values:
      string_list: [English, French, German, Spanish]

- name: Every predefined attribute of an exported bundle
  ccaas.connect.connect_predefined_attribute:
    instance: acme-target
    items: "{{ (lookup('ansible.builtin.file', 'output/bundle.json') | from_json).resources.predefined_attributes }}"
"""

RETURN = r"""
item_results:
  description: One entry per item; see M(ccaas.connect.connect_user) for the members.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "Language", "outcome": "created", "api_calls": ["CreatePredefinedAttribute"]}]
resource_type:
  description: The resource type the task wrote, as the bundle names it, so reports can count per type.
  returned: always
  type: str
  sample: predefined_attributes
totals:
  description: How many items had each outcome.
  returned: always
  type: dict
  sample: {"created": 1, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0, "skipped": 0}
api_calls:
  description: The Amazon Connect API calls the module made, per API, with the retries botocore made.
  returned: always
  type: dict
  sample: {"SearchPredefinedAttributes": {"calls": 1, "retries": 0}}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._argspec import item_options
from ansible_collections.ccaas.connect.plugins.module_utils._resources import RESOURCE_TYPES
from ansible_collections.ccaas.connect.plugins.module_utils._runner import argument_spec, run_import

# Generated from the type's description; a unit test keeps DOCUMENTATION's options equal to them.
PREDEFINED_ATTRIBUTE_OPTIONS = item_options(RESOURCE_TYPES["predefined_attributes"])


def main() -> None:
    spec = argument_spec(PREDEFINED_ATTRIBUTE_OPTIONS, "name")
    module = AnsibleAWSModule(argument_spec=spec, supports_check_mode=True)
    run_import(module, "predefined_attributes", PREDEFINED_ATTRIBUTE_OPTIONS, "name")


if __name__ == "__main__":
    main()
