"""`python -m connect_emulator serve ...`: a local Amazon Connect endpoint.

Clients need only `AWS_ENDPOINT_URL_CONNECT=http://HOST:PORT` and any credentials.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from connect_emulator.faults import FaultConfig
from connect_emulator.server import Emulator, EmulatorServer
from connect_emulator.throttle import parse_mode


def _throttle(value: str) -> str:
    parse_mode(value)  # argparse shows the ValueError as a usage error
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m connect_emulator", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the emulated Connect API over HTTP until interrupted")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=4566)
    serve.add_argument("--throttle", type=_throttle, default="aws", help="off, aws (default) or a speed-up factor")
    serve.add_argument("--seed", choices=["demo", "none"], default="none", help="create a source and a target instance")
    serve.add_argument("--users", type=int, default=200, help="users in the seeded source instance")
    serve.add_argument("--seed-value", type=int, default=7, help="random seed for the seeded data")
    serve.add_argument("--state", type=Path, help="load a state file (GET /_emulator/state writes one)")
    serve.add_argument("--faults", type=FaultConfig.parse, default=None, help="e.g. throttle=0.05,error=0.01,seed=1")
    serve.add_argument("--validate-output", action="store_true", help="check every answer against botocore's model")
    serve.add_argument(
        "--iam-auth",
        action="store_true",
        help="authorise each Connect request against the caller's IAM policies (users made through the IAM API)",
    )
    serve.add_argument("--verbose", action="store_true", help="log every request")
    serve.add_argument("--load-bundle", type=Path, help="load a ccaas.connect export bundle into a new instance")
    serve.add_argument("--bundle-alias", help="alias of that instance (default: the bundle's source alias)")
    serve.add_argument("--bundle-region", help="its region (default: the bundle's source region)")
    demo = sub.add_parser(
        "demo-bundle",
        help="write the demo's source and target bundles (by default over the committed data files)",
    )
    demo.add_argument("--users", type=int, default=None, help="users in the source (default: the committed demo's)")
    demo.add_argument("--seed-value", type=int, default=None, help="random seed (default: the committed demo's)")
    demo.add_argument("--out", type=Path, help="a directory to write to instead of the package's data files")
    return parser


def demo_bundle(args: argparse.Namespace) -> int:
    from connect_emulator import seed as seed_module

    users = seed_module.DEMO_BUNDLE_USERS if args.users is None else args.users
    seed = seed_module.DEMO_BUNDLE_SEED if args.seed_value is None else args.seed_value
    if args.out is None and (users, seed) != (seed_module.DEMO_BUNDLE_USERS, seed_module.DEMO_BUNDLE_SEED):
        print("a demo of another size or seed is written with --out DIR, not over the committed files", file=sys.stderr)
        return 2
    for path in seed_module.write_demo_bundles(args.out, users=users, seed=seed):
        print(path, flush=True)
    return 0


def serve(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(levelname)s %(message)s")
    emulator = Emulator(
        throttle=args.throttle,
        faults=args.faults,
        validate_output=args.validate_output or None,
        iam_auth=args.iam_auth,
    )
    if args.state:
        emulator.load_state(json.loads(args.state.read_text()))
    seeded = None
    if args.seed == "demo":
        from connect_emulator import seed as seed_module

        seeded = seed_module.seed(emulator, scenario="demo", users=args.users, seed=args.seed_value)
    if args.load_bundle:
        from connect_emulator.from_bundle import load_into_new_instance

        bundle = json.loads(args.load_bundle.read_text("utf-8"))
        region = args.bundle_region or bundle["source"]["region"]
        alias = args.bundle_alias or bundle["source"]["instance_alias"]
        loaded = load_into_new_instance(emulator, bundle, region=region, alias=alias, base_dir=args.load_bundle.parent)
        print(f"  loaded {args.load_bundle} into {loaded.instance.id} (alias {alias}, {region})", flush=True)
        for where, problems in loaded.unchecked.items():
            # Stored all the same, so the rehearsal can go on; Amazon would refuse to publish it.
            print(f"  warning: {where} names what the bundle does not describe:", flush=True)
            for problem in problems:
                print(f"    {problem}", flush=True)
    server = EmulatorServer(emulator, host=args.host, port=args.port)
    print(f"connect_emulator listening on {server.endpoint} (throttle {emulator.throttle.mode})", flush=True)
    print(f"  export AWS_ENDPOINT_URL_CONNECT={server.endpoint}", flush=True)
    if seeded:
        print(seed_module.describe_seed(seeded), flush=True)
        # One machine-readable line for scripts and the subprocess fixture.
        print(f"SEEDED {json.dumps(seeded, default=str)}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    if args.command == "demo-bundle":
        return demo_bundle(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
