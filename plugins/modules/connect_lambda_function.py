#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_lambda_function
short_description: Allow an Amazon Connect instance to invoke Lambda functions
version_added: 0.3.0
description:
  - Makes the instance's Lambda function associations match the task. A missing association is made with
    C(AssociateLambdaFunction); V(absent) removes one with C(DisassociateLambdaFunction).
  - An association has nothing to update; an item whose O(arn) differs from the associated function of that name
    fails, naming both.
  - Amazon also requires C(lambda:AddPermission) (and C(lambda:RemovePermission) to disassociate) on the
    function for the caller; the function itself must exist in the instance's account and region.
author:
  - ccaas.connect contributors (@ccaas-connect)
options:
  name:
    description:
      - The function's name (with C(:qualifier) if the association names a version or alias), the identity.
        Required unless O(items) is set.
    type: str
  arn:
    description: The function's ARN. Required to associate.
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
notes:
  - Associations carry no tags; O(tags) must be left unset.
"""

EXAMPLES = r"""
- name: Let the instance call the CRM lookup function
  ccaas.connect.connect_lambda_function:
    instance: acme-target
    name: crm-lookup
    arn: arn:aws:lambda:eu-west-2:111122223333:function:crm-lookup
"""

RETURN = r"""
item_results:
  description: One entry per item; see M(ccaas.connect.connect_user) for the members.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "crm-lookup", "outcome": "created", "api_calls": ["AssociateLambdaFunction"]}]
resource_type:
  description: The resource type the task wrote, as the bundle names it, so reports can count per type.
  returned: always
  type: str
  sample: lambda_functions
totals:
  description: How many items had each outcome.
  returned: always
  type: dict
  sample: {"created": 1, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0, "skipped": 0}
api_calls:
  description: The Amazon Connect API calls the module made, per API, with the retries botocore made.
  returned: always
  type: dict
  sample: {"ListLambdaFunctions": {"calls": 1, "retries": 0}}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._argspec import item_options
from ansible_collections.ccaas.connect.plugins.module_utils._resources import RESOURCE_TYPES
from ansible_collections.ccaas.connect.plugins.module_utils._runner import argument_spec, run_import

# Generated from the type's description; a unit test keeps DOCUMENTATION's options equal to them.
LAMBDA_OPTIONS = item_options(RESOURCE_TYPES["lambda_functions"])


def main() -> None:
    spec = argument_spec(LAMBDA_OPTIONS, "name")
    module = AnsibleAWSModule(argument_spec=spec, supports_check_mode=True)
    run_import(module, "lambda_functions", LAMBDA_OPTIONS, "name")


if __name__ == "__main__":
    main()
