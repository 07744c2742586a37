#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_routing_profile
short_description: Create, update or delete Amazon Connect routing profiles, one or many per task
version_added: 0.1.0
description:
  - Makes the routing profiles of an Amazon Connect instance match the task, idempotently. A missing profile is
    created; an existing one gets only the C(UpdateRoutingProfile*) calls for the fields that differ.
  - Queue configurations of any length arrive whole, associated, updated and disassociated in chunks
    of 10, the most each call accepts.
author:
  - ccaas.connect contributors (@ccaas-connect)
options:
  name:
    description:
      - The routing profile's name, its identity. Required unless O(items) is set.
    type: str
  description:
    description: The description. Required by Amazon Connect to create a routing profile.
    type: str
  default_outbound_queue:
    description: The default outbound queue, by name. Required to create a routing profile.
    type: str
  media_concurrencies:
    description: How many contacts of each channel an agent handles at once. Required to create a routing profile.
    type: list
    elements: dict
    suboptions:
      channel:
        description: The channel.
        type: str
        required: true
        choices: ['VOICE', 'CHAT', 'TASK', 'EMAIL']
      concurrency:
        description: The number of contacts.
        type: int
        required: true
      cross_channel_behavior:
        description: Whether agents on this channel may be offered contacts of other channels.
        type: dict
        suboptions:
          behavior_type:
            description: The behaviour.
            type: str
            choices: ['ROUTE_CURRENT_CHANNEL_ONLY', 'ROUTE_ANY_CHANNEL']
      workload_type_concurrencies:
        description: Concurrency per workload type within the channel, as M(ccaas.connect.connect_info) exports it.
        type: list
        elements: dict
        suboptions:
          workload_type:
            description: The workload type.
            type: str
            required: true
          concurrency:
            description: The number of contacts of that workload type.
            type: int
            required: true
          cross_channel_workload_behavior:
            description: Whether contacts of other workload types may be offered.
            type: dict
            suboptions:
              channel_workload_behavior_type:
                description: The behaviour.
                type: str
  agent_availability_timer:
    description: How agents' routing order is computed.
    type: str
    choices: ['TIME_SINCE_LAST_ACTIVITY', 'TIME_SINCE_LAST_INBOUND']
  queue_configs:
    description:
      - The queues the profile routes from. The list is the whole list; any other queue is disassociated.
    type: list
    elements: dict
    suboptions:
      queue:
        description: The queue, by name.
        type: str
        required: true
      channel:
        description: The channel.
        type: str
        required: true
        choices: ['VOICE', 'CHAT', 'TASK', 'EMAIL']
      priority:
        description: The queue's priority in the profile (1 is first).
        type: int
        default: 1
      delay:
        description: Seconds a contact waits before agents of this profile are offered it.
        type: int
        default: 0
  manual_assignment_queue_configs:
    description:
      - The queues agents of the profile pick contacts from themselves (manual assignment), per channel. The list
        is the whole list; any other is disassociated, C([]) removes them all.
    type: list
    elements: dict
    suboptions:
      queue:
        description: The queue, by name.
        type: str
        required: true
      channel:
        description: The channel.
        type: str
        required: true
        choices: ['VOICE', 'CHAT', 'TASK', 'EMAIL']
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
- name: A routing profile with its queues
  ccaas.connect.connect_routing_profile:
    instance: acme-target
    name: Sales RP
    description: Sales agents
    default_outbound_queue: Sales
    media_concurrencies:
      - channel: VOICE
        concurrency: 1
    queue_configs:
      - {queue: Sales, channel: VOICE, priority: 1, delay: 0}
      - {queue: Billing, channel: VOICE, priority: 2, delay: 30}

- name: The routing profiles of a bundle
  ccaas.connect.connect_routing_profile:
    instance: acme-target
    items: "{{ bundle.resources.routing_profiles }}"
"""

RETURN = r"""
item_results:
  description: One entry per item; see M(ccaas.connect.connect_user) for the members.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "Sales RP", "outcome": "created", "api_calls": ["CreateRoutingProfile"]}]
resource_type:
  description: The resource type the task wrote, as the bundle names it, so reports can count per type.
  returned: always
  type: str
  sample: routing_profiles
totals:
  description: How many items had each outcome.
  returned: always
  type: dict
  sample: {"created": 1, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0, "skipped": 0}
api_calls:
  description: The Amazon Connect API calls the module made, per API, with the retries botocore made.
  returned: always
  type: dict
  sample: {"SearchRoutingProfiles": {"calls": 1, "retries": 0}}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._argspec import item_options
from ansible_collections.ccaas.connect.plugins.module_utils._resources import RESOURCE_TYPES
from ansible_collections.ccaas.connect.plugins.module_utils._runner import argument_spec, run_import

# Generated from the type's description; a unit test keeps DOCUMENTATION's options equal to them.
ROUTING_PROFILE_OPTIONS = item_options(RESOURCE_TYPES["routing_profiles"])


def main() -> None:
    spec = argument_spec(ROUTING_PROFILE_OPTIONS, "name")
    module = AnsibleAWSModule(argument_spec=spec, supports_check_mode=True)
    run_import(module, "routing_profiles", ROUTING_PROFILE_OPTIONS, "name")


if __name__ == "__main__":
    main()
