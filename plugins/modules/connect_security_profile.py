#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_security_profile
short_description: Create, update or delete Amazon Connect security profiles, one or many per task
version_added: 0.1.0
description:
  - Makes the security profiles of an Amazon Connect instance match the task, idempotently. Missing ones are
    created with their permissions, access-control tags and applications; existing ones get one
    C(UpdateSecurityProfile) call carrying what differs.
  - C(SearchSecurityProfiles) returns neither access-control tags nor applications, so an existing profile whose
    task sets O(allowed_access_control_tags) or O(tag_restricted_resources) costs one C(DescribeSecurityProfile),
    and one whose task sets O(applications) one C(ListSecurityProfileApplications).
  - Hierarchy-based access control (C(AllowedAccessControlHierarchyGroupId), C(HierarchyRestrictedResources)) is
    not managed.
author:
  - ccaas.connect contributors (@ccaas-connect)
options:
  name:
    description:
      - The security profile's name, its identity. Required unless O(items) is set.
    type: str
  description:
    description: The description.
    type: str
  permissions:
    description:
      - The permissions, e.g. C(BasicAgentAccess), C(Users.View). The list is the whole list, compared as a set.
    type: list
    elements: str
  allowed_access_control_tags:
    description:
      - Tag-based access control, e.g. V(BU=Sales). Users with this profile see only the resources of
        O(tag_restricted_resources) kinds that carry these tags. At most 4.
      - The map is the whole map, compared whole; C({}) removes the restriction.
    type: dict
  tag_restricted_resources:
    description:
      - The kinds of resources O(allowed_access_control_tags) restrict, e.g. C(User), C(SecurityProfile), C(Queue),
        C(RoutingProfile). Compared as a set; C([]) removes them.
    type: list
    elements: str
  allowed_access_control_hierarchy_group:
    description:
      - Hierarchy-based access control - users with this profile see only the resources of
        O(hierarchy_restricted_resources) kinds in this group and below, by path (V(EMEA/London)).
        C(DescribeSecurityProfile) is read for it, since C(SearchSecurityProfiles) does not return it.
    type: str
  hierarchy_restricted_resources:
    description:
      - The kinds of resources O(allowed_access_control_hierarchy_group) restricts, e.g. C(User). Compared as a set.
    type: list
    elements: str
  granular_access_control_configuration:
    description:
      - Access to data tables by the values of their primary attributes, as M(ccaas.connect.connect_info) exports it.
    type: dict
    suboptions:
      data_table_access_control_configuration:
        description: Data-table access.
        type: dict
        suboptions:
          primary_attribute_access_control_configuration:
            description: Access by primary attribute.
            type: dict
            suboptions:
              primary_attribute_values:
                description: The values allowed, per attribute.
                type: list
                elements: dict
                suboptions:
                  access_type:
                    description: The access granted.
                    type: str
                    choices: ['ALLOW']
                  attribute_name:
                    description: The primary attribute.
                    type: str
                  values:
                    description: Its values.
                    type: list
                    elements: str
  applications:
    description:
      - Third-party applications the profile grants access to in the agent workspace. The list is the whole list,
        compared as a set of namespaces each with its set of permissions; C([]) removes them all.
    type: list
    elements: dict
    suboptions:
      namespace:
        description: The application's namespace.
        type: str
        required: true
      application_permissions:
        description: The permissions granted for the application, e.g. C(ACCESS).
        type: list
        elements: str
        required: true
      type:
        description:
          - The kind of application. Left out, an existing application keeps the type it has.
        type: str
        choices: ['MCP', 'THIRD_PARTY_APPLICATION']
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
- name: A read-only auditor profile
  ccaas.connect.connect_security_profile:
    instance: acme-target
    name: Auditor
    description: Reads users and queues
    permissions: [Users.View, Queues.View]

- name: Sales leads see only what is tagged BU=Sales, and the CRM
  ccaas.connect.connect_security_profile:
    instance: acme-target
    name: Sales Leads
    permissions: [Users.View, Queues.View]
    allowed_access_control_tags:
      BU: Sales
    tag_restricted_resources: [User, Queue]
    applications:
      - namespace: acme-crm
        application_permissions: [ACCESS]
"""

RETURN = r"""
item_results:
  description: One entry per item; see M(ccaas.connect.connect_user) for the members.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "Auditor", "outcome": "created", "api_calls": ["CreateSecurityProfile"]}]
resource_type:
  description: The resource type the task wrote, as the bundle names it, so reports can count per type.
  returned: always
  type: str
  sample: security_profiles
totals:
  description: How many items had each outcome.
  returned: always
  type: dict
  sample: {"created": 1, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0, "skipped": 0}
api_calls:
  description: The Amazon Connect API calls the module made, per API, with the retries botocore made.
  returned: always
  type: dict
  sample: {"SearchSecurityProfiles": {"calls": 1, "retries": 0}}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._argspec import item_options
from ansible_collections.ccaas.connect.plugins.module_utils._resources import RESOURCE_TYPES
from ansible_collections.ccaas.connect.plugins.module_utils._runner import argument_spec, run_import

# Generated from the type's description; a unit test keeps DOCUMENTATION's options equal to them.
SECURITY_PROFILE_OPTIONS = item_options(RESOURCE_TYPES["security_profiles"])


def main() -> None:
    spec = argument_spec(SECURITY_PROFILE_OPTIONS, "name")
    module = AnsibleAWSModule(argument_spec=spec, supports_check_mode=True)
    run_import(module, "security_profiles", SECURITY_PROFILE_OPTIONS, "name")


if __name__ == "__main__":
    main()
