#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_view
short_description: Create or update Amazon Connect views (agent workspace step-by-step guides), one or many per task
version_added: 0.4.0
description:
  - Makes the customer-managed views of an Amazon Connect instance match the task, idempotently. Missing ones are
    created (C(CreateView)); an existing one whose content or status differs gets one C(UpdateViewContent) call
    (content and status together, as the API takes them), a changed description C(UpdateViewMetadata); tags are set
    with C(TagResource)/C(UntagResource). V(absent) deletes one (C(DeleteView)).
  - The content compared and written is the view's C($LATEST); the versions a target numbers are its own.
    AWS-managed views are every instance's own and are neither read nor written.
author:
  - ccaas.connect contributors (@ccaas-connect)
options:
  name:
    description:
      - The view's name, the identity. Required unless O(items) is set.
    type: str
  description:
    description: The description.
    type: str
  status:
    description: Whether the content is published or only saved. Required to create.
    type: str
    choices: ['PUBLISHED', 'SAVED']
  content:
    description: The view's content. Required to create.
    type: dict
    suboptions:
      template:
        description: The view's template, a JSON document as text.
        type: str
        required: true
      actions:
        description: The actions the view's components can raise, compared as a set.
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
- name: A published view with one action
  ccaas.connect.connect_view:
    instance: acme-target
    name: Refund approval
    status: PUBLISHED
    content:
      template: '{"Head": {"Title": "Refund"}, "Body": []}'
      actions: [Approve]
    tags:
      BU: Support

- name: Every view of an exported bundle
  ccaas.connect.connect_view:
    instance: acme-target
    items: "{{ (lookup('ansible.builtin.file', 'output/bundle.json') | from_json).resources.views }}"
"""

RETURN = r"""
item_results:
  description: One entry per item; see M(ccaas.connect.connect_user) for the members.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "Refund approval", "outcome": "created", "api_calls": ["CreateView"]}]
resource_type:
  description: The resource type the task wrote, as the bundle names it, so reports can count per type.
  returned: always
  type: str
  sample: views
totals:
  description: How many items had each outcome.
  returned: always
  type: dict
  sample: {"created": 1, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0, "skipped": 0}
api_calls:
  description: The Amazon Connect API calls the module made, per API, with the retries botocore made.
  returned: always
  type: dict
  sample: {"ListViews": {"calls": 1, "retries": 0}}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._argspec import item_options
from ansible_collections.ccaas.connect.plugins.module_utils._resources import RESOURCE_TYPES
from ansible_collections.ccaas.connect.plugins.module_utils._runner import argument_spec, run_import

# Generated from the type's description; a unit test keeps DOCUMENTATION's options equal to them.
VIEW_OPTIONS = item_options(RESOURCE_TYPES["views"])


def main() -> None:
    spec = argument_spec(VIEW_OPTIONS, "name")
    module = AnsibleAWSModule(argument_spec=spec, supports_check_mode=True)
    run_import(module, "views", VIEW_OPTIONS, "name")


if __name__ == "__main__":
    main()
