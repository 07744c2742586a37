"""A run tells the truth: its report's status and its exit code agree for every way a run can end.

succeeded, succeeded with warnings, blocked, failed (bad input, failed items, a rollback that cannot undo
everything) and interrupted (killed); outputs land where ansible-playbook runs; the play's own
module_defaults reach the roles; --diff shows in the roles' chunk loops; nothing secret or personal
reaches the output at -vvv.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from connect_emulator.seed import DEMO_SOURCE_ALIAS, DEMO_SOURCE_REGION, DEMO_TARGET_ALIAS, DEMO_TARGET_REGION

from .conftest import DEMO_INTEGRATION_MAP, DEMO_PROMPT_BUCKET, ROOT, PlaybookRun, playbook_command
from .test_import_bundle import as_bundle, bundle, without_quick_connects, writes
from .test_migrate import DEMO_PHONE_MAP, kill_tree, partial_phone_map, settle, target_names

pytestmark = [pytest.mark.integration, pytest.mark.slow]


# The README's own command (README.md, "Migrating: the front door").
README = {
    "source": DEMO_SOURCE_ALIAS,
    "source_region": DEMO_SOURCE_REGION,
    "target": DEMO_TARGET_ALIAS,
    "target_region": DEMO_TARGET_REGION,
    "bu_tag": "Sales",
    "api_rate_factor": 0,
}
GOOD = ("succeeded", "succeeded with warnings")


def play(
    playbook: str | Path,
    extra: dict[str, Any],
    env: dict[str, str],
    *args: str,
    cwd: Path = ROOT,
    callback: str = "ansible.posix.json",
) -> subprocess.CompletedProcess[str]:
    command, run_env = playbook_command(playbook, extra, env, *args, callback=callback)
    return subprocess.run(command, env=run_env, capture_output=True, text=True, cwd=cwd, timeout=900, check=False)


def parsed(done: subprocess.CompletedProcess[str]) -> PlaybookRun:
    return PlaybookRun(done.returncode, json.loads(done.stdout), done.stderr)


def why(done: subprocess.CompletedProcess[str]) -> list[Any]:
    """The failed tasks of a run and their messages, for an assertion's message."""
    try:
        plays = json.loads(done.stdout).get("plays", [])
    except json.JSONDecodeError:
        return [done.stdout[-3000:], done.stderr[-3000:]]
    return [
        (task["task"]["name"], host.get("msg"), [r.get("msg") for r in host.get("results", []) if r.get("failed")][:3])
        for play in plays
        for task in play["tasks"]
        for host in task["hosts"].values()
        if host.get("failed") or any(r.get("failed") for r in host.get("results", []))
    ] or [done.stderr[-3000:]]


def report(output: Path, run_id: str | None = None) -> dict[str, Any]:
    """The newest report of `output` (or run `run_id`'s): status, first lines, run log events."""
    logs = sorted(output.glob(f"run-{run_id or '*'}.jsonl"))
    assert logs, f"no run log in {output}: {sorted(p.name for p in output.iterdir())}"
    log = logs[-1]
    rid = log.name[len("run-") : -len(".jsonl")]
    markdown = (output / f"report-{rid}.md").read_text()
    events = [json.loads(line) for line in log.read_text().splitlines()]
    status = re.search(r"\*\*Status: ([a-z ]+)\*\*", markdown)
    assert status, markdown[:500]
    return {
        "run_id": rid,
        "status": status.group(1),
        "head": "\n".join(markdown.splitlines()[:12]),
        "markdown": markdown,
        "events": events,
        "html": (output / f"report-{rid}.html").read_text(),
    }


def agrees(returncode: int, found: dict[str, Any]) -> bool:
    """The exit status and the report agree: zero exactly when the report says succeeded (with warnings)."""
    return (returncode == 0) == (found["status"] in GOOD)


def migrate(emulator: Any, output: Path, *args: str, **extra: Any) -> subprocess.CompletedProcess[str]:
    return play("playbooks/migrate.yml", {**README, "output_dir": str(output), **extra}, emulator.env(), *args)


# ---- one test per status -----------------------------------------------------------------------------


@pytest.mark.parametrize("users", [12])
def test_the_readme_command_is_blocked_without_its_phone_map_succeeds_with_it_and_warns_without_contact_details(
    demo, tmp_path
):
    blocked = migrate(demo, tmp_path / "blocked")
    found = report(tmp_path / "blocked")
    assert found["status"] == "blocked" and blocked.returncode != 0
    assert writes(demo) == {}
    # The blocking problem, not a generic failure, is in the first lines of each rendering.
    sales = demo.seeded["source"]["phone_numbers"]["sales-outbound"]
    assert re.search(rf"- Blocking: .*{re.escape(sales)}", found["head"]), found["head"]
    assert "- Blocking: nothing was written to the target" in found["head"]
    assert found["events"][1]["event"] == "run_outcome" and found["events"][1]["status"] == "blocked"
    assert any(sales in p for p in found["events"][1]["problems"])
    assert sales in found["html"].split("<h2>")[0]

    done = migrate(demo, tmp_path / "good", phone_map=str(DEMO_PHONE_MAP))
    found = report(tmp_path / "good")
    assert found["status"] == "succeeded" and done.returncode == 0, (found["head"], why(done))
    assert found["events"][-1]["event"] == "run_finished" and found["events"][-1]["status"] == "succeeded"
    assert not [line for line in found["head"].splitlines() if line.startswith("- ")]  # nothing to warn about

    # The whole instance (users too), two numbers left out knowingly: succeeded with warnings, naming them.
    whole = {"bu_tag": "", "phone_map": str(partial_phone_map(demo, tmp_path)), "on_unmapped": "skip"}
    done = migrate(demo, tmp_path / "whole", **whole)
    found = report(tmp_path / "whole")
    assert found["status"] == "succeeded with warnings" and done.returncode == 0, (found["head"], why(done))
    assert "- Warning: 2 reference(s) not mapped" in found["head"]
    assert "e-mail" not in found["head"]
    # Lossless by default: the users' e-mail and mobile reached the target.
    [bundle_file] = (tmp_path / "whole").glob("bundle-*.json")
    users = json.loads(bundle_file.read_text())["resources"]["users"]
    assert users and all(u["identity_info"].get("email") for u in users)
    client = demo.client(DEMO_TARGET_REGION)
    target_id = demo.seeded["target"]["instance_id"]
    listed = client.list_users(InstanceId=target_id, MaxResults=100)["UserSummaryList"]
    some = next(u for u in listed if u["Username"] == users[0]["username"])
    described = client.describe_user(InstanceId=target_id, UserId=some["Id"])["User"]["IdentityInfo"]
    assert described["Email"] == users[0]["identity_info"]["email"]

    warned = migrate(demo, tmp_path / "warned", **whole, user_contact_details=False)
    found = report(tmp_path / "warned")
    assert found["status"] == "succeeded with warnings" and warned.returncode == 0, found["head"]
    # It names how many users lose which fields, and that verify did not check them.
    assert re.search(
        rf"- Warning: {len(users)} user\(s\) lose identity_info\.email, identity_info\.secondary_email, "
        r"identity_info\.mobile: .*verify does not check them",
        found["head"],
    ), found["head"]


@pytest.mark.parametrize("users", [6])
def test_unreadable_inputs_and_failed_items_fail_and_say_why_first(demo, tmp_path):
    missing = tmp_path / "no-such-map.yml"
    done = migrate(demo, tmp_path / "map", phone_map=str(missing))
    found = report(tmp_path / "map")
    assert found["status"] == "failed" and done.returncode != 0 and agrees(done.returncode, found)
    assert re.search(rf"- Problem: .*{re.escape(str(missing))}", found["head"]), found["head"]
    assert writes(demo) == {}

    unreadable = tmp_path / "bundle.json"
    unreadable.write_text('{"format_version": 1, "resources": {')  # cut short
    extra = {"bundle": str(unreadable), "target": DEMO_TARGET_ALIAS, "target_region": DEMO_TARGET_REGION}
    done = play("playbooks/import.yml", {**extra, "output_dir": str(tmp_path / "bundle")}, demo.env())
    found = report(tmp_path / "bundle")
    assert found["status"] == "failed" and done.returncode != 0, found["head"]
    assert "- Problem: " in found["head"]
    assert writes(demo) == {}

    # Going past the preflight's stop: the unmapped number fails its queue, and the run fails naming it.
    done = migrate(demo, tmp_path / "items", stop_on_blocking=False, include="queues,hours_of_operations")
    found = report(tmp_path / "items")
    assert found["status"] == "failed" and done.returncode != 0, found["head"]
    assert re.search(r"- Failed: queue \S+", found["head"]), found["head"]
    assert any(e["event"] == "item_failed" for e in found["events"])
    assert found["events"][1]["failures"], found["events"][1]


@pytest.mark.parametrize("users", [40])
def test_a_killed_run_reads_interrupted_and_the_rerun_names_it_with_its_ledger_and_one_password_file(demo, tmp_path):
    output = tmp_path / "output"
    extra = {
        **README,
        "bu_tag": "",
        "on_unmapped": "skip",
        "phone_map": str(partial_phone_map(demo, tmp_path)),
        "output_dir": str(output),
        "chunk_size": 10,
        "api_rate_factor": 1000,
        "api_rates": {"CreateUser": {"rate": 2, "burst": 1}},
        # The killed run leaves its lease behind; a short one lets the rerun take it over (test_kills.py pins that).
        "lease_duration": 1,
    }
    command, env = playbook_command("playbooks/migrate.yml", extra, demo.env(), callback="default")
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 300
        while demo.stats()["apis"].get("CreateUser", {}).get("calls", 0) < 13:
            assert process.poll() is None, "the run ended before it could be interrupted"
            assert time.monotonic() < deadline
            time.sleep(0.2)
        kill_tree(process.pid)
    finally:
        process.wait(timeout=30)
    settle(demo)
    assert process.returncode != 0
    killed = report(output)
    assert killed["status"] == "interrupted", killed["head"]
    assert [e["event"] for e in killed["events"]] == ["run_started"]
    assert "- Problem: the run started and did not record its end" in killed["head"]

    done = migrate(
        demo,
        output,
        bu_tag="",
        on_unmapped="skip",
        phone_map=str(partial_phone_map(demo, tmp_path)),
        chunk_size=10,
        steal_lease=True,
    )
    assert done.returncode == 0, why(done)
    logs = sorted(output.glob("run-*.jsonl"))
    resumed = report(output, logs[-1].name[4:-6])
    assert resumed["status"] == "succeeded with warnings" and resumed["run_id"] != killed["run_id"]
    # The rerun names the killed run and its ledger (a rollback needs both), and only files that exist.
    killed_ledger = output / f"ledger-{killed['run_id']}.jsonl"
    assert killed_ledger.exists()
    assert f"| Interrupted earlier run {killed['run_id']} | {killed_ledger} |" in resumed["markdown"]
    named = {
        label.strip(): path.strip()
        for label, path in re.findall(r"^\| File: ([^|]+) \| ([^|]+) \|$", resumed["markdown"], re.M)
    }
    assert named and all(Path(p.strip()).exists() for path in named.values() for p in path.split(","))
    [password_file] = output.glob("passwords-*.json")
    assert password_file.name == f"passwords-{DEMO_TARGET_ALIAS}.json"
    assert named["passwords of new users"] == str(password_file)
    assert set(json.loads(password_file.read_text())) == set(target_names(demo, "users"))


# ---- where things land, and whose connection options count ---------------------------------------------


@pytest.mark.parametrize("users", [5])
def test_outputs_land_where_ansible_playbook_runs_and_a_rollback_that_cannot_undo_everything_fails(demo, tmp_path):
    before = {p for p in ROOT.rglob("*") if ".build" not in p.parts and ".git" not in p.parts}
    extra = dict(README)
    done = play("playbooks/migrate.yml", {**extra, "phone_map": str(DEMO_PHONE_MAP)}, demo.env(), cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-3000:]
    output = tmp_path / "output"
    [ledger] = output.glob("ledger-*.jsonl")
    assert list(output.glob("bundle-*.json")) and list(output.glob("report-*.md"))
    after = {p for p in ROOT.rglob("*") if ".build" not in p.parts and ".git" not in p.parts}
    assert not {p for p in after - before if "__pycache__" not in p.parts and ".pytest_cache" not in p.parts}

    # Something the run did not make now uses hours of operation it made: the rollback cannot delete them.
    client = demo.client(DEMO_TARGET_REGION)
    target_id = demo.seeded["target"]["instance_id"]
    created_hours = [json.loads(line) for line in ledger.read_text().splitlines() if '"hours_of_operations"' in line]
    assert created_hours, "the migration created hours of operation"
    hours = client.list_hours_of_operations(InstanceId=target_id)["HoursOfOperationSummaryList"]
    [hours_id] = [h["Id"] for h in hours if h["Name"] == created_hours[0]["name"]]
    client.create_queue(InstanceId=target_id, Name="Made by hand", HoursOfOperationId=hours_id)

    relative = {"ledger": f"output/{ledger.name}", "target": DEMO_TARGET_ALIAS, "target_region": DEMO_TARGET_REGION}
    undone = play("playbooks/rollback.yml", {**relative, "api_rate_factor": 0}, demo.env(), cwd=tmp_path)
    reports = sorted(output.glob("report-*.md"))
    assert len(reports) == 2, "the rollback's report is beside the ledger, in the cwd's output/"
    found = report(output, reports[-1].name[len("report-") : -len(".md")])
    assert found["status"] == "failed" and undone.returncode != 0, found["head"]
    assert re.search(r"- Problem: .*could not be undone", found["head"]), found["head"]
    assert not list((ROOT / "playbooks").glob("report-*")) and not list((ROOT / "playbooks").glob("*.jsonl"))


@pytest.mark.parametrize("users", [5])
def test_the_roles_take_the_endpoint_and_region_from_the_plays_module_defaults(demo, tmp_path):
    env = {
        k: v for k, v in demo.env().items() if k not in ("AWS_ENDPOINT_URL_CONNECT", "AWS_DEFAULT_REGION", "AWS_REGION")
    }
    # Nothing else says where the emulator is: a role that overrode module_defaults would call AWS itself
    # (and, without network, fail).
    extra = {
        "endpoint": demo.endpoint,
        "output_dir": str(tmp_path),
        "phone_map": str(DEMO_PHONE_MAP),
        "integration_map": str(DEMO_INTEGRATION_MAP),
        "prompt_bucket": DEMO_PROMPT_BUCKET,
    }
    done = parsed(play("tests/integration/playbooks/module_defaults.yml", extra, env))
    assert done.returncode == 0, [
        (t["task"]["name"], h.get("msg"))
        for p in done.output["plays"]
        for t in p["tasks"]
        for h in t["hosts"].values()
        if h.get("failed")
    ]
    exported = json.loads(next(tmp_path.glob("bundle-*.json")).read_text())["resources"]["queues"]
    assert exported and {q["name"] for q in exported} <= set(target_names(demo, "queues"))
    assert report(tmp_path)["status"] == "succeeded"
    # The import role alone (no verify keeps it) removes the preflight's and the phases' reads of the target.
    assert not list(tmp_path.glob("snapshot-*"))


# ---- --diff in the chunk loops -----------------------------------------------------------------------------


def test_diff_shows_in_the_roles_chunk_loops_with_the_tags_an_item_will_really_have(target, tmp_path):
    emulator, tgt = target
    data = without_quick_connects(bundle(users=2))
    extra = {
        "bundle": as_bundle(data),
        "target": tgt["alias"],
        "target_region": tgt["region"],
        "api_rate_factor": 0,
        "output_dir": str(tmp_path),
    }
    first = play("playbooks/import.yml", extra, emulator.env(tgt["region"]))
    assert first.returncode == 0, first.stdout[-3000:]
    client = emulator.client(tgt["region"])
    [q00] = [
        q
        for q in client.list_queues(InstanceId=tgt["instance_id"], MaxResults=100)["QueueSummaryList"]
        if q.get("Name") == "Q00"
    ]
    client.tag_resource(resourceArn=q00["Arn"], tags={"Owner": "ops"})  # a tag the bundle does not have
    changed = [{**q, "tags": {"BU": "Support"}} if q["name"] == "Q00" else q for q in data["queues"]]
    check = play(
        "playbooks/import.yml",
        {**extra, "bundle": as_bundle({**data, "queues": changed})},
        emulator.env(tgt["region"]),
        "--check",
        "--diff",
        callback="ansible.builtin.default",
    )
    assert check.returncode == 0, check.stdout[-3000:]
    section = check.stdout.split("TASK [ccaas.connect.import : Import, phase by phase, chunk by chunk]")[1].split(
        "TASK ["
    )[0]
    # The diff of the chunk loop's item, not the loop's own results: before and after of the queue.
    assert "--- before: queue Q00" in section and "+++ after: queue Q00" in section, section[-3000:]
    assert '-        "BU": "Sales"' in section and '+        "BU": "Support"' in section, section[-3000:]


# ---- the secrets scan ---------------------------------------------------------------------------------------

SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"  # the AWS documentation's example, never a real key
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PASSWORD_FILES = ("passwords-",)
# The bundle holds contact details, and so does the mapped bundle the import reads (users' e-mails are
# imported); so do the ledgers, whose before/after values a rollback restores. None holds a password.
PERSONAL_FILES = ("bundle-", "mapped-", "passwords-", "ledger-", "rollback-ledger-")


@pytest.mark.parametrize("users", [15])
def test_no_password_key_e_mail_or_mobile_reaches_output_or_files_not_meant_for_them_at_vvv(demo, tmp_path):
    env = {**demo.env(), "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "ANSIBLE_LOG_PATH": str(tmp_path / "ansible.log")}
    output = tmp_path / "migrate"
    migrated = play(
        "playbooks/migrate.yml",
        {**README, "bu_tag": "", "on_unmapped": "skip", "output_dir": str(output), "phone_map": str(DEMO_PHONE_MAP)}
        | {"chunk_size": 5},
        env,
        "-vvv",
        callback="ansible.builtin.default",
    )
    assert migrated.returncode == 0, migrated.stdout[-3000:]
    [bundle_file] = output.glob("bundle-*.json")
    users = json.loads(bundle_file.read_text())["resources"]["users"]
    personal = {
        u["identity_info"][f]
        for u in users
        for f in ("email", "secondary_email", "mobile")
        if u["identity_info"].get(f)
    }
    assert len(personal) >= len(users)
    [password_file] = output.glob("passwords-*.json")
    passwords = set(json.loads(password_file.read_text()).values())
    assert len(passwords) == len(users)

    # An import whose bundle carries passwords on the user entries, at -vvv too.
    given = {u["username"]: f"Given{n:03}Passw0rd" for n, u in enumerate(users[:3])}
    carried = [{**u, "username": f"{u['username']}x", "password": given[u["username"]]} for u in users[:3]]
    imported_dir = tmp_path / "import"
    # The whole export with these users added: a bundle is self-contained, so what they refer to is in it too.
    exported = json.loads(bundle_file.read_text())["resources"]
    imported = play(
        "playbooks/import.yml",
        {
            "bundle": as_bundle({**exported, "users": exported["users"] + carried}),
            "target": DEMO_TARGET_ALIAS,
            "target_region": DEMO_TARGET_REGION,
            "output_dir": str(imported_dir),
            "api_rate_factor": 0,
            "on_unmapped": "skip",
            "phone_map": str(DEMO_PHONE_MAP),
        },
        env,
        "-vvv",
        callback="ansible.builtin.default",
    )
    assert imported.returncode == 0, imported.stdout[-3000:]
    assert {u["username"] for u in carried} <= set(target_names(demo, "users"))
    secrets = passwords | set(given.values()) | {SECRET_KEY}

    texts = {
        "migrate output": migrated.stdout + migrated.stderr,
        "import output": imported.stdout + imported.stderr,
        "ansible.log": (tmp_path / "ansible.log").read_text(),
    }
    # Every file the runs wrote, prompts' audio (under prompts/) included, read as text whatever it holds.
    files = {str(path): path for directory in (output, imported_dir) for path in directory.rglob("*") if path.is_file()}
    # the output is really there (the users may share their task with other small phases)
    assert re.search(r"\(item=[a-zA-Z ,]*\busers\b[a-zA-Z ,]*: chunk 1/", texts["migrate output"])
    unexpected = [(where, "secret") for where, text in texts.items() for s in secrets if s in text] + [
        (str(path), "secret")
        for path in files.values()
        if not path.name.startswith(PASSWORD_FILES)
        for s in secrets
        if s in path.read_text(errors="replace")
    ]
    assert unexpected == []
    personal_texts = texts | {
        where: path.read_text(errors="replace")
        for where, path in files.items()
        if not path.name.startswith(PERSONAL_FILES)
    }
    found = sorted({(Path(where).name, s) for where, text in personal_texts.items() for s in personal if s in text})
    assert found == []
    emails = sorted({(Path(where).name, m) for where, text in personal_texts.items() for m in EMAIL.findall(text)})
    assert emails == []
