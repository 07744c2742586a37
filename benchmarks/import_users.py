"""Benchmark: import N users with ccaas.connect.connect_user into the emulator throttled at AWS rates x F.

    .venv/bin/python benchmarks/import_users.py [--users 2000] [--factor 20] [--workers 8]

Starts the emulator (seeded demo target), creates the users' routing profile and security profile,
turns throttling on at the documented AWS rates scaled by F, runs one ansible-playbook task that
imports every user, and prints the achieved CreateUser rate against the scaled quota. The rate is
measured over the task as Ansible times it (module start, read pass and all), so it understates
the steady state slightly; the burst the bucket starts with is reported so it can be discounted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from connect_emulator.testing import EmulatorProcess

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / ".build" / "collections"))
subprocess.run([str(ROOT / "scripts" / "collection-path.sh")], check=True, stdout=subprocess.DEVNULL)

from ansible_collections.ccaas.connect.plugins.module_utils._quota_table import API_RATES, DEFAULT_RATE  # noqa: E402

PLAYBOOK = """
- name: Import users
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Import users
      ccaas.connect.connect_user:
        instance: "{{ instance }}"
        region: "{{ region }}"
        items: "{{ users }}"
        generate_passwords: true
        password_file: "{{ password_file }}"
        api_rate_factor: "{{ factor }}"
        max_workers: "{{ workers }}"
"""


def prepare(emulator: EmulatorProcess, target: dict, users: int) -> None:
    client = emulator.client(target["region"])
    instance = target["instance_id"]
    emulator.configure(
        quotas=[{"region": target["region"], "instance_id": instance, "quota": "users", "value": users + 100}]
    )
    hours = client.create_hours_of_operation(
        InstanceId=instance,
        Name="Bench hours",
        TimeZone="UTC",
        Config=[{"Day": "MONDAY", "StartTime": {"Hours": 9, "Minutes": 0}, "EndTime": {"Hours": 17, "Minutes": 0}}],
    )
    queue = client.create_queue(InstanceId=instance, Name="Bench queue", HoursOfOperationId=hours["HoursOfOperationId"])
    client.create_routing_profile(
        InstanceId=instance,
        Name="Bench RP",
        Description="Benchmark",
        DefaultOutboundQueueId=queue["QueueId"],
        MediaConcurrencies=[{"Channel": "VOICE", "Concurrency": 1}],
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--factor", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()

    emulator = EmulatorProcess("--throttle", "off", "--seed", "demo", "--users", "10")
    try:
        assert emulator.seeded is not None
        target = emulator.seeded["target"]
        prepare(emulator, target, args.users)
        emulator.configure(throttle=str(args.factor))
        emulator.reset_stats()
        users = [
            {
                "username": f"bench{n:05}",
                "identity_info": {"first_name": "Bench", "last_name": f"User {n}"},
                "routing_profile": "Bench RP",
                "security_profiles": ["Agent"],
                "tags": {"BU": "Bench"},
            }
            for n in range(args.users)
        ]
        with tempfile.TemporaryDirectory() as scratch:
            playbook = Path(scratch, "bench.yml")
            playbook.write_text(PLAYBOOK)
            variables = Path(scratch, "vars.json")
            variables.write_text(
                json.dumps(
                    {
                        "users": users,
                        "instance": target["alias"],
                        "region": target["region"],
                        "factor": args.factor,
                        "workers": args.workers,
                        "password_file": str(Path(scratch, "passwords.json")),
                    }
                )
            )
            collections = subprocess.run(
                [str(ROOT / "scripts" / "collection-path.sh")], check=True, capture_output=True, text=True
            ).stdout.strip()
            env = {
                **os.environ,
                **emulator.env(target["region"]),
                "ANSIBLE_COLLECTIONS_PATH": collections,
                "ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json",
                "ANSIBLE_LOCALHOST_WARNING": "0",
                "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
            }
            started = time.monotonic()
            done = subprocess.run(
                [str(BIN / "ansible-playbook"), str(playbook), "-e", f"@{variables}"],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            wall = time.monotonic() - started
        output = json.loads(done.stdout)
        task = output["plays"][0]["tasks"][0]
        result = task["hosts"]["localhost"]
        duration = _seconds(task["task"]["duration"])
        stats = emulator.stats()["apis"]
        created = stats.get("CreateUser", {}).get("calls", 0)
        throttled = sum(api.get("throttled", 0) for api in stats.values())
        rate, burst = API_RATES.get("CreateUser", DEFAULT_RATE)
        quota = rate * args.factor
        achieved = created / duration
        steady = max(created - burst * args.factor, 0) / duration
        print(f"users imported:         {result.get('totals')}")
        print(f"CreateUser calls:       {created} (throttled by the emulator: {throttled})")
        print(f"task duration:          {duration:.1f} s (playbook wall clock {wall:.1f} s)")
        print(f"scaled quota:           {quota:g}/s (AWS {rate:g}/s x {args.factor:g}, burst {burst * args.factor:g})")
        print(f"achieved CreateUser:    {achieved:.1f}/s  ratio {achieved / quota:.2f}")
        print(f"excluding the burst:    {steady:.1f}/s  ratio {steady / quota:.2f}")
        ok = done.returncode == 0 and result.get("totals", {}).get("failed") == 0 and steady / quota >= 0.9
        print("PASS" if ok else f"FAIL (rc={done.returncode}: {result.get('msg', '')})")
        return 0 if ok else 1
    finally:
        emulator.stop()


def _seconds(duration: dict) -> float:
    from datetime import datetime

    start = datetime.fromisoformat(duration["start"].replace("Z", "+00:00"))
    end = datetime.fromisoformat(duration["end"].replace("Z", "+00:00"))
    return (end - start).total_seconds()


if __name__ == "__main__":
    sys.exit(main())
