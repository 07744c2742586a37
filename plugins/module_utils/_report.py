# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A run's report, rendered: Markdown, self-contained HTML, and a JSON-lines run log.

Pure functions of what the run's tasks returned (the import tasks' registered results, the preflight,
the mappings, the verification, a rollback): `summarize` folds them into one model, and `markdown`,
`html` and `run_log` render it. Any part may be missing, because the report is written even when the
run failed early. The HTML carries its CSS inline and refers to nothing outside itself (no link,
script, font or image), so it opens the same from a laptop, a ticket attachment or an air-gapped
host; every value in it is escaped.
"""

from __future__ import annotations

import html as _html
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

OUTCOMES = ("created", "updated", "unchanged", "deleted", "failed", "skipped")
OUTCOME_WEIGHT = {"unchanged": 0, "skipped": 1, "updated": 2, "deleted": 3, "created": 4, "failed": 5}
MAX_LISTED = 500  # failures and differences listed one by one; the rest are counted
HEADLINE_FAILURES = 10  # failures named in the report's first lines


# ---- the model ---------------------------------------------------------------------------------------


def parse_time(value: Any) -> datetime | None:
    """ISO 8601 (`2026-11-25T14:30:00Z`), a run id (`20261125T143000Z`) or epoch seconds."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    text = str(value).strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return datetime.fromtimestamp(float(text), UTC)
    if re.fullmatch(r"\d{8}T\d{6}Z", text):
        return datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def task_results(results: Any) -> list[Mapping[str, Any]]:
    """Every write task's result, looped tasks (one result per loop item) flattened."""
    found: list[Mapping[str, Any]] = []
    for result in results or []:
        if not isinstance(result, Mapping):
            continue
        inner = result.get("results")  # Ansible's key for a registered loop; the modules' is item_results
        if isinstance(inner, list) and inner and all(isinstance(r, Mapping) for r in inner):
            found += task_results(inner)
        else:
            found.append(result)
    return found


def add_api_calls(total: dict[str, dict[str, int]], calls: Any) -> None:
    for api, counts in (calls or {}).items():
        if isinstance(counts, Mapping):
            entry = total.setdefault(api, {"calls": 0, "retries": 0})
            entry["calls"] += int(counts.get("calls") or 0)
            entry["retries"] += int(counts.get("retries") or 0)


def summarize(run: Mapping[str, Any]) -> dict[str, Any]:
    """One model of the run from what its tasks returned; every part of `run` may be missing."""
    counts: dict[str, dict[str, int]] = {}
    failures: list[dict[str, Any]] = []
    api: dict[str, dict[str, int]] = {}
    # An item several tasks wrote (a queue created, then given its quick connects) counts once, by the
    # outcome that says most about it.
    items: dict[tuple[str, str], str] = {}
    tasks = task_results(run.get("import_results"))
    for result in tasks:
        if result.get("skipped") and "totals" not in result:
            continue
        kind = str(result.get("resource_type") or "other")
        counts.setdefault(kind, dict.fromkeys(OUTCOMES, 0))
        per_item = [i for i in result.get("item_results") or [] if isinstance(i, Mapping) and "outcome" in i]
        if per_item:
            for item in per_item:
                key = (kind, str(item.get("name")))
                if key not in items or OUTCOME_WEIGHT[item["outcome"]] > OUTCOME_WEIGHT[items[key]]:
                    items[key] = item["outcome"] if item["outcome"] in OUTCOME_WEIGHT else "failed"
        else:  # only the totals are known
            for outcome, n in (result.get("totals") or {}).items():
                counts[kind][outcome] = counts[kind].get(outcome, 0) + int(n or 0)
        for item in per_item:
            if item.get("outcome") == "failed":
                failures.append({"type": kind, "name": item.get("name"), "reason": item.get("reason") or ""})
        if result.get("failed") and not any(item.get("outcome") == "failed" for item in per_item):
            failures.append({"type": kind, "name": "(task)", "reason": str(result.get("msg") or "the task failed")})
        add_api_calls(api, result.get("api_calls"))
    for (kind, _name), outcome in items.items():
        counts[kind][outcome] = counts[kind].get(outcome, 0) + 1
    for part in ("export", "preflight", "verify", "rollback"):
        if isinstance(run.get(part), Mapping):
            add_api_calls(api, run[part].get("api_calls"))
    started, finished = parse_time(run.get("started_at")), parse_time(run.get("finished_at"))
    duration = (finished - started).total_seconds() if started and finished else None
    verify = run.get("verify") if isinstance(run.get("verify"), Mapping) else None
    rollback = run.get("rollback") if isinstance(run.get("rollback"), Mapping) else None
    totals = {outcome: sum(row.get(outcome, 0) for row in counts.values()) for outcome in OUTCOMES}
    preflight = run["preflight"] if isinstance(run.get("preflight"), Mapping) else {}
    skipped_items = list(preflight.get("skipped") or [])
    status, problems = _status(run, verify, rollback, failures, tasks)
    # First, what the bundle leaves out on purpose (users' contact details), as the preflight read it.
    given = [*(preflight.get("omitted") or []), *(run.get("warnings") or [])]
    warnings = list(dict.fromkeys(str(w) for w in given if w))
    if skipped_items:
        warnings.append(f"{len(skipped_items)} item(s) left out (see Items left out)")
    if totals["skipped"]:
        warnings.append(f"{totals['skipped']} item(s) skipped")
    retired = [str(r) for r in (rollback or {}).get("retired") or []]
    if retired:
        warnings.append(
            f"{len(retired)} item(s) disabled, not deleted: Amazon Connect cannot delete them (see Rollback)"
        )
    unmapped = sum(len(found["unmapped"]) for found in mappings_of(run.get("mappings")).values())
    if unmapped:
        warnings.append(f"{unmapped} reference(s) not mapped (see Unmapped references)")
    if status == "succeeded" and warnings:
        status = "succeeded with warnings"
    return {
        "run_id": run.get("run_id") or "",
        "source": run.get("source") or "",
        "target": run.get("target") or "",
        "mode": run.get("mode") or "",
        "started_at": started.strftime("%Y-%m-%dT%H:%M:%SZ") if started else "",
        "finished_at": finished.strftime("%Y-%m-%dT%H:%M:%SZ") if finished else "",
        "duration_seconds": round(duration, 1) if duration is not None else None,
        "status": status,
        "problems": problems,
        "warnings": warnings,
        "counts": counts,
        "totals": totals,
        "failures": failures,
        "mappings": mappings_of(run.get("mappings")),
        "skipped_items": skipped_items,
        "api_calls": dict(sorted(api.items())),
        "verify": verify_of(verify),
        "rollback": rollback_of(rollback),
        "files": dict(run.get("files") or {}),
        "interrupted_runs": [dict(r) for r in run.get("interrupted_runs") or [] if isinstance(r, Mapping)],
    }


def _status(
    run: Mapping[str, Any],
    verify: Mapping[str, Any] | None,
    rollback: Mapping[str, Any] | None,
    failures: list[dict[str, Any]],
    tasks: list[Mapping[str, Any]],
) -> tuple[str, list[str]]:
    """(status, problems): interrupted, blocked or failed with why, else succeeded (warnings come later)."""
    if run.get("state") == "started":
        # Written when the run starts and replaced when it ends: if this stays, the run never ended.
        return "interrupted", [
            "the run started and did not record its end: it was killed or crashed before it finished; "
            "rerun the same command to resume it"
        ]
    preflight = run["preflight"] if isinstance(run.get("preflight"), Mapping) else {}
    blocking = [str(b) for b in preflight.get("blocking") or []]
    wrote = any("totals" in t and not t.get("skipped") for t in tasks)
    if blocking and run.get("error") and not wrote:
        return "blocked", [*blocking, "nothing was written to the target"]
    problems = [str(run["error"])] if run.get("error") else []
    if verify is not None and verify.get("ok") is False:
        problems.append("the target differs from the bundle (see Verification)")
    if failures:
        problems.append(f"{len(failures)} item(s) failed")
    if rollback is not None and (rollback.get("totals") or {}).get("failed"):
        problems.append("the rollback left items it could not undo")
    return ("failed" if problems else "succeeded"), problems


def mappings_of(mappings: Any) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """{kind: {mapped: [{source, target, how}], unmapped: [{source, used_by, effects}]}}, tolerant of shapes."""
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for kind, value in (mappings or {}).items() if isinstance(mappings, Mapping) else ():
        value = value if isinstance(value, Mapping) else {}
        mapped = value.get("mapped") or []
        if isinstance(mapped, Mapping):
            mapped = [{"source": k, "target": v} for k, v in mapped.items()]
        unmapped = value.get("unmapped") or []
        unmapped = [u if isinstance(u, Mapping) else {"source": u} for u in unmapped]
        out[str(kind)] = {"mapped": [dict(m) for m in mapped if isinstance(m, Mapping)], "unmapped": unmapped}
    return out


def verify_of(verify: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if verify is None or verify.get("skipped"):
        return None
    return {
        "ok": bool(verify.get("ok")),
        "types": dict(verify.get("types") or {}),
        "differences": list(verify.get("differences") or []),
        "missing": list(verify.get("missing") or []),
        "unresolved": list(verify.get("unresolved") or []),
    }


def rollback_of(rollback: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if rollback is None or rollback.get("skipped"):
        return None
    return {
        "totals": dict(rollback.get("totals") or {}),
        "results": list(rollback.get("item_results") or []),
        "retired": [str(r) for r in rollback.get("retired") or []],
    }


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return "unknown"
    minutes, rest = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02}m {rest:02}s" if hours else f"{minutes}m {rest:02}s" if minutes else f"{rest}s"


def value_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


# ---- the sections, as rows, shared by both renderings -------------------------------------------------


def sections(model: Mapping[str, Any]) -> list[tuple[str, list[str], list[list[str]], str]]:
    """(title, header, rows, text when there are no rows) per section, in the report's order."""
    out = []
    counts = model["counts"]
    rows = [[kind, *[str(row.get(o, 0)) for o in OUTCOMES]] for kind, row in counts.items()]
    if rows:
        rows.append(["total", *[str(model["totals"][o]) for o in OUTCOMES]])
    out.append(("Items per type and outcome", ["type", *OUTCOMES], rows, "No import task ran."))
    failures = model["failures"]
    rows = [[f["type"], str(f["name"]), f["reason"]] for f in failures[:MAX_LISTED]]
    if len(failures) > MAX_LISTED:
        rows.append(["", f"... and {len(failures) - MAX_LISTED} more", ""])
    out.append(("Failures", ["type", "name", "reason"], rows, "No item failed."))
    rows = []
    for kind, found in model["mappings"].items():
        rows += [[kind, str(m.get("source")), str(m.get("target")), str(m.get("how") or "")] for m in found["mapped"]]
    out.append(("Mappings used", ["kind", "source", "target", "how"], rows, "No reference was mapped."))
    rows = []
    for kind, found in model["mappings"].items():
        for miss in found["unmapped"]:
            used = miss.get("used_by") or []
            used_text = ", ".join(map(str, used)) if isinstance(used, list) else str(used)
            effects = miss.get("effects") or []
            effects_text = ", ".join(map(str, effects)) if isinstance(effects, list) else str(effects)
            rows.append([kind, str(miss.get("source")), used_text, effects_text])
    out.append(("Unmapped references", ["kind", "source", "used by", "effect"], rows, "None."))
    rows = [[str(s.get("type")), str(s.get("name")), str(s.get("reason"))] for s in model["skipped_items"]]
    if rows:
        out.append(("Items left out", ["type", "name", "reason"], rows, ""))
    rows = [[api, str(c["calls"]), str(c["retries"])] for api, c in model["api_calls"].items()]
    if rows:
        calls = sum(c["calls"] for c in model["api_calls"].values())
        retries = sum(c["retries"] for c in model["api_calls"].values())
        rows.append(["total", str(calls), str(retries)])
    header = ["API", "calls", "retries (throttled or transient)"]
    out.append(("API calls and throttles per API", header, rows, "No API call recorded."))
    verify = model["verify"]
    if verify is not None:
        rows = [
            [
                str(d.get("type")),
                str(d.get("name")),
                str(d.get("field")),
                value_text(d.get("expected")),
                value_text(d.get("actual")),
            ]
            for d in verify["differences"][:MAX_LISTED]
        ]
        rows += [[str(m.get("type")), str(m.get("name")), "(missing)", "present", "absent"] for m in verify["missing"]]
        rows += [
            [str(u.get("type")), str(u.get("name")), "(reference)", "", str(u.get("reason"))]
            for u in verify["unresolved"]
        ]
        checked = sum(int(t.get("checked", 0)) for t in verify["types"].values())
        matched = sum(int(t.get("matched", 0)) for t in verify["types"].values())
        verdict = f"{matched} of {checked} items match the bundle."
        title = "Verification: " + ("passed" if verify["ok"] else "FAILED")
        out.append((title, ["type", "name", "field", "expected", "actual"], rows, verdict))
    rollback = model["rollback"]
    if rollback is not None:
        rows = [
            [
                str(r.get("type")),
                str(r.get("name")),
                str(r.get("undo")),
                str(r.get("outcome")),
                str(r.get("reason") or ""),
            ]
            for r in rollback["results"][:MAX_LISTED]
        ]
        out.append(("Rollback", ["type", "name", "undo", "outcome", "reason"], rows, "Nothing to undo."))
    return out


def overview(model: Mapping[str, Any]) -> list[tuple[str, str]]:
    rows = [
        ("Run", model["run_id"]),
        ("Status", model["status"]),
        ("Source", model["source"]),
        ("Target", model["target"]),
        ("Mode", model["mode"]),
        ("Started", model["started_at"]),
        ("Finished", model["finished_at"]),
        ("Duration", duration_text(model["duration_seconds"])),
    ]
    rows += [(f"File: {name}", str(path)) for name, path in model["files"].items()]
    rows += [
        (f"Interrupted earlier run {r.get('run_id')}", str(r.get("ledger") or "(no ledger: it wrote nothing)"))
        for r in model["interrupted_runs"]
    ]
    return [(k, v) for k, v in rows if v not in ("", None)]


# ---- Markdown ------------------------------------------------------------------------------------------


def _failure_line(failure: Mapping[str, Any]) -> str:
    """The failure's reason, led by its item unless the reason names the item itself ("user jdoe: ...")."""
    reason = str(failure.get("reason") or "")
    if failure.get("name") and f" {failure['name']}: " in f" {reason}":
        return reason
    return f"{failure['type']} {failure['name']}: {reason}"


def headline(model: Mapping[str, Any]) -> list[str]:
    """What a reader must see first: the blocking problems or failures, then the warnings."""
    kind = "Blocking" if model["status"] == "blocked" else "Problem"
    lines = [f"{kind}: {p}" for p in model["problems"]]
    lines += [f"Failed: {_failure_line(f)}" for f in model["failures"][:HEADLINE_FAILURES]]
    if len(model["failures"]) > HEADLINE_FAILURES:
        lines.append(f"Failed: ... and {len(model['failures']) - HEADLINE_FAILURES} more (see Failures)")
    return lines + [f"Warning: {w}" for w in model["warnings"]]


def _md_cell(text: Any) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def markdown(model: Mapping[str, Any]) -> str:
    lines = [f"# Amazon Connect migration report {_md_cell(model['run_id'])}", "", f"**Status: {model['status']}**", ""]
    lines += [f"- {_md_cell(line)}" for line in headline(model)]
    lines += [""] if headline(model) else []
    lines += ["| | |", "| --- | --- |"] + [f"| {_md_cell(k)} | {_md_cell(v)} |" for k, v in overview(model)]
    for title, header, rows, empty in sections(model):
        lines += ["", f"## {title}", ""]
        if rows:
            lines.append("| " + " | ".join(_md_cell(h) for h in header) + " |")
            lines.append("|" + " --- |" * len(header))
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
        if empty and (not rows or title.startswith("Verification")):
            lines += ([""] if rows else []) + [empty]
    return "\n".join(lines) + "\n"


# ---- HTML ----------------------------------------------------------------------------------------------

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem;color:#1d1d1f;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.25rem .6rem;text-align:left;
vertical-align:top}th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.total td{font-weight:600}.succeeded{color:#05660e;font-weight:600}
.failed,.blocked,.interrupted{color:#a3000b;font-weight:600}
code{font-family:ui-monospace,Menlo,Consolas,monospace}
"""


def escape(value: Any) -> str:
    """HTML-escaped text in which no `scheme://` survives, so nothing in the file reads as a link."""
    return _html.escape(str(value), quote=True).replace("://", "&#58;//")


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = []
    for row in rows:
        cls = ' class="total"' if row and row[0] == "total" else ""
        cells = "".join(
            f'<td class="n">{escape(c)}</td>' if re.fullmatch(r"\d+", str(c)) else f"<td>{escape(c)}</td>" for c in row
        )
        body.append(f"<tr{cls}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def html(model: Mapping[str, Any]) -> str:
    status = model["status"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Migration report {escape(model['run_id'])}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>Amazon Connect migration report {escape(model['run_id'])}</h1>",
        f'<p>Status: <span class="{escape(status.split()[0])}">{escape(status)}</span></p>',
        *(["<ul>", *[f"<li>{escape(line)}</li>" for line in headline(model)], "</ul>"] if headline(model) else []),
        "<table><tbody>",
        *[f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in overview(model)],
        "</tbody></table>",
    ]
    for title, header, rows, empty in sections(model):
        parts.append(f"<h2>{escape(title)}</h2>")
        if rows:
            parts.append(_html_table(header, rows))
        if empty and (not rows or title.startswith("Verification")):
            parts.append(f"<p>{escape(empty)}</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# ---- the run log ---------------------------------------------------------------------------------------


def run_log(model: Mapping[str, Any], run: Mapping[str, Any]) -> str:
    """One JSON object per line: the run, each import task, each failure, the verification, the end."""
    base = {"run_id": model["run_id"]}
    events: list[dict[str, Any]] = [
        {
            **base,
            "time": model["started_at"],
            "event": "run_started",
            "source": model["source"],
            "target": model["target"],
            "mode": model["mode"],
        }
    ]
    if run.get("state") == "started":
        return json.dumps(events[0], ensure_ascii=False, default=str) + "\n"
    # The outcome comes second, so the first lines say how the run ended and why.
    events.append(
        {
            **base,
            "event": "run_outcome",
            "status": model["status"],
            "problems": model["problems"],
            "failures": model["failures"][:HEADLINE_FAILURES],
            "warnings": model["warnings"],
        }
    )
    if isinstance(run.get("preflight"), Mapping):
        preflight = run["preflight"]
        events.append(
            {
                **base,
                "event": "preflight",
                "failed": bool(preflight.get("failed")),
                "api_calls": preflight.get("api_calls"),
            }
        )
    for kind, found in model["mappings"].items():
        events.append(
            {**base, "event": "mapping", "kind": kind, "mapped": len(found["mapped"]), "unmapped": found["unmapped"]}
        )
    for result in task_results(run.get("import_results")):
        if result.get("skipped") and "totals" not in result:
            continue
        events.append(
            {
                **base,
                "event": "import_task",
                "type": result.get("resource_type"),
                "totals": result.get("totals"),
                "api_calls": result.get("api_calls"),
                "failed": bool(result.get("failed")),
            }
        )
    events += [{**base, "event": "item_failed", **f} for f in model["failures"]]
    if model["verify"] is not None:
        verify = model["verify"]
        events.append({**base, "event": "verify", "ok": verify["ok"], "types": verify["types"]})
        events += [{**base, "event": "difference", **d} for d in verify["differences"]]
    if model["rollback"] is not None:
        events.append({**base, "event": "rollback", "totals": model["rollback"]["totals"]})
    events.append(
        {
            **base,
            "time": model["finished_at"],
            "event": "run_finished",
            "status": model["status"],
            "problems": model["problems"],
            "warnings": model["warnings"],
            "totals": model["totals"],
            "duration_seconds": model["duration_seconds"],
            "api_calls": model["api_calls"],
        }
    )
    return "".join(json.dumps(e, ensure_ascii=False, default=str) + "\n" for e in events)


def file_names(run_id: str) -> dict[str, str]:
    return {"markdown": f"report-{run_id}.md", "html": f"report-{run_id}.html", "run_log": f"run-{run_id}.jsonl"}


def render_all(run: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """(model, {file name: content}) for one run."""
    model = summarize(run)
    names = file_names(model["run_id"])
    return model, {
        names["markdown"]: markdown(model),
        names["html"]: html(model),
        names["run_log"]: run_log(model, run),
    }
