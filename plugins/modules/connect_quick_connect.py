#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_quick_connect
short_description: Create, update or delete Amazon Connect quick connects, one or many per task
version_added: 0.1.0
description:
  - Makes the quick connects of an Amazon Connect instance match the task, idempotently, for the C(USER),
    C(QUEUE), C(PHONE_NUMBER) and C(FLOW) types with their flow references given by name.
  - A changed configuration is written whole with C(UpdateQuickConnectConfig); a changed description with
    C(UpdateQuickConnectName).
author:
  - ccaas.connect contributors (@ccaas-connect)
options:
  name:
    description:
      - The quick connect's name, its identity. Required unless O(items) is set.
    type: str
  description:
    description: The description.
    type: str
  quick_connect_config:
    description: What the quick connect transfers to. Required to create.
    type: dict
    suboptions:
      quick_connect_type:
        description: The type; set the matching C(*_config).
        type: str
        required: true
        choices: ['USER', 'QUEUE', 'PHONE_NUMBER', 'FLOW']
      user_config:
        description: For C(USER) - the user (by username) and the transfer flow (by name).
        type: dict
        suboptions:
          user:
            description: The username.
            type: str
            required: true
          contact_flow:
            description: The transfer-to-agent flow.
            type: str
            required: true
      queue_config:
        description: For C(QUEUE) - the queue and the transfer flow, by name.
        type: dict
        suboptions:
          queue:
            description: The queue.
            type: str
            required: true
          contact_flow:
            description: The transfer-to-queue flow.
            type: str
            required: true
      phone_config:
        description: For C(PHONE_NUMBER) - the external number.
        type: dict
        suboptions:
          phone_number:
            description: The number in E.164 format.
            type: str
            required: true
      flow_config:
        description: For C(FLOW) - the flow, by name.
        type: dict
        suboptions:
          contact_flow:
            description: The flow.
            type: str
            required: true
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
- name: Transfer to the Sales queue
  ccaas.connect.connect_quick_connect:
    instance: acme-target
    name: Sales transfer
    quick_connect_config:
      quick_connect_type: QUEUE
      queue_config:
        queue: Sales
        contact_flow: Default queue transfer

- name: An external number
  ccaas.connect.connect_quick_connect:
    instance: acme-target
    name: Head office
    quick_connect_config:
      quick_connect_type: PHONE_NUMBER
      phone_config:
        phone_number: "+442079460000"
"""

RETURN = r"""
item_results:
  description: One entry per item; see M(ccaas.connect.connect_user) for the members.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "Sales transfer", "outcome": "created", "api_calls": ["CreateQuickConnect"]}]
resource_type:
  description: The resource type the task wrote, as the bundle names it, so reports can count per type.
  returned: always
  type: str
  sample: quick_connects
totals:
  description: How many items had each outcome.
  returned: always
  type: dict
  sample: {"created": 1, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0, "skipped": 0}
api_calls:
  description: The Amazon Connect API calls the module made, per API, with the retries botocore made.
  returned: always
  type: dict
  sample: {"SearchQuickConnects": {"calls": 1, "retries": 0}}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._argspec import item_options
from ansible_collections.ccaas.connect.plugins.module_utils._resources import RESOURCE_TYPES
from ansible_collections.ccaas.connect.plugins.module_utils._runner import argument_spec, run_import

# Generated from the type's description; a unit test keeps DOCUMENTATION's options equal to them.
QUICK_CONNECT_OPTIONS = item_options(RESOURCE_TYPES["quick_connects"])


def main() -> None:
    spec = argument_spec(QUICK_CONNECT_OPTIONS, "name")
    module = AnsibleAWSModule(argument_spec=spec, supports_check_mode=True)
    run_import(module, "quick_connects", QUICK_CONNECT_OPTIONS, "name")


if __name__ == "__main__":
    main()
