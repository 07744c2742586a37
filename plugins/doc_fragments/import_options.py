# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The options every ccaas.connect write module shares (plugins/module_utils/_runner.py); the pacing
    # options, which the read modules take too, are in the pacing fragment.
    DOCUMENTATION = r"""
options:
  instance:
    description:
      - The target instance, by instance ID, instance ARN or instance alias.
    type: str
    required: true
    aliases: ['instance_id', 'instance_alias']
  continue_on_error:
    description:
      - When an item fails, go on with the others (V(true)) or start no further item (V(false), fail fast).
      - A per-type module then fails when any item failed, and C(item_results) says which and why;
        M(ccaas.connect.connect_import) returns the failures and counts them, and the import role fails at the end.
    type: bool
    default: true
  max_workers:
    description:
      - How many items are applied at once. The rates, not this number, bound the speed; a few threads
        per API keep each API's quota busy.
    type: int
    default: 8
  ledger:
    description:
      - A file to which every change the task makes is appended as one JSON line, enough for
        M(ccaas.connect.connect_rollback) to undo it. Each line holds the type, name, action (C(created), C(updated),
        C(associated), C(disassociated), C(tagged), C(untagged) or C(deleted)), ID, ARN, the API called, and the
        changed fields' values C(before) and C(after) in the bundle's words. Never a password.
      - A create is recorded as soon as its C(Create*) call returns, so a run killed in the middle of an item still
        leaves what it created on record. Lines are appended with one fsynced write each, so parallel workers and
        parallel tasks can share one ledger and a killed process never leaves half a line.
      - Created with mode C(0600) (and its directory C(0700)) when missing. Check mode writes nothing to it.
    type: path
  run_id:
    description:
      - The run id recorded in each ledger line. By default the run id in the ledger's file name
        (C(ledger-20261125T143000Z.jsonl)), if there is one.
    type: str
  lease_run_id:
    description:
      - The run whose lease (M(ccaas.connect.connect_lease)) must still be held on the target. Before its first
        write the task reads the lease and fails, writing nothing, when another run holds it. Unset, no check.
    type: str
  lease_token:
    description:
      - The token of the lease O(lease_run_id) took, as given to M(ccaas.connect.connect_lease).
    type: str
notes:
  - Names are matched case-sensitively, as Amazon Connect matches them. A reference the target lacks fails
    that item only, with a message naming the item and the reference.
  - Check mode makes no write call and returns exactly the calls a real run would make; with C(--diff) it
    shows the before and after of every changed field.
  - C(LimitExceededException) and C(ServiceQuotaExceededException) mean a resource quota of the instance is
    full; they are reported with the quota's name and not retried. Throttling and server errors are retried.
"""

    # The options of the per-type write modules only (one item, or many with `items`); connect_import takes
    # its items from a mapped bundle instead.
    ITEMS = r"""
options:
  items:
    description:
      - Many items in one task, each with the same options the module takes at the top level for one item.
      - Use either O(items) or the top-level options, not both. A bundle's list from
        M(ccaas.connect.connect_info) can be passed as it is.
      - Items are applied in parallel (see O(max_workers)), each item's own calls in order.
      - Each entry is checked on its own; a malformed entry fails alone, like an item whose reference is missing.
    type: list
    elements: dict
  pending_references:
    description:
      - In check mode only, the items that earlier tasks of the same run create, by type (C(queues),
        C(routing_profiles), C(user_hierarchy), ...), each a list of names or of entries as a bundle holds them.
      - References to them count as found, so a dry run of a whole import into an empty target plans what the
        real run will do instead of failing where the real run will have created the referenced item by then.
      - Ignored outside check mode, where the target itself is the truth.
    type: dict
"""

    # Whether the items should exist, for the types Amazon Connect can delete (not agent statuses).
    STATE = r"""
options:
  state:
    description:
      - V(present) creates the items that are missing and updates the fields that differ.
      - V(absent) deletes the items that exist; only their identity is needed.
    type: str
    default: present
    choices: ['present', 'absent']
"""

    # Where a prompt's audio goes on its way into the target (connect_prompt, connect_import).
    PROMPT_AUDIO = r"""
options:
  prompt_bucket:
    description:
      - An S3 bucket in the target's region that Amazon Connect can read, for the audio of the prompts to create.
        Each file a bundle names is uploaded under O(prompt_prefix) as C(<sha256>.wav) before its C(CreatePrompt),
        which names it by C(S3Uri); a rerun finds the prompt and uploads nothing.
      - Required to create a prompt from a bundle's audio file; an item that gives its own C(s3_uri) does not need it.
      - The S3 endpoint is S3's own (C(AWS_ENDPOINT_URL_S3) when set); when the Connect endpoint is a local emulator
        and no S3 endpoint is set, the emulator's, so a rehearsal never sends audio to AWS.
    type: str
  prompt_prefix:
    description: The key prefix the audio is uploaded under.
    type: str
    default: ccaas-connect/prompts/
"""
