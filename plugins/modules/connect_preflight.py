#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_preflight
short_description: Map a bundle onto a target Amazon Connect instance and say what an import will do, before it writes
version_added: 0.2.0
description:
  - Reads the target instance once (each resource type with one paginated call) and, without writing anything,
    maps the bundle onto it, plans every phase of the import in its order, checks the target's resource quotas
    and estimates how long the import takes at the target's API quotas.
  - "Mapping: contact flows by name (O(flow_map) renames); phone numbers by E.164 number where the target claims
    the same number, else through O(phone_map); the defaults every instance has (C(Basic Hours), C(BasicQueue),
    C(Basic Routing Profile), C(Admin), C(Agent), C(CallCenterManager), C(QualityAnalyst)) are mapped to the
    target's own and never written; types not imported (see O(include)) are matched by name in the target."
  - A reference that nothing maps is listed with every item that uses it. With O(on_unmapped=fail) it is a
    blocking problem; with O(on_unmapped=skip) an optional reference is left out (a queue's outbound caller ID
    number), a list entry is left out (a queue configuration, a queue's quick connect), and an item whose required
    reference is missing is left out with whatever needs it. RV(left_out) lists every item left out.
  - The module never fails because of what it finds; RV(blocking) lists the problems that must stop an import
    (a quota exceeded, an unmapped reference with O(on_unmapped=fail), a phone mapping to a number the target
    lacks), and the C(ccaas.connect.import) role stops on them before its first write.
  - Read-only, so check mode runs it in full.
author:
  - ccaas.connect contributors (@ccaas-connect)
options:
  instance:
    description:
      - The target instance, by instance ID, instance ARN or instance alias.
    type: str
    required: true
    aliases: ['instance_id', 'instance_alias']
  bundle:
    description:
      - The bundle to import, as M(ccaas.connect.connect_info) returns it in
        RV(ccaas.connect.connect_info#module:bundle), or only its C(resources).
    type: dict
    required: true
  include:
    description:
      - The types to import. Empty means every type the bundle holds.
      - References to a type not imported must name an item the target already has.
    type: list
    elements: str
    default: []
    choices: ['hours_of_operations', 'security_profiles', 'user_hierarchy', 'queues', 'routing_profiles', 'users',
              'quick_connects']
  phone_map:
    description:
      - Source phone number (E.164, or the source's phone number ID or ARN, see O(source)) to target phone number
        (E.164, or the target's phone number ID or ARN), for the numbers the target does not claim under the same
        number. Takes precedence over the same-number match.
      - A dictionary, or the content of a mapping file with the numbers under a C(phone_numbers) key. Empty values
        (an unfilled template) map nothing.
    type: dict
    default: {}
  source:
    description:
      - The source instance (ID, ARN or alias) and its connection, read only when O(phone_map) names source numbers
        by phone number ID or ARN instead of by number (one C(ListPhoneNumbersV2) call).
    type: dict
    suboptions:
      instance:
        description: The source instance, by instance ID, instance ARN or instance alias.
        type: str
        required: true
      region:
        description: The source's region; by default the module's.
        type: str
      profile:
        description: The AWS profile for the source; by default the module's.
        type: str
      endpoint_url:
        description: The source's Amazon Connect endpoint URL; by default C(AWS_ENDPOINT_URL_CONNECT) or AWS's.
        type: str
  flow_map:
    description:
      - Source contact flow name to target contact flow name, for flows named differently in the target.
    type: dict
    default: {}
  on_unmapped:
    description:
      - What a reference that nothing maps does. V(fail) makes it a blocking problem, V(skip) leaves out the reference,
        the list entry or the item (see the description), listed in RV(mappings) and RV(left_out).
    type: str
    default: fail
    choices: ['fail', 'skip']
  target_quotas:
    description:
      - The target instance's resource quotas where Amazon has raised them, by quota, e.g. 20000 for C(users).
        Keys C(users), C(queues), C(routing_profiles), C(security_profiles), C(hours_of_operations),
        C(quick_connects), C(user_hierarchy_groups), C(queues_per_routing_profile), C(quick_connects_per_queue)
        (or the Service Quotas code). Others take Amazon's documented defaults.
    type: dict
    default: {}
  chunk_size:
    description:
      - How many users each import task writes; the estimate counts the read pass each of those tasks makes.
    type: int
    default: 500
extends_documentation_fragment:
  - ccaas.connect.pacing
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - The plan is the one the write modules make in check mode, phase by phase, each phase seeing what the earlier
    ones create, so it names the same items and the same calls as C(--check) of the import.
  - The estimate covers the planned write calls and the read pass of each import task, at the rates of
    O(api_rates) and O(api_rate_factor) (zero when O(api_rate_factor=0)); it leaves out network latency, so at
    high rates a real run takes a little longer.
"""

EXAMPLES = r"""
- name: Map and plan the Sales BU's bundle for the EU instance
  ccaas.connect.connect_preflight:
    instance: acme-contact-centre-eu
    region: eu-west-2
    bundle: "{{ export_result.bundle }}"
    phone_map: "{{ lookup('ansible.builtin.file', 'phone-map.yml') | from_yaml }}"
    on_unmapped: skip
    target_quotas:
      users: 20000
  register: preflight

- name: Stop before the first write when something blocks the import
  ansible.builtin.assert:
    that: preflight.blocking | length == 0
    fail_msg: "{{ preflight.blocking }}"
"""

RETURN = r"""
resources:
  description:
    - The bundle's resources as the import writes them, in its order, mapped onto the target (flow names and phone
      numbers the target's, instance defaults and skipped items left out). Only the types imported.
  returned: always
  type: dict
mappings:
  description:
    - Per kind (C(contact_flows), C(phone_numbers), C(defaults), and any other type matched in the target), what was
      mapped to what and how (C(same name), C(same number), C(phone_map), C(flow_map), C(instance default)), and what
      could not be mapped, with every item using it and the effect.
  returned: always
  type: dict
  sample: {"phone_numbers": {"mapped": [{"source": "+18005550123", "target": "+18005550123", "how": "same number"}],
           "unmapped": [{"source": "+16465550160", "used_by": ["queue Q_QC_Sales_Inbound"],
                         "effects": ["reference left out"]}]}}
left_out:
  description: The items left out of the import because a required reference is unmapped (O(on_unmapped=skip)).
  returned: always
  type: list
  elements: dict
  sample: [{"type": "quick_connects", "name": "Billing Menu",
            "reason": "contact flow 'Billing Legacy IVR' not in the target"}]
plan:
  description: Per phase of the import, in order, the names it will create, update and leave unchanged, the items that
    will fail and why, and the write calls per API.
  returned: always
  type: dict
  sample: {"queues": {"create": ["Q_QC_Sales_Inbound"], "update": [], "unchanged": ["BasicQueue"], "failed": [],
                      "calls": {"CreateQueue": 1}}}
totals:
  description: Items to create, update and leave alone, and items that will fail, over every phase.
  returned: always
  type: dict
  sample: {"create": 120, "update": 3, "unchanged": 40, "failed": 0}
quotas:
  description: Per resource quota the import touches, the limit, what the target holds, what the import creates,
    and whether that exceeds it; per-item quotas are listed only when exceeded.
  returned: always
  type: list
  elements: dict
  sample: [{"quota": "Users per instance", "code": "L-9A46857E", "type": "users", "limit": 500, "existing": 0,
            "creating": 10000, "after": 10000, "exceeded": true}]
estimate:
  description: The estimated duration in seconds at the paced rates, and per phase the calls per API, the number of
    tasks (chunks), the seconds and the API that bounds it.
  returned: always
  type: dict
  sample: {"seconds": 93.5, "paced": true, "phases": [{"phase": "users", "tasks": 1, "writes": 200,
           "calls": {"CreateUser": 200, "SearchUsers": 1}, "seconds": 98.0, "bottleneck": "CreateUser"}]}
blocking:
  description: The problems that must stop the import before its first write; empty when it may go ahead.
  returned: always
  type: list
  elements: str
  sample: ["quota 'Users per instance' (Service Quotas code L-9A46857E): the target has 0, the import creates 10000,
           10000 exceeds the limit of 500; raise it (or state a raised quota with target_quotas)"]
phone_map_template:
  description: A phone mapping file (YAML) for the numbers nothing mapped, each with the items using it; empty when
    every number is mapped.
  returned: always
  type: str
instance:
  description: The target instance's ID and alias.
  returned: always
  type: dict
  sample: {"id": "8a1f5b3c-0d2e-4f6a-9b7c-1d2e3f4a5b6c", "alias": "acme-contact-centre-eu"}
api_calls:
  description: The Amazon Connect API calls the module made, per API (reads only).
  returned: always
  type: dict
  sample: {"SearchQueues": {"calls": 1, "retries": 0}}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._client import PACING_OPTIONS, connect_client, limiter_for
from ansible_collections.ccaas.connect.plugins.module_utils._instance import InstanceNotFound, describe_instance
from ansible_collections.ccaas.connect.plugins.module_utils._mapping import (
    parse_phone_map,
    phone_map_by_number,
    phone_map_template,
    source_ids_in,
)
from ansible_collections.ccaas.connect.plugins.module_utils._preflight import run_preflight, summary
from ansible_collections.ccaas.connect.plugins.module_utils._ratelimit import RateLimiter
from ansible_collections.ccaas.connect.plugins.module_utils._resources import IMPORT_ORDER
from ansible_collections.ccaas.connect.plugins.module_utils._target import Target

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

ARGUMENT_SPEC = {
    "instance": {"type": "str", "required": True, "aliases": ["instance_id", "instance_alias"]},
    "bundle": {"type": "dict", "required": True},
    "include": {"type": "list", "elements": "str", "default": [], "choices": list(IMPORT_ORDER)},
    "phone_map": {"type": "dict", "default": {}},
    "flow_map": {"type": "dict", "default": {}},
    "source": {
        "type": "dict",
        "options": {
            "instance": {"type": "str", "required": True},
            "region": {"type": "str"},
            "profile": {"type": "str"},
            "endpoint_url": {"type": "str"},
        },
    },
    "on_unmapped": {"type": "str", "default": "fail", "choices": ["fail", "skip"]},
    "target_quotas": {"type": "dict", "default": {}},
    "chunk_size": {"type": "int", "default": 500},
    **PACING_OPTIONS,
}


def source_numbers(module: AnsibleAWSModule, limiter: RateLimiter) -> dict[str, str]:
    """The source's phone number IDs and ARNs -> E.164 numbers, for a mapping file keyed by ID."""
    source = module.params.get("source")
    if not source:
        module.fail_json(msg="phone_map names source numbers by ID or ARN: give the source instance (option source)")
    overrides = {"endpoint": source.get("endpoint_url")}
    if source.get("region"):
        overrides["region"] = source["region"]
    if source.get("profile"):
        overrides["profile_name"] = source["profile"]
    client, _stats = connect_client(module, limiter=limiter, **overrides)
    instance = describe_instance(client, source["instance"])
    numbers = Target(client, instance["Id"]).records("phone_numbers")
    return {ref: number for number, record in numbers.items() for ref in (record["Id"], record["Arn"]) if ref}


def main() -> None:
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    bundle = params["bundle"]
    resources = bundle["resources"] if isinstance(bundle.get("resources"), dict) else bundle
    source = (bundle.get("source") or {}).get("instance_alias") or "the source"
    try:
        phone_map = parse_phone_map(params["phone_map"])
    except ValueError as exc:
        module.fail_json(msg=str(exc))
    limiter = limiter_for(module)
    # The read pass is paced like the import's own reads, so a preflight never collects 429s.
    client, stats = connect_client(module, limiter=limiter)
    try:
        problems: list[str] = []
        if source_ids_in(phone_map):
            phone_map, problems = phone_map_by_number(phone_map, source_numbers(module, limiter))
        instance = describe_instance(client, params["instance"])
        target = Target(client, instance["Id"])
        result = run_preflight(
            target,
            resources,
            include=params["include"] or None,
            phone_map=phone_map,
            flow_map={str(k): str(v) for k, v in params["flow_map"].items()},
            on_unmapped=params["on_unmapped"],
            target_quotas=params["target_quotas"],
            limiter=limiter,
            chunk_size=max(1, params["chunk_size"]),
        )
    except InstanceNotFound as exc:
        module.fail_json(msg=str(exc), api_calls=stats.as_dict())
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
        module.fail_json_aws(exc, msg="Failed to read the target instance", api_calls=stats.as_dict())
    result.blocking[:0] = problems
    plan = summary(result)
    totals = {
        "create": sum(len(p["create"]) for p in plan.values()),
        "update": sum(len(p["update"]) for p in plan.values()),
        "unchanged": sum(len(p["unchanged"]) for p in plan.values()),
        "failed": sum(len(p["failed"]) for p in plan.values()),
    }
    unmapped_numbers = result.mapping.unmapped().get("phone_numbers", [])
    alias = instance.get("InstanceAlias") or instance["Id"]
    module.exit_json(
        changed=False,
        instance={"id": instance["Id"], "alias": alias},
        resources=result.mapping.resources,
        mappings=result.mapping.report(),
        left_out=result.mapping.skipped,
        plan=plan,
        totals=totals,
        quotas=result.quotas,
        estimate=result.estimate,
        blocking=result.blocking,
        phone_map_template=phone_map_template(unmapped_numbers, source, alias) if unmapped_numbers else "",
        api_calls=stats.as_dict(),
    )


if __name__ == "__main__":
    main()
