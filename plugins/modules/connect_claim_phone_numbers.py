#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_claim_phone_numbers
short_description: Claim in a target Amazon Connect instance a number for each source number nothing maps
version_added: 0.2.0
description:
  - For each phone number of the bundle that O(phone_map) does not map, and that the target has neither claimed
    under the same number (a ported number) nor claimed for it in an earlier run, claims the first number
    C(SearchAvailablePhoneNumbers) offers of the same country and type (and O(prefix), when given) with
    C(ClaimPhoneNumber), and returns the phone map that maps each source number to its new number.
  - Each claimed number carries the tag C(ccaas-connect:claimed-for) with its source number, besides the source
    number's own tags and description. A rerun finds it by that tag (C(DescribePhoneNumber), one call per number
    of the target) and claims nothing again.
  - Each claim is in the O(ledger) as a create (an intent before the call, the new number's ID and ARN after), so
    M(ccaas.connect.connect_rollback) releases the number (C(ReleasePhoneNumber)). A claim whose answer is lost is
    settled by reading the target.
  - A source number for which no number is offered, or whose claim fails, fails the task, named in RV(failures),
    after every other number was claimed.
  - In check mode nothing is claimed; RV(to_claim) lists what would be.
  - Porting a number (keeping the source's number) is a carrier process with Amazon's support, not this module.
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
      - The bundle whose C(phone_numbers) need numbers, the path of a bundle file or the document itself.
      - Each number's C(country_code) and C(type) choose what is claimed for it.
    type: raw
    required: true
  phone_map:
    description:
      - Source phone number (E.164) to target phone number, ID or ARN, as
        O(ccaas.connect.connect_preflight#module:phone_map) takes it. A source number it maps is not claimed for.
        Empty values map nothing.
    type: dict
    default: {}
  prefix:
    description:
      - An E.164 prefix every claimed number must start with (C(+44207)), passed to C(SearchAvailablePhoneNumbers).
    type: str
  ledger:
    description:
      - The run's ledger file (JSON lines, C(0600)), appended to before and after each claim. Required unless in
        check mode.
    type: path
  run_id:
    description: The run the ledger lines belong to; by default the run id in the ledger's file name.
    type: str
  lease_run_id:
    description:
      - The run that holds the target's lease (M(ccaas.connect.connect_lease)). When set, the task checks the run
        still holds it before the first claim and stops otherwise.
    type: str
  lease_token:
    description: The lease's token, with O(lease_run_id).
    type: str
extends_documentation_fragment:
  - ccaas.connect.pacing
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Claim UK London numbers for the source numbers the phone map leaves out
  ccaas.connect.connect_claim_phone_numbers:
    instance: acme-contact-centre-eu
    region: eu-west-2
    bundle: output/bundle-20261125T143000Z.json
    phone_map: "{{ lookup('ansible.builtin.file', 'phone-map.yml') | from_yaml }}"
    prefix: "+44207"
    ledger: output/ledger-20261125T143000Z.jsonl
  register: claims

- name: Preflight with the numbers just claimed
  ccaas.connect.connect_preflight:
    instance: acme-contact-centre-eu
    region: eu-west-2
    bundle: output/bundle-20261125T143000Z.json
    phone_map: "{{ claims.phone_map }}"
"""

RETURN = r"""
claimed:
  description: Source number to the target number claimed for it, by this task or an earlier run.
  returned: always
  type: dict
  sample: {"+12125550123": "+442079460123"}
phone_map:
  description:
    - O(phone_map) (its numbers, unwrapped from a C(phone_numbers) key) with RV(claimed) added, for the preflight.
  returned: always
  type: dict
  sample: {"+16465550179": "+442079460631", "+12125550123": "+442079460123"}
to_claim:
  description: The source numbers that still need a number, with their country and type; in check mode, what a real
    run claims.
  returned: always
  type: list
  elements: dict
  sample: [{"source": "+12125550123", "country_code": "US", "type": "DID"}]
results:
  description:
    - Per source number with a claimed number, C(source), C(number), C(action) (C(claimed), or C(claimed before) for
      a number an earlier run claimed), and for a new claim its C(id) and C(arn).
  returned: always
  type: list
  elements: dict
  sample: [{"source": "+12125550123", "number": "+442079460123", "action": "claimed",
            "id": "7f3a", "arn": "arn:aws:connect:..."}]
failures:
  description: The source numbers that got no number, with the reason.
  returned: always
  type: list
  elements: dict
  sample: [{"source": "+12125550123",
            "reason": "phone number +12125550123 - no US DID number is available with prefix +1212"}]
api_calls:
  description: The Amazon Connect API calls the module made, per API.
  returned: always
  type: dict
  sample: {"ClaimPhoneNumber": {"calls": 1, "retries": 0}}
"""

from pathlib import Path
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._bundle import BundleError, load_bundle
from ansible_collections.ccaas.connect.plugins.module_utils._claims import claim_numbers
from ansible_collections.ccaas.connect.plugins.module_utils._client import PACING_OPTIONS, limiter_for
from ansible_collections.ccaas.connect.plugins.module_utils._errors import CcaasError
from ansible_collections.ccaas.connect.plugins.module_utils._lease import check_held
from ansible_collections.ccaas.connect.plugins.module_utils._ledger import Ledger
from ansible_collections.ccaas.connect.plugins.module_utils._mapping import parse_phone_map, phone_map_problems
from ansible_collections.ccaas.connect.plugins.module_utils._reader import Reader
from ansible_collections.ccaas.connect.plugins.module_utils._shell import Session, failures, run_module

ARGUMENT_SPEC = {
    "instance": {"type": "str", "required": True, "aliases": ["instance_id", "instance_alias"]},
    "bundle": {"type": "raw", "required": True},
    "phone_map": {"type": "dict", "default": {}},
    "prefix": {"type": "str"},
    "ledger": {"type": "path"},
    "run_id": {"type": "str"},
    "lease_run_id": {"type": "str"},
    "lease_token": {"type": "str", "no_log": False},
    **PACING_OPTIONS,
}


def load(module: AnsibleAWSModule) -> dict[str, Any]:
    """The bundle's resources, validated before any call."""
    given = module.params["bundle"]
    with failures(module):
        try:
            if not isinstance(given, (dict, str)):
                module.fail_json(msg="bundle: a bundle file's path or a bundle document")
            return load_bundle(Path(given) if isinstance(given, str) else given)["resources"]
        except BundleError as exc:
            module.fail_json(msg="the bundle is invalid", problems=[p.describe() for p in exc.problems])
        except OSError as exc:
            module.fail_json(msg=f"the bundle cannot be read: {given}: {exc.strerror or exc}")
    raise AssertionError("unreachable")  # fail_json exits


def main() -> None:
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    problems = phone_map_problems(params["phone_map"])
    if problems:
        module.fail_json(msg="invalid phone_map: " + "; ".join(problems), problems=problems)
    if not module.check_mode and not params["ledger"]:
        module.fail_json(msg="ledger is required to claim numbers: a rollback releases them from it")
    prefix = params["prefix"] or None
    if prefix is not None and not (prefix.startswith("+") and prefix[1:].isdigit()):
        module.fail_json(msg=f"prefix {prefix!r}: an E.164 prefix, a + and digits")
    resources = load(module)
    phone_map = parse_phone_map(params["phone_map"])

    def claim(session: Session) -> dict[str, Any]:
        if not module.check_mode and params.get("lease_run_id"):
            # The run's lease may have been taken over: stop before this task writes.
            check_held(session.client, session.instance["Arn"], params["lease_run_id"], params.get("lease_token") or "")
        target = Reader.of(session.client, session.instance)
        if module.check_mode:
            claims = claim_numbers(resources, phone_map, target, prefix=prefix, check_mode=True)
        else:
            with Ledger(params["ledger"], params.get("run_id")) as ledger:
                claims = claim_numbers(resources, phone_map, target, prefix=prefix, ledger=ledger)
        result = {"changed": claims.changed, **claims.as_dict(), "phone_map": {**phone_map, **claims.claimed}}
        if claims.failures:
            shown = " | ".join(f["reason"] for f in claims.failures[:10])
            # Every other number was claimed and is in the ledger; the task fails with them in its result.
            raise CcaasError(f"{len(claims.failures)} number(s) could not be claimed: {shown}", **result)
        return result

    run_module(module, claim, limiter=limiter_for(module), aws_failure="Failed to claim phone numbers")


if __name__ == "__main__":
    main()
