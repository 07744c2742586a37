#!/usr/bin/env python3
"""How many user-reading calls an export of every user costs, from the emulator's own statistics.

    .venv/bin/python benchmarks/export_users.py [--users 10000]

Seeds the demo source with --users users in an emulator started by this script, runs
`playbooks/export.yml -e resources=users` against it exactly as against AWS, and prints the calls
per API the emulator counted. SearchUsers returns 500 users a page, so 10,000 users should cost 20
user-reading calls (SearchUsers + DescribeUser + ListUsers), well under the 25 allowed.
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

from connect_emulator.seed import DEMO_SOURCE_ALIAS, DEMO_SOURCE_REGION
from connect_emulator.testing import EmulatorProcess

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
USER_READING_APIS = ("SearchUsers", "DescribeUser", "ListUsers")
ALLOWED_USER_READING_CALLS = 25


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=10_000)
    args = parser.parse_args()

    started = time.monotonic()
    emulator = EmulatorProcess("--throttle", "off", "--seed", "demo", "--users", str(args.users), timeout=600)
    try:
        seeded = time.monotonic() - started
        emulator.reset_stats()
        collections = subprocess.run(
            [str(ROOT / "scripts" / "collection-path.sh")], check=True, capture_output=True, text=True
        ).stdout.strip()
        with tempfile.TemporaryDirectory() as output:
            env = {**os.environ, **emulator.env(DEMO_SOURCE_REGION), "ANSIBLE_COLLECTIONS_PATH": collections}
            command = [
                str(BIN / "ansible-playbook"),
                str(ROOT / "playbooks" / "export.yml"),
                "-e",
                # The emulator runs unthrottled, so pacing is off: the figure is the export's own.
                json.dumps(
                    {"source": DEMO_SOURCE_ALIAS, "resources": "users", "output_dir": output, "api_rate_factor": 0}
                ),
            ]
            begin = time.monotonic()
            done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
            exported = time.monotonic() - begin
            if done.returncode != 0:
                print(done.stdout[-4000:], done.stderr[-4000:], sep="\n")
                return done.returncode
            [bundle_file] = Path(output).glob("bundle-*.json")
            users = len(json.loads(bundle_file.read_text())["resources"]["users"])
        apis = emulator.stats()["apis"]
    finally:
        emulator.stop()

    user_calls = sum(apis.get(api, {}).get("calls", 0) for api in USER_READING_APIS)
    print(f"seeded {args.users} users in {seeded:.1f}s; exported {users} users in {exported:.1f}s")
    print(f"user-reading calls: {user_calls} (allowed {ALLOWED_USER_READING_CALLS})")
    for api in USER_READING_APIS:
        print(f"  {api:<14} {apis.get(api, {}).get('calls', 0)}")
    print(f"all calls: {sum(a['calls'] for a in apis.values())}")
    for api, counts in apis.items():
        print(f"  {api:<32} {counts['calls']}")
    return 0 if user_calls <= ALLOWED_USER_READING_CALLS and users == args.users else 1


if __name__ == "__main__":
    sys.exit(main())
