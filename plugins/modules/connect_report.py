#!/usr/bin/python
# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: connect_report
short_description: Write a migration run's report (Markdown and self-contained HTML) and its JSON-lines run log
version_added: 0.2.0
description:
  - Folds what a run's tasks returned (the import tasks' registered results, the preflight, the mappings, the
    verification, a rollback) into a report and writes three files to O(output_dir), named after the run,
    C(report-<run_id>.md), C(report-<run_id>.html) and C(run-<run_id>.jsonl).
  - The report holds the counts per resource type and outcome, every failed item with its reason, the mappings
    used and the references left unmapped, the API calls and retries (throttles) per API, the verification's
    differences, and the run's duration.
  - The HTML is self-contained, with its style inline and no link, script, font or image, so it opens in a
    browser with no network. Every value in it is escaped.
  - Each file is written atomically (a temporary file renamed over it) with mode C(0600), because reports name
    users. Any input may be missing, so a report is written even for a run that failed early.
  - Makes no AWS call. In check mode the files are still written, since a dry run's report is what it is for.
author:
  - ccaas.connect contributors (@ccaas-connect)
options:
  output_dir:
    description: The directory for the files; created with mode C(0700) when missing.
    type: path
    required: true
  run_id:
    description: The run's id, C(YYYYmmddTHHMMSSZ) in UTC, which the file names carry.
    type: str
    required: true
  source:
    description: The source instance, as the report should name it.
    type: str
  target:
    description: The target instance, as the report should name it.
    type: str
  mode:
    description: What kind of run it was, for the reader (for example C(migrate), C(dry run), C(rollback)).
    type: str
  started_at:
    description: When the run started, ISO 8601 in UTC, a run id, or epoch seconds. Defaults to the run id's time.
    type: str
  finished_at:
    description: When the run ended, in the same forms. Defaults to now.
    type: str
  import_results:
    description:
      - The registered results of the run's write tasks, each with C(item_results), C(totals), C(api_calls) and
        C(resource_type). Skipped tasks and registered loops are taken as they come.
    type: list
    elements: raw
    default: []
  import_results_file:
    description:
      - The results file connect_import appends to, one JSON line per task (phase, chunk, totals, each item's
        outcome, API calls), read in addition to O(import_results). A file that does not exist adds nothing.
      - The import role passes it, so a 10,000-user run's per-item results never travel through Ansible's facts.
    type: path
  preflight:
    description: The preflight's result; its C(api_calls) are counted and its C(skipped) items listed.
    type: dict
  mappings:
    description: Per kind of reference, C(mapped) (source, target, how) and C(unmapped) (source, used by, effect).
    type: dict
  verify:
    description: M(ccaas.connect.connect_verify)'s result.
    type: dict
  rollback:
    description: M(ccaas.connect.connect_rollback)'s result.
    type: dict
  export:
    description: M(ccaas.connect.connect_info)'s result, when the run exported; only its C(api_calls) are used.
    type: dict
  error:
    description: Why the run stopped, when it failed (for example C(ansible_failed_result.msg)).
    type: str
  files:
    description:
      - Other files of the run to name in the report (bundle, ledger, phone-map template), by label.
      - Only the files that exist are named (a value may list several paths, comma-separated), so a report
        never names a ledger or password file that was not written.
    type: dict
    default: {}
  warnings:
    description:
      - What the run did not carry or check although it succeeded (for example users' e-mail and mobile when
        the export left them out). Any warning makes the status C(succeeded with warnings).
    type: list
    elements: str
    default: []
  state:
    description:
      - C(started) writes the run log's C(run_started) event and a report whose status is C(interrupted), at
        the start of a run; C(finished) replaces them at its end. A run killed in between leaves files that
        say it never finished, and a later report in the same O(output_dir) lists it with its ledger.
    type: str
    choices: [started, finished]
    default: finished
"""

EXAMPLES = r"""
- name: Write the run's report
  ccaas.connect.connect_report:
    output_dir: "{{ output_dir }}"
    run_id: "{{ ccaas_run_id }}"
    source: acme-source
    target: acme-target
    started_at: "{{ ccaas_started_at | default(omit) }}"
    import_results: "{{ ccaas_import_results | default([]) }}"
    preflight: "{{ ccaas_preflight | default(omit) }}"
    mappings: "{{ ccaas_mappings | default(omit) }}"
    verify: "{{ ccaas_verify | default(omit) }}"
    files:
      ledger: "{{ output_dir }}/ledger-{{ ccaas_run_id }}.jsonl"
"""

RETURN = r"""
markdown:
  description: The path of the Markdown report.
  returned: always
  type: str
  sample: output/report-20261125T143000Z.md
html:
  description: The path of the HTML report.
  returned: always
  type: str
  sample: output/report-20261125T143000Z.html
run_log:
  description: The path of the JSON-lines run log.
  returned: always
  type: str
  sample: output/run-20261125T143000Z.jsonl
status:
  description:
    - C(succeeded); C(succeeded with warnings) when items were left out or skipped, references unmapped or
      O(warnings) given; C(blocked) when the preflight stopped the run before any write; C(failed) when an
      item failed, the verification found differences, the rollback left items or O(error) is set;
      C(interrupted) for O(state=started).
  returned: always
  type: str
problems:
  description: Why the status is C(blocked), C(failed) or C(interrupted); the report's first lines.
  returned: always
  type: list
  elements: str
run_warnings:
  description:
    - Why the status is C(succeeded with warnings). Not C(warnings), which Ansible takes for the module's own
      warnings and prints.
  returned: always
  type: list
  elements: str
files:
  description: The files the report names, by label (only those that exist).
  returned: always
  type: dict
totals:
  description: Items per outcome over all types.
  returned: always
  type: dict
  sample: {"created": 191, "updated": 0, "unchanged": 4, "deleted": 0, "failed": 0, "skipped": 0}
counts:
  description: Items per outcome, per resource type.
  returned: always
  type: dict
api_calls:
  description: Calls and retries per API over the whole run.
  returned: always
  type: dict
  sample: {"CreateUser": {"calls": 50, "retries": 2}}
duration_seconds:
  description: The run's duration, when its start is known.
  returned: always
  type: float
"""

import json
import os
import re
from datetime import UTC, datetime
from typing import Any

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.ccaas.connect.plugins.module_utils._files import read_lines, write_private
from ansible_collections.ccaas.connect.plugins.module_utils._report import render_all

ARGUMENT_SPEC = {
    "output_dir": {"type": "path", "required": True},
    "run_id": {"type": "str", "required": True},
    "source": {"type": "str"},
    "target": {"type": "str"},
    "mode": {"type": "str"},
    "started_at": {"type": "str"},
    "finished_at": {"type": "str"},
    "import_results": {"type": "list", "elements": "raw", "default": []},
    "import_results_file": {"type": "path"},
    "preflight": {"type": "dict"},
    "mappings": {"type": "dict"},
    "verify": {"type": "dict"},
    "rollback": {"type": "dict"},
    "export": {"type": "dict"},
    "error": {"type": "str"},
    "files": {"type": "dict", "default": {}},
    "warnings": {"type": "list", "elements": "str", "default": []},
    "state": {"type": "str", "choices": ["started", "finished"], "default": "finished"},
}


def existing_files(files: dict[str, Any]) -> dict[str, str]:
    """The files that really exist, by label: a report never names a ledger or password file nobody wrote.

    A value may name several paths (`a.jsonl, b.jsonl`); each is kept only if it exists.
    """
    found = {}
    for label, value in files.items():
        paths = [p.strip() for p in str(value or "").split(",") if p.strip()]
        kept = [p for p in paths if os.path.exists(p)]
        if kept:
            found[label] = ", ".join(kept)
    return found


def interrupted_runs(directory: str, run_id: str) -> list[dict[str, str]]:
    """Earlier runs in `directory` whose run log has a start and no end, with their ledger if they wrote one."""
    found = []
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    for name in names:
        match = re.fullmatch(r"run-([0-9A-Za-z_.-]+)\.jsonl", name)
        if not match or match.group(1) == run_id:
            continue
        try:
            with open(os.path.join(directory, name), encoding="utf-8") as handle:
                events = [json.loads(line).get("event") for line in handle if line.strip()]
        except (OSError, ValueError, AttributeError):
            continue
        if "run_started" in events and "run_finished" not in events:
            ledger = os.path.join(directory, f"ledger-{match.group(1)}.jsonl")
            found.append({"run_id": match.group(1), "ledger": ledger if os.path.exists(ledger) else ""})
    return found


def main() -> None:
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    if not re.fullmatch(r"[0-9A-Za-z_.-]+", params["run_id"]):
        module.fail_json(msg=f"run_id {params['run_id']!r} cannot be part of a file name")
    run = {key: params.get(key) for key in ARGUMENT_SPEC if key not in ("output_dir", "import_results_file")}
    if params.get("import_results_file"):
        run["import_results"] = list(params["import_results"]) + read_lines(params["import_results_file"])
    run["started_at"] = params.get("started_at") or params["run_id"]
    run["finished_at"] = params.get("finished_at") or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    directory = params["output_dir"]
    run["files"] = existing_files(params["files"])
    run["interrupted_runs"] = interrupted_runs(directory, params["run_id"])
    model, files = render_all(run)
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        for name, content in files.items():
            write_private(os.path.join(directory, name), content)
    except OSError as exc:
        module.fail_json(msg=f"cannot write the report to {directory}: {exc}")
    paths = {
        kind: os.path.join(directory, name) for kind, name in zip(("markdown", "html", "run_log"), files, strict=True)
    }
    module.exit_json(
        changed=True,
        **paths,
        status=model["status"],
        problems=model["problems"],
        run_warnings=model["warnings"],
        files=model["files"],
        totals=model["totals"],
        counts=model["counts"],
        api_calls=model["api_calls"],
        duration_seconds=model["duration_seconds"],
    )


if __name__ == "__main__":
    main()
