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
  - "Mapping: contact flows the bundle does not carry by name (O(flow_map) points a source flow at a differently
    named flow of the target, which is then not written); Lambda functions and Lex bots by name or through
    O(integration_map); phone numbers by E.164 number where the target claims
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
      - The bundle to import, the path of a bundle file as the export writes it or the document itself as
        M(ccaas.connect.connect_info) returns it in RV(ccaas.connect.connect_info#module:bundle) (the whole document,
        with its C(format_version)). A path keeps a large bundle out of Ansible's variables.
      - Validated before the first call to the target, against the bundle's schema (generated from the resource
        descriptions and the API constraints of botocore's Connect model), then for duplicate identities
        (usernames also regardless of case), references to items the bundle lacks, time zones, opening hours and
        the hierarchy's depth. An invalid bundle fails the task listing every problem with its item and JSON path;
        nothing is read from or written to the target.
    type: raw
    required: true
  mapped_bundle:
    description:
      - Where to write the bundle as the import writes it, mapped onto the target (C(0600), atomically), for
        M(ccaas.connect.connect_import) to read. When set, RV(resources) is not returned.
      - It holds users' personal data but no password a bundle gives; those stay in the bundle as given.
    type: path
  snapshot:
    description:
      - Where to keep the preflight's read of the target (C(0600), atomically) for the import's tasks, with
        O(mapped_bundle). It holds every type read and every per-item read (each user's C(DescribeUser) and
        C(ListUserProficiencies), a routing profile's queues), stamped with the target and the mapped bundle.
      - The first M(ccaas.connect.connect_import) task of a phase (its option C(preflight_snapshot)) takes from it
        the phase's own type when no earlier phase writes that type, instead of reading it again; the types its
        items reference, which earlier phases write, it reads afresh. A rerun of 10,000 users then describes
        each target user once before the import, not twice; RV(estimate) counts those reads once.
      - Ignored without O(mapped_bundle); a file that cannot be written is a warning (the import then reads).
    type: path
  include:
    description:
      - The types to import. Empty means every type the bundle holds.
      - References to a type not imported must name an item the target already has.
    type: list
    elements: str
    default: []
    choices: ['hours_of_operations', 'prompts', 'lambda_functions', 'lex_bots', 'contact_flow_modules', 'contact_flows',
              'user_hierarchy', 'security_profiles', 'queues', 'routing_profiles', 'agent_statuses',
              'predefined_attributes', 'users', 'quick_connects', 'views', 'phone_numbers']
  phone_map:
    description:
      - Source phone number (E.164, or the source's phone number ID or ARN, see O(source)) to target phone number
        (E.164, or the target's phone number ID or ARN), for the numbers the target does not claim under the same
        number. Takes precedence over the same-number match.
      - A dictionary, or the content of a mapping file with the numbers under a C(phone_numbers) key. Empty values
        (an unfilled template) map nothing.
    type: dict
    default: {}
  assume_numbers:
    description:
      - Source numbers (E.164) that M(ccaas.connect.connect_claim_phone_numbers) will claim a number for before the
        import. Until then they count as the target's under the source's number, so the plan and a dry run treat
        them as there; RV(mappings) labels them C(to be claimed). The import role runs the preflight again after
        claiming, with the claimed numbers in O(phone_map) instead.
    type: list
    elements: str
    default: []
  source:
    description:
      - The source instance (ID, ARN or alias) and its connection. It is described once (C(DescribeInstance)) so that
        a target that is the source itself is refused before the target is read, and its numbers are read only when
        O(phone_map) names source numbers by phone number ID or ARN instead of by number (C(ListPhoneNumbersV2)).
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
      - Each target name is a string of 1 to 127 characters; a malformed entry fails the task before any call.
    type: dict
    default: {}
  integration_map:
    description:
      - Source Lambda function or Lex V2 bot alias ARN to the target's, for the integrations not found by the default
        rule. By default a Lambda function is the function of the same name (and qualifier) in the target's account
        and region, a Lex V1 bot keeps its name and region, and a Lex V2 bot alias (whose IDs differ per account and
        region) maps to itself only when source and target share account and region.
      - The same map rewrites the ARNs inside flow content. Empty values (an unfilled template) map nothing; a
        malformed entry fails the task before any call.
    type: dict
    default: {}
  bundle_dir:
    description:
      - The directory the files a bundle names (prompts' audio) are relative to, for a bundle given as a document
        rather than a file; by default the bundle file's directory, or the working directory.
      - The preflight checks each file holds the audio its SHA-256 says and writes its absolute path into the
        mapped bundle; a missing or altered file is a blocking problem naming its prompt.
    type: path
  update_default_flows:
    description:
      - Whether the flows Amazon Connect creates in every instance (C(Default agent hold), C(Default customer
        queue), the C(Sample ...) flows) are written over with the source's versions. By default they are mapped to
        the target's own by name and left alone.
    type: bool
    default: false
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
      - How many items each import task writes (a whole number of at least 1), or C(auto).
      - C(auto) sizes chunks so that a task's start-up (about a second) is at most 2% of the time its users take
        at the CreateUser quota the pacing uses - 500 at Amazon's default 2 per second, 2,000 when the rates are
        raised 20 times, at most 10,000; 500 when pacing is off. RV(chunk_size) says what was used.
      - A phase's first task reads the target for the whole phase (the import role keeps that read for its other
        tasks); the estimate counts that read once per phase.
      - With O(snapshot) (the import takes a phase's own type and its items' per-item reads from this preflight's
        read), an item the target already holds as the bundle has it costs its task nothing, so a phase's chunks
        grow as long as none holds more than C(chunk_size) items to write, equal chunks in the bundle's order; a
        rerun that writes nothing runs each phase in tasks of up to 10,000 items. A step's C(size) says the chunk
        size of its phase.
    type: raw
    default: auto
extends_documentation_fragment:
  - ccaas.connect.import_options.prompt_audio
  - ccaas.connect.pacing
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - The plan is the one the write modules make in check mode, phase by phase, each phase seeing what the earlier
    ones create, so it names the same items and the same calls as C(--check) of the import.
  - The estimate covers the planned write calls, the read pass of each import task, the per-item reads (lists,
    Describe*) of the items the target already holds, and each task's start-up, at the rates of O(api_rates) and
    O(api_rate_factor) (no wait for calls when O(api_rate_factor=0)); it leaves out network latency, so at high
    rates a real run takes a little longer.
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
omitted:
  description:
    - What the bundle leaves out on purpose, one line per type, naming how many items lose which members (users'
      e-mail, secondary e-mail and mobile when the export ran with
      O(ccaas.connect.connect_info#module:user_contact_details=false)). Also given as warnings. Empty for a lossless
      bundle.
  returned: always
  type: list
  elements: str
resources:
  description:
    - The bundle's resources as the import writes them, in its order, mapped onto the target (flow names and phone
      numbers the target's, instance defaults and skipped items left out, passwords left out). Only the types imported.
  returned: when O(mapped_bundle) is not set
  type: dict
steps:
  description:
    - The import's tasks in order, for a loop over M(ccaas.connect.connect_import), one per chunk of a phase of
      several chunks, and one for each run of consecutive phases of one chunk whose items fit in one chunk together
      (C(phases) lists them, C(phase) joins their names). The phases and their order are derived from the
      resource descriptions' references. C(chunk) of C(of) is the task's chunk of its phase, cut in chunks of
      C(size) items (the module's O(ccaas.connect.connect_import#module:chunk_size)); C(items) is how many the task
      holds.
    - C(secret) says where the phase's items may carry a secret (a new user's password), as the bundle section, the
      entries' identity and the secret's key; null for phases without secrets. The mapped bundle leaves secrets out,
      and the task takes them from the bundle as given (O(ccaas.connect.connect_import#module:passwords_from)).
  returned: always
  type: list
  elements: dict
  sample: [{"phase": "hours of operation, queues", "phases": ["hours of operation", "queues"],
            "type": "hours_of_operations, queues", "chunk": 1, "of": 1, "size": 500, "items": 19, "secret": null},
           {"phase": "users", "phases": ["users"], "type": "users", "chunk": 1, "of": 20, "size": 500, "items": 500,
            "secret": {"section": "users", "identity": "username", "key": "password"}}]
mappings:
  description:
    - Per kind (C(contact_flows), C(phone_numbers), C(defaults), and any other type matched in the target), what was
      mapped to what and how (C(same name), C(same number), C(to be claimed), C(phone_map), C(flow_map),
      C(instance default)), and what could not be mapped, with every item using it and the effect.
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
chunk_size:
  description:
    - Items to write per import task, as given or as C(auto) chose it; the steps are cut by it (a phase of mostly
      unchanged items in larger chunks, see O(chunk_size)).
  returned: success
  type: int
  sample: 500
estimate:
  description:
    - The estimated duration of the import in seconds at the paced rates, and per phase the calls per API, the number
      of tasks (chunks), the seconds and the API that bounds it. Each task's start-up (C(task_startup_seconds), a
      fixed part and a part for the size of the mapped bundle each task parses) is counted beside its calls, shared
      among the phases of a task that runs several, and so is each phase's own work in a task (C(phase_seconds),
      growing with the mapped bundle).
    - C(verify) is the check after the import (its seconds and calls per API), which reads every imported item again.
  returned: always
  type: dict
  sample: {"seconds": 101.0, "paced": true, "task_startup_seconds": 1.4, "phase_seconds": 0.008,
           "phases": [{"phase": "users",
           "tasks": 1, "writes": 200, "calls": {"CreateUser": 200, "SearchUsers": 1}, "seconds": 101.0,
           "bottleneck": "CreateUser"}],
           "verify": {"seconds": 102.0, "calls": {"DescribeUser": 200, "SearchUsers": 1}}}
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
integration_map_template:
  description: An integration mapping file (YAML) for the Lambda functions and Lex V2 bot aliases nothing mapped,
    each with what uses it; empty when every one is mapped.
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

import os
from pathlib import Path
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._bundle import BundleError, dumps, load_bundle, omissions
from ansible_collections.ccaas.connect.plugins.module_utils._client import PACING_OPTIONS, connect_client, limiter_for
from ansible_collections.ccaas.connect.plugins.module_utils._files import write_private
from ansible_collections.ccaas.connect.plugins.module_utils._instance import describe_instance
from ansible_collections.ccaas.connect.plugins.module_utils._mapping import (
    integration_map_template,
    parse_phone_map,
    phone_map_by_number,
    phone_map_template,
    source_ids_in,
)
from ansible_collections.ccaas.connect.plugins.module_utils._preflight import (
    auto_chunk_size,
    import_steps,
    option_problems,
    run_preflight,
    same_instance,
    summary,
)
from ansible_collections.ccaas.connect.plugins.module_utils._prompts import PROMPT_OPTIONS, resolve_files
from ansible_collections.ccaas.connect.plugins.module_utils._ratelimit import RateLimiter
from ansible_collections.ccaas.connect.plugins.module_utils._reader import PhaseSnapshot, Reader
from ansible_collections.ccaas.connect.plugins.module_utils._resources import IMPORT_ORDER, without_secrets
from ansible_collections.ccaas.connect.plugins.module_utils._shell import Session, failures, run_module

ARGUMENT_SPEC = {
    "instance": {"type": "str", "required": True, "aliases": ["instance_id", "instance_alias"]},
    "bundle": {"type": "raw", "required": True},
    "mapped_bundle": {"type": "path"},
    "snapshot": {"type": "path"},
    "include": {"type": "list", "elements": "str", "default": [], "choices": list(IMPORT_ORDER)},
    "phone_map": {"type": "dict", "default": {}},
    "assume_numbers": {"type": "list", "elements": "str", "default": []},
    "flow_map": {"type": "dict", "default": {}},
    "integration_map": {"type": "dict", "default": {}},
    "update_default_flows": {"type": "bool", "default": False},
    "bundle_dir": {"type": "path"},
    **PROMPT_OPTIONS,
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
    "chunk_size": {"type": "raw", "default": "auto"},
    **PACING_OPTIONS,
}


def source_client(module: AnsibleAWSModule, limiter: RateLimiter) -> Any:
    source = module.params["source"]
    overrides = {"endpoint": source.get("endpoint_url")}
    if source.get("region"):
        overrides["region"] = source["region"]
    if source.get("profile"):
        overrides["profile_name"] = source["profile"]
    client, _stats = connect_client(module, limiter=limiter, **overrides)
    return client


def source_numbers(client: Any, instance: dict[str, Any]) -> dict[str, str]:
    """The source's phone number IDs and ARNs -> E.164 numbers, for a mapping file keyed by ID."""
    numbers = Reader.of(client, instance).records("phone_numbers")
    return {ref: number for number, record in numbers.items() for ref in (record["Id"], record["Arn"]) if ref}


def refuse(module: AnsibleAWSModule, what: str, problems: list[str], **extra: Any) -> None:
    """Stop before the first read of the target, listing every problem (at most 50 shown)."""
    shown = problems[:50] + ([f"... and {len(problems) - 50} more"] if len(problems) > 50 else [])
    module.fail_json(
        msg=f"{what}; nothing was read from or written to the target:\n" + "\n".join(f"  {p}" for p in shown),
        problems=problems,
        blocking=problems,
        **extra,
    )


def validated_inputs(module: AnsibleAWSModule) -> dict[str, Any]:
    """The bundle through the one validated door, then the options: all before any call."""
    params = module.params
    with failures(module):  # what cannot be read or validated at all (no jsonschema) fails here
        try:
            given = params["bundle"]
            if not isinstance(given, (dict, str)):
                refuse(module, "invalid options", ["bundle: a bundle file's path or a bundle document"])
            bundle = load_bundle(Path(given) if isinstance(given, str) else given)
        except BundleError as exc:
            count = len(exc.problems)
            refuse(
                module,
                f"the bundle is invalid ({count} problem{'s' if count != 1 else ''})",
                [p.describe() for p in exc.problems],
            )
        except OSError as exc:
            refuse(module, "the bundle cannot be read", [f"bundle: {params['bundle']}: {exc.strerror or exc}"])
    regions = {"region": module.region}
    if params.get("source"):
        regions["source.region"] = params["source"].get("region")
    size = params["chunk_size"]
    if isinstance(size, str) and size.strip().isdigit():  # -e chunk_size=2000 arrives as text
        params["chunk_size"] = int(size)
    problems = option_problems(
        chunk_size=params["chunk_size"],
        regions=regions,
        phone_map=params["phone_map"],
        flow_map=params["flow_map"],
        integration_map=params["integration_map"],
    )
    if problems:
        refuse(module, "invalid options", problems)
    return bundle


def main() -> None:
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    bundle = validated_inputs(module)
    resources = bundle["resources"]
    source = bundle["source"]["instance_alias"]
    given = params["bundle"]
    base = params.get("bundle_dir") or (str(Path(given).parent) if isinstance(given, str) else os.getcwd())
    audio_problems = resolve_files(list(resources.get("prompts") or []), base)
    phone_map = parse_phone_map(params["phone_map"])
    limiter = limiter_for(module)
    omitted = omissions(bundle)
    chunk_size = auto_chunk_size(limiter) if params["chunk_size"] == "auto" else params["chunk_size"]

    def preflight(session: Session) -> dict[str, Any]:
        nonlocal phone_map
        instance, stats = session.instance, session.stats
        problems: list[str] = []
        source_instance = None
        if params.get("source"):
            # Resolved before anything but the target's own description is read (one read each): a
            # migration into its own source is refused before the target's resources are read.
            src_client = source_client(module, limiter)
            source_instance = describe_instance(src_client, params["source"]["instance"])
        if source_instance is not None and same_instance(instance, source_instance):
            refuse(
                module,
                "the target is the source",
                [f"instance: '{params['instance']}' is the source instance '{params['source']['instance']}' itself"],
                api_calls=stats.as_dict(),
            )
        if source_ids_in(phone_map):
            if source_instance is None:
                module.fail_json(
                    msg="phone_map names source numbers by ID or ARN: give the source instance (option source)"
                )
            phone_map, problems = phone_map_by_number(phone_map, source_numbers(src_client, source_instance))
        keep = bool(params.get("snapshot") and params.get("mapped_bundle"))
        target = Reader.of(session.client, session.instance, keep_item_reads=keep)
        result = run_preflight(
            target,
            resources,
            include=params["include"] or None,
            phone_map=phone_map,
            flow_map={str(k): str(v) for k, v in params["flow_map"].items()},
            on_unmapped=params["on_unmapped"],
            target_quotas=params["target_quotas"],
            limiter=limiter,
            chunk_size=chunk_size,
            integration_map=params["integration_map"],
            update_default_flows=params["update_default_flows"],
            prompt_audio=params,
            assume_numbers=params["assume_numbers"],
            kept_for_import=keep,
        )
        result.blocking[:0] = problems + audio_problems
        plan = summary(result)
        totals = {
            "create": sum(len(p["create"]) for p in plan.values()),
            "update": sum(len(p["update"]) for p in plan.values()),
            "unchanged": sum(len(p["unchanged"]) for p in plan.values()),
            "failed": sum(len(p["failed"]) for p in plan.values()),
        }
        unmapped_numbers = result.mapping.unmapped().get("phone_numbers", [])
        integrations = [e for key in ("lambda_functions", "lex_bots") for e in result.mapping.unmapped().get(key, [])]
        arns = [e for e in integrations if str(e["source"]).startswith("arn:")]
        alias = instance.get("InstanceAlias") or instance["Id"]
        # Passwords stay in the bundle as given: the import reads them from there (passwords_from).
        mapped: dict[str, Any] = {"resources": without_secrets(result.mapping.resources)}
        if params.get("mapped_bundle"):
            # The run's own file (check mode too: the dry run's import tasks read it); 0600, it names users.
            document = {**{k: v for k, v in bundle.items() if k != "resources"}, "mapped_onto": instance["Id"]}
            if params["assume_numbers"]:  # for the dry run's import tasks, which take them as there too
                document["assumed_numbers"] = list(params["assume_numbers"])
            try:
                write_private(params["mapped_bundle"], dumps({**document, **mapped}))
            except OSError as exc:
                module.fail_json(msg=f"cannot write the mapped bundle {params['mapped_bundle']}: {exc}")
            mapped = {}
            # After the mapped bundle: the snapshot is stamped with it, so only this run's import takes it.
            snapshot = PhaseSnapshot(params.get("snapshot"), PhaseSnapshot.PREFLIGHT, params["mapped_bundle"])
            if keep and (problem := snapshot.save(target)):
                module.warn(problem)
        for line in omitted:
            module.warn(line)
        return {
            "instance": {"id": instance["Id"], "alias": alias},
            # First: what the bundle does not carry on purpose (users' contact details), and who loses it.
            "omitted": omitted,
            "chunk_size": chunk_size,
            "steps": import_steps(result.phases),
            **mapped,
            "mappings": result.mapping.report(),
            "left_out": result.mapping.skipped,
            "plan": plan,
            "totals": totals,
            "quotas": result.quotas,
            "estimate": result.estimate,
            "blocking": result.blocking,
            "phone_map_template": phone_map_template(unmapped_numbers, source, alias) if unmapped_numbers else "",
            "integration_map_template": integration_map_template(arns, source, alias) if arns else "",
        }

    run_module(module, preflight, limiter=limiter)


if __name__ == "__main__":
    main()
