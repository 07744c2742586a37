#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_info
short_description: Describe an Amazon Connect instance
version_added: 0.1.0
description:
  - Returns the description of one Amazon Connect instance, named by its ID, its ARN or its alias.
  - Read-only; it never changes the instance, so check mode runs it in full.
author:
  - ccaas.connect contributors (@ccaas-connect)
options:
  instance:
    description:
      - The instance to describe, by instance ID, instance ARN or instance alias.
      - An alias is looked up with C(ListInstances) in the module's account and region.
    type: str
    required: true
    aliases: ['instance_id', 'instance_alias']
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - The endpoint can come from O(endpoint_url) or the C(AWS_ENDPOINT_URL_CONNECT) environment variable,
    which is how the collection's emulator is reached.
"""

EXAMPLES = r"""
- name: Describe the source instance by its alias
  ccaas.connect.connect_info:
    instance: acme-contact-centre
    region: us-east-1
  register: source

- name: Describe an instance by ID through the local emulator
  ccaas.connect.connect_info:
    instance: 8a1f5b3c-0d2e-4f6a-9b7c-1d2e3f4a5b6c
    region: eu-west-2
    endpoint_url: http://127.0.0.1:4566
"""

RETURN = r"""
instance:
  description: The instance, as C(DescribeInstance) returns it, with snake_case keys.
  returned: always
  type: dict
  contains:
    id:
      description: The instance ID.
      type: str
      sample: 8a1f5b3c-0d2e-4f6a-9b7c-1d2e3f4a5b6c
    arn:
      description: The instance ARN.
      type: str
      sample: arn:aws:connect:us-east-1:123456789012:instance/8a1f5b3c-0d2e-4f6a-9b7c-1d2e3f4a5b6c
    instance_alias:
      description: The instance alias, when it has one.
      type: str
      sample: acme-contact-centre
    identity_management_type:
      description: How users are managed, C(CONNECT_MANAGED), C(SAML) or C(EXISTING_DIRECTORY).
      type: str
      sample: CONNECT_MANAGED
    instance_status:
      description: The state of the instance.
      type: str
      sample: ACTIVE
    inbound_calls_enabled:
      description: Whether inbound calls are enabled.
      type: bool
      sample: true
    outbound_calls_enabled:
      description: Whether outbound calls are enabled.
      type: bool
      sample: true
    service_role:
      description: The service-linked role of the instance.
      type: str
      sample: arn:aws:iam::123456789012:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect
    created_time:
      description: When the instance was created.
      type: str
      sample: "2026-11-25T14:19:15+00:00"
api_calls:
  description: The Amazon Connect API calls the module made, per API, with the retries botocore made.
  returned: always
  type: dict
  sample: {"DescribeInstance": {"calls": 1, "retries": 0}}
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._client import connect_client
from ansible_collections.ccaas.connect.plugins.module_utils._instance import InstanceNotFound, describe_instance

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec={"instance": {"type": "str", "required": True, "aliases": ["instance_id", "instance_alias"]}},
        supports_check_mode=True,
    )
    client, stats = connect_client(module)
    try:
        instance = describe_instance(client, module.params["instance"])
    except InstanceNotFound as exc:
        module.fail_json(msg=str(exc), api_calls=stats.as_dict())
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
        module.fail_json_aws(exc, msg="Failed to describe the Amazon Connect instance")
    module.exit_json(changed=False, instance=camel_dict_to_snake_dict(instance), api_calls=stats.as_dict())


if __name__ == "__main__":
    main()
