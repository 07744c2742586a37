#!/usr/bin/env python3
"""What an export of N users costs, lossless (the default) and without contact details, beside its quota floor.

    .venv/bin/python benchmarks/export_users.py [--users 10000] [--factor 50]

Seeds the demo source with --users users in an emulator started by this script and throttled at AWS's
documented rates times --factor, then runs `playbooks/export.yml` (the whole instance) twice, exactly as
against AWS at quotas raised by that factor: once as shipped (every user's DescribeUser, for e-mail and
mobile), once with `-e user_contact_details=false`. For each it prints the calls per API the emulator
counted, the wall time, the quota floor (per API, the calls beyond the burst over the rate; the longest of
them, since the export reads the APIs side by side; their sum is shown too) and their ratio; times are
also shown at AWS's unscaled rates (times the factor). Both runs are measured in this one process, so
their ratio is comparable.
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
from typing import Any

from connect_emulator.seed import DEMO_SOURCE_ALIAS, DEMO_SOURCE_REGION
from connect_emulator.testing import EmulatorProcess

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / ".build" / "collections"))

from ansible_collections.ccaas.connect.plugins.module_utils._ratelimit import RateLimiter, quota_floor  # noqa: E402


def collections_path() -> str:
    script = ROOT / "scripts" / "collection-path.sh"
    return subprocess.run([str(script)], check=True, capture_output=True, text=True).stdout.strip()


def export(emulator: EmulatorProcess, factor: float, contact_details: bool) -> dict[str, Any]:
    """One export run: seconds, calls per API, users exported."""
    emulator.reset_stats()
    with tempfile.TemporaryDirectory() as output:
        env = {**os.environ, **emulator.env(DEMO_SOURCE_REGION), "ANSIBLE_COLLECTIONS_PATH": collections_path()}
        extra = {
            "source": DEMO_SOURCE_ALIAS,
            "output_dir": output,
            "api_rate_factor": factor,
            "user_contact_details": contact_details,
        }
        command = [str(BIN / "ansible-playbook"), str(ROOT / "playbooks" / "export.yml"), "-e", json.dumps(extra)]
        begin = time.monotonic()
        done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
        seconds = time.monotonic() - begin
        if done.returncode != 0:
            raise SystemExit(f"export failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
        [bundle_file] = Path(output).glob("bundle-*.json")
        users = json.loads(bundle_file.read_text())["resources"]["users"]
    apis = emulator.stats()["apis"]
    calls = {api: row["calls"] for api, row in apis.items() if row["calls"]}
    throttled = sum(row.get("throttled", 0) for row in apis.values())
    with_email = sum(1 for u in users if (u.get("identity_info") or {}).get("email"))
    return {"seconds": seconds, "calls": calls, "throttled": throttled, "users": len(users), "with_email": with_email}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--factor", type=float, default=50.0, help="AWS's documented rates times this")
    args = parser.parse_args()

    emulator = EmulatorProcess(
        "--throttle", str(args.factor), "--seed", "demo", "--users", str(args.users), timeout=900
    )
    limiter = RateLimiter(factor=args.factor)
    try:
        runs = {
            "lossless (default)": export(emulator, args.factor, True),
            "user_contact_details=false": export(emulator, args.factor, False),
        }
    finally:
        emulator.stop()

    print(f"export of the demo source with {args.users} users, AWS rates x {args.factor:g} (emulator and pacing)")
    header = f"{'run':<28}{'calls':>8}{'Describe':>10}{'429s':>6}{'time s':>9}{'floor s':>9}{'serial':>8}{'ratio':>7}"
    print(header + f"{'time at AWS rates':>20}  e-mails")
    for name, run in runs.items():
        floors = quota_floor(run["calls"], limiter)
        floor = floors["seconds"]
        total = sum(run["calls"].values())
        ratio = run["seconds"] / floor if floor else float("nan")
        aws = run["seconds"] * args.factor
        print(
            f"{name:<28}{total:>8}{run['calls'].get('DescribeUser', 0):>10}{run['throttled']:>6}"
            f"{run['seconds']:>9.1f}{floor:>9.1f}{floors['serial_seconds']:>8.1f}{ratio:>7.2f}{aws / 60:>15.1f} min"
            f"  {run['with_email']}/{run['users']}"
        )
    for name, run in runs.items():
        print(f"\n{name}: calls per API")
        for api, n in sorted(run["calls"].items(), key=lambda kv: -kv[1]):
            print(f"  {api:<40}{n:>7}")
    lossless = runs["lossless (default)"]
    return 0 if lossless["users"] == lossless["with_email"] == args.users else 1


if __name__ == "__main__":
    sys.exit(main())
