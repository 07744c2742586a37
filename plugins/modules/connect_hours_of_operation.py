#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_hours_of_operation
short_description: Create, update or delete Amazon Connect hours of operation, one or many per task
version_added: 0.1.0
description:
  - Makes the hours of operation of an Amazon Connect instance match the task, idempotently. Missing ones are
    created; existing ones get one C(UpdateHoursOfOperation) call carrying the fields that differ.
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
  time_zone:
    description: The time zone, e.g. C(Europe/London). Required to create.
    type: str
  config:
    description: The opening hours, one entry per day and period. The list is compared whole.
    type: list
    elements: dict
    suboptions:
      day:
        description: The day.
        type: str
        required: true
        choices: ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY']
      start_time:
        description: Opening time.
        type: dict
        required: true
        suboptions:
          hours:
            description: Hour, 0-23.
            type: int
            required: true
          minutes:
            description: Minutes, 0-59.
            type: int
            required: true
      end_time:
        description: Closing time.
        type: dict
        required: true
        suboptions:
          hours:
            description: Hour, 0-23.
            type: int
            required: true
          minutes:
            description: Minutes, 0-59.
            type: int
            required: true
  overrides:
    description:
      - Holidays and special days - dated exceptions to the week. The list is the whole list, entries told apart by
        name - a missing override is created (C(CreateHoursOfOperationOverride)), a changed one updated
        (C(UpdateHoursOfOperationOverride)), one the task does not list deleted (C(DeleteHoursOfOperationOverride));
        C([]) removes them all, leaving it out leaves them alone.
    type: list
    elements: dict
    suboptions:
      name:
        description: The override's name, unique within the hours.
        type: str
        required: true
      description:
        description: The description.
        type: str
      config:
        description:
          - The opening times on the days it covers; C([]) with O(overrides[].override_type=CLOSED) for a closed day.
        type: list
        elements: dict
        required: true
        suboptions:
          day:
            description: The day of the week.
            type: str
            required: true
            choices: ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY']
          start_time:
            description: Opening time.
            type: dict
            required: true
            suboptions:
              hours:
                description: Hour, 0-23.
                type: int
                required: true
              minutes:
                description: Minutes, 0-59.
                type: int
                required: true
          end_time:
            description: Closing time.
            type: dict
            required: true
            suboptions:
              hours:
                description: Hour, 0-23.
                type: int
                required: true
              minutes:
                description: Minutes, 0-59.
                type: int
                required: true
      effective_from:
        description: The first day, C(YYYY-MM-DD).
        type: str
        required: true
      effective_till:
        description: The last day, C(YYYY-MM-DD).
        type: str
        required: true
      override_type:
        description: Open as O(overrides[].config) says, open all day, or closed.
        type: str
        choices: ['STANDARD', 'OPEN', 'CLOSED']
      recurrence_config:
        description: How the override repeats (a yearly holiday).
        type: dict
        suboptions:
          recurrence_pattern:
            description: The pattern.
            type: dict
            required: true
            suboptions:
              frequency:
                description: Weekly, monthly or yearly.
                type: str
                required: true
                choices: ['WEEKLY', 'MONTHLY', 'YEARLY']
              interval:
                description: Every how many periods, 1-6.
                type: int
                required: true
              by_month:
                description: The months (1-12).
                type: list
                elements: int
              by_month_day:
                description: The days of the month.
                type: list
                elements: int
              by_weekday_occurrence:
                description: Which occurrence of the weekday in the month (one).
                type: list
                elements: int
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
- name: Office hours
  ccaas.connect.connect_hours_of_operation:
    instance: acme-target
    name: Office hours
    time_zone: Europe/London
    config:
      - {day: MONDAY, start_time: {hours: 9, minutes: 0}, end_time: {hours: 17, minutes: 30}}
      - {day: TUESDAY, start_time: {hours: 9, minutes: 0}, end_time: {hours: 17, minutes: 30}}
"""

RETURN = r"""
item_results:
  description: One entry per item; see M(ccaas.connect.connect_user) for the members.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "Office hours", "outcome": "created", "api_calls": ["CreateHoursOfOperation"]}]
resource_type:
  description: The resource type the task wrote, as the bundle names it, so reports can count per type.
  returned: always
  type: str
  sample: hours_of_operations
totals:
  description: How many items had each outcome.
  returned: always
  type: dict
  sample: {"created": 1, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0, "skipped": 0}
api_calls:
  description: The Amazon Connect API calls the module made, per API, with the retries botocore made.
  returned: always
  type: dict
  sample: {"SearchHoursOfOperations": {"calls": 1, "retries": 0}}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._argspec import item_options
from ansible_collections.ccaas.connect.plugins.module_utils._resources import RESOURCE_TYPES
from ansible_collections.ccaas.connect.plugins.module_utils._runner import argument_spec, run_import

# Generated from the type's description; a unit test keeps DOCUMENTATION's options equal to them.
HOURS_OPTIONS = item_options(RESOURCE_TYPES["hours_of_operations"])


def main() -> None:
    module = AnsibleAWSModule(argument_spec=argument_spec(HOURS_OPTIONS, "name"), supports_check_mode=True)
    run_import(module, "hours_of_operations", HOURS_OPTIONS, "name")


if __name__ == "__main__":
    main()
