#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_queue
short_description: Create, update or delete Amazon Connect standard queues, one or many per task
version_added: 0.1.0
description:
  - Makes the standard queues of an Amazon Connect instance match the task, idempotently. A missing queue is
    created; an existing one gets only the C(UpdateQueue*) calls for the fields that differ.
  - Quick connects are associated and disassociated in chunks of 50, so a queue with any number arrives whole.
  - References are given by name (hours of operation, outbound flow, quick connects) or E.164 number (the
    outbound caller ID number); IDs are accepted too.
author:
  - ccaas.connect contributors (@ccaas-connect)
options:
  name:
    description:
      - The queue's name, its identity. Required unless O(items) is set.
    type: str
  description:
    description: The queue's description.
    type: str
  hours_of_operation:
    description: The hours of operation, by name. Required to create a queue.
    type: str
  max_contacts:
    description: The most contacts the queue holds before it is full.
    type: int
  status:
    description: Whether the queue takes contacts. A new queue is created enabled.
    type: str
    choices: ['ENABLED', 'DISABLED']
  outbound_caller_config:
    description:
      - The outbound caller ID and outbound whisper flow. Only the members given are compared and changed.
    type: dict
    suboptions:
      outbound_caller_id_name:
        description: The caller ID name.
        type: str
      outbound_caller_id_number:
        description: The caller ID number, a phone number claimed by the target, in E.164 format (or its ID).
        type: str
      outbound_flow:
        description: The outbound whisper flow, by name.
        type: str
  quick_connects:
    description:
      - The quick connects of the queue, by name. The list is the whole list; any other is disassociated.
    type: list
    elements: str
extends_documentation_fragment:
  - ccaas.connect.import_options
  - ccaas.connect.import_options.items
  - ccaas.connect.import_options.state
  - ccaas.connect.pacing
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: One queue
  ccaas.connect.connect_queue:
    instance: acme-target
    name: Sales
    hours_of_operation: Office hours
    outbound_caller_config:
      outbound_caller_id_name: ACME Sales
      outbound_caller_id_number: "+442079460631"
    quick_connects: [Sales transfer, Supervisor]
    tags:
      BU: Sales

- name: The queues of a bundle
  ccaas.connect.connect_queue:
    instance: acme-target
    items: "{{ bundle.resources.queues }}"
"""

RETURN = r"""
item_results:
  description: One entry per item; see M(ccaas.connect.connect_user) for the members.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "Sales", "outcome": "created", "api_calls": ["CreateQueue", "AssociateQueueQuickConnects"]}]
resource_type:
  description: The resource type the task wrote, as the bundle names it, so reports can count per type.
  returned: always
  type: str
  sample: queues
totals:
  description: How many items had each outcome.
  returned: always
  type: dict
  sample: {"created": 1, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0, "skipped": 0}
api_calls:
  description: The Amazon Connect API calls the module made, per API, with the retries botocore made.
  returned: always
  type: dict
  sample: {"SearchQueues": {"calls": 1, "retries": 0}, "CreateQueue": {"calls": 1, "retries": 0}}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._argspec import item_options
from ansible_collections.ccaas.connect.plugins.module_utils._resources import RESOURCE_TYPES
from ansible_collections.ccaas.connect.plugins.module_utils._runner import argument_spec, run_import

# Generated from the type's description; a unit test keeps DOCUMENTATION's options equal to them.
QUEUE_OPTIONS = item_options(RESOURCE_TYPES["queues"])


def main() -> None:
    module = AnsibleAWSModule(argument_spec=argument_spec(QUEUE_OPTIONS, "name"), supports_check_mode=True)
    run_import(module, "queues", QUEUE_OPTIONS, "name")


if __name__ == "__main__":
    main()
