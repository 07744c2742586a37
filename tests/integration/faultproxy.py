"""A fault-injecting HTTP proxy of the project's own, in front of the Connect emulator.

Unlike the emulator's `--faults` (the server failing on its own terms), this sits on the wire, where
real faults happen: botocore's clients reach it through AWS_ENDPOINT_URL_CONNECT and it decides, per
request and from one seeded random stream, to

- `throttle`: answer 429 ThrottlingException without forwarding,
- `error`: answer 500 without forwarding,
- `drop`: close the connection without forwarding or answering,
- `latency`: wait, then go on (and may still meet another fault),
- `lost`: forward a *write* to the emulator, let it apply, then drop the connection or answer 500,
  so the client never learns that Amazon did what it asked: the fault the ledger must survive.

Writes are the Connect operations that are not Describe/List/Search/Get: REST verbs PUT/POST/DELETE
except the Search* APIs (POST /search-*). Requests to the emulator's own control endpoints
(/_emulator/...) pass untouched. Counts of what was injected, per kind and per operation path, are
kept for the tests to assert that faults really happened.

    python -m tests.integration.faultproxy --upstream http://127.0.0.1:PORT --port 42001 --rate 0.1 --seed 3
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

KINDS = ("throttle", "error", "drop", "latency", "lost")
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "proxy-connection"}


def is_write(method: str, path: str) -> bool:
    """A Connect operation that changes the target (Create/Update/Associate/Tag/Delete...)."""
    return method in ("PUT", "POST", "DELETE") and not path.startswith("/search-")


@dataclass
class FaultPlan:
    """The probability of each kind per request (each drawn independently, in KINDS order)."""

    throttle: float = 0.1
    error: float = 0.1
    drop: float = 0.1
    latency: float = 0.1
    lost: float = 0.1
    latency_seconds: tuple[float, float] = (0.05, 0.25)
    seed: int = 1
    injected: Counter[str] = field(default_factory=Counter)
    lost_writes: list[str] = field(default_factory=list)  # "METHOD /path" of each write applied, answer lost
    requests: int = 0

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)
        self._lock = threading.Lock()

    def draw(self, write: bool) -> list[str]:
        """The faults for one request: latency may come with one other; the others exclude each other."""
        with self._lock:
            self.requests += 1
            rolls = {kind: self._random.random() for kind in KINDS}
        chosen = ["latency"] if rolls["latency"] < self.latency else []
        for kind in ("throttle", "error", "drop", "lost"):
            if kind == "lost" and not write:
                continue
            if rolls[kind] < getattr(self, kind):
                chosen.append(kind)
                break
        return chosen

    def delay(self) -> float:
        with self._lock:
            return self._random.uniform(*self.latency_seconds)

    def count(self, kind: str, what: str | None = None) -> None:
        with self._lock:
            self.injected[kind] += 1
            if what is not None:
                self.lost_writes.append(what)

    def as_dict(self) -> dict[str, Any]:
        with self._lock:
            return {"requests": self.requests, "injected": dict(self.injected), "lost_writes": len(self.lost_writes)}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FaultProxy

    def log_message(self, *_args: Any) -> None:  # quiet: a test reads the counts, not a log
        return

    def _relay(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = urllib.parse.urlsplit(self.path).path
        plan = self.server.plan
        control = path.startswith("/_emulator/")
        write = is_write(self.command, path)
        faults = [] if control else plan.draw(write)
        if "latency" in faults:
            plan.count("latency")
            time.sleep(plan.delay())
        if "throttle" in faults:
            plan.count("throttle")
            return self._answer(429, {"__type": "ThrottlingException", "message": "Rate exceeded (fault proxy)"})
        if "error" in faults:
            plan.count("error")
            return self._answer(500, {"__type": "InternalServiceException", "message": "Injected (fault proxy)"})
        if "drop" in faults:
            plan.count("drop")
            return self._drop()
        status, headers, answer = self._forward(body)
        if "lost" in faults:
            plan.count("lost", f"{self.command} {path} -> {status}")
            # Half the lost answers are a dropped connection, half a 500: botocore retries both.
            if len(plan.lost_writes) % 2:
                return self._drop()
            return self._answer(500, {"__type": "InternalServiceException", "message": "Lost answer (fault proxy)"})
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in HOP_HEADERS:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def _forward(self, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        upstream = self.server.upstream
        connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=120)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
            connection.request(self.command, self.path, body=body or None, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def _answer(self, status: int, document: dict[str, Any]) -> None:
        payload = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("x-amzn-ErrorType", document["__type"])
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _drop(self) -> None:
        self.close_connection = True
        self.wfile.flush()
        self.connection.shutdown(2)  # SHUT_RDWR: the client sees the connection end with no answer

    do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = do_HEAD = _relay


class FaultProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str, plan: FaultPlan, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.upstream = urllib.parse.urlsplit(upstream)
        self.plan = plan
        self._thread: threading.Thread | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> FaultProxy:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--upstream", required=True, help="the emulator's endpoint, http://127.0.0.1:PORT")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--rate", type=float, default=0.1, help="the probability of every kind of fault")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rates = dict.fromkeys(("throttle", "error", "drop", "latency", "lost"), args.rate)
    proxy = FaultProxy(args.upstream, FaultPlan(**rates, seed=args.seed), args.port).start()
    print(f"faultproxy listening on {proxy.endpoint} -> {args.upstream}", flush=True)
    try:
        while True:
            time.sleep(10)
            print(json.dumps(proxy.plan.as_dict()), flush=True)
    except KeyboardInterrupt:
        proxy.stop()


if __name__ == "__main__":
    main()
