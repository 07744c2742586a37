#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_contact_flow
short_description: Create or update Amazon Connect contact flows, their content rewritten for the target
version_added: 0.3.0
description:
  - Makes the contact flows of an Amazon Connect instance match the task, idempotently. A missing flow is
    created (C(CreateContactFlow), with its type and status); an existing one gets C(UpdateContactFlowContent)
    when its content differs and C(UpdateContactFlowMetadata) when its description or state differs; tags are set
    with C(TagResource)/C(UntagResource).
  - Content is flow language as the export stored it. Every resource it names is listed in O(references) and
    rewritten to the target's ARN or ID (queues, prompts, users, other flows and modules, Lambda functions, Lex
    bots...). Contents are compared as JSON after the rewrite, so a rerun writes nothing.
  - A flow created without content (the import's first pass, so that flows naming each other can all exist
    before any content is written) gets a minimal content that names nothing; its own content follows in a
    second task.
  - Amazon Connect chooses a flow's status (C(PUBLISHED) or C(SAVED)) at creation and has no API that changes it,
    nor its type, nor a delete for every flow type, so this module has no C(state=absent). An item whose type or
    status differs from the target's fails, naming it.
author:
  - ccaas.connect contributors (@ccaas-connect)
options:
  name:
    description:
      - The name, the identity. Required unless O(items) is set.
    type: str
  type:
    description: The flow type. Required to create; never changed.
    type: str
    choices:
      - CONTACT_FLOW
      - CUSTOMER_QUEUE
      - CUSTOMER_HOLD
      - CUSTOMER_WHISPER
      - AGENT_HOLD
      - AGENT_WHISPER
      - OUTBOUND_WHISPER
      - AGENT_TRANSFER
      - QUEUE_TRANSFER
      - CAMPAIGN
  description:
    description: The description.
    type: str
  state:
    description: C(ACTIVE), or C(ARCHIVED) for a flow kept but not used.
    type: str
    choices: ['ACTIVE', 'ARCHIVED']
  status:
    description: C(PUBLISHED) (the default of a new flow) or C(SAVED), a draft. Chosen at creation only.
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
- name: A flow whose content names a queue of the target
  ccaas.connect.connect_contact_flow:
    instance: acme-target
    name: Sales IVR
    type: CONTACT_FLOW
    content: "{{ lookup('ansible.builtin.file', 'flows/sales-ivr.json') }}"
    references:
      - arn: "{{ source_instance_arn }}/queue/22222222-3333-4444-8555-666666666666"
        type: queues
        name: Sales
- name: Every contact flow of an exported bundle
  ccaas.connect.connect_contact_flow:
    instance: acme-target
    items: "{{ (lookup('ansible.builtin.file', 'output/bundle.json') | from_json).resources.contact_flows }}"
"""

RETURN = r"""
item_results:
  description: One entry per item; see M(ccaas.connect.connect_user) for the members.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "Sales IVR", "outcome": "created", "api_calls": ["CreateContactFlow"]}]
resource_type:
  description: The resource type the task wrote, as the bundle names it, so reports can count per type.
  returned: always
  type: str
  sample: contact_flows
totals:
  description: How many items had each outcome.
  returned: always
  type: dict
  sample: {"created": 1, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0, "skipped": 0}
api_calls:
  description: The Amazon Connect API calls the module made, per API, with the retries botocore made.
  returned: always
  type: dict
  sample: {"SearchContactFlows": {"calls": 1, "retries": 0}}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._argspec import item_options
from ansible_collections.ccaas.connect.plugins.module_utils._resources import RESOURCE_TYPES
from ansible_collections.ccaas.connect.plugins.module_utils._runner import argument_spec, run_import

# Generated from the type's description; a unit test keeps DOCUMENTATION's options equal to them.
CONTACT_FLOW_OPTIONS = item_options(RESOURCE_TYPES["contact_flows"])


def main() -> None:
    spec = argument_spec(CONTACT_FLOW_OPTIONS, "name", deletable=False)
    module = AnsibleAWSModule(argument_spec=spec, supports_check_mode=True)
    run_import(module, "contact_flows", CONTACT_FLOW_OPTIONS, "name")


if __name__ == "__main__":
    main()
