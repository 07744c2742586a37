#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_user_hierarchy
short_description: Set an Amazon Connect user hierarchy - its level names and its groups, parent first
version_added: 0.1.0
description:
  - Sets the names of the hierarchy levels (C(UpdateUserHierarchyStructure)) when O(levels) differs, then makes
    the hierarchy groups match the task. A group is named by its path of names from the top level
    (C(Sales/EMEA/London)); groups new in one task are created parent first, a child naming the parent the
    same run created.
author:
  - ccaas.connect contributors (@ccaas-connect)
options:
  levels:
    description:
      - The level names from the top, one to five (C([Region, Site, Team])). Left alone when not set.
    type: list
    elements: str
  path:
    description:
      - One group's path, its identity. Set O(path) or O(items), or only O(levels).
    type: str
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
- name: Levels and groups
  ccaas.connect.connect_user_hierarchy:
    instance: acme-target
    levels: [Region, Site, Team]
    items:
      - path: EMEA
      - path: EMEA/London
      - path: EMEA/London/Sales Team A
        tags:
          BU: Sales
"""

RETURN = r"""
item_results:
  description: One entry per group (and one for the level names when they change); see M(ccaas.connect.connect_user).
  returned: always
  type: list
  elements: dict
  sample: [{"name": "EMEA/London", "outcome": "created", "api_calls": ["CreateUserHierarchyGroup"]}]
resource_type:
  description: The resource type the task wrote, as the bundle names it, so reports can count per type.
  returned: always
  type: str
  sample: user_hierarchy_groups
totals:
  description: How many items had each outcome.
  returned: always
  type: dict
  sample: {"created": 2, "updated": 0, "unchanged": 1, "deleted": 0, "failed": 0, "skipped": 0}
api_calls:
  description: The Amazon Connect API calls the module made, per API, with the retries botocore made.
  returned: always
  type: dict
  sample: {"SearchUserHierarchyGroups": {"calls": 1, "retries": 0}}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._argspec import item_options
from ansible_collections.ccaas.connect.plugins.module_utils._executor import ItemPlan
from ansible_collections.ccaas.connect.plugins.module_utils._preflight import structure_plan
from ansible_collections.ccaas.connect.plugins.module_utils._resources import RESOURCE_TYPES
from ansible_collections.ccaas.connect.plugins.module_utils._runner import argument_spec, run_import

# Generated from the type's description; a unit test keeps DOCUMENTATION's options equal to them.
GROUP_OPTIONS = item_options(RESOURCE_TYPES["user_hierarchy_groups"])


def levels_plan(target, params) -> list[ItemPlan]:
    """The level names, written before any group, planned as the import role's hierarchy phase plans them."""
    return structure_plan(target, params.get("levels"))


def main() -> None:
    spec = argument_spec(GROUP_OPTIONS, "path")
    spec["levels"] = {"type": "list", "elements": "str"}
    module = AnsibleAWSModule(argument_spec=spec, supports_check_mode=True)
    run_import(module, "user_hierarchy_groups", GROUP_OPTIONS, "path", extra_plans=levels_plan)


if __name__ == "__main__":
    main()
