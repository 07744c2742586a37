#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_lease
short_description: Take or release the lease that lets one run at a time write to an Amazon Connect instance
version_added: 0.2.0
description:
  - Holds a lease as a tag on the target instance (key C(ccaas:lease) by default) naming the run, its holder
    (C(user@host)), since when and until when it holds it. Every machine that can reach the instance sees it,
    so two runs from two machines cannot both write to one target.
  - V(present) takes the lease with a read-after-write check (read, tag, wait O(settle) seconds, read again and
    confirm the tag is still ours; tag writes are last-writer-wins, so of two runs writing at once only one sees
    itself). The same run (same O(run_id) and O(token)) renews its lease.
  - When another run holds it, the task fails before anything is written to the target, naming that run, its
    holder, since when and until when it holds the lease, and what to do.
  - An expired lease is not taken silently, since its run may still be writing late; only with O(steal=true).
    A lease that has not expired cannot be stolen; remove the tag by hand when you know its run is dead.
  - V(absent) releases the lease when this run holds it, and leaves another run's lease alone.
author:
  - ccaas.connect contributors (@ccaas-connect)
options:
  instance:
    description: The target instance, by instance ID, instance ARN or instance alias.
    type: str
    required: true
    aliases: ['instance_id', 'instance_alias']
  state:
    description: V(present) takes or renews the lease, V(absent) releases it.
    type: str
    default: present
    choices: ['present', 'absent']
  run_id:
    description: The run that takes the lease, as reports and ledgers name it.
    type: str
    required: true
  token:
    description:
      - A value unique to this run, to tell apart two runs that got the same O(run_id) (started in the same
        second). The roles make one per run. Renewal and release need the same token.
    type: str
    default: ''
  holder:
    description: Who holds the lease, shown to other runs. By default C(user@host) of the controller.
    type: str
  duration:
    description:
      - Seconds the lease is held from now. Choose it longer than the run; a run killed before it released its
        lease blocks the target until then (or until the tag is removed by hand).
    type: int
    default: 14400
  steal:
    description: Take over a lease another run holds once it has expired.
    type: bool
    default: false
  settle:
    description:
      - Seconds to wait between writing the tag and reading it back. It must exceed the time any run takes
        between its read and its write (one API call); a take slower than that gives the lease back and fails.
    type: float
    default: 2.0
  key:
    description: The tag key that holds the lease. Keys starting with C(aws:) are reserved by Amazon.
    type: str
    default: 'ccaas:lease'
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ccaas.connect.pacing
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    details: Check mode writes no tag; it reads the lease and warns when another run holds it.
  diff_mode:
    support: none
  platform:
    platforms: posix
notes:
  - Calls C(DescribeInstance) (C(ListInstances) for an alias), C(ListTagsForResource), C(TagResource) and
    C(UntagResource) on the instance ARN.
"""

EXAMPLES = r"""
- name: Take the target's lease for this run
  ccaas.connect.connect_lease:
    instance: acme-target
    run_id: "{{ run_id }}"
    token: "{{ lease_token }}"
    duration: 7200

- name: Release it at the end, also after a failure
  ccaas.connect.connect_lease:
    instance: acme-target
    run_id: "{{ run_id }}"
    token: "{{ lease_token }}"
    state: absent
"""

RETURN = r"""
held:
  description: Whether this run holds the lease after the task (always V(false) in check mode and after V(absent)).
  returned: always
  type: bool
  sample: true
lease:
  description: The lease this run holds (V(present)) or released (V(absent)).
  returned: when this run holds or released it
  type: dict
  contains:
    run_id:
      description: The run holding the lease.
      type: str
    holder:
      description: Who runs it, C(user@host).
      type: str
    since:
      description: When the run took the lease, UTC.
      type: str
    until:
      description: When the lease expires, UTC.
      type: str
  sample: {"run_id": "20261201T100000Z", "holder": "ops@bastion", "since": "2026-12-01T10:00:02Z",
           "until": "2026-12-01T14:00:02Z"}
held_by:
  description: Another run's lease found on the target (same keys as RV(lease)), or null.
  returned: always
  type: dict
  sample: {"run_id": "20261201T095500Z", "holder": "ops@laptop", "since": "2026-12-01T09:55:04Z",
           "until": "2026-12-01T13:55:04Z"}
renewed:
  description: Whether the run already held the lease and extended it.
  returned: always
  type: bool
stolen:
  description: The expired lease taken over with O(steal=true), or null.
  returned: always
  type: dict
api_calls:
  description: The Amazon Connect API calls the module made, per API, with the retries botocore made.
  returned: always
  type: dict
  sample: {"ListTagsForResource": {"calls": 2, "retries": 0}, "TagResource": {"calls": 1, "retries": 0}}
"""

import getpass
import socket
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._client import PACING_OPTIONS
from ansible_collections.ccaas.connect.plugins.module_utils._lease import (
    acquire,
    read_lease,
    refusal,
    release,
    utcnow,
)
from ansible_collections.ccaas.connect.plugins.module_utils._shell import Session, run_module

ARGUMENT_SPEC = {
    "instance": {"type": "str", "required": True, "aliases": ["instance_id", "instance_alias"]},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    "run_id": {"type": "str", "required": True},
    "token": {"type": "str", "default": "", "no_log": False},
    "holder": {"type": "str"},
    "duration": {"type": "int", "default": 14400},
    "steal": {"type": "bool", "default": False},
    "settle": {"type": "float", "default": 2.0},
    "key": {"type": "str", "default": "ccaas:lease", "no_log": False},
    **PACING_OPTIONS,
}


def default_holder() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def main() -> None:
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    p = module.params
    if p["duration"] <= 0 or p["settle"] < 0:
        module.fail_json(msg="duration must be positive and settle not negative")
    if p["key"].lower().startswith("aws:"):
        module.fail_json(msg=f"key {p['key']}: tag keys starting with aws: are reserved by Amazon")

    def lease(session: Session) -> dict[str, Any]:
        client, arn = session.client, session.instance["Arn"]
        result: dict[str, Any] = {"changed": False, "held": False, "held_by": None, "renewed": False, "stolen": None}
        current = read_lease(client, arn, p["key"])
        others = current if current is not None and not current.owned_by(p["run_id"], p["token"]) else None
        result["held_by"] = others.as_dict() if others else None
        if module.check_mode:
            # A dry run writes nothing, so it takes no lease; it says when a real run would be refused.
            why = refusal(others, arn, utcnow(), p["steal"], p["key"]) if others else None
            if why:
                module.warn(f"a real run would stop here: {why}")
        elif p["state"] == "present":
            taken = acquire(
                client,
                arn,
                p["run_id"],
                p["holder"] or default_holder(),
                p["duration"],
                token=p["token"],
                steal=p["steal"],
                settle=p["settle"],
                key=p["key"],
            )
            stolen = taken["stolen"]
            result.update(
                changed=True,
                held=True,
                lease=taken["lease"].as_dict(),
                renewed=taken["renewed"],
                stolen=stolen.as_dict() if stolen else None,
            )
            if stolen:
                module.warn(f"took over the expired lease of {stolen.describe()}")
        else:
            released, found = release(client, arn, p["run_id"], p["token"], p["key"])
            result.update(changed=released, lease=found.as_dict() if released and found else None)
        return result

    # A LeaseError fails the task with the holder (`held_by`) and `held: false`.
    run_module(module, lease, aws_failure=f"Failed to read or write the lease tag of {p['instance']}")


if __name__ == "__main__":
    main()
