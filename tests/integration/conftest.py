"""Integration tests run the collection through `ansible-playbook`, as its users do."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from connect_emulator.seed import DEMO_PROMPT_BUCKET

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DEMO_INTEGRATION_MAP = ROOT / "playbooks" / "files" / "demo-integration-map.yml"
ROLE_PREFIXES = tuple(f"ccaas.connect.{role}" for role in ("export", "import", "verify", "report", "rollback"))
DUMMY_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing answered on 127.0.0.1:{port} within {timeout}s")


@dataclass
class PlaybookRun:
    returncode: int
    output: dict[str, Any]
    stderr: str

    def task_results(self, task_name: str) -> list[dict[str, Any]]:
        """The per-host results of every task of that name, in play order (a role's tasks with or without
        the role's prefix, `ccaas.connect.import : Import, phase by phase, chunk by chunk`)."""
        return [
            host_result
            for play in self.output.get("plays", [])
            for task in play["tasks"]
            if task["task"]["name"] in (task_name, *(f"{p} : {task_name}" for p in ROLE_PREFIXES))
            for host_result in task["hosts"].values()
        ]


@cache
def collections_path() -> str:
    """Where this checkout is installed as `ansible_collections/ccaas/connect` (scripts/collection-path.sh)."""
    return subprocess.run(
        [str(ROOT / "scripts" / "collection-path.sh")], check=True, capture_output=True, text=True
    ).stdout.strip()


def playbook_command(
    playbook: str | Path,
    extra_vars: dict[str, Any],
    env: dict[str, str],
    *args: str,
    callback: str = "ansible.posix.json",
) -> tuple[list[str], dict[str, str]]:
    """The command line and environment every test's `ansible-playbook` runs with: this checkout's
    collection, dummy credentials, no colour or localhost warnings, `callback` for its output, and `env`
    (the emulator's endpoint and region, anything else a test sets) over all of it.

    A migration or an import is run as the demo's operators set it up: prompts' audio goes to the bucket the
    demo seed made in the target's region (`DEMO_PROMPT_BUCKET`), and the source's Lex V2 bot alias maps to the
    EU bot's through `playbooks/files/demo-integration-map.yml`, unless the test names others or none (`""`)."""
    run_env = {
        **os.environ,
        **DUMMY_CREDENTIALS,
        "ANSIBLE_COLLECTIONS_PATH": collections_path(),
        "ANSIBLE_STDOUT_CALLBACK": callback,
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_LOCALHOST_WARNING": "0",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        **env,
    }
    if Path(playbook).name in ("migrate.yml", "import.yml"):
        extra_vars = {"prompt_bucket": DEMO_PROMPT_BUCKET, "integration_map": str(DEMO_INTEGRATION_MAP), **extra_vars}
    return [str(BIN / "ansible-playbook"), str(ROOT / playbook), "-e", json.dumps(extra_vars), *args], run_env


def run_playbook(
    playbook: str | Path, extra_vars: dict[str, Any] | None = None, env: dict[str, str] | None = None, *args: str
) -> PlaybookRun:
    """Run a playbook with the JSON callback and return its parsed output."""
    command, run_env = playbook_command(playbook, extra_vars or {}, env or {}, *args)
    done = subprocess.run(command, env=run_env, capture_output=True, text=True, cwd=ROOT, timeout=900, check=False)
    try:
        output = json.loads(done.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"ansible-playbook printed no JSON (rc={done.returncode}):\n{done.stdout}\n{done.stderr}")
    return PlaybookRun(done.returncode, output, done.stderr)


@pytest.fixture
def demo(connect_emulator_process, users):
    """The emulator with a fresh demo: `users` (set per test with parametrize) in the source, an empty target."""
    emulator = connect_emulator_process
    emulator.reset()
    emulator.seeded = emulator.seed("demo", users=users)
    emulator.reset_stats()
    return emulator


@pytest.fixture
def target(connect_emulator_process):
    """The seeded demo target (flows and phone numbers only) on a clean emulator."""
    emulator = connect_emulator_process
    emulator.reset()
    seeded = emulator.seed("demo", users=10)
    emulator.reset_stats()
    return emulator, seeded["target"]


@pytest.fixture
def moto_server():
    """moto's own standalone server on a free loopback port, started and stopped by the test."""
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
