#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_verify
short_description: Check that an Amazon Connect instance holds a bundle's resources, field by field
version_added: 0.2.0
description:
  - Reads the target instance once per resource type and compares it with a bundle, item by item and field by
    field, in the bundle's words (names, not IDs). Read-only; check mode runs it in full.
  - The comparison is the import's own plan. The target matches when importing the bundle again would write
    nothing; an item the import would create is missing, an item it would update differs in the fields it would
    write, an item whose references the target lacks is unresolved.
  - Pass the bundle as the import used it, that is after phone numbers and contact flows were mapped to the
    target's, so references are compared with what the target should hold.
author:
  - ccaas.connect contributors (@ccaas-connect)
options:
  instance:
    description: The target instance, by instance ID, instance ARN or instance alias.
    type: str
    required: true
    aliases: ['instance_id', 'instance_alias']
  bundle:
    description:
      - The bundle, as a path to its JSON file or as the document itself (for example a registered
        M(ccaas.connect.connect_info) result's C(bundle), or a mapped copy of it).
      - Validated before the first call, like an import's bundle. A bare C(resources) dictionary (the resources an
        import mapped onto the target) is validated the same way, except that its references are the target's.
      - A bundle that cannot be read or validated fails the task, naming every problem in RV(problems).
    type: raw
    required: true
  resources:
    description:
      - The resource types to check. By default every type the write modules import.
    type: list
    elements: str
    aliases: ['include']
    choices: [hours_of_operations, prompts, lambda_functions, lex_bots, contact_flow_modules, contact_flows,
      user_hierarchy, security_profiles, queues, routing_profiles, agent_statuses, predefined_attributes, users,
      quick_connects, views, phone_numbers]
    default: [hours_of_operations, prompts, lambda_functions, lex_bots, contact_flow_modules, contact_flows,
      user_hierarchy, security_profiles, queues, routing_profiles, agent_statuses, predefined_attributes, users,
      quick_connects, views, phone_numbers]
  fail_on_difference:
    description:
      - Fail the task when anything differs, with a message naming each difference (the first 20; the result
        holds them all). With V(false) the task succeeds and RV(ok) says whether the target matched.
    type: bool
    default: true
  preflight_snapshot:
    description:
      - After an import in the same run, the preflight's read of the target (M(ccaas.connect.connect_preflight)'s
        C(snapshot)), with O(results_file) and O(ledger). O(bundle) must then be the mapped bundle file it was
        stamped with.
      - Every type is listed afresh, and every item the run wrote, or may have written, is read again in full. For
        an item the run's import tasks planned and left as it was (every outcome in O(results_file) is
        C(unchanged) and O(ledger) holds no record of it), the C(Describe*) and per-item lists are taken from the
        preflight's read, made before the import under the run's lease, instead of read a third time. A rerun of
        10,000 users then costs verify twenty C(SearchUsers) pages, not 20,000 calls; RV(from_preflight) counts
        those items and the summary says so.
      - A file that is missing or not this run's is read around, and everything is read again.
    type: path
  results_file:
    description: The run's import results, each item's outcome (the C(results_file) of M(ccaas.connect.connect_import)).
    type: path
  ledger:
    description: The run's ledger, every write the run made (M(ccaas.connect.connect_import)'s C(ledger)).
    type: path
extends_documentation_fragment:
  - ccaas.connect.pacing
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Fields a bundle item leaves out are not compared, as an import leaves them alone. A bundle item's C(tags)
    are compared as the whole set (tags the target has beyond them are differences); C(aws:) tags are ignored.
  - Reading users' e-mail addresses and mobile numbers costs one C(DescribeUser) call per user that has them in
    the bundle, as in an import.
"""

EXAMPLES = r"""
- name: Verify the target after an import
  ccaas.connect.connect_verify:
    instance: acme-target
    bundle: "{{ output_dir }}/bundle-acme-source-20261125T143000Z.json"

- name: Verify, and decide later what a difference means
  ccaas.connect.connect_verify:
    instance: acme-target
    bundle: "{{ mapped_bundle }}"
    resources: [queues, users]
    fail_on_difference: false
  register: verify
"""

RETURN = r"""
ok:
  description: Whether the target holds every item of the bundle as the bundle says.
  returned: always
  type: bool
  sample: false
types:
  description: Per resource type, how many items were checked, matched, differ, are missing or unresolved.
  returned: always
  type: dict
  sample: {"queues": {"checked": 18, "matched": 17, "differing": 1, "missing": 0, "unresolved": 0}}
differences:
  description: Every field that differs, one entry per field (a structure's members one by one).
  returned: always
  type: list
  elements: dict
  contains:
    type:
      description: The resource type, as the bundle names it.
      type: str
    name:
      description: The item's identity (name, username or hierarchy path).
      type: str
    field:
      description: The bundle key, with the member of a structure after a dot (C(phone_config.auto_accept)).
      type: str
    expected:
      description: The bundle's value.
      type: raw
    actual:
      description: The target's value, in the bundle's words.
      type: raw
  sample: [{"type": "queues", "name": "Sales", "field": "max_contacts", "expected": 50, "actual": 99}]
from_preflight:
  description:
    - Per resource type, how many items the run did not write had their details (C(Describe*), per-item lists)
      compared as the preflight read them (O(preflight_snapshot)); empty when everything was read again.
  returned: always
  type: dict
  sample: {"users": 10000}
missing:
  description: The bundle's items the target lacks.
  returned: always
  type: list
  elements: dict
  sample: [{"type": "users", "name": "jdoe"}]
unresolved:
  description: Items that name a reference the target lacks, with the reason.
  returned: always
  type: list
  elements: dict
  sample: [{"type": "users", "name": "jdoe", "reason": "user jdoe: routing profile 'Sales RP' not found in target"}]
summary:
  description: The findings in words, one line per difference (the first 20).
  returned: always
  type: str
problems:
  description: Every problem of a bundle that could not be used, each with its item and JSON path.
  returned: when the bundle is invalid
  type: list
  elements: str
  sample: ["user 'jdoe': $.resources.users[0].routing_profile: no routing profile 'Sales RP' in the bundle"]
api_calls:
  description: The Amazon Connect API calls the module made, per API, with the retries botocore made.
  returned: always
  type: dict
  sample: {"SearchQueues": {"calls": 1, "retries": 0}}
"""

from pathlib import Path
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._bundle import load_bundle
from ansible_collections.ccaas.connect.plugins.module_utils._client import PACING_OPTIONS
from ansible_collections.ccaas.connect.plugins.module_utils._errors import CcaasError
from ansible_collections.ccaas.connect.plugins.module_utils._reader import PhaseSnapshot, Reader
from ansible_collections.ccaas.connect.plugins.module_utils._shell import Session, failures, run_module
from ansible_collections.ccaas.connect.plugins.module_utils._verify import IMPORTED_TYPES, unchanged_items, verify

ARGUMENT_SPEC = {
    "instance": {"type": "str", "required": True, "aliases": ["instance_id", "instance_alias"]},
    "bundle": {"type": "raw", "required": True},
    "resources": {
        "type": "list",
        "elements": "str",
        "choices": list(IMPORTED_TYPES),
        "default": list(IMPORTED_TYPES),
        "aliases": ["include"],
    },
    "fail_on_difference": {"type": "bool", "default": True},
    "preflight_snapshot": {"type": "path"},
    "results_file": {"type": "path"},
    "ledger": {"type": "path"},
    **PACING_OPTIONS,
}
REQUIRED_TOGETHER = [["preflight_snapshot", "results_file", "ledger"]]


def bundle_resources(bundle: Any) -> dict:
    """The resources to compare, through the same door as an import: a bundle file or document, or bare
    resources (the mapped resources an import hands to verify, whose references are the target's)."""
    return load_bundle(Path(bundle) if isinstance(bundle, str) else bundle, mapped=True)["resources"]


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec=ARGUMENT_SPEC, supports_check_mode=True, required_together=REQUIRED_TOGETHER
    )
    params = module.params
    with failures(module):  # before any call: a bundle that cannot be used stops the task here
        resources = bundle_resources(params["bundle"])
    unchanged = None
    if params["preflight_snapshot"] and isinstance(params["bundle"], str):
        unchanged = unchanged_items(params["results_file"], params["ledger"])

    def compare(session: Session) -> dict[str, Any]:
        target = Reader.of(session.client, session.instance)
        if unchanged is not None:
            kept = PhaseSnapshot(params["preflight_snapshot"], PhaseSnapshot.PREFLIGHT, params["bundle"])
            if problem := kept.load(target, lists=False):
                module.warn(problem)
        findings = verify(target, resources, params["resources"], unchanged)
        if not findings["ok"] and params["fail_on_difference"]:
            raise CcaasError(findings["summary"], changed=False, **findings)
        return findings

    run_module(module, compare)


if __name__ == "__main__":
    main()
