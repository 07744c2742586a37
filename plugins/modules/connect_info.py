#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_info
short_description: Describe an Amazon Connect instance and export its configuration as a portable bundle
version_added: 0.1.0
description:
  - Returns the description of one Amazon Connect instance, named by its ID, its ARN or its alias.
  - Reads the instance's users, routing profiles, security profiles, user hierarchy, queues, quick connects,
    hours of operation, contact flows, phone numbers and agent statuses, and returns them once, in RV(bundle),
    one portable, versioned document in which every reference is a name (see C(docs/export.md)). Its
    RV(bundle.resources) holds a list of snake_case dictionaries per type, whose keys are the write modules' options.
  - Reads with the fewest calls the API allows (the C(Search*) APIs at their largest page size, C(List*) and
    C(Describe*) only where no search exists) and returns how many calls it made per API in RV(api_calls).
  - Paces its reads at the per-API request quotas like the write modules pace their writes (see O(api_rates)),
    so a large export is not throttled.
  - Read-only; it never changes the instance, so check mode runs it in full.
  - With O(dest) the module writes the bundle to a file itself (mode C(0600), atomically) and returns its path and a
    summary instead of the document, so a bundle of 50,000 users never becomes a fact; the C(ccaas.connect.export) role
    does so.
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
  resources:
    description:
      - The resource types to export. C(user_hierarchy) is the hierarchy structure (level names) and its groups.
      - When not set, every type is exported, or, when a filter is set, what the filters select.
      - An empty list exports nothing and only describes the instance.
      - Whatever the selected items refer to is always exported with them, so the bundle is self-contained.
    type: list
    elements: str
    choices:
      - users
      - routing_profiles
      - security_profiles
      - user_hierarchy
      - queues
      - quick_connects
      - hours_of_operations
      - contact_flows
      - contact_flow_modules
      - prompts
      - lambda_functions
      - lex_bots
      - phone_numbers
      - agent_statuses
      - predefined_attributes
      - views
  bu_tag:
    description:
      - Export the queues of this business unit, those that carry the tag O(bu_tag_key)=O(bu_tag).
      - Tag key and value are both compared ignoring case and surrounding blanks, so C(BU=Sales),
        C(BU=SALES), C(bu=sales) and C(Bu=Sales) all select the queue for O(bu_tag=sales).
    type: str
  bu_tag_key:
    description:
      - The tag key that names a resource's business unit, compared ignoring case.
    type: str
    default: BU
  queue_prefix:
    description:
      - Export the queues whose name starts with this prefix (compared as written, case-sensitive), for
        example C(Q_QC_). With O(bu_tag), a queue must satisfy both.
    type: str
  include_agent_queues:
    description:
      - Read every queue type instead of C(STANDARD) queues only. Agent queues have no name of their own and
        belong to their user, so they never enter the bundle.
    type: bool
    default: false
  user_routing_profiles:
    description:
      - Export the users whose routing profile has one of these names.
    type: list
    elements: str
  user_hierarchy_groups:
    description:
      - Export the users in one of these hierarchy groups or below them, each named by its path of group names,
        top level first, separated by C(/) (for example C(EMEA/London)).
    type: list
    elements: str
  user_tags:
    description:
      - Export the users that carry every one of these tags (key and value compared ignoring case).
    type: dict
  user_contact_details:
    description:
      - Export users' e-mail address, secondary e-mail and mobile number. C(SearchUsers) does not return them, so
        they cost one C(DescribeUser) call per exported user, made several at a time at the API's rate.
      - V(false) trades them for time, knowingly - the bundle's C(selection.omitted) then names the fields and how
        many users lose them, and M(ccaas.connect.connect_preflight) and the report say so in their first lines.
    type: bool
    default: true
  prompt_dir:
    description:
      - A directory to download each exported prompt's audio into (C(GetPromptFile)), one C(<sha256>.wav) file per
        distinct recording, created 0700 with files 0600. Each prompt's bundle item then names its file (the path
        under this directory) and its SHA-256. A bundle moved elsewhere with a C(prompts) folder beside it keeps
        working; the import looks there for a file that is not where the bundle says.
      - Unset, prompts are exported without their audio, with a warning; an import can then create them only from
        an S3 URI it is given.
    type: path
  dest:
    description:
      - Write the bundle to this file (mode C(0600), replaced atomically, its directory created C(0700) when missing)
        and return RV(bundle_path) and RV(summary) instead of RV(bundle).
      - C({instance_alias}) and C({exported_at}) in the path are replaced by the source's alias (its ID when it has
        none) and the export's time in UTC (C(20261125T143000Z)), so the file can be named before the instance is read.
      - The file is validated before it is written, and a C(<dest>.valid) stamp beside it records its digest, so the
        import's tasks parse it without validating it again.
      - Without it the module writes nothing and returns the document in RV(bundle).
    type: path
extends_documentation_fragment:
  - ccaas.connect.pacing
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - The endpoint can come from O(endpoint_url) or the C(AWS_ENDPOINT_URL_CONNECT) environment variable,
    which is how the collection's emulator is reached.
  - C(SearchUsers) returns a user's first and last name but not their e-mail addresses or mobile number, which
    cost one C(DescribeUser) call per user; they are exported unless O(user_contact_details=false).
  - Contact flow and flow module content is exported as Connect stores it (a published flow's published version),
    with its C(references) - every queue, prompt, user, flow, module, Lambda function, Lex bot and other resource
    the flow language names, by its source ARN and its identity - which the import rewrites to the target's.
  - The filters select roots; routing profiles bring their queues, queues bring their hours of operation,
    quick connects, outbound caller ID number and whisper flow, quick connects bring what they point to,
    users bring their routing profile, security profiles and hierarchy group, and hierarchy groups bring
    their parents.
"""

EXAMPLES = r"""
- name: Describe the source instance by its alias
  ccaas.connect.connect_info:
    instance: acme-contact-centre
    region: us-east-1
    resources: []
  register: source

- name: Export the whole instance through the local emulator
  ccaas.connect.connect_info:
    instance: 8a1f5b3c-0d2e-4f6a-9b7c-1d2e3f4a5b6c
    region: eu-west-2
    endpoint_url: http://127.0.0.1:4566
  register: export

- name: Export the whole instance to a file, named after its alias and the export time
  ccaas.connect.connect_info:
    instance: acme-contact-centre
    dest: "{{ playbook_dir }}/output/bundle-{instance_alias}-{exported_at}.json"
  register: export

- name: Export the Sales business unit's quick-connect queues and what they need
  ccaas.connect.connect_info:
    instance: acme-contact-centre
    bu_tag: Sales
    queue_prefix: Q_QC_
  register: sales

- name: Export the users of the London teams with their profiles and groups
  ccaas.connect.connect_info:
    instance: acme-contact-centre
    user_hierarchy_groups:
      - EMEA/London
  register: london
"""

RETURN = r"""
pace:
  description:
    - What the export cost against what the API quotas allow - the seconds it took, and its quota floor - the least
      time its calls can take at the rates it was paced at. Per API, the floor is the calls beyond the burst over
      the rate; Amazon paces the APIs apart and the export reads them side by side, so the floor is the longest
      of them (C(seconds)); C(serial_seconds) is their sum.
  returned: success
  type: dict
  sample: {"elapsed_seconds": 106.2, "quota_floor": {"seconds": 97.5, "serial_seconds": 100.5, "by_api": {
           "DescribeUser": {"calls": 200, "seconds": 97.5}}}}
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
bundle_path:
  description: The file the bundle was written to, absolute, with O(dest)'s placeholders replaced.
  returned: when O(dest) is set and O(resources) is not an empty list
  type: str
  sample: /srv/migrations/output/bundle-acme-contact-centre-20261125T143000Z.json
summary:
  description:
    - What the written bundle holds, without its items - its RV(bundle.format_version), RV(bundle.source) and
      RV(bundle.exported_at), how many items of each type (C(counts); the hierarchy counts its groups), and its
      RV(bundle.selection) with the names matched and the dependencies as counts per type.
  returned: when O(dest) is set and O(resources) is not an empty list
  type: dict
  sample: {"format_version": 1, "source": {"region": "us-east-1", "instance_alias": "acme-contact-centre"},
           "exported_at": "2026-11-25T14:30:00Z", "counts": {"users": 10000, "queues": 42},
           "selection": {"filters": {}, "matched": {}, "dependencies": {}}}
bundle:
  description:
    - The exported configuration as one portable document, valid against the bundle schema
      (C(docs/bundle.schema.json)). Every reference in it is a name, a hierarchy path or an E.164 number.
  returned: when O(resources) is not an empty list and O(dest) is not set
  type: dict
  contains:
    format_version:
      description: The bundle format version.
      type: int
      sample: 1
    source:
      description: Where the bundle comes from.
      type: dict
      sample: {"region": "us-east-1", "instance_alias": "acme-contact-centre",
               "identity_management_type": "CONNECT_MANAGED"}
    exported_at:
      description: When the export was made, in UTC.
      type: str
      sample: "2026-11-25T14:30:00Z"
    selection:
      description:
        - The filters in force, the names each filter matched, and the names exported because something
          selected refers to them.
      type: dict
      sample: {"filters": {"bu_tag": {"key": "BU", "value": "Sales"}}, "matched": {"queues": ["Q_QC_Sales_Inbound"]},
               "dependencies": {"hours_of_operations": ["Sales Hours"]}}
    resources:
      description:
        - The exported items per type, each a list of snake_case dictionaries whose keys are the options of
          the type's write module, so a list goes into its O(ccaas.connect.connect_user#module:items) as it is.
        - Only the selected types and what they refer to are present.
      type: dict
      contains:
        hours_of_operations:
          description: Hours of operation.
          returned: when exported
          type: list
          elements: dict
          sample: [{"name": "Sales Hours", "time_zone": "America/New_York", "tags": {"BU": "Sales"},
                    "config": [{"day": "MONDAY", "start_time": {"hours": 8, "minutes": 0},
                                "end_time": {"hours": 20, "minutes": 0}}]}]
        contact_flows:
          description: Contact flows, with their content.
          returned: when exported
          type: list
          elements: dict
          sample: [{"name": "Acme Main IVR", "type": "CONTACT_FLOW", "state": "ACTIVE", "status": "PUBLISHED",
                    "content": "{...}", "tags": {}}]
        phone_numbers:
          description: Phone numbers claimed to the instance, with the flow their calls enter.
          returned: when exported
          type: list
          elements: dict
          sample: [{"phone_number": "+12125550142", "country_code": "US", "type": "DID",
                    "contact_flow": "Acme Main IVR", "tags": {}}]
        security_profiles:
          description: Security profiles, with their permissions.
          returned: when exported
          type: list
          elements: dict
          sample: [{"name": "Sales Supervisor", "permissions": ["AccessMetrics", "BasicAgentAccess"],
                    "tags": {"BU": "Sales"}}]
        user_hierarchy:
          description: The hierarchy's level names, top first, and its groups, each named by its path.
          returned: when exported
          type: dict
          sample: {"levels": ["Region", "Site", "Team"], "groups": [{"path": "EMEA/London", "tags": {"Level": "Site"}}]}
        queues:
          description: Standard queues, with the quick connects offered on them.
          returned: when exported
          type: list
          elements: dict
          sample: [{"name": "Q_QC_Sales_Inbound", "hours_of_operation": "Sales Hours", "max_contacts": 50,
                    "status": "ENABLED",
                    "outbound_caller_config": {"outbound_caller_id_name": "Acme Sales",
                                               "outbound_caller_id_number": "+16465550123",
                                               "outbound_flow": "Acme Outbound Whisper"},
                    "quick_connects": ["Main Menu"], "tags": {"BU": "Sales"}}]
        routing_profiles:
          description: Routing profiles, with their queue configurations.
          returned: when exported
          type: list
          elements: dict
          sample: [{"name": "Sales Agents", "default_outbound_queue": "Q_QC_Sales_Outbound",
                    "media_concurrencies": [{"channel": "VOICE", "concurrency": 1}],
                    "queue_configs": [{"queue": "Q_QC_Sales_Inbound", "channel": "VOICE", "priority": 1, "delay": 0}],
                    "tags": {}}]
        agent_statuses:
          description: Agent statuses, including the built-in C(ROUTABLE) and C(OFFLINE) ones.
          returned: when exported
          type: list
          elements: dict
          sample: [{"name": "Lunch", "type": "CUSTOM", "state": "ENABLED", "tags": {}}]
        users:
          description: Users; C(after_contact_work_time_limit) is in seconds.
          returned: when exported
          type: list
          elements: dict
          sample: [{"username": "jsmith0042", "identity_info": {"first_name": "John", "last_name": "Smith"},
                    "phone_config": {"phone_type": "SOFT_PHONE", "auto_accept": false,
                                     "after_contact_work_time_limit": 30},
                    "routing_profile": "Sales Agents", "security_profiles": ["Agent"],
                    "hierarchy_group": "EMEA/London/Sales Team A",
                    "tags": {"BU": "Sales"}}]
        quick_connects:
          description: Quick connects; a C(USER) quick connect names its user by username.
          returned: when exported
          type: list
          elements: dict
          sample: [{"name": "Main Menu", "quick_connect_config": {"quick_connect_type": "FLOW",
                    "flow_config": {"contact_flow": "Acme Main IVR"}}, "tags": {}}]
api_calls:
  description: The Amazon Connect API calls the module made, per API, with the retries botocore made.
  returned: always
  type: dict
  sample: {"DescribeInstance": {"calls": 1, "retries": 0}, "SearchUsers": {"calls": 20, "retries": 0}}
"""

import re
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._bundle import (
    HAS_JSONSCHEMA,
    REGION,
    make_bundle,
    validate_bundle,
    write_bundle_file,
)
from ansible_collections.ccaas.connect.plugins.module_utils._client import PACING_OPTIONS, limiter_for
from ansible_collections.ccaas.connect.plugins.module_utils._errors import CcaasError
from ansible_collections.ccaas.connect.plugins.module_utils._export import Filters, export_instance
from ansible_collections.ccaas.connect.plugins.module_utils._ratelimit import quota_floor
from ansible_collections.ccaas.connect.plugins.module_utils._reader import READ_WORKERS
from ansible_collections.ccaas.connect.plugins.module_utils._resources import RESOURCE_CHOICES
from ansible_collections.ccaas.connect.plugins.module_utils._shell import Session, run_module

ARGUMENT_SPEC = {
    "instance": {"type": "str", "required": True, "aliases": ["instance_id", "instance_alias"]},
    "resources": {"type": "list", "elements": "str", "choices": list(RESOURCE_CHOICES)},
    "bu_tag": {"type": "str"},
    "bu_tag_key": {"type": "str", "default": "BU", "no_log": False},
    "queue_prefix": {"type": "str"},
    "include_agent_queues": {"type": "bool", "default": False},
    "user_routing_profiles": {"type": "list", "elements": "str"},
    "user_hierarchy_groups": {"type": "list", "elements": "str"},
    "user_tags": {"type": "dict"},
    "user_contact_details": {"type": "bool", "default": True},
    "prompt_dir": {"type": "path"},
    "dest": {"type": "path"},
    **PACING_OPTIONS,
}


def filters_from(params: dict) -> Filters:
    return Filters(
        bu_tag_value=params["bu_tag"] or None,
        bu_tag_key=params["bu_tag_key"],
        queue_prefix=params["queue_prefix"] or None,
        include_agent_queues=params["include_agent_queues"],
        user_routing_profiles=params["user_routing_profiles"] or [],
        user_hierarchy_groups=params["user_hierarchy_groups"] or [],
        user_tags={str(k): str(v) for k, v in (params["user_tags"] or {}).items()},
    )


def exported_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def export(session: Session) -> dict[str, Any]:
    module, client, instance = session.module, session.client, session.instance
    result: dict[str, Any] = {"instance": camel_dict_to_snake_dict(instance)}
    resources = module.params["resources"]
    if resources == []:
        return result
    exported = export_instance(
        client,
        instance,
        resources,
        filters_from(module.params),
        describe=module.params["user_contact_details"],
        prompt_dir=module.params["prompt_dir"],
    )
    for warning in exported.warnings:
        module.warn(warning)
    result["bundle"] = make_bundle(
        exported.resources,
        region=client.meta.region_name,
        instance_alias=instance.get("InstanceAlias") or instance["Id"],
        identity_management_type=instance.get("IdentityManagementType"),
        instance_arn=instance.get("Arn"),
        exported_at=exported_now(),
        selection=exported.selection,
    )
    # The export is meant to produce valid bundles only: a problem here is a bug, reported as one.
    if HAS_JSONSCHEMA:
        problems = validate_bundle(result["bundle"])
        if problems:
            raise CcaasError(
                "the exported bundle does not validate (a ccaas.connect bug, please report it)",
                problems=[p.describe() for p in problems],
            )
    else:
        module.warn("the bundle was not validated: the Python library jsonschema is not installed")
    if module.params["dest"]:
        bundle = result.pop("bundle")
        path = bundle_destination(module.params["dest"], bundle)
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_bundle_file(path, bundle)
        except OSError as exc:
            raise CcaasError(f"dest: cannot write the bundle to {path}: {exc.strerror or exc}") from exc
        result["bundle_path"] = str(path)
        result["summary"] = summarize(bundle)
    return result


def bundle_destination(dest: str, bundle: dict[str, Any]) -> Path:
    """`dest` with its placeholders replaced; any other brace is taken as written."""
    compact = bundle["exported_at"].replace("-", "").replace(":", "")
    named = dest.replace("{instance_alias}", str(bundle["source"]["instance_alias"])).replace("{exported_at}", compact)
    return Path(named).absolute()


def summarize(bundle: dict[str, Any]) -> dict[str, Any]:
    """The bundle without its items: a fact of a few hundred bytes, whatever the number of users."""

    def count(items: Any) -> int:
        return len(items["groups"] if isinstance(items, dict) and "groups" in items else items)

    selection = bundle.get("selection") or {}
    summary: dict[str, Any] = {key: bundle[key] for key in ("format_version", "source", "exported_at") if key in bundle}
    summary["counts"] = {name: count(items) for name, items in bundle["resources"].items()}
    summary["selection"] = {
        "filters": selection.get("filters") or {},
        "matched": {name: len(names) for name, names in (selection.get("matched") or {}).items()},
        "dependencies": {name: len(names) for name, names in (selection.get("dependencies") or {}).items()},
        **({"omitted": selection["omitted"]} if selection.get("omitted") else {}),
    }
    return summary


def main() -> None:
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    # A bogus region would only show up as retried connection errors: refused before any call.
    if module.region is not None and not re.match(REGION, str(module.region)):
        module.fail_json(msg=f"region: {str(module.region)[:60]!r} is not an AWS region name (such as eu-west-2)")
    limiter = limiter_for(module)
    started = time.monotonic()

    def paced_export(session: Session) -> dict[str, Any]:
        result = export(session)
        # What the read cost against what the quotas allow: the export's own measure of its pace.
        floor = quota_floor({api: row["calls"] for api, row in session.stats.as_dict().items()}, limiter)
        result["pace"] = {"elapsed_seconds": round(time.monotonic() - started, 1), "quota_floor": floor}
        return result

    run_module(
        module,
        paced_export,
        aws_failure="Failed to read the Amazon Connect instance",
        limiter=limiter,
        max_pool_connections=READ_WORKERS * 4,
    )


if __name__ == "__main__":
    main()
