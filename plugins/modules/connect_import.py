#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_import
short_description: Import one phase, or one chunk of a phase, of a mapped bundle into an Amazon Connect instance
version_added: 0.2.0
description:
  - The import role's one write task. It runs a phase of the import that M(ccaas.connect.connect_preflight)
    planned (hours of operation, security profiles, the user hierarchy, queues, routing profiles, users,
    quick connects, the queues' quick connects, and every other type the collection describes), in the
    order the resource descriptions derive from their references, one chunk of O(chunk_size) items per task.
  - It reads the items from the mapped bundle file the preflight wrote (O(bundle)), never from task
    arguments, and writes each item's outcome to O(results_file); its own result holds counts, calls and
    the failures only. A 10,000-user import therefore carries no user through Ansible's variables.
  - Each item is planned and applied by the same planner and executor as the per-type modules
    (M(ccaas.connect.connect_user), M(ccaas.connect.connect_queue), ...), creating what is missing, updating only
    what differs, tagging and untagging; a rerun writes nothing. In check mode the items of the phases before this one
    are taken as there, so a dry run of a whole import predicts the real run call by call.
  - E-mail addresses and mobile numbers are never shown in the result or a diff; a diff shows them hidden,
    and whether they change.
author:
  - ccaas.connect contributors (@ccaas-connect)
options:
  bundle:
    description:
      - The mapped bundle the preflight wrote (O(ccaas.connect.connect_preflight#module:mapped_bundle)), a bundle
        whose references name the target's items. It is validated before anything is read or written, and
        refused if it was mapped onto another instance than O(instance).
      - The first task to read the file validates it in full and keeps the SHA-256 of its bytes beside it
        (C(<bundle>.valid), C(0600)); a later task reading the same bytes only parses them. Validating 10,000 users
        takes seconds, which every chunk would otherwise spend.
    type: path
    required: true
  phase:
    description:
      - The phase to run, by the name the preflight's RV(ccaas.connect.connect_preflight#module:steps) gives it
        (for example C(users) or C(queue quick connects)).
      - Exactly one of O(phase) and O(phases) is required.
    type: str
  phases:
    description:
      - Several phases to run one after another in this task, each whole (one chunk), in the import's order, as
        the preflight's RV(ccaas.connect.connect_preflight#module:steps) group them (a step's C(phases)). Each
        phase reads the target afresh, so it sees what the phases before it created, exactly as separate tasks
        would; the phases share one client, its token buckets and one lookup of the instance, which saves a task's
        start-up (over a second each) per small phase.
      - Each phase appends its own line to O(results_file). When a phase fails to run, the task fails naming that
        phase and the phases it did not run; the phases before it are done, and in the result's RV(phases).
    type: list
    elements: str
    version_added: 0.4.0
  chunk:
    description: Which chunk of the phase to run, counted from 1. A phase that is not chunked has one.
    type: int
    default: 1
  chunk_size:
    description: Items per chunk, as the preflight counted them.
    type: int
    default: 500
  results_file:
    description:
      - A JSON-lines file this task appends its result to, each item's outcome included, created C(0600).
        M(ccaas.connect.connect_report) reads it.
    type: path
  passwords:
    description: Passwords for new users, by user name (users with a password in the bundle keep theirs).
    type: dict
  passwords_from:
    description:
      - The bundle file as given to the preflight, read for the passwords its entries give new users (a user entry's
        C(password)), which the mapped bundle leaves out. Only this chunk's users' passwords are taken.
      - The import role passes it to the phases whose steps name a C(secret); for a bundle given inline (not a file) it
        passes those passwords in O(passwords).
    type: path
  generate_passwords:
    description: Generate a password for each new user that has none; they are written to O(password_file) only.
    type: bool
    default: false
  password_file:
    description: Where generated passwords go (C(0600), entries already in it are kept).
    type: path
  snapshot:
    description:
      - A file for the phase's read of the target, shared by its chunks. The first chunk of a phase of several
        writes there (C(0600)) the types it read (the phase's own and those its items reference), and the later
        chunks of the same phase, target and mapped bundle take them from there instead of reading them again, so
        a 10,000-user phase reads its users once, not twenty times. Nothing but the phase's own tasks writes those
        types while it runs (the run holds the target's lease), and each task writes only its own items.
      - Unset, every chunk reads the target. A missing or mismatched file is read around, not trusted.
    type: path
  preflight_snapshot:
    description:
      - The preflight's read of the target (the C(snapshot) M(ccaas.connect.connect_preflight) wrote), for a
        phase's first task. When no earlier phase writes the phase's own type, the task takes that type
        and its items' per-item reads (each user's C(DescribeUser) and C(ListUserProficiencies)) from the file
        instead of reading them again; the types its items reference it reads afresh. The per-item reads of the
        items it does not plan go on to O(snapshot), for the phase's later tasks.
      - A file of another target, preflight or mapped bundle is read around, not trusted.
    type: path
notes:
  - It only creates and updates (and tags, purging tags the bundle does not have); rollback deletes what a run created.
extends_documentation_fragment:
  - ccaas.connect.import_options
  - ccaas.connect.import_options.prompt_audio
  - ccaas.connect.pacing
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Import the users, 500 per task, as the import role does
  ccaas.connect.connect_import:
    instance: acme-target
    bundle: /srv/migrations/mapped-20261201T120000Z.json
    phase: users
    chunk: "{{ item }}"
    chunk_size: 500
    results_file: /srv/migrations/results-20261201T120000Z.jsonl
    ledger: /srv/migrations/ledger-20261201T120000Z.jsonl
    generate_passwords: true
    password_file: /srv/migrations/passwords-acme-target.json
    snapshot: /srv/migrations/snapshot-users.json
  loop: "{{ range(1, 21) | list }}"
"""

RETURN = r"""
phase:
  description: The phase this task ran.
  returned: always
  type: str
  sample: users
phases:
  description:
    - One entry per phase the task ran, each with the keys a one-phase task returns at the top level (C(phase),
      C(resource_type), C(chunk), C(totals), C(api_calls), C(failures), C(recorded)). For a task of several phases
      the top-level C(phase) and C(resource_type) join their names, C(totals) and C(failures) add theirs up, and
      C(api_calls) counts every call of the task.
  returned: always
  type: list
  elements: dict
  version_added: 0.4.0
resource_type:
  description: The resource type the phase writes.
  returned: always
  type: str
  sample: users
chunk:
  description: The chunk this task ran, and how many the phase has.
  returned: always
  type: dict
  sample: {"index": 3, "of": 20, "items": 500}
totals:
  description: How many items had each outcome.
  returned: always
  type: dict
  sample: {"created": 498, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 2, "skipped": 0}
failures:
  description: The items that failed and why (the first 100; O(results_file) has them all).
  returned: always
  type: list
  elements: dict
  sample: [{"name": "jdoe", "reason": "user jdoe: routing profile 'Sales' not in the target"}]
recorded:
  description: Whether this task's result, each item's outcome included, is in O(results_file).
  returned: always
  type: bool
results_file:
  description:
    - The file this task's line is in. Its C(item_results) hold each item's name, outcome, reason, ID and calls,
      and in diff mode its before and after (e-mail and mobile hidden).
  returned: when RV(recorded)
  type: str
api_calls:
  description: The Amazon Connect API calls the module made, per API, with the retries botocore made.
  returned: always
  type: dict
  sample: {"SearchUsers": {"calls": 1, "retries": 0}, "CreateUser": {"calls": 498, "retries": 3}}
"""

import json
import math
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils._bundle import (
    BundleError,
    MissingJsonSchema,
    load_bundle_file,
)
from ansible_collections.ccaas.connect.plugins.module_utils._errors import CcaasError
from ansible_collections.ccaas.connect.plugins.module_utils._files import append_private
from ansible_collections.ccaas.connect.plugins.module_utils._preflight import (
    earlier_items,
    plan_phase,
    reads_own_type_from_preflight,
)
from ansible_collections.ccaas.connect.plugins.module_utils._prompts import PROMPT_OPTIONS
from ansible_collections.ccaas.connect.plugins.module_utils._reader import PhaseSnapshot
from ansible_collections.ccaas.connect.plugins.module_utils._resources import (
    IMPORT_PHASES,
    Phase,
    ResourceType,
    hide_personal,
)
from ansible_collections.ccaas.connect.plugins.module_utils._runner import (
    COMMON_OPTIONS,
    Connection,
    connect,
    execute,
    passwords_given,
)

FAILURES_SHOWN = 100

ARGUMENT_SPEC: dict[str, Any] = {
    **{k: v for k, v in COMMON_OPTIONS.items() if k not in ("state", "pending_references", "purge_tags")},
    "bundle": {"type": "path", "required": True},
    "phase": {"type": "str"},
    "phases": {"type": "list", "elements": "str"},
    "chunk": {"type": "int", "default": 1},
    "chunk_size": {"type": "int", "default": 500},
    "results_file": {"type": "path"},
    "passwords": {"type": "dict", "no_log": True},
    "passwords_from": {"type": "path", "no_log": False},
    "generate_passwords": {"type": "bool", "default": False, "no_log": False},
    "password_file": {"type": "path", "no_log": False},
    "snapshot": {"type": "path"},
    "preflight_snapshot": {"type": "path"},
    **PROMPT_OPTIONS,
}


def secrets_in(module: Any, rtype: ResourceType, items: list[dict[str, Any]]) -> list[Any]:
    """The entries of `passwords_from` (the bundle as given) that are this chunk's items, for their passwords."""
    source = module.params.get("passwords_from")
    if source is None or not rtype.write.secret_key:
        return []
    try:
        document = json.loads(Path(source).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        module.fail_json(msg=f"passwords_from: cannot read {source}: {exc}")
    resources = document.get("resources", document) if isinstance(document, dict) else None
    wanted = {e[rtype.identity_key] for e in items}
    entries = rtype.entries(resources) if isinstance(resources, dict) else []
    return [e for e in entries if isinstance(e, dict) and e.get(rtype.identity_key) in wanted]


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec=ARGUMENT_SPEC,
        supports_check_mode=True,
        mutually_exclusive=[("phase", "phases")],
        required_one_of=[("phase", "phases")],
    )
    params = module.params
    params.update(state="present", purge_tags=True)
    if params["phases"] is not None and not params["phases"]:
        module.fail_json(msg="phases: name at least one phase")
    phases = [phase_named(module, name) for name in params["phases"] or [params["phase"]]]
    if params["chunk_size"] < 1 or params["chunk"] < 1:
        module.fail_json(msg="chunk and chunk_size are counted from 1")
    if len(phases) > 1 and (params["chunk"] != 1 or len({p.name for p in phases}) < len(phases)):
        module.fail_json(msg="phases: several phases run whole (chunk 1), each once, in the import's order")
    if [p for p in IMPORT_PHASES if p in phases] != phases:
        module.fail_json(
            msg="phases: the phases must be given in the import's order: " + ", ".join(p.name for p in phases)
        )
    try:
        bundle = load_bundle_file(Path(params["bundle"]))
    except BundleError as exc:
        shown = [p.describe() for p in exc.problems[:50]]
        module.fail_json(msg=f"the mapped bundle {params['bundle']} is invalid:\n  " + "\n  ".join(shown))
    except MissingJsonSchema as exc:
        module.fail_json(msg=f"cannot validate the mapped bundle {params['bundle']}: {exc}")
    if not bundle.get("mapped_onto"):
        module.fail_json(
            msg=f"{params['bundle']} is not a mapped bundle (no mapped_onto): connect_preflight writes one, "
            "with its references mapped onto the target, when given mapped_bundle"
        )
    cuts = [cut_chunk(module, phase, bundle["resources"], len(phases) > 1) for phase in phases]
    # A mapped bundle the preflight wrote has no secrets; one written by hand may. Every phase's are read (and
    # `passwords_from` found readable) before the first phase writes.
    given = [
        passwords_given(
            params.get("passwords"), [*items, *secrets_in(module, phase.rtype, items)], phase.rtype.identity_key
        )
        for phase, (items, _chunks) in zip(phases, cuts, strict=True)
    ]
    for secrets in given:
        module.no_log_values.update(secrets.values())
    # One client, one set of token buckets and one lookup of the instance for the task's phases.
    connection, stats = connect(module) if len(phases) > 1 else (None, None)
    done: list[dict[str, Any]] = []
    diffs: list[Any] = []
    for phase, (items, chunks), secrets in zip(phases, cuts, given, strict=True):
        with named_failure(module, phase, phases, done):
            summary, diff = run_phase(module, bundle, phase, items, chunks, secrets, connection)
        done.append(summary)
        diffs += diff
    totals: Counter[str] = Counter()
    for summary in done:
        totals.update(summary["totals"])
    result: dict[str, Any] = {
        **done[0],
        "changed": any(summary["changed"] for summary in done),
        "totals": {key: totals[key] for key in done[0]["totals"]},
        "failures": [f for summary in done for f in summary["failures"]][:FAILURES_SHOWN],
        "recorded": all(summary["recorded"] for summary in done),
        "phases": done,
    }
    if len(done) > 1:
        result.update(
            phase=", ".join(summary["phase"] for summary in done),
            resource_type=", ".join(summary["resource_type"] for summary in done),
            chunk={"index": 1, "of": 1, "items": sum(summary["chunk"]["items"] for summary in done)},
            api_calls=stats.as_dict() if stats is not None else {},
        )
    if module._diff:
        result["diff"] = diffs
    module.exit_json(**result)


def phase_named(module: Any, name: str) -> Phase:
    # The phases are derived from the descriptions, so they are checked here rather than listed as choices.
    phase = next((p for p in IMPORT_PHASES if p.name == name), None)
    if phase is None:
        names = ", ".join(p.name for p in IMPORT_PHASES)
        module.fail_json(msg=f"phase: no phase {name!r}; the import's phases are {names}")
    return phase  # type: ignore[return-value]  # fail_json exits


def cut_chunk(module: Any, phase: Phase, resources: dict[str, Any], whole: bool) -> tuple[list[dict[str, Any]], int]:
    """The task's items of the phase (its chunk), and how many chunks the phase has."""
    params = module.params
    entries = phase.items(resources)
    size = params["chunk_size"] if phase.chunked else max(1, len(entries))
    chunks = max(1, math.ceil(len(entries) / size))
    if params["chunk"] > chunks:
        module.fail_json(msg=f"phase {phase.name} has {chunks} chunk(s) of {size} items, not {params['chunk']}")
    if whole and chunks > 1:
        module.fail_json(msg=f"phases: phase {phase.name} has {chunks} chunks of {size} items; run it alone, by chunk")
    return entries[(params["chunk"] - 1) * size : params["chunk"] * size], chunks


@contextmanager
def named_failure(module: Any, phase: Phase, phases: list[Phase], done: list[dict[str, Any]]) -> Iterator[None]:
    """A task of several phases that fails in one says which, what the phases before it did (their lines are in
    the results file) and which it did not run."""
    if len(phases) == 1:
        yield
        return
    fail_json = module.fail_json
    later = [p.name for p in phases[phases.index(phase) + 1 :]]

    def fail_in_phase(**result: Any) -> None:
        not_run = f"; not run: {', '.join(later)}" if later else ""
        fail_json(**{**result, "msg": f"phase {phase.name}: {result.get('msg')}{not_run}", "phases": done})

    module.fail_json = fail_in_phase
    try:
        yield
    finally:
        module.fail_json = fail_json


def run_phase(
    module: Any,
    bundle: dict[str, Any],
    phase: Phase,
    items: list[dict[str, Any]],
    chunks: int,
    given: dict[str, str],
    connection: Connection | None,
) -> tuple[dict[str, Any], list[Any]]:
    """Plan and apply the task's items of one phase; its summary (a line of the results file) and diffs."""
    params = module.params
    resources = bundle["resources"]
    mapped_onto = bundle["mapped_onto"]
    first = params["chunk"] == 1
    items = [{k: v for k, v in e.items() if k != phase.rtype.write.secret_key} for e in items]
    # In a dry run the earlier phases wrote nothing: what they would create is taken as there.
    assumed = earlier_items(phase, resources) if module.check_mode else {}
    if module.check_mode and bundle.get("assumed_numbers"):  # numbers a real run claims before importing
        assumed.setdefault("phone_numbers", []).extend(bundle["assumed_numbers"])
    snapshot = PhaseSnapshot(params.get("snapshot"), phase.name, params["bundle"]) if chunks > 1 else None

    def plan_items(target: Any, secrets: Any) -> list[Any]:
        if target.instance_id != mapped_onto:
            raise CcaasError(
                f"the mapped bundle {params['bundle']} was mapped onto instance {mapped_onto}, not onto "
                f"{params['instance']} ({target.instance_id}): run the preflight against this target first"
            )
        plans = plan_phase(
            target,
            phase,
            resources,
            items,
            assumed,
            with_structure=first,
            secrets=secrets,
            purge_tags=params["purge_tags"],
        )
        if snapshot is not None and first and (problem := snapshot.save(target)):
            module.warn(problem)
        return plans

    def load_snapshot(target: Any) -> None:
        if first:
            if reads_own_type_from_preflight(phase):
                kept = PhaseSnapshot(params.get("preflight_snapshot"), PhaseSnapshot.PREFLIGHT, params["bundle"])
                if problem := kept.load(target, types=[phase.type_key]):
                    module.warn(problem)
        elif snapshot is not None and (problem := snapshot.load(target)):
            module.warn(problem)

    _plans, report, result, _stats = execute(
        module, phase.rtype, items, plan_items, given_passwords=given, on_target=load_snapshot, connection=connection
    )
    failures = [{"name": i.name, "reason": i.reason or ""} for i in report.items if i.outcome == "failed"]
    summary: dict[str, Any] = {
        "changed": result["changed"],
        "phase": phase.name,
        "resource_type": phase.rtype.key,
        "chunk": {"index": params["chunk"], "of": chunks, "items": len(items)},
        "totals": result["totals"],
        "api_calls": result["api_calls"],
        "failures": failures[:FAILURES_SHOWN],
        "recorded": False,
    }
    diffs = [hide_personal(phase.rtype, diff) for diff in result.get("diff", [])] if module._diff else []
    if params.get("results_file"):
        item_results = [
            {**i, "diff": hide_personal(phase.rtype, i["diff"])} if "diff" in i else i for i in result["item_results"]
        ]
        try:
            record = {k: v for k, v in summary.items() if k != "recorded"}
            append_private(params["results_file"], {**record, "item_results": item_results})
            summary["recorded"] = True
            summary["results_file"] = params["results_file"]
        except OSError as exc:
            module.warn(f"could not write the results file {params['results_file']}: {exc}")
    return summary, diffs


if __name__ == "__main__":
    main()
