#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_lex_bot
short_description: Associate Amazon Lex bots (V1 and V2) with an Amazon Connect instance
version_added: 0.3.0
description:
  - Makes the instance's Lex bot associations match the task. A missing association is made with
    C(AssociateBot) (a V1 bot by name and region, a V2 bot by alias ARN); V(absent) removes one with
    C(DisassociateBot).
  - An association has nothing to update; an item that differs from the association of that name fails, naming it.
author:
  - ccaas.connect contributors (@ccaas-connect)
options:
  name:
    description:
      - The identity. A V1 bot's name; for V2, the alias ARN's C(BOT_ID/ALIAS_ID). Required unless O(items) is set.
    type: str
  lex_version:
    description: C(V1) or C(V2). Required to associate.
    type: str
    choices: ['V1', 'V2']
  lex_region:
    description: A V1 bot's region.
    type: str
  arn:
    description: A V2 bot's alias ARN.
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
- name: A Lex V2 bot alias the IVR talks to
  ccaas.connect.connect_lex_bot:
    instance: acme-target
    name: ABCDEFGHIJ/TSTALIASID
    lex_version: V2
    arn: arn:aws:lex:eu-west-2:111122223333:bot-alias/ABCDEFGHIJ/TSTALIASID
- name: A Lex V1 bot
  ccaas.connect.connect_lex_bot:
    instance: acme-target
    name: OrderFlowers
    lex_version: V1
    lex_region: us-east-1
"""

RETURN = r"""
item_results:
  description: One entry per item; see M(ccaas.connect.connect_user) for the members.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "OrderFlowers", "outcome": "created", "api_calls": ["AssociateBot"]}]
resource_type:
  description: The resource type the task wrote, as the bundle names it, so reports can count per type.
  returned: always
  type: str
  sample: lex_bots
totals:
  description: How many items had each outcome.
  returned: always
  type: dict
  sample: {"created": 1, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0, "skipped": 0}
api_calls:
  description: The Amazon Connect API calls the module made, per API, with the retries botocore made.
  returned: always
  type: dict
  sample: {"ListBots": {"calls": 1, "retries": 0}}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._argspec import item_options
from ansible_collections.ccaas.connect.plugins.module_utils._resources import RESOURCE_TYPES
from ansible_collections.ccaas.connect.plugins.module_utils._runner import argument_spec, run_import

# Generated from the type's description; a unit test keeps DOCUMENTATION's options equal to them.
LEX_BOT_OPTIONS = item_options(RESOURCE_TYPES["lex_bots"])


def main() -> None:
    spec = argument_spec(LEX_BOT_OPTIONS, "name")
    module = AnsibleAWSModule(argument_spec=spec, supports_check_mode=True)
    run_import(module, "lex_bots", LEX_BOT_OPTIONS, "name")


if __name__ == "__main__":
    main()
