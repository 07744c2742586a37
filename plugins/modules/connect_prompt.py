#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_prompt
short_description: Create or update Amazon Connect prompts, their audio uploaded from an export
version_added: 0.3.0
description:
  - Makes the prompts of an Amazon Connect instance match the task, idempotently. A missing prompt is created with
    C(CreatePrompt) from its audio in S3; an existing one gets C(UpdatePrompt) when its description differs, and its
    tags are set with C(TagResource)/C(UntagResource).
  - The audio of a prompt exported by M(ccaas.connect.connect_info) (O(ccaas.connect.connect_info#module:prompt_dir))
    is a file named by its SHA-256 (O(file), O(sha256)); it is checked against that hash and uploaded to
    O(prompt_bucket) before the create. An item may instead give O(s3_uri), an object already in S3.
  - An existing prompt keeps its audio (Amazon Connect has no API that reads it but a download); the prompts Amazon
    puts in every instance (C(Beep.wav), C(CustomerHold.wav), ...) are never created again by the import.
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
  file:
    description: The audio file (C(.wav)), as the bundle names it; a relative path is taken from the working directory.
    type: str
  sha256:
    description: The audio's SHA-256, as the bundle names it; the file must hold exactly that audio.
    type: str
  s3_uri:
    description: The audio's S3 URI (C(s3://bucket/key)), used as it is instead of uploading O(file).
    type: str
extends_documentation_fragment:
  - ccaas.connect.import_options
  - ccaas.connect.import_options.items
  - ccaas.connect.import_options.state
  - ccaas.connect.import_options.prompt_audio
  - ccaas.connect.pacing
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: A welcome prompt from audio already in S3
  ccaas.connect.connect_prompt:
    instance: acme-target
    name: Acme Welcome
    s3_uri: s3://acme-connect-prompts-eu/welcome.wav
- name: Every prompt of an exported bundle, its audio uploaded from the files beside it
  ccaas.connect.connect_prompt:
    instance: acme-target
    prompt_bucket: acme-connect-prompts-eu
    items: "{{ (lookup('ansible.builtin.file', 'output/bundle.json') | from_json).resources.prompts }}"
"""

RETURN = r"""
item_results:
  description: One entry per item; see M(ccaas.connect.connect_user) for the members.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "Acme Welcome", "outcome": "created", "api_calls": ["CreatePrompt"]}]
resource_type:
  description: The resource type the task wrote, as the bundle names it, so reports can count per type.
  returned: always
  type: str
  sample: prompts
totals:
  description: How many items had each outcome.
  returned: always
  type: dict
  sample: {"created": 1, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0, "skipped": 0}
api_calls:
  description: The Amazon Connect API calls the module made, per API, with the retries botocore made.
  returned: always
  type: dict
  sample: {"SearchPrompts": {"calls": 1, "retries": 0}}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._argspec import item_options
from ansible_collections.ccaas.connect.plugins.module_utils._prompts import PROMPT_OPTIONS as AUDIO_OPTIONS
from ansible_collections.ccaas.connect.plugins.module_utils._resources import RESOURCE_TYPES
from ansible_collections.ccaas.connect.plugins.module_utils._runner import argument_spec, run_import

# Generated from the type's description; a unit test keeps DOCUMENTATION's options equal to them.
PROMPT_OPTIONS = item_options(RESOURCE_TYPES["prompts"])


def main() -> None:
    spec = {**argument_spec(PROMPT_OPTIONS, "name"), **AUDIO_OPTIONS}
    module = AnsibleAWSModule(argument_spec=spec, supports_check_mode=True)
    run_import(module, "prompts", PROMPT_OPTIONS, "name")


if __name__ == "__main__":
    main()
