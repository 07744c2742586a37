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
      - The registered results of the run's write tasks, each with C(results), C(totals), C(api_calls) and
        C(resource_type). Skipped tasks and registered loops are taken as they come.
    type: list
    elements: raw
    default: []
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
    description: Other files of the run to name in the report (bundle, ledger, phone-map template), by label.
    type: dict
    default: {}
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
  description: C(succeeded), or C(failed) when an item failed, the verification found differences or O(error) is set.
  returned: always
  type: str
problems:
  description: Why the status is C(failed).
  returned: always
  type: list
  elements: str
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

import os
import re
import tempfile
from datetime import UTC, datetime

from ansible.module_utils.basic import AnsibleModule

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
    "preflight": {"type": "dict"},
    "mappings": {"type": "dict"},
    "verify": {"type": "dict"},
    "rollback": {"type": "dict"},
    "export": {"type": "dict"},
    "error": {"type": "str"},
    "files": {"type": "dict", "default": {}},
}


def write_private(path: str, content: str) -> None:
    """Write `content` to `path` atomically, mode 0600 from the first byte (mkstemp creates files 0600)."""
    descriptor, temporary = tempfile.mkstemp(prefix=".report-", dir=os.path.dirname(path))
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def main() -> None:
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    if not re.fullmatch(r"[0-9A-Za-z_.-]+", params["run_id"]):
        module.fail_json(msg=f"run_id {params['run_id']!r} cannot be part of a file name")
    run = {key: params.get(key) for key in ARGUMENT_SPEC if key != "output_dir"}
    run["started_at"] = params.get("started_at") or params["run_id"]
    run["finished_at"] = params.get("finished_at") or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    model, files = render_all(run)
    directory = params["output_dir"]
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
        totals=model["totals"],
        counts=model["counts"],
        api_calls=model["api_calls"],
        duration_seconds=model["duration_seconds"],
    )


if __name__ == "__main__":
    main()
