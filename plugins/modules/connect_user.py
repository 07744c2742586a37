#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_user
short_description: Create, update or delete Amazon Connect users, one or thousands per task
version_added: 0.1.0
description:
  - Makes the users of an Amazon Connect instance match the task, idempotently. A missing user is created
    with one C(CreateUser) call; an existing one gets only the C(UpdateUser*) calls for the fields that differ,
    and tags are added or removed as O(tags) and O(purge_tags) say. Fields the task does not mention are left alone.
  - References are given by name, as M(ccaas.connect.connect_info) exports them (IDs and ARNs are accepted too);
    they are resolved in the target with one read per resource type, however many users the task holds.
  - Passwords are used for new users of C(CONNECT_MANAGED) instances only, never returned, logged or written
    anywhere but O(password_file) and its journal. Users of C(SAML) and C(EXISTING_DIRECTORY) instances get no password.
author:
  - ccaas.connect contributors (@ccaas-connect)
options:
  username:
    description:
      - The user's login name, the user's identity. Required unless O(items) is set.
    type: str
  password:
    description:
      - The password of a new user of a C(CONNECT_MANAGED) instance (8 to 64 characters with an upper-case
        letter, a lower-case letter and a digit). Ignored for existing users.
      - In O(items), each entry may carry its own C(password).
    type: str
  passwords:
    description:
      - Passwords for new users by username, for O(items). An entry's own C(password) wins.
    type: dict
  generate_passwords:
    description:
      - Generate a password, meeting Connect's policy, for each new user that has none given.
      - The generated passwords are written to O(password_file) and nowhere else.
    type: bool
    default: false
  password_file:
    description:
      - The file that receives generated passwords as a JSON map of username to password, mode C(0600),
        written atomically on the host the module runs on. Entries already in it are kept.
      - Each generated password is on disk before the C(CreateUser) call that sets it is sent, appended to the journal
        C(<password_file>.journal) (mode C(0600), fsynced). The journal is folded into the file when the task ends, or,
        after a task was killed, by the next task given the same file, before it plans anything.
      - A new user the file already names is created with that password again. A password is dropped only when
        C(CreateUser) was refused at its only attempt; otherwise the user may exist, and its password is kept.
      - Required with O(generate_passwords=true).
    type: path
  identity_info:
    description:
      - The user's name and contact details. Only the members given are compared and changed.
      - C(SearchUsers) does not return e-mail or mobile, so setting them costs one C(DescribeUser) per existing user.
    type: dict
    suboptions:
      first_name:
        description: First name.
        type: str
      last_name:
        description: Last name.
        type: str
      email:
        description: E-mail address.
        type: str
      secondary_email:
        description: Secondary e-mail address.
        type: str
      mobile:
        description: Mobile number in E.164 format.
        type: str
  phone_config:
    description:
      - The user's phone settings. Only the members given are compared and changed.
      - A new user without one gets a soft phone.
    type: dict
    suboptions:
      phone_type:
        description: Soft phone or desk phone.
        type: str
        choices: ['SOFT_PHONE', 'DESK_PHONE']
      auto_accept:
        description: Whether contacts are accepted automatically.
        type: bool
      after_contact_work_time_limit:
        description: After contact work time limit, in seconds.
        type: int
      desk_phone_number:
        description: The desk phone number, with O(phone_config.phone_type=DESK_PHONE).
        type: str
      persistent_connection:
        description: Whether the softphone connection persists between calls.
        type: bool
  routing_profile:
    description:
      - The routing profile, by name (or ID). Required to create a user.
    type: str
  security_profiles:
    description:
      - The security profiles, by name (or ID), compared as a set. Required to create a user.
    type: list
    elements: str
  hierarchy_group:
    description:
      - The hierarchy group, by its path of names from the top level (C(Sales/EMEA/London)), by a name unique
        across levels, or by ID. An empty string takes the user out of any group.
    type: str
  directory_user_id:
    description:
      - The user's identifier in an C(EXISTING_DIRECTORY) instance's directory. Used only when creating the user.
    type: str
  auto_accept_configs:
    description: Per-channel auto-accept settings, as M(ccaas.connect.connect_info) exports them.
    type: list
    elements: dict
    suboptions:
      channel:
        description: The channel.
        type: str
        required: true
        choices: ['VOICE', 'CHAT', 'TASK', 'EMAIL']
      auto_accept:
        description: Whether contacts of the channel are accepted automatically.
        type: bool
      agent_first_callback_auto_accept:
        description: Whether agent-first callbacks of the channel are accepted automatically.
        type: bool
  after_contact_work_configs:
    description: Per-channel after contact work settings, as M(ccaas.connect.connect_info) exports them.
    type: list
    elements: dict
    suboptions:
      channel:
        description: The channel.
        type: str
        required: true
        choices: ['VOICE', 'CHAT', 'TASK', 'EMAIL']
      after_contact_work_config:
        description: The channel's after contact work.
        type: dict
        suboptions:
          after_contact_work_time_limit:
            description: The time limit, in seconds.
            type: int
      agent_first_callback_after_contact_work_config:
        description: The channel's after contact work following an agent-first callback.
        type: dict
        suboptions:
          after_contact_work_time_limit:
            description: The time limit, in seconds.
            type: int
  phone_number_configs:
    description: Per-channel phone settings, as M(ccaas.connect.connect_info) exports them.
    type: list
    elements: dict
    suboptions:
      channel:
        description: The channel.
        type: str
        required: true
        choices: ['VOICE', 'CHAT', 'TASK', 'EMAIL']
      phone_type:
        description: Soft phone or desk phone.
        type: str
        choices: ['SOFT_PHONE', 'DESK_PHONE']
      phone_number:
        description: The desk phone number, in E.164 format.
        type: str
  persistent_connection_configs:
    description: Per-channel persistent connection settings, as M(ccaas.connect.connect_info) exports them.
    type: list
    elements: dict
    suboptions:
      channel:
        description: The channel.
        type: str
        required: true
        choices: ['VOICE', 'CHAT', 'TASK', 'EMAIL']
      persistent_connection:
        description: Whether the connection persists between contacts of the channel.
        type: bool
  voice_enhancement_configs:
    description: Per-channel voice enhancement settings, as M(ccaas.connect.connect_info) exports them.
    type: list
    elements: dict
    suboptions:
      channel:
        description: The channel.
        type: str
        required: true
        choices: ['VOICE', 'CHAT', 'TASK', 'EMAIL']
      voice_enhancement_mode:
        description: The voice enhancement mode, for example C(VOICE_ISOLATION), C(NOISE_SUPPRESSION) or C(NONE).
        type: str
  proficiencies:
    description:
      - The user's skills for skills-based routing, each a value of a predefined attribute
        (M(ccaas.connect.connect_predefined_attribute)) with a level. The list is the whole list, keyed by attribute
        and value - missing ones are associated (C(AssociateUserProficiencies)), changed levels updated
        (C(UpdateUserProficiencies)), others disassociated; C([]) removes them all, leaving it out leaves them alone.
    type: list
    elements: dict
    suboptions:
      attribute_name:
        description: The predefined attribute, by name.
        type: str
        required: true
      attribute_value:
        description: One of the attribute's values.
        type: str
        required: true
      level:
        description: The level, 1.0 to 5.0.
        type: float
        required: true
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
- name: One agent, references by name, password from the vault
  ccaas.connect.connect_user:
    instance: acme-target
    username: jdoe
    password: "{{ vault_jdoe_password }}"
    identity_info:
      first_name: Jane
      last_name: Doe
      email: jane.doe@example.com
    routing_profile: Sales RP
    security_profiles: [Agent]
    hierarchy_group: Sales/EMEA
    tags:
      BU: Sales

- name: Every user of an exported bundle, new ones with generated passwords
  ccaas.connect.connect_user:
    instance: acme-target
    items: "{{ bundle.resources.users }}"
    generate_passwords: true
    password_file: "{{ playbook_dir }}/passwords.json"
  register: imported

- name: Remove two users
  ccaas.connect.connect_user:
    instance: acme-target
    state: absent
    items:
      - username: leaver1
      - username: leaver2
"""

RETURN = r"""
item_results:
  description: One entry per item of the task, in its order.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The item's identity (the username).
      type: str
      sample: jdoe
    outcome:
      description: C(created), C(updated), C(unchanged), C(deleted), C(failed), or C(skipped) after a failure with
        O(continue_on_error=false). In check mode, what a real run would do.
      type: str
      sample: updated
    api_calls:
      description: The API calls made for the item, in order (in check mode, the calls a real run would make).
      type: list
      elements: str
      sample: ["UpdateUserRoutingProfile", "TagResource"]
    reason:
      description: Why the item failed.
      type: str
      returned: when failed
      sample: "user jdoe: routing profile 'Sales RP' not found in target"
    id:
      description: The user's ID in the target.
      type: str
      returned: when known
    arn:
      description: The user's ARN in the target.
      type: str
      returned: when known
    diff:
      description: The before and after of each changed field, with C(--diff).
      type: dict
      returned: in diff mode, when the item changes
resource_type:
  description: The resource type the task wrote, as the bundle names it, so reports can count per type.
  returned: always
  type: str
  sample: users
totals:
  description: How many items had each outcome.
  returned: always
  type: dict
  sample: {"created": 2, "updated": 1, "unchanged": 7, "deleted": 0, "failed": 0, "skipped": 0}
api_calls:
  description: The Amazon Connect API calls the module made, per API, with the retries botocore made.
  returned: always
  type: dict
  sample: {"SearchUsers": {"calls": 1, "retries": 0}, "CreateUser": {"calls": 2, "retries": 0}}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._argspec import item_options
from ansible_collections.ccaas.connect.plugins.module_utils._resources import RESOURCE_TYPES
from ansible_collections.ccaas.connect.plugins.module_utils._runner import argument_spec, run_import

# Generated from the type's description; a unit test keeps DOCUMENTATION's options equal to them.
USER_OPTIONS = item_options(RESOURCE_TYPES["users"])


def main() -> None:
    spec = argument_spec(USER_OPTIONS, "username")
    spec.update(
        passwords={"type": "dict", "no_log": True},
        generate_passwords={"type": "bool", "default": False, "no_log": False},
        password_file={"type": "path", "no_log": False},
    )
    module = AnsibleAWSModule(argument_spec=spec, supports_check_mode=True)
    run_import(module, "users", USER_OPTIONS, "username")


if __name__ == "__main__":
    main()
