"""Requests per second the emulator sustains: CreateUser + DescribeUser from a pool of boto3 clients.

    .venv/bin/python benchmarks/emulator_throughput.py [--seconds 10] [--threads 8] [--in-process]

The server runs in its own process (throttling off) unless --in-process, so the clients' CPU does
not share a GIL with the server and the figure is the server's. Prints one summary line and the
server's per-API statistics. Needs a domain that serves CreateUser/DescribeUser; the users are
created in a fresh instance with the security and routing profiles Amazon creates by default.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import threading
import time
from typing import Any

from connect_emulator.testing import EmulatorHandle, EmulatorProcess


def _default_profiles(client: Any, instance_id: str) -> tuple[str, str]:
    """A security profile and a routing profile to give the users (the defaults of a new instance)."""
    security = client.list_security_profiles(InstanceId=instance_id)["SecurityProfileSummaryList"]
    routing = client.list_routing_profiles(InstanceId=instance_id)["RoutingProfileSummaryList"]
    if not security or not routing:
        raise SystemExit("the new instance has no default security/routing profile: is the domain serving them?")
    agent = next((p for p in security if p["Name"] == "Agent"), security[0])
    return agent["Id"], routing[0]["Id"]


def run(handle: EmulatorHandle, seconds: float, threads: int) -> dict[str, Any]:
    admin = handle.client()
    instance_id = admin.create_instance(
        IdentityManagementType="CONNECT_MANAGED",
        InstanceAlias=f"bench-{int(time.time())}",
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )["Id"]
    # Room for every user this run can create (the default users quota is far smaller).
    handle.configure(quotas=[{"region": "us-east-1", "instance_id": instance_id, "quota": "users", "value": 10**6}])
    security_profile, routing_profile = _default_profiles(admin, instance_id)
    handle.reset_stats()

    counter = itertools.count()
    latencies: list[list[float]] = [[] for _ in range(threads)]
    failures: list[str] = []
    start_gate = threading.Barrier(threads + 1)
    stop_at = [0.0]

    def worker(slot: int) -> None:
        client = handle.client()
        mine = latencies[slot]
        start_gate.wait()
        while time.monotonic() < stop_at[0]:
            n = next(counter)
            try:
                t0 = time.perf_counter()
                user_id = client.create_user(
                    InstanceId=instance_id,
                    Username=f"bench.user{n}",
                    Password="Bench-Pass1!",
                    IdentityInfo={"FirstName": "Bench", "LastName": f"User{n}"},
                    PhoneConfig={"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": 0},
                    SecurityProfileIds=[security_profile],
                    RoutingProfileId=routing_profile,
                )["UserId"]
                t1 = time.perf_counter()
                client.describe_user(InstanceId=instance_id, UserId=user_id)
                t2 = time.perf_counter()
                mine.extend((t1 - t0, t2 - t1))
            except Exception as error:  # a benchmark reports failures instead of dying on the first
                failures.append(f"{type(error).__name__}: {error}")

    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for thread in pool:
        thread.start()
    stop_at[0] = time.monotonic() + seconds
    began = time.monotonic()
    start_gate.wait()
    for thread in pool:
        thread.join()
    elapsed = time.monotonic() - began
    all_latencies = sorted(x for per in latencies for x in per)
    return {
        "requests": len(all_latencies),
        "seconds": elapsed,
        "rps": len(all_latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(all_latencies) if all_latencies else 0.0,
        "p99_ms": 1000 * all_latencies[int(len(all_latencies) * 0.99)] if all_latencies else 0.0,
        "failures": failures,
        "stats": handle.stats(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--in-process", action="store_true", help="run the server in this process (shares the GIL)")
    args = parser.parse_args(argv)

    if args.in_process:
        from connect_emulator.server import Emulator, EmulatorServer

        server = EmulatorServer(Emulator(throttle="off")).start()
        handle, stop = EmulatorHandle(server.endpoint, server.emulator), server.stop
    else:
        process = EmulatorProcess("--throttle", "off")
        handle, stop = process, process.stop
    try:
        result = run(handle, args.seconds, args.threads)
    finally:
        stop()
    print(
        f"emulator throughput: {result['rps']:.0f} req/s "
        f"({result['requests']} CreateUser+DescribeUser requests in {result['seconds']:.1f} s, "
        f"{args.threads} threads, p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
        f"{len(result['failures'])} failures)"
    )
    for api, counts in result["stats"]["apis"].items():
        print(f"  {api}: {counts}")
    for failure in result["failures"][:5]:
        print(f"  failure: {failure}", file=sys.stderr)
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
