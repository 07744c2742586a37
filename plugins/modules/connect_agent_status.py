#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_agent_status
short_description: Create or update Amazon Connect agent statuses, one or many per task
version_added: 0.2.0
description:
  - Makes the agent statuses of an Amazon Connect instance match the task, idempotently. Missing ones are
    created (C(CreateAgentStatus)); existing ones get one C(UpdateAgentStatus) call carrying the fields that
    differ, and their tags are set with C(TagResource)/C(UntagResource).
  - Amazon Connect has no API that deletes an agent status, so this module has no C(state=absent); set
    O(state=DISABLED) to retire one. M(ccaas.connect.connect_rollback) does the same with the statuses a run
    created.
  - C(CreateAgentStatus) creates C(CUSTOM) statuses only, and no API changes a status's type. The built-in
    C(Available) (C(ROUTABLE)) and C(Offline) (C(OFFLINE)) statuses every instance has are found by name and
    may be updated; an item whose O(type) differs from what the target has or can create fails, naming it.
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
  type:
    description:
      - The type, as the export writes it. Only C(CUSTOM) statuses can be created; given, it must match the
        target's status (it is never written).
    type: str
    choices: ['ROUTABLE', 'CUSTOM', 'OFFLINE']
  state:
    description:
      - Whether agents can choose the status. Required to create.
    type: str
    choices: ['ENABLED', 'DISABLED']
  display_order:
    description: The status's place in the agents' list, 1 to 50.
    type: int
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
- name: A lunch status agents can pick
  ccaas.connect.connect_agent_status:
    instance: acme-target
    name: Lunch
    description: Lunch break
    state: ENABLED
    display_order: 3
    tags:
      BU: Sales

- name: Retire a status (Amazon Connect cannot delete one)
  ccaas.connect.connect_agent_status:
    instance: acme-target
    name: Project Work
    state: DISABLED

- name: Every agent status of an exported bundle
  ccaas.connect.connect_agent_status:
    instance: acme-target
    items: "{{ (lookup('ansible.builtin.file', 'output/bundle.json') | from_json).resources.agent_statuses }}"
"""

RETURN = r"""
item_results:
  description: One entry per item; see M(ccaas.connect.connect_user) for the members.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "Lunch", "outcome": "created", "api_calls": ["CreateAgentStatus"]}]
resource_type:
  description: The resource type the task wrote, as the bundle names it, so reports can count per type.
  returned: always
  type: str
  sample: agent_statuses
totals:
  description: How many items had each outcome.
  returned: always
  type: dict
  sample: {"created": 1, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0, "skipped": 0}
api_calls:
  description: The Amazon Connect API calls the module made, per API, with the retries botocore made.
  returned: always
  type: dict
  sample: {"SearchAgentStatuses": {"calls": 1, "retries": 0}}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._argspec import item_options
from ansible_collections.ccaas.connect.plugins.module_utils._resources import RESOURCE_TYPES
from ansible_collections.ccaas.connect.plugins.module_utils._runner import argument_spec, run_import

# Generated from the type's description; a unit test keeps DOCUMENTATION's options equal to them.
AGENT_STATUS_OPTIONS = item_options(RESOURCE_TYPES["agent_statuses"])


def main() -> None:
    spec = argument_spec(AGENT_STATUS_OPTIONS, "name", deletable=False)
    module = AnsibleAWSModule(argument_spec=spec, supports_check_mode=True)
    run_import(module, "agent_statuses", AGENT_STATUS_OPTIONS, "name")


if __name__ == "__main__":
    main()
