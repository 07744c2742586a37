#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_flow_module
short_description: Create or update Amazon Connect flow modules, their content rewritten for the target
version_added: 0.3.0
description:
  - Makes the flow modules of an Amazon Connect instance match the task, idempotently. A missing module is
    created (C(CreateContactFlowModule)); an existing one gets C(UpdateContactFlowModuleContent) when its content
    or settings differ and C(UpdateContactFlowModuleMetadata) when its description or state differs.
  - Content is rewritten for the target as M(ccaas.connect.connect_contact_flow) does it, from O(references).
  - There is no C(state=absent) here; M(ccaas.connect.connect_rollback) deletes the modules a run created.
author:
  - ccaas.connect contributors (@ccaas-connect)
options:
  name:
    description:
      - The name, the identity. Required unless O(items) is set.
    type: str
  description:
    description: The description.
    type: str
  state:
    description: C(ACTIVE) or C(ARCHIVED).
    type: str
    choices: ['ACTIVE', 'ARCHIVED']
  status:
    description:
      - C(PUBLISHED), as every module C(CreateContactFlowModule) makes; a C(SAVED) module (a draft only) cannot be
        created, and an item saying so fails, named.
    type: str
    choices: ['PUBLISHED', 'SAVED']
  content:
    description: The flow language, as a JSON string. Required to write content.
    type: str
  references:
    description:
      - What the content names, as the export lists it - one entry per resource, with its ARN in the source
        instance, its type and its identity in the target. Each ARN (with or without a qualifier such as
        C(:$SAVED)) and its bare ID are replaced in O(content) by the target's before it is compared or written;
        a reference the target lacks fails the item, naming the action that uses it.
      - Content that names a resource of another instance, a Lambda function or a Lex V2 alias no reference maps
        fails the item too, so nothing of the source is ever published in the target.
    type: list
    elements: dict
    suboptions:
      arn:
        description: The resource's ARN in the source instance (a Lambda function's or Lex V2 alias's ARN).
        type: str
        required: true
      type:
        description: The resource's type, as a bundle names it.
        type: str
        required: true
        choices:
          - queues
          - users
          - hours_of_operations
          - contact_flows
          - contact_flow_modules
          - prompts
          - quick_connects
          - routing_profiles
          - agent_statuses
          - security_profiles
          - user_hierarchy_groups
          - views
          - phone_numbers
          - lambda_functions
          - lex_bots
      name:
        description: The resource's identity in the target - name, username, hierarchy path, E.164 number, or the
          integration's name.
        type: str
        required: true
  settings:
    description: The module's inputs, outputs and result branches, as a JSON string; written with its content.
    type: str
extends_documentation_fragment:
  - ccaas.connect.import_options
  - ccaas.connect.import_options.items
  - ccaas.connect.pacing
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Every flow module of an exported bundle
  ccaas.connect.connect_flow_module:
    instance: acme-target
    items: "{{ (lookup('ansible.builtin.file', 'output/bundle.json') | from_json).resources.contact_flow_modules }}"
"""

RETURN = r"""
item_results:
  description: One entry per item; see M(ccaas.connect.connect_user) for the members.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "Authenticate caller", "outcome": "created", "api_calls": ["CreateContactFlowModule"]}]
resource_type:
  description: The resource type the task wrote, as the bundle names it, so reports can count per type.
  returned: always
  type: str
  sample: contact_flow_modules
totals:
  description: How many items had each outcome.
  returned: always
  type: dict
  sample: {"created": 1, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0, "skipped": 0}
api_calls:
  description: The Amazon Connect API calls the module made, per API, with the retries botocore made.
  returned: always
  type: dict
  sample: {"SearchContactFlowModules": {"calls": 1, "retries": 0}}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._argspec import item_options
from ansible_collections.ccaas.connect.plugins.module_utils._resources import RESOURCE_TYPES
from ansible_collections.ccaas.connect.plugins.module_utils._runner import argument_spec, run_import

# Generated from the type's description; a unit test keeps DOCUMENTATION's options equal to them.
FLOW_MODULE_OPTIONS = item_options(RESOURCE_TYPES["contact_flow_modules"])


def main() -> None:
    spec = argument_spec(FLOW_MODULE_OPTIONS, "name", deletable=False)
    module = AnsibleAWSModule(argument_spec=spec, supports_check_mode=True)
    run_import(module, "contact_flow_modules", FLOW_MODULE_OPTIONS, "name")


if __name__ == "__main__":
    main()
